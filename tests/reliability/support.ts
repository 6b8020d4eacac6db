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

export type Kind = "ads" | "stream" | "task";
export const FACTORIES: Record<
  Kind,
  (deps: { logger: ReturnType<typeof createLogger> }) => ProviderImplementation
> = {
  ads: adsProvider,
  stream: streamProvider,
  task: taskProvider,
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
): Promise<void> {
  const s3 = new S3Client({ ...toolConfig(emulator), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
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

/** How many of `want` names occur not at all (lost) and more than once (duplicates beyond one). */
export function tally(
  want: readonly string[],
  found: readonly string[],
): { lost: number; duplicated: number } {
  const count = new Map<string, number>();
  for (const f of found) count.set(f, (count.get(f) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const w of want) {
    const n = count.get(w) ?? 0;
    if (n === 0) lost++;
    else duplicated += n - 1;
  }
  return { lost, duplicated };
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
