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

/**
 * How a poller's riding waits share rounds (BatchPoller.ridingClock). Every wait of one poller
 * should pass the same values: the first wait's are used.
 */
export interface SharedRounds {
  /**
   * Describe calls per second this poller's waits may spend in all, well under the API's rate
   * limit: consecutive rounds are at least (calls of the earlier round) / budget apart.
   */
  budgetCallsPerSecond: number;
  /**
   * Each riding wait asks for at most one shared round per `shareMs`, so W waits get one at most
   * every shareMs / W: with a wait's maximum delay here, the interval grows back to a lone wait's
   * slowest poll as waits finish.
   */
  shareMs: number;
}

export interface RidingOptions {
  /** Sleeps end on multiples of this (ms), so concurrent waits meet on shared ticks. @default 1 */
  gridMs?: number;
  /** Shared rounds for two or more riding waits; without it each wait keeps its own schedule. */
  rounds?: SharedRounds;
  /**
   * The wait's deadline (epoch ms): no sleep is stretched past it (neither to the grid nor to the
   * budget), so a waiter's last poll, placed exactly at its deadline, still lands there.
   */
  deadlineMs?: number;
}

/**
 * The interval of a shared round for `w` riding waits and batch size B:
 * max(gridMs, ceil(w/B) · 1000 / budgetCallsPerSecond, shareMs / w). It shrinks as w grows, to
 * the grid while ceil(w/B) calls fit the budget and then as the budget allows (the call rate
 * stays within it), and grows back as waits finish: shareMs / 2 for two waits, shareMs for one.
 */
export function sharedRoundIntervalMs(
  w: number,
  batchSize: number,
  gridMs: number,
  rounds: SharedRounds,
): number {
  const calls = Math.ceil(w / batchSize);
  return Math.max(
    gridMs,
    (calls * 1000) / rounds.budgetCallsPerSecond,
    rounds.shareMs / Math.max(1, w),
  );
}

/** A wait sleeping through `BatchPoller.ridingClock`, ready to be woken into a round. */
interface Rider {
  readonly deadline: number;
  readonly seq: number;
  wake(): void;
}

function onGrid(t: number, gridMs: number): number {
  return gridMs > 1 && t % gridMs !== 0 ? t + gridMs - (t % gridMs) : t;
}

/**
 * Merges every `get` issued in the same turn of the event loop (flush on `setImmediate`) into
 * de-duplicated batches: N waiting resources cost ceil(N / batchSize) describe calls per round.
 */
