/**
 * Scenario 4 — timeouts: waits that outlast waitTimeoutMinutes fail with Pulumi's init-failed
 * error carrying the ID and the properties (with `__provider`), so the engine records each
 * resource; the next run (a new host, the timeout raised) resumes in update() and completes
 * without a second start.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { HostCallError, type Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  adsTasks,
  BUCKET,
  configured,
  GOOD_CSV,
  hubTasks,
  type Kind,
  notify,
  REGION,
  serializedProviders,
  startHost,
  STREAM,
  tally,
  uploadObjects,
  urnOf,
} from "./support";

const SCENARIO = "4 timeouts";
const N = 4;

describe(SCENARIO, function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let providers: Record<Kind, string>;
  before(async () => {
    // An ADS import takes 10–20 emulated s: 0.5–1 s here, longer than the 0.3 s timeout below.
    emulator = await startEmulator({
      rateLimits: false,
      timeScale: 20,
      homeRegion: REGION,
      seed: 404,
    });
    await uploadObjects(emulator, { "servers.csv": GOOD_CSV });
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    providers = await serializedProviders();
  });
  after(() => emulator?.stop());

  it("a wait past waitTimeoutMinutes records the resource with its ID; the next run resumes it to completion", async () => {
    const resources: { kind: Kind; name: string; props: Props }[] = [];
    for (let i = 0; i < N; i++) {
      const name = `slow-${i}`;
      resources.push({
        kind: "ads",
        name,
        props: {
          name,
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: `pam-timeout-${name}`,
          __provider: providers.ads,
        },
      });
      resources.push({
        kind: "task",
        name,
        props: {
          progressUpdateStream: STREAM,
          migrationTaskName: name,
          waitForStatus: "COMPLETED",
          __provider: providers.task,
        },
      });
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
      assert.equal(properties["__provider"], r.props["__provider"]);
      assert.equal(reasons.length, 1);
      if (r.kind === "ads") {
        assert.equal(properties["importTaskId"], id);
        assert.equal(properties["status"], "IMPORT_IN_PROGRESS");
        assert.match(
          reasons[0]!,
          new RegExp(
            `import ${id} is still IMPORT_IN_PROGRESS after \\d+ms \\(limit 300ms;.*raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting\\.$`,
          ),
        );
      } else {
        assert.equal(id, `${STREAM}/${r.name}`);
        assert.match(
          reasons[0]!,
          new RegExp(
            `^migrationhub\\.MigrationTask "${STREAM}/${r.name}" is still NOT_REPORTED after \\d+ms \\(limit 300ms; observed NOT_REPORTED(×\\d+)?\\)\\. The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting\\.`,
          ),
        );
      }
      return { ...r, id, properties };
    });

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
      resources.filter((r) => r.kind === "task").map((r) => r.name),
      "COMPLETED",
    );
    const outs = await Promise.all(updates);
    next.stop();
    assert.deepEqual(
      outs.map((o) => o["status"]),
      recorded.map((r) => (r.kind === "ads" ? "IMPORT_COMPLETE" : "COMPLETED")),
    );
    assert.deepEqual(
      outs.filter((_, i) => recorded[i]!.kind === "ads").map((o) => o["importTaskId"]),
      recorded.filter((r) => r.kind === "ads").map((r) => r.id),
    );

    const a = tally(
      recorded.filter((r) => r.kind === "ads").map((r) => r.name),
      (await adsTasks(emulator)).map((t) => t.name ?? ""),
    );
    const h = tally(
      recorded.filter((r) => r.kind === "task").map((r) => r.name),
      (await hubTasks(emulator)).filter((t) => t.stream === STREAM).map((t) => t.name),
    );
    record(SCENARIO, {
      runs: 2,
      faults: recorded.length,
      resources: recorded.length,
      lost: a.lost + h.lost,
      duplicated: a.duplicated + h.duplicated,
    });
    assert.deepEqual(
      [a, h],
      [
        { lost: 0, duplicated: 0 },
        { lost: 0, duplicated: 0 },
      ],
    );
    assert.equal(emulator.stats().requests["ads:StartImportTask"], N);
  });
});
