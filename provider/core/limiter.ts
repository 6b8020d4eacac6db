/**
 * Concurrency and batching for many resources in one provider process: a limiter for task starts,
 * and a poller that merges the describe calls of all waiting resources into batches.
 */
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

/**
 * Merges every `get` issued in the same turn of the event loop (flush on `setImmediate`) into
 * de-duplicated batches: N waiting resources cost ceil(N / batchSize) describe calls per round.
 */
export class BatchPoller<T> {
  describeCalls = 0;
  idsDescribed = 0;
  private pending = new Map<string, PendingGet<T>[]>();
  private scheduled = false;
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

  private flush(): void {
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
