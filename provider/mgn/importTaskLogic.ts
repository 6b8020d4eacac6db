/**
 * What is MGN's own in `mgn.ImportTask`, as pure functions: the import and its row errors as this
 * package sees them, status classes, the row-error outputs and messages with their fixes. The
 * lifecycle around them is core/task's. No I/O.
 */
import { summarizeObserved } from "../core/errors";
import type { OutputValue } from "../core/outputs";
import { redact } from "../core/redact";
import type { InventorySelector } from "./inventory";

export interface S3BucketSource {
  s3Bucket: string;
  s3Key: string;
  s3BucketOwner?: string;
}

export interface Counts {
  createdCount: number;
  modifiedCount: number;
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
  summary?: { waves?: Counts; applications?: Counts; servers?: Counts };
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

/** Status recorded when ListImports no longer returns the import. */
export const GONE = "GONE";

export const statusOf = (o: MgnImport | undefined): string => o?.status ?? GONE;

/**
 * SUCCEEDED and FAILED are terminal; PENDING, STARTED and unknown future values are pending. Once
 * row errors are known, SUCCEEDED with errors fails only with failOnRowErrors.
 */
export function classify(
  status: string,
  errorCount = 0,
  failOnRowErrors = false,
): "success" | "failure" | "pending" {
  if (status === "FAILED" || status === GONE) return "failure";
  if (status !== "SUCCEEDED") return "pending";
  return failOnRowErrors && errorCount > 0 ? "failure" : "success";
}

function clip(s: string): string {
  const max = LIMITS.rawErrorMaxLength;
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/** `row 3: VALIDATION_ERROR: <rawError>` (redacted, cut to LIMITS.rawErrorMaxLength). */
export function errorLine(e: MgnImportError): string {
  const where = e.rowNumber === undefined ? "file" : `row ${e.rowNumber}`;
  const raw = e.rawError === undefined ? "(no detail)" : clip(redact(e.rawError));
  const ids = [e.sourceServerID, e.applicationID, e.waveID].filter((s) => s !== undefined);
  const about = ids.length > 0 ? ` [${ids.join(", ")}]` : "";
  return `${where}: ${e.errorType ?? "ERROR"}${about}: ${raw}`;
}

const KINDS = ["waves", "applications", "servers"] as const;

/**
 * The import's own outputs and — once known — its first row errors and their total; `errors`
 * undefined keeps the ones recorded in `previous`. `tags` is MGN's (the spec prefers the input).
 */
export function importOutputs(
  task: MgnImport,
  errors?: ImportErrors,
  previous: Record<string, unknown> = {},
): Record<string, unknown> {
  const { summary } = task;
  return {
    importId: task.importID,
    arn: task.arn,
    status: task.status,
    progressPercentage: task.progressPercentage,
    creationDateTime: task.creationDateTime,
    endDateTime: task.endDateTime,
    summary:
      summary &&
      Object.fromEntries(
        KINDS.map((k) => [
          k,
          {
            createdCount: summary[k]?.createdCount ?? 0,
            modifiedCount: summary[k]?.modifiedCount ?? 0,
          },
        ]),
      ),
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
  if (classify(status) === "pending") return undefined;
  return { items: items as MgnImportError[], total };
}

/** Label of an import in messages: its ID, else the CSV location. */
export function label(inputs: ImportTaskInputs, id?: string): string {
  if (id !== undefined) return id;
  const src = inputs.s3BucketSource;
  if (src !== undefined) return `s3://${src.s3Bucket}/${src.s3Key}`;
  return inputs.adoptImportId ?? "(unnamed)";
}

function summaryText(task: MgnImport): string {
  const s = task.summary;
  return KINDS.map(
    (k) => `${k} ${s?.[k]?.createdCount ?? 0} created / ${s?.[k]?.modifiedCount ?? 0} modified`,
  ).join(", ");
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
  task: MgnImport | undefined,
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
  return `mgn.ImportTask "${id}": import ${id} ended in ${status} after ${polls}${history}${tally}${errorsText(errors)}. ${advice}`;
}

/** Warning for a successful import that rejected rows. */
export function rowErrorsWarning(task: MgnImport, errors: ImportErrors): string {
  return `import ${task.importID} SUCCEEDED with rejected rows (${summaryText(task)}${errorsText(errors)}). See the importErrors output.`;
}

export const QUOTA_ADVICE =
  "MGN refused the start for lack of quota (imports in progress). Wait for running imports to finish or request a quota increase, then run `pulumi up` again.";

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
  return code === "ServiceQuotaExceededException" ? QUOTA_ADVICE : undefined;
}
