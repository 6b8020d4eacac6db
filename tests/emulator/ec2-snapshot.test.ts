import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelImportTaskCommand,
  DeleteSnapshotCommand,
  DescribeImportImageTasksCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  type EC2Client,
  ImportImageCommand,
  type ImportSnapshotCommandInput,
  ImportSnapshotCommand,
  type ImportSnapshotTask,
  waitUntilSnapshotCompleted,
  waitUntilSnapshotImported,
} from "@aws-sdk/client-ec2";
import { type Emulator, startEmulator } from "../../emulator";
import { errorOf, useEmulator } from "../support/emulator";
import { ACCOUNT, advance, bad, BUCKET, ec2, raw, upload, vhd, vmdk } from "./ec2Fixtures";

async function describeTask(client: EC2Client, id: string): Promise<ImportSnapshotTask> {
  const out = await client.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [id] }));
  assert.equal(out.ImportSnapshotTasks?.length, 1);
  return out.ImportSnapshotTasks[0]!;
}

const dataDisk = (extra: Partial<ImportSnapshotCommandInput> = {}): ImportSnapshotCommandInput => ({
  Description: "data disk of web01",
  DiskContainer: {
    Description: "disk 2",
    Format: "vmdk",
    UserBucket: { S3Bucket: BUCKET, S3Key: "data.vmdk" },
  },
  ...extra,
});

const ISO_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/;

