/**
 * Scenario 2 — 5xx bursts, connection resets, and an emulator restart mid-wait: the emulator is
 * stopped while resources of every service wait and started again on the same port from the same
 * data dir (state persisted, emulated time kept running). Every wait resumes and completes, one
 * task each.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, type FaultRule, startEmulator } from "../../emulator";
import { record } from "./summary";
import {
  adsTasks,
  configured,
  DONE,
  faultsIn,
  inputsOf,
  type Kind,
  notify,
  prepareServices,
  REGION,
  seeded,
  sleep,
  stage,
  STREAM,
  tally,
  TASK_KINDS,
  taskNames,
} from "./support";

const SCENARIO = "2 5xx, resets, restart";
const PER_KIND = 10;
const KINDS: Kind[] = [...TASK_KINDS, "stream"];

const BURSTS: FaultRule[] = [
  { kind: "5xx", probability: 0.3, durationMs: 3_000 },
  { kind: "reset", probability: 0.15, durationMs: 3_000 },
];

describe(SCENARIO, function () {
  this.timeout(180_000);
  let dataDir: string;
  let emulator: Emulator | undefined;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "reliability-restart-"));
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("every wait resumes through 5xx bursts, connection resets and a restart on the same port", async () => {
    const duration = seeded(22);
    const options: EmulatorOptions = {
      dataDir,
      rateLimits: false,
      timeScale: 30,
      homeRegion: REGION,
      seed: 202,
      // 4–6 emulated minutes: 8–12 s here, so imports still run at the restart even on a busy
      // machine, where registering all 50 takes seconds.
      taskDurationMs: () => 240_000 + Math.floor(duration() * 120_000),
    };
    let em = await startEmulator(options);
    emulator = em;
    const port = Number(new URL(em.url).port);
    await prepareServices(em);
    const providers = new Map(
      await Promise.all(KINDS.map(async (k) => [k, await configured(k, em)] as const)),
    );
    await providers.get("stream")!.create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    const names = (k: Kind): string[] =>
      Array.from({ length: PER_KIND }, (_, i) => `burst-${k}-${i}`);
    await Promise.all(KINDS.map((k) => stage(em, k, names(k))));

    em.configure({ faults: BURSTS });
    const creates = KINDS.flatMap((k) =>
      names(k).map((name) =>
        providers
          .get(k)!
          .create(
            inputsOf(em, k, name, "shim", k === "task" ? { waitForStatus: "COMPLETED" } : {}),
          ),
      ),
    );
    const settled = Promise.allSettled(creates);

    // Mid-wait: every task of every service started, none finished yet.
    for (;;) {
      const counts = await Promise.all(
        TASK_KINDS.map(
          async (k) => (await taskNames(em, k)).filter((n) => n.startsWith("burst-")).length,
        ),
      );
      if (counts.every((n) => n === PER_KIND)) break;
      await sleep(100);
    }
    assert.ok(
      (await adsTasks(em)).some((t) => t.status === "IMPORT_IN_PROGRESS"),
      "every ADS import ended before the restart",
    );
    const first = em.stats();
    await em.stop();
    emulator = undefined;
    await sleep(750); // polls meet ECONNREFUSED meanwhile
    em = await startEmulator({
      ...options,
      port,
      faults: [{ kind: "5xx", probability: 0.5, maxCount: 40 }],
    });
    emulator = em;
    assert.equal(em.url, `http://127.0.0.1:${port}`);
    await notify(em, names("task"), "COMPLETED");

    const results = await settled;
    assert.deepEqual(
      results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])),
      [],
    );
    const second = em.stats();
    const outs = (
      results as PromiseFulfilledResult<{ id: string; outs: Record<string, unknown> }>[]
    ).map((r) => r.value.outs);
    assert.deepEqual(
      outs.map((o, i) => o[DONE[KINDS[Math.floor(i / PER_KIND)]!][0]]),
      KINDS.flatMap((k) => names(k).map((n) => (k === "stream" ? n : DONE[k][1]))),
    );
    // Both emulator lifetimes injected faults; the second one's 5xx burst hit the resumed polls.
    assert.ok(
      faultsIn(first) > 0 && faultsIn(second) > 0,
      `faults ${faultsIn(first)} / ${faultsIn(second)}`,
    );

    let lost = 0;
    let duplicated = 0;
    for (const k of KINDS) {
      const found = (await taskNames(em, k)).filter((n) => n.startsWith("burst-"));
      const t = tally(names(k), found);
      lost += t.lost;
      duplicated += t.duplicated + Math.max(0, found.length - PER_KIND - t.duplicated);
    }
    record(SCENARIO, {
      runs: 1,
      faults: faultsIn(first) + faultsIn(second) + 1, // + the restart itself
      resources: creates.length,
      lost,
      duplicated,
    });
    assert.deepEqual({ lost, duplicated }, { lost: 0, duplicated: 0 });
  });
});
