/**
 * One Pulumi stack of a compiled program (dist/demo/index.js, dist/examples/<name>/index.js) in a
 * temporary project and file backend, driven through the real CLI. Programs run in the SDK's
 * in-process language server (scripts/language-server.js, `--client`) when there is no
 * pulumi-language-nodejs, as the Automation API does.
 */
import assert from "node:assert/strict";
import { type ChildProcess } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  hasLanguageHost,
  InlineLanguageServer,
  type PulumiResult,
  pulumiEnv,
  runPulumi,
} from "./pulumiCli";

export const REPO_ROOT = resolve(__dirname, "..", "..");
const LANGUAGE_SERVER = join(REPO_ROOT, "scripts", "language-server.js");

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  initErrors?: string[];
}

export interface Deployment {
  resources?: StateResource[];
  pending_operations?: { resource: StateResource; type: string }[];
}

/** One step of `pulumi preview --json` / `refresh --json`. */
export interface JsonStep {
  op: string;
  urn: string;
  replaceReasons?: string[];
  diffReasons?: string[];
  oldState?: StateResource;
  newState?: StateResource;
}

/** Fails with the command's whole output, which is what one needs to see when a step breaks. */
export function assertOk(step: string, r: PulumiResult): void {
  assert.equal(
    r.code,
    0,
    `${step} exited ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`,
  );
}

/** `type name` of a URN, e.g. `pulumi-nodejs:dynamic/ads:ImportTask discovery`. */
export function urnLabel(urn: string): string {
  const parts = urn.split("::");
  return `${parts[2] ?? "?"} ${parts[3] ?? "?"}`;
}

export class ProgramStack {
  private server: InlineLanguageServer | undefined;
  private readonly usesClient: boolean;

  private constructor(
    readonly workDir: string,
    readonly projectDir: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly program: string,
    binDir: string,
  ) {
    this.usesClient = !hasLanguageHost(binDir);
  }

  /**
   * A project named `project` whose program is `program` (compiled JS), stack `stack` initialised
   * with `config` (plaintext). `env` adds to the CLI's environment (AWS endpoint, credentials).
   */
  static async create(opts: {
    binDir: string;
    project: string;
    program: string;
    stack: string;
    env: NodeJS.ProcessEnv;
    config?: Record<string, string>;
  }): Promise<ProgramStack> {
    const workDir = mkdtempSync(join(tmpdir(), "pulumi-e2e-"));
    const projectDir = join(workDir, "project");
    const backendDir = join(workDir, "backend");
    mkdirSync(projectDir);
    mkdirSync(backendDir);
    writeFileSync(
      join(projectDir, "Pulumi.yaml"),
      `name: ${opts.project}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
    );
    // For a real pulumi-language-nodejs; with --client the language server loads `program` itself.
    writeFileSync(
      join(projectDir, "index.js"),
      `module.exports = require(${JSON.stringify(opts.program)});\n`,
    );
    symlinkSync(join(REPO_ROOT, "node_modules"), join(projectDir, "node_modules"), "dir");
    const env = {
      ...pulumiEnv({ workDir, backendDir }),
      // The SDK's notice about Node versions it will need next year, once per process otherwise.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...opts.env,
    };
    const stack = new ProgramStack(workDir, projectDir, env, opts.program, opts.binDir);
    assertOk("stack init", await stack.pulumi("stack", "init", opts.stack));
    if (opts.config) await stack.setConfig(opts.config);
    return stack;
  }

  async setConfig(config: Record<string, string>): Promise<void> {
    const pairs = Object.entries(config).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]);
    assertOk("config set-all", await this.pulumi("config", "set-all", ...pairs));
  }

  /** Any pulumi command, non-interactive. */
  pulumi(...args: string[]): Promise<PulumiResult> {
    return runPulumi([...args, "--non-interactive"], { cwd: this.projectDir, env: this.env });
  }

  /** A command that runs the program (preview, up): adds `--client` where needed. */
  async run(
    args: string[],
    onOutput?: (child: ChildProcess, stdoutSoFar: string) => void,
  ): Promise<PulumiResult> {
    const client = await this.clientArgs();
    return runPulumi([...args, ...client, "--non-interactive"], {
      cwd: this.projectDir,
      env: this.env,
      ...(onOutput ? { onOutput } : {}),
    });
  }

  async up(): Promise<PulumiResult> {
    return this.run(["up", "--yes", "--skip-preview"]);
  }

  /**
   * `pulumi preview --json`: the steps that change something (the CLI lists no `same` steps but
   * the stack's) and the count per operation, e.g. `{ same: 5, update: 1 }`.
   */
  async preview(): Promise<{ steps: JsonStep[]; summary: Record<string, number> }> {
    const r = await this.run(["preview", "--json"]);
    assertOk("preview --json", r);
    const json = JSON.parse(r.stdout) as {
      steps: JsonStep[];
      changeSummary: Record<string, number>;
    };
    return {
      steps: json.steps.filter(
        (s) => s.op !== "same" && !s.urn.includes("::pulumi:pulumi:Stack::"),
      ),
      summary: json.changeSummary,
    };
  }

  async exportState(): Promise<Deployment> {
    const r = await this.pulumi("stack", "export");
    assertOk("stack export", r);
    return (JSON.parse(r.stdout) as { deployment: Deployment }).deployment;
  }

  /** The raw `pulumi stack export` text (secrets stay encrypted). */
  async exportText(): Promise<string> {
    const r = await this.pulumi("stack", "export");
    assertOk("stack export", r);
    return r.stdout;
  }

  /** The stack's resources of dynamic types, by name. */
  async resources(): Promise<Map<string, StateResource>> {
    const out = new Map<string, StateResource>();
    for (const r of (await this.exportState()).resources ?? []) {
      if (r.type.startsWith("pulumi-nodejs:dynamic/"))
        out.set(r.urn.slice(r.urn.lastIndexOf("::") + 2), r);
    }
    return out;
  }

  async outputs(): Promise<Record<string, unknown>> {
    const r = await this.pulumi("stack", "output", "--json");
    assertOk("stack output", r);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** A language server that died with a killed run is replaced. */
  private async clientArgs(): Promise<string[]> {
    if (!this.usesClient) return [];
    if (!this.server?.running) {
      this.server = await InlineLanguageServer.start(LANGUAGE_SERVER, {
        cwd: this.projectDir,
        env: this.env,
        args: [this.program],
      });
    }
    return [`--client=${this.server.address}`];
  }

  /** Restarts the program's language server (after a killed run left it mid-program). */
  async restartServer(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }

  async dispose(): Promise<void> {
    await this.server?.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** Pids of `pid`'s descendants (from /proc), children first. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map(Number)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid ...": comm may contain spaces, so split after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), entry]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}
