import { strict as assert } from "node:assert";
import { chooseTaskDuration, type TaskDurationOption } from "../../../emulator/core/taskDuration";

describe("emulator core", () => {
  describe("chooseTaskDuration", () => {
    const task = { service: "ads", id: "import-task-1", startedMs: 5_000 };

    it("keeps the seeded duration when no option is set, or the option returns undefined", () => {
      assert.deepEqual(chooseTaskDuration(undefined, task, 12_345), { ms: 12_345, chosen: false });
      assert.deepEqual(
        chooseTaskDuration(() => undefined, task, 12_345),
        { ms: 12_345, chosen: false },
      );
    });

    it("returns the option's duration, chosen, and calls it once with the task", () => {
      const calls: unknown[] = [];
      const option: TaskDurationOption = (t) => {
        calls.push(t);
        return 0;
      };
      assert.deepEqual(chooseTaskDuration(option, task, 12_345), { ms: 0, chosen: true });
      assert.deepEqual(calls, [task]);
    });

    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, null]) {
      it(`refuses ${String(bad)} from the option, naming the task`, () => {
        assert.throws(
          () => chooseTaskDuration(() => bad as number, task, 12_345),
          (err: unknown) =>
            err instanceof RangeError &&
            err.message ===
              `taskDurationMs must return a finite number >= 0 or undefined, got ${String(bad)} for ads import-task-1`,
        );
      });
    }
  });
});
