/**
 * The ADS facts the spec (importTaskSpec.ts) is made of that are more than a table row: polling,
 * the S3 URL rule, status classes and the messages with their fixes (from the StartImportTask /
 * DescribeImportTasks / BatchDeleteImportData API reference). No I/O.
 */
import { summarizeObserved } from "../core/errors";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import type { AdsTask } from "./api";

/** Polling between 5 s and 60 s: ADS imports take minutes and are processed one at a time. */
export const POLL = {
  minDelayMs: 5_000,
  maxDelayMs: 60_000,
  /** Polls land on multiples of min(minDelayMs, gridMs) so concurrent waits share describe calls. */
  gridMs: 1_000,
  /** W concurrent waits share a round every 120 s / W (core/limiter.ts sharedRoundIntervalMs). */
  shareMs: 120_000,
} as const;

/** Bucket names: 3–63 lowercase letters, digits, dots and hyphens, starting and ending alphanumeric. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Virtual-hosted (`bucket.s3.region.amazonaws.com`) and path-style (`s3.region.amazonaws.com`) hosts. */
const S3_HOST = /^(?:[a-z0-9][a-z0-9.-]*\.)?s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/;
const URL_FIX =
  "Fix: upload the CSV to S3 and use s3://BucketName/ImportFileName.CSV (CLI form) or the object URL https://BucketName.s3.Region.amazonaws.com/ImportFileName.CSV.";

/**
 * Why ADS cannot read `url` (credential-bearing, or not an S3 object URL), or undefined. An object
 * URL on one of `origins` (a configured endpoint, e.g. a local emulator) counts as an S3 URL.
 */
