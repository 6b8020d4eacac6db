/**
 * Scenario 1 — throttling storm: once 200 resources of every service have started their tasks and
 * wait, half of all calls are throttled for five of the longest poll intervals, so every wait
 * polls into the storm several times. The providers back off (shared adaptive throttle, classified
 * retries) and every wait completes with exactly one task per resource, counted from the start
 * calls on the wire; no secret reaches the state or the logs.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import {
  delta,
  type Declared,
  RecordingProxy,
  START_OPS,
  startedTasks,
  tally,
  unseen,
} from "./ledger";
import { baseMarkers, CREDENTIALS, Evidence, KEYS, withKeys } from "./secrets";
import { record } from "./summary";
import {
  configured,
  DONE,
  faultsIn,
  inputsOf,
  type Kind,
  listTasks,
  MANIFEST_SIGNATURE,
  notify,
  prepareServices,
  REGION,
  seeded,
  sleep,
  stage,
  STREAM,
  sum,
  TASK_KINDS,
} from "./support";

const SCENARIO = "1 throttling storm";
/** Poll delays as a deployment would scale them: Migration Hub tasks are polled one by one. */
const MIN_POLL_MS = 1_000;
const MAX_POLL_MS = 4_000;
/** The storm lasts five of the longest poll intervals: every wait polls into it several times. */
const STORM_MS = 5 * MAX_POLL_MS;
const THROTTLE_PROBABILITY = 0.5;
/**
 * The least number of requests the storm must see to measure its share, and the least share of them
 * that must come back throttled. The injector throttles each request independently with
 * probability 0.5, so over n >= 80 requests the share's standard deviation is at most 5.6 points
 * and 30 % lies 3.5 deviations below the expected 50 %; besides, its draws are seeded (the storm's
 * k-th request gets the k-th draw), and with this emulator seed every n from 50 to 400 yields at
 * least 47 %. Falling under 30 % therefore means the storm did not apply to the calls. The
 * clients' own pacing (batched rounds, the adaptive throttle halving its rate on each throttle)
 * keeps n near 5 per second of storm: about 110 in 20 s.
 */
const MIN_STORM_REQUESTS = 80;
const MIN_THROTTLED_SHARE = 0.3;
const PER_KIND = 40;

