/**
 * State written by the release the fixtures come from (tests/fixtures/state, see its README) must
 * still load, refresh, diff clean and update in place with the current code: for each class, an
 * emulator restarts on a copy of the saved AWS data, and Pulumi's real dynamic-provider host loads
 * the recorded `__provider` text — whose `require("pulumi-aws-migration/internal/...")` resolves to
 * the current build — and serves the calls the engine makes on `pulumi refresh` and `pulumi up`.
 * Needs a build (`npx tsc -p tsconfig.build.json`): the host requires dist/provider/*.
 */
import { strict as assert } from "node:assert";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import {
  CLASSES,
  type ClassName,
  copyEmulatorData,
  loadFixture,
  PROJECT,
  REGION,
  SEED,
  STACK,
  unwrapSecrets,
} from "../fixtures/state/fixtures";
import { type DynamicHost, type Props, startConfiguredHost } from "../support/dynamicHost";
import { registrations } from "../support/mocks";

const ROOT = join(__dirname, "..", "..");
const MAX_PROVIDER_BYTES = 1024;
const DAY_S = 24 * 60 * 60;
const NO_CHANGES = { changes: "NONE", replaces: [], deleteBeforeReplace: false };

/**
 * A second refresh runs this long after the save point: state written today is refreshed weeks
 * later, when EC2 has forgotten the finished tasks (it keeps them 7 days) and the provider reads the
 * AMI or the instance instead. No output may move: every task is terminal, the emulated clock
 * resumes where the generator saved it (fixtures.ts copyEmulatorData), and nothing but the test
 * touches the data. (Outside this setup a refresh does pick up news: a MigrationTask's status,
 * progress and updateDateTime when a tool reports, an ADS errorsAndFailedEntriesZip URL re-signed
 * on each describe, an imported instance's instanceState.)
 */
const AGED_DAYS = 8;
/** The errors the aged refresh meets: EC2 no longer knows the task (nothing else fails). */
const AGED_ERRORS: Record<ClassName, readonly string[]> = {
  "ads.ImportTask": [],
  "mgn.ImportTask": [],
  "migrationhub.ProgressUpdateStream": [],
  "migrationhub.MigrationTask": [],
  "ec2.ImportImageTask": ["ec2:DescribeImportImageTasks:InvalidConversionTaskId"],
  "ec2.ImportInstanceTask": ["ec2:DescribeConversionTasks:InvalidConversionTaskId"],
};

function without(props: Props, keys: readonly string[]): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !keys.includes(k)));
}

/** Operations that only read: refresh, diff and an unchanged update must send nothing else. */
function writes(requests: Record<string, number>): string[] {
  return Object.keys(requests)
    .filter((op) => !/^[a-z0-9-]+:(Describe|List|Get)/.test(op))
    .sort();
}

describe("state written by the recorded release loads and refreshes with the current code", function () {
  this.timeout(60_000);

  for (const cls of CLASSES) {
    it(`${cls.name}: refresh returns the recorded outputs, an unchanged program diffs clean and updates in place`, async () => {
      const fixture = loadFixture(cls.name);
      const { id, urn, inputs, outputs } = fixture;
      const provider = String(outputs["__provider"]);
      assert.equal(fixture.type, cls.type, "the type token is frozen");
      assert.equal(inputs["__provider"], provider);
      assert.ok(
        Buffer.byteLength(provider) <= MAX_PROVIDER_BYTES,
        `recorded __provider is ${Buffer.byteLength(provider)} bytes`,
      );

      const dataDir = copyEmulatorData();
      const emulator = await startEmulator({
        dataDir,
        seed: SEED,
        timeScale: 1,
        rateLimits: false,
      });
      let host: DynamicHost | undefined;
      try {
        host = await startConfiguredHost(ROOT, emulator.url, REGION);

        // `pulumi refresh`: the recorded provider text loads, finds the task, reports it unchanged.
        assert.deepEqual(await host.read(id, urn, outputs, inputs), {
          id,
          props: outputs,
          inputs: {},
        });

        // `pulumi up` with the program unchanged: check, then diff against the recorded outputs.
        assert.deepEqual(await host.check(urn, inputs, inputs), { inputs, failures: [] });
        assert.deepEqual(await host.diff(id, urn, outputs, inputs), NO_CHANGES);

        // An update with the same inputs (e.g. to resume a wait) keeps every output.
        assert.deepEqual(await host.update(id, urn, outputs, inputs), outputs);

        // The current class, given the same arguments, registers the same token and inputs (its
        // own __provider text may differ, within the size limit) and diffs clean against the state.
        const seen = await registrations(
          () => {
            new (cls.load())(fixture.name, fixture.args);
          },
          PROJECT,
          STACK,
        );
        assert.deepEqual(
          seen.map((s) => s.type),
          [cls.type],
        );
        const current = unwrapSecrets(seen[0]!.inputs);
        const currentProvider = String(current.inputs["__provider"]);
        assert.ok(
          Buffer.byteLength(currentProvider) <= MAX_PROVIDER_BYTES,
          `current __provider is ${Buffer.byteLength(currentProvider)} bytes`,
        );
        // The state predates `__urn`: the class now adds the engine's URN, which diff ignores.
        assert.equal(current.inputs["__urn"], urn);
        assert.deepEqual(
          without(current.inputs, ["__provider", "__urn"]),
          without(inputs, ["__provider"]),
        );
        assert.deepEqual(current.secretInputs, fixture.secretInputs);
        assert.deepEqual(await host.diff(id, urn, outputs, current.inputs), NO_CHANGES);

        // A refresh long after the save point.
        emulator.configure({ advanceSeconds: AGED_DAYS * DAY_S });
        assert.deepEqual(await host.read(id, urn, outputs, inputs), {
          id,
          props: outputs,
          inputs: {},
        });
        assert.deepEqual(Object.keys(emulator.stats().errors).sort(), AGED_ERRORS[cls.name]);
        assert.deepEqual(writes(emulator.stats().requests), [], "only reads reached AWS");
      } finally {
        host?.stop();
        await emulator.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
