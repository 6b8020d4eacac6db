import type { JsonObject, OperationContext } from "../core/service";
import { state } from "./apply";
import { checkHeader, interpretRow, parseCsv } from "./csv";
import { conflict, importQuotaExceeded } from "./errors";
import {
  arnOf,
  emptySummary,
  type ErrorType,
  IMPORT_SECONDS,
  type ImportRecord,
  type ImportStatus,
  iso,
  MAX_IMPORTS_IN_PROGRESS,
  page,
  pageArgs,
  PENDING_MS,
  rawState,
  type S3Source,
} from "./models";
import { need, obj, str, stringMap, strs } from "../core/validated";

/** MGN import tasks: InitializeService, StartImport (reads the file at once), ListImports. */

function statusOf(imp: ImportRecord, now: number): { status: ImportStatus; progress: number } {
  if (imp.result) return { status: imp.result.status, progress: 100 };
  if (now < imp.startMs) return { status: "PENDING", progress: 0 };
  const done = (now - imp.startMs) / (imp.endMs - imp.startMs);
  return { status: "STARTED", progress: Math.min(99, Math.floor(done * 100)) };
}

function importView(imp: ImportRecord, now: number): JsonObject {
  const { status, progress } = statusOf(imp, now);
  return {
    importID: imp.importID,
    arn: imp.arn,
    s3BucketSource: { ...imp.s3BucketSource },
    creationDateTime: iso(imp.createdMs),
    ...(imp.result ? { endDateTime: iso(imp.endMs) } : {}),
    status,
    progressPercentage: progress,
    summary: { ...(imp.result?.summary ?? emptySummary()) },
    ...(imp.tags ? { tags: { ...imp.tags } } : {}),
  };
}

export function initializeService(ctx: OperationContext): JsonObject {
  const s = rawState(ctx);
  if (!s.initialized) {
    s.initialized = true;
    ctx.markDirty();
  }
  return {};
}

export function startImport(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  // The model requires s3BucketSource with s3Bucket and an s3Key ending in .csv.
  const token = str(input, "clientToken");
  const src = obj(input, "s3BucketSource");
  const owner = str(src, "s3BucketOwner");
  const tags = stringMap(input, "tags");
  const source: S3Source = {
    s3Bucket: need(src, "s3Bucket"),
    s3Key: need(src, "s3Key"),
    ...(owner !== undefined ? { s3BucketOwner: owner } : {}),
  };
  const requestKey = JSON.stringify([
    source.s3Bucket,
    source.s3Key,
    source.s3BucketOwner ?? null,
    tags ?? null,
  ]);
  const now = ctx.clock.now();

  // The SDK fills clientToken with a fresh UUID per call; a retry of the same call reuses it.
  if (token) {
    const earlier = s.imports.find((i) => i.clientToken === token);
    if (earlier) {
      if (earlier.requestKey !== requestKey) {
        throw conflict(
          `Client token ${token} was already used by import ${earlier.importID} with different parameters.`,
          "IMPORT",
          earlier.importID,
        );
      }
      return { importTask: importView(earlier, now) };
    }
  }
  const running = s.imports.filter((i) => !i.result).length;
  // Chosen durations (EmulatorOptions.taskDurationMs) ask for many imports at once: no cap then.
  if (running >= MAX_IMPORTS_IN_PROGRESS && !ctx.durationsChosen) {
    throw importQuotaExceeded(MAX_IMPORTS_IN_PROGRESS);
  }

  const importID = `import-${ctx.random.hex(17)}`;
  const seededMs = Math.round(ctx.random.between(IMPORT_SECONDS.min, IMPORT_SECONDS.max) * 1000);
  const durationMs = ctx.taskDuration(importID, seededMs).ms;
  const imp: ImportRecord = {
    importID,
    arn: arnOf(ctx, "import", importID),
    s3BucketSource: source,
    ...(tags ? { tags } : {}),
    ...(token ? { clientToken: token } : {}),
    requestKey,
    createdMs: now,
    startMs: now + Math.min(PENDING_MS, durationMs),
    endMs: now + durationMs,
    rows: [],
    readErrors: [],
    fileFailed: false,
  };
  readImportFile(ctx, imp);
  s.imports.push(imp);
  ctx.markDirty();
  return { importTask: importView(imp, now) };
}

/** MGN reads the file when the import starts; later changes to the object do not affect it. */
function readImportFile(ctx: OperationContext, imp: ImportRecord): void {
  const { s3Bucket, s3Key, s3BucketOwner } = imp.s3BucketSource;
  const fileError = (errorType: ErrorType, rawError: string, rowNumber?: number): void => {
    imp.fileFailed = true;
    imp.readErrors.push({ errorType, rawError, ...(rowNumber !== undefined ? { rowNumber } : {}) });
  };
  const read = ctx.s3.read(s3Bucket, s3Key);
  if (!read.ok) {
    fileError(
      "PROCESSING_ERROR",
      read.reason === "NoSuchBucket"
        ? `NoSuchBucket: The specified bucket does not exist: ${s3Bucket}`
        : `NoSuchKey: The specified key does not exist: s3://${s3Bucket}/${s3Key}`,
    );
    return;
  }
  if ((s3BucketOwner ?? ctx.accountId) !== read.bucket.ownerAccountId) {
    fileError(
      "PROCESSING_ERROR",
      `AccessDenied: bucket ${s3Bucket} is not owned by account ${s3BucketOwner ?? ctx.accountId}`,
    );
    return;
  }
  const table = parseCsv(read.body.toString("utf8"));
  if ("error" in table) return fileError("VALIDATION_ERROR", table.error);
  const headerError = checkHeader(table.header);
  if (headerError !== undefined) return fileError("VALIDATION_ERROR", headerError, 1);
  if (table.rows.length === 0) return fileError("VALIDATION_ERROR", "The file has no data rows");
  for (const row of table.rows) {
    const parsed = interpretRow(table.header, row, {
      accountId: ctx.accountId,
      region: ctx.region,
    });
    if ("error" in parsed) {
      imp.readErrors.push({
        errorType: "VALIDATION_ERROR",
        rowNumber: row.rowNumber,
        rawError: parsed.error,
      });
    } else imp.rows.push(parsed);
  }
}

export function listImports(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const ids = strs(obj(input, "filters"), "importIDs");
  const { max, token } = pageArgs(input);
  const now = ctx.clock.now();
  const chosen =
    ids && ids.length > 0 ? s.imports.filter((i) => ids.includes(i.importID)) : s.imports;
  return page(
    chosen.map((i) => importView(i, now)),
    token,
    max,
  );
}
