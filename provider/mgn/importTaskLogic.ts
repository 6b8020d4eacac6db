/**
 * Pure logic of `mgn.ImportTask`: input rules (StartImport / ListImports / ListImportErrors API
 * reference and the MGN import-parameters table), diff, acceptors as data, outputs, messages and
 * the choice of inventory to remove on delete. No I/O.
 */
import {
  type CheckFailure,
  checkBoolean,
  checkInteger,
  checkObject,
  checkString,
  checkStringArray,
  typeName,
} from "../core/check";
import { summarizeObserved } from "../core/errors";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { redact } from "../core/redact";
import { canonicalJson, deriveToken, successorToken } from "../core/tokens";
import { containsUnknown, isUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";

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

/** What `deleteInventoryOnDelete` selects: resources the import created, by tag or alternate key. */
export interface InventorySelector {
  tag?: { key: string; value: string };
  userProvidedIds?: string[];
  applicationNames?: string[];
  waveNames?: string[];
}

/** Inputs after check(), as the provider receives them (all optional: they arrive untyped). */
export interface ImportTaskInputs {
  s3BucketSource?: S3BucketSource;
  clientToken?: string;
  tags?: Record<string, string>;
  adoptImportId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  failOnRowErrors?: boolean;
  deleteInventoryOnDelete?: InventorySelector;
  __provider?: string;
}

export const INPUT_KEYS = [
  "s3BucketSource",
  "clientToken",
  "tags",
  "adoptImportId",
  "waitForCompletion",
  "waitTimeoutMinutes",
  "failOnRowErrors",
  "deleteInventoryOnDelete",
] as const;

export const DEFAULTS = {
  waitForCompletion: true,
  /** Imports of large inventories run for a long time; MGN publishes no duration. */
  waitTimeoutMinutes: 180,
  failOnRowErrors: false,
} as const;

/** API limits [StartImport, ListImports, ListImportErrors; MGN tagging]. */
export const LIMITS = {
  s3BucketMaxLength: 255,
  /** `[^\x00]{1,1020}\.csv`: 1020 characters plus the extension. */
  s3KeyMaxLength: 1024,
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
  waitTimeoutMinutesMax: 10_080,
  selectorMaxItems: 1000,
  inventoryNameMaxLength: 256,
} as const;

/** Polling between 10 s and 60 s: imports take minutes. Polls align to a grid to share batches. */
export const POLL = { minDelayMs: 10_000, maxDelayMs: 60_000, gridMs: 1_000 } as const;

const IMPORT_ID = /^import-[0-9a-zA-Z]{17}$/;
const S3_BUCKET = /^[a-zA-Z0-9.\-_]{1,255}$/;
// eslint-disable-next-line no-control-regex
const S3_KEY = /^[^\x00]{1,1020}\.csv$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const NAME = /^[^\s\x00]( *[^\s\x00])*$/; // eslint-disable-line no-control-regex

/**
 * Every documented constraint plus the cross-field rules; values unknown in preview are skipped.
 * Never throws.
 */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const adopting = news["adoptImportId"] !== undefined;
  checkObject(
    news,
    "s3BucketSource",
    {
      required: !adopting,
      fix: 'give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId',
    },
    failures,
  );
  const src = news["s3BucketSource"];
  if (typeof src === "object" && src !== null && !Array.isArray(src) && !isUnknown(src)) {
    checkString(
      news,
      "s3BucketSource.s3Bucket",
      {
        required: true,
        minLength: 1,
        maxLength: LIMITS.s3BucketMaxLength,
        pattern: S3_BUCKET,
        patternText: "[a-zA-Z0-9.-_]{1,255} (a bucket name, not an s3:// URL)",
        fix: 'give the bucket name alone, e.g. "migration-data"',
      },
      failures,
    );
    checkString(
      news,
      "s3BucketSource.s3Key",
      {
        required: true,
        minLength: 5,
        maxLength: LIMITS.s3KeyMaxLength,
        pattern: S3_KEY,
        patternText: "an object key ending in .csv (MGN imports CSV files only)",
        fix: 'give the key of the CSV object, e.g. "inventory/wave-1.csv"',
      },
      failures,
    );
    checkString(
      news,
      "s3BucketSource.s3BucketOwner",
      {
        pattern: ACCOUNT_ID,
        patternText: "a 12-digit AWS account ID",
        fix: "give the bucket owner's account ID (the bucket must grant s3:GetObject to the caller), or omit it for a bucket in this account",
      },
      failures,
    );
  }
  checkString(
    news,
    "clientToken",
    {
      minLength: 1,
      maxLength: LIMITS.clientTokenMaxLength,
      pattern: PRINTABLE,
      patternText: "printable ASCII without spaces",
      fix: "use 1–64 printable characters, or omit it and let the provider derive one from the stack, the URN and s3BucketSource/tags",
    },
    failures,
  );
  checkTags(news, failures);
  checkString(
    news,
    "adoptImportId",
    {
      pattern: IMPORT_ID,
      patternText: "import- followed by 17 letters or digits",
      fix: "copy importID from `aws mgn list-imports`",
    },
    failures,
  );
  for (const property of ["waitForCompletion", "failOnRowErrors"]) {
    checkBoolean(news, property, { fix: "use true or false" }, failures);
  }
  checkInteger(
    news,
    "waitTimeoutMinutes",
    {
      min: 1,
      max: LIMITS.waitTimeoutMinutesMax,
      fix: "use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
    },
    failures,
  );
  checkSelector(news, failures);
  // Cross-field: failOnRowErrors decides a wait's outcome; nothing waits with waitForCompletion false.
  if (news["failOnRowErrors"] === true && news["waitForCompletion"] === false) {
    failures.push({
      property: "failOnRowErrors",
      reason:
        "has no effect when waitForCompletion is false (the import is not awaited, so its row errors are never judged). Fix: remove failOnRowErrors or set waitForCompletion to true.",
    });
  }
  return failures;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkTags(news: Record<string, unknown>, failures: CheckFailure[]): void {
  checkObject(news, "tags", { fix: 'use a map of strings, e.g. { wave: "1" }' }, failures);
  const tags = news["tags"];
  if (!isPlainObject(tags)) return;
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tagsMaxEntries) {
    failures.push({
      property: "tags",
      reason: `must have at most ${LIMITS.tagsMaxEntries} entries (got ${entries.length}). Fix: drop some tags`,
    });
  }
  for (const [key, value] of entries) {
    if (isUnknown(key)) continue;
    if (key.length > LIMITS.tagKeyMaxLength) {
      failures.push({
        property: `tags.${key.slice(0, 40)}`,
        reason: `key must be at most ${LIMITS.tagKeyMaxLength} characters (got ${key.length}). Fix: shorten the key`,
      });
    } else if (key.toLowerCase().startsWith("aws:")) {
      failures.push({
        property: `tags.${key}`,
        reason: 'key must not start with "aws:" (reserved for AWS). Fix: choose another key',
      });
    }
    if (containsUnknown(value)) continue;
    if (typeof value !== "string") {
      failures.push({
        property: `tags.${key}`,
        reason: `must be a string (got ${typeName(value)}). Fix: quote the value`,
      });
    } else if (value.length > LIMITS.tagValueMaxLength) {
      failures.push({
        property: `tags.${key}`,
        reason: `must be at most ${LIMITS.tagValueMaxLength} characters (got ${value.length}). Fix: shorten the value`,
      });
    }
  }
}

