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
import { DEFAULT_RATE_LIMITS } from "../emulator";
import { runColdStart } from "./coldstart";
import { runFleet } from "./fleet";
import { renderReport } from "./lib/report";
import { merge, type ResultsFile, SCHEMA } from "./lib/results";
import { type BenchOptions, type Part, parseOptions } from "./lib/options";
import { round } from "./lib/stats";
import { estimateRealSeconds, pollJobs, runPoll } from "./poll";
import { runState } from "./state";

// The emulator's test key pair; our providers read credentials from the standard chain.
process.env["AWS_ACCESS_KEY_ID"] ??= "test";
process.env["AWS_SECRET_ACCESS_KEY"] ??= "test";

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
