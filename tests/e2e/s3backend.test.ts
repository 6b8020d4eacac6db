/**
 * Pulumi's DIY backend with the state in the emulator's S3 (`pulumi login 's3://…?endpoint=…'`,
 * README "Shared state in S3"), driving the examples/gitops program (built to
 * dist/examples/gitops/index.js) through the real CLI: preview, up, a no-change preview, refresh
 * and destroy; then two `up`s of one stack at once, where the second fails on the state lock and
 * every AWS task starts once.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { InlineLanguageServer, requirePulumi, runPulumi } from "../support/pulumiCli";
import { assertOk, type JsonStep, ProgramStack, REPO_ROOT, urnLabel } from "../support/pulumiStack";
import { KEY, prepareAccount, REGION, s3BackendEnv, stateKeys } from "../support/s3backend";

const PROGRAM = join(REPO_ROOT, "dist", "examples", "gitops", "index.js");
const DYN = "pulumi-nodejs:dynamic/";
const RESOURCES = [
  `${DYN}ads:ImportTask discovery`,
  `${DYN}ec2:ImportImageTask web-01-image`,
  `${DYN}mgn:ImportTask inventory`,
  `${DYN}migrationhub:MigrationTask db-01`,
  `${DYN}migrationhub:MigrationTask web-01`,
  `${DYN}migrationhub:ProgressUpdateStream tracking`,
];
/** The AWS calls that start something, and how often one deployment of the program makes each. */
const STARTS = {
  "ads:StartImportTask": 1,
  "mgn:StartImport": 1,
  "ec2:ImportImage": 1,
  "migrationhub:CreateProgressUpdateStream": 1,
  "migrationhub:ImportMigrationTask": 2,
};

const labels = (steps: JsonStep[]): string[] =>
  steps.map((s) => `${s.op} ${urnLabel(s.urn)}`).sort();

