/**
 * The lifecycle contract (STYLE.md §2): the same cases for every row of the table, in whichever
 * tier builds the worlds. A case a row marks not applicable is not registered (the row says why).
 */
import { strict as assert } from "node:assert";
import { isImportTaskFailedError, type ImportTaskFailedError } from "../../provider/core/errors";
import { rejection } from "../support/rejection";
import type { ContractRow } from "./resources";
import type { CaseName, World } from "./world";

const PROVIDER = "serialized-shim";

export function lifecycleContract(
  rows: readonly ContractRow[],
  world: (row: ContractRow) => Promise<World>,
  /** Cases this tier cannot make for a row, beyond the row's own. */
  tierNotApplicable: (row: ContractRow) => Partial<Record<CaseName, string>> | undefined = () =>
    undefined,
): void {
  for (const row of rows) {
    describe(row.type, () => {
      const it_ = (name: CaseName, title: string, fn: (w: World) => Promise<void>): void => {
        if (row.notApplicable[name] !== undefined) return;
        if (tierNotApplicable(row)?.[name] !== undefined) return;
        it(title, async () => fn(await world(row)));
      };
      const idOf = (id: string, outs: Record<string, unknown>): void => {
        if (row.idOutput !== undefined) assert.equal(outs[row.idOutput], id);
      };

      it_(
        "create waits",
        "create waits until the task is terminal and returns its outputs",
        async (w) => {
          const { id, outs } = await w.provider.create(w.inputs("completes"));
          idOf(id, outs);
          assert.equal(outs[row.statusOutput], row.doneStatus);
          assert.deepEqual(await w.tasks(), [id]);
        },
      );

      it_(
        "interrupted create adopts",
        "a create re-run after its process died past the start adopts the same task",
        async (w) => {
          const inputs = w.inputs("completes");
          await w.dieAfterStart(inputs);
          const [started] = await w.tasks();
          assert.ok(started !== undefined, "the dead process's start reached AWS");
          const { id, outs } = await w.provider.create(inputs);
          assert.equal(id, started);
          idOf(id, outs);
          assert.deepEqual(await w.tasks(), [id], "exactly one task was started");
        },
      );

      it_(
        "failed create records its ID",
        "a failed create throws ImportTaskFailedError carrying the ID and properties with __provider",
        async (w) => {
          const err = await rejection(w.provider.create(w.inputs("fails")));
          assert.ok(isImportTaskFailedError(err), String(err));
          assert.deepEqual(await w.tasks(), [err.id]);
          idOf(err.id, err.properties);
          assert.equal(err.properties["__provider"], PROVIDER);
          assert.equal(err.reasons.length, 1);
        },
      );

      it_(
        "lost start answer is this create's failure",
        "a start whose answer was lost, for a task that failed at once, fails this create: no second task",
        async (w) => {
          w.loseNextStartAnswer();
          const err = await rejection(w.provider.create(w.inputs("failsAtOnce")));
          const tasks = await w.tasks();
          assert.equal(tasks.length, 1, `one task, not a successor: ${tasks.join(", ")}`);
          assert.ok(isImportTaskFailedError(err), String(err));
          assert.equal(err.id, tasks[0]);
          idOf(err.id, err.properties);
          assert.equal(err.properties["__provider"], PROVIDER);
        },
      );

      it_(
        "update resumes",
        "update after a timed-out create resumes the wait, with no second start",
        async (w) => {
          const inputs = w.inputs("runs");
          const impatient = await w.impatient();
          const err = (await rejection(impatient.create(inputs))) as ImportTaskFailedError;
          assert.ok(isImportTaskFailedError(err), String(err));
          assert.equal(err.properties["__provider"], PROVIDER);
          await w.complete(err.id);
          const { outs } = await w.provider.update(err.id, err.properties, inputs);
          idOf(err.id, outs);
          assert.equal(outs[row.statusOutput], row.doneStatus);
          assert.deepEqual(await w.tasks(), [err.id]);
        },
      );

      it_("read drops a gone task", "read drops a task that is gone (returns {})", async (w) => {
        const { id, outs } = await w.provider.create(w.inputs("completes"));
        await w.remove(id);
        assert.deepEqual(await w.provider.read(id, outs), {});
      });

      it_(
        "delete retains",
        "delete with retainOnDelete (or by default where delete keeps the task) makes no AWS call",
        async (w) => {
          const { id, outs } = await w.provider.create(w.inputs("completes", row.retainInputs));
          const before = await w.calls();
          await w.provider.delete(id, outs);
          assert.equal(await w.calls(), before);
          assert.deepEqual(await w.tasks(), [id]);
        },
      );
    });
  }
}
