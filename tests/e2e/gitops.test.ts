/**
 * examples/gitops/pipeline.sh run stage by stage as its GitHub Actions workflow runs it, against
 * the emulator with the stack's state in the emulator's S3: the pull-request preview, the apply
 * on merge, the scheduled drift check (clean, then after an import was deleted out of band), and
 * a pull request that replaces an import. Each stage's Markdown summary is asserted whole, with
 * only the AWS task IDs masked (the emulator's IDs depend on the order of concurrent starts).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import {
  ApplicationDiscoveryServiceClient,
  BatchDeleteImportDataCommand,
} from "../../provider/ads/client";
import { InlineLanguageServer, requirePulumi } from "../support/pulumiCli";
import { ProgramStack, REPO_ROOT } from "../support/pulumiStack";
import { KEY, prepareAccount, REGION, s3BackendEnv } from "../support/s3backend";

const PROGRAM = join(REPO_ROOT, "dist", "examples", "gitops", "index.js");
const PIPELINE = join(REPO_ROOT, "examples", "gitops", "pipeline.sh");

interface StageResult {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
}

/** AWS task IDs → placeholders; everything else in a summary is exact. */
function maskIds(markdown: string): string {
  return markdown
    .replace(/import-task-[0-9a-f]{32}/g, "import-task-<id>")
    .replace(/import-ami-[0-9a-f]{17}/g, "import-ami-<id>")
    .replace(/import-[0-9a-z]{17}\b/g, "import-<id>");
}

const md = (...lines: string[]): string => lines.join("\n") + "\n";

