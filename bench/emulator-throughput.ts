/**
 * How many DescribeImportTasks requests per second the emulator sustains with 1,000 ADS import
 * tasks in its state (issue 2, "Done when"), through the real ADS client (aws-sdk v2 Discovery).
 *
 * The emulator runs as users run it — the package bin, dist/emulator/cli.js, in its own process
 * (`--in-process` runs it in this one instead) — so the client's cost does not share its event loop.
 * 1,000 tasks are started, emulated time is moved on until every import has finished, and the count
 * and statuses are checked; then each request shape runs for `--seconds` with `--concurrency`
 * clients in flight. Every response is checked (task count), errors are counted, and the emulator's
 * own request counter must match what the client sent. Besides requests per second (wall clock,
 * client and server on the same machine) it reports the emulator's CPU time per request, read
 * from /proc: 1000 / that figure is what one core of emulator sustains.
 *
 *   npx tsc -p tsconfig.build.json && npx tsx bench/emulator-throughput.ts [--tasks 1000]
 *     [--seconds 5] [--concurrency 16] [--in-process]
 *
 * Prints a table; writes bench/results/emulator-throughput-<date>.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Discovery } from "aws-sdk";
import { startEmulator } from "../emulator";

const REGION = "us-west-2";
const CLI = join(__dirname, "..", "dist", "emulator", "cli.js");

interface Target {
  readonly url: string;
  /** Emulator CPU time so far in ms (user + system), when it can be read. */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

/** The bin in a child process; its CPU time from /proc/<pid>/stat (Linux). */
async function startChild(dataDir: string): Promise<Target> {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run npx tsc -p tsconfig.build.json first`);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CLI,
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--time-scale",
      "1",
      "--home-region",
      REGION,
      "--no-rate-limits",
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const ticks = 100; // USER_HZ on Linux
  return {
    url,
    cpuMs: () => {
      try {
        const fields = readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
      } catch {
        return undefined;
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function startInProcess(dataDir: string): Promise<Target> {
  const em = await startEmulator({ dataDir, rateLimits: false, timeScale: 1, homeRegion: REGION });
  return { url: em.url, cpuMs: () => undefined, stop: () => em.stop() };
}

async function control(
  url: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(
    `${url}/_emulator/${path}`,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body) },
  );
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Runs `tasks` calls of `call`, at most `concurrency` at a time. */
async function pool(
  tasks: number,
  concurrency: number,
  call: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks) await call(next++);
    }),
  );
}

/** `concurrency` loops calling `call` for `ms`; every answer must hold `expect` tasks. */
async function runFor(
  ms: number,
  concurrency: number,
  shape: string,
  expect: number,
  call: () => Promise<Discovery.DescribeImportTasksResponse>,
): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const s = performance.now();
        let out: Discovery.DescribeImportTasksResponse;
        try {
          out = await call();
        } catch {
          errors++;
          continue;
        }
        if (out.tasks?.length !== expect)
          throw new Error(`${shape}: ${out.tasks?.length} tasks, expected ${expect}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { latencies, errors };
}

