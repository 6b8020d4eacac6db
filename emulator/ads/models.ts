import { checkHomeRegion, homeRegionState } from "../core/homeRegion";
import { parseS3Url } from "../core/s3store";
import type { JsonObject, JsonValue, OperationContext } from "../core/service";
import { presignEmulatorUrl } from "../core/sigv4";
import { csvLine, parseImportFile, type ServerRow } from "./csv";
import { homeRegionNotSet, missingMember, tokenInUse, wrongRegion } from "./errors";
import {
  decodeToken,
  encodeToken,
  optionalBool,
  optionalInt,
  optionalList,
  optionalString,
  requiredString,
  type StringRule,
  structure,
} from "./validate";

/**
 * Application Discovery Service import backend (aws-apis.md §1.2–1.8): import tasks with a
 * time-driven status, the servers and applications their records create, and deletion.
 *
 * State is per account: ADS keeps its data in the Migration Hub home region and answers reads
 * from every region (§3.7). The only region-scoped state is the errors/failed-entries files, kept
 * under the home region so the download route can find them from the URL alone.
 */

export const IMPORT_STATUSES = [
  "IMPORT_IN_PROGRESS",
  "IMPORT_COMPLETE",
  "IMPORT_COMPLETE_WITH_ERRORS",
  "IMPORT_FAILED",
  "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED",
  "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED",
  "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE",
  "DELETE_IN_PROGRESS",
  "DELETE_COMPLETE",
  "DELETE_FAILED",
  "DELETE_FAILED_LIMIT_EXCEEDED",
  "INTERNAL_ERROR",
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** Quotas, aws-apis.md §1.8. */
export const QUOTAS = {
  maxFileBytes: 10 * 1024 * 1024,
  recordsPerAccount: 25_000,
  serversPerAccount: 10_000,
  applicationsPerAccount: 1_000,
  serversPerApplication: 400,
  deletedRecordsPerDay: 25_000,
} as const;

/** Lifetime of the presigned errors-and-failed-entries URL (AWS does not publish one). */
export const ZIP_URL_EXPIRES_SECONDS = 3600;

const DAY_MS = 24 * 3600 * 1000;

type ImportOutcome =
  | "IMPORT_COMPLETE"
  | "IMPORT_COMPLETE_WITH_ERRORS"
  | "IMPORT_FAILED"
  | "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE";

interface DeleteRecord {
  requestedMs: number;
  /** Deletion waits for the import to finish (see batchDeleteImportData). */
  startMs: number;
  endMs: number;
  outcome: "DELETE_COMPLETE" | "DELETE_FAILED_LIMIT_EXCEEDED";
  history: boolean;
  /** Set once the inventory has been cleaned (at endMs, lazily). */
  applied: boolean;
}

interface TaskRecord {
  seq: number;
  importTaskId: string;
  clientRequestToken: string;
  name: string;
  importUrl: string;
  /** The home region the import ran in (where its files are kept). */
  region: string;
  requestMs: number;
  /** Imports are processed one at a time per account (§1.8 "Concurrency"), so this may be later. */
  startMs: number;
  endMs: number;
  outcome: ImportOutcome;
  fileClassification?: "IMPORT_TEMPLATE";
  serverImportSuccess: number;
  serverImportFailure: number;
  applicationImportSuccess: number;
  applicationImportFailure: number;
  /** Server records this import added to the inventory (what a delete takes away). */
  records: number;
  hasFiles: boolean;
  delete?: DeleteRecord;
}

interface ServerRecord {
  id: string;
  keys: string[];
  /** importTaskId → records of that import merged into this server. */
  imports: Record<string, number>;
}

interface ApplicationRecord {
  id: string;
  name: string;
  /** importTaskId → server IDs that import associated with the application. */
  imports: Record<string, string[]>;
}

interface AdsState {
  nextSeq: number;
  tasks: Record<string, TaskRecord>;
  /** clientRequestToken → importTaskId. */
  tokens: Record<string, string>;
  /** End of the last queued import. */
  busyUntilMs: number;
  servers: Record<string, ServerRecord>;
  /** Matching key → server ID. */
  serverKeys: Record<string, string>;
  applications: Record<string, ApplicationRecord>;
  /** Accepted deletions (at their start), for the daily deletion quota. */
  deletions: { atMs: number; records: number }[];
}

/** The files behind errorsAndFailedEntriesZip, per home region. */
export interface ImportFiles {
  modifiedMs: number;
  errors: string;
  failedEntries: string;
}
export type FilesState = Record<string, ImportFiles>;

export const FILES_KEY = "files";
export const ZIP_NAME = "errors-and-failed-entries.zip";

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
const TASK_ID_RULE: StringRule = {
  max: 200,
  pattern: "^import-task-[a-fA-F0-9]{32}$",
  regex: /^import-task-[a-fA-F0-9]{32}$/,
};
const FILTER_NAMES = ["IMPORT_TASK_ID", "STATUS", "NAME", "FILE_CLASSIFICATION"] as const;

// ---- State and time ------------------------------------------------------------------------------

function adsState(ctx: OperationContext): AdsState {
  const s = ctx.state<AdsState>(
    "ads:imports",
    () => ({
      nextSeq: 1,
      tasks: {},
      tokens: {},
      busyUntilMs: 0,
      servers: {},
      serverKeys: {},
      applications: {},
      deletions: [],
    }),
    "account",
  );
  settle(ctx, s);
  return s;
}

/** Applies deletions whose time has come: the inventory loses the import's records. */
function settle(ctx: OperationContext, s: AdsState): void {
  const now = ctx.clock.now();
  const due = Object.values(s.tasks)
    .filter((t) => t.delete && !t.delete.applied && t.delete.endMs <= now)
    .sort((a, b) => (a.delete?.endMs ?? 0) - (b.delete?.endMs ?? 0) || a.seq - b.seq);
  for (const task of due) {
    const del = task.delete;
    if (!del) continue;
    del.applied = true;
    if (del.outcome === "DELETE_COMPLETE") {
      removeContributions(s, task.importTaskId);
      if (del.history) {
        delete s.tasks[task.importTaskId];
        if (s.tokens[task.clientRequestToken] === task.importTaskId)
          delete s.tokens[task.clientRequestToken];
      }
    }
    ctx.markDirty();
  }
}

function removeContributions(s: AdsState, taskId: string): void {
  for (const server of Object.values(s.servers)) {
    if (!(taskId in server.imports)) continue;
    delete server.imports[taskId];
    // A server that other imports also matched keeps their data (BatchDeleteImportData docs).
    if (Object.keys(server.imports).length === 0) {
      for (const key of server.keys) delete s.serverKeys[key];
      delete s.servers[server.id];
    }
  }
  for (const [key, app] of Object.entries(s.applications)) {
    if (!(taskId in app.imports)) continue;
    delete app.imports[taskId];
    if (Object.keys(app.imports).length === 0) delete s.applications[key];
  }
}

function statusAt(task: TaskRecord, now: number): ImportStatus {
  if (now < task.endMs) return "IMPORT_IN_PROGRESS";
  const del = task.delete;
  if (del && now >= del.startMs) return now < del.endMs ? "DELETE_IN_PROGRESS" : del.outcome;
  return task.outcome;
}

function requireHomeRegion(ctx: OperationContext, write: boolean): void {
  const check = checkHomeRegion(ctx, write);
  if (check === "notSet") throw homeRegionNotSet();
  if (check === "wrongRegion") throw wrongRegion(ctx.region, homeRegionState(ctx).homeRegion ?? "");
}

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

export function zipPath(accountId: string, region: string, taskId: string): string {
  return `/_emulator/files/ads/${accountId}/${region}/${taskId}/${ZIP_NAME}`;
}

// ---- StartImportTask -----------------------------------------------------------------------------

interface ImportResult {
  outcome: ImportOutcome;
  fileClassification?: "IMPORT_TEMPLATE";
  serverImportSuccess: number;
  serverImportFailure: number;
  applicationImportSuccess: number;
  applicationImportFailure: number;
  records: number;
  rows: number;
  files?: { errors: string; failedEntries: string };
}

const failed = (outcome: ImportOutcome, classified = false): ImportResult => ({
  outcome,
  ...(classified ? { fileClassification: "IMPORT_TEMPLATE" as const } : {}),
  serverImportSuccess: 0,
  serverImportFailure: 0,
  applicationImportSuccess: 0,
  applicationImportFailure: 0,
  records: 0,
  rows: 0,
});

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
  const chosenMs = ctx.taskDurationMs?.({ id: importTaskId });
  const startMs = chosenMs === undefined ? Math.max(now, s.busyUntilMs) : now;
  const task: TaskRecord = {
    seq: s.nextSeq++,
    importTaskId,
    clientRequestToken,
    name,
    importUrl,
    region: ctx.region,
    requestMs: now,
    startMs,
    endMs: startMs + (chosenMs ?? durationMs),
    outcome: result.outcome,
    ...(result.fileClassification ? { fileClassification: result.fileClassification } : {}),
    serverImportSuccess: result.serverImportSuccess,
    serverImportFailure: result.serverImportFailure,
    applicationImportSuccess: result.applicationImportSuccess,
    applicationImportFailure: result.applicationImportFailure,
    records: result.records,
    hasFiles: result.files !== undefined,
  };
  if (chosenMs === undefined) s.busyUntilMs = task.endMs;
  s.tasks[importTaskId] = task;
  s.tokens[clientRequestToken] = importTaskId;
  if (result.files) {
    const files = ctx.state<FilesState>(FILES_KEY, () => ({}), "region");
    files[importTaskId] = { modifiedMs: task.endMs, ...result.files };
  }
  ctx.markDirty();
  return { task: toWire(ctx, task) };
}

