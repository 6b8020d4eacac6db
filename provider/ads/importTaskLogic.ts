/**
 * The ADS facts the spec (importTaskSpec.ts) is made of: the task shape, limits, the S3 URL rule,
 * status classes and acceptors as data, tokens and messages (from the StartImportTask /
 * DescribeImportTasks / BatchDeleteImportData API reference). No I/O.
 */
import type { CheckFailure } from "../core/check";
import { isAwsApiError, summarizeObserved, withAdvice } from "../core/errors";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import { deriveToken, successorToken as nextToken } from "../core/tokens";
import type { Acceptor } from "../core/waiter";
import type { ImportTask } from "./client";

export const RESOURCE_TYPE = "ads.ImportTask";

/** The task as this package sees it: the client's ImportTask, with an ID and a status. */
export type AdsTask = Omit<ImportTask, "importTaskId" | "status"> & {
  importTaskId: string;
  status: string;
};

/** Inputs after check(), as the provider receives them (all optional: they arrive untyped). */
export interface ImportTaskInputs {
  name?: string;
  importUrl?: string;
  clientRequestToken?: string;
  adoptImportTaskId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  failOnRowErrors?: boolean;
  retainOnDelete?: boolean;
  deleteHistoryOnDelete?: boolean;
}

export const DEFAULTS = {
  waitForCompletion: true,
  waitTimeoutMinutes: 120,
  failOnRowErrors: false,
  retainOnDelete: false,
  deleteHistoryOnDelete: false,
} as const;

/** API limits [API_StartImportTask, API_DescribeImportTasks, API_BatchDeleteImportData]. */
export const LIMITS = {
  clientRequestTokenMaxLength: 100,
  importTaskIdMaxLength: 200,
  /** `values` of one DescribeImportTasks filter: 1..100 strings. */
  describeBatchSize: 100,
  /** `importTaskIds` of BatchDeleteImportData: 1..10. */
  deleteBatchSize: 10,
} as const;

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

export interface CheckOptions {
  /**
   * Origins (`http://127.0.0.1:4566`) of a configured endpoint override: an object URL on that
   * endpoint is accepted as an S3 URL, so stacks work against a local emulator.
   */
  extraS3Origins?: readonly string[];
}

/** What the URL names, or why it is not an S3 object URL ADS can read. */
export function parseImportUrl(
  url: string,
  options: CheckOptions = {},
): { bucket: string; key: string } | { error: string } {
  const fix =
    "Fix: upload the CSV to S3 and use s3://BucketName/ImportFileName.CSV (CLI form) or the object URL https://BucketName.s3.Region.amazonaws.com/ImportFileName.CSV.";
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (s3) {
    const [, bucket = "", key = ""] = s3;
    if (!BUCKET.test(bucket)) {
      return {
        error: `must name a valid S3 bucket (got "${bucket}": 3–63 lowercase letters, digits, dots or hyphens). ${fix}`,
      };
    }
    return { bucket, key };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `must be an s3:// or https:// S3 object URL (got an unparsable URL). ${fix}` };
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const origins = options.extraS3Origins ?? [];
  if (origins.includes(parsed.origin)) {
    // Local endpoint: path-style only (`<origin>/<bucket>/<key>`).
    const slash = path.indexOf("/");
    if (slash <= 0 || slash === path.length - 1) {
      return {
        error: `must be <endpoint>/<bucket>/<key> on the configured endpoint (got "${redactUrl(url)}"). ${fix}`,
      };
    }
    return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  }
  if (parsed.protocol !== "https:") {
    return {
      error: `must use the s3:// or https:// scheme (got "${parsed.protocol.replace(/:$/, "")}"). ${fix}`,
    };
  }
  const host = parsed.hostname.toLowerCase();
  if (!S3_HOST.test(host)) {
    return { error: `must be an Amazon S3 URL (got host "${host}"). ${fix}` };
  }
  const virtualHosted = /^(.+)\.s3[.-]/.exec(host);
  if (virtualHosted?.[1] !== undefined) {
    if (path.length === 0) return { error: `must name an object key after the bucket. ${fix}` };
    return { bucket: virtualHosted[1], key: path };
  }
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1) {
    return { error: `must name a bucket and an object key (path-style /<bucket>/<key>). ${fix}` };
  }
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** Why ADS cannot read `url` (credential-bearing, or not an S3 object URL), or undefined. */
export function importUrlProblem(url: unknown, options: CheckOptions): string | undefined {
  if (typeof url !== "string") return undefined;
  if (isCredentialBearingUrl(url)) {
    // ADS reads the object with its own access; a presigned URL would land in state as plaintext.
    return "must not carry credentials (presigned query parameters or user:password@). Fix: use the plain s3://BucketName/ImportFileName.CSV or object URL; ADS reads the object with your account's access.";
  }
  const parsed = parseImportUrl(url, options);
  return "error" in parsed ? parsed.error : undefined;
}

