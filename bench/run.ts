/**
 * `npm run bench [-- options]`: poll efficiency and detection lag, a fleet under throttling, state
 * size and cold start, against the emulator with its AWS-like rate limits. Measured jobs run one at
 * a time. Prints the tables and the targets (met / missed) for this run and writes
 * bench/results/<time>-<full|quick|partial>.json; `npm run bench:render` then regenerates
 * BENCHMARKS.md from every results file. Times are emulated seconds where the clock is scaled
 * (part 1), real seconds elsewhere.
 *
 *   --services ads,mgn,ec2-instance,ec2-image   part 1 services (default: all)
 *   --ns 1,10,100,1000                          part 1 task counts (default: all four)
 *   --strategies ours,sdk-waiter,terraform,terraform-p10,cdk,cdk-30min   (default: all)
 *   --time-scale 60                             part 1 emulated seconds per real second
 *   --runs 3                                    runs per measured configuration (and fleet)
 *   --measure-max-n terraform=1,cdk=1,...       largest N a peer runs against the emulator
 *   --parts poll,fleet,state,coldstart          (default: all; poll only when --services,
 *                                               --ns or --strategies pick rows)
 *   --fleet-size 1000,100,50                    MigrationTasks, MGN imports, ADS imports
 *   --state-count 1000   --seed 1   --quick (N = 1, 10, 100; S = 120; 1 run; small fleet)
 *   --plan                                      list the measured jobs and their estimated time
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_RATE_LIMITS } from "../emulator";
import { runColdStart } from "./coldstart";
import { runFleet } from "./fleet";
import { renderReport } from "./lib/report";
import { merge, type ResultsFile, SCHEMA } from "./lib/results";
import { type PeerId, PEER_IDS, type Strategy, STRATEGIES } from "./lib/schedules";
import { SERVICE_NAMES, type ServiceName } from "./lib/services";
import { round } from "./lib/stats";
import { estimateRealSeconds, pollJobs, runPoll } from "./poll";
import { runState } from "./state";

// The emulator's test key pair; our providers read credentials from the standard chain.
process.env["AWS_ACCESS_KEY_ID"] ??= "test";
process.env["AWS_SECRET_ACCESS_KEY"] ??= "test";

type Part = "poll" | "fleet" | "state" | "coldstart";
const PARTS: readonly Part[] = ["poll", "fleet", "state", "coldstart"];

export interface BenchOptions {
  readonly label: "full" | "quick" | "partial";
  readonly services: readonly ServiceName[];
  readonly ns: readonly number[];
  readonly strategies: readonly Strategy[];
  readonly timeScale: number;
  readonly runs: number;
  readonly seed: number;
  readonly measuredMaxN: Readonly<Record<PeerId, number>>;
  readonly parts: readonly Part[];
  readonly fleet: {
    migrationTasks: number;
    mgnImports: number;
    adsImports: number;
    taskSeconds: number;
  };
  readonly stateCount: number;
  readonly coldRuns: number;
  /** Print the part 1 jobs and their estimated real time, and run nothing. */
  readonly plan: boolean;
}

/** Peers run against the emulator up to these N by default; above, they are simulated only. */
const MEASURED_MAX_N: Readonly<Record<PeerId, number>> = {
  "sdk-waiter": 100,
  terraform: 1,
  cdk: 1,
  // At N <= 10 these equal their base model (10 slots; a 1–60 min task rarely meets the timeout).
  "terraform-p10": 0,
  "cdk-30min": 0,
};

function list<T extends string>(value: string, allowed: readonly T[], what: string): T[] {
  const items = value.split(",").map((s) => s.trim());
  for (const item of items)
    if (!allowed.includes(item as T))
      throw new Error(`unknown ${what} "${item}" (one of ${allowed.join(", ")})`);
  return items as T[];
}

