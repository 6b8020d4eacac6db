/**
 * Scenario 3 — crash at random points: the dynamic-provider host (the process `pulumi up` runs our
 * serialized providers in) is SIGKILLed at a seeded random moment while creates are in flight —
 * before the start call, between the start and the first poll, mid-wait, or after the create
 * returned. The re-run (what the engine does after a pending create is dropped: create again with
 * the same inputs) must adopt whatever the first run started: exactly one task per resource.
 */
import { strict as assert } from "node:assert";
import { ListCreatedArtifactsCommand, MigrationHubClient } from "@aws-sdk/client-migration-hub";
import { type Emulator, startEmulator } from "../../emulator";
import type { Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  adsTasks,
  BUCKET,
  configured,
  GOOD_CSV,
  hubTasks,
  type Kind,
  REGION,
  seeded,
  serializedProviders,
  sleep,
  startHost,
  STREAM,
  streamNames,
  toolConfig,
  uploadObjects,
  urnOf,
} from "./support";

const SCENARIO = "3 crash (SIGKILL)";
const ROUNDS = 10;
/** Per round: the kinds of the ten resources created while the host gets killed. */
const MIX: Kind[] = [
  "ads",
  "ads",
  "ads",
  "ads",
  "stream",
  "stream",
  "stream",
  "task",
  "task",
  "task",
];
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
    // ADS imports take 10–20 emulated s: 0.2–0.4 s here, so kills land mid-wait too.
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 50,
      homeRegion: REGION,
      seed: 303,
    });
    await uploadObjects(emulator, { "servers.csv": GOOD_CSV });
    const stream = await configured("stream", emulator);
    await stream.create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    providers = await serializedProviders();
  });
  after(() => emulator?.stop());

  function trialProps(kind: Kind, name: string): Props {
    const __provider = providers[kind];
    switch (kind) {
      case "ads":
        return {
          name,
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: `pam-crash-${name}`,
          __provider,
        };
      case "stream":
        return { progressUpdateStreamName: name, retainOnDelete: false, __provider };
      case "task":
        return {
          progressUpdateStream: STREAM,
          migrationTaskName: name,
          resourceAttributes: [{ type: "FQDN", value: `${name}.corp.example.com` }],
          createdArtifacts: [{ name: AMI, description: "the AMI" }],
          __provider,
        };
    }
  }

  it(`${ROUNDS * MIX.length} seeded trials: a re-run after SIGKILL adopts the task, exactly one per resource`, async () => {
    const random = seeded(3);
    const trials: Trial[] = [];
    const phases: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const batch: Trial[] = MIX.map((kind, i) => {
        const name = `crash-${round}-${i}`;
        return { kind, name, props: trialProps(kind, name), offsetMs: Math.floor(random() * 600) };
      });
      const killAtMs = Math.floor(random() * 1200);
      const host = await startHost(emulator);
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
      const started = new Set([
        ...(await adsTasks(emulator)).map((x) => x.name),
        ...(await hubTasks(emulator)).map((x) => x.name),
        ...(await streamNames(emulator)),
      ]);
      for (const t of batch) {
        if (t.phase === "in flight, nothing started" && started.has(t.name))
          t.phase = "started, not returned";
        t.phase ??= "not sent";
        phases[`${t.kind} ${t.phase}`] = (phases[`${t.kind} ${t.phase}`] ?? 0) + 1;
      }

      // The next `pulumi up`: a fresh host, the same inputs.
      const rerun = await startHost(emulator);
      const results = await Promise.all(
        batch.map((t) => rerun.create(urnOf(t.kind, t.name), t.props)),
      );
      rerun.stop();
      const ads = await adsTasks(emulator);
      for (const [i, t] of batch.entries()) {
        const r = results[i]!;
        if (t.kind === "ads") {
          const mine = ads.filter((x) => x.name === t.name);
          assert.deepEqual(
            mine.map((x) => [x.importTaskId, x.status]),
            [[r.id, "IMPORT_COMPLETE"]],
            `${t.name} (${t.phase})`,
          );
        }
      }
      trials.push(...batch);
    }

    const ads = await adsTasks(emulator);
    const tasks = (await hubTasks(emulator)).filter((t) => t.stream === STREAM);
    const streams = await streamNames(emulator);
    const hub = new MigrationHubClient(toolConfig(emulator));
    let lost = 0;
    let duplicated = 0;
    const problems: string[] = [];
    for (const t of trials) {
      let n: number;
      if (t.kind === "ads") n = ads.filter((x) => x.name === t.name).length;
      else if (t.kind === "stream") n = streams.filter((x) => x === t.name).length;
      else {
        n = tasks.filter((x) => x.name === t.name).length;
        const artifacts = await hub.send(
          new ListCreatedArtifactsCommand({
            ProgressUpdateStream: STREAM,
            MigrationTaskName: t.name,
          }),
        );
        // An artifact associated twice would be a duplicate too.
        if ((artifacts.CreatedArtifactList ?? []).length !== 1)
          problems.push(`${t.name}: ${(artifacts.CreatedArtifactList ?? []).length} artifacts`);
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
    assert.equal(ads.length, trials.filter((t) => t.kind === "ads").length);
    assert.equal(tasks.length, trials.filter((t) => t.kind === "task").length);
    // The kills landed at every point of a create: before it, during it, after it.
    for (const phase of ["not sent", "started, not returned", "returned"]) {
      assert.ok(
        Object.entries(phases).some(([k, v]) => k.endsWith(phase) && v > 0),
        `no trial was killed ${phase}`,
      );
    }
  });
});
