/**
 * Shared pieces of the reliability scenarios: providers configured against an emulator, the
 * emulator-side truth (every task each service holds, listed through its own APIs), and the
 * counters a scenario reports.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
} from "@aws-sdk/client-migration-hub";
import {
  DescribeConversionTasksCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { InitializeServiceCommand, ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import type { Emulator, EmulatorStats } from "../../emulator";
import {
  ApplicationDiscoveryServiceClient,
  DescribeImportTasksCommand,
  type ImportTask as WireImportTask,
} from "../../provider/ads/client";
import { createProvider as adsProvider } from "../../provider/ads/importTaskProvider";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { createLogger } from "../../provider/core/log";
import { createProvider as taskProvider } from "../../provider/migrationhub/migrationTaskProvider";
import { createProvider as streamProvider } from "../../provider/migrationhub/progressUpdateStreamProvider";
import { createProvider as mgnProvider } from "../../provider/mgn/importTaskProvider";
import { createProvider as imageProvider } from "../../provider/ec2/importImageTaskProvider";
import { createProvider as instanceProvider } from "../../provider/ec2/importInstanceTaskProvider";
import { ImportTask as MgnImportTask } from "../../provider/mgn/importTask";
import { ImportImageTask } from "../../provider/ec2/importImageTask";
import { ImportInstanceTask } from "../../provider/ec2/importInstanceTask";
import { ImportTask } from "../../provider/ads/importTask";
import { MigrationTask } from "../../provider/migrationhub/migrationTask";
import { ProgressUpdateStream } from "../../provider/migrationhub/progressUpdateStream";
import { DynamicHost } from "../support/dynamicHost";
import { registrations } from "../support/mocks";

export const REGION = "us-west-2";
export const BUCKET = "migration-data";
/** A small ADS import template (two servers). */
export const GOOD_CSV =
  "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\nsrv-2,web-2,10.0.0.2\n";
/** The stream every scenario's migration tasks belong to. */
export const STREAM = "reliability-tool";

export type Kind = "ads" | "mgn" | "image" | "instance" | "stream" | "task";
/** The kinds that start an AWS task and wait for it (streams have no task to wait on). */
export const TASK_KINDS: readonly Kind[] = ["ads", "mgn", "image", "instance", "task"];
export const FACTORIES: Record<
  Kind,
  (deps: { logger: ReturnType<typeof createLogger> }) => ProviderImplementation
> = {
  ads: adsProvider,
  mgn: mgnProvider,
  image: imageProvider,
  instance: instanceProvider,
  stream: streamProvider,
  task: taskProvider,
};
/** The output holding each kind's status, and its value once the task completed. */
export const DONE: Record<Kind, [string, string]> = {
  ads: ["status", "IMPORT_COMPLETE"],
  mgn: ["status", "SUCCEEDED"],
  image: ["status", "completed"],
  instance: ["state", "completed"],
  stream: ["progressUpdateStreamName", ""],
  task: ["status", "COMPLETED"],
};

/** Credentials for the test's own clients (the "migration tool", the auditor). */
const TEST_KEYS = { accessKeyId: "test", secretAccessKey: "test" };

export function toolConfig(emulator: Emulator): {
  endpoint: string;
  region: string;
  credentials: typeof TEST_KEYS;
  maxAttempts: number;
} {
  // The tool's own calls meet the same faults; the SDK's standard retries carry it through.
  return { endpoint: emulator.url, region: REGION, credentials: TEST_KEYS, maxAttempts: 20 };
}

export function configSource(
  emulator: Emulator,
  extra: Record<string, string> = {},
): { config: { get(k: string): string | undefined } } {
  const values: Record<string, string> = {
    "aws:region": REGION,
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "20",
    "awsMigration:pollMaxDelayMs": "200",
    ...extra,
  };
  return { config: { get: (k) => values[k] } };
}

/** A provider as the host would hold it: one per kind, configured once, logging into `lines`. */
export async function configured(
  kind: Kind,
  emulator: Emulator,
  extra: Record<string, string> = {},
  lines: string[] = [],
): Promise<ProviderImplementation> {
  const provider = FACTORIES[kind]({
    logger: createLogger({ sink: (l) => lines.push(l), minIntervalMs: 0 }),
  });
  await provider.configure(configSource(emulator, extra));
  return provider;
}