describe(SCENARIO, function () {
  this.timeout(240_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  before(async () => {
    // Emulated time runs at real speed and every import needs 2.5–4 emulated minutes, so none ends
    // inside the storm; once it is over the emulated clock is moved past them all.
    const duration = seeded(11);
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 1,
      homeRegion: REGION,
      seed: 101,
      credentials: CREDENTIALS,
      taskDurationMs: () => 150_000 + Math.floor(duration() * 90_000),
    });
    proxy = await RecordingProxy.start(emulator.url);
    await prepareServices(emulator);
  });
  after(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

  it(`${THROTTLE_PROBABILITY * 100}% of all calls throttled for ${STORM_MS / 1000} s (5× the longest poll) while ${PER_KIND * TASK_KINDS.length} resources of every service wait: all complete, one task each, no secret`, async () => {
    const config = {
      "awsMigration:endpoint": proxy.url,
      "awsMigration:pollMinDelayMs": String(MIN_POLL_MS),
      "awsMigration:pollMaxDelayMs": String(MAX_POLL_MS),
    };
    // The stream the tasks belong to is set up directly, outside the records.
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    const names = (k: Kind): string[] =>
      Array.from({ length: PER_KIND }, (_, i) => `storm-${k}-${i}`);
    await Promise.all(TASK_KINDS.map((k) => stage(emulator, k, names(k))));
    const resources = TASK_KINDS.flatMap((kind) => names(kind).map((name) => ({ kind, name })));

    const lines: string[] = [];
    const { results, base, before, storm, after, startsMs } = await withKeys(KEYS, async () => {
      const providers = new Map(
        await Promise.all(
          TASK_KINDS.map(async (k) => [k, await configured(k, emulator, config, lines)] as const),
        ),
      );
      const base = emulator.stats();
      const t0 = Date.now();
      const creates = resources.map(({ kind, name }) =>
        providers
          .get(kind)!
          .create(
            inputsOf(
              emulator,
              kind,
              name,
              "shim",
              kind === "task" ? { waitForStatus: "COMPLETED" } : {},
            ),
          ),
      );
      // A create that fails ends the wait for starts (the assertions below show its error).
      let failed = false;
      for (const c of creates)
        c.catch(() => {
          failed = true;
        });
      const results = Promise.allSettled(creates);
      // Every resource's start accepted: all wait now. Then the storm, for five long polls.
      while (
        !failed &&
        !resources.every((r) => startedTasks(proxy.calls, r.kind, r.name).tasks.length > 0)
      )
        await sleep(100);
      const startsMs = Date.now() - t0;
      const before = emulator.stats();
      emulator.configure({ faults: [{ kind: "throttle", probability: THROTTLE_PROBABILITY }] });
      await sleep(STORM_MS);
      emulator.configure({ faults: [] });
      const storm = emulator.stats();
      // Past the storm: every import done, and the migration tool reports its tasks complete.
      emulator.configure({ advanceSeconds: 300 });
      await notify(emulator, names("task"), "COMPLETED");
      return { results: await results, base, before, storm, after: emulator.stats(), startsMs };
    });
    assert.deepEqual(
      results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])),
      [],
    );
    const created = (
      results as PromiseFulfilledResult<{ id: string; outs: Record<string, unknown> }>[]
    ).map((r) => r.value);
    assert.deepEqual(
      created.map((c, i) => c.outs[DONE[resources[i]!.kind][0]]),
      resources.map((r) => DONE[r.kind][1]),
    );

    // The storm: its share of throttled requests, and the polls of every service it interrupted.
    const requests = delta(storm.requests, before.requests);
    const throttled = delta(storm.faults, before.faults);
    const total = sum(requests);
    const share = sum(throttled) / total;
    const services = ["ads", "mgn", "ec2", "migrationhub"];
    const startOps = new Set(Object.values(START_OPS));
    const perService = Object.fromEntries(
      services.map((svc) => {
        const polls = Object.entries(throttled).filter(
          ([k]) => k.startsWith(`${svc}:`) && !startOps.has(k.replace(/:throttle$/, "")),
        );
        return [
          svc,
          {
            requests: sum(requests, `${svc}:`),
            throttled: sum(throttled, `${svc}:`),
            throttledPolls: polls.reduce((n, [, v]) => n + v, 0),
          },
        ];
      }),
    );
    console.log(
      `      all ${resources.length} starts accepted after ${startsMs} ms; then a ${STORM_MS} ms storm (longest poll ${MAX_POLL_MS} ms): ${sum(throttled)} of ${total} requests throttled (${(share * 100).toFixed(1)} %, minimum ${MIN_THROTTLED_SHARE * 100} %)`,
    );
    console.log(`      per service during the storm: ${JSON.stringify(perService)}`);
    assert.ok(total >= MIN_STORM_REQUESTS, `only ${total} requests during the storm`);
    assert.ok(
      share >= MIN_THROTTLED_SHARE,
      `only ${(share * 100).toFixed(1)} % of the storm's ${total} requests were throttled`,
    );
    for (const [svc, s] of Object.entries(perService))
      assert.ok(s.throttledPolls > 0, `no ${svc} poll was throttled during the storm`);

    // Lost and duplicated: the start calls on the wire, the emulator's lists, the IDs returned.
    await proxy.settled();
    assert.deepEqual(unseen(proxy.calls, delta(after.requests, base.requests)), []);
    const declared: Declared[] = resources.map((r, i) => ({ ...r, id: created[i]!.id }));
    const listed = (await Promise.all(TASK_KINDS.map((k) => listTasks(emulator, k)))).flat();
    const t = tally(proxy.calls, declared, listed);
    console.log(
      `      start calls: ${proxy.starts().length} on the wire, ${t.accepted} accepted, ${t.repeats} idempotent repeats`,
    );

    const evidence = new Evidence();
    created.forEach((c, i) => {
      const r = resources[i]!;
      evidence.state(`${r.kind} ${r.name} state`, r.kind, { id: c.id, ...c.outs });
    });
    evidence.text("provider log", lines.join("\n"));
    // The manifest URL's signature went through the providers, held only in a secret output.
    assert.ok(
      evidence.holdsSecretly(MANIFEST_SIGNATURE),
      "no secret output holds the manifest URL",
    );
    const secrets = evidence.search(baseMarkers());
    record(SCENARIO, {
      runs: 1,
      faults: faultsIn(after) - faultsIn(before),
      resources: resources.length,
      lost: t.lost,
      duplicated: t.duplicated,
      secrets: secrets.length,
    });
    // Nothing but the declared resources' tasks exists.
    const totals = Object.fromEntries(
      TASK_KINDS.map((k) => [k, listed.filter((l) => l.kind === k).length]),
    );
    assert.deepEqual(
      { problems: t.problems, secrets, totals },
      {
        problems: [],
        secrets: [],
        totals: Object.fromEntries(TASK_KINDS.map((k) => [k, PER_KIND])),
      },
    );
    assert.ok(lines.length > 0, "the providers logged nothing");
  });
});
