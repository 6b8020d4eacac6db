/**
 * The Pulumi CLI that scripts/ensure-pulumi builds, the nodejs runtime and the dynamic-provider
 * launcher working together offline: a stack in a temporary file backend goes through init, up,
 * output, a no-change preview and destroy. Where no pulumi-language-nodejs exists (the Go module
 * proxy serves none) the program runs in the SDK's in-process language server via `--client`.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  hasLanguageHost,
  InlineLanguageServer,
  type PulumiResult,
  pulumiEnv,
  requirePulumi,
  runPulumi,
} from "../support/pulumiCli";

const fixture = resolve(__dirname, "fixtures", "smoke");
const repoRoot = resolve(__dirname, "..", "..");
const repoNodeModules = join(repoRoot, "node_modules");

/** Fails with the command's whole output, which is what one needs to see when a step breaks. */
function assertOk(step: string, r: PulumiResult): void {
  assert.equal(
    r.code,
    0,
    `${step} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
  );
}

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

describe("e2e: pulumi CLI with the nodejs runtime and dynamic providers (offline)", function () {
  this.timeout(300_000);

  let workDir = "";
  let programDir = "";
  let env: NodeJS.ProcessEnv = {};
  let server: InlineLanguageServer | undefined;
  /** `--client=<addr>` for commands that run the program, when there is no language host. */
  let clientArgs: string[] = [];

  before(async function () {
    const cli = requirePulumi.call(this);
    workDir = mkdtempSync(join(tmpdir(), "pulumi-e2e-"));
    programDir = join(workDir, "smoke");
    const backendDir = join(workDir, "backend");
    cpSync(fixture, programDir, { recursive: true });
    // The program, the language host and the launcher all resolve @pulumi/pulumi from here.
    symlinkSync(repoNodeModules, join(programDir, "node_modules"), "dir");
    mkdirSync(backendDir);
    env = pulumiEnv({ workDir, backendDir });
    if (!hasLanguageHost(cli.binDir)) {
      server = await InlineLanguageServer.start(join(repoRoot, "scripts", "language-server.js"), {
        cwd: programDir,
        env,
        args: [join(programDir, "index.js")],
      });
      clientArgs = [`--client=${server.address}`];
    }
  });

  after(async () => {
    await server?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const pulumi = (...args: string[]): Promise<PulumiResult> =>
    runPulumi([...args, "--non-interactive"], { cwd: programDir, env });

  it("inits a stack, deploys a dynamic resource, reads its output, previews no changes, destroys", async () => {
    assertOk("stack init", await pulumi("stack", "init", "dev"));

    assertOk("up", await pulumi("up", "--yes", "--skip-preview", ...clientArgs));

    const output = await pulumi("stack", "output", "--json");
    assertOk("stack output", output);
    assert.deepEqual(JSON.parse(output.stdout), { value: 42 });

    // The state holds what the inline provider's create returned, run by the real launcher.
    const exported = await pulumi("stack", "export");
    assertOk("stack export", exported);
    const resources = (
      JSON.parse(exported.stdout) as { deployment: { resources: StateResource[] } }
    ).deployment.resources;
    assert.deepEqual(
      resources.map((r) => r.type),
      ["pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", "pulumi-nodejs:dynamic:Resource"],
    );
    const answer = resources[2];
    assert.equal(answer?.urn, "urn:pulumi:dev::smoke::pulumi-nodejs:dynamic:Resource::answer");
    assert.equal(answer?.id, "x");
    assert.equal(answer?.outputs?.value, 42);
    assert.equal(typeof answer?.outputs?.__provider, "string");

    assertOk(
      "preview --expect-no-changes",
      await pulumi("preview", "--expect-no-changes", ...clientArgs),
    );

    assertOk("destroy", await pulumi("destroy", "--yes"));
    const after = await pulumi("stack", "output", "--json");
    assertOk("stack output after destroy", after);
    assert.deepEqual(JSON.parse(after.stdout), {});
  });
});
