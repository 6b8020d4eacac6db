/**
 * Part 1 — poll efficiency and detection lag. N concurrent tasks of one service with seeded
 * durations of 1–60 emulated minutes (EmulatorOptions.taskDurationMs); per strategy the describe
 * calls per task and the lag from "terminal in the emulator" to "create/waiter returns", in emulated
 * seconds. Measured jobs run one at a time, each against its own emulator (own rate-limit buckets
 * and counters), so no job loads another; a configuration's runs are interleaved with the other
 * configurations' (run 1 of every job, then run 2 …), so min/median/max span the whole bench.
 */
import { loadavg } from "node:os";
import { waitUntilConversionTaskCompleted } from "@aws-sdk/client-ec2";
import { DEFAULT_RATE_LIMITS, type RateLimit, startEmulator } from "../emulator";
import { SeededRandom } from "../emulator/core/random";
import { MAX_DURATION_MS, MIN_DURATION_MS } from "./lib/catalog";
import { EmulatedClock } from "./lib/clock";
import { OURS, seeded } from "./lib/ours";
import { OURS_SIM_MAX_N, simulateOurs } from "./lib/oursSim";
import type { MeasuredRun, PollFigures, PollResult } from "./lib/results";
import { type PeerId, PEERS, type Strategy, WAITER_DELAYS } from "./lib/schedules";
import {
  clientsFor,
  destroyClients,
  REGION,
  SERVICES,
  type ServiceName,
  setupFixtures,
  stackConfig,
} from "./lib/services";
import { simulatePeer } from "./lib/sim";
import { round, summarize, type Summary } from "./lib/stats";

/** One (service, N, strategy) configuration. */
export interface PollJob {
  readonly service: ServiceName;
  readonly n: number;
  readonly strategy: Strategy;
  /** Runs against the emulator (0: simulated only). */
  readonly runs: number;
  /** Also simulated (every peer is; ours up to OURS_SIM_MAX_N, bench/lib/oursSim.ts). */
  readonly simulate: boolean;
}

export interface PollOptions {
  readonly services: readonly ServiceName[];
  readonly ns: readonly number[];
  readonly strategies: readonly Strategy[];
  readonly timeScale: number;
  readonly seed: number;
  readonly runs: number;
  /** A peer runs against the emulator up to this N (above it, it is simulated only). */
  readonly measuredMaxN: Readonly<Record<PeerId, number>>;
}

/** Strategies that apply to a service: the SDK waiter exists only for conversion tasks. */
export function strategiesFor(service: ServiceName, strategies: readonly Strategy[]): Strategy[] {
  return strategies.filter(
    (s) =>
      (s !== "sdk-waiter" || service === "ec2-instance") &&
      (s !== "ours" || OURS[service] !== undefined),
  );
}

export function pollJobs(opts: PollOptions): PollJob[] {
  const jobs: PollJob[] = [];
  for (const service of opts.services)
    for (const n of opts.ns)
      for (const strategy of strategiesFor(service, opts.strategies)) {
        const measured = strategy === "ours" || n <= opts.measuredMaxN[strategy];
        jobs.push({
          service,
          n,
          strategy,
          runs: measured ? opts.runs : 0,
          simulate: strategy !== "ours" || n <= OURS_SIM_MAX_N,
        });
      }
  return jobs;
}

/** AWS-like limits per emulated second: the emulator counts real seconds, so rates scale by S. */
export function scaledRateLimits(timeScale: number): Record<string, RateLimit> {
  return Object.fromEntries(
    Object.entries(DEFAULT_RATE_LIMITS).map(([k, v]) => [
      k,
      { ratePerSecond: v.ratePerSecond * timeScale, burst: v.burst },
    ]),
  );
}

/** The emulator's default limit for one operation (the rates every verdict assumes). */
export function limitOf(key: string, operation: string): RateLimit {
  const l = DEFAULT_RATE_LIMITS[`${key}:${operation}`] ?? DEFAULT_RATE_LIMITS[`${key}:*`];
  if (l === undefined) throw new Error(`no rate limit for ${key}:${operation}`);
  return l;
}

