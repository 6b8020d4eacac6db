/**
 * The only layer that retries AWS calls (SDK clients have `maxAttempts: 1`, config.ts): no SDK
 * retries stack under waiter polls, and one AdaptiveThrottle per service spares AWS a storm.
 */
import { toAwsApiError } from "./classify";
import { systemClock, type Clock } from "./clock";
import { assertInput, type AwsApiError, WaitAbortedError, withAdvice } from "./errors";
import { CapacityGate } from "./limiter";

export interface AdaptiveThrottleOptions {
  clock?: Clock;
  /** Ceiling and starting rate, calls per second. @default 50 */
  maxRate?: number;
  /** Floor, calls per second. @default 0.5 (the SDK adaptive mode's minimum fill rate) */
  minRate?: number;
  /** Added to the rate per success, calls per second. @default 0.5 */
  increase?: number;
}

/**
 * A rate limit per service and process, AIMD like the SDK's adaptive mode. Calls queue in order,
 * each gap measured at the current rate, not the one a caller queued under (a storm's slots would
 * serialize a hundred waits for minutes).
 */
export class AdaptiveThrottle {
  private readonly clock: Clock;
  private readonly maxRate: number;
  private readonly minRate: number;
  private readonly increase: number;
  private currentRate: number;
  private lastGrant = Number.NEGATIVE_INFINITY;
  /** One caller at a time, in order, measures its gap and sleeps. */
  private readonly turns = new CapacityGate(1);

  constructor(options?: AdaptiveThrottleOptions) {
    this.clock = options?.clock ?? systemClock;
    this.maxRate = options?.maxRate ?? 50;
    this.minRate = options?.minRate ?? 0.5;
    this.increase = options?.increase ?? 0.5;
    const { minRate, maxRate } = this;
    const reason = `must be >= minRate > 0 (got minRate ${minRate}, maxRate ${maxRate})`;
    assertInput(minRate > 0 && maxRate >= minRate, "maxRate", reason);
    this.currentRate = this.maxRate;
  }

  /** Current allowed rate, calls per second. */
  get rate(): number {
    return this.currentRate;
  }

  /** Waits (on the clock) for the next free slot at the current rate. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const release = await this.turns.acquire(signal).catch(() => {
      throw new WaitAbortedError({ subject: "the throttled AWS call" });
    });
    try {
      for (;;) {
        const now = this.clock.now();
        const due = this.lastGrant + 1000 / this.currentRate;
        if (now >= due) {
          this.lastGrant = now;
          return;
        }
        await this.clock.sleep(due - now, signal);
      }
    } finally {
      release();
    }
  }

  recordThrottle(): void {
    this.currentRate = Math.max(this.minRate, this.currentRate / 2);
  }

  recordSuccess(): void {
    this.currentRate = Math.min(this.maxRate, this.currentRate + this.increase);
  }
}

export interface CallAwsOptions {
  service: string;
  operation: string;
  clock: Clock;
  random?: () => number;
  throttle?: AdaptiveThrottle;
  /** Including the first call. @default 10 */
  maxAttempts?: number;
  /** @default 100 */
  baseDelayMs?: number;
  /** @default 20_000 */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Told before each retry, with the error that caused it (the start loop asks: did it reach AWS?). */
  onRetry?(error: AwsApiError): void;
}

/**
 * Full-jitter exponential backoff: `floor + random() * (min(max, base * 2^attempt) - floor)` (a
 * zero base never grows: 0 × 2^1024 is NaN). The waiter's floor is its minimum delay.
 */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
  floorMs = 0,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs === 0 ? 0 : baseDelayMs * 2 ** attempt);
  return floorMs + Math.min(1, Math.max(0, random())) * (Math.max(floorMs, cap) - floorMs);
}

/** Runs `fn`, retrying throttling, 5xx and network errors with backoff up to `maxAttempts`. */
export async function callAws<T>(opts: CallAwsOptions, fn: () => Promise<T>): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(opts.maxAttempts ?? 10));
  const base = opts.baseDelayMs ?? 100;
  const cap = opts.maxDelayMs ?? 20_000;
  const random = opts.random ?? Math.random;
  const subject = `${opts.service} ${opts.operation}`;
  for (let attempt = 0; ; attempt++) {
    if (opts.signal?.aborted) throw new WaitAbortedError({ subject });
    if (opts.throttle !== undefined) await opts.throttle.acquire(opts.signal);
    try {
      const result = await fn();
      opts.throttle?.recordSuccess();
      return result;
    } catch (err) {
      const e = toAwsApiError(opts.service, opts.operation, err);
      if (e.throttling) opts.throttle?.recordThrottle();
      if (!e.retryable) throw e;
      if (attempt + 1 >= maxAttempts) throw exhausted(e, maxAttempts);
      opts.onRetry?.(e);
      await opts.clock.sleep(backoffDelay(attempt, base, cap, random), opts.signal);
    }
  }
}

/** `e`, the last of `attempts` refused calls, with what to do about it. */
export function exhausted(e: AwsApiError, attempts: number): AwsApiError {
  return withAdvice(
    e,
    e.throttling
      ? `Still throttled after ${attempts} attempts; lower awsMigration:maxConcurrentStarts or raise the service quota, then run again.`
      : `Still failing after ${attempts} attempts; check the service health and run again.`,
  );
}
