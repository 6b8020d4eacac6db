/**
 * Concurrency and batching for many resources in one provider process: a limiter for task starts,
 * and a poller that merges the describe calls of all waiting resources into batches.
 */
import type { Clock } from "./clock";
import { InputValidationError } from "./errors";

/** Runs at most `max` functions at once; the rest queue in call order. */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new InputValidationError({
        property: "max",
        reason: `must be an integer >= 1 (got ${max})`,
      });
    }
  }

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer in.
      if (next !== undefined) next();
      else this.running--;
    }
  }
}

export interface BatchPollerOptions<T> {
  batchSize: number;
  /** One describe call for up to `batchSize` IDs; IDs absent from the map are gone. */
  describe(ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
}

interface PendingGet<T> {
  resolve(v: T | undefined): void;
  reject(e: unknown): void;
}

/** Shared rounds never spend more than this many describe calls per second in all. */
const MAX_ROUND_CALLS_PER_S = 2;
/** How often the shared-round loop re-checks how many waits ride (and whether any still do). */
const CADENCE_CHECK_MS = 1000;

/** A wait sleeping through `BatchPoller.ridingClock`, ready to be woken into a round. */
interface Rider {
  readonly deadline: number;
  readonly seq: number;
  wake(): void;
}

/**
 * Merges every `get` issued in the same turn of the event loop (flush on `setImmediate`) into
 * de-duplicated batches: N waiting resources cost ceil(N / batchSize) describe calls per round.
 */
export class BatchPoller<T> {
  describeCalls = 0;
  idsDescribed = 0;
  /** Gets that joined a round early through ridingClock (each also counts in idsDescribed). */
  rideAlongs = 0;
  private pending = new Map<string, PendingGet<T>[]>();
  private scheduled = false;
  private readonly riders = new Set<Rider>();
  private riderSeq = 0;
  /** The current flush already woke riders; the next turn describes. */
  private ridersCalled = false;
  private cadence: { clock: Clock; gridMs: number; budgetMs: number } | undefined;
  private cadenceRunning = false;
  private lastRoundAt = -Infinity;
  private readonly batchSize: number;
  private readonly options: BatchPollerOptions<T>;

  constructor(options: BatchPollerOptions<T>) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new InputValidationError({
        property: "batchSize",
        reason: `must be an integer >= 1 (got ${options.batchSize})`,
      });
    }
    this.batchSize = options.batchSize;
    this.options = options;
  }

  get(id: string): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      const list = this.pending.get(id);
      if (list === undefined) this.pending.set(id, [{ resolve, reject }]);
      else list.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * A clock for one resource's wait: each sleep lasts until the first multiple of `gridMs` at or
   * after `ms` (so the polls of concurrent waits meet on shared ticks), or ends early when a round
   * of this poller is about to run with room left in its last batch — polling then costs no call
   * of its own, so with W waits and batch size B every round carries min(W, B·calls) IDs instead
   * of only the ones whose own delay ran out. Riders due soonest are woken first.
   *
   * With `roundBudgetMs`, W >= 2 riding waits also get a shared round every
   * max(gridMs, ceil(W/B)·roundBudgetMs / W, ceil(W/B) / 2 per s): each wait then costs about one
   * call per roundBudgetMs however many share the poller (and at most 2 calls/s in all), while
   * its detection lag falls as W grows — polling many resources often is cheap once they share
   * calls. Every wait of one poller should pass the same options.
   */
  ridingClock(clock: Clock, gridMs = 1, roundBudgetMs?: number): Clock {
    if (roundBudgetMs !== undefined && this.cadence === undefined) {
      this.cadence = { clock, gridMs, budgetMs: roundBudgetMs };
      this.lastRoundAt = clock.now();
    }
    return {
      now: () => clock.now(),
      sleep: (ms, signal) => this.ride(clock, ms, gridMs, signal),
    };
  }

  /** Shared rounds for riding waits (ridingClock's roundBudgetMs); at most one loop runs. */
  private runCadence(): void {
    const cadence = this.cadence;
    if (cadence === undefined || this.cadenceRunning || this.riders.size < 2) return;
    this.cadenceRunning = true;
    const { clock, gridMs, budgetMs } = cadence;
    void (async () => {
      try {
        // Checks at least every CADENCE_CHECK_MS, so the loop ends soon after the waits do.
        while (this.riders.size >= 2) {
          const w = this.riders.size;
          const calls = Math.ceil(w / this.batchSize);
          const interval = Math.max(
            gridMs,
            (calls * budgetMs) / w,
            (calls * 1000) / MAX_ROUND_CALLS_PER_S,
          );
          const wait = this.lastRoundAt + interval - clock.now();
          if (wait > 0) {
            await clock.sleep(Math.min(wait, CADENCE_CHECK_MS));
            continue;
          }
          this.lastRoundAt = clock.now();
          for (const r of [...this.riders]) {
            this.riders.delete(r);
            r.wake();
          }
        }
      } finally {
        this.cadenceRunning = false;
      }
    })();
  }

  private async ride(
    clock: Clock,
    ms: number,
    gridMs: number,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) return clock.sleep(0, signal);
    const now = clock.now();
    let until = now + Math.max(0, ms);
    if (gridMs > 1 && until % gridMs !== 0) until += gridMs - (until % gridMs);
    const inner = new AbortController();
    let woken = false;
    const rider: Rider = {
      deadline: until,
      seq: this.riderSeq++,
      wake: () => {
        woken = true;
        inner.abort();
      },
    };
    const onAbort = (): void => inner.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.riders.add(rider);
    this.runCadence();
    try {
      await clock.sleep(until - now, inner.signal);
    } catch (err) {
      if (!woken || signal?.aborted) throw err;
      this.rideAlongs++;
    } finally {
      this.riders.delete(rider);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private flush(): void {
    const room = (this.batchSize - (this.pending.size % this.batchSize)) % this.batchSize;
    if (!this.ridersCalled && room > 0 && this.riders.size > 0) {
      // Wake the riders that fit, then describe one turn later, once their gets have arrived.
      const woken = [...this.riders]
        .sort((a, b) => a.deadline - b.deadline || a.seq - b.seq)
        .slice(0, room);
      for (const r of woken) {
        this.riders.delete(r);
        r.wake();
      }
      this.ridersCalled = true;
      setImmediate(() => this.flush());
      return;
    }
    this.ridersCalled = false;
    if (this.cadence !== undefined) this.lastRoundAt = this.cadence.clock.now();
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const chunk = ids.slice(i, i + this.batchSize);
      this.describeCalls++;
      this.idsDescribed += chunk.length;
      // Promise.resolve().then: a describe that throws synchronously still rejects only its batch.
      Promise.resolve()
        .then(() => this.options.describe(chunk))
        .then(
          (found) => {
            for (const id of chunk) for (const g of batch.get(id) ?? []) g.resolve(found.get(id));
          },
          (err: unknown) => {
            for (const id of chunk) for (const g of batch.get(id) ?? []) g.reject(err);
          },
        );
    }
  }
}

