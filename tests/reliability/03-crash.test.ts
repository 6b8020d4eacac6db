/**
 * Scenario 3 — crash at random points: the dynamic-provider host (the process `pulumi up` runs our
 * serialized providers in) is SIGKILLed at a seeded random moment while creates of every service
 * are in flight — before the start call, after the start but before the create returned (the
 * engine has no ID yet), or after it returned. The re-run (what the engine does after a pending
 * create is dropped: create again with the same inputs) must adopt whatever the first run
 * started: exactly one task per resource, counted through each service's own list APIs.
 */
import { strict as assert } from "node:assert";
import { ListCreatedArtifactsCommand, MigrationHubClient } from "@aws-sdk/client-migration-hub";
import { type Emulator, startEmulator } from "../../emulator";
import type { DynamicHost, Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  configured,
  DONE,
  inputsOf,
  type Kind,
  prepareServices,
  REGION,
  seeded,
  serializedProviders,
  sleep,
  stage,
  startHost,
  STREAM,
  taskNames,
  toolConfig,
  urnOf,
} from "./support";

const SCENARIO = "3 crash (SIGKILL)";
const ROUNDS = 5;
/** Per round: the kinds of the twenty resources created while the host gets killed. */
const MIX: Kind[] = (
  ["ads", "ads", "mgn", "mgn", "image", "image", "instance", "instance", "stream", "task"] as Kind[]
).flatMap((k) => [k, k]);
const KINDS = [...new Set(MIX)];
const AMI = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc1234";

interface Trial {
  kind: Kind;
  name: string;
  props: Props;
  offsetMs: number;
  phase?: "not sent" | "in flight, nothing started" | "started, not returned" | "returned";
}