/**
 * Reads and applies one import file. The outcome is decided when the task is accepted and revealed
 * by the clock; the inventory is reserved at once so that imports queued behind this one see its
 * records in their quota checks (imports run sequentially, §1.8).
 */
function runImport(
  ctx: OperationContext,
  s: AdsState,
  taskId: string,
  importUrl: string,
): ImportResult {
  const location = parseS3Url(importUrl);
  // Not an S3 location, or a missing bucket or object: ADS cannot read the file. The status enum
  // (§1.5) has no specific value for that, so it is the generic IMPORT_FAILED ("nothing imported").
  if (!location) return failed("IMPORT_FAILED");
  const object = ctx.s3.read(location.bucket, location.key);
  if (!object.ok) return failed("IMPORT_FAILED");
  // §1.8 "Max import file size: 10 MB". No status names the file size, so IMPORT_FAILED again.
  if (object.meta.size > QUOTAS.maxFileBytes) return failed("IMPORT_FAILED");
  const parsed = parseImportFile(object.body);
  // §1.5: IMPORT_FAILED_UNSUPPORTED_FILE_TYPE, for a file that is not a (template) CSV at all.
  if (parsed.kind === "unsupported") return failed("IMPORT_FAILED_UNSUPPORTED_FILE_TYPE");
  // Unbalanced quotes: the records cannot be told apart, so nothing is imported.
  if (parsed.kind === "malformed") return failed("IMPORT_FAILED", true);

  const records = parsed.rows.length;
  const accountRecords = Object.values(s.tasks)
    .filter((t) => !t.delete?.applied || t.delete.outcome !== "DELETE_COMPLETE")
    .reduce((n, t) => n + t.records, 0);
  // §1.5/§1.8: the account-wide record and server quotas fail the whole import.
  if (accountRecords + records > QUOTAS.recordsPerAccount)
    return failed("IMPORT_FAILED_RECORD_LIMIT_EXCEEDED", true);
  const newServers = countNewServers(s, parsed.rows);
  if (Object.keys(s.servers).length + newServers > QUOTAS.serversPerAccount)
    return failed("IMPORT_FAILED_SERVER_LIMIT_EXCEEDED", true);

  const errors: { row: number; error: string }[] = parsed.failed.map((f) => ({
    row: f.row,
    error: f.error,
  }));
  const serverOfRow = new Map<number, string>();
  for (const row of parsed.rows) serverOfRow.set(row.row, mergeServer(ctx, s, taskId, row));

  // Applications: each distinct name in the file counts once (§1.7: missing ones are created).
  const appRows = new Map<string, { first: number; servers: Set<string> }>();
  for (const row of parsed.rows) {
    for (const app of row.applications) {
      const entry = appRows.get(app) ?? { first: row.row, servers: new Set<string>() };
      entry.servers.add(serverOfRow.get(row.row) ?? "");
      appRows.set(app, entry);
    }
  }
  let appSuccess = 0;
  let appFailure = 0;
  for (const [appName, { first, servers }] of appRows) {
    const key = appName.toLowerCase();
    const existing = s.applications[key];
    const already = new Set(existing ? Object.values(existing.imports).flat() : []);
    const total = new Set([...already, ...servers]).size;
    if (!existing && Object.keys(s.applications).length >= QUOTAS.applicationsPerAccount) {
      appFailure++;
      errors.push({
        row: first,
        error: `Application ${appName} was not created: the account already has ${QUOTAS.applicationsPerAccount} applications.`,
      });
    } else if (total > QUOTAS.serversPerApplication) {
      appFailure++;
      errors.push({
        row: first,
        error: `Application ${appName} would have ${total} servers; an application can have at most ${QUOTAS.serversPerApplication}.`,
      });
    } else {
      const app = existing ?? {
        id: `d-application-${ctx.random.hex(14)}`,
        name: appName,
        imports: {},
      };
      app.imports[taskId] = [...servers];
      s.applications[key] = app;
      appSuccess++;
    }
  }

  const anyFailure = errors.length > 0;
  // Every row rejected: nothing was imported, which §1.5 calls IMPORT_FAILED; the zip still explains why.
  const outcome: ImportOutcome =
    records === 0 && parsed.failed.length > 0
      ? "IMPORT_FAILED"
      : anyFailure
        ? "IMPORT_COMPLETE_WITH_ERRORS"
        : "IMPORT_COMPLETE";
  const result: ImportResult = {
    outcome,
    fileClassification: "IMPORT_TEMPLATE",
    serverImportSuccess: records,
    serverImportFailure: parsed.failed.length,
    applicationImportSuccess: appSuccess,
    applicationImportFailure: appFailure,
    records,
    rows: parsed.records,
  };
  if (anyFailure) {
    errors.sort((a, b) => a.row - b.row);
    result.files = {
      errors: [csvLine(["RowNumber", "Error"]), ...errors.map((e) => csvLine([e.row, e.error]))]
        .map((l) => l + "\r\n")
        .join(""),
      failedEntries: [csvLine(parsed.header), ...parsed.failed.map((f) => csvLine(f.raw))]
        .map((l) => l + "\r\n")
        .join(""),
    };
  }
  return result;
}