function checkSelector(news: Record<string, unknown>, failures: CheckFailure[]): void {
  const property = "deleteInventoryOnDelete";
  checkObject(
    news,
    property,
    {
      fix: 'use { tag: { key, value } } and/or { userProvidedIds, applicationNames, waveNames }, e.g. { tag: { key: "stack", value: "prod" } }',
    },
    failures,
  );
  const sel = news[property];
  if (!isPlainObject(sel)) return;
  const before = failures.length;
  checkObject(
    news,
    `${property}.tag`,
    { fix: 'use { key: "stack", value: "prod" } (the mgn:*:tag:<key> columns of the CSV)' },
    failures,
  );
  if (isPlainObject(sel["tag"])) {
    checkString(
      news,
      `${property}.tag.key`,
      {
        required: true,
        minLength: 1,
        maxLength: LIMITS.tagKeyMaxLength,
        fix: "give the tag key the CSV sets with mgn:server:tag:<key>, mgn:app:tag:<key> or mgn:wave:tag:<key>",
      },
      failures,
    );
    checkString(
      news,
      `${property}.tag.value`,
      {
        required: true,
        maxLength: LIMITS.tagValueMaxLength,
        fix: "give the tag value the CSV rows carry",
      },
      failures,
    );
  }
  const lists: [string, string, string][] = [
    ["userProvidedIds", "mgn:server:user-provided-id", "the servers' user-provided IDs"],
    ["applicationNames", "mgn:app:name", "the applications' names"],
    ["waveNames", "mgn:wave:name", "the waves' names"],
  ];
  for (const [key, column, what] of lists) {
    checkStringArray(
      news,
      `${property}.${key}`,
      {
        maxItems: LIMITS.selectorMaxItems,
        item: {
          minLength: 1,
          maxLength: LIMITS.inventoryNameMaxLength,
          pattern: NAME,
          patternText: "no leading, trailing or repeated whitespace",
          fix: `give ${what} as the CSV's ${column} column has them`,
        },
        fix: `give ${what} as a list of strings`,
      },
      failures,
    );
  }
  if (failures.length !== before || containsUnknown(sel)) return;
  const selects =
    sel["tag"] !== undefined ||
    lists.some(([key]) => Array.isArray(sel[key]) && (sel[key] as unknown[]).length > 0);
  if (!selects) {
    failures.push({
      property,
      reason:
        "selects nothing. Fix: give tag and/or userProvidedIds, applicationNames, waveNames — or remove deleteInventoryOnDelete to retain the inventory on delete (the default)",
    });
  }
}

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

