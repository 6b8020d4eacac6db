/**
 * Scenario 3 — crash at chosen points: the dynamic-provider host (the process `pulumi up` runs our
 * serialized providers in) is SIGKILLed 108 times, each time while it creates one resource, at a
 * point of that create chosen on the wire through the recording proxy:
 * - before the start call: the start request held at the proxy and never forwarded, or a seeded
 *   random moment before it;
 * - after the start, before create returned (the engine has no ID yet): the emulator's answer
 *   withheld, or a seeded random moment after it was relayed;
 * - after create returned: at once, or a seeded random moment later.
 * The window a kill landed in is read from what the emulator had received when the host died, not
 * from the plan. The next run (a fresh host) does what the engine does: create again with the same
 * inputs when the engine has no ID (the first two windows), refresh by ID when it has one. Every
 * resource ends with exactly one task, counted from the start calls on the wire and the services'
 * own lists; no secret reaches the state or the logs.
 */
import { strict as assert } from "node:assert";
import { ListCreatedArtifactsCommand, MigrationHubClient } from "@aws-sdk/client-migration-hub";
import { type Emulator, startEmulator } from "../../emulator";
import type { DynamicHost, Props } from "../support/dynamicHost";
import { type Declared, RecordingProxy, startedTasks, tally, unseen, delta } from "./ledger";
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
  prepareServices,
  REGION,
  seeded,
  serializedProviders,
  sleep,
  stage,
  startHost,
  STREAM,
  toolConfig,
  urnOf,
} from "./support";

const SCENARIO = "3 crash (SIGKILL)";
const KINDS: Kind[] = ["ads", "mgn", "image", "instance", "stream", "task"];
/** Each round: one kill per kind and window, by one plan of each window; the next run after it. */
const ROUNDS = 6;
const ROUND = KINDS.length * 3;
const KILLS = ROUNDS * ROUND;
/** Hosts alive at once (each is a node process loading the SDK: CPU-bound on a 2-core runner). */
const PARALLEL = 6;
/** Of 36 kills planned per window; a seeded random kill may land in the next window. */
const MIN_PER_WINDOW = 20;
const AMI = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc1234";

const WINDOWS = ["before start", "after start, before create returned", "after create returned"];
type Window = (typeof WINDOWS)[number];
/** Per window, the deterministic plan and the seeded random one (rounds alternate them). */
const PLANS = [
  ["hold the start call", "random, before start"],
  ["withhold the start's answer", "random, after start"],
  ["as create returns", "random, after create returned"],
] as const;
type Plan = (typeof PLANS)[number][number];
/** The range of the random delays, from the create's request (before start) or the event. */
const RANDOM_MS: Partial<Record<Plan, number>> = {
  "random, before start": 1_500,
  "random, after start": 300,
  "random, after create returned": 200,
};

interface Victim {
  kind: Kind;
  name: string;
  props: Props;
  plan: Plan;
  delayMs: number;
  host?: DynamicHost;
  killed: boolean;
  returned?: { id: string; outs: Props };
  returnedAtKill?: boolean;
  window?: Window;
  /** The ID the next run settled on. */
  id?: string;
}

