import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CancelConversionTaskCommand,
  CancelImportTaskCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DeregisterImageCommand,
  DescribeConversionTasksCommand,
  DescribeImagesCommand,
  type DescribeImagesCommandInput,
  DescribeImportImageTasksCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type ImportImageCommandInput,
  ImportImageCommand,
  type ImportImageTask,
  type ImportInstanceCommandInput,
  ImportInstanceCommand,
  TerminateInstancesCommand,
  waitUntilConversionTaskCompleted,
} from "@aws-sdk/client-ec2";
import { type Emulator, startEmulator } from "../../emulator";
import { errorOf, useEmulator } from "../support/emulator";
import {
  ACCOUNT,
  advance,
  bad,
  BUCKET,
  ec2,
  MANIFEST,
  ova,
  raw,
  upload,
  vhd,
  vhdx,
  vmdk,
} from "./ec2Fixtures";

async function describeTask(client: EC2Client, id: string): Promise<ImportImageTask> {
  const out = await client.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }));
  assert.equal(out.ImportImageTasks?.length, 1);
  return out.ImportImageTasks[0]!;
}

const vmdkImport = (extra: Partial<ImportImageCommandInput> = {}): ImportImageCommandInput => ({
  Description: "web server",
  Architecture: "x86_64",
  Platform: "Linux",
  DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } }],
  ...extra,
});

