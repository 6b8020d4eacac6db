/**
 * Provider-tier worlds: each resource's real provider against the emulator (tests/support/
 * emulator.ts). Courses are inputs the emulator's models answer that way (a good file completes,
 * a bad one fails); a wait runs out under a real-time emulator clock and completes at a fast one.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ApplicationDiscoveryServiceClient,
  BatchDeleteImportDataCommand,
  DescribeImportTasksCommand,
} from "../../provider/ads/client";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { createProvider as adsProvider } from "../../provider/ads/importTaskProvider";
import { createProvider as imageProvider } from "../../provider/ec2/importImageTaskProvider";
import { createProvider as mgnProvider } from "../../provider/mgn/importTaskProvider";
import {
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeConversionTasksCommand,
  DescribeImportImageTasksCommand,
  DescribeImportSnapshotTasksCommand,
  EC2Client,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { createProvider as instanceProvider } from "../../provider/ec2/importInstanceTaskProvider";
import { createProvider as snapshotProvider } from "../../provider/ec2/importSnapshotTaskProvider";
import { InitializeServiceCommand, ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import {
  CreateProgressUpdateStreamCommand,
  DeleteProgressUpdateStreamCommand,
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
} from "@aws-sdk/client-migration-hub";
import type { Emulator } from "../../emulator";
import { createProvider as taskProvider } from "../../provider/migrationhub/migrationTaskProvider";
import { createProvider as streamProvider } from "../../provider/migrationhub/progressUpdateStreamProvider";
import { clientConfig, TEST_REGION } from "../support/emulator";
import { configSource, recordingLogger } from "../support/harness";
import { type Course, MIGRATION_TASK, type World } from "./world";

const PROVIDER = "serialized-shim";
const DAY_S = 24 * 60 * 60;

type Create = (deps: {
  logger: ReturnType<typeof recordingLogger>["logger"];
}) => ProviderImplementation;

async function providerFor(
  create: Create,
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<ProviderImplementation> {
  const provider = create({ logger: recordingLogger().logger });
  await provider.configure(
    configSource({
      "aws:region": TEST_REGION,
      "awsMigration:endpoint": emulator.url,
      "awsMigration:pollMinDelayMs": "10",
      "awsMigration:pollMaxDelayMs": "40",
      ...extra,
    }),
  );
  return provider;
}

async function upload(
  emulator: Emulator,
  bucket: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(emulator), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [key, body] of Object.entries(files))
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  s3.destroy();
}

/** The emulator-backed parts every world shares; a resource adds its files, inputs and listing. */
async function emulatorWorld(
  emulator: Emulator,
  o: {
    create: Create;
    inputs(course: Course, extra: Record<string, unknown>): Record<string, unknown>;
    remove(id: string): Promise<void>;
    tasks(): Promise<string[]>;
    /** Inputs that make a create return right after its start. @default waitForCompletion false */
    noWait?: Record<string, unknown>;
    /** Makes the task `id` complete. @default a fast emulator clock */
    complete?(id: string): Promise<void>;
  },
): Promise<World> {
  return {
    provider: await providerFor(o.create, emulator),
    inputs: (course, extra = {}) => o.inputs(course, extra),
    async impatient() {
      // Real time: the task stays in progress past a 0.3 s limit.
      emulator.configure({ timeScale: 1 });
      return providerFor(o.create, emulator, { "awsMigration:waitTimeoutMinutes": "0.005" });
    },
    async dieAfterStart(inputs) {
      // The process ends right after the start call: nothing waited.
      const dying = await providerFor(o.create, emulator);
      await dying.create({ ...inputs, ...(o.noWait ?? { waitForCompletion: false }) });
    },
    complete(id) {
      emulator.configure({ timeScale: 1000 });
      return o.complete?.(id) ?? Promise.resolve();
    },
    remove: (id) => o.remove(id),
    loseNextStartAnswer() {
      throw new Error("the emulator's faults fail a request before it acts: no lost answer");
    },
    tasks: () => o.tasks(),
    calls: () => Promise.resolve(emulator.stats().totalRequests),
  };
}

