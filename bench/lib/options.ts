/**
 * `npm run bench` options: defaults, the --quick preset, and which rows a partial run picks.
 * Kept apart from run.ts so it loads without the providers or the emulator (unit-tested).
 */
import { parseArgs } from "node:util";
import { SERVICE_NAMES, type ServiceName } from "./catalog";
import { type PeerId, PEER_IDS, type Strategy, STRATEGIES } from "./schedules";

export type Part = "poll" | "fleet" | "state" | "coldstart";
export const PARTS: readonly Part[] = ["poll", "fleet", "state", "coldstart"];

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
export const MEASURED_MAX_N: Readonly<Record<PeerId, number>> = {
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

function count(value: string, what: string, min = 1): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min)) throw new Error(`${what} must be an integer >= ${min}`);
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
      measuredMaxN[peer!] = count(n ?? "", `--measure-max-n ${peer}`, 0);
    }
  }
  const fleetSize = (values["fleet-size"] ?? (quick ? "100,10,5" : "1000,100,50"))
    .split(",")
    .map((v) => count(v, "--fleet-size"));
  if (fleetSize.length !== 3) throw new Error("--fleet-size takes three counts: M,G,A");
  // Any option beyond the presets picks rows or sizes: the run is partial.
  const presets = new Set(["quick", "plan", "seed"]);
  const onlyPreset = Object.entries(values).every(([k, v]) => presets.has(k) || v === undefined);
  return {
    label: onlyPreset ? (quick ? "quick" : "full") : "partial",
    services: values.services ? list(values.services, SERVICE_NAMES, "service") : SERVICE_NAMES,
    ns: (values.ns ?? (quick ? "1,10,100" : "1,10,100,1000"))
      .split(",")
      .map((v) => count(v, "--ns")),
    strategies: values.strategies ? list(values.strategies, STRATEGIES, "strategy") : STRATEGIES,
    timeScale: positive(values["time-scale"] ?? (quick ? "120" : "60"), "--time-scale"),
    runs: count(values.runs ?? (quick ? "1" : "3"), "--runs"),
    seed: count(values.seed, "--seed", 0),
    measuredMaxN,
    parts: values.parts ? list(values.parts, PARTS, "part") : picksRows ? ["poll"] : PARTS,
    fleet: {
      migrationTasks: fleetSize[0]!,
      mgnImports: fleetSize[1]!,
      adsImports: fleetSize[2]!,
      taskSeconds: 10,
    },
    stateCount: count(values["state-count"] ?? (quick ? "50" : "1000"), "--state-count"),
    coldRuns: count(values.runs ?? (quick ? "1" : "3"), "--runs"),
    plan: values.plan,
  };
}