describe(SCENARIO, function () {
  this.timeout(300_000);
  let emulator: Emulator;
  let providers: Record<Kind, string>;
  before(async () => {
    // Every import takes 15–40 emulated s: 0.3–0.8 s here, so kills land mid-wait too.
    const duration = seeded(33);
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 50,
      homeRegion: REGION,
      seed: 303,
      taskDurationMs: () => 15_000 + Math.floor(duration() * 25_000),
    });
    await prepareServices(emulator);
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    providers = await serializedProviders();
  });
  after(() => emulator?.stop());

  function trialProps(kind: Kind, name: string): Props {
    const extra: Props =
      kind === "task"
        ? {
            resourceAttributes: [{ type: "FQDN", value: `${name}.corp.example.com` }],
            createdArtifacts: [{ name: AMI, description: "the AMI" }],
          }
        : {};
    return inputsOf(emulator, kind, name, providers[kind], extra);
  }

  /** IDs of the right shape that name no task: a refresh of each loads every provider and SDK. */
  const ABSENT: Record<Kind, string> = {
    ads: `import-task-${"0".repeat(32)}`,
    mgn: `import-${"0".repeat(17)}`,
    image: `import-ami-${"0".repeat(17)}`,
    instance: "import-i-00000000",
    stream: "absent-stream",
    task: `${STREAM}/absent-task`,
  };

  /**
   * Loads each provider (and its AWS SDK client, seconds for EC2 on a busy machine) the way a
   * `pulumi up --refresh` would, so the seeded kill times fall inside the creates, not before.
   */
  async function warmUp(host: DynamicHost): Promise<void> {
    await Promise.all(
      KINDS.map((k) =>
        host.read(ABSENT[k], urnOf(k, "absent"), trialProps(k, "absent")).then(
          (r) => assert.equal(r.id, "", `${k} read an absent task`),
          () => undefined,
        ),
      ),
    );
  }

  async function census(): Promise<Map<Kind, string[]>> {
    return new Map(
      await Promise.all(KINDS.map(async (k) => [k, await taskNames(emulator, k)] as const)),
    );
  }

  it(`${ROUNDS * MIX.length} seeded trials across the services: a re-run after SIGKILL adopts the task, exactly one per resource`, async () => {
    const random = seeded(3);
    const trials: Trial[] = [];
    const phases: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const batch: Trial[] = MIX.map((kind, i) => {
        const name = `crash-${round}-${i}`;
        return { kind, name, props: trialProps(kind, name), offsetMs: Math.floor(random() * 1000) };
      });
      await Promise.all(
        KINDS.map((k) =>
          stage(
            emulator,
            k,
            batch.filter((t) => t.kind === k).map((t) => t.name),
          ),
        ),
      );
      const killAtMs = Math.floor(random() * 1500);
      const host = await startHost(emulator);
      await warmUp(host);
      const t0 = Date.now();
      const inFlight = batch.map(async (t) => {
        await sleep(t.offsetMs);
        if (Date.now() - t0 >= killAtMs) return; // the engine never got to send it
        t.phase = "in flight, nothing started";
        await host.create(urnOf(t.kind, t.name), t.props).then(
          () => {
            t.phase = "returned";
          },
          () => undefined,
        );
      });
      await sleep(killAtMs);
      host.stop(); // SIGKILL
      await Promise.all(inFlight);
      // What the killed host had started: the crash the engine cannot see (no ID recorded yet).
      const atKill = await census();
      for (const t of batch) {
        if (t.phase === "in flight, nothing started" && atKill.get(t.kind)!.includes(t.name))
          t.phase = "started, not returned";
        t.phase ??= "not sent";
        phases[`${t.kind} ${t.phase}`] = (phases[`${t.kind} ${t.phase}`] ?? 0) + 1;
      }

      // The next `pulumi up`: a fresh host, the same inputs; every create completes.
      const rerun = await startHost(emulator);
      const results = await Promise.all(
        batch.map((t) => rerun.create(urnOf(t.kind, t.name), t.props)),
      );
      rerun.stop();
      assert.deepEqual(
        results.map((r, i) => r.outs[DONE[batch[i]!.kind][0]]),
        // A migration task created without waitForStatus has no reported state yet.
        batch.map((t) =>
          t.kind === "stream" ? t.name : t.kind === "task" ? "NOT_REPORTED" : DONE[t.kind][1],
        ),
      );
      trials.push(...batch);
    }

    const after = await census();
    const hub = new MigrationHubClient(toolConfig(emulator));
    let lost = 0;
    let duplicated = 0;
    const problems: string[] = [];
    for (const t of trials) {
      const n = after.get(t.kind)!.filter((x) => x === t.name).length;
      if (t.kind === "task") {
        const artifacts = await hub.send(
          new ListCreatedArtifactsCommand({
            ProgressUpdateStream: STREAM,
            MigrationTaskName: t.name,
          }),
        );
        // An artifact associated twice would be a duplicate too.
        const count = (artifacts.CreatedArtifactList ?? []).length;
        if (count !== 1) problems.push(`${t.name}: ${count} artifacts`);
      }
      if (n === 0) lost++;
      if (n > 1) duplicated += n - 1;
      if (n !== 1) problems.push(`${t.name} (${t.kind}, ${t.phase}): ${n} tasks`);
    }
    hub.destroy();
    console.log(`      kill points: ${JSON.stringify(phases)}`);
    record(SCENARIO, {
      runs: trials.length,
      faults: ROUNDS,
      resources: trials.length,
      lost,
      duplicated,
    });
    assert.deepEqual(problems, []);
    // Nothing but the trials' tasks exists (the one pre-made stream aside).
    for (const k of KINDS) {
      const want = trials.filter((t) => t.kind === k).length + (k === "stream" ? 1 : 0);
      assert.equal(
        after.get(k)!.length,
        want,
        `${k}: ${after.get(k)!.length} tasks for ${want} resources`,
      );
    }
    // The kills landed at every point of a create: before it, after its start call, after it.
    for (const phase of ["not sent", "started, not returned", "returned"]) {
      assert.ok(
        Object.entries(phases).some(([k, v]) => k.endsWith(phase) && v > 0),
        `no trial was killed ${phase}`,
      );
    }
  });
});