export class BatchPoller<T> {
  private pending = new Map<string, PendingGet<T>[]>();
  private scheduled = false;
  private readonly riders = new Set<Rider>();
  private riderSeq = 0;
  /** The current flush already woke riders; the next turn describes. */
  private ridersCalled = false;
  private rounds: { clock: Clock; gridMs: number; shared: SharedRounds } | undefined;
  private timer: { at: number; abort: AbortController } | undefined;
  private armQueued = false;
  private lastRoundAt = -Infinity;
  private lastRoundCalls = 0;
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
   * With `rounds`, W >= 2 riding waits also share a round every sharedRoundIntervalMs(W) =
   * max(gridMs, ceil(W/B) / budget, shareMs / W) after the last one: the interval shrinks as W
   * grows and grows back as waits finish, and a lone wait keeps its own backoff.
   * The budget holds for every round a riding wait starts: one whose own delay ran out polls no
   * sooner than (calls of the last round) / budget after it (it waits for that round instead),
   * except at `deadlineMs`. Gets from outside ridingClock (a wait's first poll, a read) are never
   * held back, but they count as rounds. Every wait of one poller should pass the same `rounds`.
   */
  ridingClock(clock: Clock, options: RidingOptions = {}): Clock {
    const { rounds } = options;
    if (rounds !== undefined && this.rounds === undefined) {
      validateRounds(rounds);
      this.rounds = { clock, gridMs: options.gridMs ?? 1, shared: rounds };
      this.lastRoundAt = Math.max(this.lastRoundAt, clock.now());
    }
    return {
      now: () => clock.now(),
      sleep: (ms, signal) => this.ride(clock, ms, options, signal),
    };
  }

  /** The earliest a round may start under the budget (the last round's calls paid for). */
  private nextAllowedAt(): number {
    const r = this.rounds;
    if (r === undefined) return -Infinity;
    return this.lastRoundAt + (this.lastRoundCalls * 1000) / r.shared.budgetCallsPerSecond;
  }

  /** When the next shared round is due; undefined with fewer than two riding waits. */
  private nextSharedAt(): number | undefined {
    const r = this.rounds;
    const w = this.riders.size;
    if (r === undefined || w < 2) return undefined;
    const interval = sharedRoundIntervalMs(w, this.batchSize, r.gridMs, r.shared);
    return Math.max(this.lastRoundAt + interval, this.nextAllowedAt());
  }

  /** Re-aims the shared-round timer once the riders of this turn have settled. */
  private armSoon(): void {
    if (this.rounds === undefined || this.armQueued) return;
    this.armQueued = true;
    setImmediate(() => {
      this.armQueued = false;
      this.arm();
    });
  }

  private arm(): void {
    const r = this.rounds;
    if (r === undefined) return;
    const at = this.nextSharedAt();
    if (at === undefined) {
      this.disarm();
      return;
    }
    // A timer due no later stays: when it fires, the round's time is computed again.
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.disarm();
    const timer = { at, abort: new AbortController() };
    this.timer = timer;
    r.clock.sleep(Math.max(0, at - r.clock.now()), timer.abort.signal).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        this.fire();
      },
      () => undefined,
    );
  }

  private disarm(): void {
    this.timer?.abort.abort();
    this.timer = undefined;
  }

  /** The timer ran out: run a shared round if one is due (W may have changed), else re-aim. */
  private fire(): void {
    const r = this.rounds;
    const at = this.nextSharedAt();
    if (r === undefined || at === undefined) return;
    if (at > r.clock.now()) {
      this.arm();
      return;
    }
    this.lastRoundAt = r.clock.now();
    for (const rider of [...this.riders]) {
      this.riders.delete(rider);
      rider.wake();
    }
  }

  private async ride(
    clock: Clock,
    ms: number,
    options: RidingOptions,
    signal?: AbortSignal,
  ): Promise<void> {
    if (signal?.aborted) return clock.sleep(0, signal);
    const gridMs = options.gridMs ?? 1;
    const deadline = options.deadlineMs;
    const end = clock.now() + Math.max(0, ms);
    let until = onGrid(end, gridMs);
    // Not stretched past the deadline: a waiter's last poll lands exactly there.
    if (deadline !== undefined && until > deadline) until = Math.max(end, deadline);
    for (;;) {
      if (await this.sleepRiding(clock, until, signal)) return;
      // Own delay over: poll now, unless the budget asks for a later round (which it then joins).
      const now = clock.now();
      const allowed = this.nextAllowedAt();
      if (now >= allowed || (deadline !== undefined && now >= deadline)) return;
      until = onGrid(allowed, gridMs);
      if (deadline !== undefined) until = Math.min(until, deadline);
    }
  }

  /** Sleeps until `until` as a rider; true when a round woke it first. */
  private async sleepRiding(clock: Clock, until: number, signal?: AbortSignal): Promise<boolean> {
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
    this.armSoon();
    try {
      await clock.sleep(until - clock.now(), inner.signal);
      // A round that called it as its own sleep ran out: it joins that round (not held back).
      return woken;
    } catch (err) {
      if (!woken || signal?.aborted) throw err;
      return true;
    } finally {
      this.riders.delete(rider);
      this.armSoon();
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
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    const ids = [...batch.keys()];
    if (this.rounds !== undefined) {
      this.lastRoundAt = this.rounds.clock.now();
      this.lastRoundCalls = Math.ceil(ids.length / this.batchSize);
    }
    for (let i = 0; i < ids.length; i += this.batchSize) {
      const chunk = ids.slice(i, i + this.batchSize);
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

function validateRounds(rounds: SharedRounds): void {
  if (!(rounds.budgetCallsPerSecond > 0)) {
    throw new InputValidationError({
      property: "budgetCallsPerSecond",
      reason: `must be a number > 0 (got ${rounds.budgetCallsPerSecond})`,
    });
  }
  if (!Number.isFinite(rounds.shareMs) || rounds.shareMs < 0) {
    throw new InputValidationError({
      property: "shareMs",
      reason: `must be a finite number >= 0 (got ${rounds.shareMs})`,
    });
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