export async function uploadObjects(
  emulator: Emulator,
  files: Record<string, string>,
  createBucket = true,
): Promise<void> {
  const s3 = new S3Client({ ...toolConfig(emulator), forcePathStyle: true });
  if (createBucket) await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

/** Every ADS import task the emulator holds (DescribeImportTasks, all pages). */
export async function adsTasks(emulator: Emulator): Promise<WireImportTask[]> {
  const client = new ApplicationDiscoveryServiceClient(toolConfig(emulator));
  const out: WireImportTask[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new DescribeImportTasksCommand({ maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    out.push(...(page.tasks ?? []));
    nextToken = page.nextToken || undefined;
  } while (nextToken);
  return out;
}

export interface HubTask {
  stream: string;
  name: string;
  status: string;
}

/** Every Migration Hub task (ListMigrationTasks, all pages). */
export async function hubTasks(emulator: Emulator): Promise<HubTask[]> {
  const client = new MigrationHubClient(toolConfig(emulator));
  const out: HubTask[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListMigrationTasksCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) }),
    );
    for (const t of page.MigrationTaskSummaryList ?? []) {
      out.push({
        stream: t.ProgressUpdateStream ?? "",
        name: t.MigrationTaskName ?? "",
        status: t.Status ?? "NOT_REPORTED",
      });
    }
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  client.destroy();
  return out;
}

/** Every progress update stream name (ListProgressUpdateStreams, all pages). */
export async function streamNames(emulator: Emulator): Promise<string[]> {
  const client = new MigrationHubClient(toolConfig(emulator));
  const out: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.send(
      new ListProgressUpdateStreamsCommand({
        MaxResults: 100,
        ...(NextToken ? { NextToken } : {}),
      }),
    );
    out.push(
      ...(page.ProgressUpdateStreamSummaryList ?? []).map((s) => s.ProgressUpdateStreamName ?? ""),
    );
    NextToken = page.NextToken || undefined;
  } while (NextToken);
  client.destroy();
  return out;
}

/** The migration tool's report: moves tasks of STREAM to `status`. */
export async function notify(
  emulator: Emulator,
  names: readonly string[],
  status: "IN_PROGRESS" | "COMPLETED",
): Promise<void> {
  const client = new MigrationHubClient(toolConfig(emulator));
  await Promise.all(
    names.map((name) =>
      client.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: STREAM,
          MigrationTaskName: name,
          Task: { Status: status, ProgressPercent: status === "COMPLETED" ? 100 : 50 },
          UpdateDateTime: new Date(),
          NextUpdateSeconds: 3600,
        }),
      ),
    ),
  );
  client.destroy();
}

export function sum(map: Record<string, number>, prefix = ""): number {
  return Object.entries(map)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((n, [, v]) => n + v, 0);
}

/** Faults the emulator injected plus calls its rate limiter refused. */
export function faultsIn(stats: EmulatorStats): number {
  return sum(stats.faults) + sum(stats.throttled);
}

/** A deterministic PRNG (mulberry32) for seeded trials. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Through Pulumi's real dynamic-provider host (needs a build: the shim requires dist/provider).

export const PROJECT = "migration";
export const STACK = "test";
export const TYPES: Record<Kind, string> = {
  ads: "pulumi-nodejs:dynamic/ads:ImportTask",
  mgn: "pulumi-nodejs:dynamic/mgn:ImportTask",
  image: "pulumi-nodejs:dynamic/ec2:ImportImageTask",
  instance: "pulumi-nodejs:dynamic/ec2:ImportInstanceTask",
  stream: "pulumi-nodejs:dynamic/migrationhub:ProgressUpdateStream",
  task: "pulumi-nodejs:dynamic/migrationhub:MigrationTask",
};

export function urnOf(kind: Kind, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${TYPES[kind]}::${name}`;
}

/** The serialized `__provider` text each resource class registers (what the engine stores). */
export async function serializedProviders(): Promise<Record<Kind, string>> {
  const seen = await registrations(
    () => {
      new ImportTask("p-ads", { name: "p", importUrl: `s3://${BUCKET}/p.csv` });
      new MgnImportTask("p-mgn", { s3BucketSource: { s3Bucket: MGN_BUCKET, s3Key: "p.csv" } });
      new ImportImageTask("p-image", {
        diskContainers: [{ format: "vmdk", userBucket: { s3Bucket: VM_BUCKET, s3Key: "p.vmdk" } }],
      });
      new ImportInstanceTask("p-instance", {
        platform: "Windows",
        diskImages: [
          {
            image: {
              format: "VMDK",
              bytes: 2048,
              importManifestUrl: "https://vm-imports.s3.amazonaws.com/p.xml?X-Amz-Signature=0",
            },
            volume: { size: 8 },
          },
        ],
      });
      new ProgressUpdateStream("p-stream", { progressUpdateStreamName: "p" });
      new MigrationTask("p-task", { progressUpdateStream: "p", migrationTaskName: "p" });
    },
    PROJECT,
    STACK,
  );
  const byType = new Map(seen.map((r) => [r.type, String(r.inputs["__provider"])]));
  const out = {} as Record<Kind, string>;
  for (const kind of Object.keys(TYPES) as Kind[]) {
    const text = byType.get(TYPES[kind]);
    if (text === undefined) throw new Error(`${TYPES[kind]} did not register`);
    out[kind] = text;
  }
  return out;
}

