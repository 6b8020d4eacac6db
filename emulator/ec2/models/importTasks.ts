import type { OperationContext, QueryParams } from "../../core/service";
import {
  cannotCancel,
  conversionTaskMalformed,
  conversionTaskNotFound,
  idempotentMismatch,
  invalidFilter,
} from "../errors";
import { Params } from "../params";
import { validation } from "./disks";
import {
  type DiskRecord,
  fingerprint,
  nextTokenFor,
  offsetOf,
  RETENTION_MS,
  TEARDOWN_MS,
} from "./state";

/**
 * The life cycle ImportImage and ImportSnapshot tasks share, written once: seeded stages on the
 * emulated clock (scaled to EmulatorOptions.taskDurationMs when it chooses a total), disk
 * validation when the validating stage ends, `completed` at the last stage's end (the family's
 * `finish` registers what the import leaves behind), `deleting` → `deleted` after a cancel or a
 * bad disk, 7-day retention after the end, and the Describe*Tasks / CancelImportTask operations.
 * Each family is a spec (`ImportTaskFamily`) beside its own view and start call.
 */

export interface Stage {
  /** The task's StatusMessage while in this stage. */
  readonly message: string;
  readonly progress: number;
  readonly minSec: number;
  readonly maxSec: number;
}

/** What both import-task records carry. */
export interface ImportTaskRecord {
  id: string;
  seq: number;
  createdMs: number;
  disks: DiskRecord[];
  /** Cumulative ms from createdMs to the end of each stage. */
  stageEnds: number[];
  /** Recorded at the end of `validating`: the failure message, or the disk sizes in bytes. */
  validation?: { problem?: string; sizes: number[] };
  cancel?: { atMs: number; reason?: string };
}

export type ImportTaskStatus = "active" | "completed" | "deleting" | "deleted";

export interface ImportPhase {
  status: ImportTaskStatus;
  statusMessage?: string;
  progress?: number;
  /** When the task ended (completed or deleted). */
  endMs?: number;
}

export interface ImportTaskFamily<T extends ImportTaskRecord> {
  /** Task ID prefix, e.g. `import-ami`. */
  readonly prefix: string;
  readonly stages: readonly Stage[];
  /** Index of the stage whose end decides whether the disks are acceptable. */
  readonly validatingStage: number;
  /** Older task IDs were 8 alphanumerics (import-ami-fgxn195v), current ones 17 hex digits. */
  readonly idPattern: RegExp;
  /** This family's tasks in state (created on first use). */
  tasks(ctx: OperationContext): Record<string, T>;
  /** Registers what the import leaves behind, the first time the task is seen completed. */
  finish(ctx: OperationContext, t: T, doneAt: number): void;
}

/** A new task's ID and stage ends: seeded durations, then scaled to taskDurationMs if chosen. */
export function seedTask(
  ctx: OperationContext,
  family: ImportTaskFamily<ImportTaskRecord>,
): { id: string; stageEnds: number[] } {
  const stageEnds: number[] = [];
  let total = 0;
  for (const stage of family.stages) {
    total += Math.round(ctx.random.between(stage.minSec, stage.maxSec)) * 1000;
    stageEnds.push(total);
  }
  const id = `${family.prefix}-${ctx.random.hex(17)}`;
  const chosen = ctx.taskDuration(id, total);
  if (chosen.chosen) {
    // Every stage keeps its seeded share of the chosen total.
    for (let i = 0; i < stageEnds.length; i++)
      stageEnds[i] = Math.round((stageEnds[i]! * chosen.ms) / total);
  }
  return { id, stageEnds };
}

/**
 * ClientToken idempotency: the task an earlier call with this token started (undefined if none,
 * or if it has aged out), or IdempotentParameterMismatch when the parameters differ.
 */
export function priorTask<T>(
  tokens: Record<string, { taskId: string; fingerprint: string }>,
  tasks: Record<string, T>,
  clientToken: string | undefined,
  params: QueryParams,
): T | undefined {
  if (clientToken === undefined) return undefined;
  const prior = tokens[clientToken];
  if (!prior) return undefined;
  if (prior.fingerprint !== fingerprint(params)) throw idempotentMismatch();
  return tasks[prior.taskId];
}

/** Records which task a ClientToken started, with the parameters it must be repeated with. */
export function rememberToken(
  tokens: Record<string, { taskId: string; fingerprint: string }>,
  clientToken: string | undefined,
  taskId: string,
  params: QueryParams,
): void {
  if (clientToken !== undefined) tokens[clientToken] = { taskId, fingerprint: fingerprint(params) };
}

