/**
 * The results file (bench/results/*.json) and how several are merged: every figure in
 * BENCHMARKS.md comes from one of these files. A file holds what one `npm run bench` invocation
 * ran — the whole bench, or the rows its options selected — so any row can be re-run alone; when
 * files overlap, the newest one's row wins, and every row names the file it came from.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RateLimit } from "../../emulator";
import type { Strategy } from "./schedules";
import type { ServiceName } from "./services";
import type { Summary } from "./stats";

export const SCHEMA = "pulumi-aws-migration/bench@2";

/** Figures of one run (or of the simulation) of a poll configuration. Times in emulated seconds. */
export interface PollFigures {
  /** Describe requests per task, throttled ones included. */
  readonly callsPerTask: number;
  readonly throttledPerTask: number;
  /** Over the tasks whose resource saw them end (failed ones excluded); null when none did. */
  readonly lag: NullableSummary;
  /** Resources that failed (for the CDK model with its timeout: gave up). */
  readonly failed: number;
  /** From the first start to the last resource settling. */
  readonly emulatedSeconds: number;
}

/** JSON has no NaN: a percentile of no values is stored as null. */
export type NullableSummary = { readonly [K in keyof Summary]: number | null };

export interface MeasuredRun extends PollFigures {
  readonly realSeconds: number;
  /** 1-minute load average when the run began. */
  readonly load1: number;
}

export interface PollResult {
  readonly service: ServiceName;
  readonly n: number;
  readonly strategy: Strategy;
  readonly timeScale: number;
  readonly seed: number;
  /** One entry per run against the emulator; empty when the row was only simulated. */
  readonly measured: MeasuredRun[];
  /** Null where not simulated: ours above OURS_SIM_MAX_N (bench/lib/oursSim.ts). */
  readonly simulated: PollFigures | null;
}

export interface FleetSize {
  readonly migrationTasks: number;
  readonly mgnImports: number;
  readonly adsImports: number;
  /** Emulated = real seconds each ADS and MGN task runs. */
  readonly taskSeconds: number;
}

export interface FleetBound {
  /** Seconds: max over operations of (calls − burst) / rate, plus one task's duration. */
  readonly seconds: number;
  readonly bindingOperation: string;
  /** Accepted (not throttled) calls per operation in our run: the calls our code makes. */
  readonly callsNeeded: Record<string, number>;
}

export interface FleetRun {
  readonly wallSeconds: number;
  readonly throttled: number;
  readonly retries: number;
  readonly failed: number;
  readonly requests: number;
  /** Failure messages by count. */
  readonly failures: Record<string, number>;
  /** Ours only: the bound computed from this run's calls. */
  readonly bound?: FleetBound;
}

export interface FleetResult {
  readonly size: FleetSize;
  readonly ours: FleetRun[];
  readonly naive: FleetRun[];
}

export interface StateRow {
  readonly resource: string;
  readonly providerBytes: number;
  /** Checkpoint bytes for 1,000 such resources. */
  readonly totalBytesFor1000: number;
  /** Resources serialized to get the total. */
  readonly sampled: number;
}

export interface ColdStartResult {
  readonly runs: number;
  /** Real ms: spawn → host listening. */
  readonly hostReadyMs: Summary;
  /** Real ms: spawn → first AWS request at the emulator. */
  readonly firstRequestMs: Summary;
}

export interface ResultsFile {
  readonly schema: typeof SCHEMA;
  /** "full": `npm run bench` (any seed); "quick": `--quick`; "partial": options picked rows. */
  readonly label: "full" | "quick" | "partial";
  /** The command as typed, e.g. `npm run bench -- --services ads --ns 1,10`. */
  readonly command: string;
  readonly options: Record<string, unknown>;
  /** ISO time the run began. */
  readonly date: string;
  /** `git describe`-like: commit, with "-dirty" when the tree had changes. */
  readonly commit: string;
  readonly env: {
    readonly node: string;
    readonly cpus: number;
    readonly loadBefore: readonly number[];
    readonly loadAfter: readonly number[];
  };
  /** The emulator's default rate limits the run assumed (per emulated second in part 1). */
  readonly rateLimits: Readonly<Record<string, RateLimit>>;
  readonly wallSeconds: number;
  readonly poll: PollResult[];
  readonly fleet?: FleetResult;
  readonly state?: StateRow[];
  readonly coldStart?: ColdStartResult;
}

export interface Source {
  /** File name under bench/results. */
  readonly name: string;
  readonly file: ResultsFile;
}

export interface Sourced<T> {
  readonly value: T;
  readonly source: Source;
}

export interface Merged {
  /** The files that supplied at least one figure, oldest first. */
  readonly sources: Source[];
  readonly poll: Sourced<PollResult>[];
  readonly fleet?: Sourced<FleetResult>;
  readonly state?: Sourced<StateRow[]>;
  readonly coldStart?: Sourced<ColdStartResult>;
}

/** Every results file of the current schema in `dir`, oldest first (by the run's date). */
export function loadResults(dir: string): Source[] {
  const out: Source[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith(".json")) continue;
    const file = JSON.parse(readFileSync(join(dir, name), "utf8")) as Partial<ResultsFile>;
    if (file.schema !== SCHEMA) continue;
    out.push({ name, file: file as ResultsFile });
  }
  return out.sort((a, b) => a.file.date.localeCompare(b.file.date) || a.name.localeCompare(b.name));
}

export function pollKey(r: Pick<PollResult, "service" | "n" | "strategy">): string {
  return `${r.service}|${r.n}|${r.strategy}`;
}

/** Newest file wins per row; sources are the files that supplied something. */
export function merge(sources: readonly Source[]): Merged {
  const poll = new Map<string, Sourced<PollResult>>();
  let fleet: Sourced<FleetResult> | undefined;
  let state: Sourced<StateRow[]> | undefined;
  let coldStart: Sourced<ColdStartResult> | undefined;
  for (const source of sources) {
    const f = source.file;
    for (const r of f.poll) poll.set(pollKey(r), { value: r, source });
    if (f.fleet) fleet = { value: f.fleet, source };
    if (f.state) state = { value: f.state, source };
    if (f.coldStart) coldStart = { value: f.coldStart, source };
  }
  const used = new Set<Source>([...poll.values()].map((p) => p.source));
  for (const s of [fleet, state, coldStart]) if (s) used.add(s.source);
  return {
    sources: sources.filter((s) => used.has(s)),
    poll: [...poll.values()],
    ...(fleet ? { fleet } : {}),
    ...(state ? { state } : {}),
    ...(coldStart ? { coldStart } : {}),
  };
}
