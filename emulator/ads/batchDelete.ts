import type { JsonObject, OperationContext } from "../core/service";
import { bool, strs } from "../core/validated";
import { adsState, QUOTAS, requireHomeRegion } from "./models";

/** BatchDeleteImportData: removes an import's records (and its history if asked), after it ends. */

const DAY_MS = 24 * 3600 * 1000;

export function batchDeleteImportData(ctx: OperationContext, input: JsonObject): JsonObject {
  // Deletes are allowed outside the home region (§3.7 lists delete with the reads).
  requireHomeRegion(ctx, false);
  // The model requires 1-10 IDs of the import-task pattern (model.generated.ts).
  const ids = strs(input, "importTaskIds") ?? [];
  const deleteHistory = bool(input, "deleteHistory") === true;
  const s = adsState(ctx);
  const now = ctx.clock.now();
  const errors: JsonObject[] = [];
  for (const id of [...new Set(ids)]) {
    const task = s.tasks[id];
    if (!task) {
      errors.push({
        importTaskId: id,
        errorCode: "NOT_FOUND",
        errorDescription: `The import task ${id} was not found.`,
      });
      continue;
    }
    // A task being (or already) deleted keeps that deletion; asking again is accepted. Only a
    // deletion that ended over the daily quota may be retried.
    const prior = task.delete;
    if (prior && !(prior.applied && prior.outcome === "DELETE_FAILED_LIMIT_EXCEEDED")) continue;
    // AWS documents nothing for an import still in progress. Imports and their deletion run in
    // order, so the deletion is queued behind the import and starts when it ends.
    const startMs = Math.max(now, task.endMs);
    const deletedToday = s.deletions
      .filter((d) => d.atMs > startMs - DAY_MS)
      .reduce((n, d) => n + d.records, 0);
    // §1.8: 25,000 deleted records per day; over it the task ends DELETE_FAILED_LIMIT_EXCEEDED.
    const outcome =
      deletedToday + task.records > QUOTAS.deletedRecordsPerDay
        ? "DELETE_FAILED_LIMIT_EXCEEDED"
        : "DELETE_COMPLETE";
    const durationMs = 5_000 + ctx.random.int(10_001) + Math.min(60_000, task.records * 5);
    task.delete = {
      requestedMs: now,
      startMs,
      endMs: startMs + durationMs,
      outcome,
      history: deleteHistory,
      applied: false,
    };
    // Counted when accepted, so two deletions in flight cannot both squeeze under the quota.
    if (outcome === "DELETE_COMPLETE") s.deletions.push({ atMs: startMs, records: task.records });
    ctx.markDirty();
  }
  return errors.length > 0 ? { errors } : {};
}