export function importUrlProblem(url: unknown, origins: readonly string[]): string | undefined {
  if (typeof url !== "string") return undefined;
  if (isCredentialBearingUrl(url)) {
    // ADS reads the object with its own access; a presigned URL would land in state as plaintext.
    return "must not carry credentials (presigned query parameters or user:password@). Fix: use the plain s3://BucketName/ImportFileName.CSV or object URL; ADS reads the object with your account's access.";
  }
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (s3) {
    const bucket = s3[1] ?? "";
    if (BUCKET.test(bucket)) return undefined;
    return `must name a valid S3 bucket (got "${bucket}": 3–63 lowercase letters, digits, dots or hyphens). ${URL_FIX}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an s3:// or https:// S3 object URL (got an unparsable URL). ${URL_FIX}`;
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const slash = path.indexOf("/");
  const bucketAndKey = slash > 0 && slash < path.length - 1;
  if (origins.includes(parsed.origin)) {
    // Local endpoint: path-style only (`<origin>/<bucket>/<key>`).
    if (bucketAndKey) return undefined;
    return `must be <endpoint>/<bucket>/<key> on the configured endpoint (got "${redactUrl(url)}"). ${URL_FIX}`;
  }
  if (parsed.protocol !== "https:") {
    return `must use the s3:// or https:// scheme (got "${parsed.protocol.replace(/:$/, "")}"). ${URL_FIX}`;
  }
  const host = parsed.hostname.toLowerCase();
  if (!S3_HOST.test(host)) return `must be an Amazon S3 URL (got host "${host}"). ${URL_FIX}`;
  if (/^.+\.s3[.-]/.test(host)) {
    return path.length > 0 ? undefined : `must name an object key after the bucket. ${URL_FIX}`;
  }
  if (bucketAndKey) return undefined;
  return `must name a bucket and an object key (path-style /<bucket>/<key>). ${URL_FIX}`;
}

/** Status recorded when DescribeImportTasks no longer returns the task. */
export const GONE = "GONE";

export const statusOf = (o: AdsTask | undefined): string => o?.status ?? GONE;

/**
 * How a create-phase wait treats a status. Unknown future values stay pending until the deadline,
 * except IMPORT_FAILED_* (new failure reasons keep that prefix).
 */
export function classify(
  status: string,
  failOnRowErrors = false,
): "success" | "failure" | "pending" {
  if (status === "IMPORT_COMPLETE") return "success";
  if (status === "IMPORT_COMPLETE_WITH_ERRORS") return failOnRowErrors ? "failure" : "success";
  if (/^(?:IMPORT_FAILED|DELETE_)/.test(status) || status === "INTERNAL_ERROR") return "failure";
  return status === GONE ? "failure" : "pending";
}

/**
 * After BatchDeleteImportData: DELETE_COMPLETE, or gone (deleteHistory removes the record), is
 * success; IMPORT_* statuses are read as not yet reflecting the delete.
 */
export function classifyDelete(o: AdsTask | undefined): "success" | "failure" | "pending" {
  if (o === undefined || o.status === "DELETE_COMPLETE") return "success";
  if (o.status.startsWith("DELETE_FAILED") || o.status === "INTERNAL_ERROR") return "failure";
  return "pending";
}

function counts(task: AdsTask): string {
  const n = (v: number | undefined): string => (v === undefined ? "?" : String(v));
  return (
    `servers ${n(task.serverImportSuccess)} imported / ${n(task.serverImportFailure)} failed, ` +
    `applications ${n(task.applicationImportSuccess)} imported / ${n(task.applicationImportFailure)} failed`
  );
}

const DOWNLOAD = "Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.";

const STATUS_ADVICE: Record<string, string> = {
  IMPORT_FAILED: `Nothing was imported. ${DOWNLOAD} Fix the file, then run \`pulumi up\` again (a failed task is replaced).`,
  IMPORT_FAILED_SERVER_LIMIT_EXCEEDED: `The account's imported-servers quota (10,000) was hit. ${DOWNLOAD} Delete older imports or request a quota increase, then run \`pulumi up\` again.`,
  IMPORT_FAILED_RECORD_LIMIT_EXCEEDED: `The account's imported-records quota (25,000) was hit. ${DOWNLOAD} Delete older imports, then run \`pulumi up\` again.`,
  IMPORT_FAILED_UNSUPPORTED_FILE_TYPE: `ADS does not support this file. ${DOWNLOAD} Use the ADS CSV import template (or a supported RVTools/ModelizeIT/VMware NSX export), then run \`pulumi up\` again.`,
  IMPORT_COMPLETE_WITH_ERRORS: `Some rows were rejected and failOnRowErrors is true. ${DOWNLOAD} Fix those rows, or set failOnRowErrors to false to accept a partial import.`,
  INTERNAL_ERROR: `ADS reported an internal error. ${DOWNLOAD} Run \`pulumi up\` again to start a new import.`,
  [GONE]:
    "DescribeImportTasks no longer returns the task (deleted with its history outside this stack?). Run `pulumi refresh`, then `pulumi up` to import again.",
};

export const polls = (n: number): string => `${n} poll${n === 1 ? "" : "s"}`;

/**
 * STYLE.md §7: `ads.ImportTask "servers-q3": import ended in IMPORT_FAILED after 4 polls
 * (IMPORT_IN_PROGRESS×3). Download errorsAndFailedEntriesZip for the rejected rows.`
 * Never includes the presigned URL itself.
 */
export function failureMessage(
  subject: string,
  task: AdsTask | undefined,
  wait: { polls: number; observed: readonly string[] },
  id?: string,
): string {
  const status = statusOf(task);
  const before = wait.observed.slice(0, -1);
  const history = before.length > 0 ? ` (${summarizeObserved(before)})` : "";
  const deleted = status.startsWith("DELETE_");
  const tally = task !== undefined && !deleted ? `; ${counts(task)}` : "";
  const taskId = task?.importTaskId ?? id;
  const which = taskId === undefined ? "import" : `import ${taskId}`;
  const advice =
    STATUS_ADVICE[status] ??
    (deleted
      ? "The import data was deleted (BatchDeleteImportData) outside this stack. Run `pulumi up` again to import again (the task is replaced)."
      : `${DOWNLOAD} Fix the file, then run \`pulumi up\` again (a failed task is replaced).`);
  return `${subject}: ${which} ended in ${status} after ${polls(wait.polls)}${history}${tally}. ${advice}`;
}

/** The warning of a successful import that rejected rows, if it did. */
export function rowErrorsWarning(task: AdsTask): string | undefined {
  const rejected =
    task.status === "IMPORT_COMPLETE_WITH_ERRORS" ||
    (task.serverImportFailure ?? 0) > 0 ||
    (task.applicationImportFailure ?? 0) > 0;
  if (!rejected) return undefined;
  return `import ${task.importTaskId} finished ${task.status} with rejected rows (${counts(task)}). ${DOWNLOAD}`;
}

/** The fix of a failed delete: ADS's daily deletion quota (`overLimit`), or just retry. */
export const deleteAdvice = (overLimit: boolean): string =>
  overLimit
    ? "ADS deletes at most 25,000 import records per day: run `pulumi destroy` again tomorrow, or set retainOnDelete to true to leave the data."
    : "Run `pulumi destroy` again to retry, or set retainOnDelete to true to leave the data.";

/**
 * Fix for the Migration Hub home-region errors (ADS data lives in the home region; writes elsewhere
 * fail). `undefined` when the error is not about the home region.
 */
export function homeRegionAdvice(
  code: string,
  message: string,
  region: string | undefined,
): string | undefined {
  const where = region ?? "<region>";
  // AWS answers HomeRegionNotSetException both when the account has no home region and for a
  // write sent to another region (https://docs.aws.amazon.com/migrationhub-home-region/latest/APIReference/Welcome.html);
  // a message that names a region is the second case.
  const namesRegion = /home region [a-z]{2}(?:-[a-z]+)+-\d/i.test(message);
  if (code === "HomeRegionNotSetException" && !namesRegion) {
    return (
      `ADS keeps its data in the Migration Hub home region, and this account has none. Fix: set it once with ` +
      `\`aws migrationhub-config create-home-region-control --home-region ${where} --target Type=ACCOUNT,Id=<account-id>\` ` +
      `(or in the Migration Hub console), then run \`pulumi up\` again with aws:region set to that region.`
    );
  }
  if (code === "InvalidInputException" || /home region/i.test(message)) {
    return (
      `ADS imports must run in the account's Migration Hub home region (this stack uses ${where}). Fix: set aws:region ` +
      "to the home region (`aws migrationhub-config get-home-region`), then run `pulumi up` again."
    );
  }
  return undefined;
}
