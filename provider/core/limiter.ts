/** Gates for task starts and tasks in progress, and a poller that batches describe calls. */
import type { Clock } from "./clock";
import { assertInput } from "./errors";

const positiveInteger = (property: string, n: number): void =>
  assertInput(Number.isInteger(n) && n >= 1, property, `must be an integer >= 1 (got ${n})`);

/** Releases a CapacityGate slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Slots for tasks in progress, FIFO, unbounded until a service refuses a start for its quota on
 * tasks in progress (MGN): `saturated()` then caps it at what this process holds, so later starts
 * queue instead of being refused again; each successful start grows the cap by one, up to the
 * quota, as capacity used elsewhere comes back.
 */
export class CapacityGate {
  private held = 0;
  private quota = Number.POSITIVE_INFINITY;
  private readonly waiting: Array<{ admit(): void }> = [];

  constructor(private limit = Number.POSITIVE_INFINITY) {}

  /** Slots held by this process's running tasks. */
  get inUse(): number {
    return this.held;
  }

  /** More slots held than the cap allows: a holder not started yet should release and queue. */
  get over(): boolean {
    return this.held > this.limit;
  }

  /** True when `acquire()` would queue. */
  get full(): boolean {
    return this.held >= this.limit || this.waiting.length > 0;
  }

  /** Takes a slot without waiting: a resumed or adopted task occupies quota regardless. */
  hold(): ReleaseSlot {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.admit();
    };
  }

  /** Waits for a slot (FIFO); rejects with `signal.reason` if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    if (!this.full) return Promise.resolve(this.hold());
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const entry = {
        admit: (): void => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.hold());
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

  /** A start was refused for quota (its caller released its slot); `quotaValue` if AWS said it. */
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

  private admit(): void {
    while (this.held < this.limit && this.waiting.length > 0) this.waiting.shift()?.admit();
  }
}

/** Runs at most `max` functions at once; the rest queue in call order. */
export class ConcurrencyLimiter {
  private readonly gate: CapacityGate;

  constructor(readonly max: number) {
    positiveInteger("max", max);
    this.gate = new CapacityGate(max);
  }

