/**
 * Scenario 4 — timeouts: waits of every service that outlast waitTimeoutMinutes fail with Pulumi's
 * init-failed error carrying the ID and the properties (with `__provider`), so the engine records
 * each resource; the next run (a new host, the timeout raised) resumes in update() and completes
 * without a second start.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { HostCallError, type Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  configured,
  DONE,
  inputsOf,
  type Kind,
  notify,
  prepareServices,
  REGION,
  serializedProviders,
  stage,
  startHost,
  STREAM,
  sum,
  tally,
  TASK_KINDS,
  taskNames,
  urnOf,
} from "./support";

const SCENARIO = "4 timeouts";
const PER_KIND = 2;
/** The start call of each kind: the next run must not make it again. */
const STARTS: Partial<Record<Kind, string>> = {
  ads: "ads:StartImportTask",
  mgn: "mgn:StartImport",
  image: "ec2:ImportImage",
  instance: "ec2:ImportInstance",
  task: "migrationhub:ImportMigrationTask",
};

describe(SCENARIO, function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let providers: Record<Kind, string>;
  before(async () => {
    // Every import takes 20 emulated s: 1 s here, longer than the 0.3 s timeout below.
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 20,
      homeRegion: REGION,
      seed: 404,
      taskDurationMs: () => 20_000,
    });
    await prepareServices(emulator);
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    providers = await serializedProviders();
  });
  after(() => emulator?.stop());

  it("a wait past waitTimeoutMinutes records the resource with its ID; the next run resumes it to completion", async () => {
    const resources: { kind: Kind; name: string; props: Props }[] = [];
    for (const kind of TASK_KINDS) {
      const names = Array.from({ length: PER_KIND }, (_, i) => `slow-${kind}-${i}`);
      await stage(emulator, kind, names);
      for (const name of names) {
        resources.push({
          kind,
          name,
          props: inputsOf(
            emulator,
            kind,
            name,
            providers[kind],
            kind === "task" ? { waitForStatus: "COMPLETED" } : {},
          ),
        });
      }
    }
    // First run: stack config says 0.005 minutes (300 ms).
    const first = await startHost(emulator, { "awsMigration:waitTimeoutMinutes": "0.005" });
    const failures = await Promise.all(
      resources.map((r) =>
        first.create(urnOf(r.kind, r.name), r.props).then(
          () => undefined,
          (e: unknown) => (e instanceof HostCallError ? e : undefined),
        ),
      ),
    );
    first.stop();
    const recorded = failures.map((f, i) => {
      const r = resources[i]!;
      assert.ok(
        f?.initFailure,
        `${r.kind} ${r.name} did not fail with an init failure: ${String(f)}`,
      );
      const { id, properties, reasons } = f.initFailure;
      assert.ok(id.length > 0, `${r.name}: no ID`);
      assert.equal(properties["__provider"], r.props["__provider"]);
      assert.equal(reasons.length, 1);
      // Each reason names the limit and the fix, and the task keeps running.
      assert.match(
        reasons[0]!,
        /\(limit \d+ms; observed [^)]+\)\. .*raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting\./,
      );
      if (r.kind === "task") assert.equal(id, `${STREAM}/${r.name}`);
      return { ...r, id, properties };
    });
    const startsBefore = emulator.stats().requests;

    // Next run: the timeout raised (config default); the engine calls update on recorded resources.
    const next = await startHost(emulator);
    const diffs = await Promise.all(
      recorded.map((r) => next.diff(r.id, urnOf(r.kind, r.name), r.properties, r.props)),
    );
    assert.deepEqual(
      diffs.map((d) => d.replaces),
      recorded.map(() => []),
    );
    const updates = recorded.map((r) =>
      next.update(r.id, urnOf(r.kind, r.name), r.properties, r.props),
    );
    await notify(
      emulator,
      recorded.filter((r) => r.kind === "task").map((r) => r.name),
      "COMPLETED",
    );
    const outs = await Promise.all(updates);
    next.stop();
    assert.deepEqual(
      outs.map((o, i) => o[DONE[recorded[i]!.kind][0]]),
      recorded.map((r) => DONE[r.kind][1]),
    );
    // Resumed, not restarted: no start call in the second run.
    const startsAfter = emulator.stats().requests;
    assert.deepEqual(
      Object.values(STARTS).map((op) => (startsAfter[op] ?? 0) - (startsBefore[op] ?? 0)),
      Object.values(STARTS).map(() => 0),
    );

    let lost = 0;
    let duplicated = 0;
    for (const kind of TASK_KINDS) {
      const t = tally(
        recorded.filter((r) => r.kind === kind).map((r) => r.name),
        (await taskNames(emulator, kind)).filter((n) => n.startsWith("slow-")),
      );
      lost += t.lost;
      duplicated += t.duplicated;
    }
    record(SCENARIO, {
      runs: 2,
      faults: recorded.length,
      resources: recorded.length,
      lost,
      duplicated,
    });
    assert.deepEqual({ lost, duplicated }, { lost: 0, duplicated: 0 });
    assert.equal(sum(emulator.stats().requests, "ads:StartImportTask"), PER_KIND);
  });
});