interface Row {
  shape: string;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  emulatorCpuMsPerRequest: number | undefined;
  rpsPerEmulatorCore: number | undefined;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tasks: { type: "string", default: "1000" },
      seconds: { type: "string", default: "5" },
      concurrency: { type: "string", default: "16" },
      "in-process": { type: "boolean", default: false },
    },
  });
  const taskCount = Number(values.tasks);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const dataDir = mkdtempSync(join(tmpdir(), "bench-emulator-"));
  const target = values["in-process"] ? await startInProcess(dataDir) : await startChild(dataDir);
  try {
    const creds = { accessKeyId: "test", secretAccessKey: "test" };
    const s3 = new S3Client({
      endpoint: target.url,
      region: REGION,
      credentials: creds,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: "bench-imports" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "bench-imports",
        Key: "servers.csv",
        Body: "ExternalId,HostName\ncmdb-1,web-1\ncmdb-2,web-2\n",
      }),
    );
    s3.destroy();
    const ads = new Discovery({
      endpoint: target.url,
      region: REGION,
      credentials: creds,
      maxRetries: 0,
    });

    const ids: string[] = new Array<string>(taskCount);
    await pool(taskCount, concurrency, async (i) => {
      const out = await ads
        .startImportTask({
          name: `bench-${i}`,
          importUrl: "s3://bench-imports/servers.csv",
          clientRequestToken: `bench-${i}`,
        })
        .promise();
      ids[i] = out.task!.importTaskId!;
    });
    // ADS runs imports one after another: move emulated time on a day at a time until all ended.
    let statuses = new Map<string, number>();
    let listed = 0;
    for (let day = 0; day < 30 && (listed === 0 || statuses.has("IMPORT_IN_PROGRESS")); day++) {
      await control(target.url, "config", { advanceSeconds: 86400 });
      statuses = new Map<string, number>();
      listed = 0;
      let nextToken: string | undefined;
      do {
        const page = await ads
          .describeImportTasks({ maxResults: 100, ...(nextToken ? { nextToken } : {}) })
          .promise();
        for (const t of page.tasks ?? [])
          statuses.set(t.status!, (statuses.get(t.status!) ?? 0) + 1);
        listed += page.tasks?.length ?? 0;
        nextToken = page.nextToken;
      } while (nextToken);
    }
    if (listed !== taskCount || new Set(ids).size !== taskCount) {
      throw new Error(`expected ${taskCount} distinct tasks in the emulator, found ${listed}`);
    }
    process.stdout.write(
      `${taskCount} import tasks in the emulator: ${[...statuses].map(([s, n]) => `${n} ${s}`).join(", ")}\n`,
    );

    const pick = (): number => Math.floor(Math.random() * ids.length);
    const shapes: {
      shape: string;
      expect: number;
      call: () => Promise<Discovery.DescribeImportTasksResponse>;
    }[] = [
      {
        shape: "100 IDs per call (IMPORT_TASK_ID filter, the provider's batched poll)",
        expect: 100,
        call: () => {
          const start = Math.floor(Math.random() * (ids.length - 99));
          return ads
            .describeImportTasks({
              filters: [{ name: "IMPORT_TASK_ID", values: ids.slice(start, start + 100) }],
            })
            .promise();
        },
      },
      {
        shape: "1 ID per call (IMPORT_TASK_ID filter)",
        expect: 1,
        call: () =>
          ads
            .describeImportTasks({ filters: [{ name: "IMPORT_TASK_ID", values: [ids[pick()]!] }] })
            .promise(),
      },
      {
        shape: "first page, maxResults 100, no filter",
        expect: 100,
        call: () => ads.describeImportTasks({ maxResults: 100 }).promise(),
      },
    ];

    const rows: Row[] = [];
    for (const { shape, expect, call } of shapes) {
      await runFor(500, concurrency, shape, expect, call); // warm-up: JIT, sockets
      const before =
        ((await control(target.url, "stats")).requests as Record<string, number>)[
          "ads:DescribeImportTasks"
        ] ?? 0;
      const cpu0 = target.cpuMs();
      const t0 = performance.now();
      const { latencies, errors } = await runFor(seconds * 1000, concurrency, shape, expect, call);
      const elapsed = (performance.now() - t0) / 1000;
      const cpu1 = target.cpuMs();
      const after =
        ((await control(target.url, "stats")).requests as Record<string, number>)[
          "ads:DescribeImportTasks"
        ] ?? 0;
      if (after - before !== latencies.length + errors) {
        throw new Error(
          `the emulator counted ${after - before} DescribeImportTasks, the client sent ${latencies.length + errors}`,
        );
      }
      latencies.sort((a, b) => a - b);
      const q = (p: number): number =>
        Math.round(
          (latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10,
        ) / 10;
      const cpuPer =
        cpu0 !== undefined && cpu1 !== undefined && latencies.length > 0
          ? (cpu1 - cpu0) / latencies.length
          : undefined;
      rows.push({
        shape,
        requests: latencies.length,
        errors,
        seconds: Math.round(elapsed * 100) / 100,
        rps: Math.round(latencies.length / elapsed),
        p50Ms: q(0.5),
        p99Ms: q(0.99),
        emulatorCpuMsPerRequest:
          cpuPer === undefined ? undefined : Math.round(cpuPer * 1000) / 1000,
        rpsPerEmulatorCore: cpuPer ? Math.round(1000 / cpuPer) : undefined,
      });
    }

    const where = values["in-process"] ? "in this process" : "in its own process (the bin)";
    process.stdout.write(
      `\nDescribeImportTasks against the emulator ${where}, ${taskCount} tasks, ${concurrency} concurrent aws-sdk v2 clients, ${seconds} s per shape, ${cpus().length} CPUs shared with the client\n\n`,
    );
    process.stdout.write(
      "| request shape | requests | errors | req/s | p50 ms | p99 ms | emulator CPU ms/req | req/s per emulator core |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for (const r of rows) {
      process.stdout.write(
        `| ${r.shape} | ${r.requests} | ${r.errors} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} | ${r.emulatorCpuMsPerRequest ?? "n/a"} | ${r.rpsPerEmulatorCore ?? "n/a"} |\n`,
      );
    }
    const dir = join(__dirname, "results");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `emulator-throughput-${new Date().toISOString().slice(0, 10)}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          taskCount,
          seconds,
          concurrency,
          emulator: where,
          cpus: cpus().length,
          node: process.version,
          statuses: Object.fromEntries(statuses),
          rows,
        },
        null,
        2,
      ) + "\n",
    );
    process.stdout.write(`\nwrote ${file}\n`);
  } finally {
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