describe("emulator EC2 VM Import", () => {
  describe("ImportImage with a stopped clock", () => {
    // A near-stopped clock so that each stage is observed by advancing time by hand.
    const ctx = useEmulator({ timeScale: 0.001 });

    it("walks pending → … → preparing ami → completed and registers the AMI with its snapshots", async () => {
      const em = ctx.emulator;
      await upload(em, { "web.vmdk": vmdk(), "data.raw": raw() });
      const client = ec2(em);
      const started = await client.send(
        new ImportImageCommand(
          vmdkImport({
            DiskContainers: [
              { Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } },
              { Format: "RAW", Url: `s3://${BUCKET}/data.raw`, Description: "data" },
            ],
          }),
        ),
      );
      const { $metadata: _m, ImportTaskId, ...rest } = started;
      assert.match(ImportTaskId!, /^import-ami-[0-9a-f]{17}$/);
      assert.deepEqual(rest, {
        Architecture: "x86_64",
        Description: "web server",
        LicenseType: "BYOL",
        Platform: "Linux",
        Progress: "2",
        SnapshotDetails: [
          { Format: "VMDK", Status: "active", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } },
          { Description: "data", Format: "RAW", Status: "active", Url: `s3://${BUCKET}/data.raw` },
        ],
        Status: "active",
        StatusMessage: "pending",
      });

      const seen: string[] = [];
      let task = await describeTask(client, ImportTaskId!);
      for (let i = 0; i < 400 && task.Status === "active"; i++) {
        const step = `${task.Status}/${task.StatusMessage}/${task.Progress}`;
        if (seen[seen.length - 1] !== step) seen.push(step);
        advance(em, 5);
        task = await describeTask(client, ImportTaskId!);
      }
      assert.deepEqual(seen, [
        "active/pending/2",
        "active/validating/5",
        "active/validated/14",
        "active/converting/27",
        "active/updating/43",
        "active/booting/58",
        "active/booted/72",
        "active/preparing ami/86",
      ]);
      const imageId = task.ImageId!;
      assert.match(imageId, /^ami-[0-9a-f]{17}$/);
      const snaps = task.SnapshotDetails!.map((d) => d.SnapshotId!);
      for (const s of snaps) assert.match(s, /^snap-[0-9a-f]{17}$/);
      assert.deepEqual(task, {
        Architecture: "x86_64",
        Description: "web server",
        ImageId: imageId,
        ImportTaskId,
        LicenseType: "BYOL",
        Platform: "Linux",
        SnapshotDetails: [
          {
            DeviceName: "/dev/sda1",
            DiskImageSize: 2048,
            Format: "VMDK",
            SnapshotId: snaps[0],
            Status: "completed",
            UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" },
          },
          {
            Description: "data",
            DeviceName: "/dev/sdb",
            DiskImageSize: 2048,
            Format: "RAW",
            SnapshotId: snaps[1],
            Status: "completed",
            Url: `s3://${BUCKET}/data.raw`,
          },
        ],
        Status: "completed",
      });

      const images = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const image = images.Images![0]!;
      assert.equal(images.Images!.length, 1);
      assert.match(image.CreationDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      assert.deepEqual(
        { ...image, CreationDate: "t" },
        {
          Architecture: "x86_64",
          BlockDeviceMappings: [
            {
              DeviceName: "/dev/sda1",
              Ebs: {
                DeleteOnTermination: true,
                Encrypted: false,
                SnapshotId: snaps[0],
                VolumeSize: 1,
                VolumeType: "gp2",
              },
            },
            {
              DeviceName: "/dev/sdb",
              Ebs: {
                DeleteOnTermination: true,
                Encrypted: false,
                SnapshotId: snaps[1],
                VolumeSize: 1,
                VolumeType: "gp2",
              },
            },
          ],
          CreationDate: "t",
          Description: "web server",
          Hypervisor: "xen",
          ImageId: imageId,
          ImageLocation: `${ACCOUNT}/${ImportTaskId}`,
          ImageType: "machine",
          Name: ImportTaskId,
          OwnerId: ACCOUNT,
          PlatformDetails: "Linux/UNIX",
          Public: false,
          RootDeviceName: "/dev/sda1",
          RootDeviceType: "ebs",
          State: "available",
          UsageOperation: "RunInstances",
          VirtualizationType: "hvm",
        },
      );
    });
  });

  describe("ImportImage", () => {
    // Real-time clock: tests move emulated time by hand, so short windows (30 s teardown) never lapse.
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);

    const cases: { name: string; input: ImportImageCommandInput; error: ReturnType<typeof bad> }[] =
      [
        {
          name: "no disk container",
          input: { Platform: "Linux" },
          error: bad("MissingParameter", "The request must contain the parameter DiskContainer"),
        },
        {
          name: "a disk container without Format",
          input: { DiskContainers: [{ UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } }] },
          error: bad(
            "MissingParameter",
            "The request must contain the parameter DiskContainer.1.Format",
          ),
        },
        {
          name: "an unknown Format",
          input: { DiskContainers: [{ Format: "ISO", Url: `s3://${BUCKET}/a.iso` }] },
          error: bad(
            "InvalidParameterValue",
            "Value (ISO) for parameter DiskContainer.1.Format is invalid. Valid values: OVA, VHD, VHDX, VMDK, RAW",
          ),
        },
        {
          name: "both Url and UserBucket",
          input: {
            DiskContainers: [
              {
                Format: "VMDK",
                Url: `s3://${BUCKET}/a`,
                UserBucket: { S3Bucket: BUCKET, S3Key: "a" },
              },
            ],
          },
          error: bad(
            "InvalidParameterCombination",
            "Specify either DiskContainer.1.Url or DiskContainer.1.UserBucket, not both.",
          ),
        },
        {
          name: "neither Url nor UserBucket",
          input: { DiskContainers: [{ Format: "VMDK" }] },
          error: bad(
            "MissingParameter",
            "The request must contain the parameter DiskContainer.1.UserBucket",
          ),
        },
        {
          name: "a UserBucket without S3Key (second container)",
          input: {
            DiskContainers: [
              { Format: "VMDK", Url: `s3://${BUCKET}/a` },
              { Format: "VMDK", UserBucket: { S3Bucket: BUCKET } },
            ],
          },
          error: bad(
            "MissingParameter",
            "The request must contain the parameter DiskContainer.2.UserBucket.S3Key",
          ),
        },
        {
          name: "a Url that is not https:// or s3://",
          input: { DiskContainers: [{ Format: "VMDK", Url: "ftp://host/a.vmdk" }] },
          error: bad(
            "InvalidParameterValue",
            "Value (ftp://host/a.vmdk) for parameter DiskContainer.1.Url is invalid. The URL must be an https:// or s3:// URL of an Amazon S3 object.",
          ),
        },
        {
          name: "a SnapshotId container",
          input: { DiskContainers: [{ Format: "VMDK", SnapshotId: "snap-0123456789abcdef0" }] },
          error: bad(
            "UnsupportedOperation",
            "DiskContainer.1.SnapshotId is not supported by this emulator; import from S3 (UserBucket or Url).",
          ),
        },
        {
          name: "22 disk containers",
          input: {
            DiskContainers: Array.from({ length: 22 }, (_, i) => ({
              Format: "RAW",
              Url: `s3://${BUCKET}/d${i}`,
            })),
          },
          error: bad(
            "InvalidParameter",
            "A VM can have at most 21 volumes; 22 disk containers were given. Use ImportSnapshot for each disk.",
          ),
        },
        {
          name: "Architecture arm64",
          input: vmdkImport({ Architecture: "arm64" }),
          error: bad(
            "InvalidParameterValue",
            "Value (arm64) for parameter Architecture is invalid. Valid values: i386, x86_64",
          ),
        },
        {
          name: "an unknown Platform",
          input: vmdkImport({ Platform: "Solaris" }),
          error: bad(
            "InvalidParameterValue",
            "Value (Solaris) for parameter Platform is invalid. Valid values: Windows, Linux",
          ),
        },
        {
          name: "an unknown LicenseType",
          input: vmdkImport({ LicenseType: "FREE" }),
          error: bad(
            "InvalidParameterValue",
            "Value (FREE) for parameter LicenseType is invalid. Valid values: AWS, BYOL",
          ),
        },
        {
          name: "BootMode uefi-preferred",
          input: vmdkImport({ BootMode: "uefi-preferred" }),
          error: bad(
            "InvalidParameterValue",
            "Value (uefi-preferred) for parameter BootMode is invalid. uefi-preferred is not supported for import.",
          ),
        },
        {
          name: "a Hypervisor other than xen",
          input: vmdkImport({ Hypervisor: "kvm" }),
          error: bad(
            "InvalidParameterValue",
            "Value (kvm) for parameter Hypervisor is invalid. Valid values: xen",
          ),
        },
        {
          name: "KmsKeyId without Encrypted",
          input: vmdkImport({ KmsKeyId: "alias/imports" }),
          error: bad(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set to true.",
          ),
        },
        {
          name: "KmsKeyId with Encrypted=false",
          input: vmdkImport({ Encrypted: false, KmsKeyId: "alias/imports" }),
          error: bad(
            "InvalidParameterDependency",
            "The parameter KmsKeyId requires the parameter Encrypted to be set to true.",
          ),
        },
        {
          name: "a malformed KmsKeyId",
          input: vmdkImport({ Encrypted: true, KmsKeyId: "my key" }),
          error: bad(
            "InvalidParameterValue",
            "Value (my key) for parameter KmsKeyId is invalid. Specify a key ID, key ARN, alias name or alias ARN.",
          ),
        },
        {
          name: "a RoleName with a space",
          input: vmdkImport({ RoleName: "vm import" }),
          error: bad(
            "InvalidParameterValue",
            "Value (vm import) for parameter RoleName is invalid.",
          ),
        },
        {
          name: "a ClientToken longer than 64 characters",
          input: vmdkImport({ ClientToken: "t".repeat(65) }),
          error: bad(
            "InvalidParameterValue",
            `Value (${"t".repeat(65)}) for parameter ClientToken is invalid. Client tokens are at most 64 ASCII characters.`,
          ),
        },
        {
          name: "a TagSpecification for another resource type",
          input: vmdkImport({
            TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "b" }] }],
          }),
          error: bad(
            "InvalidParameterValue",
            "Value (instance) for parameter TagSpecification.ResourceType is invalid. 'instance' is not a valid taggable resource type for this operation.",
          ),
        },
        {
          name: "a tag key with the reserved aws: prefix",
          input: vmdkImport({
            TagSpecifications: [
              { ResourceType: "import-image-task", Tags: [{ Key: "aws:owner", Value: "b" }] },
            ],
          }),
          error: bad(
            "InvalidParameterValue",
            "Value (aws:owner) for parameter TagSpecification.1.Tag.1.Key is invalid. Tag keys starting with 'aws:' are reserved for internal use.",
          ),
        },
      ];
    for (const c of cases) {
      it(`rejects ${c.name}`, async () => {
        assert.deepEqual(await errorOf(client().send(new ImportImageCommand(c.input))), c.error);
      });
    }

    it("reads a disk through a presigned https URL into the emulator's S3", async () => {
      await upload(ctx.emulator, { "disks/web.vmdk": vmdk() });
      const url = `${ctx.emulator.url}/${BUCKET}/disks/web.vmdk?X-Amz-Expires=3600&X-Amz-Signature=abc`;
      const started = await client().send(
        new ImportImageCommand({ DiskContainers: [{ Format: "VMDK", Url: url }] }),
      );
      advance(ctx.emulator, 3600);
      const task = await describeTask(client(), started.ImportTaskId!);
      assert.deepEqual(
        [task.Status, task.SnapshotDetails![0]!.Url, task.SnapshotDetails![0]!.DiskImageSize],
        ["completed", url, 2048],
      );
    });

    it("answers DryRunOperation (HTTP 412) and creates nothing", async () => {
      assert.deepEqual(
        await errorOf(client().send(new ImportImageCommand(vmdkImport({ DryRun: true })))),
        {
          name: "DryRunOperation",
          message: "Request would have succeeded, but DryRun flag is set.",
          status: 412,
        },
      );
      const out = await client().send(new DescribeImportImageTasksCommand({}));
      assert.deepEqual(out.ImportImageTasks, []);
    });

    it("returns the original task for a repeated ClientToken with the same parameters", async () => {
      const first = await client().send(
        new ImportImageCommand(vmdkImport({ ClientToken: "tok-1" })),
      );
      const again = await client().send(
        new ImportImageCommand(vmdkImport({ ClientToken: "tok-1" })),
      );
      assert.equal(again.ImportTaskId, first.ImportTaskId);
      const other = await client().send(
        new ImportImageCommand(vmdkImport({ ClientToken: "tok-2" })),
      );
      assert.notEqual(other.ImportTaskId, first.ImportTaskId);
      const all = await client().send(new DescribeImportImageTasksCommand({}));
      assert.deepEqual(
        all.ImportImageTasks!.map((t) => t.ImportTaskId),
        [first.ImportTaskId, other.ImportTaskId],
      );
    });

    it("refuses a repeated ClientToken with different parameters", async () => {
      await client().send(new ImportImageCommand(vmdkImport({ ClientToken: "tok-1" })));
      assert.deepEqual(
        await errorOf(
          client().send(
            new ImportImageCommand(vmdkImport({ ClientToken: "tok-1", Description: "other" })),
          ),
        ),
        bad(
          "IdempotentParameterMismatch",
          "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
        ),
      );
    });

    it("keeps tags, license settings, encryption and boot mode on the task and the AMI", async () => {
      await upload(ctx.emulator, { "win.vhdx": vhdx() });
      const started = await client().send(
        new ImportImageCommand({
          Platform: "Windows",
          BootMode: "uefi",
          Encrypted: true,
          KmsKeyId: "alias/imports",
          Hypervisor: "xen",
          LicenseSpecifications: [
            {
              LicenseConfigurationArn:
                "arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-1",
            },
          ],
          TagSpecifications: [
            { ResourceType: "import-image-task", Tags: [{ Key: "wave", Value: "1" }] },
          ],
          DiskContainers: [{ Format: "VHDX", UserBucket: { S3Bucket: BUCKET, S3Key: "win.vhdx" } }],
        }),
      );
      advance(ctx.emulator, 3600);
      const task = await describeTask(client(), started.ImportTaskId!);
      assert.deepEqual(
        { ...task, ImageId: "ami", SnapshotDetails: [] },
        {
          BootMode: "uefi",
          Encrypted: true,
          Hypervisor: "xen",
          ImageId: "ami",
          ImportTaskId: started.ImportTaskId,
          KmsKeyId: "alias/imports",
          LicenseSpecifications: [
            {
              LicenseConfigurationArn:
                "arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-1",
            },
          ],
          LicenseType: "AWS",
          Platform: "Windows",
          SnapshotDetails: [],
          Status: "completed",
          Tags: [{ Key: "wave", Value: "1" }],
        },
      );
      const image = (await client().send(new DescribeImagesCommand({ ImageIds: [task.ImageId!] })))
        .Images![0]!;
      assert.deepEqual(
        [
          image.Platform,
          image.PlatformDetails,
          image.UsageOperation,
          image.BootMode,
          image.BlockDeviceMappings![0]!.Ebs!.Encrypted,
          image.BlockDeviceMappings![0]!.Ebs!.KmsKeyId,
        ],
        ["windows", "Windows", "RunInstances:0002", "uefi", true, "alias/imports"],
      );
    });

    const formats: { format: string; key: string; body: Buffer | string; message?: string }[] = [
      { format: "VMDK", key: "ok.vmdk", body: vmdk() },
      { format: "RAW", key: "ok.raw", body: raw() },
      { format: "VHD", key: "ok.vhd", body: vhd() },
      { format: "VHDX", key: "ok.vhdx", body: vhdx() },
      { format: "OVA", key: "ok.ova", body: ova() },
      {
        format: "VMDK",
        key: "notes.vmdk",
        body: "# Disk DescriptorFile\nversion=1\n",
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "VHD",
        key: "notes.vhd",
        body: "hello",
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "VHDX",
        key: "notes.vhdx",
        body: "vhdx",
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "OVA",
        key: "notes.ova",
        body: Buffer.alloc(1024),
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "RAW",
        key: "odd.raw",
        body: Buffer.alloc(1000),
        message: "ClientError: Disk validation failed [Unsupported specified file format]",
      },
      {
        format: "RAW",
        key: "blank.raw",
        body: Buffer.alloc(1024),
        message: "ClientError: No valid partitions. Not a valid volume.",
      },
      {
        format: "VMDK",
        key: "missing.vmdk",
        body: "",
        message:
          "ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]",
      },
    ];
    for (const f of formats) {
      const outcome = f.message ? `ends deleted with "${f.message}"` : "completes";
      it(`${outcome} for ${f.format} ${f.key}`, async () => {
        await upload(ctx.emulator, f.key === "missing.vmdk" ? {} : { [f.key]: f.body });
        const started = await client().send(
          new ImportImageCommand({
            DiskContainers: [{ Format: f.format, UserBucket: { S3Bucket: BUCKET, S3Key: f.key } }],
          }),
        );
        const id = started.ImportTaskId!;
        if (!f.message) {
          advance(ctx.emulator, 3600);
          const done = await describeTask(client(), id);
          assert.deepEqual(
            [done.Status, done.StatusMessage, done.SnapshotDetails![0]!.Status],
            ["completed", undefined, "completed"],
          );
          return;
        }
        // Validation ends 80–180 s in (pending + validating); the rollback then takes 30 s.
        let task = await describeTask(client(), id);
        while (task.Status === "active") {
          advance(ctx.emulator, 5);
          task = await describeTask(client(), id);
        }
        assert.deepEqual(
          [task.Status, task.StatusMessage, task.Progress, task.ImageId],
          ["deleting", f.message, undefined, undefined],
        );
        advance(ctx.emulator, 30);
        task = await describeTask(client(), id);
        assert.deepEqual(task, {
          ImportTaskId: id,
          LicenseType: "BYOL",
          Platform: "Linux",
          SnapshotDetails: [
            { Format: f.format, Status: "deleted", UserBucket: { S3Bucket: BUCKET, S3Key: f.key } },
          ],
          Status: "deleted",
          StatusMessage: f.message,
        });
        assert.deepEqual((await client().send(new DescribeImagesCommand({}))).Images, []);
      });
    }
  });

  describe("DescribeImportImageTasks and CancelImportTask", () => {
    // Real-time clock: tests move emulated time by hand, so short windows (30 s teardown) never lapse.
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);
    const start = async (): Promise<string> =>
      (await client().send(new ImportImageCommand(vmdkImport()))).ImportTaskId!;

    it("cancels an active task: deleting, then deleted with the reason", async () => {
      const id = await start();
      const { $metadata: _m, ...out } = await client().send(
        new CancelImportTaskCommand({ ImportTaskId: id, CancelReason: "wrong disk" }),
      );
      assert.deepEqual(out, { ImportTaskId: id, PreviousState: "active", State: "deleting" });
      let task = await describeTask(client(), id);
      assert.deepEqual([task.Status, task.StatusMessage], ["deleting", "wrong disk"]);
      advance(ctx.emulator, 30);
      task = await describeTask(client(), id);
      assert.deepEqual([task.Status, task.StatusMessage], ["deleted", "wrong disk"]);
      assert.deepEqual(
        await errorOf(client().send(new CancelImportTaskCommand({ ImportTaskId: id }))),
        {
          name: "DeleteConversionTaskError",
          message: "The conversion task cannot be canceled",
          status: 400,
        },
      );
    });

    it("reports a cancel without a reason as user initiated", async () => {
      const id = await start();
      await client().send(new CancelImportTaskCommand({ ImportTaskId: id }));
      advance(ctx.emulator, 30);
      const task = await describeTask(client(), id);
      assert.deepEqual(
        [task.Status, task.StatusMessage],
        ["deleted", "User initiated task cancelation"],
      );
    });

    it("refuses to cancel a completed task", async () => {
      await upload(ctx.emulator, { "web.vmdk": vmdk() });
      const id = await start();
      advance(ctx.emulator, 3600);
      assert.deepEqual(
        await errorOf(client().send(new CancelImportTaskCommand({ ImportTaskId: id }))),
        {
          name: "DeleteConversionTaskError",
          message: "The conversion task cannot be canceled",
          status: 400,
        },
      );
    });

    it("filters by task-state and pages with MaxResults and NextToken", async () => {
      const ids = [await start(), await start(), await start()];
      await client().send(new CancelImportTaskCommand({ ImportTaskId: ids[1] }));
      const active = await client().send(
        new DescribeImportImageTasksCommand({
          Filters: [{ Name: "task-state", Values: ["active"] }],
        }),
      );
      assert.deepEqual(
        active.ImportImageTasks!.map((t) => t.ImportTaskId),
        [ids[0], ids[2]],
      );
      const deleting = await client().send(
        new DescribeImportImageTasksCommand({
          Filters: [{ Name: "task-state", Values: ["deleting", "deleted"] }],
        }),
      );
      assert.deepEqual(
        deleting.ImportImageTasks!.map((t) => t.ImportTaskId),
        [ids[1]],
      );

      const page1 = await client().send(new DescribeImportImageTasksCommand({ MaxResults: 2 }));
      assert.deepEqual(
        page1.ImportImageTasks!.map((t) => t.ImportTaskId),
        [ids[0], ids[1]],
      );
      const page2 = await client().send(
        new DescribeImportImageTasksCommand({ MaxResults: 2, NextToken: page1.NextToken }),
      );
      assert.deepEqual(
        page2.ImportImageTasks!.map((t) => t.ImportTaskId),
        [ids[2]],
      );
      assert.equal(page2.NextToken, undefined);
    });

    it("forgets completed and deleted tasks 7 days after they end, while the AMI remains", async () => {
      await upload(ctx.emulator, { "web.vmdk": vmdk() });
      const done = await start();
      const cancelled = await start();
      await client().send(new CancelImportTaskCommand({ ImportTaskId: cancelled }));
      advance(ctx.emulator, 3600);
      const imageId = (await describeTask(client(), done)).ImageId!;
      advance(ctx.emulator, 6 * 86400);
      const still = await client().send(new DescribeImportImageTasksCommand({}));
      assert.deepEqual(
        still.ImportImageTasks!.map((t) => [t.ImportTaskId, t.Status]),
        [
          [done, "completed"],
          [cancelled, "deleted"],
        ],
      );
      advance(ctx.emulator, 86400);
      assert.deepEqual(
        (await client().send(new DescribeImportImageTasksCommand({}))).ImportImageTasks,
        [],
      );
      assert.equal(
        (
          await errorOf(
            client().send(new DescribeImportImageTasksCommand({ ImportTaskIds: [done] })),
          )
        ).name,
        "InvalidConversionTaskId",
      );
      const images = await client().send(new DescribeImagesCommand({ Owners: ["self"] }));
      assert.deepEqual(
        images.Images!.map((i) => i.ImageId),
        [imageId],
      );
    });
  });

  describe("DescribeImages, DeregisterImage and DeleteSnapshot", () => {
    // Real-time clock: tests move emulated time by hand, so short windows (30 s teardown) never lapse.
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);
    const importedImage = async (): Promise<{ imageId: string; snapshotId: string }> => {
      await upload(ctx.emulator, { "web.vmdk": vmdk() });
      const id = (await client().send(new ImportImageCommand(vmdkImport()))).ImportTaskId!;
      advance(ctx.emulator, 3600);
      const task = await describeTask(client(), id);
      return { imageId: task.ImageId!, snapshotId: task.SnapshotDetails![0]!.SnapshotId! };
    };

    it("shows the AMI to its owner and filters by name, state and architecture", async () => {
      const { imageId } = await importedImage();
      const ids = async (input: DescribeImagesCommandInput): Promise<string[]> =>
        (await client().send(new DescribeImagesCommand(input))).Images!.map((i) => i.ImageId!);
      assert.deepEqual(await ids({}), [imageId]);
      assert.deepEqual(await ids({ Owners: [ACCOUNT] }), [imageId]);
      assert.deepEqual(await ids({ Owners: ["amazon"] }), []);
      assert.deepEqual(await ids({ Filters: [{ Name: "name", Values: ["import-ami-*"] }] }), [
        imageId,
      ]);
      assert.deepEqual(
        await ids({
          Filters: [
            { Name: "state", Values: ["available"] },
            { Name: "architecture", Values: ["x86_64"] },
          ],
        }),
        [imageId],
      );
      assert.deepEqual(await ids({ Filters: [{ Name: "architecture", Values: ["i386"] }] }), []);
      assert.deepEqual(
        await errorOf(
          client().send(
            new DescribeImagesCommand({ ImageIds: [imageId, "ami-0123456789abcdef0"] }),
          ),
        ),
        {
          name: "InvalidAMIID.NotFound",
          message: "The image id '[ami-0123456789abcdef0]' does not exist",
          status: 400,
        },
      );
    });

    it("refuses to delete a snapshot the AMI uses, and deletes it after DeregisterImage", async () => {
      const { imageId, snapshotId } = await importedImage();
      assert.deepEqual(
        await errorOf(client().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }))),
        {
          name: "InvalidSnapshot.InUse",
          message: `The snapshot ${snapshotId} is currently in use by ${imageId}`,
          status: 400,
        },
      );
      const { $metadata: _m, ...dereg } = await client().send(
        new DeregisterImageCommand({ ImageId: imageId }),
      );
      assert.deepEqual(dereg, { Return: true });
      assert.deepEqual((await client().send(new DescribeImagesCommand({}))).Images, []);
      assert.deepEqual(
        await errorOf(client().send(new DeregisterImageCommand({ ImageId: imageId }))),
        {
          name: "InvalidAMIID.NotFound",
          message: `The image id '[${imageId}]' does not exist`,
          status: 400,
        },
      );
      await client().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
      assert.deepEqual(
        await errorOf(client().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }))),
        {
          name: "InvalidSnapshot.NotFound",
          message: `The snapshot '${snapshotId}' does not exist.`,
          status: 400,
        },
      );
    });

    it("deletes the snapshots with the AMI when DeleteAssociatedSnapshots is set", async () => {
      const { imageId, snapshotId } = await importedImage();
      const { $metadata: _m, ...dereg } = await client().send(
        new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true }),
      );
      assert.deepEqual(dereg, {
        Return: true,
        DeleteSnapshotResults: [{ SnapshotId: snapshotId, ReturnCode: "success" }],
      });
      assert.equal(
        (await errorOf(client().send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })))).name,
        "InvalidSnapshot.NotFound",
      );
    });
  });

  describe("ImportInstance and conversion tasks", () => {
    // Real-time clock: tests move emulated time by hand, so short windows (30 s teardown) never lapse.
    const ctx = useEmulator({ timeScale: 1 });
    const client = (region?: string): EC2Client => ec2(ctx.emulator, region);
    const manifestUrl = (key: string): string =>
      `${ctx.emulator.url}/${BUCKET}/${key}?AWSAccessKeyId=test&Expires=1294855591&Signature=abc%3D`;
    const instanceInput = (
      extra: Partial<ImportInstanceCommandInput> = {},
    ): ImportInstanceCommandInput => ({
      Platform: "Windows",
      Description: "dc01",
      LaunchSpecification: { Architecture: "x86_64", InstanceType: "m5.large" },
      DiskImages: [
        {
          Image: {
            Format: "VMDK",
            Bytes: 1179593728,
            ImportManifestUrl: manifestUrl("dc01.manifest.xml"),
          },
          Volume: { Size: 12 },
        },
      ],
      ...extra,
    });
    const disk = (image: Record<string, unknown>, volume: Record<string, unknown> = { Size: 12 }) =>
      instanceInput({ DiskImages: [{ Image: image, Volume: volume } as never] });

    const cases: {
      name: string;
      input: () => ImportInstanceCommandInput;
      error: ReturnType<typeof bad>;
    }[] = [
      {
        name: "a missing Platform",
        input: () => {
          const { Platform: _p, ...rest } = instanceInput();
          return rest as ImportInstanceCommandInput;
        },
        error: bad("MissingParameter", "The request must contain the parameter Platform"),
      },
      {
        name: "a Platform other than Windows",
        input: () => instanceInput({ Platform: "Linux" as "Windows" }),
        error: bad(
          "InvalidParameterValue",
          "Value (Linux) for parameter Platform is invalid. Valid values: Windows",
        ),
      },
      {
        name: "no disk image",
        input: () => instanceInput({ DiskImages: [] }),
        error: bad("MissingParameter", "The request must contain the parameter DiskImage"),
      },
      {
        name: "two disk images",
        input: () =>
          instanceInput({
            DiskImages: [instanceInput().DiskImages![0]!, instanceInput().DiskImages![0]!],
          }),
        error: bad(
          "InvalidParameterCombination",
          "ImportInstance supports single-volume VMs only, and 2 disk images were given. Use ImportImage for multi-volume VMs.",
        ),
      },
      {
        name: "a missing Image.Format",
        input: () => disk({ Bytes: 10, ImportManifestUrl: manifestUrl("m") }),
        error: bad(
          "MissingParameter",
          "The request must contain the parameter DiskImage.1.Image.Format",
        ),
      },
      {
        name: "Image.Format OVA",
        input: () => disk({ Format: "OVA", Bytes: 10, ImportManifestUrl: manifestUrl("m") }),
        error: bad(
          "InvalidParameterValue",
          "Value (OVA) for parameter DiskImage.1.Image.Format is invalid. Valid values: VMDK, RAW, VHD",
        ),
      },
      {
        name: "a missing Image.Bytes",
        input: () => disk({ Format: "RAW", ImportManifestUrl: manifestUrl("m") }),
        error: bad(
          "MissingParameter",
          "The request must contain the parameter DiskImage.1.Image.Bytes",
        ),
      },
      {
        name: "Image.Bytes 0",
        input: () => disk({ Format: "RAW", Bytes: 0, ImportManifestUrl: manifestUrl("m") }),
        error: bad("InvalidParameter", "Parameter disk-image-size=0 has an invalid format"),
      },
      {
        name: "a missing Image.ImportManifestUrl",
        input: () => disk({ Format: "RAW", Bytes: 10 }),
        error: bad(
          "MissingParameter",
          "The request must contain the parameter DiskImage.1.Image.ImportManifestUrl",
        ),
      },
      {
        name: "an ImportManifestUrl that names no S3 object",
        input: () => disk({ Format: "RAW", Bytes: 10, ImportManifestUrl: "manifest.xml" }),
        error: bad(
          "InvalidParameterValue",
          "Value (manifest.xml) for parameter DiskImage.1.Image.ImportManifestUrl is invalid. The import manifest URL must be a presigned URL of an Amazon S3 object.",
        ),
      },
      {
        name: "a missing Volume.Size",
        input: () => disk({ Format: "RAW", Bytes: 10, ImportManifestUrl: manifestUrl("m") }, {}),
        error: bad(
          "MissingParameter",
          "The request must contain the parameter DiskImage.1.Volume.Size",
        ),
      },
      {
        name: "a volume smaller than the image",
        input: () =>
          disk(
            { Format: "RAW", Bytes: 3 * 2 ** 30, ImportManifestUrl: manifestUrl("m") },
            { Size: 2 },
          ),
        error: bad(
          "InvalidParameterCombination",
          "The volume size 2 GiB is smaller than the disk image (3221225472 bytes).",
        ),
      },
      {
        name: "Architecture arm64",
        input: () => instanceInput({ LaunchSpecification: { Architecture: "arm64" } }),
        error: bad(
          "InvalidParameterValue",
          "Value (arm64) for parameter LaunchSpecification.Architecture is invalid. Valid values: i386, x86_64",
        ),
      },
      {
        name: "a malformed InstanceType",
        input: () =>
          instanceInput({ LaunchSpecification: { InstanceType: "large" as "m5.large" } }),
        error: bad(
          "InvalidParameterValue",
          "Value (large) for parameter LaunchSpecification.InstanceType is invalid.",
        ),
      },
      {
        name: "host tenancy",
        input: () => instanceInput({ LaunchSpecification: { Placement: { Tenancy: "host" } } }),
        error: bad(
          "InvalidParameterCombination",
          "ImportInstance does not support host tenancy, Placement.HostId or Placement.Affinity.",
        ),
      },
      {
        name: "an availability zone of another region",
        input: () =>
          instanceInput({ LaunchSpecification: { Placement: { AvailabilityZone: "us-east-1a" } } }),
        error: bad("InvalidParameterValue", "Invalid availability zone: [us-east-1a]"),
      },
      {
        name: "an unknown shutdown behavior",
        input: () =>
          instanceInput({
            LaunchSpecification: { InstanceInitiatedShutdownBehavior: "hibernate" as "stop" },
          }),
        error: bad(
          "InvalidParameterValue",
          "Value (hibernate) for parameter LaunchSpecification.InstanceInitiatedShutdownBehavior is invalid. Valid values: stop, terminate",
        ),
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.name}`, async () => {
        assert.deepEqual(
          await errorOf(client().send(new ImportInstanceCommand(c.input()))),
          c.error,
        );
      });
    }

    it("is not offered outside its fixed list of regions", async () => {
      assert.deepEqual(
        await errorOf(client("eu-north-1").send(new ImportInstanceCommand(instanceInput()))),
        {
          name: "UnsupportedOperation",
          message:
            "ImportInstance is not supported in the eu-north-1 Region. Use ImportImage instead.",
          status: 400,
        },
      );
    });

    it("answers DryRunOperation (HTTP 412)", async () => {
      assert.deepEqual(
        await errorOf(client().send(new ImportInstanceCommand(instanceInput({ DryRun: true })))),
        {
          name: "DryRunOperation",
          message: "Request would have succeeded, but DryRun flag is set.",
          status: 412,
        },
      );
    });

    it("returns an active conversion task that the SDK waiter sees completed", async () => {
      await upload(ctx.emulator, { "dc01.manifest.xml": MANIFEST });
      const { ConversionTask: task } = await client().send(
        new ImportInstanceCommand(instanceInput()),
      );
      const id = task!.ConversionTaskId!;
      assert.match(id, /^import-i-[0-9a-f]{8}$/);
      const ii = task!.ImportInstance!;
      assert.match(ii.InstanceId!, /^i-[0-9a-f]{17}$/);
      const volumeId = ii.Volumes![0]!.Volume!.Id!;
      assert.match(volumeId, /^vol-[0-9a-f]{17}$/);
      assert.match(task!.ExpirationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      const volume = {
        AvailabilityZone: "us-west-2a",
        Image: {
          Format: "VMDK",
          ImportManifestUrl: manifestUrl("dc01.manifest.xml"),
          Size: 1179593728,
        },
        Volume: { Id: volumeId, Size: 12 },
      };
      assert.deepEqual(task, {
        ConversionTaskId: id,
        ExpirationTime: task!.ExpirationTime,
        ImportInstance: {
          Description: "dc01",
          InstanceId: ii.InstanceId,
          Platform: "Windows",
          Volumes: [{ ...volume, BytesConverted: 0, Status: "active" }],
        },
        State: "active",
      });

      // 1 real ms = 1 emulated s: the 6–16 emulated minutes of validation and conversion pass in about a second.
      ctx.emulator.configure({ timeScale: 1000 });
      const result = await waitUntilConversionTaskCompleted(
        { client: client(), minDelay: 0.2, maxDelay: 0.5, maxWaitTime: 20 },
        { ConversionTaskIds: [id] },
      ).finally(() => ctx.emulator.configure({ timeScale: 1 }));
      assert.equal(result.state, "SUCCESS");
      const described = await client().send(
        new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }),
      );
      assert.deepEqual(described.ConversionTasks, [
        {
          ConversionTaskId: id,
          ExpirationTime: task.ExpirationTime,
          ImportInstance: {
            Description: "dc01",
            InstanceId: ii.InstanceId,
            Platform: "Windows",
            Volumes: [{ ...volume, BytesConverted: 1179593728, Status: "completed" }],
          },
          State: "completed",
        },
      ]);
      assert.deepEqual(
        await errorOf(client().send(new CancelConversionTaskCommand({ ConversionTaskId: id }))),
        bad("DeleteConversionTaskError", "The conversion task cannot be canceled"),
      );
    });

    it("advances bytesConverted with a Progress message while converting", async () => {
      await upload(ctx.emulator, { "dc01.manifest.xml": MANIFEST });
      const id = (await client().send(new ImportInstanceCommand(instanceInput()))).ConversionTask!
        .ConversionTaskId!;
      advance(ctx.emulator, 90);
      const samples: number[] = [];
      let t = (await client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] })))
        .ConversionTasks![0]!;
      while (t.State === "active") {
        const v = t.ImportInstance!.Volumes![0]!;
        samples.push(v.BytesConverted!);
        assert.equal(
          t.StatusMessage,
          `Progress: ${Math.floor((v.BytesConverted! / 1179593728) * 100)}%`,
        );
        advance(ctx.emulator, 60);
        t = (await client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] })))
          .ConversionTasks![0]!;
      }
      assert.equal(t.State, "completed");
      assert.ok(samples.length >= 5, `only ${samples.length} samples`);
      assert.deepEqual(
        samples,
        [...samples].sort((a, b) => a - b),
      );
      assert.ok(samples[0]! < samples[samples.length - 1]!);
    });

    const failures: { name: string; files: Record<string, string>; message: string }[] = [
      {
        name: "a missing manifest",
        files: {},
        message:
          "ClientError: Import manifest validation failed [We do not have access to the given resource. Reason 403 Forbidden]",
      },
      {
        name: "a manifest that is not a VM Import manifest",
        files: { "dc01.manifest.xml": "name,size\n" },
        message: "ClientError: Import manifest validation failed [Invalid manifest file]",
      },
    ];
    for (const f of failures) {
      it(`ends cancelled for ${f.name}, which fails the SDK waiter`, async () => {
        await upload(ctx.emulator, f.files);
        const id = (await client().send(new ImportInstanceCommand(instanceInput()))).ConversionTask!
          .ConversionTaskId!;
        advance(ctx.emulator, 90);
        const t = (
          await client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }))
        ).ConversionTasks![0]!;
        assert.deepEqual(
          [
            t.State,
            t.StatusMessage,
            t.ImportInstance!.Volumes![0]!.Status,
            t.ImportInstance!.Volumes![0]!.StatusMessage,
          ],
          ["cancelled", f.message, "cancelled", f.message],
        );
        await assert.rejects(
          waitUntilConversionTaskCompleted(
            { client: client(), minDelay: 0.2, maxDelay: 0.5, maxWaitTime: 5 },
            { ConversionTaskIds: [id] },
          ),
          (err: Error) => (JSON.parse(err.message) as { state: string }).state === "FAILURE",
        );
      });
    }

    it("cancels an active task: cancelling, then cancelled with the reason", async () => {
      const id = (await client().send(new ImportInstanceCommand(instanceInput()))).ConversionTask!
        .ConversionTaskId!;
      const { $metadata: _m, ...out } = await client().send(
        new CancelConversionTaskCommand({ ConversionTaskId: id, ReasonMessage: "wrong VM" }),
      );
      assert.deepEqual(out, {});
      let t = (await client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] })))
        .ConversionTasks![0]!;
      assert.deepEqual([t.State, t.StatusMessage], ["cancelling", "wrong VM"]);
      advance(ctx.emulator, 30);
      t = (await client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] })))
        .ConversionTasks![0]!;
      assert.deepEqual([t.State, t.StatusMessage], ["cancelled", "wrong VM"]);
      assert.deepEqual(
        await errorOf(client().send(new CancelConversionTaskCommand({ ConversionTaskId: id }))),
        bad("DeleteConversionTaskError", "The conversion task cannot be canceled"),
      );
    });

    it("lists all tasks and forgets finished ones 7 days after they end", async () => {
      await upload(ctx.emulator, { "dc01.manifest.xml": MANIFEST });
      const a = (await client().send(new ImportInstanceCommand(instanceInput()))).ConversionTask!
        .ConversionTaskId!;
      const b = (await client().send(new ImportInstanceCommand(instanceInput()))).ConversionTask!
        .ConversionTaskId!;
      await client().send(new CancelConversionTaskCommand({ ConversionTaskId: b }));
      advance(ctx.emulator, 3600);
      const listed = await client().send(new DescribeConversionTasksCommand({}));
      assert.deepEqual(
        listed.ConversionTasks!.map((t) => [t.ConversionTaskId, t.State]),
        [
          [a, "completed"],
          [b, "cancelled"],
        ],
      );
      advance(ctx.emulator, 7 * 86400);
      assert.deepEqual(
        (await client().send(new DescribeConversionTasksCommand({}))).ConversionTasks,
        [],
      );
      assert.equal(
        (
          await errorOf(
            client().send(new DescribeConversionTasksCommand({ ConversionTaskIds: [a] })),
          )
        ).name,
        "InvalidConversionTaskId",
      );
    });
  });

  describe("the instance and volume a finished ImportInstance leaves", () => {
    const ctx = useEmulator({ timeScale: 1 });
    const client = (): EC2Client => ec2(ctx.emulator);
    const start = async (): Promise<{ id: string; instanceId: string; volumeId: string }> => {
      await upload(ctx.emulator, { "dc01.manifest.xml": MANIFEST });
      const task = (
        await client().send(
          new ImportInstanceCommand({
            Platform: "Windows",
            LaunchSpecification: { InstanceType: "m5.large", Architecture: "x86_64" },
            DiskImages: [
              {
                Image: {
                  Format: "VMDK",
                  Bytes: 1179593728,
                  ImportManifestUrl: `${ctx.emulator.url}/${BUCKET}/dc01.manifest.xml?AWSAccessKeyId=test&Expires=1294855591&Signature=abc%3D`,
                },
                Volume: { Size: 12 },
              },
            ],
          }),
        )
      ).ConversionTask!;
      return {
        id: task.ConversionTaskId!,
        instanceId: task.ImportInstance!.InstanceId!,
        volumeId: task.ImportInstance!.Volumes![0]!.Volume!.Id!,
      };
    };
    const instanceState = async (id: string): Promise<string | undefined> => {
      const out = await client().send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    };

    it("exists only once the conversion completed: a stopped instance with the volume attached", async () => {
      const { instanceId, volumeId } = await start();
      assert.deepEqual(
        await errorOf(client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))),
        {
          name: "InvalidInstanceID.NotFound",
          message: `The instance ID '${instanceId}' does not exist`,
          status: 400,
        },
      );
      advance(ctx.emulator, 3600);
      const out = await client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      const instance = out.Reservations![0]!.Instances![0]!;
      assert.deepEqual(
        {
          id: instance.InstanceId,
          state: instance.State,
          type: instance.InstanceType,
          platform: instance.Platform,
          devices: instance.BlockDeviceMappings!.map((b) => [
            b.DeviceName,
            b.Ebs?.VolumeId,
            b.Ebs?.Status,
          ]),
        },
        {
          id: instanceId,
          state: { Code: 80, Name: "stopped" },
          type: "m5.large",
          platform: "windows",
          devices: [["/dev/sda1", volumeId, "attached"]],
        },
      );
      const volumes = await client().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
      assert.deepEqual(
        volumes.Volumes!.map((v) => [v.VolumeId, v.Size, v.State, v.Attachments?.[0]?.InstanceId]),
        [[volumeId, 12, "in-use", instanceId]],
      );
      assert.deepEqual(
        await errorOf(client().send(new DeleteVolumeCommand({ VolumeId: volumeId }))),
        {
          name: "VolumeInUse",
          message: `Volume ${volumeId} is currently attached to ${instanceId}`,
          status: 400,
        },
      );
    });

    it("outlives the conversion task record (7-day retention)", async () => {
      const { instanceId } = await start();
      advance(ctx.emulator, 8 * 86400);
      assert.deepEqual(
        (await client().send(new DescribeConversionTasksCommand({}))).ConversionTasks,
        [],
      );
      assert.equal(await instanceState(instanceId), "stopped");
    });

    it("terminates (shutting-down, then terminated), releases the volume, which can then be deleted", async () => {
      const { instanceId, volumeId } = await start();
      advance(ctx.emulator, 3600);
      const out = await client().send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
      assert.deepEqual(out.TerminatingInstances, [
        {
          InstanceId: instanceId,
          CurrentState: { Code: 32, Name: "shutting-down" },
          PreviousState: { Code: 80, Name: "stopped" },
        },
      ]);
      assert.equal(await instanceState(instanceId), "shutting-down");
      advance(ctx.emulator, 30);
      assert.equal(await instanceState(instanceId), "terminated");
      const volumes = await client().send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
      assert.equal(volumes.Volumes![0]!.State, "available");
      await client().send(new DeleteVolumeCommand({ VolumeId: volumeId }));
      assert.deepEqual(
        await errorOf(client().send(new DeleteVolumeCommand({ VolumeId: volumeId }))),
        {
          name: "InvalidVolume.NotFound",
          message: `The volume '${volumeId}' does not exist.`,
          status: 400,
        },
      );
      // Terminated instances stay visible for about an hour, then are gone.
      advance(ctx.emulator, 3601);
      assert.equal(
        (await errorOf(client().send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))))
          .name,
        "InvalidInstanceID.NotFound",
      );
    });
  });

  describe("errors that need no state", () => {
    const ctx = useEmulator({ timeScale: 1 });
    const unknownAmiTask = "import-ami-0123456789abcdef0";
    const cases: {
      name: string;
      call: (c: EC2Client) => Promise<unknown>;
      code: string;
      message: string;
    }[] = [
      {
        name: "CancelImportTask of an unknown image task",
        call: (c) => c.send(new CancelImportTaskCommand({ ImportTaskId: unknownAmiTask })),
        code: "InvalidConversionTaskId",
        message: `The conversion task ID '${unknownAmiTask}' does not exist.`,
      },
      {
        name: "DescribeImportImageTasks of an unknown task",
        call: (c) =>
          c.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [unknownAmiTask] })),
        code: "InvalidConversionTaskId",
        message: `The conversion task ID '${unknownAmiTask}' does not exist.`,
      },
      {
        name: "CancelImportTask of a malformed ID",
        call: (c) => c.send(new CancelImportTaskCommand({ ImportTaskId: "ami-1" })),
        code: "InvalidConversionTaskId.Malformed",
        message: 'Invalid id: "ami-1" (expecting "import-ami-xxxxxxxxxxxxxxxxx")',
      },
      {
        name: "DescribeImportImageTasks of a malformed ID",
        call: (c) => c.send(new DescribeImportImageTasksCommand({ ImportTaskIds: ["ami-1"] })),
        code: "InvalidConversionTaskId.Malformed",
        message: 'Invalid id: "ami-1" (expecting "import-ami-xxxxxxxxxxxxxxxxx")',
      },
      {
        name: "CancelImportTask without ImportTaskId",
        call: (c) => c.send(new CancelImportTaskCommand({})),
        code: "MissingParameter",
        message: "The request must contain the parameter ImportTaskId",
      },
      {
        name: "DescribeImportImageTasks with an unknown filter",
        call: (c) =>
          c.send(
            new DescribeImportImageTasksCommand({ Filters: [{ Name: "status", Values: ["x"] }] }),
          ),
        code: "InvalidParameterValue",
        message: "The filter 'status' is invalid",
      },
      {
        name: "DescribeImportImageTasks with a forged NextToken",
        call: (c) => c.send(new DescribeImportImageTasksCommand({ NextToken: "bogus!" })),
        code: "InvalidPaginationToken",
        message: "The specified pagination token is not valid or is expired.",
      },
      {
        name: "DescribeImportImageTasks with MaxResults 0",
        call: (c) => c.send(new DescribeImportImageTasksCommand({ MaxResults: 0 })),
        code: "InvalidParameterValue",
        message: "Value (0) for parameter MaxResults is invalid.",
      },
      {
        name: "DescribeConversionTasks of an unknown task",
        call: (c) =>
          c.send(new DescribeConversionTasksCommand({ ConversionTaskIds: ["import-i-0000ffff"] })),
        code: "InvalidConversionTaskId",
        message: "The conversion task ID 'import-i-0000ffff' does not exist.",
      },
      {
        name: "CancelConversionTask of a malformed ID",
        call: (c) => c.send(new CancelConversionTaskCommand({ ConversionTaskId: "i-0000ffff" })),
        code: "InvalidConversionTaskId.Malformed",
        message: 'Invalid id: "i-0000ffff" (expecting "import-i-xxxxxxxx")',
      },
      {
        name: "DescribeImages with an unknown filter",
        call: (c) =>
          c.send(new DescribeImagesCommand({ Filters: [{ Name: "kernel-id", Values: ["x"] }] })),
        code: "InvalidParameterValue",
        message: "The filter 'kernel-id' is invalid",
      },
      {
        name: "DescribeImages of an unknown AMI",
        call: (c) => c.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })),
        code: "InvalidAMIID.NotFound",
        message: "The image id '[ami-0123456789abcdef0]' does not exist",
      },
      {
        name: "DescribeImages of a malformed ID",
        call: (c) => c.send(new DescribeImagesCommand({ ImageIds: ["web"] })),
        code: "InvalidAMIID.Malformed",
        message: 'Invalid id: "web" (expecting "ami-...")',
      },
      {
        name: "DeregisterImage of an unknown AMI",
        call: (c) => c.send(new DeregisterImageCommand({ ImageId: "ami-0123456789abcdef0" })),
        code: "InvalidAMIID.NotFound",
        message: "The image id '[ami-0123456789abcdef0]' does not exist",
      },
      {
        name: "DeleteSnapshot of a malformed ID",
        call: (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: "vol-1" })),
        code: "InvalidSnapshotID.Malformed",
        message: 'Invalid id: "vol-1" (expecting "snap-...")',
      },
      {
        name: "DeleteSnapshot of an unknown snapshot",
        call: (c) => c.send(new DeleteSnapshotCommand({ SnapshotId: "snap-0123456789abcdef0" })),
        code: "InvalidSnapshot.NotFound",
        message: "The snapshot 'snap-0123456789abcdef0' does not exist.",
      },
      {
        name: "TerminateInstances of a malformed ID",
        call: (c) => c.send(new TerminateInstancesCommand({ InstanceIds: ["web"] })),
        code: "InvalidInstanceID.Malformed",
        message: 'Invalid id: "web"',
      },
      {
        name: "DescribeInstances of two unknown instances",
        call: (c) =>
          c.send(
            new DescribeInstancesCommand({
              InstanceIds: ["i-0123456789abcdef0", "i-0123456789abcdef1"],
            }),
          ),
        code: "InvalidInstanceID.NotFound",
        message: "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist",
      },
      {
        name: "DeleteVolume of a malformed ID",
        call: (c) => c.send(new DeleteVolumeCommand({ VolumeId: "v-1" })),
        code: "InvalidVolumeID.Malformed",
        message: 'Invalid id: "v-1" (expecting "vol-...")',
      },
      {
        name: "DescribeVolumes of an unknown volume",
        call: (c) => c.send(new DescribeVolumesCommand({ VolumeIds: ["vol-0123456789abcdef0"] })),
        code: "InvalidVolume.NotFound",
        message: "The volume 'vol-0123456789abcdef0' does not exist.",
      },
    ];
    for (const c of cases) {
      it(`answers ${c.code} for ${c.name}`, async () => {
        assert.deepEqual(await errorOf(c.call(ec2(ctx.emulator))), bad(c.code, c.message));
      });
    }
  });

  describe("persistence", () => {
    it("resumes an import task after a restart on the same data dir, and completes it", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "ec2-emulator-"));
      let emulator: Emulator | undefined;
      try {
        emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
        await upload(emulator, { "web.vmdk": vmdk() });
        const id = (await ec2(emulator).send(new ImportImageCommand(vmdkImport()))).ImportTaskId!;
        const conv = (
          await ec2(emulator).send(
            new ImportInstanceCommand({
              Platform: "Windows",
              DiskImages: [
                {
                  Image: {
                    Format: "RAW",
                    Bytes: 1024,
                    ImportManifestUrl: `s3://${BUCKET}/none.xml`,
                  },
                  Volume: { Size: 1 },
                },
              ],
            }),
          )
        ).ConversionTask!.ConversionTaskId!;
        await emulator.stop();
        emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
        assert.equal((await describeTask(ec2(emulator), id)).Status, "active");
        advance(emulator, 3600);
        const task = await describeTask(ec2(emulator), id);
        assert.equal(task.Status, "completed");
        const images = await ec2(emulator).send(new DescribeImagesCommand({}));
        assert.deepEqual(
          images.Images!.map((i) => i.ImageId),
          [task.ImageId],
        );
        const c = await ec2(emulator).send(
          new DescribeConversionTasksCommand({ ConversionTaskIds: [conv] }),
        );
        assert.equal(c.ConversionTasks![0]!.State, "cancelled");
      } finally {
        await emulator?.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