/**
 * Matching keys (§1.7 "Matching and dedup"): ExternalId alone when present (it always wins);
 * otherwise the host name, each IP and MAC address, and the MoRefId+VCenterId pair.
 */
function matchingKeys(row: ServerRow): string[] {
  if (row.externalId !== undefined) return [`external:${row.externalId}`];
  const keys: string[] = [];
  if (row.hostName !== undefined) keys.push(`host:${row.hostName.toLowerCase()}`);
  for (const ip of row.ipAddresses) keys.push(`ip:${ip}`);
  for (const mac of row.macAddresses) keys.push(`mac:${mac}`);
  if (row.vmware !== undefined) keys.push(`vmware:${row.vmware}`);
  return keys;
}

function countNewServers(s: AdsState, rows: readonly ServerRow[]): number {
  const seen = new Set<string>();
  let count = 0;
  for (const row of rows) {
    const keys = matchingKeys(row);
    if (!keys.some((k) => s.serverKeys[k] !== undefined || seen.has(k))) count++;
    for (const k of keys) seen.add(k);
  }
  return count;
}

function mergeServer(ctx: OperationContext, s: AdsState, taskId: string, row: ServerRow): string {
  const keys = matchingKeys(row);
  const match = keys.map((k) => s.serverKeys[k]).find((id) => id !== undefined);
  const server = (match !== undefined ? s.servers[match] : undefined) ?? {
    id: `d-server-${ctx.random.hex(14)}`,
    keys: [],
    imports: {},
  };
  s.servers[server.id] = server;
  for (const key of keys) {
    if (s.serverKeys[key] === undefined) {
      s.serverKeys[key] = server.id;
      server.keys.push(key);
    }
  }
  server.imports[taskId] = (server.imports[taskId] ?? 0) + 1;
  return server.id;
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

// ---- BatchDeleteImportData -----------------------------------------------------------------------

export function batchDeleteImportData(ctx: OperationContext, input: JsonObject): JsonObject {
  // Deletes are allowed outside the home region (§3.7 lists delete with the reads).
  requireHomeRegion(ctx, false);
  const list = optionalList("importTaskIds", input.importTaskIds, 1, 10);
  if (list === undefined) throw missingMember("importTaskIds");
  const ids = list.map((v, i) => requiredString(`importTaskIds.${i + 1}.member`, v, TASK_ID_RULE));
  const deleteHistory = optionalBool("deleteHistory", input.deleteHistory);
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
