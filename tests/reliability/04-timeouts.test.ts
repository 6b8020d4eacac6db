/**
 * Scenario 4 — timeouts: waits of every service that outlast waitTimeoutMinutes fail with Pulumi's
 * init-failed error carrying the ID and the properties (with `__provider`), so the engine records
 * each resource; the next run (a new host, the timeout raised) resumes in update() and completes
 * without a second start — counted from the start calls on the wire — and no secret reaches the
 * state or the logs.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { HostCallError, type Props } from "../support/dynamicHost";
import { type Declared, delta, RecordingProxy, tally, unseen } from "./ledger";
import { baseMarkers, CREDENTIALS, Evidence, KEYS } from "./secrets";
import { record } from "./summary";
import {
  configured,
  DONE,
  hostEnv,
  inputsOf,
  type Kind,
  listTasks,
  MANIFEST_SIGNATURE,
  notify,
  prepareServices,
  REGION,
  serializedProviders,
  stage,
  startHost,
  STREAM,
  TASK_KINDS,
  urnOf,
} from "./support";

const SCENARIO = "4 timeouts";
const PER_KIND = 2;

describe(SCENARIO, function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let providers: Record<Kind, string>;
  before(async () => {
    // Every import takes 20 emulated s: 1 s here, longer than the 0.3 s timeout below.
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 20,
      homeRegion: REGION,
      seed: 404,
      credentials: CREDENTIALS,
      taskDurationMs: () => 20_000,
    });
    proxy = await RecordingProxy.start(emulator.url);
    await prepareServices(emulator);
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    providers = await serializedProviders();
  });
  after(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

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
    const env = hostEnv(KEYS);
    const endpoint = { "awsMigration:endpoint": proxy.url };
    const evidence = new Evidence();
    const base = emulator.stats();
    // First run: stack config says 0.005 minutes (300 ms).
    const first = await startHost(
      emulator,
      { ...endpoint, "awsMigration:waitTimeoutMinutes": "0.005" },
      env,
    );
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
      evidence.state(`${r.name} init-failure properties`, r.kind, properties);
      evidence.text(`${r.name} error`, `${f.message}\n${reasons.join("\n")}`);
      assert.ok(id.length > 0, `${r.name}: no ID`);
      assert.equal(properties["__provider"], r.props["__provider"]);
      assert.equal(reasons.length, 1);
      // Each reason names the limit and the fix, and the task keeps running.
      assert.match(
        reasons[0]!,
        /\(limit \d+(?:\.\d)?m?s; observed [^)]+\)\. .*raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting\./,
      );
      if (r.kind === "task") assert.equal(id, `${STREAM}/${r.name}`);
      return { ...r, id, properties };
    });
    await proxy.settled();
    const firstRun = proxy.calls.length;

    // Next run: the timeout raised (config default); the engine calls update on recorded resources.
    const next = await startHost(emulator, endpoint, env);
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
    outs.forEach((o, i) => evidence.state(`${recorded[i]!.name} update`, recorded[i]!.kind, o));
    for (const [i, h] of [first, next].entries())
      evidence.text(`host ${i} output`, h.output.join(""));

    // Resumed, not restarted: no start call in the second run.
    await proxy.settled();
    assert.deepEqual(
      proxy.calls.slice(firstRun).filter((c) => c.kind !== undefined),
      [],
    );
    // Lost and duplicated: the start calls on the wire against the services' own lists.
    assert.deepEqual(unseen(proxy.calls, delta(emulator.stats().requests, base.requests)), []);
    const listed = (await Promise.all(TASK_KINDS.map((k) => listTasks(emulator, k))))
      .flat()
      .filter((l) => l.resource.startsWith("slow-"));
    const declared: Declared[] = recorded.map((r) => ({ kind: r.kind, name: r.name, id: r.id }));
    const t = tally(proxy.calls, declared, listed);

    // The manifest URL's signature went through the providers, held only in a secret output.
    assert.ok(
      evidence.holdsSecretly(MANIFEST_SIGNATURE),
      "no secret output holds the manifest URL",
    );
    const secrets = evidence.search(baseMarkers());
    record(SCENARIO, {
      runs: 2,
      faults: recorded.length,
      resources: recorded.length,
      lost: t.lost,
      duplicated: t.duplicated,
      secrets: secrets.length,
    });
    assert.deepEqual({ problems: t.problems, secrets }, { problems: [], secrets: [] });
  });
});
