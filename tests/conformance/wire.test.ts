/**
 * The conformance tier: the requests the provider sends, and every emulator answer, checked
 * against AWS's models by botocore itself. The AWS SDK clients the provider uses drive each
 * operation it calls (and the errors it must tell apart) through a recording proxy
 * (tests/support/recordingProxy.ts) in front of the emulator; tests/conformance/validate_wire.py,
 * run with the pinned botocore in .venv, validates each recorded request with botocore's
 * ParamValidator and serializer and parses each answer with botocore's parser and the operation's
 * output shape, failing on any mismatch.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
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
  DescribeImportImageTasksCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ImportImageCommand,
  ImportInstanceCommand,
  ImportSnapshotCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeSourceServersCommand,
  InitializeServiceCommand,
  ListApplicationsCommand,
  ListImportErrorsCommand,
  ListImportsCommand,
  ListWavesCommand,
  MgnClient,
  StartImportCommand,
} from "@aws-sdk/client-mgn";
import {
  AssociateCreatedArtifactCommand,
  CreateProgressUpdateStreamCommand,
  DeleteProgressUpdateStreamCommand,
  DescribeMigrationTaskCommand,
  DisassociateCreatedArtifactCommand,
  ImportMigrationTaskCommand,
  ListCreatedArtifactsCommand,
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
  PutResourceAttributesCommand,
} from "@aws-sdk/client-migration-hub";
import {
  CreateHomeRegionControlCommand,
  DescribeHomeRegionControlsCommand,
  GetHomeRegionCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Discovery } from "aws-sdk";
import { type Emulator, startEmulator } from "../../emulator";
import { type RecordingProxy, startRecordingProxy } from "../support/recordingProxy";

const ROOT = join(__dirname, "..", "..");
// The pinned botocore (scripts/test installs awscli into .venv); CONFORMANCE_PYTHON names another.
const PYTHON = process.env["CONFORMANCE_PYTHON"] ?? join(ROOT, ".venv", "bin", "python");
const REGION = "us-west-2";
const BUCKET = "conformance";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

interface Summary {
  botocore: string;
  records: number;
  operations: Record<string, number>;
  errors: Record<string, number>;
  /** Requests botocore finds invalid (sent on purpose), with the error the emulator answered. */
  refusedInvalid: { record: number; operation: string; code: string | null }[];
  failures: { record: number; operation: string; problems: string[] }[];
}

/** Runs a call that must fail and returns nothing: the recording is what is checked. */
async function refused(call: Promise<unknown>): Promise<void> {
  await call.then(
    () => assert.fail("expected the call to fail"),
    () => undefined,
  );
}

function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

const ADS_CSV = "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\n,,\n";
const MGN_CSV =
  "mgn:wave:name,mgn:app:name,mgn:server:user-provided-id,mgn:server:platform,mgn:server:fqdn-for-action-framework\r\n" +
  "wave-1,billing,srv-001,Linux,bill1.example.com\r\n" +
  "wave-1,billing,srv-002,Linux,\r\n";

