import { checkHomeRegion, homeRegionState } from "../core/homeRegion";
import type { OperationContext } from "../core/service";
import { homeRegionNotSet, wrongRegion } from "./errors";

/**
 * Application Discovery Service import backend (aws-apis.md §1.2–1.8): import tasks with a
 * time-driven status, the servers and applications their records create, and deletion.
 *
 * State is per account: ADS keeps its data in the Migration Hub home region and answers reads
 * from every region (§3.7). The only region-scoped state is the errors/failed-entries files, kept
 * under the home region so the download route can find them from the URL alone.
 *
 * This file holds the records and state every family shares; the operations live by family:
 * importTasks.ts (StartImportTask, DescribeImportTasks), batchDelete.ts (BatchDeleteImportData),
 * and inventory.ts reads an import file into the discovered servers and applications.
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

export type ImportOutcome =
  | "IMPORT_COMPLETE"
  | "IMPORT_COMPLETE_WITH_ERRORS"
  | "IMPORT_FAILED"
  | "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE";

export interface DeleteRecord {
  requestedMs: number;
  /** Deletion waits for the import to finish (see batchDeleteImportData). */
  startMs: number;
  endMs: number;
  outcome: "DELETE_COMPLETE" | "DELETE_FAILED_LIMIT_EXCEEDED";
  history: boolean;
  /** Set once the inventory has been cleaned (at endMs, lazily). */
  applied: boolean;
}

export interface TaskRecord {
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

export interface ServerRecord {
  id: string;
  keys: string[];
  /** importTaskId → records of that import merged into this server. */
  imports: Record<string, number>;
}

export interface ApplicationRecord {
  id: string;
  name: string;
  /** importTaskId → server IDs that import associated with the application. */
  imports: Record<string, string[]>;
}

export interface AdsState {
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

// ---- State and time ------------------------------------------------------------------------------

export function adsState(ctx: OperationContext): AdsState {
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

export function statusAt(task: TaskRecord, now: number): ImportStatus {
  if (now < task.endMs) return "IMPORT_IN_PROGRESS";
  const del = task.delete;
  if (del && now >= del.startMs) return now < del.endMs ? "DELETE_IN_PROGRESS" : del.outcome;
  return task.outcome;
}

export function requireHomeRegion(ctx: OperationContext, write: boolean): void {
  const check = checkHomeRegion(ctx, write);
  if (check === "notSet") throw homeRegionNotSet();
  if (check === "wrongRegion") throw wrongRegion(ctx.region, homeRegionState(ctx).homeRegion ?? "");
}

export function zipPath(accountId: string, region: string, taskId: string): string {
  return `/_emulator/files/ads/${accountId}/${region}/${taskId}/${ZIP_NAME}`;
}