async function ads(emulator: Emulator): Promise<World> {
  await upload(emulator, "migration-data", {
    "good.csv": "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\n",
    "bad.csv": "Foo,Bar\n1,2\n",
  });
  const client = new ApplicationDiscoveryServiceClient(clientConfig(emulator));
  return emulatorWorld(emulator, {
    create: adsProvider,
    inputs: (course, extra) => ({
      name: "servers-q3",
      importUrl: `s3://migration-data/${course === "fails" ? "bad" : "good"}.csv`,
      clientRequestToken: "pam-contract-1",
      __provider: PROVIDER,
      ...extra,
    }),
    async remove(id) {
      await client.send(
        new BatchDeleteImportDataCommand({ importTaskIds: [id], deleteHistory: true }),
      );
      emulator.configure({ advanceSeconds: 600 });
    },
    async tasks() {
      const out = await client.send(new DescribeImportTasksCommand({}));
      return (out.tasks ?? []).map((t) => t.importTaskId ?? "");
    },
  });
}

const MGN_HEADER =
  "mgn:wave:name,mgn:wave:tag:stack,mgn:app:name,mgn:app:tag:stack,mgn:server:user-provided-id,mgn:server:fqdn-for-action-framework,mgn:server:tag:stack";

async function mgn(emulator: Emulator): Promise<World> {
  const client = new MgnClient(clientConfig(emulator));
  await client.send(new InitializeServiceCommand({}));
  await upload(emulator, "mgn-imports", {
    "good.csv": `${MGN_HEADER}\nwave-1,prod,billing,prod,srv-001,db1.example.com,prod\n`,
    "bad.csv": "mgn:server:user-provided-id,mgn:nonsense\nsrv-1,x\n",
  });
  return emulatorWorld(emulator, {
    create: mgnProvider,
    inputs: (course, extra) => ({
      s3BucketSource: {
        s3Bucket: "mgn-imports",
        s3Key: course === "fails" ? "bad.csv" : "good.csv",
      },
      clientToken: "pam-contract-1",
      __provider: PROVIDER,
      ...extra,
    }),
    remove: () => Promise.reject(new Error("MGN has no API that deletes an import")),
    async tasks() {
      const out = await client.send(new ListImportsCommand({}));
      return (out.items ?? []).map((t) => t.importID ?? "");
    },
  });
}

/** A disk image that passes the emulator's VMDK rule (emulator/ec2/diskImage.ts). */
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

async function image(emulator: Emulator): Promise<World> {
  await upload(emulator, "vm-imports", { "web.vmdk": vmdk(), "bad.vmdk": "not a disk" });
  const client = new EC2Client(clientConfig(emulator));
  return emulatorWorld(emulator, {
    create: imageProvider,
    inputs: (course, extra) => ({
      description: "web server",
      diskContainers: [
        {
          format: "vmdk",
          userBucket: {
            s3Bucket: "vm-imports",
            s3Key: course === "fails" ? "bad.vmdk" : "web.vmdk",
          },
        },
      ],
      platform: "Linux",
      clientToken: "pam-contract-1",
      __provider: PROVIDER,
      ...extra,
    }),
    async remove(id) {
      // EC2 forgets a task after 7 days; read then keeps the resource while its AMI exists.
      const out = await client.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }));
      const ami = out.ImportImageTasks?.[0]?.ImageId;
      if (ami !== undefined) await client.send(new DeregisterImageCommand({ ImageId: ami }));
      emulator.configure({ advanceSeconds: 8 * DAY_S });
    },
    async tasks() {
      const out = await client.send(new DescribeImportImageTasksCommand({}));
      return (out.ImportImageTasks ?? []).map((t) => t.ImportTaskId ?? "");
    },
  });
}

async function snapshot(emulator: Emulator): Promise<World> {
  await upload(emulator, "vm-imports", { "data.vmdk": vmdk(), "bad.vmdk": "not a disk" });
  const client = new EC2Client(clientConfig(emulator));
  return emulatorWorld(emulator, {
    create: snapshotProvider,
    inputs: (course, extra) => ({
      description: "data disk",
      diskContainer: {
        format: "vmdk",
        userBucket: {
          s3Bucket: "vm-imports",
          s3Key: course === "fails" ? "bad.vmdk" : "data.vmdk",
        },
      },
      clientToken: "pam-contract-1",
      __provider: PROVIDER,
      ...extra,
    }),
    async remove(id) {
      // EC2 forgets a task after 7 days; read then keeps the resource while its snapshot exists.
      const out = await client.send(
        new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [id] }),
      );
      const snap = out.ImportSnapshotTasks?.[0]?.SnapshotTaskDetail?.SnapshotId;
      if (snap !== undefined) await client.send(new DeleteSnapshotCommand({ SnapshotId: snap }));
      emulator.configure({ advanceSeconds: 8 * DAY_S });
    },
    async tasks() {
      const out = await client.send(new DescribeImportSnapshotTasksCommand({}));
      return (out.ImportSnapshotTasks ?? []).map((t) => t.ImportTaskId ?? "");
    },
  });
}