/** Seeded task durations, ms: the same N draws for every strategy and run of a (service, N). */
export function drawDurations(seed: number, service: ServiceName, n: number): number[] {
  let h = seed >>> 0;
  for (const ch of `${service}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const r = new SeededRandom(h);
  return Array.from(
    { length: n },
    () => Math.round(r.between(MIN_DURATION_MS, MAX_DURATION_MS) / 1000) * 1000,
  );
}

function roundSummary(s: Summary): Summary {
  return { p50: round(s.p50), p95: round(s.p95), max: round(s.max) };
}

/** Lets callers through one at a time, `paceMs` of emulated time apart (the peers' starts). */
function pacer(clock: EmulatedClock, paceMs: number): () => Promise<void> {
  let next = Number.NEGATIVE_INFINITY;
  let queue: Promise<void> = Promise.resolve();
  return () => {
    const turn = queue.then(async () => {
      const wait = next - clock.now();
      if (wait > 0) await clock.sleep(wait);
      next = clock.now() + paceMs;
    });
    queue = turn;
    return turn;
  };
}

/** At most `limit` of `tasks` run at once (Terraform's -parallelism); all at once without one. */
async function inParallel(
  count: number,
  limit: number | undefined,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(count, limit ?? count) }, worker));
}

function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.$metadata?.httpStatusCode === 429 ||
    /Throttl|RequestLimitExceeded|LimitExceeded/.test(e.name ?? "")
  );
}

/** One run of a configuration against a fresh emulator. */
export async function measure(
  job: Pick<PollJob, "service" | "n" | "strategy">,
  opts: Pick<PollOptions, "timeScale" | "seed">,
): Promise<MeasuredRun> {
  const { service, n, strategy } = job;
  const spec = SERVICES[service];
  const durations = drawDurations(opts.seed, service, n);
  const terminalAt = new Map<string, number>();
  let drawn = 0;
  const load1 = round(loadavg()[0] ?? NaN, 2);
  const emulator = await startEmulator({
    timeScale: opts.timeScale,
    seed: opts.seed,
    homeRegion: REGION,
    rateLimits: scaledRateLimits(opts.timeScale),
    taskDurationMs: (task) => {
      if (task.service !== spec.key) return undefined;
      const ms = durations[drawn++ % n]!;
      terminalAt.set(task.id, task.startedMs + ms);
      return ms;
    },
  });
  const clients = clientsFor(emulator);
  const realStart = Date.now();
  const returnedAt = new Map<string, number>();
  let failed = 0;
  const fail = (i: number, err: unknown): void => {
    failed++;
    process.stderr.write(
      `  ${strategy} ${service} N=${n} #${i}: ${err instanceof Error ? err.message : String(err)}\n`,
    );
  };
  try {
    await setupFixtures(clients);
    const clock = new EmulatedClock(() => emulator.now(), opts.timeScale);
    const begunAt = emulator.now();
    const runId = `${strategy}-${n}`;
    if (strategy === "ours") {
      const ours = OURS[service];
      if (ours === undefined) throw new Error(`no provider for ${service}`);
      const provider = ours.create(clock, opts.seed);
      await provider.configure({ config: stackConfig(emulator) });
      await inParallel(n, undefined, async (i) => {
        try {
          const { id } = await provider.create(ours.inputs(emulator, i, runId));
          returnedAt.set(id, emulator.now());
        } catch (err) {
          fail(i, err);
        }
      });
    } else {
      const peer = PEERS[strategy];
      const random = seeded(opts.seed);
      // Starts are paced at the start API's rate, so every start succeeds; only waits differ.
      const paceStart = pacer(clock, 1000 / limitOf(spec.key, spec.startOperation).ratePerSecond);
      const start = async (i: number): Promise<string> => {
        for (;;) {
          await paceStart();
          try {
            return await spec.start(clients, i, runId);
          } catch (err) {
            if (!isThrottle(err)) throw err;
          }
        }
      };
      await inParallel(n, peer.parallelism, async (i) => {
        try {
          const id = await start(i);
          if (strategy === "sdk-waiter") {
            const s = opts.timeScale;
            // The real SDK waiter; its delays (seconds) are divided by the time scale, which
            // scales its whole schedule, since util-waiter's backoff is linear in min and max.
            const result = await waitUntilConversionTaskCompleted(
              {
                client: clients.ec2,
                maxWaitTime: (2 * MAX_DURATION_MS) / 1000 / s,
                minDelay: WAITER_DELAYS.minDelay / s,
                maxDelay: WAITER_DELAYS.maxDelay / s,
              },
              { ConversionTaskIds: [id] },
            );
            if (String(result.state) !== "SUCCESS") throw new Error(`waiter ended ${result.state}`);
          } else {
            for (let k = 0; ; k++) {
              try {
                if (await spec.isTerminal(clients, id)) break;
              } catch (err) {
                // Throttled: poll again at the next tick. Anything else fails the resource.
                if (!isThrottle(err)) throw err;
              }
              if (peer.maxRetries !== undefined && k >= peer.maxRetries)
                throw new Error(`gave up after ${k + 1} polls (the model's total timeout)`);
              await clock.sleep(peer.schedule.delayMs(k, random));
            }
          }
          returnedAt.set(id, emulator.now());
        } catch (err) {
          fail(i, err);
        }
      });
    }
    const stats = emulator.stats();
    const op = `${spec.key}:${spec.describeOperation}`;
    const lags = [...returnedAt].map(([id, at]) => (at - (terminalAt.get(id) ?? NaN)) / 1000);
    return {
      callsPerTask: round((stats.requests[op] ?? 0) / n, 2),
      throttledPerTask: round((stats.throttled[op] ?? 0) / n, 2),
      lag: roundSummary(summarize(lags)),
      failed,
      emulatedSeconds: round((Math.max(begunAt, ...returnedAt.values()) - begunAt) / 1000, 0),
      realSeconds: round((Date.now() - realStart) / 1000),
      load1,
    };
  } finally {
    destroyClients(clients);
    await emulator.stop();
  }
}

