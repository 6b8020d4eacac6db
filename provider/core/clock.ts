/** Time, passed in as a dependency so waits and back-offs are testable without real timers. */
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
      if (signal?.aborted) return reject(abortedError(signal));
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