/** Effective value of an input (`undefined` → its default), so spelling out a default is no change. */
function effective(inputs: Record<string, unknown>, key: string): unknown {
  const v = inputs[key];
  if (v !== undefined) return v;
  return (DEFAULTS as Record<string, unknown>)[key];
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

const REPLACE_KEYS = ["s3BucketSource", "tags", "adoptImportId"] as const;
const UPDATE_KEYS = [
  "clientToken",
  "waitForCompletion",
  "waitTimeoutMinutes",
  "failOnRowErrors",
  "deleteInventoryOnDelete",
] as const;

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * `olds` are the recorded outputs (inputs echoed + import outputs). s3BucketSource, tags (set only
 * by StartImport) and adoptImportId replace; waiting and delete options update in place;
 * `__provider` alone is no change; unknown values count as changes. An import that ended FAILED (or
 * SUCCEEDED with row errors under failOnRowErrors) is replaced, so fixing the CSV and re-running
 * imports again; one still running is an update, which resumes the wait.
 */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffResult {
  const replaces: string[] = [];
  for (const key of REPLACE_KEYS) {
    const next = news[key];
    if (containsUnknown(next)) {
      replaces.push(key);
      continue;
    }
    if (key === "adoptImportId" && next !== undefined && next === olds["importId"]) continue;
    if (key === "tags" && olds["adoptImportId"] !== undefined && next === undefined) continue;
    if (!same(olds[key], next)) replaces.push(key);
  }
  let changes = replaces.length > 0;
  for (const key of UPDATE_KEYS) {
    const next = news[key];
    if (containsUnknown(next) || !same(effective(olds, key), effective(news, key))) changes = true;
  }
  const status = olds["status"];
  if (typeof status === "string") {
    const errors = typeof olds["importErrorCount"] === "number" ? olds["importErrorCount"] : 0;
    const verdict = finalVerdict(status, errors, effective(news, "failOnRowErrors") === true);
    if (verdict === "failure") {
      replaces.push("status");
      changes = true;
    } else if (verdict === "pending" && effective(news, "waitForCompletion") !== false) {
      changes = true;
    }
  }
  return { changes, replaces, deleteBeforeReplace: false };
}

/** The recorded inputs of a resource, read back from its outputs (and `__provider`). */
export function inputsOf(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...INPUT_KEYS, "__provider"]) {
    if (props[key] !== undefined) out[key] = props[key];
  }
  return out;
}

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
 * Outputs: the inputs echoed (diff reads them back), the import's fields, and — once known — the
 * first row errors and their total. `errors` undefined keeps the recorded ones (from `previous`).
 */
export function toOutputs(
  inputs: Record<string, unknown>,
  task: MgnImport,
  errors?: ImportErrors,
  previous: Record<string, unknown> = {},
): Record<string, OutputValue> {
  const recordedErrors = previous["importErrors"];
  const recordedCount = previous["importErrorCount"];
  return normalizeOutputs({
    ...inputsOf(inputs),
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
    // The echoed input wins (diff compares it); an adopted import shows the tags MGN has.
    tags: inputs["tags"] ?? task.tags,
    importErrors:
      errors === undefined
        ? recordedErrors
        : errors.items.slice(0, LIMITS.importErrorsInOutputs).map((e) => ({
            ...e,
            ...(e.rawError === undefined ? {} : { rawError: clip(redact(e.rawError)) }),
            message: errorLine(e),
          })),
    importErrorCount: errors === undefined ? recordedCount : errors.total,
  });
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

/** Wait limit: the input, then stack config `awsMigration:waitTimeoutMinutes`, then 180. */
export function waitTimeoutMs(inputs: ImportTaskInputs, configMinutes: number | undefined): number {
  return (inputs.waitTimeoutMinutes ?? configMinutes ?? DEFAULTS.waitTimeoutMinutes) * 60_000;
}

function stringList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;
}

function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isPlainObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