describe(SCENARIO, function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let providers: Record<Kind, string>;
  before(async () => {
    // Every import takes 15–40 emulated s: 0.3–0.8 s here, so kills land mid-wait too.
    const duration = seeded(33);
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 50,
      homeRegion: REGION,
      seed: 303,
      credentials: CREDENTIALS,
      taskDurationMs: () => 15_000 + Math.floor(duration() * 25_000),
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

  function propsOf(kind: Kind, name: string): Props {
    const extra: Props =
      kind === "task"
        ? {
            resourceAttributes: [{ type: "FQDN", value: `${name}.corp.example.com` }],
            createdArtifacts: [{ name: AMI, description: "the AMI" }],
          }
        : {};
    return inputsOf(emulator, kind, name, providers[kind], extra);
  }

  it(`${KILLS} SIGKILLs of the provider host, before, during and after creates of every service: the next run adopts or refreshes, exactly one task per resource`, async () => {
    const env = hostEnv(KEYS);
    const config = { "awsMigration:endpoint": proxy.url };
    const random = seeded(3);
    const evidence = new Evidence();
    const victims: Victim[] = [];
    /** Victims not yet classified, by resource name: the proxy's hooks act on them. */
    const active = new Map<string, Victim>();
    let kills = 0;

    const kill = (v: Victim): void => {
      if (v.killed || !v.host) return;
      v.killed = true;
      v.returnedAtKill = v.returned !== undefined;
      kills++;
      v.host.stop(); // SIGKILL
    };
    proxy.hooks = {
      async beforeStart(call, clientGone) {
        const v = active.get(call.resource);
        if (!v || v.kind !== call.kind || v.killed) return "forward";
        if (v.plan !== "hold the start call" && v.plan !== "random, before start") return "forward";
        kill(v);
        await clientGone();
        return "drop";
      },
      async afterStart(call, clientGone) {
        const v = active.get(call.resource);
        if (!v || v.kind !== call.kind || v.killed) return;
        if (v.plan === "withhold the start's answer") {
          kill(v);
          await clientGone();
        } else if (v.plan === "random, after start") {
          setTimeout(() => kill(v), v.delayMs);
        }
      },
    };

    async function crash(v: Victim): Promise<void> {
      const host = await startHost(emulator, config, env);
      v.host = host;
      active.set(v.name, v);
      if (v.plan === "random, before start") setTimeout(() => kill(v), v.delayMs);
      await host.create(urnOf(v.kind, v.name), v.props).then(
        (r) => {
          v.returned = r;
          if (v.plan === "as create returns") kill(v);
          else setTimeout(() => kill(v), v.delayMs);
        },
        () => undefined,
      );
      // A kill timer still running fires; a create that ended before its kill point is killed now.
      if (!v.killed) await sleep(v.delayMs + 10);
      kill(v);
      evidence.text(`${v.name} host output`, host.output.join(""));
      if (v.returned) evidence.state(`${v.name} create`, v.kind, v.returned.outs);
      // What the emulator had received when the host died decides the window.
      await sleep(100);
      while (proxy.calls.some((c) => c.resource === v.name && c.outcome === "pending"))
        await sleep(20);
      const started = startedTasks(proxy.calls, v.kind, v.name).tasks.length > 0;
      v.window = v.returnedAtKill ? WINDOWS[2]! : started ? WINDOWS[1]! : WINDOWS[0]!;
      active.delete(v.name);
    }

    const counted = emulator.stats().requests;
    const t0 = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const batch: Victim[] = [];
      for (let w = 0; w < PLANS.length; w++) {
        for (const kind of KINDS) {
          const plan = PLANS[w]![round % 2]!;
          const name = `crash-${round}-${w}-${kind}`;
          batch.push({
            kind,
            name,
            props: propsOf(kind, name),
            plan,
            delayMs: Math.floor(random() * (RANDOM_MS[plan] ?? 0)),
            killed: false,
          });
        }
      }
      await Promise.all(
        KINDS.map((k) =>
          stage(
            emulator,
            k,
            batch.filter((v) => v.kind === k).map((v) => v.name),
          ),
        ),
      );
      const queue = [...batch];
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          for (let v = queue.shift(); v; v = queue.shift()) await crash(v);
        }),
      );

      // The next `pulumi up`: a fresh host. No ID recorded: create again; an ID: refresh it.
      const rerun = await startHost(emulator, config, env);
      await Promise.all(
        batch.map(async (v) => {
          const urn = urnOf(v.kind, v.name);
          if (v.window === WINDOWS[2]) {
            const read = await rerun.read(v.returned!.id, urn, v.returned!.outs, v.props);
            assert.equal(read.id, v.returned!.id, `${v.name}: refresh lost the task`);
            evidence.state(`${v.name} refresh`, v.kind, read.props);
            v.id = read.id;
            return;
          }
          const created = await rerun.create(urn, v.props);
          evidence.state(`${v.name} re-run`, v.kind, created.outs);
          // A migration task created without waitForStatus has no reported state yet.
          const want =
            v.kind === "stream" ? v.name : v.kind === "task" ? "NOT_REPORTED" : DONE[v.kind][1];
          assert.equal(created.outs[DONE[v.kind][0]], want, `${v.name}: re-run outputs`);
          v.id = created.id;
        }),
      );
      rerun.stop();
      evidence.text(`re-run ${round} host output`, rerun.output.join(""));
      victims.push(...batch);
    }
    const elapsedMs = Date.now() - t0;

    const perWindow = Object.fromEntries(
      WINDOWS.map((w) => [w, victims.filter((v) => v.window === w).length]),
    );
    const perPlan: Record<string, Record<string, number>> = {};
    for (const v of victims) {
      const row = (perPlan[v.plan] ??= {});
      row[v.window!] = (row[v.window!] ?? 0) + 1;
    }
    console.log(
      `      ${kills} kills in ${Math.round(elapsedMs / 1000)} s; per window: ${JSON.stringify(perWindow)}`,
    );
    console.log(`      planned → landed: ${JSON.stringify(perPlan)}`);

    // Lost and duplicated: the start calls on the wire against the services' own lists.
    await proxy.settled();
    const listed = (await Promise.all(KINDS.map((k) => listTasks(emulator, k))))
      .flat()
      .filter((l) => l.resource.startsWith("crash-"));
    const declared: Declared[] = victims.map((v) => ({ kind: v.kind, name: v.name, id: v.id! }));
    const t = tally(proxy.calls, declared, listed);
    assert.deepEqual(unseen(proxy.calls, delta(emulator.stats().requests, counted)), []);
    console.log(
      `      start calls: ${proxy.starts().length} on the wire, ${t.accepted} accepted, ${t.repeats} idempotent repeats`,
    );
    // An artifact associated twice would be a duplicate too.
    const hub = new MigrationHubClient(toolConfig(emulator));
    const artifacts: string[] = [];
    for (const v of victims.filter((x) => x.kind === "task")) {
      const list = await hub.send(
        new ListCreatedArtifactsCommand({
          ProgressUpdateStream: STREAM,
          MigrationTaskName: v.name,
        }),
      );
      const n = (list.CreatedArtifactList ?? []).length;
      if (n !== 1) artifacts.push(`${v.name} (${v.window}): ${n} artifacts`);
    }
    hub.destroy();

    // The manifest URL's signature went through the providers, held only in a secret output.
    assert.ok(
      evidence.holdsSecretly(MANIFEST_SIGNATURE),
      "no secret output holds the manifest URL",
    );
    const secrets = evidence.search(baseMarkers());
    record(SCENARIO, {
      runs: victims.length,
      faults: kills,
      resources: victims.length,
      lost: t.lost,
      duplicated: t.duplicated,
      secrets: secrets.length,
    });
    // Nothing but the victims' tasks exists.
    const totals = Object.fromEntries(
      KINDS.map((k) => [k, listed.filter((l) => l.kind === k).length]),
    );
    assert.deepEqual(
      { problems: t.problems, artifacts, secrets, totals, kills },
      {
        problems: [],
        artifacts: [],
        secrets: [],
        totals: Object.fromEntries(KINDS.map((k) => [k, KILLS / KINDS.length])),
        kills: KILLS,
      },
    );
    for (const w of WINDOWS)
      assert.ok(perWindow[w]! >= MIN_PER_WINDOW, `only ${perWindow[w]} kills ${w}`);
  });
});
