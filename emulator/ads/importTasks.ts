import type { JsonObject, OperationContext } from "../core/service";
import { need, num, objects, str, strs } from "../core/validated";
import { presignEmulatorUrl } from "../core/sigv4";
import { missingMember, tokenInUse } from "./errors";
import { runImport } from "./inventory";
import {
  adsState,
  FILES_KEY,
  type FilesState,
  requireHomeRegion,
  statusAt,
  type TaskRecord,
  ZIP_URL_EXPIRES_SECONDS,
  zipPath,
} from "./models";
import { decodeToken, encodeToken } from "./validate";

/**
 * ADS import tasks: StartImportTask and DescribeImportTasks. Requests reach these handlers checked
 * against the Discovery model (model.generated.ts: name 1-255 characters, importUrl pattern,
 * filter names, maxResults 1-100, …), so only semantic checks remain here.
 */

type FilterName = "IMPORT_TASK_ID" | "STATUS" | "NAME" | "FILE_CLASSIFICATION";

function toWire(ctx: OperationContext, task: TaskRecord): JsonObject {
  const now = ctx.clock.now();
  const status = statusAt(task, now);
  const done = now >= task.endMs;
  const out: JsonObject = {
    importTaskId: task.importTaskId,
    clientRequestToken: task.clientRequestToken,
    name: task.name,
    importUrl: task.importUrl,
    status,
    // awsJson timestamps are epoch seconds, fractions allowed (§1.1).
    importRequestTime: task.requestMs / 1000,
  };
  if (done) {
    out.importCompletionTime = task.endMs / 1000;
    if (task.fileClassification) out.fileClassification = task.fileClassification;
    out.serverImportSuccess = task.serverImportSuccess;
    out.serverImportFailure = task.serverImportFailure;
    out.applicationImportSuccess = task.applicationImportSuccess;
    out.applicationImportFailure = task.applicationImportFailure;
    if (task.hasFiles && status !== "DELETE_COMPLETE") {
      // A fresh URL per read, signed with the caller's key (the secret never appears in it).
      out.errorsAndFailedEntriesZip = presignEmulatorUrl(
        ctx.baseUrl,
        zipPath(ctx.accountId, task.region, task.importTaskId),
        ctx.credential,
        task.region,
        "s3",
        ctx.realNow(),
        ZIP_URL_EXPIRES_SECONDS,
      );
    }
  }
  if (status === "DELETE_COMPLETE" && task.delete) out.importDeletedTime = task.delete.endMs / 1000;
  return out;
}

// ---- StartImportTask -----------------------------------------------------------------------------

export function startImportTask(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const token = str(input, "clientRequestToken");
  const name = need(input, "name");
  const importUrl = need(input, "importUrl");
  const s = adsState(ctx);

  if (token !== undefined) {
    const original = s.tokens[token] !== undefined ? s.tasks[s.tokens[token]] : undefined;
    if (original) {
      // §1.2: the same token returns the original task; with other parameters it is refused.
      if (original.name !== name || original.importUrl !== importUrl) throw tokenInUse(token);
      return { task: toWire(ctx, original) };
    }
  }
  // The SDKs fill the idempotency token in; a raw caller that omits it gets one generated.
  const clientRequestToken = token ?? ctx.random.uuid();
  const importTaskId = `import-task-${ctx.random.hex(32)}`;
  const now = ctx.clock.now();
  const result = runImport(ctx, s, importTaskId, importUrl);

  // Failed files end quickly; real imports take 10–20 s plus time per record, at most 120 s.
  const base = 10_000 + ctx.random.int(10_001);
  const durationMs = result.outcome.startsWith("IMPORT_FAILED")
    ? base
    : Math.min(120_000, base + result.rows * 10);
  // A benchmark's chosen duration runs at once, outside the one-at-a-time queue.
  const duration = ctx.taskDuration(importTaskId, durationMs);
  const startMs = duration.chosen ? now : Math.max(now, s.busyUntilMs);
  const task: TaskRecord = {
    seq: s.nextSeq++,
    importTaskId,
    clientRequestToken,
    name,
    importUrl,
    region: ctx.region,
    requestMs: now,
    startMs,
    endMs: startMs + duration.ms,
    outcome: result.outcome,
    ...(result.fileClassification ? { fileClassification: result.fileClassification } : {}),
    serverImportSuccess: result.serverImportSuccess,
    serverImportFailure: result.serverImportFailure,
    applicationImportSuccess: result.applicationImportSuccess,
    applicationImportFailure: result.applicationImportFailure,
    records: result.records,
    hasFiles: result.files !== undefined,
  };
  if (!duration.chosen) s.busyUntilMs = task.endMs;
  s.tasks[importTaskId] = task;
  s.tokens[clientRequestToken] = importTaskId;
  if (result.files) {
    const files = ctx.state<FilesState>(FILES_KEY, () => ({}), "region");
    files[importTaskId] = { modifiedMs: task.endMs, ...result.files };
  }
  ctx.markDirty();
  return { task: toWire(ctx, task) };
}

// ---- DescribeImportTasks -------------------------------------------------------------------------

interface Filter {
  name: FilterName;
  values: Set<string>;
}

function parseFilters(input: JsonObject): Filter[] {
  return (objects(input, "filters") ?? []).map((f, i) => {
    const member = `filters.${i + 1}.member`;
    // The model leaves both members optional, but a filter without a name or values selects by
    // nothing: ADS refuses it as not valid rather than guess.
    const name = str(f, "name") as FilterName | undefined;
    if (name === undefined) throw missingMember(`${member}.name`);
    const values = strs(f, "values");
    if (values === undefined) throw missingMember(`${member}.values`);
    return { name, values: new Set(values) };
  });
}

function matches(filter: Filter, task: JsonObject): boolean {
  const field =
    filter.name === "IMPORT_TASK_ID"
      ? task.importTaskId
      : filter.name === "STATUS"
        ? task.status
        : filter.name === "NAME"
          ? task.name
          : task.fileClassification;
  // Exact values, no wildcards (§1.3).
  return typeof field === "string" && filter.values.has(field);
}

export function describeImportTasks(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, false);
  const filters = parseFilters(input);
  const maxResults = num(input, "maxResults") ?? 100;
  const token = str(input, "nextToken");
  const after = decodeToken(token);
  const s = adsState(ctx);
  // Oldest first, by acceptance order. How filters combine is undocumented (§1.3): values of one
  // filter are alternatives, separate filters must all match.
  // An IMPORT_TASK_ID filter names the only candidates (the provider's batched polls use it), and
  // a page stops at the first match past it: the cost follows the answer, not the account's size.
  const byId = filters.find((f) => f.name === "IMPORT_TASK_ID");
  const candidates = byId
    ? [...byId.values].filter((id) => Object.hasOwn(s.tasks, id)).map((id) => s.tasks[id]!)
    : Object.values(s.tasks);
  const page: { seq: number; wire: JsonObject }[] = [];
  let more = false;
  for (const t of candidates.filter((c) => c.seq > after).sort((a, b) => a.seq - b.seq)) {
    const wire = toWire(ctx, t);
    if (!filters.every((f) => matches(f, wire))) continue;
    if (page.length === maxResults) {
      more = true;
      break;
    }
    page.push({ seq: t.seq, wire });
  }
  const last = page[page.length - 1];
  const out: JsonObject = { tasks: page.map((t) => t.wire) };
  if (more && last) out.nextToken = encodeToken(last.seq);
  return out;
}
