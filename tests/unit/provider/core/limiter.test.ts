import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { isMigrationError } from "../../../../provider/core/errors";
import { BatchPoller, CapacityGate, ConcurrencyLimiter } from "../../../../provider/core/limiter";
import { waitFor } from "../../../../provider/core/waiter";

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("core limiter", () => {
  describe("ConcurrencyLimiter", () => {
    it("runs at most max functions at once and starts queued ones in call order", async () => {
      const limiter = new ConcurrencyLimiter(2);
      const gates = [0, 1, 2, 3].map(() => deferred<number>());
      const started: number[] = [];
      const runs = gates.map((g, i) =>
        limiter.run(() => {
          started.push(i);
          return g.promise;
        }),
      );
      await tick();
      assert.deepEqual(started, [0, 1]);
      gates[1]!.resolve(1);
      await tick();
      assert.deepEqual(started, [0, 1, 2]);
      gates[0]!.resolve(0);
      gates[2]!.resolve(2);
      await tick();
      assert.deepEqual(started, [0, 1, 2, 3]);
      gates[3]!.resolve(3);
      assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    });

    it("frees the slot when a function rejects", async () => {
      const limiter = new ConcurrencyLimiter(1);
      await assert.rejects(
        limiter.run(() => Promise.reject(new RangeError("x"))),
        RangeError,
      );
      assert.equal(await limiter.run(() => Promise.resolve("next")), "next");
    });

    it("refuses a max below 1", () => {
      assert.throws(() => new ConcurrencyLimiter(0), /max must be an integer >= 1 \(got 0\)/);
    });
  });

  describe("BatchPoller", () => {
    function poller(batchSize: number, fail?: (ids: readonly string[]) => boolean) {
      const calls: string[][] = [];
      const p = new BatchPoller<string>({
        batchSize,
        describe: (ids) => {
          calls.push([...ids]);
          if (fail?.(ids))
            return Promise.reject(new RangeError(`describe failed for ${ids.join(",")}`));
          return Promise.resolve(
            new Map(ids.filter((id) => !id.startsWith("gone")).map((id) => [id, `state-of-${id}`])),
          );
        },
      });
      return { p, calls };
    }

    it("groups N gets from one turn into ceil(N / batchSize) describe calls", async () => {
      const { p, calls } = poller(10);
      const ids = Array.from({ length: 25 }, (_, i) => `t-${i}`);
      const results = await Promise.all(ids.map((id) => p.get(id)));
      assert.deepEqual(
        results,
        ids.map((id) => `state-of-${id}`),
      );
      assert.deepEqual(
        calls.map((c) => c.length),
        [10, 10, 5],
      );
    });

    it("describes a repeated id once and resolves every get for it", async () => {
      const { p, calls } = poller(10);
      const results = await Promise.all([p.get("a"), p.get("b"), p.get("a")]);
      assert.deepEqual(results, ["state-of-a", "state-of-b", "state-of-a"]);
      assert.deepEqual(calls, [["a", "b"]]);
    });

    it("resolves undefined for an id missing from the describe result", async () => {
      const { p } = poller(10);
      assert.deepEqual(await Promise.all([p.get("a"), p.get("gone-1")]), ["state-of-a", undefined]);
    });

    it("rejects exactly the gets of the batch whose describe failed", async () => {
      const { p } = poller(2, (ids) => ids.includes("bad"));
      const settled = await Promise.allSettled([p.get("a"), p.get("b"), p.get("bad"), p.get("c")]);
      assert.deepEqual(
        settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message)),
        ["state-of-a", "state-of-b", "describe failed for bad,c", "describe failed for bad,c"],
      );
    });

    it("starts a new batch for gets issued after the previous one flushed", async () => {
      const { p, calls } = poller(10);
      await p.get("a");
      await p.get("a");
      assert.deepEqual(calls, [["a"], ["a"]]);
    });

    it("isolates a describe that throws synchronously to its own batch", async () => {
      let n = 0;
      const p = new BatchPoller<number>({
        batchSize: 1,
        describe: (ids) => {
          if (n++ === 0) throw new RangeError("sync");
          return Promise.resolve(new Map([[ids[0]!, 1]]));
        },
      });
      const settled = await Promise.allSettled([p.get("x"), p.get("y")]);
      assert.deepEqual(
        settled.map((s) => s.status),
        ["rejected", "fulfilled"],
      );
    });
  });
});

describe("core limiter with the waiter", () => {
  it("lets N waiting resources cost ceil(N / batchSize) describe calls per poll round", async () => {
    const clock = new ManualClock();
    let round = 0;
    const calls: number[] = [];
    const poller = new BatchPoller<string>({
      batchSize: 10,
      describe: (ids) => {
        calls.push(ids.length);
        return Promise.resolve(new Map(ids.map((id) => [id, round >= 2 ? "DONE" : "RUNNING"])));
      },
    });
    const waits = Array.from({ length: 25 }, (_, i) =>
      waitFor({
        poll: async () => (await poller.get(`t-${i}`)) ?? "GONE",
        status: (s) => s,
        acceptors: [{ verdict: "success", matches: (s) => s === "DONE" }],
        minDelayMs: 1000,
        maxDelayMs: 1000,
        timeoutMs: 60_000,
        clock,
        random: () => 0,
      }),
    );
    await clock.advance(0);
    assert.deepEqual(calls, [10, 10, 5]);
    round = 1;
    await clock.advance(1000);
    assert.equal(calls.length, 6);
    round = 2;
    await clock.advance(1000);
    const results = await Promise.all(waits);
    assert.deepEqual(calls, [10, 10, 5, 10, 10, 5, 10, 10, 5]);
    assert.deepEqual(
      new Set(results.map((r) => `${r.verdict}/${r.polls}`)),
      new Set(["success/3"]),
    );
  });
});