/** Narrows untyped inputs after check() (wrong types were already reported there). */
export function asInputs(raw: Record<string, unknown>): ImportTaskInputs {
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const bool = (k: string): boolean | undefined =>
    typeof raw[k] === "boolean" ? raw[k] : undefined;
  const out: ImportTaskInputs = {};
  const src = raw["s3BucketSource"];
  if (isPlainObject(src)) {
    const s3Bucket = str(src["s3Bucket"]);
    const s3Key = str(src["s3Key"]);
    const owner = str(src["s3BucketOwner"]);
    if (s3Bucket !== undefined && s3Key !== undefined) {
      out.s3BucketSource = {
        s3Bucket,
        s3Key,
        ...(owner === undefined ? {} : { s3BucketOwner: owner }),
      };
    }
  }
  const token = str(raw["clientToken"]);
  if (token !== undefined) out.clientToken = token;
  const tags = stringMap(raw["tags"]);
  if (tags !== undefined) out.tags = tags;
  const adopt = str(raw["adoptImportId"]);
  if (adopt !== undefined) out.adoptImportId = adopt;
  const wait = bool("waitForCompletion");
  if (wait !== undefined) out.waitForCompletion = wait;
  const minutes = raw["waitTimeoutMinutes"];
  if (typeof minutes === "number" && Number.isFinite(minutes)) out.waitTimeoutMinutes = minutes;
  const fail = bool("failOnRowErrors");
  if (fail !== undefined) out.failOnRowErrors = fail;
  const sel = raw["deleteInventoryOnDelete"];
  if (isPlainObject(sel)) {
    const selector: InventorySelector = {};
    const tag = sel["tag"];
    if (isPlainObject(tag) && typeof tag["key"] === "string" && typeof tag["value"] === "string") {
      selector.tag = { key: tag["key"], value: tag["value"] };
    }
    for (const key of ["userProvidedIds", "applicationNames", "waveNames"] as const) {
      const list = stringList(sel[key]);
      if (list !== undefined) selector[key] = list;
    }
    out.deleteInventoryOnDelete = selector;
  }
  const provider = str(raw["__provider"]);
  if (provider !== undefined) out.__provider = provider;
  return out;
}

// ---- Inventory removal on delete ------------------------------------------------------------

export interface InventoryServer {
  sourceServerID: string;
  userProvidedID?: string;
  applicationID?: string;
  tags: Record<string, string>;
}

export interface InventoryApplication {
  applicationID: string;
  name: string;
  waveID?: string;
  tags: Record<string, string>;
}

export interface InventoryWave {
  waveID: string;
  name: string;
  tags: Record<string, string>;
}

export interface Inventory {
  servers: InventoryServer[];
  applications: InventoryApplication[];
  waves: InventoryWave[];
}

export interface InventoryPlan {
  /** In deletion order: servers, then applications, then waves (MGN refuses a non-empty parent). */
  servers: string[];
  applications: string[];
  waves: string[];
  /** Selected parents kept because unselected members still belong to them. */
  kept: { id: string; reason: string }[];
}

/**
 * Which inventory to delete: resources carrying the selector's tag, servers by user-provided ID,
 * applications and waves by name (MGN's alternate keys). A selected application or wave that still
 * holds an unselected member is kept — it is not only this import's — and reported.
 */
export function planInventoryRemoval(inv: Inventory, sel: InventorySelector): InventoryPlan {
  const tagged = (tags: Record<string, string>): boolean =>
    sel.tag !== undefined && tags[sel.tag.key] === sel.tag.value;
  const servers = inv.servers.filter(
    (s) =>
      tagged(s.tags) ||
      (s.userProvidedID !== undefined && (sel.userProvidedIds ?? []).includes(s.userProvidedID)),
  );
  const gone = new Set(servers.map((s) => s.sourceServerID));
  const kept: InventoryPlan["kept"] = [];
  const applications = inv.applications.filter((a) => {
    if (!tagged(a.tags) && !(sel.applicationNames ?? []).includes(a.name)) return false;
    const others = inv.servers.filter(
      (s) => s.applicationID === a.applicationID && !gone.has(s.sourceServerID),
    ).length;
    if (others === 0) return true;
    kept.push({
      id: a.applicationID,
      reason: `application ${a.name} (${a.applicationID}) still has ${others} source server(s) the selector does not match`,
    });
    return false;
  });
  const goneApps = new Set(applications.map((a) => a.applicationID));
  const waves = inv.waves.filter((w) => {
    if (!tagged(w.tags) && !(sel.waveNames ?? []).includes(w.name)) return false;
    const others = inv.applications.filter(
      (a) => a.waveID === w.waveID && !goneApps.has(a.applicationID),
    ).length;
    if (others === 0) return true;
    kept.push({
      id: w.waveID,
      reason: `wave ${w.name} (${w.waveID}) still has ${others} application(s) the selector does not match`,
    });
    return false;
  });
  return {
    servers: servers.map((s) => s.sourceServerID),
    applications: applications.map((a) => a.applicationID),
    waves: waves.map((w) => w.waveID),
    kept,
  };
}
