import { strict as assert } from "node:assert";
import fc from "fast-check";
import { backoffDelay } from "../../../../provider/core/retry";
import { ManualClock } from "../../../support/manualClock";
import {
  ImportTaskFailedError,
  isAwsApiError,
  isWaitAbortedError,
  isWaiterTimeoutError,
} from "../../../../provider/core/errors";
import {
  summarizeObserved,
  waitFor,
  type Acceptor,
  type WaitSpec,
} from "../../../../provider/core/waiter";
import { rejection } from "../../../support/rejection";

interface Obs {
  status: string;
}

const done: Acceptor<Obs> = { verdict: "success", matches: (o) => o.status === "DONE" };
const failed: Acceptor<Obs> = { verdict: "failure", matches: (o) => o.status.startsWith("FAILED") };

/** A poll that returns the scripted statuses in order (the last one repeats), or throws scripted errors. */
function script(steps: Array<string | Error>): { poll: () => Promise<Obs>; calls: () => number } {
  let i = 0;
  return {
    poll: () => {
      const step = steps[Math.min(i, steps.length - 1)]!;
      i++;
      return step instanceof Error ? Promise.reject(step) : Promise.resolve({ status: step });
    },
    calls: () => i,
  };
}

function spec(
  clock: ManualClock,
  steps: Array<string | Error>,
  extra?: Partial<WaitSpec<Obs>>,
): WaitSpec<Obs> {
  return {
    poll: script(steps).poll,
    status: (o) => o.status,
    acceptors: [done, failed],
    minDelayMs: 1000,
    maxDelayMs: 8000,
    timeoutMs: 60_000,
    clock,
    random: () => 0.5,
    ...extra,
  };
}

function awsError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId: "req-1" },
  });
}

