import type { JsonObject, JsonValue, OperationContext } from "../core/service";
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
import {
  decodeToken,
  encodeToken,
  optionalInt,
  optionalList,
  optionalString,
  requiredString,
  type StringRule,
  structure,
} from "./validate";

/** ADS import tasks: StartImportTask and DescribeImportTasks. */

// ---- Constraints (botocore discovery 2015-11-01) -------------------------------------------------

/**
 * botocore 1.43 and aws-apis.md §1.2 give `name` a maximum of 255; the older API reference copy in
 * seeds/ads-StartImportTask.txt says 100. The current model wins.
 */
const NAME_RULE: StringRule = {
  min: 1,
  max: 255,
  pattern: "[\\s\\S]*\\S[\\s\\S]*",
  regex: /^[\s\S]*\S[\s\S]*$/,
};
const URL_RULE: StringRule = {
  min: 1,
  max: 4000,
  pattern: "\\S+://\\S+/[\\s\\S]*\\S[\\s\\S]*",
  regex: /^\S+:\/\/\S+\/[\s\S]*\S[\s\S]*$/,
};
const TOKEN_RULE: StringRule = { min: 1, max: 100 };
const FILTER_NAMES = ["IMPORT_TASK_ID", "STATUS", "NAME", "FILE_CLASSIFICATION"] as const;

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
  const token = optionalString("clientRequestToken", input.clientRequestToken, TOKEN_RULE);
  const name = requiredString("name", input.name, NAME_RULE);
  const importUrl = requiredString("importUrl", input.importUrl, URL_RULE);
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
  name: (typeof FILTER_NAMES)[number];
  values: Set<string>;
}

function parseFilters(value: JsonValue | undefined): Filter[] {
  const list = optionalList("filters", value, 0, Number.MAX_SAFE_INTEGER) ?? [];
  return list.map((item, i) => {
    const member = `filters.${i + 1}.member`;
    const f = structure(member, item);
    const name = requiredString(`${member}.name`, f.name, {
      values: FILTER_NAMES,
    }) as Filter["name"];
    const values = optionalList(`${member}.values`, f.values, 1, 100);
    if (values === undefined) throw missingMember(`${member}.values`);
    return {
      name,
      values: new Set(
        values.map((v, j) =>
          requiredString(`${member}.values.${j + 1}.member`, v, { min: 1, max: 255 }),
        ),
      ),
    };
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
  const filters = parseFilters(input.filters);
  const maxResults = optionalInt("maxResults", input.maxResults, 1, 100) ?? 100;
  const token = optionalString("nextToken", input.nextToken, {});
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
