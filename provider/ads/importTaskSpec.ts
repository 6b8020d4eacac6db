/**
 * `ads.ImportTask` as a spec for the one lifecycle (core/task): StartImportTask, then wait through
 * the shared, batched DescribeImportTasks rounds; BatchDeleteImportData on delete unless
 * `retainOnDelete`. Rules, statuses and fixes follow the ADS API reference; I/O is in api.ts.
 */
import { modelRule } from "../core/awsModel";
import { endpointOrigins } from "../core/config";
import { ImportTaskFailedError, summarizeObserved } from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import { acceptorsFrom, explainWith, noEffectWhen, tokenFacts } from "../core/task/helpers";
import {
  echoOutputs,
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import { type AdsApi, type AdsTask, createAdsApi, type DeleteOutcome, TASK_MEMBERS } from "./api";
import { MODEL } from "./model.generated";

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
function importUrlProblem(url: unknown, origins: readonly string[]): string | undefined {
  if (typeof url !== "string") return undefined;
  if (isCredentialBearingUrl(url)) {
    // ADS reads the object with its own access; a presigned URL would land in state as plaintext.
    return "must not carry credentials (presigned query parameters or user:password@). Fix: use the plain s3://BucketName/ImportFileName.CSV or object URL; ADS reads the object with your account's access.";
  }
  const bucket = /^s3:\/\/([^/]+)\/(.+)$/.exec(url)?.[1];
  if (bucket !== undefined) {
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

const REQUEST = "StartImportTaskRequest";
const BOOLEAN = { kind: "boolean", fix: "use true or false" } as const;

/**
 * Check order is table order: the failures of one check come out in it. The AWS-mapped inputs' rules
 * come from the service model (model.generated.ts); only the fix (and a readable pattern) is ours.
 */
export const properties: PropertyTable<ImportTaskInputs & SourceInputs> = {
  name: {
    rule: {
      kind: "string",
      required: true,
      ...modelRule(MODEL, REQUEST, "name", {
        patternText: "at least one non-whitespace character",
        fix: "give the import a descriptive name of 1–255 characters",
      }),
    },
    requiredUnless: "adoptImportTaskId",
    change: "replace",
    awsName: "name",
  },
  sourceEtag: sourceEtagProperty,
  importUrl: {
    rule: {
      kind: "string",
      required: true,
      ...modelRule(MODEL, REQUEST, "importUrl", {
        patternText: "<scheme>://<bucket>/<key>",
        fix: "use s3://BucketName/ImportFileName.CSV or the S3 object URL",
      }),
    },
    requiredUnless: "adoptImportTaskId",
    refine: (url, { settings }) => importUrlProblem(url, endpointOrigins(settings, "ads")),
    change: "replace",
    awsName: "importUrl",
  },
  clientRequestToken: {
    rule: {
      kind: "string",
      ...modelRule(MODEL, REQUEST, "clientRequestToken", {
        fix: "use 1–100 characters, or omit it and let the provider derive one from the stack, the URN and name/importUrl",
      }),
    },
    // A resource alias must not re-import.
    change: "update",
    awsName: "clientRequestToken",
  },
  adoptImportTaskId: {
    rule: {
      kind: "string",
      maxLength: 200,
      pattern: /^import-task-[a-fA-F0-9]{32}$/,
      patternText: "import-task- followed by 32 hex digits",
      fix: "copy importTaskId from `aws discovery describe-import-tasks`",
    },
    change: "replace",
  },
  waitForCompletion: { rule: BOOLEAN, change: "update", default: true },
  failOnRowErrors: { rule: BOOLEAN, change: "update", default: false },
  retainOnDelete: { rule: BOOLEAN, change: "update", default: false },
  deleteHistoryOnDelete: {
    rule: BOOLEAN,
    change: "update",
    default: false,
    awsName: "deleteHistory",
  },
  waitTimeoutMinutes: waitTimeoutProperty(120),
};

/** The task's fields a resource outputs, besides its inputs echoed. */
const OUTPUTS = [...TASK_MEMBERS.strings, ...TASK_MEMBERS.counts, ...TASK_MEMBERS.times];

/** Status recorded when DescribeImportTasks no longer returns the task. */
const GONE = "GONE";
const statusOf = (o: AdsTask | undefined): string => o?.status ?? GONE;

/**
 * How a create-phase wait treats a status. Unknown future values stay pending until the deadline,
 * except IMPORT_FAILED_* (new failure reasons keep that prefix).
 */
function classify(status: string, failOnRowErrors = false): "success" | "failure" | "pending" {
  if (status === "IMPORT_COMPLETE") return "success";
  if (status === "IMPORT_COMPLETE_WITH_ERRORS") return failOnRowErrors ? "failure" : "success";
  if (/^(?:IMPORT_FAILED|DELETE_)/.test(status) || status === "INTERNAL_ERROR") return "failure";
  return status === GONE ? "failure" : "pending";
}

/**
 * After BatchDeleteImportData: DELETE_COMPLETE, or gone (deleteHistory removes the record), is
 * success; IMPORT_* statuses are read as not yet reflecting the delete.
 */
const DELETE_ACCEPTORS = acceptorsFrom((o: AdsTask | undefined) => {
  if (o === undefined || o.status === "DELETE_COMPLETE") return "success";
  if (o.status.startsWith("DELETE_FAILED") || o.status === "INTERNAL_ERROR") return "failure";
  return "pending";
});

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

const polls = (n: number): string => `${n} poll${n === 1 ? "" : "s"}`;

/** One BatchDeleteImportData batcher per deleteHistory value (the flag is per call, not per ID). */
type Deleters = Record<"history" | "keepHistory", BatchPoller<DeleteOutcome>>;

/** BatchDeleteImportData per-ID INTERNAL_SERVER_ERROR: attempts before failing the delete. */
const DELETE_ATTEMPTS = 3;

const label = (inputs: ImportTaskInputs, id?: string): string =>
  typeof inputs.name === "string" && inputs.name.length > 0 ? inputs.name : (id ?? "(unnamed)");
const subject = (inputs: ImportTaskInputs, id?: string): string =>
  `ads.ImportTask "${label(inputs, id)}"`;

export const importTask: TaskSpec<ImportTaskInputs, AdsTask, AdsApi, Deleters> = {
  service: "ads",
  className: "ImportTask",
  properties,
  checkMore: noEffectWhen("deleteHistoryOnDelete", "retainOnDelete", true, "nothing is deleted"),
  createApi: createAdsApi,
  state: (ctx) => {
    const deleter = (history: boolean): BatchPoller<DeleteOutcome> =>
      // BatchDeleteImportData takes 1..10 importTaskIds.
      ctx.batcher("BatchDeleteImportData", 10, (ids) =>
        ctx.api.batchDeleteImportData(ids, history),
      );
    return { history: deleter(true), keepHistory: deleter(false) };
  },
  describe: {
    operation: "DescribeImportTasks",
    // The IMPORT_TASK_ID filter takes 1..100 values.
    batchSize: 100,
    call: (api, ids) => api.describeImportTasks(ids),
  },
  // ADS imports take minutes and are processed one at a time.
  poll: { minDelayMs: 5_000, maxDelayMs: 60_000, gridMs: 1_000, shareMs: 120_000 },
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: (status, inputs) => classify(status, inputs.failOnRowErrors),
  acceptors: (phase, inputs) =>
    phase === "create"
      ? acceptorsFrom((o) => classify(statusOf(o), inputs.failOnRowErrors))
      : DELETE_ACCEPTORS,
  // Gone, or deleted with its data: nothing is left for the stack to manage.
  vanished: (task) => task.status === "DELETE_COMPLETE",
  adoptProperty: "adoptImportTaskId",
  adoptMissing: (id, inputs, where) => ({
    reason: `names ${id}, which DescribeImportTasks does not return in ${where}. Fix: check the ID and that aws:region is the account's Migration Hub home region.`,
    message: `${subject(inputs, id)}: adoptImportTaskId ${id} was not found in ${where}. Fix: check the ID (aws discovery describe-import-tasks) and that aws:region is the account's Migration Hub home region.`,
  }),
  adoptWarnings: (inputs, task) =>
    (["name", "importUrl"] as const)
      .filter((k) => inputs[k] !== undefined && task[k] !== undefined && inputs[k] !== task[k])
      .map((k) => `adopted task's ${k} differs from the input (the task's value is kept in ADS)`),
  tokenProperty: "clientRequestToken",
  // StartImportTask's clientRequestToken is 1–100 characters.
  ...tokenFacts<ImportTaskInputs>("ads:ImportTask", 100, ({ name, importUrl }) => ({
    name: name ?? "",
    inputs: { name, importUrl },
  })),
  start: (ctx, inputs, clientRequestToken) =>
    ctx.aws("StartImportTask", () =>
      ctx.api.startImportTask({
        name: inputs.name ?? "",
        importUrl: inputs.importUrl ?? "",
        clientRequestToken,
      }),
    ),
  exhaustedMessage: (inputs, last, attempts) =>
    `${subject(inputs)}: ${attempts} import tasks for this resource's token ended in failure (last ${last.importTaskId}: ${last.status}). Fix the file, then run \`pulumi up\` again.`,
  toOutputs: (raw, task) => echoOutputs(properties, raw, task, OUTPUTS),
  outputs: OUTPUTS,
  secretOutputs: ["errorsAndFailedEntriesZip"],
  name: label,
  // STYLE.md §7; never includes the presigned URL itself.
  failureMessage: (inputs, task, wait, id) => {
    const status = statusOf(task);
    const before = wait.observed.slice(0, -1);
    const history = before.length > 0 ? ` (${summarizeObserved(before)})` : "";
    const deleted = status.startsWith("DELETE_");
    const tally = task !== undefined && !deleted ? `; ${counts(task)}` : "";
    const advice =
      STATUS_ADVICE[status] ??
      (deleted
        ? "The import data was deleted (BatchDeleteImportData) outside this stack. Run `pulumi up` again to import again (the task is replaced)."
        : `${DOWNLOAD} Fix the file, then run \`pulumi up\` again (a failed task is replaced).`);
    return `${subject(inputs, id)}: import ${task?.importTaskId ?? id} ended in ${status} after ${polls(wait.polls)}${history}${tally}. ${advice}`;
  },
  // Migration Hub home-region errors: ADS data lives in the home region; writes elsewhere fail.
  explain: explainWith(({ code, awsMessage }, { region: where = "<region>" }) => {
    // AWS answers HomeRegionNotSetException both when the account has no home region and for a
    // write sent to another region (https://docs.aws.amazon.com/migrationhub-home-region/latest/APIReference/Welcome.html);
    // a message that names a region is the second case.
    const namesRegion = /home region [a-z]{2}(?:-[a-z]+)+-\d/i.test(awsMessage);
    if (code === "HomeRegionNotSetException" && !namesRegion) {
      return (
        `ADS keeps its data in the Migration Hub home region, and this account has none. Fix: set it once with ` +
        `\`aws migrationhub-config create-home-region-control --home-region ${where} --target Type=ACCOUNT,Id=<account-id>\` ` +
        `(or in the Migration Hub console), then run \`pulumi up\` again with aws:region set to that region.`
      );
    }
    if (code === "InvalidInputException" || /home region/i.test(awsMessage)) {
      return (
        `ADS imports must run in the account's Migration Hub home region (this stack uses ${where}). Fix: set aws:region ` +
        "to the home region (`aws migrationhub-config get-home-region`), then run `pulumi up` again."
      );
    }
    return undefined;
  }),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its imported data in ADS`,
  hooks: {
    // A successful import that rejected rows warns with the counts.
    settled: (_ctx, _inputs, task) => {
      const rejected =
        task.status === "IMPORT_COMPLETE_WITH_ERRORS" ||
        (task.serverImportFailure ?? 0) > 0 ||
        (task.applicationImportFailure ?? 0) > 0;
      if (!rejected) return Promise.resolve({});
      const warning = `import ${task.importTaskId} finished ${task.status} with rejected rows (${counts(task)}). ${DOWNLOAD}`;
      return Promise.resolve({ warning });
    },
    // BatchDeleteImportData (batched, retried per ID), then wait for DELETE_COMPLETE or gone.
    delete: async (ctx, id, inputs, props) => {
      const { runtime } = ctx;
      const fail = (what: string, overLimit: boolean): ImportTaskFailedError => {
        const fix = overLimit
          ? "ADS deletes at most 25,000 import records per day: run `pulumi destroy` again tomorrow, or set retainOnDelete to true to leave the data."
          : "Run `pulumi destroy` again to retry, or set retainOnDelete to true to leave the data.";
        const reasons = [`${ctx.subject(inputs, id)}: ${what}. ${fix}`];
        return new ImportTaskFailedError({ id, properties: props, reasons });
      };
      const current = await ctx.describe(id);
      if (current === undefined || current.status === "DELETE_COMPLETE") return;
      if (current.status !== "DELETE_IN_PROGRESS") {
        const deleteHistory = inputs.deleteHistoryOnDelete ?? false;
        const deleter = deleteHistory ? ctx.state.history : ctx.state.keepHistory;
        for (let attempt = 1; ; attempt++) {
          const outcome = (await deleter.get(id)) ?? { accepted: true };
          if (outcome.accepted) break;
          const { errorCode, errorDescription } = outcome;
          if (errorCode === "NOT_FOUND") return;
          if (errorCode !== "INTERNAL_SERVER_ERROR" || attempt >= DELETE_ATTEMPTS) {
            const code = errorDescription ? `${errorCode}: ${errorDescription}` : errorCode;
            const refused = `BatchDeleteImportData refused ${id} with ${code}`;
            throw fail(refused, errorCode === "OVER_LIMIT");
          }
          await runtime.clock.sleep(1000 * 2 ** attempt * runtime.random());
        }
        const line = `BatchDeleteImportData accepted ${id} (deleteHistory: ${deleteHistory})`;
        runtime.log.info(ctx.label(inputs, id), line);
      }
      const result = await ctx.wait(id, "delete", inputs, { properties: props });
      if (result.verdict === "failure") {
        const status = statusOf(result.last);
        const what = `deleting import ${id} ended in ${status} after ${polls(result.polls)}`;
        throw fail(what, status === "DELETE_FAILED_LIMIT_EXCEEDED");
      }
    },
  },
};
