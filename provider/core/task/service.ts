/**
 * What a configured provider builds per target: the runtime, the one AWS caller (throttle,
 * classified retries, the spec's advice), the api, the shared batched describe and the one poll
 * scheduler. The host caches a configured provider per shim, so a kind's resources share it all.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CheckFailure } from "../check";
import { clientConfig, type ProviderSettings } from "../config";
import {
  isExpiredCredentials,
  type RoleSession,
  sharedRoleSessions,
  targetKey,
} from "../credentials";
import { ImportTaskFailedError, isMigrationError } from "../errors";
import { BatchPoller, ConcurrencyLimiter, type SharedRounds } from "../limiter";
import { hostEngine } from "../engine";
import { createLogger } from "../log";
import { callAws } from "../retry";
import { createRuntime, type ServiceRuntime } from "../runtime";
import { containsUnknown } from "../unknown";
import { waitFor } from "../waiter";
import { type Inputs, waitTimeoutMs } from "./properties";
import { resolveTarget } from "./target";
import type {
  AwsCaller,
  Deps,
  PollDelays,
  ServiceSpec,
  TaskContext,
  WaitOptions,
  WaitSummary,
  WatchSpec,
} from "./spec";

export interface TaskService<A, S, T> {
  readonly ctx: TaskContext<A, S, T>;
  /** The assumed role's credentials, when the target names a role. */
  readonly session: RoleSession | undefined;
}

/**
 * Once an ID exists every failure carries it, so Pulumi records the resource (and can resume);
 * `properties` need `__provider` (pulumi-dynamic-providers.md). `name` prefixes unnamed reasons.
 */
export function taskFailure(
  err: unknown,
  id: string,
  properties: Record<string, unknown>,
  name?: { type: string; subject: string },
): ImportTaskFailedError {
  if (isMigrationError(err, "ImportTaskFailedError")) return err;
  const text = err instanceof Error ? err.message : String(err);
  const message =
    name === undefined || text.startsWith(`${name.type} `) ? text : `${name.subject}: ${text}`;
  return new ImportTaskFailedError({ id, properties, reasons: [message], cause: err });
}

/** What taskFailure prefixes a reason with, for a spec with `subjectInReasons`. */
export function named(
  spec: { service: string; className: string; subjectInReasons?: boolean },
  subject: string,
): { type: string; subject: string } | undefined {
  const type = `${spec.service}.${spec.className}`;
  return spec.subjectInReasons === true ? { type, subject } : undefined;
}

/**
 * Set while a start call runs (`trackStart`): the AWS caller marks it on a retryable error that is
 * not throttling (5xx, reset connection), which may have started the task before its answer was
 * lost — what a retry returns may be this create's own. Async context: creates run concurrently.
 */
const startCalls = new AsyncLocalStorage<{ retried: boolean }>();

/** Runs a start, reporting whether any AWS call in it was retried after it may have reached AWS. */
export async function trackStart<R>(fn: () => Promise<R>): Promise<{ value: R; retried: boolean }> {
  const seen = { retried: false };
  const value = await startCalls.run(seen, fn);
  return { value, retried: seen.retried };
}

function markRetried(err: { throttling: boolean }): void {
  // A throttled request was refused before AWS acted on it.
  if (err.throttling) return;
  const seen = startCalls.getStore();
  if (seen !== undefined) seen.retried = true;
}

/** One service per target (account, region, role), as AWS's quotas are (core/credentials.ts). */
export class TaskServices<I extends object, T, A, S> {
  private readonly built = new Map<string, TaskService<A, S, T>>();
  private readonly deps: Partial<Deps<A>>;

  constructor(
    private readonly spec: ServiceSpec<I, T, A, S>,
    readonly settings: ProviderSettings,
    deps: Partial<Deps<A>>,
  ) {
    // One logger for all targets: its progress rate limit is per resource, whatever the target.
    const logger = deps.logger ?? createLogger({ clock: deps.clock, engine: hostEngine() });
    this.deps = { ...deps, logger };
  }

