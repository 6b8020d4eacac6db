import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { isWaitAbortedError } from "../../../../provider/core/errors";

describe("core clock", () => {
  describe("ManualClock", () => {
    it("records every sleep and wakes sleepers in deadline order as time advances", async () => {
      const clock = new ManualClock({ start: 100 });
      const woke: string[] = [];
      const a = clock.sleep(300).then(() => woke.push(`a@${clock.now()}`));
      const b = clock.sleep(100).then(() => woke.push(`b@${clock.now()}`));
      await clock.advance(150);
      assert.deepEqual(woke, ["b@200"]);
      assert.equal(clock.now(), 250);
      await clock.advance(150);
      await Promise.all([a, b]);
      assert.deepEqual(woke, ["b@200", "a@400"]);
      assert.deepEqual(clock.sleeps, [300, 100]);
    });

    it("wakes a sleep started by woken code within the same advance", async () => {
      const clock = new ManualClock();
      const times: number[] = [];
      const chain = (async () => {
        await clock.sleep(10);
        times.push(clock.now());
        await clock.sleep(10);
        times.push(clock.now());
      })();
      await clock.advance(25);
      await chain;
      assert.deepEqual(times, [10, 20]);
      assert.equal(clock.now(), 25);
    });

    it("with autoAdvance, moves time by each sleep at once", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      await clock.sleep(1000);
      await clock.sleep(500);
      assert.equal(clock.now(), 1500);
      assert.deepEqual(clock.sleeps, [1000, 500]);
    });

    it("rejects a sleep with WaitAbortedError when its signal aborts", async () => {
      const clock = new ManualClock();
      const controller = new AbortController();
      const sleeping = clock.sleep(1000, controller.signal);
      controller.abort();
      await assert.rejects(sleeping, (e: unknown) => isWaitAbortedError(e));
      assert.equal(clock.pendingSleeps, 0);
      await assert.rejects(clock.sleep(1, controller.signal), (e: unknown) =>
        isWaitAbortedError(e),
      );
    });
  });
});