describe("e2e: examples/gitops/pipeline.sh against the emulator, state in S3", function () {
  this.timeout(300_000);

  let emulator: Emulator | undefined;
  let stack: ProgramStack | undefined;
  let server: InlineLanguageServer | undefined;

  before(async function () {
    const { binDir } = requirePulumi.call(this);
    assert.ok(existsSync(PROGRAM), `${PROGRAM} is missing: run 'npm run build' first`);
    emulator = await startEmulator({ timeScale: 1000, homeRegion: REGION, credentials: [KEY] });
    await prepareAccount(emulator, { "discovery-v2.csv": "discovery.csv" });
    // The stack and its config as the repository would commit them (Pulumi.dev.yaml).
    stack = await ProgramStack.create({
      binDir,
      project: "gitops",
      program: PROGRAM,
      stack: "dev",
      config: {
        "aws:region": REGION,
        "awsMigration:endpoint": emulator.url,
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "250",
      },
      env: s3BackendEnv(emulator),
    });
    // No pulumi-language-nodejs here: the program runs in a language server (PULUMI_RUN_ARGS).
    server = await InlineLanguageServer.start(join(REPO_ROOT, "scripts", "language-server.js"), {
      cwd: stack.projectDir,
      env: stack.env,
      args: [PROGRAM],
    });
  });
  after(async () => {
    await server?.stop();
    await stack?.dispose();
    await emulator?.stop();
  });

  function stage(name: "preview" | "apply" | "drift"): Promise<StageResult> {
    const s = stack!;
    const summaryFile = join(s.workDir, `${name}.md`);
    const env: NodeJS.ProcessEnv = {
      ...s.env,
      PULUMI_STACK: "dev",
      PULUMI_RUN_ARGS: `--client=${server!.address}`,
      SUMMARY_FILE: summaryFile,
    };
    delete env.GITHUB_STEP_SUMMARY;
    return new Promise((resolvePromise, reject) => {
      const child = spawn("bash", [PIPELINE, name], {
        cwd: s.projectDir,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        const summary = existsSync(summaryFile) ? readFileSync(summaryFile, "utf8") : "";
        resolvePromise({ code, stdout, stderr, summary });
      });
    });
  }

  /** The stage's exit code and masked summary; the script prints the summary it writes. */
  async function run(name: "preview" | "apply" | "drift"): Promise<[number | null, string]> {
    const r = await stage(name);
    assert.equal(r.stdout, r.summary, `stdout is not the summary; stderr:\n${r.stderr}`);
    return [r.code, maskIds(r.summary)];
  }

  it("preview on a pull request lists the imports that will start", async () => {
    assert.deepEqual(await run("preview"), [
      0,
      md(
        "### Pulumi preview of stack `dev`: succeeded",
        "",
        "7 create",
        "",
        "**Imports that start**",
        "",
        "- `ads.ImportTask discovery`",
        "- `ec2.ImportImageTask web-01-image`",
        "- `mgn.ImportTask inventory`",
        "- `migrationhub.MigrationTask db-01`",
        "- `migrationhub.MigrationTask web-01`",
        "",
        "**Warnings**",
        "",
        "- none",
      ),
    ]);
  });

  it("apply on merge starts them and names each task it started", async () => {
    assert.deepEqual(await run("apply"), [
      0,
      md(
        "### Pulumi up of stack `dev`: succeeded",
        "",
        "7 create",
        "",
        "**Imports that start**",
        "",
        "- `ads.ImportTask discovery`: `import-task-<id>`",
        "- `ec2.ImportImageTask web-01-image`: `import-ami-<id>`",
        "- `mgn.ImportTask inventory`: `import-<id>`",
        "- `migrationhub.MigrationTask db-01`: `gitops-wave-1/wave-1-db-01`",
        "- `migrationhub.MigrationTask web-01`: `gitops-wave-1/wave-1-web-01`",
        "",
        "**Warnings**",
        "",
        // The provider's warning reaches the pipeline: it is a warning on its resource's URN.
        "- [aws-migration] ads.ImportTask discovery (wave-1 discovery): import import-task-<id> finished IMPORT_COMPLETE_WITH_ERRORS with rejected rows (servers 4 imported / 3 failed, applications 2 imported / 0 failed). Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.",
      ),
    ]);
    const requests = emulator!.stats().requests;
    assert.deepEqual(
      [requests["ads:StartImportTask"], requests["mgn:StartImport"], requests["ec2:ImportImage"]],
      [1, 1, 1],
    );
  });

  it("the scheduled drift check finds none right after the apply", async () => {
    assert.deepEqual(await run("drift"), [
      0,
      md(
        "### Drift check of stack `dev`: no drift",
        "",
        "7 same",
        "",
        "**Warnings**",
        "",
        "- none",
      ),
    ]);
  });

  it("a pull request that changes the discovery file shows the replace and why, the updates and the program's warning", async () => {
    await stack!.setConfig({
      "gitops:discoveryFile": "discovery-v2.csv",
      "gitops:waitForCompletion": "false",
    });
    try {
      assert.deepEqual(await run("preview"), [
        0,
        md(
          "### Pulumi preview of stack `dev`: succeeded",
          "",
          "1 replace, 4 same, 2 update",
          "",
          "**Imports that start**",
          "",
          "- `ads.ImportTask discovery` (replaces `import-task-<id>`)",
          "",
          "**Replaced**",
          "",
          "- `ads.ImportTask discovery`: `importUrl`",
          "",
          "**Updated in place**",
          "",
          "- `ec2.ImportImageTask web-01-image`: `waitForCompletion`",
          "- `mgn.ImportTask inventory`: `waitForCompletion`",
          "",
          "**Warnings**",
          "",
          "- waitForCompletion is off: imports start without waiting, so their outputs stay empty until the drift check refreshes them",
        ),
      ]);
    } finally {
      // The pull request is not merged.
      await stack!.pulumi("config", "rm", "gitops:discoveryFile");
      await stack!.pulumi("config", "rm", "gitops:waitForCompletion");
    }
    // A preview starts nothing.
    assert.equal(emulator!.stats().requests["ads:StartImportTask"], 1);
  });

  it("the drift check fails once an import is deleted outside Pulumi, and leaves the state as it was", async () => {
    const emu = emulator!;
    const adsId = (await stack!.resources()).get("discovery")?.id ?? "";
    assert.match(adsId, /^import-task-[0-9a-f]{32}$/);
    const ads = new ApplicationDiscoveryServiceClient({
      endpoint: emu.url,
      region: REGION,
      credentials: KEY,
    });
    await ads.send(
      new BatchDeleteImportDataCommand({ importTaskIds: [adsId], deleteHistory: true }),
    );
    // The deletion is asynchronous; let the emulated clock finish it.
    emu.configure({ advanceSeconds: 600 });

    const [code, summary] = await run("drift");
    // ExitNoChanges (pulumi/pulumi sdk/go/common/util/cmdutil/exit.go, v3.276.0).
    assert.equal(code, 7);
    assert.equal(
      summary,
      md(
        "### Drift check of stack `dev`: drift found",
        "",
        "1 delete, 6 same",
        "",
        "**Changed outside Pulumi**",
        "",
        "- `ads.ImportTask discovery` (`import-task-<id>`): deleted outside Pulumi",
        "",
        "**Warnings**",
        "",
        "- none",
      ),
    );
    // --preview-only: the stack still records the import; a human decides what to do.
    assert.equal((await stack!.resources()).get("discovery")?.id, adsId);
  });
});
