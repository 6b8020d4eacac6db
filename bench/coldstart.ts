/**
 * Part 4 — cold start: a fresh `node @pulumi/pulumi/cmd/dynamic-provider` host process (spawned as
 * the engine spawns it, tests/support/dynamicHost.ts) is configured and asked to create one
 * ads.ImportTask (waitForCompletion false) from its real serialized `__provider`; the time to its
 * first AWS request is read off the emulator's request counter. Needs the build (dist/).
 */
import { type Emulator, startEmulator } from "../emulator";
import { ImportTask } from "../provider/ads/importTask";
import { DynamicHost } from "../tests/support/dynamicHost";
import type { ColdStartResult } from "./lib/results";
import { clientsFor, destroyClients, REGION, setupFixtures } from "./lib/services";
import { round, summarize, type Summary } from "./lib/stats";
import { register } from "./state";

/** Resolves with Date.now() when the emulator has seen more than `before` requests. */
function firstRequestAfter(emulator: Emulator, before: number): Promise<number> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (emulator.stats().totalRequests > before) {
        clearInterval(timer);
        resolve(Date.now());
      }
    }, 1);
  });
}

export async function runColdStart(runs: number): Promise<ColdStartResult> {
  const [reg] = await register(
    1,
    () =>
      new ImportTask("servers", {
        name: "servers",
        importUrl: "s3://bench-migration/servers.csv",
        waitForCompletion: false,
      }),
  );
  const urn = "urn:pulumi:bench::cold::pulumi-nodejs:dynamic/ads:ImportTask::servers";
  const emulator = await startEmulator({ homeRegion: REGION, rateLimits: false });
  const clients = clientsFor(emulator);
  const ready: number[] = [];
  const first: number[] = [];
  try {
    await setupFixtures(clients);
    for (let run = 0; run < runs; run++) {
      const seen = firstRequestAfter(emulator, emulator.stats().totalRequests);
      const t0 = Date.now();
      const host = await DynamicHost.start(process.cwd(), {
        PATH: process.env["PATH"],
        HOME: process.env["HOME"],
        AWS_ACCESS_KEY_ID: "test",
        AWS_SECRET_ACCESS_KEY: "test",
      });
      ready.push(Date.now() - t0);
      try {
        await host.configure({ "aws:region": REGION, "awsMigration:endpoint": emulator.url });
        const inputs = {
          ...reg!.inputs,
          name: `servers-${run}`,
          clientRequestToken: `cold-${run}-${Date.now()}`,
        };
        await host.check(urn, {}, inputs);
        await host.create(urn, inputs);
        first.push((await seen) - t0);
      } finally {
        host.stop();
      }
    }
  } finally {
    destroyClients(clients);
    await emulator.stop();
  }
  const r = (s: Summary): Summary => ({
    p50: round(s.p50, 0),
    p95: round(s.p95, 0),
    max: round(s.max, 0),
  });
  return { runs, hostReadyMs: r(summarize(ready)), firstRequestMs: r(summarize(first)) };
}
