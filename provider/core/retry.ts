/**
 * Our retry loop for AWS calls. SDK clients are built with `maxAttempts: 1` (see config.ts), so
 * this is the only layer that retries: no SDK retries stacking under waiter polls, and one shared
 * AdaptiveThrottle per service keeps many resources in one host process from a throttling storm.
 */
import { toAwsApiError } from "./classify";
import { systemClock, type Clock } from "./clock";
import { AwsApiError, InputValidationError, WaitAbortedError } from "./errors";

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
 * Calls are spaced `1000 / rate` ms apart; slots are reserved synchronously, so concurrent
 * callers queue in order.
 */
export class AdaptiveThrottle {
  private readonly clock: Clock;
  private readonly maxRate: number;
  private readonly minRate: number;
  private readonly increase: number;
  private currentRate: number;
  private nextSlot = 0;
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
    if (signal?.aborted) throw new WaitAbortedError({ subject: "the throttled AWS call" });
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.currentRate;
    if (slot > now) await this.clock.sleep(slot - now, signal);
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
}

/** Full-jitter exponential backoff: `random() * min(max, base * 2^attempt)`. */
export function backoffDelay(
  attempt: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const r = Math.min(1, Math.max(0, random()));
  // 0 × 2^1024 would be NaN: a zero base never grows.
  const grown = baseDelayMs === 0 ? 0 : baseDelayMs * 2 ** attempt;
  return r * Math.min(maxDelayMs, grown);
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
        throw new AwsApiError({
          service: e.service,
          operation: e.operation,
          code: e.code,
          message: e.awsMessage,
          ...(e.httpStatus === undefined ? {} : { httpStatus: e.httpStatus }),
          ...(e.requestId === undefined ? {} : { requestId: e.requestId }),
          retryable: e.retryable,
          throttling: e.throttling,
          advice: e.throttling
            ? `Still throttled after ${maxAttempts} attempts; lower awsMigration:maxConcurrentStarts or raise the service quota, then run again.`
            : `Still failing after ${maxAttempts} attempts; check the service health and run again.`,
        });
      }
      await opts.clock.sleep(backoffDelay(attempt, base, cap, random), opts.signal);
    }
  }
}
