/**
 * Part 1 — poll efficiency and detection lag. N concurrent tasks per service with seeded durations
 * of 1–60 emulated minutes (EmulatorOptions.taskDurationMs); per strategy the describe calls per
 * task and the lag from "terminal in the emulator" to "create/waiter returns", in emulated seconds.
 * Each measured run gets its own emulator (own rate-limit buckets and counters), all running at once.
 */
import { waitUntilConversionTaskCompleted } from "@aws-sdk/client-ec2";
import { DEFAULT_RATE_LIMITS, type RateLimit, startEmulator } from "../emulator";
import { SeededRandom } from "../emulator/core/random";
import { callAws, AdaptiveThrottle } from "../provider/core/retry";
import { EmulatedClock } from "./lib/clock";
import { OURS, seeded } from "./lib/ours";
import { CDK_STYLE, type PollSchedule, sdkWaiterSchedule, TERRAFORM_STYLE } from "./lib/schedules";
import {
  clientsFor,
  destroyClients,
  REGION,
  SERVICES,
  type ServiceName,
  setupFixtures,
  stackConfig,
} from "./lib/services";
import { simulatePerResource, type SimTask } from "./lib/sim";
import { round, type Summary, summarize } from "./lib/stats";

export type Strategy = "ours" | "sdk-waiter" | "terraform" | "cdk";

export const STRATEGY_LABEL: Record<Strategy, string> = {
  ours: "ours (batched)",
  "sdk-waiter": "AWS SDK v3 waiter",
  terraform: "Terraform-style (model)",
  cdk: "CDK-style 5 s (model)",
};

/** The SDK waiter's service defaults for ConversionTaskCompleted (client-ec2). */
const WAITER = { minDelay: 15, maxDelay: 120 } as const;
const MIN_DURATION_MS = 60_000;
const MAX_DURATION_MS = 3_600_000;

export interface PollRow {
  readonly service: ServiceName;
  readonly n: number;
  readonly strategy: Strategy;
  readonly how: "measured" | "simulated";
  /** Describe requests per task, throttled ones included. */
  readonly callsPerTask: number;
  readonly throttledPerTask: number;
  /** Emulated seconds. */
  readonly lag: Summary;
  readonly failed: number;
  /** Real seconds the run took (measured rows). */
  readonly realSeconds?: number;
}

export interface PollOptions {
  readonly services: readonly ServiceName[];
  readonly ns: readonly number[];
  readonly timeScale: number;
  readonly seed: number;
  /** Per-resource peers run against the emulator up to this N; above it they are simulated. */
  readonly measuredPeerMaxN: number;
  /** The real SDK waiter runs up to this N. */
  readonly measuredWaiterMaxN: number;
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

function limitOf(key: string, operation: string): RateLimit {
  const l = DEFAULT_RATE_LIMITS[`${key}:${operation}`] ?? DEFAULT_RATE_LIMITS[`${key}:*`];
  if (l === undefined) throw new Error(`no rate limit for ${key}:${operation}`);
  return l;
}

/** Seeded task durations, ms: the same N draws for every strategy of a (service, N). */
export function drawDurations(seed: number, service: ServiceName, n: number): number[] {
  let h = seed >>> 0;
  for (const ch of `${service}:${n}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  const r = new SeededRandom(h);
  return Array.from(
    { length: n },
    () => Math.round(r.between(MIN_DURATION_MS, MAX_DURATION_MS) / 1000) * 1000,
  );
}

function scheduleOf(strategy: Exclude<Strategy, "ours">): PollSchedule {
  if (strategy === "terraform") return TERRAFORM_STYLE;
  if (strategy === "cdk") return CDK_STYLE;
  return sdkWaiterSchedule(WAITER.minDelay, WAITER.maxDelay);
}

async function measure(
  service: ServiceName,
  n: number,
  strategy: Strategy,
  opts: PollOptions,
): Promise<PollRow> {
  const spec = SERVICES[service];
  const durations = drawDurations(opts.seed, service, n);
  const terminalAt = new Map<string, number>();
  let drawn = 0;
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
  try {
    await setupFixtures(clients);
    const clock = new EmulatedClock(() => emulator.now(), opts.timeScale);
    const runId = `${strategy}-${n}`;
    if (strategy === "ours") {
      const ours = OURS[service];
      if (ours === undefined) throw new Error(`no provider for ${service} yet`);
      const provider = ours.create(clock, opts.seed);
      await provider.configure({ config: stackConfig(emulator) });
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          try {
            const { id } = await provider.create(ours.inputs(emulator, i, runId));
            returnedAt.set(id, emulator.now());
          } catch (err) {
            failed++;
            process.stderr.write(
              `ours ${service} #${i}: ${err instanceof Error ? err.message : String(err)}\n`,
            );
          }
        }),
      );
    } else {
      // The peers' starts are paced at the start API's rate, so every start succeeds; only the
      // wait is compared.
      const startLimit = limitOf(spec.key, spec.startOperation);
      const throttle = new AdaptiveThrottle({
        clock,
        maxRate: startLimit.ratePerSecond,
        minRate: startLimit.ratePerSecond / 8,
      });
      const schedule = scheduleOf(strategy);
      const random = seeded(opts.seed);
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          try {
            const id = await callAws(
              { service: spec.key, operation: spec.startOperation, clock, throttle },
              () => spec.start(clients, i, runId),
            );
            if (strategy === "sdk-waiter") {
              const s = opts.timeScale;
              // The real SDK waiter; its delays (seconds) are divided by the time scale, which
              // scales its whole schedule, since util-waiter's backoff is linear in min and max.
              const result = await waitUntilConversionTaskCompleted(
                {
                  client: clients.ec2,
                  maxWaitTime: (2 * MAX_DURATION_MS) / 1000 / s,
                  minDelay: WAITER.minDelay / s,
                  maxDelay: WAITER.maxDelay / s,
                },
                { ConversionTaskIds: [id] },
              );
              if (String(result.state) !== "SUCCESS")
                throw new Error(`waiter ended ${result.state}`);
            } else {
              for (let k = 0; ; k++) {
                try {
                  if (await spec.isTerminal(clients, id)) break;
                } catch (err) {
                  // Throttled: poll again at the next tick. Anything else fails the resource.
                  if (!isThrottle(err)) throw err;
                }
                await clock.sleep(schedule.delayMs(k, random));
              }
            }
            returnedAt.set(id, emulator.now());
          } catch (err) {
            failed++;
            process.stderr.write(
              `${strategy} ${service} #${i}: ${err instanceof Error ? err.message : String(err)}\n`,
            );
          }
        }),
      );
    }
    const stats = emulator.stats();
    const op = `${spec.key}:${spec.describeOperation}`;
    const lags = [...returnedAt].map(([id, at]) => (at - (terminalAt.get(id) ?? NaN)) / 1000);
    return {
      service,
      n,
      strategy,
      how: "measured",
      callsPerTask: round((stats.requests[op] ?? 0) / n, 2),
      throttledPerTask: round((stats.throttled[op] ?? 0) / n, 2),
      lag: roundSummary(summarize(lags)),
      failed,
      realSeconds: round((Date.now() - realStart) / 1000),
    };
  } finally {
    destroyClients(clients);
    await emulator.stop();
  }
}