  /** The service of the target these inputs name (their own, else stack config, else env). */
  for(inputs: object): TaskService<A, S, T> {
    const { spec, deps } = this;
    const target = resolveTarget(inputs, this.settings);
    const key = targetKey(target);
    const built = this.built.get(key);
    if (built !== undefined) return built;
    const settings: ProviderSettings = { ...this.settings, ...target };
    const { assumeRole: role } = target;
    const sessions = deps.roleSessions ?? sharedRoleSessions;
    const session = role && sessions.session(role, clientConfig(settings, "sts"));
    if (session !== undefined) settings.credentials = session.provider();
    // Unset deps fall back to the runtime's defaults (system clock, Math.random, stderr logger).
    const { clock, random, logger: log } = deps;
    const runtime = createRuntime({ settings, clock, random, log });
    const caller =
      (maxAttempts: number | undefined): AwsCaller =>
      async <R>(operation: string, fn: () => Promise<R>): Promise<R> => {
        let generation = 0; // of the credentials the last attempt signed with
        const call = (): Promise<R> =>
          callAws(
            {
              service: spec.service,
              operation,
              clock: runtime.clock,
              random: runtime.random,
              throttle: runtime.throttle,
              onRetry: markRetried,
              maxAttempts,
            },
            async () => {
              if (session !== undefined) {
                await session.credentials();
                generation = session.generation;
              }
              return fn();
            },
          );
        try {
          // AWS refused expired credentials (its clock may run ahead) unacted: retry once, fresh.
          return await call().catch((err: unknown) => {
            if (session === undefined || !isExpiredCredentials(err)) throw err;
            session.expire(generation);
            return call();
          });
        } catch (err) {
          // A call attempted once (awsOnce) that a spec then retries itself counts as retried too.
          if (isMigrationError(err, "AwsApiError") && err.retryable) markRetried(err);
          throw spec.explain === undefined ? err : spec.explain(err, settings);
        }
      };
    const aws = caller(undefined);
    const api = (deps.api ?? spec.createApi.bind(spec))(settings, aws);
    const batcher = <R>(
      operation: string,
      batchSize: number,
      describe: (ids: readonly string[]) => Promise<ReadonlyMap<string, R>>,
    ): BatchPoller<R> =>
      new BatchPoller<R>({ batchSize, describe: (ids) => aws(operation, () => describe(ids)) });
    const { operation, batchSize, concurrency } = spec.describe;
    const limiter = concurrency === undefined ? undefined : new ConcurrencyLimiter(concurrency);
    const describe = (ids: readonly string[]): Promise<ReadonlyMap<string, T>> =>
      limiter === undefined
        ? spec.describe.call(api, ids)
        : limiter.run(() => spec.describe.call(api, ids));
    const poller = spec.describe.viaCaller
      ? new BatchPoller<T>({ batchSize, describe })
      : batcher(operation, batchSize, describe);
    const type = `${spec.service}.${spec.className}`;
    const name = (inputs: object, id?: string): string => spec.name(inputs as I, id);
    const subject = (inputs: object, id?: string): string => `${type} "${name(inputs, id)}"`;
    const label = (inputs: object, id?: string): string => `${type} ${name(inputs, id)}`;
    const base: Omit<TaskContext<A, S, T>, "state"> = {
      runtime,
      api,
      aws,
      awsOnce: caller(1),
      batcher,
      describe: (id) => poller.get(id),
      wait: (id, phase, inputs, options) => {
        const word = spec.phaseWords?.[phase] ?? (phase === "create" ? "import" : phase);
        const watch: WatchSpec<T> = {
          resourceId: id,
          acceptors: spec.acceptors(phase, inputs as I),
          status: (o) => spec.statusOf(o),
          operation,
          subject: `${subject(inputs, id)}: ${word} ${id}`,
          progress: (o) => spec.progress?.(o),
        };
        return base.waitOn(poller, id, watch, inputs, options);
      },
      waitOn: (other, id, watch, inputs, options) => {
        const names = [label(inputs, watch.resourceId), subject(inputs, watch.resourceId)] as const;
        return waitTask(spec, runtime, other, id, watch, inputs as Inputs<I>, options, names);
      },
      subject,
      label,
    };
    const state = spec.state === undefined ? (undefined as S) : spec.state(base);
    const service = { ctx: { ...base, state }, session };
    this.built.set(key, service);
    return service;
  }

  /** check(): STS's refusal of the inputs' role, on the key naming it; skipped while broken. */
  async checkTarget(
    news: Record<string, unknown>,
    failures: readonly CheckFailure[],
  ): Promise<CheckFailure[]> {
    const { region, assumeRole } = news;
    const failed = failures.some((f) => /^(region|assumeRole)\b/.test(f.property));
    if (failed || containsUnknown(region) || containsUnknown(assumeRole)) return [];
    try {
      await this.for(news).session?.credentials();
      return [];
    } catch (err) {
      const own = assumeRole !== undefined && assumeRole !== null;
      const reason = err instanceof Error ? err.message : String(err);
      return [{ property: own ? "assumeRole" : "awsMigration:assumeRole", reason }];
    }
  }
}