const MANIFEST = '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>';

async function instance(emulator: Emulator): Promise<World> {
  await upload(emulator, "vm-imports", {
    "dc01.manifest.xml": MANIFEST,
    "bad.manifest.xml": "not xml",
  });
  const client = new EC2Client(clientConfig(emulator));
  const manifestUrl = (key: string): string =>
    `${emulator.url}/vm-imports/${key}?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1294855591&Signature=5snej01TlTtL0uR7KExtEXAMPLE%3D`;
  return emulatorWorld(emulator, {
    create: instanceProvider,
    inputs: (course, extra) => ({
      description: "dc01",
      platform: "Windows",
      diskImages: [
        {
          image: {
            format: "VMDK",
            bytes: 1179593728,
            importManifestUrl: manifestUrl(
              course === "fails" ? "bad.manifest.xml" : "dc01.manifest.xml",
            ),
          },
          volume: { size: 12 },
        },
      ],
      marker: "pam-contract-1",
      __provider: PROVIDER,
      ...extra,
    }),
    async remove(id) {
      // EC2 forgets a conversion after 7 days; read then keeps the resource while its instance lives.
      const out = await client.send(
        new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }),
      );
      const instanceId = out.ConversionTasks?.[0]?.ImportInstance?.InstanceId;
      if (instanceId !== undefined)
        await client.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
      emulator.configure({ advanceSeconds: 8 * DAY_S });
    },
    async tasks() {
      const out = await client.send(new DescribeConversionTasksCommand({}));
      return (out.ConversionTasks ?? []).map((t) => t.ConversionTaskId ?? "");
    },
  });
}

/** A migration tool's reports: NotifyMigrationTaskState once the task exists (it may not yet). */
async function report(hub: MigrationHubClient, status: "COMPLETED" | "FAILED"): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      await hub.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
          Task: {
            Status: status,
            StatusDetail: status === "FAILED" ? "disk copy failed" : undefined,
          },
          UpdateDateTime: new Date(),
          NextUpdateSeconds: 60,
        }),
      );
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

async function streams(hub: MigrationHubClient): Promise<string[]> {
  const out = await hub.send(new ListProgressUpdateStreamsCommand({}));
  return (out.ProgressUpdateStreamSummaryList ?? []).map((s) => s.ProgressUpdateStreamName ?? "");
}

/** Deletes the stream "tool" (and its tasks) out of band and waits until it is gone. */
async function dropStream(hub: MigrationHubClient): Promise<void> {
  await hub.send(new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
  for (let i = 0; i < 200 && (await streams(hub)).includes("tool"); i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

async function migrationTask(emulator: Emulator): Promise<World> {
  const hub = new MigrationHubClient(clientConfig(emulator));
  await hub.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
  return emulatorWorld(emulator, {
    create: taskProvider,
    inputs(course, extra) {
      // The tool reports in the background, once the create has registered the task.
      if (course === "completes") void report(hub, "COMPLETED");
      if (course === "fails") void report(hub, "FAILED");
      return { ...MIGRATION_TASK, __provider: PROVIDER, ...extra };
    },
    noWait: { waitForStatus: undefined },
    complete: () => report(hub, "COMPLETED"),
    remove: () => dropStream(hub),
    async tasks() {
      const out = await hub.send(new ListMigrationTasksCommand({}));
      return (out.MigrationTaskSummaryList ?? []).map(
        (t) => `${t.ProgressUpdateStream ?? ""}/${t.MigrationTaskName ?? ""}`,
      );
    },
  });
}

async function stream(emulator: Emulator): Promise<World> {
  const hub = new MigrationHubClient(clientConfig(emulator));
  return emulatorWorld(emulator, {
    create: streamProvider,
    inputs: (_course, extra) => ({
      progressUpdateStreamName: "tool",
      __provider: PROVIDER,
      ...extra,
    }),
    noWait: {},
    remove: () => dropStream(hub),
    tasks: () => streams(hub),
  });
}

export const emulatorWorlds = {
  ads,
  mgn,
  image,
  instance,
  snapshot,
  migrationTask,
  stream,
};