export type StatusClass = "success" | "failure" | "pending";

/**
 * How a create-phase wait treats a status. Unknown future values stay pending until the deadline,
 * except IMPORT_FAILED_* (new failure reasons keep that prefix).
 */
export function classifyImportStatus(status: string, failOnRowErrors: boolean): StatusClass {
  if (status === "IMPORT_COMPLETE") return "success";
  if (status === "IMPORT_COMPLETE_WITH_ERRORS") return failOnRowErrors ? "failure" : "success";
  if (status.startsWith("IMPORT_FAILED")) return "failure";
  if (status === "INTERNAL_ERROR" || status.startsWith("DELETE_")) return "failure";
  if (status === GONE) return "failure";
  return "pending";
}

/** Status recorded when DescribeImportTasks no longer returns the task. */
export const GONE = "GONE";

export type Observation = AdsTask | undefined;

export function statusOf(o: Observation): string {
  return o?.status ?? GONE;
}

export function createAcceptors(failOnRowErrors: boolean): Acceptor<Observation>[] {
  return [
    {
      verdict: "success",
      description: "IMPORT_COMPLETE",
      matches: (o) => o?.status === "IMPORT_COMPLETE",
    },
    {
      verdict: failOnRowErrors ? "failure" : "success",
      description: `IMPORT_COMPLETE_WITH_ERRORS (failOnRowErrors: ${failOnRowErrors})`,
      matches: (o) => o?.status === "IMPORT_COMPLETE_WITH_ERRORS",
    },
    {
      verdict: "failure",
      description: "IMPORT_FAILED*, INTERNAL_ERROR, DELETE_* or gone",
      matches: (o) => classifyImportStatus(statusOf(o), failOnRowErrors) === "failure",
    },
  ];
}

/**
 * After BatchDeleteImportData: DELETE_COMPLETE, or gone (deleteHistory removes the record), is
 * success. IMPORT_* statuses are read as not yet reflecting the delete.
 */
export const deleteAcceptors: readonly Acceptor<Observation>[] = [
  {
    verdict: "success",
    description: "DELETE_COMPLETE or gone",
    matches: (o) => o === undefined || o.status === "DELETE_COMPLETE",
  },
  {
    verdict: "failure",
    description: "DELETE_FAILED* or INTERNAL_ERROR",
    matches: (o) =>
      o !== undefined && (o.status.startsWith("DELETE_FAILED") || o.status === "INTERNAL_ERROR"),
  },
];

/** `ads.ImportTask "servers-q3"`: how messages name the resource (the ADS task name). */
export function subject(name: unknown, fallbackId?: string): string {
  const label = typeof name === "string" && name.length > 0 ? name : (fallbackId ?? "(unnamed)");
  return `${RESOURCE_TYPE} "${label}"`;
}

function counts(task: AdsTask): string {
  const n = (v: number | undefined): string => (v === undefined ? "?" : String(v));
  return (
    `servers ${n(task.serverImportSuccess)} imported / ${n(task.serverImportFailure)} failed, ` +
    `applications ${n(task.applicationImportSuccess)} imported / ${n(task.applicationImportFailure)} failed`
  );
}