/** A host process environment: only what the AWS credential chain and node need. */
export function hostEnv(
  keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = TEST_KEYS,
): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    AWS_ACCESS_KEY_ID: keys.accessKeyId,
    AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
    ...(keys.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: keys.sessionToken }),
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export async function startHost(
  emulator: Emulator,
  extra: Record<string, string> = {},
  env: NodeJS.ProcessEnv = hostEnv(),
): Promise<DynamicHost> {
  const host = await DynamicHost.start(process.cwd(), env);
  await host.configure({
    "aws:region": REGION,
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "20",
    "awsMigration:pollMaxDelayMs": "200",
    ...extra,
  });
  return host;
}

// ---------------------------------------------------------------------------------------------
// Every service at once: what each kind needs in S3, its inputs, and the emulator's own listing.

export const MGN_BUCKET = "mgn-imports";
export const VM_BUCKET = "vm-imports";
const MGN_HEADER =
  "mgn:wave:name,mgn:app:name,mgn:server:user-provided-id,mgn:server:fqdn-for-action-framework";

/** A disk image the emulator's format check accepts (VMDK magic). */
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

/** Initializes MGN and creates the buckets every kind reads from (once per emulator state). */
export async function prepareServices(emulator: Emulator): Promise<void> {
  const mgn = new MgnClient(toolConfig(emulator));
  await mgn.send(new InitializeServiceCommand({}));
  mgn.destroy();
  const s3 = new S3Client({ ...toolConfig(emulator), forcePathStyle: true });
  for (const Bucket of [BUCKET, MGN_BUCKET, VM_BUCKET])
    await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "servers.csv", Body: GOOD_CSV }));
  s3.destroy();
}

/** Uploads the per-resource objects `kind` needs for `names` (MGN: a CSV each; EC2: a disk each). */
export async function stage(
  emulator: Emulator,
  kind: Kind,
  names: readonly string[],
): Promise<void> {
  if (kind !== "mgn" && kind !== "image" && kind !== "instance") return;
  const s3 = new S3Client({ ...toolConfig(emulator), forcePathStyle: true });
  await Promise.all(
    names.map((name) =>
      kind === "mgn"
        ? s3.send(
            new PutObjectCommand({
              Bucket: MGN_BUCKET,
              Key: `${name}.csv`,
              Body: `${MGN_HEADER}\nwave-${name},app-${name},${name},${name}.corp.example.com\n`,
            }),
          )
        : s3.send(
            new PutObjectCommand({
              Bucket: VM_BUCKET,
              Key: `${name}.${kind === "image" ? "vmdk" : "manifest.xml"}`,
              Body:
                kind === "image"
                  ? vmdk()
                  : '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>',
            }),
          ),
    ),
  );
  s3.destroy();
}

/**
 * The signature of the presigned manifest URLs the scenarios pass to ec2.ImportInstanceTask: a
 * credential, and a secret marker (./secrets) no log or open state may show.
 */
export const MANIFEST_SIGNATURE =
  "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e70000";

