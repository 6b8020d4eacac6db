import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ManualClock } from "../../../support/manualClock";
import {
  type AwsApiError,
  isAwsApiError,
  isWaitAbortedError,
} from "../../../../provider/core/errors";
import { AdaptiveThrottle, backoffDelay, callAws } from "../../../../provider/core/retry";
import { rejection } from "../../../support/rejection";

function sdkError(name: string, status: number, message = "m"): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId: "r-9" },
  });
}

/** fn that throws the scripted errors in order, then returns "ok". */
function flaky(errors: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let i = 0;
  return {
    fn: () => {
      const e = errors[i++];
      return e === undefined ? Promise.resolve("ok") : Promise.reject(e);
    },
    calls: () => i,
  };
}

describe("core retry", () => {
  describe("AdaptiveThrottle", () => {
    it("spaces calls 1000 / rate ms apart on the clock", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const t = new AdaptiveThrottle({ clock, maxRate: 10 });
      await t.acquire();
      await t.acquire();
      await t.acquire();
      assert.deepEqual(clock.sleeps, [100, 100]);
    });

    it("halves the rate on each throttling error down to the floor, and recovers additively", () => {
      const t = new AdaptiveThrottle({ maxRate: 8, minRate: 0.5, increase: 1 });
      assert.equal(t.rate, 8);
      t.recordThrottle();
      assert.equal(t.rate, 4);
      for (let i = 0; i < 10; i++) t.recordThrottle();
      assert.equal(t.rate, 0.5);
      t.recordSuccess();
      t.recordSuccess();
      assert.equal(t.rate, 2.5);
      for (let i = 0; i < 20; i++) t.recordSuccess();
      assert.equal(t.rate, 8);
    });

    it("queues concurrent callers in order, each in its own slot", async () => {
      const clock = new ManualClock();
      const t = new AdaptiveThrottle({ clock, maxRate: 4 });
      const order: number[] = [];
      const all = Promise.all([1, 2, 3].map((n) => t.acquire().then(() => order.push(n))));
      await clock.advance(0);
      assert.deepEqual(order, [1]);
      await clock.advance(250);
      assert.deepEqual(order, [1, 2]);
      await clock.advance(250);
      await all;
      assert.deepEqual(order, [1, 2, 3]);
      // Only the head of the queue sleeps; the next one measures its gap once it is at the head.
      assert.deepEqual(clock.sleeps, [250, 250]);
    });

    it("lets queued callers through at the recovered rate, not at the rate they queued under", async () => {
      const clock = new ManualClock();
      const t = new AdaptiveThrottle({ clock, maxRate: 8, minRate: 0.5, increase: 1 });
      for (let i = 0; i < 10; i++) t.recordThrottle();
      assert.equal(t.rate, 0.5);
      const times: number[] = [];
      const all = Promise.all(
        [0, 1, 2, 3, 4].map(() => t.acquire().then(() => times.push(clock.now()))),
      );
      await clock.advance(0);
      // The storm is over: successes bring the rate to 8 calls/s while four callers still queue.
      for (let i = 0; i < 8; i++) t.recordSuccess();
      await clock.advance(2000);
      for (let i = 0; i < 3; i++) await clock.advance(125);
      await all;
      // Only the caller already sleeping kept the 2000 ms gap of 0.5 calls/s; slots reserved at
      // enqueue time would have been 0, 2000, 4000, 6000, 8000.
      assert.deepEqual(times, [0, 2000, 2125, 2250, 2375]);
    });

    it("a caller whose signal aborts leaves the queue at once without letting the next one jump ahead", async () => {
      const clock = new ManualClock();
      const t = new AdaptiveThrottle({ clock, maxRate: 4 });
      const ac = new AbortController();
      const events: string[] = [];
      const first = t.acquire().then(() => events.push("first"));
      const second = t.acquire().then(() => events.push("second"));
      const aborted = t.acquire(ac.signal).then(
        () => events.push("aborted: let through"),
        (e: unknown) => events.push(isWaitAbortedError(e) ? "aborted: WaitAbortedError" : "other"),
      );
      const last = t.acquire().then(() => events.push("last"));
      await clock.advance(0);
      ac.abort();
      await clock.advance(0);
      assert.deepEqual(events, ["first", "aborted: WaitAbortedError"]);
      await clock.advance(250);
      await clock.advance(250);
      await Promise.all([first, second, aborted, last]);
      assert.deepEqual(events, ["first", "aborted: WaitAbortedError", "second", "last"]);
      assert.deepEqual(clock.sleeps, [250, 250]);
    });
  });

  describe("callAws", () => {
    it("retries throttling with full-jitter backoff, then returns the result", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const throttle = new AdaptiveThrottle({ clock, maxRate: 1000, increase: 10 });
      const f = flaky([sdkError("ThrottlingException", 429), sdkError("ThrottlingException", 429)]);
      const out = await callAws(
        { service: "mgn", operation: "StartImport", clock, random: () => 0.5, throttle },
        f.fn,
      );
      assert.equal(out, "ok");
      assert.equal(f.calls(), 3);
      // 0.5 × 100, then 0.5 × 200: the backoffs outlast the throttle's slot spacing, so no extra sleeps.
      assert.deepEqual(clock.sleeps, [50, 100]);
      // 1000 → 500 → 250 calls/s on the two throttles, +10 on the success.
      assert.equal(throttle.rate, 260);
    });

    it("fails at once on a non-retryable error, after exactly one call", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const f = flaky([sdkError("ValidationException", 400, "name is too long")]);
      const err = await rejection(
        callAws({ service: "mgn", operation: "StartImport", clock }, f.fn),
      );
      assert.equal(f.calls(), 1);
      assert.deepEqual(clock.sleeps, []);
      assert.ok(isAwsApiError(err));
      const e = err;
      assert.deepEqual(
        [e.code, e.httpStatus, e.requestId, e.retryable, e.message],
        [
          "ValidationException",
          400,
          "r-9",
          false,
          "mgn StartImport failed: ValidationException (HTTP 400, request r-9): name is too long",
        ],
      );
    });

    it("gives up after maxAttempts with the last error and says how often it tried", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const f = flaky(
        Array.from({ length: 5 }, () => sdkError("InternalServerException", 500, "boom")),
      );
      const err = await rejection(
        callAws(
          { service: "ec2", operation: "ImportImage", clock, random: () => 1, maxAttempts: 3 },
          f.fn,
        ),
      );
      assert.equal(f.calls(), 3);
      assert.deepEqual(clock.sleeps, [100, 200]);
      const e = err as AwsApiError;
      assert.deepEqual(
        [e.kind, e.code, e.httpStatus, e.retryable],
        ["AwsApiError", "InternalServerException", 500, true],
      );
      assert.equal(
        e.message,
        "ec2 ImportImage failed: InternalServerException (HTTP 500, request r-9): boom. Still failing after 3 attempts; check the service health and run again.",
      );
    });

    it("defaults to 10 attempts with delays capped at maxDelayMs", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const f = flaky(Array.from({ length: 20 }, () => sdkError("SlowDown", 503)));
      const err = await rejection(
        callAws(
          { service: "s3", operation: "PutObject", clock, random: () => 1, maxDelayMs: 10_000 },
          f.fn,
        ),
      );
      assert.equal(f.calls(), 10);
      assert.deepEqual(clock.sleeps, [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
      assert.match(
        (err as Error).message,
        /Still throttled after 10 attempts; lower awsMigration:maxConcurrentStarts/,
      );
    });

    it("stops with WaitAbortedError when the signal aborts during a backoff", async () => {
      const clock = new ManualClock();
      const controller = new AbortController();
      const f = flaky([sdkError("ThrottlingException", 400)]);
      const caught = rejection(
        callAws(
          { service: "mgh", operation: "ImportMigrationTask", clock, signal: controller.signal },
          f.fn,
        ),
      );
      await clock.advance(0);
      controller.abort();
      const err = await caught;
      assert.ok(isWaitAbortedError(err));
      assert.equal(f.calls(), 1);
    });

    it("keeps every backoff delay within [0, min(maxDelay, base × 2^attempt)]", () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 2000 }),
          fc.integer({ min: 0, max: 10_000 }),
          fc.integer({ min: 0, max: 100_000 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (attempt, base, max, r) => {
            const d = backoffDelay(attempt, base, max, () => r);
            const bound = base === 0 ? 0 : base * 2 ** attempt;
            return d >= 0 && d <= max && d <= bound;
          },
        ),
      );
    });
  });
});