/** Ours on its simulation (bench/lib/oursSim.ts; deterministic for a seed). */
export async function simulateOursRow(
  service: ServiceName,
  n: number,
  seed: number,
): Promise<PollFigures> {
  const spec = SERVICES[service];
  const ours = OURS[service];
  if (ours === undefined) throw new Error(`no provider for ${service}`);
  const out = await simulateOurs(
    drawDurations(seed, service, n),
    ours.model,
    limitOf(spec.key, spec.startOperation),
  );
  return {
    callsPerTask: round(out.callsPerTask, 2),
    throttledPerTask: 0,
    lag: roundSummary(summarize(out.lagsMs.map((ms) => ms / 1000))),
    failed: 0,
    emulatedSeconds: round(out.endMs / 1000, 0),
  };
}

/** The same configuration on the simulation (deterministic for a seed). */
export function simulate(
  service: ServiceName,
  n: number,
  strategy: PeerId,
  seed: number,
): PollFigures {
  const spec = SERVICES[service];
  const out = simulatePeer(
    drawDurations(seed, service, n),
    PEERS[strategy],
    {
      start: limitOf(spec.key, spec.startOperation),
      describe: limitOf(spec.key, spec.describeOperation),
    },
    seeded(seed),
  );
  return {
    callsPerTask: round(out.calls.reduce((a, b) => a + b, 0) / n, 2),
    throttledPerTask: round(out.throttles / n, 2),
    lag: roundSummary(
      summarize(out.lagsMs.filter((ms) => !Number.isNaN(ms)).map((ms) => ms / 1000)),
    ),
    failed: out.failed,
    emulatedSeconds: round(out.endMs / 1000, 0),
  };
}

/**
 * Real seconds a run of `job` should take on an unloaded machine: its emulated span / S (ours is
 * taken to span as long as the CDK model's 5 s polls: every task's end plus the start phase) plus
 * about a second for the emulator and fixtures. Load and request latency add to it.
 */
export function estimateRealSeconds(
  job: PollJob,
  opts: Pick<PollOptions, "timeScale" | "seed">,
): number {
  const model: PeerId = job.strategy === "ours" ? "cdk" : job.strategy;
  return simulate(job.service, job.n, model, opts.seed).emulatedSeconds / opts.timeScale + 1;
}

/**
 * Every row of part 1. Simulations first (instant), then the measured runs strictly one after
 * another: run 1 of every configuration, then run 2, and so on.
 */
export async function runPoll(
  opts: PollOptions,
  log: (msg: string) => void,
): Promise<PollResult[]> {
  const jobs = pollJobs(opts);
  const results: PollResult[] = [];
  for (const job of jobs) {
    results.push({
      service: job.service,
      n: job.n,
      strategy: job.strategy,
      timeScale: opts.timeScale,
      seed: opts.seed,
      measured: [],
      simulated: !job.simulate
        ? null
        : job.strategy === "ours"
          ? await simulateOursRow(job.service, job.n, opts.seed)
          : simulate(job.service, job.n, job.strategy, opts.seed),
    });
  }
  const measuredJobs = jobs.filter((j) => j.runs > 0).length;
  for (let run = 1; run <= opts.runs; run++) {
    let k = 0;
    for (const [i, job] of jobs.entries()) {
      if (job.runs < run) continue;
      k++;
      log(
        `run ${run}/${opts.runs}, job ${k}/${measuredJobs}: ${job.service} N=${job.n} ${job.strategy}`,
      );
      const m = await measure(job, opts);
      results[i]!.measured.push(m);
      log(
        `  ${m.callsPerTask} calls/task, lag p50 ${m.lag.p50} s, ${m.failed} failed; ${m.realSeconds} s real, load ${m.load1}`,
      );
    }
  }
  return results;
}
