/**
 * `ads.ImportTask` as a spec for the one lifecycle (core/task): StartImportTask, then wait through
 * the shared, batched DescribeImportTasks rounds; BatchDeleteImportData on delete unless
 * `retainOnDelete`. The URL rule, status classes and messages live in importTaskLogic.ts; I/O in
 * api.ts.
 */
import { modelRule } from "../core/awsModel";
import { endpointOrigins } from "../core/config";
import { ImportTaskFailedError, isAwsApiError, withAdvice } from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import type { OutputValue } from "../core/outputs";
import {
  echoOutputs,
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskContext, TaskSpec } from "../core/task/spec";
import { deriveToken, successorToken } from "../core/tokens";
import type { Acceptor } from "../core/waiter";
import { type AdsApi, type AdsTask, createAdsApi, type DeleteOutcome } from "./api";
import {
  classify,
  classifyDelete,
  deleteAdvice,
  failureMessage,
  homeRegionAdvice,
  importUrlProblem,
  POLL,
  polls,
  rowErrorsWarning,
  statusOf,
} from "./importTaskLogic";
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

const REQUEST = "StartImportTaskRequest";
const BOOLEAN = { kind: "boolean", fix: "use true or false" } as const;
/** StartImportTask's clientRequestToken: 1–100 characters. */
const TOKEN_MAX_LENGTH = 100;
const TOKEN_TYPE = "ads:ImportTask";

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
const OUTPUTS = [
  "importTaskId",
  "status",
  "importRequestTime",
  "importCompletionTime",
  "importDeletedTime",
  "fileClassification",
  "serverImportSuccess",
  "serverImportFailure",
  "applicationImportSuccess",
  "applicationImportFailure",
  "errorsAndFailedEntriesZip",
] as const;

/** One BatchDeleteImportData batcher per deleteHistory value (the flag is per call, not per ID). */
type Deleters = Record<"history" | "keepHistory", BatchPoller<DeleteOutcome>>;
type Ctx = TaskContext<AdsApi, Deleters, AdsTask>;

/** BatchDeleteImportData per-ID INTERNAL_SERVER_ERROR: attempts before failing the delete. */
const DELETE_ATTEMPTS = 3;

/** BatchDeleteImportData (batched, retried per ID), then wait for DELETE_COMPLETE or gone. */
async function deleteImport(
  ctx: Ctx,
  id: string,
  inputs: ImportTaskInputs,
  props: Record<string, unknown>,
): Promise<void> {
  const { runtime } = ctx;
  const fail = (what: string, overLimit: boolean): ImportTaskFailedError =>
    new ImportTaskFailedError({
      id,
      properties: props,
      reasons: [`${ctx.subject(inputs, id)}: ${what}. ${deleteAdvice(overLimit)}`],
    });
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
        const what = errorDescription ? `${errorCode}: ${errorDescription}` : errorCode;
        throw fail(`BatchDeleteImportData refused ${id} with ${what}`, errorCode === "OVER_LIMIT");
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
}

/** Acceptors as data: a status's class decides the wait. */
const acceptorsOf = (
  classOf: (o: AdsTask | undefined) => string,
): readonly Acceptor<AdsTask | undefined>[] =>
  (["success", "failure"] as const).map((verdict) => ({
    verdict,
    matches: (o) => classOf(o) === verdict,
  }));
const DELETE_ACCEPTORS = acceptorsOf(classifyDelete);

const label = (inputs: ImportTaskInputs, id?: string): string =>
  typeof inputs.name === "string" && inputs.name.length > 0 ? inputs.name : (id ?? "(unnamed)");
const subject = (inputs: ImportTaskInputs, id?: string): string =>
  `ads.ImportTask "${label(inputs, id)}"`;

export const importTask: TaskSpec<ImportTaskInputs, AdsTask, AdsApi, Deleters> = {
  service: "ads",
  className: "ImportTask",
  properties,
  // Deleting history only means something when the import data is deleted.
  checkMore: (news) => {
    if (news["retainOnDelete"] !== true || news["deleteHistoryOnDelete"] !== true) return [];
    const reason =
      "has no effect when retainOnDelete is true (nothing is deleted). Fix: remove deleteHistoryOnDelete or set retainOnDelete to false.";
    return [{ property: "deleteHistoryOnDelete", reason }];
  },
  createApi: (settings) => createAdsApi(settings),
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
  poll: POLL,
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: (status, inputs) => classify(status, inputs.failOnRowErrors),
  acceptors: (phase, inputs) =>
    phase === "create"
      ? acceptorsOf((o) => classify(statusOf(o), inputs.failOnRowErrors))
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
  fallbackToken: ({ name, importUrl }) =>
    deriveToken(
      { stack: "", project: "", type: TOKEN_TYPE, name: name ?? "", inputs: { name, importUrl } },
      { maxLength: TOKEN_MAX_LENGTH },
    ),
  // ADS would keep returning a failed task for its token: a deterministic successor starts anew.
  successorToken: (token, failedTaskId) =>
    successorToken(TOKEN_TYPE, token, failedTaskId, { maxLength: TOKEN_MAX_LENGTH }),
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
  failureMessage: (inputs, last, wait, id) => failureMessage(subject(inputs, id), last, wait, id),
  explain: (err, { region }) => {
    if (!isAwsApiError(err)) return err;
    const advice = homeRegionAdvice(err.code, err.awsMessage, region);
    return advice === undefined ? err : withAdvice(err, advice);
  },
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its imported data in ADS`,
  hooks: {
    settled: (_ctx, _inputs, task) => {
      const warning = rowErrorsWarning(task);
      return Promise.resolve(warning === undefined ? {} : { warning });
    },
    delete: deleteImport,
  },
};
