/** The one waiter (STYLE.md §5); throttling, 5xx and network poll errors retry, others fail. */
import { toAwsApiError } from "./classify";
import { backoffDelay } from "./retry";
import { abortReason, type Clock } from "./clock";
import {
  assertInput,
  isMigrationError,
  summarizeObserved,
  WaitAbortedError,
  WaiterTimeoutError,
} from "./errors";

export { summarizeObserved };

export interface Acceptor<T> {
  verdict: "success" | "failure";
  matches(o: T): boolean;
  description?: string;
}

export interface WaitSpec<T> {
  poll(): Promise<T>;
  /** The status recorded for each observation (it feeds messages and `observed`). */
  status(o: T): string;
  /** Checked in order; the first match ends the wait. */
  acceptors: readonly Acceptor<T>[];
  minDelayMs: number;
  maxDelayMs: number;
  timeoutMs: number;
  /** An absolute deadline the caller fixed before calling; wins over `timeoutMs`. */
  deadlineMs?: number;
  /** When the caller's budget began (e.g. before a start queued), for the timeout's report. */
  sinceMs?: number;
  clock: Clock;
  random?: () => number;
  signal?: AbortSignal;
  onObservation?(o: T, poll: number): void;
  /** For classifying poll errors that are not AwsApiError yet. @default "aws" */
  service?: string;
  /** @default "poll" */
  operation?: string;
  /** Names the thing waited for in timeout/abort messages, e.g. `mgn.ImportTask "wave-1"`. */
  subject?: string;
}

export interface WaitResult<T> {
  verdict: "success" | "failure";
  last: T;
  polls: number;
  observed: string[];
  elapsedMs: number;
  retriedErrors: number;
  acceptor?: Acceptor<T>;
}

export async function waitFor<T>(spec: WaitSpec<T>): Promise<WaitResult<T>> {
  const { clock, signal, minDelayMs: min, maxDelayMs: max, timeoutMs } = spec;
  const finite = Number.isFinite(min) && min >= 0;
  assertInput(finite, "minDelayMs", `must be a finite number >= 0 (got ${min})`);
  const fix = "Fix: raise maxDelayMs or lower minDelayMs.";
  assertInput(max >= min, "maxDelayMs", `must be >= minDelayMs ${min} (got ${max}). ${fix}`);
  assertInput(timeoutMs >= 0, "timeoutMs", `must be a number >= 0 (got ${timeoutMs})`);
  const random = spec.random ?? Math.random;
  const start = clock.now();
  const deadline = spec.deadlineMs ?? start + timeoutMs;
  const observed: string[] = [];
  let polls = 0;
  let retriedErrors = 0;
  const aborted = (): WaitAbortedError =>
    new WaitAbortedError({ subject: spec.subject, observed, reason: abortReason(signal) });

  for (;;) {
    if (signal?.aborted) throw aborted();
    polls++;
    try {
      const o = await spec.poll();
      observed.push(spec.status(o));
      spec.onObservation?.(o, polls);
      const acceptor = spec.acceptors.find((a) => a.matches(o));
      if (acceptor !== undefined) {
        return {
          verdict: acceptor.verdict,
          last: o,
          polls,
          observed,
          elapsedMs: clock.now() - start,
          retriedErrors,
          acceptor,
        };
      }
    } catch (err) {
      if (signal?.aborted) throw aborted();
      // Our own errors (validation, task failure) already say what happened; pass them through.
      if (isMigrationError(err) && !isMigrationError(err, "AwsApiError")) throw err;
      const api = toAwsApiError(spec.service ?? "aws", spec.operation ?? "poll", err);
      if (!api.retryable) throw api;
      retriedErrors++;
    }

    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const since = Math.min(spec.sinceMs ?? start, start);
      throw new WaiterTimeoutError({
        elapsedMs: clock.now() - since,
        limitMs: deadline - since,
        observed,
        subject: spec.subject,
      });
    }
    // Cut the last sleep so one final poll lands exactly at the deadline.
    // Within [min, max]: min + random() · (min(max, min · 2^k) - min) before poll k + 2.
    const delay = Math.min(remaining, backoffDelay(polls - 1, min, max, random, min));
    try {
      await clock.sleep(delay, signal);
    } catch (err) {
      if (isMigrationError(err, "WaitAbortedError") || signal?.aborted) throw aborted();
      throw err;
    }
  }
}