describe("emulator EC2 ImportSnapshot", () => {
  describe("ImportSnapshot with a stopped clock", () => {
    // A near-stopped clock so that each stage is observed by advancing time by hand.
    const ctx = useEmulator({ timeScale: 0.001 });

    it("walks pending → validating → validated → downloading/converting → completed, and DescribeSnapshots returns the snapshot", async () => {
      const em = ctx.emulator;
      await upload(em, { "data.vmdk": vmdk() });
      const client = ec2(em);
      const started = await client.send(
        new ImportSnapshotCommand(
          dataDisk({
            TagSpecifications: [
              { ResourceType: "import-snapshot-task", Tags: [{ Key: "wave", Value: "1" }] },
            ],
          }),
        ),
      );
      const { $metadata: _m, ImportTaskId, ...rest } = started;
      assert.match(ImportTaskId!, /^import-snap-[0-9a-f]{17}$/);
      const detail = {
        Description: "disk 2",
        Format: "VMDK",
        UserBucket: { S3Bucket: BUCKET, S3Key: "data.vmdk" },
      };
      assert.deepEqual(rest, {
        Description: "data disk of web01",
        SnapshotTaskDetail: {
          ...detail,
          DiskImageSize: 0,
          Progress: "3",
          Status: "active",
          StatusMessage: "pending",
        },
        Tags: [{ Key: "wave", Value: "1" }],
      });

      const seen: string[] = [];
      let task = await describeTask(client, ImportTaskId!);
      for (let i = 0; i < 400 && task.SnapshotTaskDetail!.Status === "active"; i++) {
        const d = task.SnapshotTaskDetail!;
        const step = `${d.Status}/${d.StatusMessage}/${d.Progress}/${d.DiskImageSize}`;
        if (seen[seen.length - 1] !== step) seen.push(step);
        advance(em, 5);
        task = await describeTask(client, ImportTaskId!);
      }
      assert.deepEqual(seen, [
        "active/pending/3/0",
        "active/validating/12/0",
        "active/validated/22/2048",
        "active/downloading/converting/42/2048",
      ]);
      const snapshotId = task.SnapshotTaskDetail!.SnapshotId!;
      assert.match(snapshotId, /^snap-[0-9a-f]{17}$/);
      assert.deepEqual(task, {
        Description: "data disk of web01",
        ImportTaskId,
        SnapshotTaskDetail: {
          ...detail,
          DiskImageSize: 2048,
          SnapshotId: snapshotId,
          Status: "completed",
        },
        Tags: [{ Key: "wave", Value: "1" }],
      });

      const { $metadata: _d, ...described } = await client.send(
        new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }),
      );
      const startTime = described.Snapshots?.[0]?.StartTime;
      assert.match(startTime!.toISOString(), ISO_SECONDS);
      assert.deepEqual(described, {
        Snapshots: [
          {
            Description: `Created by AWS-VMImport service for ${ImportTaskId}`,
            Encrypted: false,
            OwnerId: ACCOUNT,
            Progress: "100%",
            SnapshotId: snapshotId,
            StartTime: startTime,
            State: "completed",
            StorageTier: "standard",
            VolumeId: "vol-ffffffff",
            VolumeSize: 1,
          },
        ],
      });
    });
  });

  describe("ImportSnapshot", () => {
    // Real-time clock: tests move emulated time by hand, so short windows (30 s teardown) never lapse.
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);

    const cases: {
      name: string;
      params: ImportSnapshotCommandInput;
      code: string;
      message: string;
    }[] = [
      {
        name: "no DiskContainer",
        params: { Description: "x" },
        code: "MissingParameter",
        message: "The request must contain the parameter DiskContainer",
      },
      {
        name: "a DiskContainer without Format",
        params: { DiskContainer: { UserBucket: { S3Bucket: BUCKET, S3Key: "a.vmdk" } } },
        code: "MissingParameter",
        message: "The request must contain the parameter DiskContainer.Format",
      },
      {
        name: "Format VHDX (ImportImage only)",
        params: { DiskContainer: { Format: "VHDX", Url: `s3://${BUCKET}/a.vhdx` } },
        code: "InvalidParameterValue",
        message:
          "Value (VHDX) for parameter DiskContainer.Format is invalid. Valid values: VHD, VMDK, RAW",
      },
      {
        name: "Format OVA (ImportImage only)",
        params: { DiskContainer: { Format: "ova", Url: `s3://${BUCKET}/a.ova` } },
        code: "InvalidParameterValue",
        message:
          "Value (ova) for parameter DiskContainer.Format is invalid. Valid values: VHD, VMDK, RAW",
      },
      {
        name: "both Url and UserBucket",
        params: {
          DiskContainer: {
            Format: "RAW",
            Url: `s3://${BUCKET}/a`,
            UserBucket: { S3Bucket: BUCKET, S3Key: "a" },
          },
        },
        code: "InvalidParameterCombination",
        message: "Specify either DiskContainer.Url or DiskContainer.UserBucket, not both.",
      },
      {
        name: "neither Url nor UserBucket",
        params: { DiskContainer: { Format: "RAW" } },
        code: "MissingParameter",
        message: "The request must contain the parameter DiskContainer.UserBucket",
      },
      {
        name: "a UserBucket without S3Key",
        params: { DiskContainer: { Format: "RAW", UserBucket: { S3Bucket: BUCKET } } },
        code: "MissingParameter",
        message: "The request must contain the parameter DiskContainer.UserBucket.S3Key",
      },
      {
        name: "a Url that is not https:// or s3://",
        params: { DiskContainer: { Format: "RAW", Url: "ftp://host/a.raw" } },
        code: "InvalidParameterValue",
        message:
          "Value (ftp://host/a.raw) for parameter DiskContainer.Url is invalid. The URL must be an https:// or s3:// URL of an Amazon S3 object.",
      },
      {
        name: "KmsKeyId without Encrypted",
        params: dataDisk({ KmsKeyId: "alias/imports" }),
        code: "InvalidParameterDependency",
        message: "The parameter KmsKeyId requires the parameter Encrypted to be set to true.",
      },
      {
        name: "KmsKeyId with Encrypted=false",
        params: dataDisk({ Encrypted: false, KmsKeyId: "alias/imports" }),
        code: "InvalidParameterDependency",
        message: "The parameter KmsKeyId requires the parameter Encrypted to be set to true.",
      },
      {
        name: "a malformed KmsKeyId",
        params: dataDisk({ Encrypted: true, KmsKeyId: "my key" }),
        code: "InvalidParameterValue",
        message:
          "Value (my key) for parameter KmsKeyId is invalid. Specify a key ID, key ARN, alias name or alias ARN.",
      },
      {
        name: "a RoleName with a space",
        params: dataDisk({ RoleName: "vm import" }),
        code: "InvalidParameterValue",
        message: "Value (vm import) for parameter RoleName is invalid.",
      },
      {
        name: "a ClientToken longer than 64 characters",
        params: dataDisk({ ClientToken: "t".repeat(65) }),
        code: "InvalidParameterValue",
        message: `Value (${"t".repeat(65)}) for parameter ClientToken is invalid. Client tokens are at most 64 ASCII characters.`,
      },
      {
        name: "a TagSpecification for the image task type",
        params: dataDisk({
          TagSpecifications: [
            { ResourceType: "import-image-task", Tags: [{ Key: "a", Value: "b" }] },
          ],
        }),
        code: "InvalidParameterValue",
        message:
          "Value (import-image-task) for parameter TagSpecification.ResourceType is invalid. 'import-image-task' is not a valid taggable resource type for this operation.",
      },
      {
        name: "a tag key with the reserved aws: prefix",
        params: dataDisk({
          TagSpecifications: [
            { ResourceType: "import-snapshot-task", Tags: [{ Key: "aws:owner", Value: "b" }] },
          ],
        }),
        code: "InvalidParameterValue",
        message:
          "Value (aws:owner) for parameter TagSpecification.1.Tag.1.Key is invalid. Tag keys starting with 'aws:' are reserved for internal use.",
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.name}`, async () => {
        assert.deepEqual(
          await errorOf(client().send(new ImportSnapshotCommand(c.params))),
          bad(c.code, c.message),
        );
      });
    }

    it("answers DryRunOperation (HTTP 412) and creates nothing", async () => {
      assert.deepEqual(
        await errorOf(client().send(new ImportSnapshotCommand(dataDisk({ DryRun: true })))),
        {
          name: "DryRunOperation",
          message: "Request would have succeeded, but DryRun flag is set.",
          status: 412,
        },
      );
      const out = await client().send(new DescribeImportSnapshotTasksCommand({}));
      assert.deepEqual(out.ImportSnapshotTasks, []);
    });

    it("returns the original task for a repeated ClientToken with the same parameters", async () => {
      const first = await client().send(
        new ImportSnapshotCommand(dataDisk({ ClientToken: "tok-1" })),
      );
      advance(ctx.emulator, 30);
      const { $metadata: _m, ...again } = await client().send(
        new ImportSnapshotCommand(dataDisk({ ClientToken: "tok-1" })),
      );
      assert.deepEqual(again, {
        Description: "data disk of web01",
        ImportTaskId: first.ImportTaskId,
        SnapshotTaskDetail: {
          Description: "disk 2",
          DiskImageSize: 0,
          Format: "VMDK",
          Progress: "3",
          Status: "active",
          StatusMessage: "pending",
          UserBucket: { S3Bucket: BUCKET, S3Key: "data.vmdk" },
        },
      });
      const other = await client().send(
        new ImportSnapshotCommand(dataDisk({ ClientToken: "tok-2" })),
      );
      assert.notEqual(other.ImportTaskId, first.ImportTaskId);
      const all = await client().send(new DescribeImportSnapshotTasksCommand({}));
      assert.deepEqual(
        all.ImportSnapshotTasks!.map((t) => t.ImportTaskId),
        [first.ImportTaskId, other.ImportTaskId],
      );
    });

    it("refuses a repeated ClientToken with different parameters", async () => {
      await client().send(new ImportSnapshotCommand(dataDisk({ ClientToken: "tok-1" })));
      const changes: Partial<ImportSnapshotCommandInput>[] = [
        { Description: "other" },
        { DiskContainer: { Format: "RAW", Url: `s3://${BUCKET}/data.raw` } },
        { Encrypted: true },
      ];
      for (const change of changes) {
        assert.deepEqual(
          await errorOf(
            client().send(new ImportSnapshotCommand(dataDisk({ ClientToken: "tok-1", ...change }))),
          ),
          bad(
            "IdempotentParameterMismatch",
            "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
          ),
        );
      }
    });

    it("keeps encryption on the task detail and the snapshot, and reads a disk through a presigned https URL", async () => {
      await upload(ctx.emulator, { "disks/data.raw": raw(8) });
      const url = `${ctx.emulator.url}/${BUCKET}/disks/data.raw?X-Amz-Expires=3600&X-Amz-Signature=abc`;
      const started = await client().send(
        new ImportSnapshotCommand({
          Encrypted: true,
          KmsKeyId: "alias/imports",
          RoleName: "vmimport-snapshots",
          DiskContainer: { Format: "raw", Url: url },
        }),
      );
      advance(ctx.emulator, 3600);
      const task = await describeTask(client(), started.ImportTaskId!);
      const snapshotId = task.SnapshotTaskDetail!.SnapshotId!;
      assert.deepEqual(task, {
        ImportTaskId: started.ImportTaskId,
        SnapshotTaskDetail: {
          DiskImageSize: 4096,
          Encrypted: true,
          Format: "RAW",
          KmsKeyId: "alias/imports",
          SnapshotId: snapshotId,
          Status: "completed",
          Url: url,
        },
      });
      const snap = (
        await client().send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))
      ).Snapshots![0]!;
      assert.deepEqual(
        [snap.Encrypted, snap.KmsKeyId, snap.VolumeSize],
        [true, "alias/imports", 1],
      );
    });

    const disks: { format: string; key: string; body?: Buffer | string; message?: string }[] = [
      { format: "VHD", key: "ok.vhd", body: vhd() },
      { format: "RAW", key: "ok.raw", body: raw() },
      {
        format: "VMDK",
        key: "notes.vmdk",
        body: "# Disk DescriptorFile\nversion=1\n",
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "RAW",
        key: "blank.raw",
        body: Buffer.alloc(1024),
        message: "ClientError: No valid partitions. Not a valid volume.",
      },
      {
        format: "VHD",
        key: "missing.vhd",
        message:
          "ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]",
      },
    ];
    for (const d of disks) {
      const outcome = d.message ? `ends deleted with "${d.message}"` : "completes";
      it(`${outcome} for ${d.format} ${d.key}`, async () => {
        await upload(ctx.emulator, d.body === undefined ? {} : { [d.key]: d.body });
        const id = (
          await client().send(
            new ImportSnapshotCommand({
              DiskContainer: { Format: d.format, UserBucket: { S3Bucket: BUCKET, S3Key: d.key } },
            }),
          )
        ).ImportTaskId!;
        const userBucket = { S3Bucket: BUCKET, S3Key: d.key };
        if (!d.message) {
          advance(ctx.emulator, 3600);
          const done = (await describeTask(client(), id)).SnapshotTaskDetail!;
          assert.deepEqual(done, {
            DiskImageSize: Buffer.byteLength(d.body!),
            Format: d.format,
            SnapshotId: done.SnapshotId,
            Status: "completed",
            UserBucket: userBucket,
          });
          return;
        }
        // Validation ends 50–150 s in (pending + validating); the rollback then takes 30 s.
        let task = await describeTask(client(), id);
        while (task.SnapshotTaskDetail!.Status === "active") {
          advance(ctx.emulator, 5);
          task = await describeTask(client(), id);
        }
        const failed = {
          DiskImageSize: 0,
          Format: d.format,
          StatusMessage: d.message,
          UserBucket: userBucket,
        };
        assert.deepEqual(task.SnapshotTaskDetail, { ...failed, Status: "deleting" });
        advance(ctx.emulator, 30);
        assert.deepEqual(await describeTask(client(), id), {
          ImportTaskId: id,
          SnapshotTaskDetail: { ...failed, Status: "deleted" },
        });
        assert.deepEqual((await client().send(new DescribeSnapshotsCommand({}))).Snapshots, []);
      });
    }
  });

  describe("DescribeImportSnapshotTasks and CancelImportTask", () => {
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);
    const start = async (): Promise<string> =>
      (await client().send(new ImportSnapshotCommand(dataDisk()))).ImportTaskId!;
    const statuses = async (ids: string[]): Promise<[string, string, string | undefined][]> =>
      (
        await client().send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: ids }))
      ).ImportSnapshotTasks!.map((t) => [
        t.ImportTaskId!,
        t.SnapshotTaskDetail!.Status!,
        t.SnapshotTaskDetail!.StatusMessage,
      ]);

    it("describes many tasks in one call, in the order asked, each in its own state", async () => {
      await upload(ctx.emulator, { "data.vmdk": vmdk() });
      const done = await start();
      advance(ctx.emulator, 3600);
      const active = await start();
      const cancelled = await start();
      await client().send(new CancelImportTaskCommand({ ImportTaskId: cancelled }));
      assert.deepEqual(await statuses([cancelled, done, active]), [
        [cancelled, "deleting", "User initiated task cancelation"],
        [done, "completed", undefined],
        [active, "active", "pending"],
      ]);
      // The image family is separate: neither Describe call lists the other's tasks.
      assert.deepEqual(
        (await client().send(new DescribeImportImageTasksCommand({}))).ImportImageTasks,
        [],
      );
    });

    it("fails the whole batch when one ID is unknown", async () => {
      const id = await start();
      const unknown = "import-snap-0123456789abcdef0";
      assert.deepEqual(
        await errorOf(
          client().send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [id, unknown] })),
        ),
        bad("InvalidConversionTaskId", `The conversion task ID '${unknown}' does not exist.`),
      );
    });

    it("cancels an active task: deleting, then deleted with the reason; then refuses to cancel it again", async () => {
      const id = await start();
      const { $metadata: _m, ...out } = await client().send(
        new CancelImportTaskCommand({ ImportTaskId: id, CancelReason: "wrong disk" }),
      );
      assert.deepEqual(out, { ImportTaskId: id, PreviousState: "active", State: "deleting" });
      assert.deepEqual(await statuses([id]), [[id, "deleting", "wrong disk"]]);
      advance(ctx.emulator, 30);
      assert.deepEqual(await statuses([id]), [[id, "deleted", "wrong disk"]]);
      assert.deepEqual(
        await errorOf(client().send(new CancelImportTaskCommand({ ImportTaskId: id }))),
        bad("DeleteConversionTaskError", "The conversion task cannot be canceled"),
      );
    });

    it("cancels image and snapshot tasks alike, and refuses to cancel a completed one", async () => {
      await upload(ctx.emulator, { "data.vmdk": vmdk() });
      const image = (
        await client().send(
          new ImportImageCommand({
            DiskContainers: [
              { Format: "VMDK", UserBucket: { S3Bucket: BUCKET, S3Key: "data.vmdk" } },
            ],
          }),
        )
      ).ImportTaskId!;
      const snapshot = await start();
      for (const id of [image, snapshot]) {
        const { $metadata: _m, ...out } = await client().send(
          new CancelImportTaskCommand({ ImportTaskId: id }),
        );
        assert.deepEqual(out, { ImportTaskId: id, PreviousState: "active", State: "deleting" });
      }
      const completed = await start();
      advance(ctx.emulator, 3600);
      assert.deepEqual(
        await errorOf(client().send(new CancelImportTaskCommand({ ImportTaskId: completed }))),
        bad("DeleteConversionTaskError", "The conversion task cannot be canceled"),
      );
    });

    it("filters by task-state and pages with MaxResults and NextToken", async () => {
      const ids = [await start(), await start(), await start()];
      await client().send(new CancelImportTaskCommand({ ImportTaskId: ids[1] }));
      const filtered = await client().send(
        new DescribeImportSnapshotTasksCommand({
          Filters: [{ Name: "task-state", Values: ["deleting", "deleted"] }],
        }),
      );
      assert.deepEqual(
        filtered.ImportSnapshotTasks!.map((t) => t.ImportTaskId),
        [ids[1]],
      );
      const page1 = await client().send(new DescribeImportSnapshotTasksCommand({ MaxResults: 2 }));
      const page2 = await client().send(
        new DescribeImportSnapshotTasksCommand({ MaxResults: 2, NextToken: page1.NextToken }),
      );
      assert.deepEqual(
        [
          page1.ImportSnapshotTasks!.map((t) => t.ImportTaskId),
          page2.ImportSnapshotTasks!.map((t) => t.ImportTaskId),
          page2.NextToken,
        ],
        [[ids[0], ids[1]], [ids[2]], undefined],
      );
    });

    it("forgets completed and deleted tasks 7 days after they end, while the snapshot remains", async () => {
      await upload(ctx.emulator, { "data.vmdk": vmdk() });
      const done = await start();
      const cancelled = await start();
      await client().send(new CancelImportTaskCommand({ ImportTaskId: cancelled }));
      advance(ctx.emulator, 3600);
      const snapshotId = (await describeTask(client(), done)).SnapshotTaskDetail!.SnapshotId!;
      advance(ctx.emulator, 6 * 86400);
      assert.deepEqual(await statuses([done, cancelled]), [
        [done, "completed", undefined],
        [cancelled, "deleted", "User initiated task cancelation"],
      ]);
      advance(ctx.emulator, 86400);
      assert.deepEqual(
        (await client().send(new DescribeImportSnapshotTasksCommand({}))).ImportSnapshotTasks,
        [],
      );
      assert.deepEqual(
        await errorOf(
          client().send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [done] })),
        ),
        bad("InvalidConversionTaskId", `The conversion task ID '${done}' does not exist.`),
      );
      const snaps = await client().send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
      assert.deepEqual(
        snaps.Snapshots!.map((s) => s.SnapshotId),
        [snapshotId],
      );
    });
  });

  describe("DescribeSnapshots and DeleteSnapshot", () => {
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);
    const ids = async (input: DescribeSnapshotsCommandInput): Promise<string[]> =>
      (await client().send(new DescribeSnapshotsCommand(input))).Snapshots!.map(
        (s) => s.SnapshotId!,
      );
    /** An ImportImage AMI's snapshot, then (an hour later) an ImportSnapshot's. */
    const both = async (): Promise<{
      amiSnap: string;
      importSnap: string;
      imageTask: string;
      snapTask: string;
    }> => {
      await upload(ctx.emulator, { "data.vmdk": vmdk(), "web.raw": raw() });
      const imageTask = (
        await client().send(
          new ImportImageCommand({
            DiskContainers: [{ Format: "RAW", UserBucket: { S3Bucket: BUCKET, S3Key: "web.raw" } }],
          }),
        )
      ).ImportTaskId!;
      advance(ctx.emulator, 3600);
      const image = (
        await client().send(new DescribeImportImageTasksCommand({ ImportTaskIds: [imageTask] }))
      ).ImportImageTasks![0]!;
      const snapTask = (await client().send(new ImportSnapshotCommand(dataDisk()))).ImportTaskId!;
      advance(ctx.emulator, 3600);
      const importSnap = (await describeTask(client(), snapTask)).SnapshotTaskDetail!.SnapshotId!;
      return { amiSnap: image.SnapshotDetails![0]!.SnapshotId!, importSnap, imageTask, snapTask };
    };

    it("lists the snapshots of ImportImage and ImportSnapshot alike, oldest first, and filters them", async () => {
      const { amiSnap, importSnap, imageTask, snapTask } = await both();
      assert.deepEqual(await ids({}), [amiSnap, importSnap]);
      assert.deepEqual(await ids({ OwnerIds: ["self"] }), [amiSnap, importSnap]);
      assert.deepEqual(await ids({ OwnerIds: [ACCOUNT] }), [amiSnap, importSnap]);
      assert.deepEqual(await ids({ OwnerIds: ["amazon"] }), []);
      assert.deepEqual(await ids({ RestorableByUserIds: ["all"] }), []);
      assert.deepEqual(await ids({ SnapshotIds: [importSnap, amiSnap] }), [amiSnap, importSnap]);
      const filtered = async (Name: string, Values: string[]): Promise<string[]> =>
        ids({ Filters: [{ Name, Values }] });
      assert.deepEqual(
        {
          description: await filtered("description", [
            `Created by AWS-VMImport service for ${snapTask}`,
          ]),
          descriptionGlob: await filtered("description", ["*import-ami-*"]),
          snapshotId: await filtered("snapshot-id", [amiSnap]),
          status: await filtered("status", ["completed"]),
          pending: await filtered("status", ["pending", "error"]),
          volumeId: await filtered("volume-id", ["vol-ffffffff"]),
          volumeSize: await filtered("volume-size", ["1"]),
          encrypted: await filtered("encrypted", ["true"]),
          tag: await filtered("tag:wave", ["1"]),
        },
        {
          description: [importSnap],
          descriptionGlob: [amiSnap],
          snapshotId: [amiSnap],
          status: [amiSnap, importSnap],
          pending: [],
          volumeId: [amiSnap, importSnap],
          volumeSize: [amiSnap, importSnap],
          encrypted: [],
          tag: [],
        },
      );
      const ami = (await client().send(new DescribeSnapshotsCommand({ SnapshotIds: [amiSnap] })))
        .Snapshots![0]!;
      assert.equal(ami.Description, `Created by AWS-VMImport service for ${imageTask}`);
    });

    it("pages with MaxResults (5 to 1,000) and NextToken", async () => {
      await upload(ctx.emulator, { "data.vmdk": vmdk() });
      const tasks: string[] = [];
      for (let i = 0; i < 6; i++) {
        tasks.push((await client().send(new ImportSnapshotCommand(dataDisk()))).ImportTaskId!);
        advance(ctx.emulator, 1);
      }
      advance(ctx.emulator, 3600);
      const all = await ids({});
      assert.equal(all.length, 6);
      const page1 = await client().send(new DescribeSnapshotsCommand({ MaxResults: 5 }));
      const page2 = await client().send(
        new DescribeSnapshotsCommand({ MaxResults: 5, NextToken: page1.NextToken }),
      );
      assert.deepEqual(
        [
          page1.Snapshots!.map((s) => s.SnapshotId),
          page2.Snapshots!.map((s) => s.SnapshotId),
          page2.NextToken,
        ],
        [all.slice(0, 5), all.slice(5), undefined],
      );
      assert.deepEqual(await ids({ MaxResults: 5000 }), all);
    });

    it("deletes an imported snapshot, but not one an AMI still uses", async () => {
      const { amiSnap, importSnap } = await both();
      const { $metadata: _m, ...out } = await client().send(
        new DeleteSnapshotCommand({ SnapshotId: importSnap }),
      );
      assert.deepEqual(out, {});
      assert.deepEqual(await ids({}), [amiSnap]);
      assert.deepEqual(
        await errorOf(client().send(new DescribeSnapshotsCommand({ SnapshotIds: [importSnap] }))),
        bad("InvalidSnapshot.NotFound", `The snapshot '${importSnap}' does not exist.`),
      );
      assert.equal(
        (await errorOf(client().send(new DeleteSnapshotCommand({ SnapshotId: amiSnap })))).name,
        "InvalidSnapshot.InUse",
      );
    });

    const unknown = "snap-0123456789abcdef0";
    const cases: {
      name: string;
      call: (c: EC2Client) => Promise<unknown>;
      code: string;
      message: string;
    }[] = [
      {
        name: "DescribeSnapshots of an unknown ID",
        call: (c) => c.send(new DescribeSnapshotsCommand({ SnapshotIds: [unknown] })),
        code: "InvalidSnapshot.NotFound",
        message: `The snapshot '${unknown}' does not exist.`,
      },
      {
        name: "DescribeSnapshots of a malformed ID",
        call: (c) => c.send(new DescribeSnapshotsCommand({ SnapshotIds: ["snapshot-1"] })),
        code: "InvalidSnapshotID.Malformed",
        message: 'Invalid id: "snapshot-1" (expecting "snap-...")',
      },
      {
        name: "DescribeSnapshots with SnapshotIds and MaxResults",
        call: (c) =>
          c.send(new DescribeSnapshotsCommand({ SnapshotIds: [unknown], MaxResults: 5 })),
        code: "InvalidParameterCombination",
        message: "The parameter snapshotSet cannot be used with the parameter maxResults",
      },
      {
        name: "DescribeSnapshots with MaxResults 4",
        call: (c) => c.send(new DescribeSnapshotsCommand({ MaxResults: 4 })),
        code: "InvalidParameterValue",
        message:
          "Value (4) for parameter MaxResults is invalid. Expecting a value between 5 and 1000.",
      },
      {
        name: "DescribeSnapshots with an unknown filter",
        call: (c) =>
          c.send(new DescribeSnapshotsCommand({ Filters: [{ Name: "size", Values: ["1"] }] })),
        code: "InvalidParameterValue",
        message: "The filter 'size' is invalid",
      },
      {
        name: "DescribeSnapshots with a forged NextToken",
        call: (c) => c.send(new DescribeSnapshotsCommand({ MaxResults: 5, NextToken: "bogus!" })),
        code: "InvalidPaginationToken",
        message: "The specified pagination token is not valid or is expired.",
      },
      {
        name: "DeleteSnapshot of an unknown ID",
        call: (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: unknown })),
        code: "InvalidSnapshot.NotFound",
        message: `The snapshot '${unknown}' does not exist.`,
      },
      {
        name: "DescribeImportSnapshotTasks of an image task ID",
        call: (c) =>
          c.send(
            new DescribeImportSnapshotTasksCommand({
              ImportTaskIds: ["import-ami-0123456789abcdef0"],
            }),
          ),
        code: "InvalidConversionTaskId.Malformed",
        message:
          'Invalid id: "import-ami-0123456789abcdef0" (expecting "import-snap-xxxxxxxxxxxxxxxxx")',
      },
      {
        name: "CancelImportTask of an unknown snapshot task",
        call: (c) =>
          c.send(new CancelImportTaskCommand({ ImportTaskId: "import-snap-0123456789abcdef0" })),
        code: "InvalidConversionTaskId",
        message: "The conversion task ID 'import-snap-0123456789abcdef0' does not exist.",
      },
      {
        name: "DescribeImportSnapshotTasks with an unknown filter",
        call: (c) =>
          c.send(
            new DescribeImportSnapshotTasksCommand({
              Filters: [{ Name: "status", Values: ["x"] }],
            }),
          ),
        code: "InvalidParameterValue",
        message: "The filter 'status' is invalid",
      },
    ];
    for (const c of cases) {
      it(`answers ${c.code} for ${c.name}`, async () => {
        assert.deepEqual(await errorOf(c.call(client())), bad(c.code, c.message));
      });
    }
  });

  describe("the SDK's snapshot waiters", () => {
    const ctx = useEmulator({ timeScale: 1 });

    it("SnapshotImported and SnapshotCompleted succeed once the import completes", async () => {
      await upload(ctx.emulator, { "data.vmdk": vmdk() });
      const client = ec2(ctx.emulator);
      const id = (await client.send(new ImportSnapshotCommand(dataDisk()))).ImportTaskId!;
      // 1 real ms = 1 emulated s: the 3–13 emulated minutes pass in about a second.
      ctx.emulator.configure({ timeScale: 1000 });
      try {
        const imported = await waitUntilSnapshotImported(
          { client, minDelay: 0.2, maxDelay: 0.5, maxWaitTime: 20 },
          { ImportTaskIds: [id] },
        );
        assert.equal(imported.state, "SUCCESS");
        const snapshotId = (await describeTask(client, id)).SnapshotTaskDetail!.SnapshotId!;
        const completed = await waitUntilSnapshotCompleted(
          { client, minDelay: 0.2, maxDelay: 0.5, maxWaitTime: 5 },
          { SnapshotIds: [snapshotId] },
        );
        assert.equal(completed.state, "SUCCESS");
      } finally {
        ctx.emulator.configure({ timeScale: 1 });
      }
    });
  });

  describe("taskDurationMs and persistence", () => {
    let dataDir: string | undefined;
    let emulator: Emulator | undefined;
    afterEach(async () => {
      await emulator?.stop();
      emulator = undefined;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      dataDir = undefined;
    });

    it("runs a snapshot task for the duration taskDurationMs chooses, reporting its ID", async () => {
      const seen: { service: string; id: string }[] = [];
      emulator = await startEmulator({
        rateLimits: false,
        timeScale: 1e-9,
        taskDurationMs: (task) => {
          seen.push({ service: task.service, id: task.id });
          return 900_000;
        },
      });
      await upload(emulator, { "data.vmdk": vmdk() });
      const client = ec2(emulator);
      const id = (await client.send(new ImportSnapshotCommand(dataDisk()))).ImportTaskId!;
      assert.deepEqual(seen, [{ service: "ec2", id }]);
      advance(emulator, 899);
      assert.equal((await describeTask(client, id)).SnapshotTaskDetail!.Status, "active");
      advance(emulator, 1);
      assert.equal((await describeTask(client, id)).SnapshotTaskDetail!.Status, "completed");
    });

    it("resumes a snapshot task after a restart on the same data dir, and completes it", async () => {
      dataDir = mkdtempSync(join(tmpdir(), "ec2-snapshot-"));
      emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
      await upload(emulator, { "data.vmdk": vmdk() });
      const id = (
        await ec2(emulator).send(new ImportSnapshotCommand(dataDisk({ ClientToken: "t" })))
      ).ImportTaskId!;
      await emulator.stop();
      emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
      const client = ec2(emulator);
      assert.equal((await describeTask(client, id)).SnapshotTaskDetail!.Status, "active");
      advance(emulator, 3600);
      const snapshotId = (await describeTask(client, id)).SnapshotTaskDetail!.SnapshotId!;
      assert.deepEqual(
        (await client.send(new DescribeSnapshotsCommand({}))).Snapshots!.map((s) => s.SnapshotId),
        [snapshotId],
      );
      // The ClientToken survived the restart too.
      const again = await client.send(new ImportSnapshotCommand(dataDisk({ ClientToken: "t" })));
      assert.equal(again.ImportTaskId, id);
    });
  });
});