/**
 * The shared rounds of a wait (core/limiter.ts sharedRoundIntervalMs). Budget: config, else the
 * spec's, else 2 calls/s (a fifth of ADS's and MGN's 10 describes/s), never below one call per
 * minDelayMs so a lone wait's backoff is never held back. Share: the spec's (unless
 * `awsMigration:pollMaxDelayMs` is set), else maxDelayMs.
 */
export function sharedRounds(
  settings: { pollBudgetCallsPerSecond?: number; pollMaxDelayMs?: number },
  poll: Pick<PollDelays, "shareMs" | "budgetCallsPerSecond">,
  minDelayMs: number,
  maxDelayMs: number,
): SharedRounds {
  const budget = settings.pollBudgetCallsPerSecond ?? poll.budgetCallsPerSecond ?? 2;
  const floor = minDelayMs > 0 ? 1000 / minDelayMs : Number.POSITIVE_INFINITY;
  const shareMs = settings.pollMaxDelayMs === undefined ? (poll.shareMs ?? maxDelayMs) : maxDelayMs;
  return { budgetCallsPerSecond: Math.max(budget, floor), shareMs };
}

/**
 * The one poll scheduler: the core waiter over the shared poller's riding clock. Sleeps end on a
 * shared grid (jitter would scatter waits over ticks; the BatchPoller merges one tick's gets) or
 * early to ride a round with room; several waits share rounds within the call budget
 * (`sharedRounds`); no sleep passes the deadline, where the waiter places its last poll.
 */
async function waitTask<I extends object, T, A, S, R>(
  spec: ServiceSpec<I, T, A, S>,
  runtime: ServiceRuntime,
  poller: BatchPoller<R>,
  id: string,
  watch: WatchSpec<R>,
  inputs: Inputs<I>,
  options: WaitOptions,
  [label, subject]: readonly [string, string],
): Promise<WaitSummary<R>> {
  const { settings, clock, log } = runtime;
  const minDelayMs = settings.pollMinDelayMs ?? spec.poll.minDelayMs;
  const maxDelayMs = Math.max(minDelayMs, settings.pollMaxDelayMs ?? spec.poll.maxDelayMs);
  const limitMs = waitTimeoutMs(spec.properties, inputs, settings.waitTimeoutMinutes);
  const started = clock.now();
  const deadline = options.deadline ?? started + limitMs;
  const show = (o: R | undefined): string => watch.progress?.(o) ?? watch.status(o);
  const gridMs = Math.min(minDelayMs, spec.poll.gridMs);
  const riding = poller.ridingClock(clock, {
    gridMs,
    rounds: sharedRounds(settings, spec.poll, minDelayMs, maxDelayMs),
    deadlineMs: deadline,
  });
  let align = spec.poll.alignFirstPoll === true;
  const live = log.watch?.(label, started);
  try {
    return await waitFor<R | undefined>({
      poll: async () => {
        // Off the grid only, and not past the deadline (the waiter places a last poll there).
        const now = clock.now();
        if (align && now % gridMs !== 0 && now + gridMs <= deadline) await riding.sleep(0);
        align = false;
        return poller.get(id);
      },
      status: (o) => watch.status(o),
      acceptors: watch.acceptors,
      minDelayMs,
      maxDelayMs,
      timeoutMs: Math.max(0, deadline - started),
      deadlineMs: deadline,
      // A budget that began before the wait (a start queued for a quota) is reported as such.
      sinceMs: deadline - limitMs,
      clock: live?.pace(riding) ?? riding,
      // No jitter (on the grid it only scatters polls): each sleep is its backoff's ceiling, so a
      // lone wait never polls more often than an SDK waiter (@smithy/util-waiter) would.
      random: () => 1,
      service: spec.service,
      operation: watch.operation,
      subject: watch.subject,
      onObservation: (o, poll) => {
        live?.observed(show(o), poll);
        const seconds = Math.round((clock.now() - started) / 1000);
        log.progress(label, `${show(o)} (poll ${poll}, ${seconds}s)`);
      },
    });
  } catch (err) {
    const properties = { ...options.properties, __provider: inputs.__provider };
    throw taskFailure(err, watch.resourceId, properties, named(spec, subject));
  } finally {
    live?.stop();
  }
}
