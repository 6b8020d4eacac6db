/**
 * What is MGN's own in `mgn.ImportTask`, as pure functions: the import and its row errors as this
 * package sees them, status classification, the row-error outputs, messages with their fixes, and
 * tokens. The lifecycle around them is core/task's. No I/O.
 */
import { summarizeObserved } from "../core/errors";
import type { OutputValue } from "../core/outputs";
import { redact } from "../core/redact";
import { deriveToken, successorToken } from "../core/tokens";
import type { Acceptor } from "../core/waiter";
import type { InventorySelector } from "./inventory";

export const RESOURCE_TYPE = "mgn.ImportTask";
const TOKEN_TYPE = "mgn:ImportTask";

export interface S3BucketSource {
  s3Bucket: string;
  s3Key: string;
  s3BucketOwner?: string;
}

export interface Counts {
  createdCount: number;
  modifiedCount: number;
}

export interface ImportSummary {
  waves?: Counts;
  applications?: Counts;
  servers?: Counts;
}

/** An MGN ImportTask as this package sees it (timestamps stay the ISO strings MGN sends). */
export interface MgnImport {
  importID: string;
  status: string;
  arn?: string;
  s3BucketSource?: S3BucketSource;
  creationDateTime?: string;
  endDateTime?: string;
  progressPercentage?: number;
  summary?: ImportSummary;
  tags?: Record<string, string>;
}

/** One row of ListImportErrors, flattened (errorData's members beside errorType). */
export interface MgnImportError {
  errorType?: string;
  errorDateTime?: string;
  rowNumber?: number;
  rawError?: string;
  sourceServerID?: string;
  applicationID?: string;
  waveID?: string;
  ec2LaunchTemplateID?: string;
  accountID?: string;
}

/** The first errors of an import and how many there are in all. */
export interface ImportErrors {
  items: MgnImportError[];
  total: number;
}

/** Inputs after check(), narrowed (all optional: they arrive untyped). */
export interface ImportTaskInputs {
  s3BucketSource?: S3BucketSource;
  clientToken?: string;
  tags?: Record<string, string>;
  adoptImportId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  failOnRowErrors?: boolean;
  deleteInventoryOnDelete?: InventorySelector;
}

/** API limits [StartImport, ListImports, ListImportErrors; MGN tagging]. */
export const LIMITS = {
  clientTokenMaxLength: 64,
  tagsMaxEntries: 50,
  tagKeyMaxLength: 256,
  tagValueMaxLength: 256,
  /** `filters.importIDs` of ListImports: at most 10. */
  listImportsBatchSize: 10,
  /** Row errors copied into the outputs (all are counted). */
  importErrorsInOutputs: 20,
  /** rawError is up to 65,536 characters; outputs keep the start. */
  rawErrorMaxLength: 1000,
  selectorMaxItems: 1000,
  inventoryNameMaxLength: 256,
} as const;

/** Polling between 10 s and 60 s: imports take minutes. Polls align to a grid to share batches. */
/** ListImports takes only 10 IDs a call: shared rounds may spend 5 calls/s, half its 10/s limit. */
export const POLL = {
  minDelayMs: 10_000,
  maxDelayMs: 60_000,
  gridMs: 1_000,
  shareMs: 90_000,
  budgetCallsPerSecond: 5,
} as const;

export type StatusClass = "success" | "failure" | "pending";

/** Status recorded when ListImports no longer returns the import. */
export const GONE = "GONE";

/** SUCCEEDED and FAILED are terminal; PENDING, STARTED and unknown future values are pending. */
export function classifyImportStatus(status: string): StatusClass {
  if (status === "SUCCEEDED") return "success";
  if (status === "FAILED" || status === GONE) return "failure";
  return "pending";
}

/** The verdict once row errors are known: SUCCEEDED with errors fails only with failOnRowErrors. */
export function finalVerdict(
  status: string,
  errorCount: number,
  failOnRowErrors: boolean,
): StatusClass {
  const c = classifyImportStatus(status);
  if (c === "success" && failOnRowErrors && errorCount > 0) return "failure";
  return c;
}

export type Observation = MgnImport | undefined;

export function statusOf(o: Observation): string {
  return o?.status ?? GONE;
}

