import { parseS3Url } from "../core/s3store";
import type { OperationContext } from "../core/service";
import { csvLine, parseImportFile, type ServerRow } from "./csv";
import { type AdsState, type ImportOutcome, QUOTAS } from "./models";

/**
 * What an import file adds to the discovered data: servers merged by their matching keys and the
 * applications the rows name. (A deletion takes it away again: removeContributions in models.ts.)
 */

export interface ImportResult {
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

/**
 * Reads and applies one import file. The outcome is decided when the task is accepted and revealed
 * by the clock; the inventory is reserved at once so that imports queued behind this one see its
 * records in their quota checks (imports run sequentially, §1.8).
 */
export function runImport(
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
