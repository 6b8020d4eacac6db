import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { createProvider } from "../../../../provider/migrationhub/progressUpdateStreamProvider";
import { createRuntime } from "../../../../provider/core/runtime";

describe("core dynamic", () => {
  it("a provider's operations work detached from it, as the host calls them", async () => {
    const { configure, check } = createProvider();
    await configure({ config: { get: (k) => (k === "aws:region" ? "eu-west-1" : undefined) } });
    const { failures } = await check({}, { progressUpdateStreamName: "" });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["progressUpdateStreamName"],
    );
  });
});

describe("core runtime", () => {
  it("defaults to 5 concurrent starts and a fresh throttle", () => {
    const rt = createRuntime();
    assert.equal(rt.startLimiter.max, 5);
    assert.equal(rt.throttle.rate, 50);
    assert.deepEqual(rt.settings, { endpoints: {} });
    assert.equal(rt.random, Math.random);
  });

  it("sizes the start limiter from settings and keeps overrides", () => {
    const clock = new ManualClock();
    const rt = createRuntime({ settings: { endpoints: {}, maxConcurrentStarts: 2 }, clock });
    assert.equal(rt.startLimiter.max, 2);
    assert.equal(rt.clock, clock);
  });
});