/** The wait ends at any terminal status; row errors are judged afterwards (finalVerdict). */
export const importAcceptors: readonly Acceptor<Observation>[] = [
  { verdict: "success", description: "SUCCEEDED", matches: (o) => o?.status === "SUCCEEDED" },
  {
    verdict: "failure",
    description: "FAILED or gone",
    matches: (o) => classifyImportStatus(statusOf(o)) === "failure",
  },
];

/** `row 3: VALIDATION_ERROR: <rawError>` (redacted, cut to LIMITS.rawErrorMaxLength). */
export function errorLine(e: MgnImportError): string {
  const where = e.rowNumber === undefined ? "file" : `row ${e.rowNumber}`;
  const raw = e.rawError === undefined ? "(no detail)" : clip(redact(e.rawError));
  const ids = [e.sourceServerID, e.applicationID, e.waveID].filter((s) => s !== undefined);
  const about = ids.length > 0 ? ` [${ids.join(", ")}]` : "";
  return `${where}: ${e.errorType ?? "ERROR"}${about}: ${raw}`;
}

function clip(s: string): string {
  const max = LIMITS.rawErrorMaxLength;
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

function counts(c: Counts | undefined): Record<string, number> {
  return { createdCount: c?.createdCount ?? 0, modifiedCount: c?.modifiedCount ?? 0 };
}

/**
 * The import's own outputs and — once known — its first row errors and their total; `errors`
 * undefined keeps the ones recorded in `previous`. `tags` is MGN's (the spec prefers the input).
 */
export function importOutputs(
  task: MgnImport,
  errors?: ImportErrors,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    importId: task.importID,
    arn: task.arn,
    status: task.status,
    progressPercentage: task.progressPercentage,
    creationDateTime: task.creationDateTime,
    endDateTime: task.endDateTime,
    summary:
      task.summary === undefined
        ? undefined
        : {
            waves: counts(task.summary.waves),
            applications: counts(task.summary.applications),
            servers: counts(task.summary.servers),
          },
    tags: task.tags,
    importErrors:
      errors === undefined
        ? previous["importErrors"]
        : errors.items
            .slice(0, LIMITS.importErrorsInOutputs)
            .map((e): Record<string, OutputValue> => ({
              ...e,
              ...(e.rawError === undefined ? {} : { rawError: clip(redact(e.rawError)) }),
              message: errorLine(e),
            })),
    importErrorCount: errors === undefined ? previous["importErrorCount"] : errors.total,
  };
}

/**
 * The row errors recorded in `props` when they belong to an import that had already ended with
 * `status` (they cannot change after that); undefined when they must be read.
 */
export function recordedErrors(
  props: Record<string, unknown>,
  status: string,
): ImportErrors | undefined {
  const total = props["importErrorCount"];
  const items = props["importErrors"];
  if (props["status"] !== status || typeof total !== "number" || !Array.isArray(items)) {
    return undefined;
  }
  if (classifyImportStatus(status) === "pending") return undefined;
  return { items: items as MgnImportError[], total };
}

/** Label of an import in messages: the CSV location before an ID exists. */
export function label(inputs: ImportTaskInputs, id?: string): string {
  if (id !== undefined) return id;
  const src = inputs.s3BucketSource;
  if (src !== undefined) return `s3://${src.s3Bucket}/${src.s3Key}`;
  return inputs.adoptImportId ?? "(unnamed)";
}

/** `mgn.ImportTask "s3://b/k"`: how messages name the resource. */
export function subject(inputs: ImportTaskInputs, id?: string): string {
  return `${RESOURCE_TYPE} "${label(inputs, id)}"`;
}

/** Log label: `mgn.ImportTask import-0123…`. */
export function logLabel(inputs: ImportTaskInputs, id?: string): string {
  return `${RESOURCE_TYPE} ${label(inputs, id)}`;
}

export function summaryText(task: MgnImport): string {
  const s = task.summary;
  const part = (what: string, c: Counts | undefined): string =>
    `${what} ${c?.createdCount ?? 0} created / ${c?.modifiedCount ?? 0} modified`;
  return [
    part("waves", s?.waves),
    part("applications", s?.applications),
    part("servers", s?.servers),
  ].join(", ");
}