export function hasRowErrors(task: AdsTask): boolean {
  return (
    task.status === "IMPORT_COMPLETE_WITH_ERRORS" ||
    (task.serverImportFailure ?? 0) > 0 ||
    (task.applicationImportFailure ?? 0) > 0
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

function adviceFor(status: string): string {
  const known = STATUS_ADVICE[status];
  if (known !== undefined) return known;
  if (status.startsWith("DELETE_")) {
    return "The import data was deleted (BatchDeleteImportData) outside this stack. Run `pulumi up` again to import again (the task is replaced).";
  }
  return `${DOWNLOAD} Fix the file, then run \`pulumi up\` again (a failed task is replaced).`;
}

/**
 * STYLE.md §7: `ads.ImportTask "servers-q3": import ended in IMPORT_FAILED after 4 polls
 * (IMPORT_IN_PROGRESS×3). Download errorsAndFailedEntriesZip for the rejected rows.`
 * Never includes the presigned URL itself.
 */
export function failureMessage(
  name: unknown,
  task: Observation,
  wait: { polls: number; observed: readonly string[] },
  id?: string,
): string {
  const status = statusOf(task);
  const before = wait.observed.slice(0, -1);
  const history = before.length > 0 ? ` (${summarizeObserved(before)})` : "";
  const polls = `${wait.polls} poll${wait.polls === 1 ? "" : "s"}`;
  const tally = task !== undefined && !status.startsWith("DELETE_") ? `; ${counts(task)}` : "";
  const taskId = task?.importTaskId ?? id;
  const which = taskId === undefined ? "import" : `import ${taskId}`;
  return `${subject(name, id)}: ${which} ended in ${status} after ${polls}${history}${tally}. ${adviceFor(status)}`;
}

/** Warning for a successful import that rejected rows. */
export function rowErrorsWarning(task: AdsTask): string {
  return `import ${task.importTaskId} finished ${task.status} with rejected rows (${counts(task)}). ${DOWNLOAD}`;
}

/** Message for a delete that ended in DELETE_FAILED*. */
export function deleteFailureMessage(
  name: unknown,
  task: Observation,
  wait: { polls: number; observed: readonly string[] },
  id: string,
): string {
  const status = statusOf(task);
  const advice =
    status === "DELETE_FAILED_LIMIT_EXCEEDED"
      ? "ADS deletes at most 25,000 import records per day: run `pulumi destroy` again tomorrow, or set retainOnDelete to true to leave the data."
      : "Run `pulumi destroy` again to retry, or set retainOnDelete to true to leave the data.";
  return `${subject(name, id)}: deleting import ${id} ended in ${status} after ${wait.polls} poll${wait.polls === 1 ? "" : "s"}. ${advice}`;
}

/** Per-ID error of BatchDeleteImportData (a partial-failure API), as a message. */
export function batchDeleteErrorMessage(
  name: unknown,
  id: string,
  errorCode: string,
  description: string | undefined,
): string {
  const what = description ? `: ${description}` : "";
  const advice =
    errorCode === "OVER_LIMIT"
      ? "ADS deletes at most 25,000 import records per day: run `pulumi destroy` again tomorrow, or set retainOnDelete to true to leave the data."
      : "Run `pulumi destroy` again to retry, or set retainOnDelete to true to leave the data.";
  return `${subject(name, id)}: BatchDeleteImportData refused ${id} with ${errorCode}${what}. ${advice}`;
}

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

/** Adds the home-region fix to ADS errors that are about the home region. */
export function explain(err: unknown, region: string | undefined): unknown {
  if (!isAwsApiError(err)) return err;
  const advice = homeRegionAdvice(err.code, err.awsMessage, region);
  return advice === undefined ? err : withAdvice(err, advice);
}

/** Cross-field: deleting history only means something when the import data is deleted. */
export function retainConflict(news: Record<string, unknown>): CheckFailure[] {
  if (news["retainOnDelete"] !== true || news["deleteHistoryOnDelete"] !== true) return [];
  const reason =
    "has no effect when retainOnDelete is true (nothing is deleted). Fix: remove deleteHistoryOnDelete or set retainOnDelete to false.";
  return [{ property: "deleteHistoryOnDelete", reason }];
}

/** Why adoptImportTaskId cannot be adopted: DescribeImportTasks does not return it. */
export function adoptMissing(
  id: string,
  name: unknown,
  where: string,
): { reason: string; message: string } {
  return {
    reason: `names ${id}, which DescribeImportTasks does not return in ${where}. Fix: check the ID and that aws:region is the account's Migration Hub home region.`,
    message: `${subject(name, id)}: adoptImportTaskId ${id} was not found in ${where}. Fix: check the ID (aws discovery describe-import-tasks) and that aws:region is the account's Migration Hub home region.`,
  };
}

/** Why create gave up: every task its successor tokens started ended in failure. */
export function exhaustedMessage(name: unknown, last: AdsTask, attempts: number): string {
  return `${subject(name)}: ${attempts} import tasks for this resource's token ended in failure (last ${last.importTaskId}: ${last.status}). Fix the file, then run \`pulumi up\` again.`;
}

/**
 * The token for the next attempt after `failedTaskId`: create never re-adopts a task that already
 * failed (ADS would keep returning it for the same token), so it derives a successor. The chain is
 * deterministic, so an interrupted re-run walks it to the same live task.
 */
export function successorToken(token: string, failedTaskId: string): string {
  return nextToken("ads:ImportTask", token, failedTaskId, {
    maxLength: LIMITS.clientRequestTokenMaxLength,
  });
}

/** Token when the caller gave none (provider used without the resource class). */
export function fallbackToken(name: string | undefined, importUrl: string | undefined): string {
  return deriveToken(
    {
      stack: "",
      project: "",
      type: "ads:ImportTask",
      name: name ?? "",
      inputs: { name, importUrl },
    },
    { maxLength: LIMITS.clientRequestTokenMaxLength },
  );
}