describe("CapacityGate", () => {
  /** The gate's current cap, measured by taking free slots until it is full (none queued). */
  function capacity(gate: CapacityGate): number {
    const taken: (() => void)[] = [];
    while (!gate.full) taken.push(gate.hold());
    const cap = gate.inUse;
    for (const release of taken) release();
    return cap;
  }

  it("admits everyone until the service refuses, then caps at the slots held and queues FIFO", async () => {
    const gate = new CapacityGate();
    const held = [await gate.acquire(), await gate.acquire(), await gate.acquire()];
    const refused = await gate.acquire();
    refused();
    gate.saturated(3);
    assert.deepEqual([gate.inUse, capacity(gate), gate.full, gate.over], [3, 3, true, false]);
    const order: string[] = [];
    const a = gate.acquire().then((r) => (order.push("a"), r));
    const b = gate.acquire().then((r) => (order.push("b"), r));
    await tick();
    assert.deepEqual(order, []);
    held[0]!();
    held[0]!(); // releasing twice frees one slot only
    await tick();
    assert.deepEqual([order, gate.inUse], [["a"], 3]);
    held[1]!();
    await Promise.all([a, b]);
    assert.deepEqual(order, ["a", "b"]);
  });

  it("caps at what this process holds when the quota is used elsewhere, and grows by one per start up to the quota", async () => {
    const gate = new CapacityGate();
    const one = await gate.acquire();
    gate.saturated(5);
    assert.equal(capacity(gate), 1);
    gate.started();
    gate.started();
    assert.equal(capacity(gate), 3);
    for (let i = 0; i < 5; i++) gate.started();
    assert.equal(capacity(gate), 5);
    one();
    gate.saturated(undefined);
    assert.equal(capacity(gate), 1, "never below one, so a refused caller can retry");
  });

  it("reports over-capacity holders, lets hold() take a slot without waiting, and drops an aborted waiter", async () => {
    const gate = new CapacityGate();
    const slots = [await gate.acquire(), await gate.acquire(), gate.hold()];
    gate.saturated(2);
    assert.equal(gate.over, true);
    const ctl = new AbortController();
    const waiting = gate.acquire(ctl.signal);
    ctl.abort(new Error("deadline"));
    await assert.rejects(waiting, /deadline/);
    slots[2]!();
    assert.deepEqual([gate.over, gate.inUse, gate.full], [false, 2, true]);
    slots[1]!();
    // Below the cap and not full: the aborted waiter left the queue.
    assert.deepEqual([gate.inUse, gate.full], [1, false]);
  });
});

describe("BatchPoller.ridingClock", () => {
  function recordingPoller(batchSize: number): { poller: BatchPoller<string>; calls: string[][] } {
    const calls: string[][] = [];
    const poller = new BatchPoller<string>({
      batchSize,
      describe: (ids) => {
        calls.push([...ids]);
        return Promise.resolve(new Map(ids.map((id) => [id, "seen"])));
      },
    });
    return { poller, calls };
  }

  it("wakes sleeping waits into a round with room, due soonest first, at no extra call", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(3);
    const riding = poller.ridingClock(clock);
    const woke: string[] = [];
    const waitThenGet = async (id: string, ms: number): Promise<void> => {
      await riding.sleep(ms);
      woke.push(`${id}@${clock.now()}`);
      await poller.get(id);
    };
    const waits = [waitThenGet("b", 5000), waitThenGet("c", 9000), waitThenGet("d", 7000)];
    await clock.advance(0);
    await poller.get("a");
    // Room for two more IDs: b (due at 5 s) and d (7 s) ride along; c sleeps on.
    assert.deepEqual(calls, [["a", "b", "d"]]);
    assert.deepEqual(woke, ["b@0", "d@0"]);
    await clock.advance(9000);
    await Promise.all(waits);
    assert.deepEqual(calls, [["a", "b", "d"], ["c"]]);
    assert.deepEqual(woke, ["b@0", "d@0", "c@9000"]);
  });

  it("wakes nobody when the round's last batch is full", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(2);
    const riding = poller.ridingClock(clock);
    let woke = false;
    const sleeping = riding.sleep(5000).then(() => (woke = true));
    await Promise.all([poller.get("a"), poller.get("b")]);
    assert.deepEqual(calls, [["a", "b"]]);
    assert.equal(woke, false);
    await clock.advance(5000);
    await sleeping;
    assert.deepEqual([woke, clock.now(), calls], [true, 5000, [["a", "b"]]]);
  });

  it("stretches each sleep to the next multiple of gridMs", async () => {
    const clock = new ManualClock({ start: 200 });
    const { poller } = recordingPoller(10);
    const sleeping = poller.ridingClock(clock, { gridMs: 1000 }).sleep(1500);
    await clock.advance(5000);
    await sleeping;
    assert.deepEqual(clock.sleeps, [1800]);
  });

  it("rejects with WaitAbortedError when the wait's own signal aborts", async () => {
    const clock = new ManualClock();
    const { poller } = recordingPoller(10);
    const controller = new AbortController();
    const sleeping = poller.ridingClock(clock).sleep(5000, controller.signal);
    controller.abort("cancelled");
    await assert.rejects(sleeping, (e: unknown) => isMigrationError(e, "WaitAbortedError"));
  });
});
