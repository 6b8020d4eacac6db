/**
 * Scenario 1 — throttling storm: half of all calls throttled for two emulated minutes while 200
 * resources wait. The providers back off (shared adaptive throttle, classified retries) and every
 * wait completes with exactly one task per resource.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
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
  tally,
  uploadObjects,
} from "./support";

const SCENARIO = "1 throttling storm";
/** Emulated seconds per real second: two emulated minutes of storm are two real seconds. */
const TIME_SCALE = 60;
const STORM_MS = (2 * 60_000) / TIME_SCALE;
const N_ADS = 50;
const N_TASKS = 150;

describe(SCENARIO, function () {
  this.timeout(240_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: TIME_SCALE,
      homeRegion: REGION,
      seed: 101,
    });
  });
  after(() => emulator?.stop());

  it(`50% of all calls throttled for two emulated minutes while ${N_ADS + N_TASKS} resources wait: all complete, one task each`, async () => {
    await uploadObjects(emulator, { "servers.csv": GOOD_CSV });
    // Poll delays as a deployment would scale them: 150 Migration Hub tasks are polled one by one.
    const polls = { "awsMigration:pollMinDelayMs": "1000", "awsMigration:pollMaxDelayMs": "4000" };
    const [ads, task, stream] = await Promise.all([
      configured("ads", emulator, polls),
      configured("task", emulator, polls),
      configured("stream", emulator),
    ]);
    await stream.create({ progressUpdateStreamName: STREAM, __provider: "shim" });

    const adsNames = Array.from({ length: N_ADS }, (_, i) => `storm-${i}`);
    const taskNames = Array.from({ length: N_TASKS }, (_, i) => `storm-${i}`);
    const before = emulator.stats();
    emulator.configure({ faults: [{ kind: "throttle", probability: 0.5, durationMs: STORM_MS }] });
    const stormEnds = Date.now() + STORM_MS;

    const creates = [
      ...adsNames.map((name) =>
        ads.create({
          name,
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: `storm-token-${name}`,
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
    ];
    // The migration tool reports completion once the storm is over and every task is registered.
    const tool = (async () => {
      await sleep(Math.max(0, stormEnds - Date.now()) + 50);
      for (;;) {
        const registered = (await hubTasks(emulator)).filter((t) => t.stream === STREAM).length;
        if (registered === N_TASKS) break;
        await sleep(100);
      }
      await notify(emulator, taskNames, "COMPLETED");
    })();
    const results = await Promise.allSettled([...creates, tool]);
    const failures = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
    assert.deepEqual(failures, []);

    const after = emulator.stats();
    // The storm really hit both services' starts (the clients then slowed down, as they should).
    assert.ok(
      (after.faults["ads:StartImportTask:throttle"] ?? 0) > 0,
      "no StartImportTask was throttled",
    );
    assert.ok(
      (after.faults["migrationhub:ImportMigrationTask:throttle"] ?? 0) > 0,
      "no ImportMigrationTask was throttled",
    );

    const outs = (
      results.slice(0, creates.length) as PromiseFulfilledResult<{
        id: string;
        outs: Record<string, unknown>;
      }>[]
    ).map((r) => r.value);
    assert.deepEqual(
      outs.slice(0, N_ADS).map((o) => o.outs["status"]),
      adsNames.map(() => "IMPORT_COMPLETE"),
    );
    assert.deepEqual(
      outs.slice(N_ADS).map((o) => o.outs["status"]),
      taskNames.map(() => "COMPLETED"),
    );

    const adsFound = (await adsTasks(emulator)).map((t) => t.name ?? "");
    const hubFound = (await hubTasks(emulator))
      .filter((t) => t.stream === STREAM)
      .map((t) => t.name);
    const a = tally(adsNames, adsFound);
    const h = tally(taskNames, hubFound);
    // Each ADS resource's ID is the one task of its name.
    const idByName = new Map((await adsTasks(emulator)).map((t) => [t.name, t.importTaskId]));
    assert.deepEqual(
      outs.slice(0, N_ADS).map((o) => o.id),
      adsNames.map((n) => idByName.get(n)),
    );
    record(SCENARIO, {
      runs: 1,
      faults: faultsIn(after) - faultsIn(before),
      resources: N_ADS + N_TASKS,
      lost: a.lost + h.lost,
      duplicated: a.duplicated + h.duplicated,
    });
    assert.deepEqual(
      { ads: a, hub: h, adsTotal: adsFound.length, hubTotal: hubFound.length },
      {
        ads: { lost: 0, duplicated: 0 },
        hub: { lost: 0, duplicated: 0 },
        adsTotal: N_ADS,
        hubTotal: N_TASKS,
      },
    );
  });
});