function errorsText(errors: ImportErrors | undefined, shown = 3): string {
  if (errors === undefined || errors.total === 0) return "";
  const lines = errors.items.slice(0, shown).map(errorLine);
  const more = errors.total > lines.length ? `; ${errors.total - lines.length} more` : "";
  return `; ${errors.total} row error${errors.total === 1 ? "" : "s"}: ${lines.join("; ")}${more}`;
}

/**
 * STYLE.md §7: `mgn.ImportTask "import-…": import import-… ended in FAILED after 4 polls
 * (PENDING, STARTED×2); waves 0 created / 0 modified, …; 1 row error: row 2: … <advice>`.
 */
export function failureMessage(
  inputs: ImportTaskInputs,
  task: Observation,
  wait: { polls: number; observed: readonly string[] },
  id: string,
  errors?: ImportErrors,
): string {
  const status = statusOf(task);
  const before = wait.observed.slice(0, -1);
  const history = before.length > 0 ? ` (${summarizeObserved(before)})` : "";
  const polls = `${wait.polls} poll${wait.polls === 1 ? "" : "s"}`;
  const tally = task === undefined ? "" : `; ${summaryText(task)}`;
  const src = inputs.s3BucketSource ?? task?.s3BucketSource;
  const file = src === undefined ? "the CSV" : `s3://${src.s3Bucket}/${src.s3Key}`;
  let advice: string;
  if (status === GONE) {
    advice =
      "ListImports no longer returns the import (MGN keeps import history for a limited time). Run `pulumi refresh`, then `pulumi up` to import again.";
  } else if (status === "SUCCEEDED") {
    advice = `Some rows were rejected and failOnRowErrors is true. Fix those rows in ${file} (see the importErrors output), or set failOnRowErrors to false to accept a partial import; then run \`pulumi up\` again.`;
  } else {
    advice = `Fix ${file} (see the importErrors output and \`aws mgn list-import-errors --import-id ${id}\`), then run \`pulumi up\` again (a failed import is replaced).`;
  }
  return `${subject(inputs, id)}: import ${id} ended in ${status} after ${polls}${history}${tally}${errorsText(errors)}. ${advice}`;
}

/** Warning for a successful import that rejected rows. */
export function rowErrorsWarning(task: MgnImport, errors: ImportErrors): string {
  return `import ${task.importID} SUCCEEDED with rejected rows (${summaryText(task)}${errorsText(errors)}). See the importErrors output.`;
}

/** Advice for errors whose fix is known; undefined otherwise. */
export function errorAdvice(
  code: string,
  region: string | undefined,
  operation?: string,
): string | undefined {
  if (code === "ConflictException" && operation === "StartImport") {
    return "MGN already used this clientToken for an import with other parameters (s3BucketSource or tags). Fix: remove clientToken (the provider derives one from the inputs) or set a new one, then run `pulumi up` again.";
  }
  const where = region ?? "<region>";
  if (code === "UninitializedAccountException") {
    return (
      `Application Migration Service is not initialized in this account and region (${where}). Fix: run ` +
      `\`aws mgn initialize-service --region ${where}\` once (or open the Application Migration Service console in ${where} and choose Get started; it creates MGN's service roles), then run \`pulumi up\` again.`
    );
  }
  if (code === "ServiceQuotaExceededException") {
    return "MGN refused the start for lack of quota (imports in progress). Wait for running imports to finish or request a quota increase, then run `pulumi up` again.";
  }
  return undefined;
}

/** Token when the caller gave none (provider used without the resource class). */
export function fallbackToken(inputs: ImportTaskInputs): string {
  return deriveToken(
    {
      stack: "",
      project: "",
      type: TOKEN_TYPE,
      name: "",
      inputs: { s3BucketSource: inputs.s3BucketSource, tags: inputs.tags },
    },
    { maxLength: LIMITS.clientTokenMaxLength },
  );
}

/** The token of the next attempt after an import that already failed under `token`. */
export function nextToken(token: string, failedImportId: string): string {
  return successorToken(TOKEN_TYPE, token, failedImportId, {
    maxLength: LIMITS.clientTokenMaxLength,
  });
}
