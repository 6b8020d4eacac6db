/**
 * Finds and runs the Pulumi CLI that scripts/ensure-pulumi provides (built from the Go module
 * proxy, since the `pulumi` npm package only downloads it). Nothing here builds: a suite without a
 * CLI fails in CI (CI=true) and elsewhere skips with one loud line.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";

const repoRoot = resolve(__dirname, "..", "..");
const sdkDir = dirname(require.resolve("@pulumi/pulumi/package.json"));
const sdkVersion = (
  JSON.parse(readFileSync(join(sdkDir, "package.json"), "utf8")) as { version: string }
).version;

/** The passphrase of test stacks: it only guards secrets in a throwaway file backend. */
export const TEST_PASSPHRASE = "pulumi-aws-migration-test";

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The bin dir of a usable CLI, or undefined. Runs nothing: a `pulumi` on PATH counts when the
 * nodejs language host is beside it (as scripts/ensure-pulumi demands); otherwise the build of the
 * SDK's own version, .tools/pulumi/<@pulumi/pulumi version>/bin — a build left there for another
 * version is ignored, so the tests never run a CLI older than the SDK they load.
 */
export function findPulumi(): { binDir: string } | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (
      dir &&
      isExecutable(join(dir, "pulumi")) &&
      isExecutable(join(dir, "pulumi-language-nodejs"))
    ) {
      return { binDir: dir };
    }
  }
  const binDir = join(repoRoot, ".tools", "pulumi", sdkVersion, "bin");
  return isExecutable(join(binDir, "pulumi")) ? { binDir } : undefined;
}

/** Whether `binDir` has pulumi-language-nodejs; without it programs run through `--client`. */
export function hasLanguageHost(binDir: string): boolean {
  return isExecutable(join(binDir, "pulumi-language-nodejs"));
}

/**
 * An environment for an offline CLI run: the CLI and the dynamic-provider launcher on PATH, a
 * file backend in `backendDir`, PULUMI_HOME inside `workDir` (so nothing touches ~/.pulumi), no
 * update checks or plugin downloads.
 */
export function pulumiEnv(opts: {
  workDir: string;
  backendDir: string;
  env?: NodeJS.ProcessEnv;
}): NodeJS.ProcessEnv {
  const cli = findPulumi();
  if (!cli) throw new Error("no pulumi CLI: run ./scripts/ensure-pulumi");
  const base = opts.env ?? process.env;
  return {
    ...base,
    PATH: [cli.binDir, sdkDir, base.PATH ?? ""].join(delimiter),
    PULUMI_BACKEND_URL: `file://${opts.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: opts.env?.PULUMI_CONFIG_PASSPHRASE ?? TEST_PASSPHRASE,
    PULUMI_HOME: join(opts.workDir, ".pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
  };
}

export interface PulumiResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `pulumi` (found on `env.PATH`) and collects its output; a run past `timeoutMs` is killed. */
export function runPulumi(
  args: string[],
  opts: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    timeoutMs?: number;
    /** Sees the process once started and every chunk of its stdout (for killing it mid-run). */
    onOutput?: (child: ChildProcess, stdoutSoFar: string) => void;
  },
): Promise<PulumiResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("pulumi", args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      opts.onOutput?.(child, stdout);
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[runPulumi] killed after ${opts.timeoutMs ?? 180_000} ms`;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 180_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

let warnedNoCli = false;

/**
 * In a `before` hook: the CLI's bin dir. Without one, CI (CI=true) fails — the e2e tier must run
 * there — and elsewhere the suite is skipped with one loud line for the whole run.
 */
export function requirePulumi(this: Mocha.Context): { binDir: string } {
  const cli = findPulumi();
  if (!cli) {
    const how = `no pulumi CLI ${sdkVersion}: install Go >= 1.25 and run ./scripts/ensure-pulumi (./scripts/test does), or put pulumi >= ${sdkVersion} with pulumi-language-nodejs on PATH`;
    if (process.env.CI === "true") throw new Error(`e2e tier cannot run in CI: ${how}`);
    if (!warnedNoCli) console.warn(`SKIPPED e2e tier: ${how}`);
    warnedNoCli = true;
    this.skip();
  }
  return cli;
}

/**
 * The SDK's in-process language runtime serving one program (scripts/language-server.js),
 * for `pulumi up/preview --client=<address>` when no pulumi-language-nodejs exists.
 */
export class InlineLanguageServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly address: string,
    readonly output: string[],
  ) {}

  static start(
    script: string,
    opts: { cwd: string; env: NodeJS.ProcessEnv; args?: string[] },
  ): Promise<InlineLanguageServer> {
    const child = spawn(process.execPath, [script, ...(opts.args ?? [])], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    return new Promise((resolvePromise, reject) => {
      let first = "";
      const onData = (d: Buffer): void => {
        first += d.toString();
        const m = /^(\d+)\n/.exec(first);
        if (!m) return;
        child.stdout.off("data", onData);
        child.stdout.on("data", (more: Buffer) => output.push(more.toString()));
        child.off("exit", onExit);
        resolvePromise(new InlineLanguageServer(child, `127.0.0.1:${m[1]}`, output));
      };
      const onExit = (code: number | null): void =>
        reject(
          new Error(
            `language server exited with ${code} before listening: ${first}${output.join("")}`,
          ),
        );
      child.stdout.on("data", onData);
      child.stderr.on("data", (d: Buffer) => output.push(d.toString()));
      child.on("exit", onExit);
    });
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolvePromise) => {
      this.child.once("exit", () => resolvePromise());
      this.child.kill("SIGTERM");
    });
  }
}
