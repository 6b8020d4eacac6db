/**
 * Our retry loop for AWS calls. SDK clients are built with `maxAttempts: 1` (see config.ts), so
 * this is the only layer that retries: no SDK retries stacking under waiter polls, and one shared
 * AdaptiveThrottle per service keeps many resources in one host process from a throttling storm.
 */
import { toAwsApiError } from "./classify";
import { systemClock, type Clock } from "./clock";
import { type AwsApiError, InputValidationError, WaitAbortedError, withAdvice } from "./errors";

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
 * A client-side rate limit shared by every resource of one service in one provider process: AIMD
 * like the SDK's adaptive mode — halves on each throttling error, grows additively on success.
 * Calls are spaced `1000 / rate` ms apart and queue in order. Each gap is measured with the rate
 * at the moment the previous call was let through, not when a caller joined the queue: callers
 * queued during a throttling storm (0.5 calls/s) would otherwise keep their 2-second-apart slots
 * long after the rate recovered, serializing a hundred waits for minutes.
 */
export class AdaptiveThrottle {
  private readonly clock: Clock;
  private readonly maxRate: number;
  private readonly minRate: number;
  private readonly increase: number;
  private currentRate: number;
  /** When the last caller was let through. */
  private lastGrant = Number.NEGATIVE_INFINITY;
  /** Settles when every caller queued so far has been let through (or gave up). */
  private queue: Promise<void> = Promise.resolve();
  /** Throttling errors seen, successes seen (for logs and tests). */
  throttles = 0;
  successes = 0;

  constructor(options?: AdaptiveThrottleOptions) {
    this.clock = options?.clock ?? systemClock;
    this.maxRate = options?.maxRate ?? 50;
    this.minRate = options?.minRate ?? 0.5;
    this.increase = options?.increase ?? 0.5;
    if (!(this.minRate > 0) || !(this.maxRate >= this.minRate)) {
      throw new InputValidationError({
        property: "maxRate",
        reason: `must be >= minRate > 0 (got minRate ${this.minRate}, maxRate ${this.maxRate})`,
      });
    }
    this.currentRate = this.maxRate;
  }

  /** Current allowed rate, calls per second. */
  get rate(): number {
    return this.currentRate;
  }

  /** Waits (on the clock) for the next free slot at the current rate. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const aborted = (): WaitAbortedError =>
      new WaitAbortedError({ subject: "the throttled AWS call" });
    if (signal?.aborted) throw aborted();
    const ahead = this.queue;
    let leave!: () => void;
    const mine = new Promise<void>((resolve) => (leave = resolve));
    // The next caller waits for everyone ahead of us too, even if we give up early.
    this.queue = Promise.all([ahead, mine]).then(() => undefined);
    try {
      if (!(await this.turn(ahead, signal))) throw aborted();
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
      leave();
    }
  }

  /** Waits for the callers ahead; false when `signal` aborts first. */
  private turn(ahead: Promise<void>, signal: AbortSignal | undefined): Promise<boolean> {
    if (signal === undefined) return ahead.then(() => true);
    if (signal.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => resolve(false);
      signal.addEventListener("abort", onAbort, { once: true });
      void ahead.then(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(!signal.aborted);
      });
    });
  }

  recordThrottle(): void {
    this.throttles++;
    this.currentRate = Math.max(this.minRate, this.currentRate / 2);
  }

  recordSuccess(): void {
    this.successes++;
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

/** `min(max, base * 2^attempt)`; a zero base never grows (0 × 2^1024 would be NaN). */
export function backoffCap(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs === 0 ? 0 : baseDelayMs * 2 ** attempt);
}

/** Full-jitter exponential backoff: `random() * min(max, base * 2^attempt)`. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  return Math.min(1, Math.max(0, random())) * backoffCap(attempt, baseDelayMs, maxDelayMs);
}

/**
 * Runs `fn`, retrying retryable AWS errors (throttling, 5xx, network) with full-jitter backoff.
 * Throws an AwsApiError at once for any other error, or after `maxAttempts` calls.
 */
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
      if (attempt + 1 >= maxAttempts) {
        throw exhausted(e, maxAttempts);
      }
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
