/**
 * How many DescribeImportTasks requests per second the emulator sustains with 1,000 ADS import
 * tasks in its state, through the real ADS client (aws-sdk v2 Discovery), for three request shapes.
 * Prints a table; writes bench/results/emulator-throughput-<date>.json. Figures include the
 * client's own cost on the same machine (2 cores here), so they are a floor for the server.
 *
 *   npx tsx bench/emulator-throughput.ts [--tasks 1000] [--seconds 5] [--concurrency 16]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Discovery } from "aws-sdk";
import { startEmulator } from "../emulator";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tasks: { type: "string", default: "1000" }, seconds: { type: "string", default: "5" }, concurrency: { type: "string", default: "16" } },
  });
  const taskCount = Number(values.tasks);
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const emulator = await startEmulator({ rateLimits: false, timeScale: 1000, homeRegion: "us-west-2" });
  const creds = { accessKeyId: "test", secretAccessKey: "test" };
  const s3 = new S3Client({ endpoint: emulator.url, region: "us-west-2", credentials: creds, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "bench-imports" }));
  await s3.send(new PutObjectCommand({ Bucket: "bench-imports", Key: "servers.csv", Body: "ExternalId,HostName\ncmdb-1,web-1\ncmdb-2,web-2\n" }));
  const ads = new Discovery({ endpoint: emulator.url, region: "us-west-2", credentials: creds, maxRetries: 0 });

  const ids: string[] = [];
  for (let i = 0; i < taskCount; i++) {
    const out = await ads.startImportTask({ name: `bench-${i}`, importUrl: "s3://bench-imports/servers.csv", clientRequestToken: `bench-${i}` }).promise();
    ids.push(out.task!.importTaskId!);
  }

  const shapes: Record<string, () => Promise<unknown>> = {
    "describe 100 IDs (filter IMPORT_TASK_ID)": () => {
      const start = Math.floor(Math.random() * (ids.length - 100));
      return ads.describeImportTasks({ filters: [{ name: "IMPORT_TASK_ID", values: ids.slice(start, start + 100) }] }).promise();
    },
    "describe 1 ID": () => ads.describeImportTasks({ filters: [{ name: "IMPORT_TASK_ID", values: [ids[Math.floor(Math.random() * ids.length)]!] }] }).promise(),
    "first page, maxResults 100": () => ads.describeImportTasks({ maxResults: 100 }).promise(),
  };
  const rows: { shape: string; requests: number; rps: number; p50Ms: number; p99Ms: number }[] = [];
  for (const [shape, call] of Object.entries(shapes)) {
    const latencies: number[] = [];
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          const t0 = performance.now();
          await call();
          latencies.push(performance.now() - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    const q = (p: number): number => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0) * 10) / 10;
    rows.push({ shape, requests: latencies.length, rps: Math.round(latencies.length / seconds), p50Ms: q(0.5), p99Ms: q(0.99) });
  }
  await emulator.stop();

  process.stdout.write(`\nDescribeImportTasks against the emulator with ${taskCount} tasks, ${concurrency} concurrent clients, ${seconds}s each\n\n`);
  process.stdout.write("| request | requests | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n");
  for (const r of rows) process.stdout.write(`| ${r.shape} | ${r.requests} | ${r.rps} | ${r.p50Ms} | ${r.p99Ms} |\n`);
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `emulator-throughput-${new Date().toISOString().slice(0, 10)}.json`);
  writeFileSync(file, JSON.stringify({ taskCount, seconds, concurrency, node: process.version, rows }, null, 2) + "\n");
  process.stdout.write(`\nwrote ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
