/**
 * Time, passed in as a dependency so waits and back-offs are testable without real timers.
 */
import { WaitAbortedError } from "./errors";

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with WaitAbortedError when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The abort's reason as text (an Error's message, or a string), for WaitAbortedError. */
export function abortReason(signal: AbortSignal | undefined): string | undefined {
  const r: unknown = signal?.reason;
  return r instanceof Error ? r.message : typeof r === "string" ? r : undefined;
}

function abortedError(signal: AbortSignal): WaitAbortedError {
  return new WaitAbortedError({ reason: abortReason(signal) });
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortedError(signal));
        return;
      }
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortedError(signal as AbortSignal));
      };
      // Not unref'd: a host process waiting for an import must stay alive.
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  },
};

/**
 * Sleeps to the next multiple of `gridMs` (not at all when already on one). Jittered delays would
 * scatter the polls of many resources over distinct ticks, and a BatchPoller merges only the gets
 * of one tick: aligning each poll to a shared grid lets concurrent waits share describe calls.
 * With `deadlineMs`, a sleep that would end after it is skipped: a waiter's last poll, which it
 * places exactly at its deadline, is not pushed past it.
 */
export async function alignToGrid(
  clock: Clock,
  gridMs: number,
  options?: { signal?: AbortSignal; deadlineMs?: number },
): Promise<void> {
  if (gridMs <= 1) return;
  const offset = clock.now() % gridMs;
  if (offset === 0) return;
  const wait = gridMs - offset;
  if (options?.deadlineMs !== undefined && clock.now() + wait > options.deadlineMs) return;
  await clock.sleep(wait, options?.signal);
}
