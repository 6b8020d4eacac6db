/**
 * `ads.ImportTask` as a spec for the one lifecycle (core/task): StartImportTask, then wait through
 * the shared, batched DescribeImportTasks rounds; BatchDeleteImportData on delete unless
 * `retainOnDelete`. Facts, rules and messages live in importTaskLogic.ts; I/O in api.ts.
 */
import { modelRule } from "../core/awsModel";
import { endpointOrigins } from "../core/config";
import { ImportTaskFailedError } from "../core/errors";
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
import { type AdsApi, createAdsApi, type DeleteOutcome } from "./api";
import {
  type AdsTask,
  batchDeleteErrorMessage,
  classifyImportStatus,
  createAcceptors,
  DEFAULTS,
  deleteAcceptors,
  deleteFailureMessage,
  failureMessage,
  fallbackToken,
  hasRowErrors,
  adoptMissing,
  exhaustedMessage,
  explain,
  retainConflict,
  type ImportTaskInputs,
  importUrlProblem,
  LIMITS,
  POLL,
  rowErrorsWarning,
  statusOf,
  successorToken,
} from "./importTaskLogic";
import { MODEL } from "./model.generated";

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
    // An object URL on a configured endpoint (a local emulator) counts as an S3 URL.
    refine: (url, { settings }) =>
      importUrlProblem(url, { extraS3Origins: endpointOrigins(settings, "ads") }),
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
      maxLength: LIMITS.importTaskIdMaxLength,
      pattern: /^import-task-[a-fA-F0-9]{32}$/,
      patternText: "import-task- followed by 32 hex digits",
      fix: "copy importTaskId from `aws discovery describe-import-tasks`",
    },
    change: "replace",
  },
  waitForCompletion: { rule: BOOLEAN, change: "update", default: DEFAULTS.waitForCompletion },
  failOnRowErrors: { rule: BOOLEAN, change: "update", default: DEFAULTS.failOnRowErrors },
  retainOnDelete: { rule: BOOLEAN, change: "update", default: DEFAULTS.retainOnDelete },
  deleteHistoryOnDelete: {
    rule: BOOLEAN,
    change: "update",
    default: DEFAULTS.deleteHistoryOnDelete,
    awsName: "deleteHistory",
  },
  waitTimeoutMinutes: waitTimeoutProperty(DEFAULTS.waitTimeoutMinutes),
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

/** Outputs: the inputs echoed (diff reads them back), the task's fields, ISO timestamps. */
export function toOutputs(
  raw: Record<string, unknown>,
  task: AdsTask,
): Record<string, OutputValue> {
  return echoOutputs(properties, raw, task, OUTPUTS);
}

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
  const current = await ctx.describe(id);
  if (current === undefined || current.status === "DELETE_COMPLETE") return;
  if (current.status !== "DELETE_IN_PROGRESS") {
    const deleteHistory = inputs.deleteHistoryOnDelete ?? DEFAULTS.deleteHistoryOnDelete;
    const deleter = deleteHistory ? ctx.state.history : ctx.state.keepHistory;
    for (let attempt = 1; ; attempt++) {
      const outcome = (await deleter.get(id)) ?? { accepted: true };
      if (outcome.accepted) break;
      if (outcome.errorCode === "NOT_FOUND") return;
      if (outcome.errorCode !== "INTERNAL_SERVER_ERROR" || attempt >= DELETE_ATTEMPTS) {
        const { errorCode, errorDescription } = outcome;
        const reason = batchDeleteErrorMessage(inputs.name, id, errorCode, errorDescription);
        throw new ImportTaskFailedError({ id, properties: props, reasons: [reason] });
      }
      await runtime.clock.sleep(1000 * 2 ** attempt * runtime.random());
    }
    const line = `BatchDeleteImportData accepted ${id} (deleteHistory: ${deleteHistory})`;
    runtime.log.info(ctx.label(inputs, id), line);
  }
  const result = await ctx.wait(id, "delete", inputs, { properties: props });
  if (result.verdict === "failure") {
    const reason = deleteFailureMessage(inputs.name, result.last, result, id);
    throw new ImportTaskFailedError({ id, properties: props, reasons: [reason] });
  }
}

export const importTask: TaskSpec<ImportTaskInputs, AdsTask, AdsApi, Deleters> = {
  service: "ads",
  className: "ImportTask",
  properties,
  checkMore: retainConflict,
  createApi: (settings) => createAdsApi(settings),
  state: (ctx) => {
    const deleter = (history: boolean): BatchPoller<DeleteOutcome> =>
      ctx.batcher("BatchDeleteImportData", LIMITS.deleteBatchSize, (ids) =>
        ctx.api.batchDeleteImportData(ids, history),
      );
    return { history: deleter(true), keepHistory: deleter(false) };
  },
  describe: {
    operation: "DescribeImportTasks",
    batchSize: LIMITS.describeBatchSize,
    call: (api, ids) => api.describeImportTasks(ids),
  },
  poll: POLL,
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: (status, inputs) =>
    classifyImportStatus(status, inputs.failOnRowErrors ?? DEFAULTS.failOnRowErrors),
  acceptors: (phase, inputs) =>
    phase === "create"
      ? createAcceptors(inputs.failOnRowErrors ?? DEFAULTS.failOnRowErrors)
      : deleteAcceptors,
  // Gone, or deleted with its data: nothing is left for the stack to manage.
  vanished: (task) => task.status === "DELETE_COMPLETE",
  adoptProperty: "adoptImportTaskId",
  adoptMissing: (id, inputs, where) => adoptMissing(id, inputs.name, where),
  adoptWarnings: (inputs, task) =>
    (["name", "importUrl"] as const)
      .filter((k) => inputs[k] !== undefined && task[k] !== undefined && inputs[k] !== task[k])
      .map((k) => `adopted task's ${k} differs from the input (the task's value is kept in ADS)`),
  tokenProperty: "clientRequestToken",
  fallbackToken: (inputs) => fallbackToken(inputs.name, inputs.importUrl),
  successorToken,
  start: (ctx, inputs, clientRequestToken) =>
    ctx.aws("StartImportTask", () =>
      ctx.api.startImportTask({
        name: inputs.name ?? "",
        importUrl: inputs.importUrl ?? "",
        clientRequestToken,
      }),
    ),
  exhaustedMessage: (inputs, last, attempts) => exhaustedMessage(inputs.name, last, attempts),
  toOutputs,
  outputs: OUTPUTS,
  secretOutputs: ["errorsAndFailedEntriesZip"],
  name: (inputs, id) =>
    typeof inputs.name === "string" && inputs.name.length > 0 ? inputs.name : (id ?? "(unnamed)"),
  failureMessage: (inputs, last, wait, id) => failureMessage(inputs.name, last, wait, id),
  explain: (err, settings) => explain(err, settings.region),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its imported data in ADS`,
  hooks: {
    settled: (_ctx, _inputs, task) =>
      Promise.resolve(hasRowErrors(task) ? { warning: rowErrorsWarning(task) } : {}),
    delete: deleteImport,
  },
};