describe("core waiter", () => {
  describe("waitFor", () => {
    it("polls at once, then sleeps min + random × (min(max, min × 2^attempt) − min) between polls", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const result = await waitFor(
        spec(clock, ["RUNNING", "RUNNING", "RUNNING", "RUNNING", "DONE"]),
      );
      assert.deepEqual(clock.sleeps, [1000, 1500, 2500, 4500]);
      assert.deepEqual(result, {
        verdict: "success",
        last: { status: "DONE" },
        polls: 5,
        observed: ["RUNNING", "RUNNING", "RUNNING", "RUNNING", "DONE"],
        elapsedMs: 9500,
        retriedErrors: 0,
        acceptor: done,
      });
    });

    it("makes the first poll before any time passes", async () => {
      const clock = new ManualClock({ start: 5_000 });
      const s = script(["RUNNING", "DONE"]);
      const waiting = waitFor({ ...spec(clock, []), poll: s.poll });
      await clock.advance(0);
      assert.equal(s.calls(), 1);
      assert.deepEqual(clock.sleeps, [1000]);
      await clock.advance(999);
      assert.equal(s.calls(), 1);
      await clock.advance(1);
      const result = await waiting;
      assert.equal(s.calls(), 2);
      assert.equal(result.elapsedMs, 1000);
      assert.equal(clock.now(), 6_000);
    });

    it("returns a failure verdict with the last observation when a failure acceptor matches", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const result = await waitFor(spec(clock, ["RUNNING", "FAILED_VALIDATION"]));
      assert.equal(result.verdict, "failure");
      assert.deepEqual(result.last, { status: "FAILED_VALIDATION" });
      assert.equal(result.acceptor, failed);
      assert.equal(result.polls, 2);
    });

    it("checks acceptors in order, so the first matching one decides", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const first: Acceptor<Obs> = { verdict: "failure", matches: () => true };
      const result = await waitFor({ ...spec(clock, ["DONE"]), acceptors: [first, done] });
      assert.equal(result.verdict, "failure");
      assert.equal(result.acceptor, first);
    });

    it("cuts the last sleep so a final poll lands at the deadline, then throws WaiterTimeoutError", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const s = script(["QUEUED", "QUEUED", "RUNNING"]);
      const err = await rejection(waitFor({ ...spec(clock, []), poll: s.poll, timeoutMs: 20_000 }));
      assert.deepEqual(clock.sleeps, [1000, 1500, 2500, 4500, 4500, 4500, 1500]);
      assert.equal(clock.now(), 20_000);
      assert.equal(s.calls(), 8);
      assert.ok(isWaiterTimeoutError(err));
      const e = err;
      assert.deepEqual(
        { elapsedMs: e.elapsedMs, limitMs: e.limitMs, observed: e.observed, kind: e.kind },
        {
          elapsedMs: 20_000,
          limitMs: 20_000,
          observed: [
            "QUEUED",
            "QUEUED",
            "RUNNING",
            "RUNNING",
            "RUNNING",
            "RUNNING",
            "RUNNING",
            "RUNNING",
          ],
          kind: "WaiterTimeoutError",
        },
      );
      assert.equal(
        e.message,
        "the task is still RUNNING after 20s (limit 20s; observed QUEUED×2, RUNNING×6). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting.",
      );
    });

    // 15 s, 22.5 s, 37.5 s, 67.5 s, then 67.5 s (the 120 s cap × 0.5 jitter) ×51 and a cut 15 s: 57 polls.
    it("names the subject in the timeout message and counts minutes for long waits", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const err = await rejection(
        waitFor({
          ...spec(clock, ["IMPORT_IN_PROGRESS"]),
          minDelayMs: 15_000,
          maxDelayMs: 120_000,
          timeoutMs: 3_600_000,
          subject: 'ads.ImportTask "servers-q3"',
        }),
      );
      assert.equal(
        (err as Error).message,
        'ads.ImportTask "servers-q3" is still IMPORT_IN_PROGRESS after 60 min (limit 60 min; observed IMPORT_IN_PROGRESS×57). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting.',
      );
    });

    it("reports elapsed time and the limit from sinceMs when the budget began before the wait", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const since = clock.now();
      await clock.sleep(50_000); // e.g. a start queued behind a quota for 50 s of a 60 s budget
      const err = await rejection(
        waitFor(spec(clock, ["RUNNING"], { timeoutMs: 10_000, sinceMs: since })),
      );
      assert.ok(isWaiterTimeoutError(err));
      assert.deepEqual(
        { elapsedMs: err.elapsedMs, limitMs: err.limitMs },
        { elapsedMs: 60_000, limitMs: 60_000 },
      );
      assert.equal(
        err.message,
        "the task is still RUNNING after 60s (limit 60s; observed RUNNING×6). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting.",
      );
    });

    it("polls exactly once and times out at once when the timeout is 0", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const err = await rejection(waitFor(spec(clock, ["RUNNING"], { timeoutMs: 0 })));
      assert.ok(isWaiterTimeoutError(err));
      assert.deepEqual(clock.sleeps, []);
      assert.deepEqual(err.observed, ["RUNNING"]);
    });

    it("counts retryable poll errors (throttling, 5xx, network), backs off and keeps polling", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const result = await waitFor(
        spec(clock, [
          awsError("ThrottlingException", 400, "Rate exceeded"),
          "RUNNING",
          awsError("InternalServerException", 500, "oops"),
          Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
          "DONE",
        ]),
      );
      assert.deepEqual(clock.sleeps, [1000, 1500, 2500, 4500]);
      assert.equal(result.retriedErrors, 3);
      assert.equal(result.polls, 5);
      assert.deepEqual(result.observed, ["RUNNING", "DONE"]);
    });

    it("fails at once with an AwsApiError on a non-retryable poll error, without sleeping", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const s = script([awsError("AccessDeniedException", 403, "User is not authorized")]);
      const err = await rejection(
        waitFor({ ...spec(clock, []), poll: s.poll, service: "mgn", operation: "ListImports" }),
      );
      assert.equal(s.calls(), 1);
      assert.deepEqual(clock.sleeps, []);
      assert.ok(isAwsApiError(err));
      const e = err;
      assert.deepEqual(
        [e.service, e.operation, e.code, e.httpStatus, e.requestId, e.retryable, e.throttling],
        ["mgn", "ListImports", "AccessDeniedException", 403, "req-1", false, false],
      );
      assert.equal(
        e.message,
        "mgn ListImports failed: AccessDeniedException (HTTP 403, request req-1): User is not authorized. Grant the calling identity permission for ListImports on mgn, then run again.",
      );
    });

    it("passes the library's own errors from poll through unchanged", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const own = new ImportTaskFailedError({ id: "t-1", properties: {}, reasons: ["gone"] });
      const err = await rejection(waitFor(spec(clock, [own])));
      assert.equal(err, own);
    });

    it("reports each observation with its poll number", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const seen: Array<[string, number]> = [];
      await waitFor(
        spec(clock, ["A", "B", "DONE"], { onObservation: (o, n) => seen.push([o.status, n]) }),
      );
      assert.deepEqual(seen, [
        ["A", 1],
        ["B", 2],
        ["DONE", 3],
      ]);
    });

    it("stops with WaitAbortedError when the signal aborts during a sleep", async () => {
      const clock = new ManualClock();
      const controller = new AbortController();
      const s = script(["RUNNING"]);
      const waiting = waitFor({
        ...spec(clock, []),
        poll: s.poll,
        signal: controller.signal,
        subject: 'mgn.ImportTask "wave-1"',
      });
      const caught = rejection(waiting);
      await clock.advance(1000);
      assert.equal(s.calls(), 2);
      controller.abort();
      const err = await caught;
      assert.ok(isWaitAbortedError(err));
      assert.equal(
        (err as Error).message,
        'mgn.ImportTask "wave-1" was aborted: This operation was aborted (observed RUNNING×2). The AWS task, if started, keeps running; run `pulumi up` again to resume waiting.',
      );
      assert.equal(clock.pendingSleeps, 0);
    });

    it("does not poll at all when the signal is already aborted", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const s = script(["DONE"]);
      const controller = new AbortController();
      controller.abort("deployment cancelled");
      const err = await rejection(
        waitFor({ ...spec(clock, []), poll: s.poll, signal: controller.signal }),
      );
      assert.ok(isWaitAbortedError(err));
      assert.equal(s.calls(), 0);
      assert.match((err as Error).message, /^the wait was aborted: deployment cancelled\. /);
    });

    it("refuses a maxDelayMs below minDelayMs with an InputValidationError", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const err = await rejection(
        waitFor(spec(clock, ["DONE"], { minDelayMs: 5000, maxDelayMs: 100 })),
      );
      assert.deepEqual(
        { kind: (err as { kind: string }).kind, message: (err as Error).message },
        {
          kind: "InputValidationError",
          message:
            "maxDelayMs must be >= minDelayMs 5000 (got 100). Fix: raise maxDelayMs or lower minDelayMs.",
        },
      );
    });
  });

  describe("summarizeObserved", () => {
    it("collapses runs of the same status", () => {
      assert.equal(summarizeObserved(["A", "A", "A", "B"]), "A×3, B");
      assert.equal(summarizeObserved(["A", "B", "A"]), "A, B, A");
      assert.equal(summarizeObserved([]), "");
    });
  });

  describe("backoff properties", () => {
    const delays = fc
      .record({
        min: fc.integer({ min: 0, max: 60_000 }),
        extra: fc.integer({ min: 0, max: 600_000 }),
        attempt: fc.integer({ min: 0, max: 2000 }),
        r: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ min, extra, attempt, r }) => ({ min, max: min + extra, attempt, r }));

    it("keeps every delay within [minDelay, maxDelay]", () => {
      fc.assert(
        fc.property(delays, ({ min, max, attempt, r }) => {
          const d = backoffDelay(attempt, min, max, () => r, min);
          return d >= min && d <= max;
        }),
      );
    });

    it("never sleeps beyond the deadline, and only the last sleep may be shorter than minDelay", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 5_000 }),
          fc.integer({ min: 0, max: 50_000 }),
          fc.integer({ min: 0, max: 300_000 }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
          async (min, extra, timeoutMs, randoms) => {
            const clock = new ManualClock({ autoAdvance: true });
            let i = 0;
            const err = await rejection(
              waitFor({
                poll: () => Promise.resolve({ status: "RUNNING" }),
                status: (o: Obs) => o.status,
                acceptors: [done],
                minDelayMs: min,
                maxDelayMs: min + extra,
                timeoutMs,
                clock,
                random: () => randoms[i++ % randoms.length]!,
              }),
            );
            const total = clock.sleeps.reduce((a, b) => a + b, 0);
            assert.ok(isWaiterTimeoutError(err));
            assert.ok(Math.abs(total - timeoutMs) < 1e-6, `slept ${total}, deadline ${timeoutMs}`);
            assert.ok(clock.sleeps.every((d) => d <= min + extra));
            assert.ok(clock.sleeps.slice(0, -1).every((d) => d >= min));
          },
        ),
        { numRuns: 200 },
      );
    });
  });
});
