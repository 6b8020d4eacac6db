import { strict as assert } from "node:assert";
import { CDK_STYLE, sdkWaiterSchedule, TERRAFORM_STYLE } from "../../../bench/lib/schedules";
import { simulatePerResource } from "../../../bench/lib/sim";
import { percentile, summarize } from "../../../bench/lib/stats";

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
});

describe("peer poll schedules", () => {
  const noRandom = (): number => 0.5;

  it("Terraform-style: 100 ms doubling, capped at 10 s, no jitter", () => {
    assert.deepEqual(
      Array.from({ length: 10 }, (_, k) => TERRAFORM_STYLE.delayMs(k, noRandom)),
      [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000],
    );
  });

  it("CDK-style: fixed 5 s", () => {
    assert.deepEqual(
      [0, 1, 50].map((k) => CDK_STYLE.delayMs(k, noRandom)),
      [5000, 5000, 5000],
    );
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

describe("per-resource poll simulation", () => {
  it("counts polls until the first one at or after the terminal time, and the lag", () => {
    const out = simulatePerResource(
      [
        { startMs: 0, terminalMs: 12_000 },
        { startMs: 1000, terminalMs: 1000 },
      ],
      CDK_STYLE,
      { ratePerSecond: 100, burst: 100 },
      () => 0,
    );
    // Task 0 polls at 0, 5, 10, 15 s; task 1 at once finds it done.
    assert.deepEqual(out, { calls: [4, 1], throttles: 0, lagsMs: [3000, 0] });
  });

  it("a throttled poll counts as a call and retries at the next tick", () => {
    // Burst 1, one token per 10 s: the second task's first poll is throttled.
    const out = simulatePerResource(
      [
        { startMs: 0, terminalMs: 0 },
        { startMs: 0, terminalMs: 0 },
      ],
      CDK_STYLE,
      { ratePerSecond: 0.1, burst: 1 },
      () => 0,
    );
    assert.deepEqual(out, { calls: [1, 3], throttles: 2, lagsMs: [0, 10_000] });
  });
});