describe("conformance: the provider's wire traffic against AWS's models (botocore)", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let dir: string;

  before(async function () {
    if (!existsSync(PYTHON)) {
      throw new Error(`no ${PYTHON}: ./scripts/test installs the pinned awscli into .venv`);
    }
    emulator = await startEmulator({ rateLimits: false, timeScale: 1 });
    proxy = await startRecordingProxy(emulator.url);
    dir = mkdtempSync(join(tmpdir(), "conformance-"));
    // Fixtures go straight to the emulator: S3 is outside this tier.
    const s3 = new S3Client({
      endpoint: emulator.url,
      region: REGION,
      credentials: CREDENTIALS,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const files: Record<string, string | Buffer> = {
      "servers.csv": ADS_CSV,
      "inventory.csv": MGN_CSV,
      "web.vmdk": vmdk(),
      "data.vmdk": vmdk(),
      "slow.vmdk": vmdk(),
      "dc01.manifest.xml": "<manifest/>",
    };
    for (const [Key, Body] of Object.entries(files)) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
    }
  });

  after(async () => {
    await proxy.stop();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (region = REGION) => ({
    endpoint: proxy.url,
    region,
    credentials: CREDENTIALS,
    maxAttempts: 1,
  });
  const advance = (seconds: number): void => emulator.configure({ advanceSeconds: seconds });

  it("records Migration Hub Config: the home region", async () => {
    const cfg = new MigrationHubConfigClient(config());
    await cfg.send(new GetHomeRegionCommand({}));
    await cfg.send(
      new CreateHomeRegionControlCommand({ HomeRegion: REGION, Target: { Type: "ACCOUNT" } }),
    );
    await cfg.send(new DescribeHomeRegionControlsCommand({ HomeRegion: REGION }));
    await cfg.send(new GetHomeRegionCommand({}));
    await refused(
      cfg.send(new DescribeHomeRegionControlsCommand({ ControlId: "ctl-1", MaxResults: 5 })),
    );
  });

  it("records ADS: StartImportTask, DescribeImportTasks, BatchDeleteImportData", async () => {
    const ads = (region = REGION, paramValidation = true): Discovery =>
      new Discovery({
        endpoint: proxy.url,
        region,
        credentials: CREDENTIALS,
        maxRetries: 0,
        paramValidation,
      });
    const { task } = await ads()
      .startImportTask({ name: "servers", importUrl: `s3://${BUCKET}/servers.csv` })
      .promise();
    const id = task?.importTaskId ?? "";
    await ads()
      .describeImportTasks({ filters: [{ name: "IMPORT_TASK_ID", values: [id] }], maxResults: 100 })
      .promise();
    advance(600);
    await ads()
      .describeImportTasks({ filters: [{ name: "IMPORT_TASK_ID", values: [id] }] })
      .promise();
    await ads()
      .batchDeleteImportData({ importTaskIds: [id], deleteHistory: true })
      .promise();
    await ads()
      .batchDeleteImportData({ importTaskIds: [`import-task-${"0".repeat(32)}`] })
      .promise();
    await refused(
      ads(REGION, false)
        .startImportTask({ name: "n".repeat(256), importUrl: `s3://${BUCKET}/servers.csv` })
        .promise(),
    );
    await refused(
      ads("us-east-1")
        .startImportTask({ name: "elsewhere", importUrl: `s3://${BUCKET}/servers.csv` })
        .promise(),
    );
    await refused(ads().describeImportTasks({ nextToken: "bm90LWEtdG9rZW4=" }).promise());
  });

  it("records MGN: StartImport, ListImports, ListImportErrors and the inventory", async () => {
    const mgn = new MgnClient(config());
    await refused(mgn.send(new ListImportsCommand({})));
    await mgn.send(new InitializeServiceCommand({}));
    const { importTask } = await mgn.send(
      new StartImportCommand({ s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" } }),
    );
    const id = importTask?.importID ?? "";
    await mgn.send(new ListImportsCommand({ filters: { importIDs: [id] } }));
    advance(600);
    await mgn.send(new ListImportsCommand({ filters: { importIDs: [id] }, maxResults: 10 }));
    await mgn.send(new ListImportErrorsCommand({ importID: id }));
    await mgn.send(new DescribeSourceServersCommand({ filters: {} }));
    await mgn.send(new ListApplicationsCommand({ filters: { isArchived: false } }));
    await mgn.send(new ListWavesCommand({}));
    await refused(
      mgn.send(
        new StartImportCommand({ s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.txt" } }),
      ),
    );
    await refused(mgn.send(new ListImportsCommand({ nextToken: "forged" })));
  });

  it("records Migration Hub: streams, tasks, attributes and artifacts", async () => {
    const mgh = new MigrationHubClient(config());
    const task = { ProgressUpdateStream: "tool", MigrationTaskName: "web-01" };
    const arn = "arn:aws:ec2:us-west-2:123456789012:image/ami-0123456789abcdef0";
    await mgh.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
    await mgh.send(new ListProgressUpdateStreamsCommand({ MaxResults: 10 }));
    await mgh.send(new ImportMigrationTaskCommand(task));
    await mgh.send(new DescribeMigrationTaskCommand(task));
    await mgh.send(
      new NotifyMigrationTaskStateCommand({
        ...task,
        Task: { Status: "IN_PROGRESS", StatusDetail: "copying", ProgressPercent: 40 },
        UpdateDateTime: new Date(1_700_000_000_000),
        NextUpdateSeconds: 300,
      }),
    );
    await mgh.send(
      new PutResourceAttributesCommand({
        ...task,
        ResourceAttributeList: [
          { Type: "IPV4_ADDRESS", Value: "10.0.1.11" },
          { Type: "FQDN", Value: "web-01.example.com" },
        ],
      }),
    );
    await mgh.send(
      new AssociateCreatedArtifactCommand({
        ...task,
        CreatedArtifact: { Name: arn, Description: "AMI" },
      }),
    );
    await mgh.send(new DescribeMigrationTaskCommand(task));
    await mgh.send(new ListCreatedArtifactsCommand({ ...task, MaxResults: 10 }));
    await mgh.send(new ListMigrationTasksCommand({ ResourceName: "10.0.1.11" }));
    await mgh.send(new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: arn }));
    await refused(
      mgh.send(new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: arn })),
    );
    await refused(
      mgh.send(
        new NotifyMigrationTaskStateCommand({
          ...task,
          Task: { Status: "FAILED", StatusDetail: "line 1\nline 2" },
          UpdateDateTime: new Date(1_700_000_000_000),
          NextUpdateSeconds: 0,
        }),
      ),
    );
    await refused(mgh.send(new ImportMigrationTaskCommand({ ...task, DryRun: true })));
    await refused(
      mgh.send(new DescribeMigrationTaskCommand({ ...task, MigrationTaskName: "missing" })),
    );
    await refused(
      new MigrationHubClient(config("us-east-1")).send(new ImportMigrationTaskCommand(task)),
    );
    await mgh.send(new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
    await refused(mgh.send(new ImportMigrationTaskCommand(task)));
  });

  it("records EC2 VM Import: images, snapshots, instances and their clean-up", async () => {
    const ec2 = new EC2Client(config());
    const bucket = (key: string) => ({ S3Bucket: BUCKET, S3Key: key });
    const image = await ec2.send(
      new ImportImageCommand({
        ClientToken: "conformance-web",
        Description: "web",
        DiskContainers: [{ Format: "VMDK", UserBucket: bucket("web.vmdk") }],
        LicenseType: "BYOL",
        TagSpecifications: [
          { ResourceType: "import-image-task", Tags: [{ Key: "wave", Value: "1" }] },
        ],
      }),
    );
    const snapshot = await ec2.send(
      new ImportSnapshotCommand({
        ClientToken: "conformance-data",
        DiskContainer: { Format: "VMDK", UserBucket: bucket("data.vmdk") },
      }),
    );
    const slow = await ec2.send(
      new ImportImageCommand({
        DiskContainers: [{ Format: "VMDK", Url: `s3://${BUCKET}/slow.vmdk` }],
      }),
    );
    const manifest = `${emulator.url}/${BUCKET}/dc01.manifest.xml?AWSAccessKeyId=test&Expires=1294855591&Signature=abc%3D`;
    const instance = await ec2.send(
      new ImportInstanceCommand({
        Platform: "Windows",
        Description: "dc01",
        LaunchSpecification: { Architecture: "x86_64", InstanceType: "m5.large" },
        DiskImages: [
          {
            Image: { Format: "VMDK", Bytes: 1_179_593_728, ImportManifestUrl: manifest },
            Volume: { Size: 12 },
          },
        ],
      }),
    );
    const conversionId = instance.ConversionTask?.ConversionTaskId ?? "";
    await ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [image.ImportTaskId!] }));
    await ec2.send(
      new CancelImportTaskCommand({ ImportTaskId: slow.ImportTaskId, CancelReason: "test" }),
    );
    await ec2.send(new DescribeConversionTasksCommand({ ConversionTaskIds: [conversionId] }));
    await ec2.send(
      new CancelConversionTaskCommand({ ConversionTaskId: conversionId, ReasonMessage: "test" }),
    );
    advance(7200);
    const done = await ec2.send(
      new DescribeImportImageTasksCommand({
        Filters: [{ Name: "task-state", Values: ["completed", "deleted"] }],
        MaxResults: 10,
      }),
    );
    const snap = await ec2.send(
      new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [snapshot.ImportTaskId!] }),
    );
    await ec2.send(new DescribeConversionTasksCommand({}));
    const imageId = done.ImportImageTasks?.find((t) => t.ImageId)?.ImageId ?? "";
    await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
    await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
    await ec2.send(new DescribeInstancesCommand({}));
    await ec2.send(new DescribeVolumesCommand({}));
    await ec2.send(
      new DeregisterImageCommand({ ImageId: imageId, DeleteAssociatedSnapshots: true }),
    );
    const snapshotId = snap.ImportSnapshotTasks?.[0]?.SnapshotTaskDetail?.SnapshotId ?? "";
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    await refused(ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })));
    await refused(ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: "ISO" }] })));
    await refused(
      ec2.send(
        new ImportImageCommand({
          DryRun: true,
          DiskContainers: [{ Format: "VMDK", UserBucket: bucket("web.vmdk") }],
        }),
      ),
    );
    await refused(ec2.send(new CancelImportTaskCommand({})));
    await refused(ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: ["ami-1"] })));
    await refused(
      ec2.send(new TerminateInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })),
    );
    await refused(ec2.send(new DeleteVolumeCommand({ VolumeId: "vol-0123456789abcdef0" })));
  });

  it("every recorded request and answer passes botocore's validation and parsing", function () {
    this.timeout(60_000);
    const file = join(dir, "exchanges.jsonl");
    proxy.save(file);
    let out: string;
    try {
      out = execFileSync(PYTHON, [join(__dirname, "validate_wire.py"), file], { encoding: "utf8" });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      const summary = JSON.parse(e.stdout ?? "{}") as Partial<Summary>;
      assert.fail(
        `botocore found problems:\n${JSON.stringify(summary.failures ?? e.stderr, null, 2)}`,
      );
    }
    const summary = JSON.parse(out) as Summary;
    assert.deepEqual(summary.failures, []);
    assert.equal(summary.records, proxy.exchanges.length);
    // The requests sent to break the model on purpose, each refused with the service's own error.
    assert.deepEqual(
      summary.refusedInvalid.map((r) => [r.operation, r.code]),
      [
        ["migrationhub-config:DescribeHomeRegionControls", "InvalidInputException"],
        ["discovery:StartImportTask", "InvalidParameterValueException"],
        ["mgn:StartImport", "ValidationException"],
        ["mgh:NotifyMigrationTaskState", "InvalidInputException"],
      ],
    );
    // Every operation the provider calls was exercised.
    const called = Object.keys(summary.operations).sort();
    for (const op of [
      "discovery:StartImportTask",
      "discovery:DescribeImportTasks",
      "discovery:BatchDeleteImportData",
      "mgn:StartImport",
      "mgn:ListImports",
      "mgn:ListImportErrors",
      "mgh:ImportMigrationTask",
      "mgh:DescribeMigrationTask",
      "mgh:NotifyMigrationTaskState",
      "mgh:PutResourceAttributes",
      "mgh:AssociateCreatedArtifact",
      "mgh:DisassociateCreatedArtifact",
      "mgh:CreateProgressUpdateStream",
      "mgh:DeleteProgressUpdateStream",
      "ec2:ImportImage",
      "ec2:DescribeImportImageTasks",
      "ec2:ImportSnapshot",
      "ec2:DescribeImportSnapshotTasks",
      "ec2:ImportInstance",
      "ec2:DescribeConversionTasks",
      "ec2:CancelImportTask",
      "ec2:CancelConversionTask",
      "ec2:DescribeImages",
      "ec2:DescribeSnapshots",
      "ec2:DeleteSnapshot",
      "ec2:DeregisterImage",
    ]) {
      assert.ok(called.includes(op), `${op} was not recorded (recorded: ${called.join(", ")})`);
    }
  });
});