export function importPhase<T extends ImportTaskRecord>(
  ctx: OperationContext,
  family: ImportTaskFamily<T>,
  t: T,
): ImportPhase {
  const now = ctx.clock.now();
  const validatedAt = t.createdMs + t.stageEnds[family.validatingStage]!;
  const doneAt = t.createdMs + t.stageEnds[t.stageEnds.length - 1]!;
  // A cancel only happens while active, so it precedes any failure or completion.
  if (t.cancel) {
    const end = t.cancel.atMs + TEARDOWN_MS;
    const message = t.cancel.reason ?? "User initiated task cancelation";
    return now < end
      ? { status: "deleting", statusMessage: message }
      : { status: "deleted", statusMessage: message, endMs: end };
  }
  if (now >= validatedAt) {
    const v = validation(ctx, t);
    if (v.problem) {
      const end = validatedAt + TEARDOWN_MS;
      return now < end
        ? { status: "deleting", statusMessage: v.problem }
        : { status: "deleted", statusMessage: v.problem, endMs: end };
    }
    if (now >= doneAt) {
      family.finish(ctx, t, doneAt);
      return { status: "completed", endMs: doneAt };
    }
  }
  const index = t.stageEnds.findIndex((end) => now < t.createdMs + end);
  const stage = family.stages[index]!;
  return { status: "active", statusMessage: stage.message, progress: stage.progress };
}

/**
 * Advances every task of the family (registering what finished ones leave behind) and drops
 * those past retention.
 */
export function visibleTasks<T extends ImportTaskRecord>(
  ctx: OperationContext,
  family: ImportTaskFamily<T>,
): T[] {
  const tasks = family.tasks(ctx);
  const now = ctx.clock.now();
  const out: T[] = [];
  for (const t of Object.values(tasks)) {
    const end = importPhase(ctx, family, t).endMs;
    if (end !== undefined && now >= end + RETENTION_MS) {
      delete tasks[t.id];
      ctx.markDirty();
    } else out.push(t);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** The tasks with these IDs, in order; the first malformed or unknown ID fails the call. */
export function findTasks<T extends ImportTaskRecord>(
  ctx: OperationContext,
  family: ImportTaskFamily<T>,
  ids: readonly string[],
): T[] {
  // One pass over the family however many IDs a batched describe names.
  const visible = new Map(visibleTasks(ctx, family).map((t) => [t.id, t]));
  return ids.map((id) => {
    if (!family.idPattern.test(id))
      throw conversionTaskMalformed(id, `${family.prefix}-xxxxxxxxxxxxxxxxx`);
    const t = visible.get(id);
    if (!t) throw conversionTaskNotFound(id);
    return t;
  });
}

/**
 * DescribeImport*Tasks: ImportTaskId.N (all found, or an error), Filters.N (task-state),
 * MaxResults and NextToken.
 */
export function describeTasks<T extends ImportTaskRecord, V>(
  ctx: OperationContext,
  family: ImportTaskFamily<T>,
  params: QueryParams,
  view: (t: T) => V,
): { tasks: V[]; nextToken?: string } {
  const p = new Params(params);
  const ids = p.strings("ImportTaskId");
  const max = p.int("MaxResults", 1);
  let states: string[] | undefined;
  for (const f of p.list("Filters")) {
    const name = f.required("Name");
    if (name !== "task-state") throw invalidFilter(name);
    states = [...(states ?? []), ...f.strings("Value")];
  }
  const offset = offsetOf(p.str("NextToken"));
  // Finding or listing the tasks advances every task of the family (so the page views below
  // change nothing that a view of the whole list would not).
  let tasks = ids.length > 0 ? findTasks(ctx, family, ids) : visibleTasks(ctx, family);
  if (states) {
    const wanted = states;
    tasks = tasks.filter((t) => wanted.includes(importPhase(ctx, family, t).status));
  }
  const end = max === undefined ? tasks.length : offset + max;
  const page = tasks.slice(offset, end).map(view);
  return end < tasks.length ? { tasks: page, nextToken: nextTokenFor(end) } : { tasks: page };
}

/**
 * CancelImportTask, for image and snapshot tasks alike: the family is the one whose prefix the ID
 * has (the first family when none matches, whose malformed-ID error then answers).
 */
export function cancelImportTask(
  ctx: OperationContext,
  params: QueryParams,
  families: readonly [ImportTaskFamily<ImportTaskRecord>, ...ImportTaskFamily<ImportTaskRecord>[]],
): { importTaskId: string; previousState: string; state: string } {
  const p = new Params(params);
  const id = p.required("ImportTaskId");
  const family = families.find((f) => id.startsWith(`${f.prefix}-`)) ?? families[0];
  const t = findTasks(ctx, family, [id])[0]!;
  const previous = importPhase(ctx, family, t).status;
  if (previous !== "active") throw cannotCancel();
  const reason = p.str("CancelReason");
  t.cancel = { atMs: ctx.clock.now(), ...(reason !== undefined ? { reason } : {}) };
  ctx.markDirty();
  return { importTaskId: id, previousState: previous, state: "deleting" };
}
