/**
 * What both EC2 VM Import providers build from their settings: the runtime (clock, throttle, start
 * limiter, logger), the api, retrying calls, batched describers, and the grid-aligned wait. One
 * place, so the two resources poll, retry and fail the same way.
 */
import { alignToGrid, type Clock } from "../core/clock";
import { type ConfigSource, type ProviderSettings, readProviderSettings } from "../core/config";
import { ImportTaskFailedError, isAwsApiError, isMigrationError } from "../core/errors";
import { BatchPoller } from "../core/limiter";
import type { Logger } from "../core/log";
import { callAws } from "../core/retry";
import { createRuntime, type ServiceRuntime } from "../core/runtime";
import { type Acceptor, waitFor, type WaitResult } from "../core/waiter";
import { createEc2Api, type Ec2Api } from "./api";
import { DESCRIBE_BATCH_SIZE, POLL, SERVICE } from "./shared";

export interface Deps {
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Builds the api from the configured settings (tests pass a fake). */
  api: (settings: ProviderSettings) => Ec2Api;
  /** Environment for region fallbacks (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

export interface Ec2Service {
  runtime: ServiceRuntime;
  api: Ec2Api;
  /** One AWS call through the shared throttle, with retries of throttling, 5xx and network errors. */
  aws: <T>(operation: string, fn: () => Promise<T>) => Promise<T>;
  /** The same, attempted once: for a call that is not idempotent, whose retry the caller decides. */
  awsOnce: <T>(operation: string, fn: () => Promise<T>) => Promise<T>;
  /** A describer that merges the gets of one tick into calls of up to 100 IDs. */
  batcher: <T>(
    operation: string,
    describe: (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>,
  ) => BatchPoller<T>;
}

/** Settings from the host's configure() (or, called directly, the environment alone). */
export function settingsOf(
  config: ConfigSource | undefined,
  deps: Partial<Deps>,
): ProviderSettings {
  return readProviderSettings(config ?? { get: () => undefined }, deps.env ?? process.env);
}

export function buildService(settings: ProviderSettings, deps: Partial<Deps>): Ec2Service {
  const runtime = createRuntime({
    settings,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.random === undefined ? {} : { random: deps.random }),
    ...(deps.logger === undefined ? {} : { log: deps.logger }),
  });
  const api = (deps.api ?? createEc2Api)(settings);
  const call =
    (maxAttempts: number | undefined) =>
    <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
      callAws(
        {
          service: SERVICE,
          operation,
          clock: runtime.clock,
          random: runtime.random,
          throttle: runtime.throttle,
          ...(maxAttempts === undefined ? {} : { maxAttempts }),
        },
        fn,
      );
  const aws = call(undefined);
  return {
    runtime,
    api,
    aws,
    awsOnce: call(1),
    batcher: (operation, describe) =>
      new BatchPoller({
        batchSize: DESCRIBE_BATCH_SIZE,
        describe: (ids) => aws(operation, () => describe(ids)),
      }),
  };
}

/** Origins of configured endpoint overrides: an http object URL there counts as an S3 URL. */
export function endpointOrigins(settings: ProviderSettings): string[] {
  return [settings.endpoints.s3, settings.endpoints.ec2, settings.endpoint]
    .filter((u): u is string => u !== undefined)
    .map((u) => new URL(u).origin);
}

export interface PollSpec<T> {
  get: () => Promise<T>;
  status: (o: T) => string;
  acceptors: readonly Acceptor<T>[];
  timeoutMs: number;
  operation: string;
  subject: string;
  label: string;
  progress: (o: T, poll: number, elapsedMs: number) => string;
}

/**
 * The core waiter with the settings' delays, each poll aligned to a 1 s grid (so the waits of many
 * resources share BatchPoller rounds) and a rate-limited progress line per observation.
 */
export function pollUntil<T>(svc: Ec2Service, spec: PollSpec<T>): Promise<WaitResult<T>> {
  const { settings, clock, log } = svc.runtime;
  const minDelayMs = settings.pollMinDelayMs ?? POLL.minDelayMs;
  const maxDelayMs = Math.max(minDelayMs, settings.pollMaxDelayMs ?? POLL.maxDelayMs);
  const gridMs = Math.min(minDelayMs, POLL.gridMs);
  const started = clock.now();
  // waitFor starts its clock in this same tick, so this is its deadline too.
  const deadlineMs = started + spec.timeoutMs;
  return waitFor<T>({
    poll: async () => {
      await alignToGrid(clock, gridMs, { deadlineMs });
      return spec.get();
    },
    status: spec.status,
    acceptors: spec.acceptors,
    minDelayMs,
    maxDelayMs,
    timeoutMs: spec.timeoutMs,
    clock,
    random: svc.runtime.random,
    service: SERVICE,
    operation: spec.operation,
    subject: spec.subject,
    onObservation: (o, poll) =>
      log.progress(spec.label, spec.progress(o, poll, clock.now() - started)),
  });
}

/** A `.catch` handler that swallows the given not-found codes (the thing is already gone). */
export function ignore(codes: ReadonlySet<string>): (err: unknown) => void {
  return (err) => {
    if (isAwsApiError(err) && codes.has(err.code)) return;
    throw err;
  };
}

/** Once an ID exists every failure carries it, so Pulumi records the resource (and can resume). */
export function asTaskFailure(
  err: unknown,
  id: string,
  properties: Record<string, unknown>,
  provider: string | undefined,
): ImportTaskFailedError {
  if (isMigrationError(err, "ImportTaskFailedError")) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ImportTaskFailedError({
    id,
    properties: { ...properties, __provider: provider },
    reasons: [message],
    cause: err,
  });
}