describe("e2e: Pulumi state in the emulator's S3 (DIY backend)", function () {
  this.timeout(300_000);

  let binDir = "";
  let emulator: Emulator | undefined;
  const stacks: ProgramStack[] = [];
  const emu = (): Emulator => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };

  before(async function () {
    binDir = requirePulumi.call(this).binDir;
    assert.ok(existsSync(PROGRAM), `${PROGRAM} is missing: run 'npm run build' first`);
    emulator = await startEmulator({ timeScale: 1000, homeRegion: REGION, credentials: [KEY] });
  });
  after(async () => {
    for (const s of stacks) await s.dispose();
    await emulator?.stop();
  });

  async function newStack(name: string): Promise<ProgramStack> {
    emu().reset();
    await prepareAccount(emu());
    const stack = await ProgramStack.create({
      binDir,
      project: "gitops",
      program: PROGRAM,
      stack: name,
      config: {
        "aws:region": REGION,
        "awsMigration:endpoint": emu().url,
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "250",
      },
      env: s3BackendEnv(emu()),
    });
    stacks.push(stack);
    return stack;
  }

  const starts = (): Record<string, number> => {
    const requests = emu().stats().requests;
    return Object.fromEntries(Object.keys(STARTS).map((op) => [op, requests[op] ?? 0]));
  };

  it("runs preview, up, a no-change preview, refresh and destroy with the state in S3", async () => {
    const stack = await newStack("dev");
    // stack init and config wrote the backend's metadata and the empty stack (with the backup a
    // write keeps) to the bucket, and nothing to disk.
    assert.deepEqual(await stateKeys(emu()), [
      ".pulumi/meta.yaml",
      ".pulumi/stacks/gitops/dev.json",
      ".pulumi/stacks/gitops/dev.json.bak",
    ]);
    assert.deepEqual(readdirSync(join(stack.workDir, "backend")), []);

    const plan = await stack.preview();
    assert.deepEqual(
      labels(plan.steps),
      RESOURCES.map((r) => `create ${r}`),
    );
    assert.deepEqual(plan.summary, { create: 7 });

    assertOk("up", await stack.up());
    const outputs = await stack.outputs();
    assert.match(String(outputs.imageId), /^ami-[0-9a-f]{17}$/);
    assert.deepEqual(outputs, {
      discoveryStatus: "IMPORT_COMPLETE_WITH_ERRORS",
      inventoryStatus: "SUCCEEDED",
      migrationTasks: ["gitops-wave-1/wave-1-web-01", "gitops-wave-1/wave-1-db-01"],
      imageId: outputs.imageId,
    });
    assert.deepEqual(starts(), STARTS);

    assert.deepEqual(await stack.preview(), { steps: [], summary: { same: 7 } });
    assertOk("refresh", await stack.pulumi("refresh", "--yes", "--skip-preview"));
    assert.deepEqual(await stack.preview(), { steps: [], summary: { same: 7 } });

    assertOk("destroy", await stack.pulumi("destroy", "--yes", "--skip-preview"));
    assert.deepEqual(await stack.outputs(), {});
    assert.deepEqual([...(await stack.resources()).keys()], []);
    // Nothing started twice. The bucket holds the stack file and its .bak, and for each of up,
    // refresh and destroy a backup, a history record and its checkpoint; no lock is left.
    assert.deepEqual(starts(), STARTS);
    const shape = (await stateKeys(emu())).map((k) =>
      k
        .replace(/\/dev\.\d{19}\.json$/, "/dev.<ns>.json")
        .replace(/\/dev-\d+\.(history|checkpoint)\.json$/, "/dev-<ns>.$1.json"),
    );
    assert.deepEqual(shape, [
      ...Array<string>(3).fill(".pulumi/backups/gitops/dev/dev.<ns>.json"),
      ...Array<string>(3)
        .fill("")
        .flatMap(() => [
          ".pulumi/history/gitops/dev/dev-<ns>.checkpoint.json",
          ".pulumi/history/gitops/dev/dev-<ns>.history.json",
        ]),
      ".pulumi/meta.yaml",
      ".pulumi/stacks/gitops/dev.json",
      ".pulumi/stacks/gitops/dev.json.bak",
    ]);
    assert.deepEqual(await stateKeys(emu(), ".pulumi/locks/"), []);
    assert.deepEqual(readdirSync(join(stack.workDir, "backend")), []);
  });

  it("refuses a second up of the same stack while the first runs, and starts each task once", async () => {
    const stack = await newStack("concurrent");
    // Slow enough that the imports are still running when the second up tries to lock.
    emu().configure({ timeScale: 40 });
    const second = await InlineLanguageServer.start(
      join(REPO_ROOT, "scripts", "language-server.js"),
      {
        cwd: stack.projectDir,
        env: stack.env,
        args: [PROGRAM],
      },
    );
    try {
      let secondRun: Promise<{ code: number | null; stdout: string; stderr: string }> | undefined;
      let watching = false;
      const first = await stack.run(["up", "--yes", "--skip-preview"], () => {
        if (watching) return;
        watching = true;
        // Once the first up holds the lock and has started the ADS import, a second `up` of the
        // same stack (another CI job, another checkout) begins.
        const timer = setInterval(() => {
          if ((emu().stats().requests["ads:StartImportTask"] ?? 0) === 0) return;
          clearInterval(timer);
          secondRun = runPulumi(
            ["up", "--yes", "--skip-preview", `--client=${second.address}`, "--non-interactive"],
            { cwd: stack.projectDir, env: stack.env },
          );
        }, 50);
      });
      assertOk("first up", first);
      assert.ok(secondRun, "the second up never started");
      const refused = await secondRun;
      assert.equal(refused.code, 1, `second up:\n${refused.stdout}\n${refused.stderr}`);
      // The lock's URL is the backend URL as Pulumi normalized it: the query re-encoded, and
      // request_checksum_calculation=when_required added for a custom endpoint
      // (pkg/backend/diy/backend.go translateLegacyS3Params in pulumi/pulumi v3.276.0).
      const query = `endpoint=${encodeURIComponent(emu().url)}&region=${REGION}&request_checksum_calculation=when_required&use_path_style=true`;
      const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      assert.equal(refused.stdout, "");
      assert.match(
        refused.stderr,
        new RegExp(
          "^" +
            escape(
              "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n  s3://pulumi-state/.pulumi/locks/organization/gitops/concurrent/",
            ) +
            "[0-9a-f-]{36}" +
            escape(`.json?${query}: created by `) +
            String.raw`\S+@\S+ \(pid \d+\) at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$`,
        ),
      );
      // The refused run changed nothing: one task each, all finished by the first.
      assert.deepEqual(starts(), STARTS);
      const resources = await stack.resources();
      assert.deepEqual([...resources.keys()].sort(), [
        "db-01",
        "discovery",
        "inventory",
        "tracking",
        "web-01",
        "web-01-image",
      ]);
      assert.equal(resources.get("web-01-image")?.outputs?.status, "completed");
      assert.deepEqual(await stateKeys(emu(), ".pulumi/locks/"), []);
    } finally {
      emu().configure({ timeScale: 1000 });
      await second.stop();
    }
  });
});