  get active(): number {
    return this.gate.inUse;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A free slot is taken at once, so `fn` starts in the caller's turn.
    const release = this.gate.full ? await this.gate.acquire() : this.gate.hold();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export interface BatchPollerOptions<T> {
  batchSize: number;
  /** One describe call for up to `batchSize` IDs; IDs absent from the map are gone. */
  describe(ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
}

/** How a poller's riding waits share rounds; the first wait's values are used. */
export interface SharedRounds {
  /** Describe calls/s all waits may spend: rounds are (calls of the last) / budget apart. */
  budgetCallsPerSecond: number;
  /** Each wait asks for at most one round per shareMs, so W waits get one every shareMs / W. */
  shareMs: number;
}

export interface RidingOptions {
  /** Sleeps end on multiples of this (ms), so concurrent waits meet on shared ticks. @default 1 */
  gridMs?: number;
  /** Shared rounds for two or more riding waits; without it each wait keeps its own schedule. */
  rounds?: SharedRounds;
  /** No sleep is stretched past this (epoch ms): a waiter's last poll lands exactly there. */
  deadlineMs?: number;
}

/** A shared round's interval for `w` riding waits: shrinks as w grows, within the budget. */
export function sharedRoundIntervalMs(
  w: number,
  batchSize: number,
  gridMs: number,
  rounds: SharedRounds,
): number {
  const { budgetCallsPerSecond: budget, shareMs } = rounds;
  return Math.max(gridMs, (Math.ceil(w / batchSize) * 1000) / budget, shareMs / Math.max(1, w));
}

interface PendingGet<T> {
  resolve(v: T | undefined): void;
  reject(e: unknown): void;
}

function onGrid(t: number, gridMs: number): number {
  return gridMs > 1 && t % gridMs !== 0 ? t + gridMs - (t % gridMs) : t;
}

/** Merges the `get`s of one event-loop turn: N waits cost ceil(N / batchSize) describe calls. */
export class BatchPoller<T> {
  private pending = new Map<string, PendingGet<T>[]>();
  private scheduled = false;
  /** How to wake each wait sleeping in ridingClock, in the order they slept, and when it is due. */
  private readonly riders = new Map<() => void, number>();
  /** The current flush already woke riders; the next turn describes. */
  private ridersCalled = false;
  private rounds: { clock: Clock; gridMs: number; shared: SharedRounds } | undefined;
  private timer: { at: number; abort: AbortController } | undefined;
  private armQueued = false;
  private lastRoundAt = -Infinity;
  private lastRoundCalls = 0;

  constructor(private readonly options: BatchPollerOptions<T>) {
    positiveInteger("batchSize", options.batchSize);
  }

  get(id: string): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      this.pending.set(id, [...(this.pending.get(id) ?? []), { resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * A clock for one wait: each sleep ends on the `gridMs` grid (concurrent waits meet on shared
   * ticks), or early to ride in a round with room in its last batch (soonest due first). With
   * `rounds`, two or more waits share a round every sharedRoundIntervalMs(W); a wait whose own
   * delay ran out waits for the budget, except at `deadlineMs`.
   */
  ridingClock(clock: Clock, options: RidingOptions = {}): Clock {
    const { rounds } = options;
    if (rounds !== undefined && this.rounds === undefined) {
      const { budgetCallsPerSecond: budget, shareMs } = rounds;
      assertInput(budget > 0, "budgetCallsPerSecond", `must be a number > 0 (got ${budget})`);
      const finite = Number.isFinite(shareMs) && shareMs >= 0;
      assertInput(finite, "shareMs", `must be a finite number >= 0 (got ${shareMs})`);
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
    const interval = sharedRoundIntervalMs(w, this.options.batchSize, r.gridMs, r.shared);
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
    const at = this.nextSharedAt();
    if (r === undefined || at === undefined) return this.disarm();
    // A timer due no later stays: when it fires, the round's time is computed again.
    if (this.timer !== undefined && this.timer.at <= at) return;
    this.disarm();
    const timer = { at, abort: new AbortController() };
    this.timer = timer;
    r.clock.sleep(Math.max(0, at - r.clock.now()), timer.abort.signal).then(
      () => {
        if (this.timer !== timer) return;
        this.timer = undefined;
        // W may have changed: run the round if it is still due, else re-aim.
        const due = this.nextSharedAt();
        if (due === undefined) return;
        if (due > r.clock.now()) return this.arm();
        this.lastRoundAt = r.clock.now();
        this.wake([...this.riders.keys()]);
      },
      () => undefined,
    );
  }

  private disarm(): void {
    this.timer?.abort.abort();
    this.timer = undefined;
  }

  private wake(riders: readonly (() => void)[]): void {
    for (const wake of riders) {
      this.riders.delete(wake);
      wake();
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
    const deadline = options.deadlineMs ?? Infinity;
    const end = clock.now() + Math.max(0, ms);
    let until = onGrid(end, gridMs);
    if (until > deadline) until = Math.max(end, deadline);
    for (;;) {
      if (await this.sleepRiding(clock, until, signal)) return;
      // Own delay over: poll now, unless the budget asks for a later round (which it then joins).
      const now = clock.now();
      const allowed = this.nextAllowedAt();
      if (now >= allowed || now >= deadline) return;
      until = Math.min(onGrid(allowed, gridMs), deadline);
    }
  }

  /** Sleeps until `until` as a rider; true when a round woke it first. */
  private async sleepRiding(clock: Clock, until: number, signal?: AbortSignal): Promise<boolean> {
    const inner = new AbortController();
    let woken = false;
    const wake = (): void => {
      woken = true;
      inner.abort();
    };
    const onAbort = (): void => inner.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.riders.set(wake, until);
    this.armSoon();
    try {
      await clock.sleep(until - clock.now(), inner.signal);
      // A round that called it as its own sleep ran out: it joins that round (not held back).
      return woken;
    } catch (err) {
      if (!woken || signal?.aborted) throw err;
      return true;
    } finally {
      this.riders.delete(wake);
      this.armSoon();
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private flush(): void {
    const { batchSize } = this.options;
    const room = (batchSize - (this.pending.size % batchSize)) % batchSize;
    if (!this.ridersCalled && room > 0 && this.riders.size > 0) {
      // Wake the riders that fit (stable sort), then describe once their gets have arrived.
      const soonest = [...this.riders].sort(([, a], [, b]) => a - b).slice(0, room);
      this.wake(soonest.map(([wake]) => wake));
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
      this.lastRoundCalls = Math.ceil(ids.length / batchSize);
    }
    for (let i = 0; i < ids.length; i += batchSize) {
      const chunk = ids.slice(i, i + batchSize);
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
