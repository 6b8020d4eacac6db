import { abortReason, type Clock } from "../../provider/core/clock";
import { WaitAbortedError } from "../../provider/core/errors";

function abortedError(signal: AbortSignal): WaitAbortedError {
  return new WaitAbortedError({ reason: abortReason(signal) });
}

interface Sleeper {
  deadline: number;
  seq: number;
  resolve(): void;
}

/**
 * Lets woken code run: microtasks drain before each macrotask turn, and a few turns also let
 * `setImmediate` work that code scheduled (a BatchPoller flush) run before time moves on.
 */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock for tests. Time moves only through `advance()` (or, with `autoAdvance`, by each sleep),
 * and every requested sleep is recorded in `sleeps`, so tests can assert exact sleep sequences.
 */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  private current: number;
  private readonly autoAdvance: boolean;
  private pending: Sleeper[] = [];
  private seq = 0;

  constructor(options?: { start?: number; autoAdvance?: boolean }) {
    this.current = options?.start ?? 0;
    this.autoAdvance = options?.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  /** Sleeps not yet resolved. */
  get pendingSleeps(): number {
    return this.pending.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal?.aborted) return Promise.reject(abortedError(signal));
    if (this.autoAdvance) {
      this.current += Math.max(0, ms);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        deadline: this.current + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.pending = this.pending.filter((s) => s !== sleeper);
        reject(abortedError(signal as AbortSignal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.push(sleeper);
    });
  }

  /**
   * Moves time forward by `ms`, waking sleepers in deadline order (all sleepers of one deadline
   * together); the woken code runs (and may sleep again, possibly waking within the same advance)
   * before time moves on.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms);
    await flush();
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.deadline > target) break;
      // Wake every sleeper due at that instant together, as real timers due together fire in one
      // timers phase — so their follow-up calls can share one BatchPoller round.
      const due = this.pending
        .filter((s) => s.deadline === next.deadline)
        .sort((a, b) => a.seq - b.seq);
      this.pending = this.pending.filter((s) => s.deadline !== next.deadline);
      this.current = Math.max(this.current, next.deadline);
      for (const s of due) s.resolve();
      await flush();
    }
    this.current = target;
    await flush();
  }

  private earliest(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.pending) {
      if (
        best === undefined ||
        s.deadline < best.deadline ||
        (s.deadline === best.deadline && s.seq < best.seq)
      ) {
        best = s;
      }
    }
    return best;
  }
}