/** A presigned-style manifest URL on the emulator (ImportInstance only checks its S3 shape). */
export function manifestUrl(
  emulator: Emulator,
  name: string,
  signature = MANIFEST_SIGNATURE,
): string {
  return `${emulator.url}/${VM_BUCKET}/${name}.manifest.xml?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=${signature}`;
}

/**
 * The inputs of resource `name` of `kind`, as the engine sends them (the class's derived token
 * included, spelled out here so re-runs are identical). `__provider` is the serialized text.
 */
export function inputsOf(
  emulator: Emulator,
  kind: Kind,
  name: string,
  __provider: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base: Record<Kind, () => Record<string, unknown>> = {
    ads: () => ({
      name,
      importUrl: `s3://${BUCKET}/servers.csv`,
      clientRequestToken: `pam-${name}`,
    }),
    mgn: () => ({
      s3BucketSource: { s3Bucket: MGN_BUCKET, s3Key: `${name}.csv` },
      clientToken: `pam-${name}`,
    }),
    image: () => ({
      description: name,
      diskContainers: [
        { format: "vmdk", userBucket: { s3Bucket: VM_BUCKET, s3Key: `${name}.vmdk` } },
      ],
      platform: "Linux",
      clientToken: `pam-${name}`,
    }),
    instance: () => ({
      description: name,
      platform: "Windows",
      diskImages: [
        {
          image: { format: "VMDK", bytes: 2048, importManifestUrl: manifestUrl(emulator, name) },
          volume: { size: 8 },
        },
      ],
      marker: `pam-marker-${name}`,
    }),
    stream: () => ({ progressUpdateStreamName: name }),
    task: () => ({ progressUpdateStream: STREAM, migrationTaskName: name }),
  };
  return { ...base[kind](), __provider, ...extra };
}

/** The name of every task of `kind` the emulator holds, once per task (duplicates show twice). */
export async function taskNames(emulator: Emulator, kind: Kind): Promise<string[]> {
  return (await listTasks(emulator, kind)).map((t) => t.resource);
}

/**
 * Every task of `kind` the emulator holds, through the service's own list APIs: the resource it
 * names (as support.inputsOf names them) and its ID (Migration Hub: `stream/name`, or the stream
 * name).
 */
export async function listTasks(
  emulator: Emulator,
  kind: Kind,
): Promise<{ kind: Kind; resource: string; id: string }[]> {
  const out: { kind: Kind; resource: string; id: string }[] = [];
  const add = (resource: string, id: string): void => {
    out.push({ kind, resource, id });
  };
  switch (kind) {
    case "ads":
      for (const t of await adsTasks(emulator)) add(t.name ?? "", t.importTaskId ?? "");
      return out;
    case "stream":
      for (const n of await streamNames(emulator)) add(n, n);
      return out;
    case "task":
      for (const t of await hubTasks(emulator))
        if (t.stream === STREAM) add(t.name, `${t.stream}/${t.name}`);
      return out;
    case "mgn": {
      const mgn = new MgnClient(toolConfig(emulator));
      let nextToken: string | undefined;
      do {
        const page = await mgn.send(
          new ListImportsCommand({ maxResults: 1000, ...(nextToken ? { nextToken } : {}) }),
        );
        for (const i of page.items ?? [])
          add((i.s3BucketSource?.s3Key ?? "").replace(/\.csv$/, ""), i.importID ?? "");
        nextToken = page.nextToken || undefined;
      } while (nextToken);
      mgn.destroy();
      return out;
    }
    case "image":
    case "instance": {
      const ec2 = new EC2Client(toolConfig(emulator));
      let NextToken: string | undefined;
      do {
        if (kind === "image") {
          const page = await ec2.send(
            new DescribeImportImageTasksCommand({
              MaxResults: 500,
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          for (const t of page.ImportImageTasks ?? [])
            add(t.Description ?? "", t.ImportTaskId ?? "");
          NextToken = page.NextToken || undefined;
        } else {
          const page = await ec2.send(new DescribeConversionTasksCommand({}));
          for (const t of page.ConversionTasks ?? [])
            add(
              (t.ImportInstance?.Description ?? "").replace(/ ?\[.*\]$/, ""),
              t.ConversionTaskId ?? "",
            );
        }
      } while (NextToken);
      ec2.destroy();
      return out;
    }
  }
}