/** Releases a CapacityGate slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * A gate for APIs with a quota on tasks *in progress* (MGN imports; EC2 import tasks): each task
 * this process runs holds a slot from its start until it ends. The capacity is unknown until the
 * service refuses a start; `saturated(quotaValue)` then caps it at what this process holds (the
 * rest of the quota is used elsewhere), so later starts queue for a slot instead of hammering the
 * API with refused calls. Each successful start grows the cap by one, up to the quota, so capacity
 * used by others comes back once they finish.
 */
export class CapacityGate {
  private held = 0;
  private limit = Number.POSITIVE_INFINITY;
  private quota = Number.POSITIVE_INFINITY;
  private readonly waiting: Array<{ admit(): void }> = [];

  /** Slots held by this process's running tasks. */
  get inUse(): number {
    return this.held;
  }

  /** Current cap (Infinity until the service first refuses a start). */
  get capacity(): number {
    return this.limit;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * True when more slots are held than the cap allows (the cap shrank after they were taken): a
   * holder that has not started its task yet should release and queue again.
   */
  get over(): boolean {
    return this.held > this.limit;
  }

  /** True when `acquire()` would queue. */
  get full(): boolean {
    return this.held >= this.limit || this.waiting.length > 0;
  }

  /**
   * Takes a slot without waiting, for a task that is already running (a resumed or adopted
   * import occupies quota whether or not the gate has room).
   */
  hold(): ReleaseSlot {
    return this.take();
  }

  /** Waits for a slot (FIFO); rejects with `signal.reason` if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (this.held < this.limit && this.waiting.length === 0) return Promise.resolve(this.take());
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const entry = {
        admit: (): void => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.take());
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  /**
   * The service refused a start for lack of quota while this process held `inUse` slots (the
   * refused caller has released its own). `quotaValue` is the quota the error reported, if any.
   */
  saturated(quotaValue?: number): void {
    if (quotaValue !== undefined && Number.isFinite(quotaValue) && quotaValue >= 1) {
      this.quota = quotaValue;
    }
    this.limit = Math.max(1, Math.min(this.quota, this.held));
  }

  /** A start succeeded: allow one more, up to the quota (others may have freed capacity). */
  started(): void {
    if (Number.isFinite(this.limit)) this.limit = Math.min(this.quota, this.limit + 1);
    this.admit();
  }

  private take(): ReleaseSlot {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.admit();
    };
  }

  private admit(): void {
    while (this.held < this.limit && this.waiting.length > 0) this.waiting.shift()?.admit();
  }
}
