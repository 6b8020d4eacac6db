/**
 * Scenario 2 — 5xx bursts, connection resets, and an emulator restart mid-wait: the emulator is
 * stopped while resources of every service wait and started again on the same port from the same
 * data dir (state persisted, emulated time kept running). Every wait resumes and completes, one
 * task each — counted from the start calls on the wire across both lifetimes — and no secret
 * reaches the state or the logs.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Emulator, type EmulatorOptions, type FaultRule, startEmulator } from "../../emulator";
import { type Declared, delta, RecordingProxy, tally, unseen } from "./ledger";
import { baseMarkers, CREDENTIALS, Evidence, KEYS, withKeys } from "./secrets";
import { record } from "./summary";
import {
  adsTasks,
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
  let proxy: RecordingProxy | undefined;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "reliability-restart-"));
  });
  after(async () => {
    await proxy?.close();
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
      credentials: CREDENTIALS,
      // 4–6 emulated minutes: 8–12 s here, so imports still run at the restart even on a busy
      // machine, where registering all 50 takes seconds.
      taskDurationMs: () => 240_000 + Math.floor(duration() * 120_000),
    };
    let em = await startEmulator(options);
    emulator = em;
    const port = Number(new URL(em.url).port);
    const wire = await RecordingProxy.start(em.url);
    proxy = wire;
    await prepareServices(em);
    // The stream the tasks belong to is set up directly, outside the records.
    await (
      await configured("stream", em)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    const names = (k: Kind): string[] =>
      Array.from({ length: PER_KIND }, (_, i) => `burst-${k}-${i}`);
    await Promise.all(KINDS.map((k) => stage(em, k, names(k))));
    const resources = KINDS.flatMap((kind) => names(kind).map((name) => ({ kind, name })));
    const base = em.stats();

    const lines: string[] = [];
    const { results, first } = await withKeys(KEYS, async () => {
      const providers = new Map(
        await Promise.all(
          KINDS.map(
            async (k) =>
              [k, await configured(k, em, { "awsMigration:endpoint": wire.url }, lines)] as const,
          ),
        ),
      );
      em.configure({ faults: BURSTS });
      const settled = Promise.allSettled(
        resources.map(({ kind, name }) =>
          providers
            .get(kind)!
            .create(
              inputsOf(
                em,
                kind,
                name,
                "shim",
                kind === "task" ? { waitForStatus: "COMPLETED" } : {},
              ),
            ),
        ),
      );

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
      // The endpoint goes away with the emulator (polls meet ECONNREFUSED meanwhile), and comes
      // back at the same address.
      await wire.close();
      await em.stop();
      const first = em.stats();
      emulator = undefined;
      await sleep(750);
      em = await startEmulator({
        ...options,
        port,
        faults: [{ kind: "5xx", probability: 0.5, maxCount: 40 }],
      });
      emulator = em;
      assert.equal(em.url, `http://127.0.0.1:${port}`);
      await wire.listen();
      await notify(em, names("task"), "COMPLETED");
      return { results: await settled, first };
    });
    assert.deepEqual(
      results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])),
      [],
    );
    const second = em.stats();
    const created = (
      results as PromiseFulfilledResult<{ id: string; outs: Record<string, unknown> }>[]
    ).map((r) => r.value);
    assert.deepEqual(
      created.map((c, i) => c.outs[DONE[resources[i]!.kind][0]]),
      resources.map((r) => (r.kind === "stream" ? r.name : DONE[r.kind][1])),
    );
    // Both emulator lifetimes injected faults; the second one's 5xx burst hit the resumed polls.
    assert.ok(
      faultsIn(first) > 0 && faultsIn(second) > 0,
      `faults ${faultsIn(first)} / ${faultsIn(second)}`,
    );

    // Lost and duplicated: the start calls on the wire (both lifetimes) against the lists.
    await wire.settled();
    const counted = delta(first.requests, base.requests);
    for (const [op, n] of Object.entries(second.requests)) counted[op] = (counted[op] ?? 0) + n;
    assert.deepEqual(unseen(wire.calls, counted), []);
    const listed = (await Promise.all(KINDS.map((k) => listTasks(em, k))))
      .flat()
      .filter((l) => l.resource.startsWith("burst-"));
    const declared: Declared[] = resources.map((r, i) => ({ ...r, id: created[i]!.id }));
    const t = tally(wire.calls, declared, listed);
    console.log(
      `      start calls: ${wire.starts().length} on the wire, ${t.accepted} accepted, ${t.repeats} idempotent repeats`,
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
      faults: faultsIn(first) - faultsIn(base) + faultsIn(second) + 1, // + the restart itself
      resources: resources.length,
      lost: t.lost,
      duplicated: t.duplicated,
      secrets: secrets.length,
    });
    const totals = Object.fromEntries(
      KINDS.map((k) => [k, listed.filter((l) => l.kind === k).length]),
    );
    assert.ok(lines.length > 0, "the providers logged nothing");
    assert.deepEqual(
      { problems: t.problems, secrets, totals },
      {
        problems: [],
        secrets: [],
        totals: Object.fromEntries(KINDS.map((k) => [k, PER_KIND])),
      },
    );
  });
});
