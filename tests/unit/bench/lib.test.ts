import { strict as assert } from "node:assert";
import {
  CDK_MAX_RETRIES,
  CDK_SCHEDULE,
  PEERS,
  sdkWaiterSchedule,
  TERRAFORM_SCHEDULE,
} from "../../../bench/lib/schedules";
import { simulateOurs } from "../../../bench/lib/oursSim";
import { simulatePeer } from "../../../bench/lib/sim";
import { median, percentile, spread, summarize } from "../../../bench/lib/stats";

describe("bench statistics", () => {
  it("percentile is nearest-rank on sorted values", () => {
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.deepEqual(
      [0, 10, 50, 51, 95, 100].map((p) => percentile(v, p)),
      [1, 1, 5, 6, 10, 10],
    );
    assert.equal(percentile([42], 50), 42);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it("summarize sorts and reports p50, p95 and max", () => {
    assert.deepEqual(summarize([30, 10, 20]), { p50: 20, p95: 30, max: 30 });
  });

  it("median takes the middle value, or the mean of the middle two", () => {
    assert.deepEqual([median([3, 1, 2]), median([4, 1, 3, 2]), median([7])], [2, 2.5, 7]);
    assert.ok(Number.isNaN(median([])));
  });

  it("spread ignores null and NaN and is NaN throughout for no values", () => {
    assert.deepEqual(spread([2.5, null, 1, NaN, 4]), { min: 1, median: 2.5, max: 4 });
    assert.deepEqual(spread([null]), { min: NaN, median: NaN, max: NaN });
  });
});

describe("peer models", () => {
  const half = (): number => 0.5;

  it("Terraform StateChangeConf: first sleep 200 ms (100 ms doubled before it), doubling, capped at 10 s", () => {
    assert.deepEqual(
      Array.from({ length: 9 }, (_, k) => TERRAFORM_SCHEDULE.delayMs(k, half)),
      [200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000],
    );
  });

  it("Terraform with -parallelism=10 differs only in its parallelism", () => {
    assert.equal(PEERS["terraform-p10"].parallelism, 10);
    assert.equal(PEERS.terraform.parallelism, undefined);
    assert.equal(PEERS["terraform-p10"].schedule, PEERS.terraform.schedule);
  });

  it("CDK Provider: fixed 5 s; with its 30-minute totalTimeout, 360 retries", () => {
    assert.deepEqual(
      [0, 1, 50].map((k) => CDK_SCHEDULE.delayMs(k, half)),
      [5000, 5000, 5000],
    );
    assert.equal(CDK_MAX_RETRIES, 360);
    assert.equal(PEERS["cdk-30min"].maxRetries, 360);
    assert.equal(PEERS.cdk.maxRetries, undefined);
  });

  it("SDK waiter schedule follows util-waiter: jitter in [min, min·2^(a-1)], then max", () => {
    const s = sdkWaiterSchedule(15, 120);
    assert.deepEqual(
      Array.from({ length: 6 }, (_, k) => s.delayMs(k, () => 1)),
      [15_000, 30_000, 60_000, 120_000, 120_000, 120_000],
    );
    assert.deepEqual(
      Array.from({ length: 5 }, (_, k) => s.delayMs(k, () => 0)),
      [15_000, 15_000, 15_000, 15_000, 120_000],
    );
  });
});

describe("peer simulation", () => {
  const open = {
    start: { ratePerSecond: 1, burst: 1 },
    describe: { ratePerSecond: 100, burst: 100 },
  };
  const cdk = { schedule: CDK_SCHEDULE };

  it("paces starts at the start API's rate, polls at once and then on schedule, until it sees the end", () => {
    // Task 0 starts at 0 and ends at 12 s: polls at 0, 5, 10, 15 s. Task 1 starts at 1 s, 0-long.
    const out = simulatePeer([12_000, 0], cdk, open, () => 0);
    assert.deepEqual(out, {
      calls: [4, 1],
      throttles: 0,
      lagsMs: [3000, 0],
      failed: 0,
      endMs: 15_000,
    });
  });

  it("counts a throttled poll as a call and retries at the next tick", () => {
    // Burst 1, one token per 10 s: task 1's first poll (at its start, 1 s) is throttled.
    const out = simulatePeer(
      [0, 0],
      cdk,
      { ...open, describe: { ratePerSecond: 0.1, burst: 1 } },
      () => 0,
    );
    assert.deepEqual(out, {
      calls: [1, 3],
      throttles: 2,
      lagsMs: [0, 10_000],
      failed: 0,
      endMs: 11_000,
    });
  });

  it("with a parallelism, starts a task only when a slot frees", () => {
    // One slot: task 1 starts when task 0's resource settles at 5 s (its 2nd poll).
    const out = simulatePeer([4000, 0], { ...cdk, parallelism: 1 }, open, () => 0);
    assert.deepEqual(out, {
      calls: [2, 1],
      throttles: 0,
      lagsMs: [1000, 0],
      failed: 0,
      endMs: 5000,
    });
  });

  it("with maxRetries, fails a resource after that many polls past the first", () => {
    const out = simulatePeer([60_000, 1000], { ...cdk, maxRetries: 2 }, open, () => 0);
    assert.deepEqual(out.calls, [3, 2]);
    assert.equal(out.failed, 1);
    assert.ok(Number.isNaN(out.lagsMs[0]));
    assert.equal(out.lagsMs[1], 4000);
  });
});

describe("bench simulation of our scheduler (simulateOurs)", () => {
  const poll = { minDelayMs: 1000, maxDelayMs: 4000, gridMs: 1000 };
  const oneASecond = { ratePerSecond: 1, burst: 1 };

  it("a lone wait polls at once, then after its backoff's ceilings 1, 2, 4 s; calls before the wait count", async () => {
    // Polls at 0, 1, 3, 7 s; the task ends at 5 s. One marker lookup before the wait.
    const out = await simulateOurs([5000], { poll, batchSize: 10, callsBeforeWait: 1 }, oneASecond);
    assert.deepEqual(out, { callsPerTask: 5, lagsMs: [2000], endMs: 7000 });
  });

  it("two waits share a round every shareMs / 2 once their own first delays have run", async () => {
    // Task 0 starts at 0, task 1 at 1 s (paced); both run 9 s. Rounds at 0 (task 0's first poll),
    // 1 s (task 1's first poll with task 0's own 1 s delay), 2 s (task 1's own 1 s delay, task 0
    // riding along), then shared rounds every 4 s / 2 = 2 s: at 4, 6, 8 and 10 s.
    const out = await simulateOurs(
      [9000, 9000],
      { poll: { ...poll, maxDelayMs: 8000, shareMs: 4000 }, batchSize: 10, callsBeforeWait: 0 },
      oneASecond,
    );
    assert.deepEqual(out, { callsPerTask: 3.5, lagsMs: [1000, 0], endMs: 10_000 });
  });
});
