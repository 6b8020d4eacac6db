/**
 * Scenario 2 — 5xx bursts, connection resets, and an emulator restart mid-wait: the emulator is
 * stopped while every resource waits and started again on the same port from the same data dir
 * (state persisted, emulated time kept running). Every wait resumes and completes, one task each.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, type FaultRule, startEmulator } from "../../emulator";
import { record } from "./summary";
import {
  adsTasks,
  BUCKET,
  configured,
  faultsIn,
  GOOD_CSV,
  hubTasks,
  notify,
  REGION,
  sleep,
  STREAM,
  streamNames,
  tally,
  uploadObjects,
} from "./support";

const SCENARIO = "2 5xx, resets, restart";
const N_ADS = 20;
const N_TASKS = 20;
const N_STREAMS = 10;

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
    const options: EmulatorOptions = {
      dataDir,
      rateLimits: false,
      timeScale: 30,
      homeRegion: REGION,
      seed: 202,
    };
    let em = await startEmulator(options);
    emulator = em;
    const port = Number(new URL(em.url).port);
    await uploadObjects(em, { "servers.csv": GOOD_CSV });
    const [ads, task, stream] = await Promise.all([
      configured("ads", em),
      configured("task", em),
      configured("stream", em),
    ]);
    await stream.create({ progressUpdateStreamName: STREAM, __provider: "shim" });

    const adsNames = Array.from({ length: N_ADS }, (_, i) => `burst-${i}`);
    const taskNames = Array.from({ length: N_TASKS }, (_, i) => `burst-${i}`);
    const newStreams = Array.from({ length: N_STREAMS }, (_, i) => `burst-stream-${i}`);
    em.configure({ faults: BURSTS });
    const creates = [
      ...adsNames.map((name) =>
        ads.create({
          name,
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: `burst-token-${name}`,
          __provider: "shim",
        }),
      ),
      ...taskNames.map((name) =>
        task.create({
          progressUpdateStream: STREAM,
          migrationTaskName: name,
          waitForStatus: "COMPLETED",
          __provider: "shim",
        }),
      ),
      ...newStreams.map((name) =>
        stream.create({ progressUpdateStreamName: name, __provider: "shim" }),
      ),
    ];
    const settled = Promise.allSettled(creates);

    // Mid-wait: every task registered, the ADS queue (20 imports × 10–20 emulated s) still running.
    for (;;) {
      const registered = (await hubTasks(em)).filter((t) => t.stream === STREAM).length;
      const started = (await adsTasks(em)).length;
      if (registered === N_TASKS && started === N_ADS) break;
      await sleep(100);
    }
    const inProgress = (await adsTasks(em)).filter((t) => t.status === "IMPORT_IN_PROGRESS").length;
    assert.ok(inProgress > 0, "every ADS import ended before the restart");
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
    await notify(em, taskNames, "COMPLETED");

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
      outs.map((o) => o["status"] ?? o["progressUpdateStreamName"]),
      [
        ...adsNames.map(() => "IMPORT_COMPLETE"),
        ...taskNames.map(() => "COMPLETED"),
        ...newStreams,
      ],
    );
    // Both emulator lifetimes injected faults; the second one's 5xx burst hit the resumed polls.
    assert.ok(
      faultsIn(first) > 0 && faultsIn(second) > 0,
      `faults ${faultsIn(first)} / ${faultsIn(second)}`,
    );

    const a = tally(
      adsNames,
      (await adsTasks(em)).map((t) => t.name ?? ""),
    );
    const h = tally(
      taskNames,
      (await hubTasks(em)).filter((t) => t.stream === STREAM).map((t) => t.name),
    );
    const s = tally([STREAM, ...newStreams], await streamNames(em));
    record(SCENARIO, {
      runs: 1,
      faults: faultsIn(first) + faultsIn(second) + 1, // + the restart itself
      resources: N_ADS + N_TASKS + N_STREAMS + 1,
      lost: a.lost + h.lost + s.lost,
      duplicated: a.duplicated + h.duplicated + s.duplicated,
    });
    assert.deepEqual(
      [a, h, s],
      [
        { lost: 0, duplicated: 0 },
        { lost: 0, duplicated: 0 },
        { lost: 0, duplicated: 0 },
      ],
    );
    assert.equal((await adsTasks(em)).length, N_ADS);
  });
});
