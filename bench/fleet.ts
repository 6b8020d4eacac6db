/**
 * Part 2 — a fleet under throttling: migrationhub.MigrationTask, mgn.ImportTask and ads.ImportTask
 * resources created all at once, as `pulumi up` does with unbounded parallelism, in real time
 * against the emulator's default (AWS-like) rate limits. Our providers (one instance per resource
 * type, as the host caches them) against a naive fleet: the same calls through SDK clients with
 * their default retry strategy (standard, 3 attempts) and no limiter, waiting with a fixed 5 s poll.
 * ADS and MGN tasks are given a short fixed duration so the rate limits, not the tasks, bound the
 * wall time.
 */
import {
  CreateProgressUpdateStreamCommand,
  ImportMigrationTaskCommand,
  MigrationHubClient,
} from "@aws-sdk/client-migration-hub";
import { ListImportsCommand, MgnClient, StartImportCommand } from "@aws-sdk/client-mgn";
import { DEFAULT_RATE_LIMITS, type Emulator, startEmulator } from "../emulator";
import {
  ApplicationDiscoveryServiceClient,
  DescribeImportTasksCommand,
  StartImportTaskCommand,
} from "../provider/ads/client";
import { createProvider as createAdsProvider } from "../provider/ads/importTaskProvider";
import { createProvider as createMgnProvider } from "../provider/mgn/importTaskProvider";
import { createProvider as createMigrationTaskProvider } from "../provider/migrationhub/migrationTaskProvider";
import {
  BUCKET,
  clientsFor,
  destroyClients,
  REGION,
  setupFixtures,
  SILENT,
  stackConfig,
} from "./lib/services";
import type { FleetBound, FleetResult, FleetRun, FleetSize } from "./lib/results";
import { round } from "./lib/stats";

const STREAM = "bench-stream";

async function fleetEmulator(size: FleetSize): Promise<Emulator> {
  const emulator = await startEmulator({
    homeRegion: REGION,
    taskDurationMs: () => size.taskSeconds * 1000,
  });
  const clients = clientsFor(emulator);
  try {
    await setupFixtures(clients);
    const mh = new MigrationHubClient({ endpoint: emulator.url, region: REGION, maxAttempts: 1 });
    await mh.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: STREAM }));
    mh.destroy();
  } finally {
    destroyClients(clients);
  }
  return emulator;
}

/** `run(p)` settles a resource's create; failures are counted by error name and message. */
function outcomes(): { run(p: Promise<unknown>): Promise<void>; failures: Record<string, number> } {
  const failures: Record<string, number> = {};
  const run = (p: Promise<unknown>): Promise<void> =>
    p.then(
      () => undefined,
      (err: unknown) => {
        const e = err as { name?: string; message?: string };
        const key = `${e.name ?? "Error"}: ${(e.message ?? String(err)).slice(0, 80)}`;
        failures[key] = (failures[key] ?? 0) + 1;
      },
    );
  return { run, failures };
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

async function runOurs(size: FleetSize): Promise<FleetRun> {
  const emulator = await fleetEmulator(size);
  try {
    const config = { config: stackConfig(emulator) };
    const mh = createMigrationTaskProvider({ logger: SILENT });
    const mgn = createMgnProvider({ logger: SILENT });
    const ads = createAdsProvider({ logger: SILENT });
    await Promise.all([mh.configure(config), mgn.configure(config), ads.configure(config)]);
    const before = emulator.stats();
    const { run, failures } = outcomes();
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: size.migrationTasks }, (_, i) =>
        run(mh.create({ progressUpdateStream: STREAM, migrationTaskName: `server-${i}` })),
      ),
      ...Array.from({ length: size.mgnImports }, (_, i) =>
        run(
          mgn.create({
            s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
            clientToken: `fleet-${i}`,
          }),
        ),
      ),
      ...Array.from({ length: size.adsImports }, (_, i) =>
        run(ads.create({ name: `fleet-${i}`, importUrl: `s3://${BUCKET}/servers.csv` })),
      ),
    ]);
    const wallSeconds = (Date.now() - t0) / 1000;
    const stats = emulator.stats();
    const accepted: Record<string, number> = {};
    for (const [op, n] of Object.entries(stats.requests)) {
      const delta =
        n - (before.requests[op] ?? 0) - (stats.throttled[op] ?? 0) + (before.throttled[op] ?? 0);
      if (delta > 0) accepted[op] = delta;
    }
    const throttled = sum(stats.throttled) - sum(before.throttled);
    return {
      wallSeconds: round(wallSeconds),
      throttled,
      // Our caller retries every throttled call, so each throttle is one retry.
      retries: throttled,
      failed: sum(failures),
      requests: stats.totalRequests - before.totalRequests,
      failures,
      bound: fleetBound(accepted, size.taskSeconds),
    };
  } finally {
    await emulator.stop();
  }
}