function isThrottle(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    e.$metadata?.httpStatusCode === 429 ||
    /Throttl|RequestLimitExceeded|LimitExceeded/.test(e.name ?? "")
  );
}

function roundSummary(s: Summary): Summary {
  return { p50: round(s.p50), p95: round(s.p95), max: round(s.max) };
}

/** The same (service, N, strategy) on the simulation: starts paced at the start API's rate. */
export function simulate(
  service: ServiceName,
  n: number,
  strategy: Exclude<Strategy, "ours">,
  seed: number,
): PollRow {
  const spec = SERVICES[service];
  const durations = drawDurations(seed, service, n);
  const startRate = limitOf(spec.key, spec.startOperation).ratePerSecond;
  const tasks: SimTask[] = durations.map((d, i) => {
    const startMs = Math.round((i * 1000) / startRate);
    return { startMs, terminalMs: startMs + d };
  });
  const out = simulatePerResource(
    tasks,
    scheduleOf(strategy),
    limitOf(spec.key, spec.describeOperation),
    seeded(seed),
  );
  return {
    service,
    n,
    strategy,
    how: "simulated",
    callsPerTask: round(out.calls.reduce((a, b) => a + b, 0) / n, 2),
    throttledPerTask: round(out.throttles / n, 2),
    lag: roundSummary(summarize(out.lagsMs.map((ms) => ms / 1000))),
    failed: 0,
  };
}

/** Every row of part 1: measured where affordable, simulated for the peers elsewhere (and both at small N). */
export async function runPoll(opts: PollOptions): Promise<PollRow[]> {
  const jobs: Promise<PollRow>[] = [];
  const simulated: PollRow[] = [];
  for (const service of opts.services) {
    const peers: Exclude<Strategy, "ours">[] =
      service === "ec2-instance" ? ["sdk-waiter", "terraform", "cdk"] : ["terraform", "cdk"];
    for (const n of opts.ns) {
      if (OURS[service] !== undefined) jobs.push(measure(service, n, "ours", opts));
      for (const peer of peers) {
        const maxN = peer === "sdk-waiter" ? opts.measuredWaiterMaxN : opts.measuredPeerMaxN;
        if (n <= maxN) jobs.push(measure(service, n, peer, opts));
        simulated.push(simulate(service, n, peer, opts.seed));
      }
    }
  }
  return [...(await Promise.all(jobs)), ...simulated];
}