function positive(value: string, what: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new Error(`${what} must be a positive number`);
  return n;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: "boolean", default: false },
      services: { type: "string" },
      ns: { type: "string" },
      strategies: { type: "string" },
      "time-scale": { type: "string" },
      runs: { type: "string" },
      seed: { type: "string", default: "1" },
      "measure-max-n": { type: "string" },
      parts: { type: "string" },
      "fleet-size": { type: "string" },
      "state-count": { type: "string" },
      plan: { type: "boolean", default: false },
    },
    strict: true,
  });
  const quick = values.quick;
  const picksRows =
    values.services !== undefined || values.ns !== undefined || values.strategies !== undefined;
  const measuredMaxN = { ...MEASURED_MAX_N };
  if (values["measure-max-n"] !== undefined) {
    for (const pair of values["measure-max-n"].split(",")) {
      const [id, n] = pair.split("=");
      const [peer] = list(id ?? "", PEER_IDS, "peer");
      measuredMaxN[peer!] = Number(n);
    }
  }
  const fleetSize = (values["fleet-size"] ?? (quick ? "100,10,5" : "1000,100,50"))
    .split(",")
    .map((v) => positive(v, "--fleet-size"));
  if (fleetSize.length !== 3) throw new Error("--fleet-size takes three counts: M,G,A");
  const onlyPreset = argv.every((a) => a === "--quick" || a === "--plan" || a.startsWith("--seed"));
  return {
    label: onlyPreset ? (quick ? "quick" : "full") : "partial",
    services: values.services ? list(values.services, SERVICE_NAMES, "service") : SERVICE_NAMES,
    ns: (values.ns ?? (quick ? "1,10,100" : "1,10,100,1000"))
      .split(",")
      .map((v) => positive(v, "--ns")),
    strategies: values.strategies ? list(values.strategies, STRATEGIES, "strategy") : STRATEGIES,
    timeScale: positive(values["time-scale"] ?? (quick ? "120" : "60"), "--time-scale"),
    runs: positive(values.runs ?? (quick ? "1" : "3"), "--runs"),
    seed: Number(values.seed),
    measuredMaxN,
    parts: values.parts ? list(values.parts, PARTS, "part") : picksRows ? ["poll"] : PARTS,
    fleet: {
      migrationTasks: fleetSize[0]!,
      mgnImports: fleetSize[1]!,
      adsImports: fleetSize[2]!,
      taskSeconds: 10,
    },
    stateCount: positive(values["state-count"] ?? (quick ? "50" : "1000"), "--state-count"),
    coldRuns: positive(values.runs ?? (quick ? "1" : "3"), "--runs"),
    plan: values.plan,
  };
}

function gitCommit(): string {
  try {
    const run = (...args: string[]): string =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = run("status", "--porcelain", "--untracked-files=no") !== "";
    return `${run("rev-parse", "--short=12", "HEAD")}${dirty ? "-dirty" : ""}`;
  } catch {
    return "unknown";
  }
}

/** `--plan`: the measured part 1 jobs, one a line, with the real time each run should take. */
function printPlan(opts: BenchOptions): void {
  const jobs = opts.parts.includes("poll") ? pollJobs(opts).filter((j) => j.runs > 0) : [];
  let total = 0;
  for (const job of jobs) {
    const s = estimateRealSeconds(job, opts);
    total += s * job.runs;
    process.stdout.write(
      `${job.service} N=${job.n} ${job.strategy}: ${job.runs} × ~${Math.round(s)} s\n`,
    );
  }
  const others = opts.parts.filter((p) => p !== "poll");
  process.stdout.write(
    `part 1: ${jobs.length} measured configurations, ~${Math.round(total / 60)} min at S = ${opts.timeScale} on an unloaded machine` +
      `${others.length > 0 ? `; ${others.join(", ")} not estimated (a few minutes together)` : ""}\n`,
  );
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv);
  const started = Date.now();
  const date = new Date(started).toISOString();
  const loadBefore = loadavg().map((l) => round(l, 2));
  const commit = gitCommit();
  const log = (msg: string): void => {
    process.stderr.write(`[bench ${round((Date.now() - started) / 1000, 0)}s] ${msg}\n`);
  };

  const has = (p: Part): boolean => opts.parts.includes(p);
  if (opts.plan) {
    printPlan(opts);
    return;
  }
  let poll: ResultsFile["poll"] = [];
  if (has("poll")) {
    log(
      `part 1: ${opts.services.join(", ")}; N = ${opts.ns.join(", ")}; S = ${opts.timeScale}; ${opts.runs} run(s)`,
    );
    poll = await runPoll(opts, log);
  }
  const fleet = has("fleet") ? await runFleet(opts.fleet, opts.runs, log) : undefined;
  if (has("state")) log("part 3: state size");
  const state = has("state") ? await runState(opts.stateCount) : undefined;
  if (has("coldstart")) log("part 4: cold start");
  const coldStart = has("coldstart") ? await runColdStart(opts.coldRuns) : undefined;

  const file: ResultsFile = {
    schema: SCHEMA,
    label: opts.label,
    command: `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`,
    options: { ...opts },
    date,
    commit,
    env: {
      node: process.version,
      cpus: cpus().length,
      loadBefore,
      loadAfter: loadavg().map((l) => round(l, 2)),
    },
    rateLimits: DEFAULT_RATE_LIMITS,
    wallSeconds: round((Date.now() - started) / 1000),
    poll,
    ...(fleet ? { fleet } : {}),
    ...(state ? { state } : {}),
    ...(coldStart ? { coldStart } : {}),
  };
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const name = `${date.slice(0, 16).replace(/:/g, "")}Z-${opts.label}.json`;
  // Through JSON so the printout shows exactly what the file holds (NaN becomes null, "—").
  const json = JSON.stringify(file, null, 2) + "\n";
  writeFileSync(join(dir, name), json);
  const saved = JSON.parse(json) as ResultsFile;
  process.stdout.write(`\n${renderReport(merge([{ name, file: saved }]))}\n\n`);
  process.stdout.write(
    `wrote bench/results/${name} (${file.wallSeconds} s); \`npm run bench:render\` regenerates BENCHMARKS.md from every results file\n`,
  );
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