async function runNaive(size: FleetSize): Promise<FleetRun> {
  const emulator = await fleetEmulator(size);
  // Default clients: the SDK's standard retry strategy (3 attempts), no limiter of our own.
  const base = { endpoint: emulator.url, region: REGION };
  const mh = new MigrationHubClient(base);
  const mgn = new MgnClient(base);
  const ads = new ApplicationDiscoveryServiceClient(base);
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  let sends = 0;
  const send = <T>(p: () => Promise<T>): Promise<T> => {
    sends++;
    return p();
  };
  try {
    const before = emulator.stats();
    const { run, failures } = outcomes();
    const t0 = Date.now();
    await Promise.all([
      ...Array.from({ length: size.migrationTasks }, (_, i) =>
        run(
          send(() =>
            mh.send(
              new ImportMigrationTaskCommand({
                ProgressUpdateStream: STREAM,
                MigrationTaskName: `server-${i}`,
              }),
            ),
          ),
        ),
      ),
      ...Array.from({ length: size.mgnImports }, (_, i) =>
        run(
          (async () => {
            const out = await send(() =>
              mgn.send(
                new StartImportCommand({
                  s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
                  clientToken: `fleet-${i}`,
                }),
              ),
            );
            const id = out.importTask?.importID ?? "";
            for (;;) {
              await sleep(5000);
              const list = await send(() =>
                mgn.send(new ListImportsCommand({ filters: { importIDs: [id] } })),
              );
              const status = list.items?.[0]?.status;
              if (status === "SUCCEEDED") return;
              if (status === "FAILED") throw new Error(`import ${id} FAILED`);
            }
          })(),
        ),
      ),
      ...Array.from({ length: size.adsImports }, (_, i) =>
        run(
          (async () => {
            const out = await send(() =>
              ads.send(
                new StartImportTaskCommand({
                  name: `fleet-${i}`,
                  importUrl: `s3://${BUCKET}/servers.csv`,
                  clientRequestToken: `fleet-${i}`,
                }),
              ),
            );
            const id = out.task?.importTaskId ?? "";
            for (;;) {
              await sleep(5000);
              const d = await send(() =>
                ads.send(
                  new DescribeImportTasksCommand({
                    filters: [{ name: "IMPORT_TASK_ID", values: [id] }],
                  }),
                ),
              );
              const status = d.tasks?.[0]?.status ?? "";
              if (status.startsWith("IMPORT_COMPLETE")) return;
              if (status !== "IMPORT_IN_PROGRESS") throw new Error(`import ${id} ${status}`);
            }
          })(),
        ),
      ),
    ]);
    const wallSeconds = (Date.now() - t0) / 1000;
    const stats = emulator.stats();
    const requests = stats.totalRequests - before.totalRequests;
    return {
      wallSeconds: round(wallSeconds),
      throttled: sum(stats.throttled) - sum(before.throttled),
      retries: requests - sends,
      failed: sum(failures),
      requests,
      failures,
    };
  } finally {
    mh.destroy();
    mgn.destroy();
    await emulator.stop();
  }
}

/** The least wall time the emulator's limits allow for the calls our fleet needed. */
export function fleetBound(accepted: Record<string, number>, taskSeconds: number): FleetBound {
  let seconds = 0;
  let bindingOperation = "";
  for (const [op, calls] of Object.entries(accepted)) {
    const [service] = op.split(":");
    const limit = DEFAULT_RATE_LIMITS[op] ?? DEFAULT_RATE_LIMITS[`${service}:*`];
    if (limit === undefined) continue;
    const s = Math.max(0, calls - limit.burst) / limit.ratePerSecond;
    if (s > seconds) {
      seconds = s;
      bindingOperation = op;
    }
  }
  return { seconds: round(seconds + taskSeconds), bindingOperation, callsNeeded: accepted };
}

/** `runs` rounds of ours then the naive fleet, one at a time, each against a fresh emulator. */
export async function runFleet(
  size: FleetSize,
  runs: number,
  log: (msg: string) => void,
): Promise<FleetResult> {
  const result: FleetResult = { size, ours: [], naive: [] };
  for (let run = 1; run <= runs; run++) {
    log(`fleet run ${run}/${runs}: ours`);
    const ours = await runOurs(size);
    result.ours.push(ours);
    log(`  wall ${ours.wallSeconds} s, ${ours.failed} failed, bound ${ours.bound?.seconds} s`);
    log(`fleet run ${run}/${runs}: SDK default retry, no limiter`);
    const naive = await runNaive(size);
    result.naive.push(naive);
    log(`  wall ${naive.wallSeconds} s, ${naive.failed} failed`);
  }
  return result;
}
