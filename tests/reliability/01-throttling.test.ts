/**
 * Scenario 1 — throttling storm: half of all calls throttled for two emulated minutes while 200
 * resources of every service wait. The providers back off (shared adaptive throttle, classified
 * retries) and every wait completes with exactly one task per resource.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { record } from "./summary";
import {
  configured,
  DONE,
  faultsIn,
  hubTasks,
  inputsOf,
  type Kind,
  notify,
  prepareServices,
  REGION,
  seeded,
  sleep,
  stage,
  STREAM,
  sum,
  tally,
  TASK_KINDS,
  taskNames,
} from "./support";

const SCENARIO = "1 throttling storm";
/** Emulated seconds per real second: two emulated minutes of storm are two real seconds. */
const TIME_SCALE = 60;
const STORM_MS = (2 * 60_000) / TIME_SCALE;
const PER_KIND = 40;

describe(SCENARIO, function () {
  this.timeout(240_000);
  let emulator: Emulator;
  before(async () => {
    // Every import runs 2.5–4 emulated minutes, so all of them are still waiting when the storm ends.
    const duration = seeded(11);
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: TIME_SCALE,
      homeRegion: REGION,
      seed: 101,
      taskDurationMs: () => 150_000 + Math.floor(duration() * 90_000),
    });
    await prepareServices(emulator);
  });
  after(() => emulator?.stop());

  it(`50% of all calls throttled for two emulated minutes while ${PER_KIND * TASK_KINDS.length} resources of every service wait: all complete, one task each`, async () => {
    // Poll delays as a deployment would scale them: Migration Hub tasks are polled one by one.
    const polls = { "awsMigration:pollMinDelayMs": "1000", "awsMigration:pollMaxDelayMs": "4000" };
    const providers = new Map(
      await Promise.all(
        TASK_KINDS.map(async (k) => [k, await configured(k, emulator, polls)] as const),
      ),
    );
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    const names = (k: Kind): string[] =>
      Array.from({ length: PER_KIND }, (_, i) => `storm-${k}-${i}`);
    await Promise.all(TASK_KINDS.map((k) => stage(emulator, k, names(k))));

    const before = emulator.stats();
    emulator.configure({ faults: [{ kind: "throttle", probability: 0.5, durationMs: STORM_MS }] });
    const stormEnds = Date.now() + STORM_MS;
    const creates = TASK_KINDS.flatMap((k) =>
      names(k).map((name) =>
        providers
          .get(k)!
          .create(
            inputsOf(emulator, k, name, "shim", k === "task" ? { waitForStatus: "COMPLETED" } : {}),
          ),
      ),
    );
    // The migration tool reports completion once the storm is over and every task is registered.
    const tool = (async () => {
      await sleep(Math.max(0, stormEnds - Date.now()) + 50);
      for (;;) {
        const registered = (await hubTasks(emulator)).filter((t) => t.stream === STREAM).length;
        if (registered === PER_KIND) break;
        await sleep(100);
      }
      await notify(emulator, names("task"), "COMPLETED");
    })();
    const results = await Promise.allSettled([...creates, tool]);
    assert.deepEqual(
      results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])),
      [],
    );
    const after = emulator.stats();
    // The storm hit every service (the clients then slowed down, as they should).
    const hit = Object.fromEntries(
      ["ads", "mgn", "ec2", "migrationhub"].map((svc) => [
        svc,
        sum(after.faults, `${svc}:`) - sum(before.faults, `${svc}:`),
      ]),
    );
    console.log(`      throttled during the storm: ${JSON.stringify(hit)}`);
    for (const [svc, n] of Object.entries(hit)) assert.ok(n > 0, `${svc} was never throttled`);

    const outs = (
      results.slice(0, creates.length) as PromiseFulfilledResult<{
        id: string;
        outs: Record<string, unknown>;
      }>[]
    ).map((r) => r.value.outs);
    assert.deepEqual(
      outs.map((o, i) => o[DONE[TASK_KINDS[Math.floor(i / PER_KIND)]!][0]]),
      TASK_KINDS.flatMap((k) => names(k).map(() => DONE[k][1])),
    );
    let lost = 0;
    let duplicated = 0;
    const totals: Record<string, number> = {};
    for (const k of TASK_KINDS) {
      const found = await taskNames(emulator, k);
      const t = tally(names(k), found);
      lost += t.lost;
      duplicated += t.duplicated;
      totals[k] = found.length;
    }
    record(SCENARIO, {
      runs: 1,
      faults: faultsIn(after) - faultsIn(before),
      resources: creates.length,
      lost,
      duplicated,
    });
    assert.deepEqual(
      { lost, duplicated, totals },
      { lost: 0, duplicated: 0, totals: Object.fromEntries(TASK_KINDS.map((k) => [k, PER_KIND])) },
    );
  });
});
