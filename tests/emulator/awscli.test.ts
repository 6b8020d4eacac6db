import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EC2Client, ImportInstanceCommand } from "@aws-sdk/client-ec2";
import { awsCli, type CliKeys, type CliResult } from "../support/awscli";
import { clientConfig, useEmulator } from "../support/emulator";

/** Exit status and stdout JSON of a call that must succeed. */
function ok(res: CliResult): unknown {
  assert.equal(res.code, 0, res.stderr);
  return res.json;
}

/** The CLI's one-line report of a service error. */
function failed(res: CliResult, code: string, operation: string): void {
  assert.equal(res.code, 255, res.stdout);
  assert.match(
    res.stderr,
    new RegExp(`An error occurred \\(${code}\\) when calling the ${operation} operation`),
  );
}

/**
 * Cross-checks the emulator with a second, independent client: the AWS CLI, whose botocore layer
 * validates each request and parses each response against AWS's own service models — for every
 * service the emulator answers (ADS, MGN, Migration Hub and its Config, EC2 VM Import, S3).
 */
describe("emulator through the AWS CLI (botocore)", function () {
  // A hang guard, not a speed assertion: each case runs a dozen CLI processes (Python start-up each).
  this.timeout(180_000);
  const ctx = useEmulator({ timeScale: 1 });

  describe("Migration Hub and Migration Hub Config", () => {
    it("sets the home region, then runs a migration task's life cycle", async () => {
      const control = await awsCli(ctx.emulator, [
        "migrationhub-config",
        "create-home-region-control",
        "--home-region",
        "us-west-2",
        "--target",
        "Type=ACCOUNT",
      ]);
      assert.equal(control.code, 0, control.stderr);
      const hrc = (
        control.json as {
          HomeRegionControl: { ControlId: string; HomeRegion: string; Target: unknown };
        }
      ).HomeRegionControl;
      assert.match(hrc.ControlId, /^hrc-[a-z0-9]{12}$/);
      assert.equal(hrc.HomeRegion, "us-west-2");
      assert.deepEqual(
        (await awsCli(ctx.emulator, ["migrationhub-config", "get-home-region"])).json,
        { HomeRegion: "us-west-2" },
      );

      assert.equal(
        (
          await awsCli(ctx.emulator, [
            "mgh",
            "create-progress-update-stream",
            "--progress-update-stream-name",
            "tool-a",
          ])
        ).code,
        0,
      );
      const key = ["--progress-update-stream", "tool-a", "--migration-task-name", "srv-1"];
      assert.equal((await awsCli(ctx.emulator, ["mgh", "import-migration-task", ...key])).code, 0);
      const notify = await awsCli(ctx.emulator, [
        "mgh",
        "notify-migration-task-state",
        ...key,
        "--task",
        "Status=IN_PROGRESS,ProgressPercent=40,StatusDetail=copying",
        "--update-date-time",
        "2026-01-01T00:00:00Z",
        "--next-update-seconds",
        "60",
      ]);
      assert.equal(notify.code, 0, notify.stderr);
      const described = await awsCli(ctx.emulator, ["mgh", "describe-migration-task", ...key]);
      assert.equal(described.code, 0, described.stderr);
      assert.deepEqual(described.json, {
        MigrationTask: {
          ProgressUpdateStream: "tool-a",
          MigrationTaskName: "srv-1",
          Task: { Status: "IN_PROGRESS", StatusDetail: "copying", ProgressPercent: 40 },
          UpdateDateTime: 1767225600, // CLI v1 prints timestamps as sent (epoch seconds)
          ResourceAttributeList: [],
        },
      });
      const listed = await awsCli(ctx.emulator, ["mgh", "list-migration-tasks"]);
      assert.deepEqual(
        (
          listed.json as {
            MigrationTaskSummaryList: { MigrationTaskName: string; Status: string }[];
          }
        ).MigrationTaskSummaryList.map((t) => [t.MigrationTaskName, t.Status]),
        [["srv-1", "IN_PROGRESS"]],
      );
    });

    it("reports ResourceNotFoundException for an unknown task", async () => {
      ctx.emulator.configure({ homeRegion: "us-west-2" });
      const res = await awsCli(ctx.emulator, [
        "mgh",
        "describe-migration-task",
        "--progress-update-stream",
        "nope",
        "--migration-task-name",
        "x",
      ]);
      assert.equal(res.code, 255);
      assert.match(
        res.stderr,
        /An error occurred \(ResourceNotFoundException\) when calling the DescribeMigrationTask operation/,
      );
    });
  });

  describe("S3", () => {
    it("creates a bucket, puts, heads, lists, gets and deletes an object, and reports NoSuchKey", async () => {
      const dir = mkdtempSync(join(tmpdir(), "awscli-s3-"));
      try {
        writeFileSync(join(dir, "servers.csv"), "ExternalId,HostName\ncmdb-1,web-1\n");
        assert.deepEqual(
          ok(await awsCli(ctx.emulator, ["s3api", "create-bucket", "--bucket", "imports"])),
          { Location: "/imports" },
        );
        const put = ok(
          await awsCli(ctx.emulator, [
            "s3api",
            "put-object",
            "--bucket",
            "imports",
            "--key",
            "wave 1/servers.csv",
            "--body",
            join(dir, "servers.csv"),
          ]),
        ) as { ETag: string };
        assert.match(put.ETag, /^"[0-9a-f]{32}"$/);
        const head = ok(
          await awsCli(ctx.emulator, [
            "s3api",
            "head-object",
            "--bucket",
            "imports",
            "--key",
            "wave 1/servers.csv",
          ]),
        ) as { ContentLength: number; ETag: string };
        assert.deepEqual([head.ContentLength, head.ETag], [33, put.ETag]);
        const listed = ok(
          await awsCli(ctx.emulator, [
            "s3api",
            "list-objects-v2",
            "--bucket",
            "imports",
            "--no-paginate",
          ]),
        ) as { Contents: { Key: string; Size: number }[]; KeyCount: number };
        assert.deepEqual(
          [listed.KeyCount, listed.Contents.map((c) => [c.Key, c.Size])],
          [1, [["wave 1/servers.csv", 33]]],
        );
        ok(
          await awsCli(ctx.emulator, [
            "s3api",
            "get-object",
            "--bucket",
            "imports",
            "--key",
            "wave 1/servers.csv",
            join(dir, "out.csv"),
          ]),
        );
        assert.equal(
          readFileSync(join(dir, "out.csv"), "utf8"),
          "ExternalId,HostName\ncmdb-1,web-1\n",
        );
        ok(
          await awsCli(ctx.emulator, [
            "s3api",
            "delete-object",
            "--bucket",
            "imports",
            "--key",
            "wave 1/servers.csv",
          ]),
        );
        failed(
          await awsCli(ctx.emulator, [
            "s3api",
            "get-object",
            "--bucket",
            "imports",
            "--key",
            "wave 1/servers.csv",
            join(dir, "gone.csv"),
          ]),
          "NoSuchKey",
          "GetObject",
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  /** Uploads `body` to s3://imports/<key> through the CLI. */
  async function upload(key: string, body: string | Buffer): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), "awscli-up-"));
    try {
      writeFileSync(join(dir, "f"), body);
      await awsCli(ctx.emulator, ["s3api", "create-bucket", "--bucket", "imports"]);
      ok(
        await awsCli(ctx.emulator, [
          "s3api",
          "put-object",
          "--bucket",
          "imports",
          "--key",
          key,
          "--body",
          join(dir, "f"),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  describe("Application Discovery Service", () => {
    it("starts an import, reuses it for the same token, refuses the token with another URL, completes and deletes it", async () => {
      ctx.emulator.configure({ homeRegion: "us-west-2" });
      await upload(
        "servers.csv",
        "ExternalId,HostName,Applications\ncmdb-1,web-1,billing\ncmdb-2,web-2,billing\n",
      );
      const start = [
        "discovery",
        "start-import-task",
        "--name",
        "q3",
        "--import-url",
        "s3://imports/servers.csv",
        "--client-request-token",
        "tok-1",
      ];
      const started = (
        ok(await awsCli(ctx.emulator, start)) as { task: { importTaskId: string; status: string } }
      ).task;
      assert.match(started.importTaskId, /^import-task-[0-9a-f]{32}$/);
      assert.equal(started.status, "IMPORT_IN_PROGRESS");
      const again = (ok(await awsCli(ctx.emulator, start)) as { task: { importTaskId: string } })
        .task;
      assert.equal(again.importTaskId, started.importTaskId);
      failed(
        await awsCli(ctx.emulator, [
          "discovery",
          "start-import-task",
          "--name",
          "q3",
          "--import-url",
          "s3://imports/other.csv",
          "--client-request-token",
          "tok-1",
        ]),
        "ResourceInUseException",
        "StartImportTask",
      );

      ctx.emulator.configure({ advanceSeconds: 3600 });
      const filter = ["--filters", `name=IMPORT_TASK_ID,values=${started.importTaskId}`];
      const described = ok(
        await awsCli(ctx.emulator, ["discovery", "describe-import-tasks", ...filter]),
      ) as { tasks: Record<string, unknown>[] };
      assert.equal(described.tasks.length, 1);
      const { importRequestTime, importCompletionTime, ...task } = described.tasks[0]!;
      assert.equal(typeof importRequestTime, "number");
      assert.equal(typeof importCompletionTime, "number");
      assert.deepEqual(task, {
        importTaskId: started.importTaskId,
        clientRequestToken: "tok-1",
        name: "q3",
        importUrl: "s3://imports/servers.csv",
        status: "IMPORT_COMPLETE",
        fileClassification: "IMPORT_TEMPLATE",
        serverImportSuccess: 2,
        serverImportFailure: 0,
        applicationImportSuccess: 1,
        applicationImportFailure: 0,
      });

      const deleted = ok(
        await awsCli(ctx.emulator, [
          "discovery",
          "batch-delete-import-data",
          "--import-task-ids",
          started.importTaskId,
          "import-task-0123456789abcdef0123456789abcdef",
        ]),
      ) as {
        errors: { importTaskId: string; errorCode: string }[];
      };
      assert.deepEqual(
        deleted.errors.map((e) => [e.importTaskId, e.errorCode]),
        [["import-task-0123456789abcdef0123456789abcdef", "NOT_FOUND"]],
      );
      ctx.emulator.configure({ advanceSeconds: 3600 });
      const after = ok(
        await awsCli(ctx.emulator, ["discovery", "describe-import-tasks", ...filter]),
      ) as { tasks: { status: string }[] };
      assert.deepEqual(
        after.tasks.map((t) => t.status),
        ["DELETE_COMPLETE"],
      );
    });

    it("refuses imports before a home region is set", async () => {
      failed(
        await awsCli(ctx.emulator, ["discovery", "describe-import-tasks"]),
        "HomeRegionNotSetException",
        "DescribeImportTasks",
      );
    });
  });

  describe("Application Migration Service", () => {
    const CSV =
      "mgn:wave:name,mgn:app:name,mgn:server:user-provided-id,mgn:server:platform,mgn:server:fqdn-for-action-framework\r\n" +
      "wave-1,billing,srv-001,Linux,db1.example.com\r\n" +
      "wave-1,billing,srv-002,Linux,\r\n";

    it("initializes, imports waves, applications and servers, lists them, and deletes a server", async () => {
      failed(
        await awsCli(ctx.emulator, ["mgn", "list-imports"]),
        "UninitializedAccountException",
        "ListImports",
      );
      ok(await awsCli(ctx.emulator, ["mgn", "initialize-service"]));
      await upload("inventory.csv", CSV);
      const start = [
        "mgn",
        "start-import",
        "--s3-bucket-source",
        "s3Bucket=imports,s3Key=inventory.csv",
        "--client-token",
        "mgn-tok-1",
      ];
      const started = (
        ok(await awsCli(ctx.emulator, start)) as {
          importTask: { importID: string; status: string };
        }
      ).importTask;
      assert.match(started.importID, /^import-[0-9a-zA-Z]{17}$/);
      assert.equal(started.status, "PENDING");
      assert.equal(
        (ok(await awsCli(ctx.emulator, start)) as { importTask: { importID: string } }).importTask
          .importID,
        started.importID,
      );
      failed(
        await awsCli(ctx.emulator, [
          "mgn",
          "start-import",
          "--s3-bucket-source",
          "s3Bucket=imports,s3Key=other.csv",
          "--client-token",
          "mgn-tok-1",
        ]),
        "ConflictException",
        "StartImport",
      );

      ctx.emulator.configure({ advanceSeconds: 3600 });
      const imports = (
        ok(await awsCli(ctx.emulator, ["mgn", "list-imports"])) as {
          items: {
            importID: string;
            status: string;
            progressPercentage: number;
            summary: unknown;
          }[];
        }
      ).items;
      assert.deepEqual(
        imports.map((i) => [i.importID, i.status, i.progressPercentage]),
        [[started.importID, "SUCCEEDED", 100]],
      );
      assert.deepEqual(imports[0]!.summary, {
        applications: { createdCount: 1, modifiedCount: 0 },
        servers: { createdCount: 1, modifiedCount: 0 },
        waves: { createdCount: 1, modifiedCount: 0 },
      });
      const errors = (
        ok(
          await awsCli(ctx.emulator, [
            "mgn",
            "list-import-errors",
            "--import-id",
            started.importID,
          ]),
        ) as { items: { errorType: string; errorData: unknown }[] }
      ).items;
      assert.deepEqual(
        errors.map((e) => [e.errorType, e.errorData]),
        [
          [
            "VALIDATION_ERROR",
            {
              rowNumber: 3,
              rawError:
                "A new server needs an IP address or an FQDN (mgn:server:fqdn-for-action-framework)",
            },
          ],
        ],
      );
      const waves = (
        ok(await awsCli(ctx.emulator, ["mgn", "list-waves"])) as { items: { name: string }[] }
      ).items;
      assert.deepEqual(
        waves.map((w) => w.name),
        ["wave-1"],
      );
      const apps = (
        ok(await awsCli(ctx.emulator, ["mgn", "list-applications"])) as {
          items: { name: string }[];
        }
      ).items;
      assert.deepEqual(
        apps.map((a) => a.name),
        ["billing"],
      );
      const servers = (
        ok(await awsCli(ctx.emulator, ["mgn", "describe-source-servers"])) as {
          items: { sourceServerID: string; userProvidedID: string }[];
        }
      ).items;
      assert.deepEqual(
        servers.map((s) => s.userProvidedID),
        ["srv-001"],
      );
      ok(
        await awsCli(ctx.emulator, [
          "mgn",
          "delete-source-server",
          "--source-server-id",
          servers[0]!.sourceServerID,
        ]),
      );
      assert.deepEqual(ok(await awsCli(ctx.emulator, ["mgn", "describe-source-servers"])), {
        items: [],
      });
    });
  });

  describe("EC2 VM Import", () => {
    it("imports an image to an AMI with its snapshot, answers DryRun, then deregisters the AMI and deletes the snapshot", async () => {
      const disk = Buffer.alloc(2048);
      disk.write("KDMV", 0, "latin1");
      await upload("web.vmdk", disk);
      const containers = [
        "--disk-containers",
        "Format=vmdk,UserBucket={S3Bucket=imports,S3Key=web.vmdk}",
      ];
      failed(
        await awsCli(ctx.emulator, ["ec2", "import-image", ...containers, "--dry-run"]),
        "DryRunOperation",
        "ImportImage",
      );
      const started = ok(
        await awsCli(ctx.emulator, [
          "ec2",
          "import-image",
          ...containers,
          "--description",
          "web",
          "--client-token",
          "ec2-tok-1",
        ]),
      ) as { ImportTaskId: string; Status: string };
      assert.match(started.ImportTaskId, /^import-ami-[0-9a-f]{17}$/);
      assert.equal(started.Status, "active");
      const again = ok(
        await awsCli(ctx.emulator, [
          "ec2",
          "import-image",
          ...containers,
          "--description",
          "web",
          "--client-token",
          "ec2-tok-1",
        ]),
      ) as { ImportTaskId: string };
      assert.equal(again.ImportTaskId, started.ImportTaskId);

      ctx.emulator.configure({ advanceSeconds: 6 * 3600 });
      const tasks = (
        ok(
          await awsCli(ctx.emulator, [
            "ec2",
            "describe-import-image-tasks",
            "--import-task-ids",
            started.ImportTaskId,
          ]),
        ) as {
          ImportImageTasks: {
            Status: string;
            ImageId: string;
            SnapshotDetails: { SnapshotId: string; Status: string }[];
          }[];
        }
      ).ImportImageTasks;
      assert.equal(tasks.length, 1);
      const task = tasks[0]!;
      assert.equal(task.Status, "completed");
      assert.match(task.ImageId, /^ami-[0-9a-f]{17}$/);
      const snapshot = task.SnapshotDetails[0]!.SnapshotId;
      assert.match(snapshot, /^snap-[0-9a-f]{17}$/);
      const images = (
        ok(await awsCli(ctx.emulator, ["ec2", "describe-images", "--image-ids", task.ImageId])) as {
          Images: { ImageId: string; State: string }[];
        }
      ).Images;
      assert.deepEqual(
        images.map((i) => [i.ImageId, i.State]),
        [[task.ImageId, "available"]],
      );
      failed(
        await awsCli(ctx.emulator, [
          "ec2",
          "cancel-import-task",
          "--import-task-id",
          started.ImportTaskId,
        ]),
        "DeleteConversionTaskError",
        "CancelImportTask",
      );
      ok(await awsCli(ctx.emulator, ["ec2", "deregister-image", "--image-id", task.ImageId]));
      ok(await awsCli(ctx.emulator, ["ec2", "delete-snapshot", "--snapshot-id", snapshot]));
      assert.deepEqual(
        ok(await awsCli(ctx.emulator, ["ec2", "describe-images", "--owners", "self"])),
        { Images: [] },
      );
    });

    it("imports a disk as a snapshot, reuses the task for the same token, and finds, describes and deletes the snapshot", async () => {
      const disk = Buffer.alloc(4096);
      disk.write("conectix", 3584, "latin1");
      await upload("data.vhd", disk);
      const container = [
        "--disk-container",
        "Format=VHD,UserBucket={S3Bucket=imports,S3Key=data.vhd}",
      ];
      const start = async (): Promise<CliResult> =>
        awsCli(ctx.emulator, [
          "ec2",
          "import-snapshot",
          ...container,
          "--description",
          "data",
          "--client-token",
          "snap-tok-1",
        ]);
      const started = ok(await start()) as { ImportTaskId: string };
      assert.match(started.ImportTaskId, /^import-snap-[0-9a-f]{17}$/);
      assert.deepEqual(started, {
        Description: "data",
        ImportTaskId: started.ImportTaskId,
        SnapshotTaskDetail: {
          DiskImageSize: 0,
          Format: "VHD",
          Progress: "3",
          Status: "active",
          StatusMessage: "pending",
          UserBucket: { S3Bucket: "imports", S3Key: "data.vhd" },
        },
      });
      assert.equal(
        (ok(await start()) as { ImportTaskId: string }).ImportTaskId,
        started.ImportTaskId,
      );
      failed(
        await awsCli(ctx.emulator, [
          "ec2",
          "import-snapshot",
          ...container,
          "--kms-key-id",
          "alias/imports",
        ]),
        "InvalidParameterDependency",
        "ImportSnapshot",
      );

      ctx.emulator.configure({ advanceSeconds: 6 * 3600 });
      const tasks = (
        ok(
          await awsCli(ctx.emulator, [
            "ec2",
            "describe-import-snapshot-tasks",
            "--import-task-ids",
            started.ImportTaskId,
          ]),
        ) as {
          ImportSnapshotTasks: {
            SnapshotTaskDetail: { DiskImageSize: number; SnapshotId: string; Status: string };
          }[];
        }
      ).ImportSnapshotTasks;
      const detail = tasks[0]!.SnapshotTaskDetail;
      assert.deepEqual([tasks.length, detail.Status, detail.DiskImageSize], [1, "completed", 4096]);
      const snapshot = detail.SnapshotId;
      assert.match(snapshot, /^snap-[0-9a-f]{17}$/);
      // How scripts find VM Import's snapshot: by its generated description. The CLI sends
      // MaxResults=1000 by default here (not with --snapshot-ids).
      const found = ok(
        await awsCli(ctx.emulator, [
          "ec2",
          "describe-snapshots",
          "--owner-ids",
          "self",
          "--filters",
          `Name=description,Values=Created by AWS-VMImport service for ${started.ImportTaskId}`,
        ]),
      ) as { Snapshots: Record<string, unknown>[] };
      assert.deepEqual(
        found.Snapshots.map((s) => [s["SnapshotId"], s["State"], s["VolumeId"], s["VolumeSize"]]),
        [[snapshot, "completed", "vol-ffffffff", 1]],
      );
      failed(
        await awsCli(ctx.emulator, [
          "ec2",
          "describe-snapshots",
          "--snapshot-ids",
          "snap-0123456789abcdef0",
        ]),
        "InvalidSnapshot.NotFound",
        "DescribeSnapshots",
      );
      ok(await awsCli(ctx.emulator, ["ec2", "delete-snapshot", "--snapshot-id", snapshot]));
      assert.deepEqual(
        ok(await awsCli(ctx.emulator, ["ec2", "describe-snapshots", "--owner-ids", "self"])),
        { Snapshots: [] },
      );
    });

    it("describes an ImportInstance conversion task as it completes, and refuses to cancel it then", async () => {
      // The CLI has no import-instance command (AWS retired it there); the JS SDK starts the task.
      await upload(
        "dc01.manifest.xml",
        '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>',
      );
      const ec2 = new EC2Client(clientConfig(ctx.emulator));
      const { ConversionTask } = await ec2.send(
        new ImportInstanceCommand({
          Platform: "Windows",
          LaunchSpecification: { Architecture: "x86_64", InstanceType: "m5.large" },
          DiskImages: [
            {
              Image: {
                Format: "VMDK",
                Bytes: 1179593728,
                ImportManifestUrl: `${ctx.emulator.url}/imports/dc01.manifest.xml?AWSAccessKeyId=test&Expires=1294855591&Signature=abc%3D`,
              },
              Volume: { Size: 12 },
            },
          ],
        }),
      );
      const id = ConversionTask!.ConversionTaskId!;
      const describe = async (): Promise<unknown> =>
        (
          ok(
            await awsCli(ctx.emulator, [
              "ec2",
              "describe-conversion-tasks",
              "--conversion-task-ids",
              id,
            ]),
          ) as {
            ConversionTasks: {
              State: string;
              ImportInstance: { Volumes: { BytesConverted: number; Status: string }[] };
            }[];
          }
        ).ConversionTasks.map((t) => [
          t.State,
          t.ImportInstance.Volumes.map((v) => [v.Status, v.BytesConverted]),
        ]);
      assert.deepEqual(await describe(), [["active", [["active", 0]]]]);
      ctx.emulator.configure({ advanceSeconds: 6 * 3600 });
      assert.deepEqual(await describe(), [["completed", [["completed", 1179593728]]]]);
      failed(
        await awsCli(ctx.emulator, ["ec2", "cancel-conversion-task", "--conversion-task-id", id]),
        "DeleteConversionTaskError",
        "CancelConversionTask",
      );
    });
  });
});

/**
 * STS through botocore's query protocol: GetCallerIdentity and AssumeRole answers parsed against
 * STS's model, the temporary credentials used by the CLI (AWS_SESSION_TOKEN), and STS's errors.
 */
describe("emulator STS through the AWS CLI (botocore)", function () {
  this.timeout(120_000);
  const ROLE = "arn:aws:iam::210987654321:role/migration";
  const ctx = useEmulator({
    timeScale: 1,
    roles: [{ roleArn: ROLE, trustedAccounts: ["123456789012"], externalId: "acme-7f3c" }],
  });

  it("names the caller, assumes a trusted role into its account, and is refused once the session expires", async () => {
    assert.deepEqual(ok(await awsCli(ctx.emulator, ["sts", "get-caller-identity"])), {
      UserId: "AIDA22NHZ6V6DS3VZXQLH",
      Account: "123456789012",
      Arn: "arn:aws:iam::123456789012:user/test",
    });
    const assumeArgs = ["sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli"];
    const assumed = ok(
      await awsCli(ctx.emulator, [
        ...assumeArgs,
        "--external-id",
        "acme-7f3c",
        "--duration-seconds",
        "900",
      ]),
    ) as {
      Credentials: {
        AccessKeyId: string;
        SecretAccessKey: string;
        SessionToken: string;
        Expiration: string;
      };
      AssumedRoleUser: { AssumedRoleId: string; Arn: string };
    };
    const c = assumed.Credentials;
    assert.match(c.AccessKeyId, /^ASIA[A-Z2-7]{16}$/);
    assert.match(c.Expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.match(assumed.AssumedRoleUser.AssumedRoleId, /^AROA[A-Z2-7]{17}:cli$/);
    assert.equal(
      assumed.AssumedRoleUser.Arn,
      "arn:aws:sts::210987654321:assumed-role/migration/cli",
    );

    const session: CliKeys = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    };
    const who = ["sts", "get-caller-identity"];
    assert.deepEqual(ok(await awsCli(ctx.emulator, who, "us-west-2", session)), {
      UserId: assumed.AssumedRoleUser.AssumedRoleId,
      Account: "210987654321",
      Arn: assumed.AssumedRoleUser.Arn,
    });

    const refused = await awsCli(ctx.emulator, assumeArgs);
    failed(refused, "AccessDenied", "AssumeRole");
    assert.match(
      refused.stderr,
      /User: arn:aws:iam::123456789012:user\/test is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role\/migration/,
    );

    ctx.emulator.configure({ advanceSeconds: 900 });
    const expired = await awsCli(ctx.emulator, who, "us-west-2", session);
    failed(expired, "ExpiredToken", "GetCallerIdentity");
    assert.match(expired.stderr, /The security token included in the request is expired/);
  });
});
