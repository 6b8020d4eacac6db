/**
 * `npm run bench` (add `-- --quick` for a ~1-minute subset): poll efficiency and detection lag,
 * a fleet under throttling, state size and cold start, against the emulator with its AWS-like
 * rate limits. Prints one table and writes bench/results/<date>.json. Times are emulated seconds
 * where the clock is scaled (part 1), real seconds elsewhere.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runColdStart } from "./coldstart";
import { runFleet } from "./fleet";
import type { ServiceName } from "./lib/services";
import { round } from "./lib/stats";
import { type PollRow, runPoll, STRATEGY_LABEL, type Strategy } from "./poll";
import { runState } from "./state";

// The emulator's test key pair; our providers read credentials from the standard chain.
process.env["AWS_ACCESS_KEY_ID"] ??= "test";
process.env["AWS_SECRET_ACCESS_KEY"] ??= "test";

interface Mode {
  readonly name: "full" | "quick";
  readonly ns: readonly number[];
  readonly timeScale: number;
  readonly fleet: {
    migrationTasks: number;
    mgnImports: number;
    adsImports: number;
    taskSeconds: number;
  };
  readonly stateCount: number;
  readonly coldRuns: number;
}

const MODES: Record<"full" | "quick", Mode> = {
  full: {
    name: "full",
    ns: [1, 10, 100, 1000],
    timeScale: 30,
    fleet: { migrationTasks: 1000, mgnImports: 100, adsImports: 50, taskSeconds: 10 },
    stateCount: 1000,
    coldRuns: 3,
  },
  quick: {
    name: "quick",
    ns: [1, 10, 100],
    timeScale: 120,
    fleet: { migrationTasks: 100, mgnImports: 10, adsImports: 5, taskSeconds: 10 },
    stateCount: 50,
    coldRuns: 1,
  },
};

const SERVICES: readonly ServiceName[] = ["ads", "mgn", "ec2-instance", "ec2-image"];

type Row = [part: string, kase: string, strategy: string, figures: string, target: string];

const mark = (met: boolean): string => (met ? "met" : "MISSED");
const s = (v: number): string => (Number.isFinite(v) ? `${v}` : "—");

function pollTable(rows: readonly PollRow[]): Row[] {
  const out: Row[] = [];
  const find = (service: ServiceName, n: number, strategy: Strategy): PollRow | undefined =>
    rows.find(
      (r) => r.service === service && r.n === n && r.strategy === strategy && r.how === "measured",
    ) ?? rows.find((r) => r.service === service && r.n === n && r.strategy === strategy);
  const order: Strategy[] = ["ours", "sdk-waiter", "terraform", "cdk"];
  for (const service of SERVICES) {
    for (const n of [...new Set(rows.filter((r) => r.service === service).map((r) => r.n))].sort(
      (a, b) => a - b,
    )) {
      for (const strategy of order) {
        const r = find(service, n, strategy);
        if (r === undefined) continue;
        const figures =
          `${r.callsPerTask} calls/task${r.throttledPerTask > 0 ? ` (${r.throttledPerTask} throttled)` : ""}; ` +
          `lag p50 ${s(r.lag.p50)} s, p95 ${s(r.lag.p95)} s, max ${s(r.lag.max)} s` +
          `${r.failed > 0 ? `; ${r.failed} FAILED` : ""}`;
        let target = "";
        if (strategy === "ours") {
          const waiter = find(service, n, "sdk-waiter");
          const cdk = find(service, n, "cdk");
          const goals: string[] = [];
          if (n >= 100) {
            if (waiter)
              goals.push(
                `calls < waiter ${waiter.callsPerTask}: ${mark(r.callsPerTask < waiter.callsPerTask)}`,
              );
            if (cdk) goals.push(`p50 < CDK ${cdk.lag.p50} s: ${mark(r.lag.p50 < cdk.lag.p50)}`);
          } else if (n === 1 && waiter) {
            goals.push(
              `calls <= waiter ${waiter.callsPerTask}: ${mark(r.callsPerTask <= waiter.callsPerTask)}`,
            );
            goals.push(
              `p50 <= waiter/2 ${round(waiter.lag.p50 / 2)} s: ${mark(r.lag.p50 <= waiter.lag.p50 / 2)}`,
            );
          }
          if (r.failed > 0) goals.push("0 failed: MISSED");
          target = goals.join("; ");
        }
        out.push([
          "1 poll",
          `${service} N=${n}`,
          `${STRATEGY_LABEL[strategy]}${r.how === "simulated" ? " [sim]" : ""}`,
          figures,
          target,
        ]);
      }
    }
  }
  return out;
}

function render(rows: readonly Row[]): string {
  const header: Row = ["part", "case", "strategy", "figures", "target"];
  const lines = [header, ["---", "---", "---", "---", "---"] as Row, ...rows].map(
    (r) => `| ${r.join(" | ")} |`,
  );
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: "boolean", default: false }, seed: { type: "string", default: "1" } },
  });
  const mode = MODES[values.quick ? "quick" : "full"];
  const seed = Number(values.seed);
  const started = Date.now();
  const load = { before: loadavg().map((l) => round(l, 2)) };
  const log = (msg: string): void => {
    process.stderr.write(`[bench ${round((Date.now() - started) / 1000, 0)}s] ${msg}\n`);
  };

  log(`part 1: poll efficiency, N = ${mode.ns.join(", ")}, time scale ${mode.timeScale}`);
  const poll = await runPoll({
    services: SERVICES,
    ns: mode.ns,
    timeScale: mode.timeScale,
    seed,
    measuredPeerMaxN: 1,
    measuredWaiterMaxN: 100,
  });
  log("part 2: fleet under throttling");
  const fleet = await runFleet(mode.fleet);
  log("part 3: state size");
  const state = await runState(mode.stateCount);
  log("part 4: cold start");
  const cold = await runColdStart(mode.coldRuns);

  const rows: Row[] = pollTable(poll);
  const { bound } = fleet;
  const f = mode.fleet;
  const fleetCase = `${f.migrationTasks} MigrationTask + ${f.mgnImports} mgn + ${f.adsImports} ads`;
  for (const r of fleet.rows) {
    const figures = `wall ${r.wallSeconds} s; ${r.throttled} throttled; ${r.retries} retries; ${r.failed} failed; ${r.requests} requests`;
    const target =
      r.strategy === "ours"
        ? `0 failed: ${mark(r.failed === 0)}; wall <= 1.2 × bound ${round(1.2 * bound.seconds)} s: ${mark(r.wallSeconds <= 1.2 * bound.seconds)}`
        : "";
    rows.push(["2 fleet", fleetCase, r.label, figures, target]);
  }
  rows.push([
    "2 fleet",
    fleetCase,
    "rate-limit bound",
    `${bound.seconds} s (${bound.bindingOperation}, + ${f.taskSeconds} s task)`,
    "",
  ]);
  for (const r of state) {
    rows.push([
      "3 state",
      r.resource,
      r.resource.startsWith("inline") ? "peer pattern" : "ours (shim)",
      `__provider ${r.providerBytes} B; ${round(r.totalBytesFor1000 / 1e6, 2)} MB state for 1,000`,
      r.resource.startsWith("inline") ? "" : `<= 2 KB: ${mark(r.providerBytes <= 2048)}`,
    ]);
  }
  rows.push([
    "4 cold start",
    `ads.ImportTask, ${cold.runs} run(s)`,
    "fresh dynamic-provider host",
    `first AWS request p50 ${cold.firstRequestMs.p50} ms (host listening ${cold.hostReadyMs.p50} ms)`,
    "",
  ]);

  const table = render(rows);
  const totalSeconds = round((Date.now() - started) / 1000);
  const env = `node ${process.version}, ${cpus().length} CPUs, load ${load.before.join("/")} before, ${loadavg()
    .map((l) => round(l, 2))
    .join(
      "/",
    )} after; ${mode.name} mode, seed ${seed}, part 1 time scale ${mode.timeScale}; ${totalSeconds} s`;
  process.stdout.write(`\n${table}\n\n${env}\n`);
  const dir = join(__dirname, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(
    dir,
    `${new Date().toISOString().slice(0, 10)}${mode.name === "quick" ? "-quick" : ""}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        mode,
        seed,
        env,
        totalSeconds,
        poll,
        fleet,
        state,
        coldStart: cold,
        table,
      },
      null,
      2,
    ) + "\n",
  );
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
