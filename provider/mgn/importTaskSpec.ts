/**
 * `mgn.ImportTask` as a spec of the one lifecycle (provider/core/task/): StartImport, then wait for
 * SUCCEEDED or FAILED through the shared ListImports poller. What MGN adds through hooks: the
 * imports-in-progress quota gate (quota.ts), row errors read once from ListImportErrors after the
 * import ends, and the optional inventory removal on delete (inventory.ts).
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
 */
import { isAwsApiError, withAdvice } from "../core/errors";
import { CapacityGate } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import {
  inputsOf,
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskContext, TaskSpec } from "../core/task/spec";
import { deriveToken, successorToken } from "../core/tokens";
import { createMgnApi, type MgnApi } from "./api";
import {
  checkSelector,
  checkSource,
  checkTags,
  narrowSelector,
  narrowSource,
  SOURCE_FIX,
  stringMap,
} from "./importTaskInputs";
import {
  classify,
  errorAdvice,
  failureMessage,
  type ImportErrors,
  type ImportTaskInputs,
  importOutputs,
  label,
  LIMITS,
  type MgnImport,
  POLL,
  recordedErrors,
  rowErrorsWarning,
  statusOf,
} from "./importTaskLogic";
import { deleteImport, type Inventory, sharedListing } from "./inventory";
import { startWithinQuota } from "./quota";

const IMPORT_ID = /^import-[0-9a-zA-Z]{17}$/;
const PRINTABLE = /^[\x21-\x7e]+$/;
const BOOLEAN = { kind: "boolean", fix: "use true or false" } as const;
const TOKEN_TYPE = "mgn:ImportTask";
const TOKEN_MAX_LENGTH = LIMITS.clientTokenMaxLength;

/** Each input once, in check order; importTaskInputs.ts has the rules for nested members. */
export const properties: PropertyTable<ImportTaskInputs & SourceInputs> = {
  sourceEtag: sourceEtagProperty,
  s3BucketSource: {
    rule: { kind: "object", required: true, fix: SOURCE_FIX },
    requiredUnless: "adoptImportId",
    checkNested: checkSource,
    change: "replace",
    awsName: "s3BucketSource",
    narrow: narrowSource,
  },
  clientToken: {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: TOKEN_MAX_LENGTH,
      pattern: PRINTABLE,
      patternText: "printable ASCII without spaces",
      fix: "use 1–64 printable characters, or omit it and let the provider derive one from the stack, the URN and s3BucketSource/tags",
    },
    change: "update",
    awsName: "clientToken",
  },
  // Only StartImport sets tags; MGN marks them sensitive.
  tags: {
    rule: { kind: "object", fix: 'use a map of strings, e.g. { wave: "1" }' },
    checkNested: checkTags,
    change: "replace",
    secret: true,
    awsName: "tags",
    narrow: stringMap,
    // The tags output of an adopted import are MGN's: leaving the input unset keeps them.
    unchangedWhen: (olds, news) =>
      olds["adoptImportId"] !== undefined && news["tags"] === undefined,
  },
  adoptImportId: {
    rule: {
      kind: "string",
      pattern: IMPORT_ID,
      patternText: "import- followed by 17 letters or digits",
      fix: "copy importID from `aws mgn list-imports`",
    },
    change: "replace",
  },
  waitForCompletion: { rule: BOOLEAN, change: "update", default: true },
  failOnRowErrors: { rule: BOOLEAN, change: "update", default: false },
  // Imports of large inventories run for a long time; MGN publishes no duration.
  waitTimeoutMinutes: waitTimeoutProperty(180),
  deleteInventoryOnDelete: {
    rule: {
      kind: "object",
      fix: 'use { tag: { key, value } } and/or { userProvidedIds, applicationNames, waveNames }, e.g. { tag: { key: "stack", value: "prod" } }',
    },
    checkNested: checkSelector,
    change: "update",
    narrow: narrowSelector,
  },
};

/** MGN's own state per configured provider: the quota gate and the shared inventory listing. */
export interface MgnState {
  /** Imports in progress that this process started or waits on (MGN limits them per account). */
  gate: CapacityGate;
  inventory: () => Promise<Inventory>;
}

type Ctx = TaskContext<MgnApi, MgnState, MgnImport>;

/** The wait ends at any terminal status; row errors are judged afterwards (settled). */
const ACCEPTORS = [
  { verdict: "success", matches: (o: MgnImport | undefined) => o?.status === "SUCCEEDED" },
  {
    verdict: "failure",
    matches: (o: MgnImport | undefined) => classify(statusOf(o)) === "failure",
  },
] as const;

/** ListImportErrors: the first errors an output keeps, and how many there are. */
const readErrors = (ctx: Ctx, id: string): Promise<ImportErrors> =>
  ctx.api.listImportErrors(id, LIMITS.importErrorsInOutputs);

export const importTaskSpec: TaskSpec<ImportTaskInputs, MgnImport, MgnApi, MgnState> = {
  service: "mgn",
  className: "ImportTask",
  properties,
  createApi: createMgnApi,
  // failOnRowErrors decides a wait's outcome; nothing waits with waitForCompletion false.
  checkMore: (news) => {
    if (news["failOnRowErrors"] !== true || news["waitForCompletion"] !== false) return [];
    const reason =
      "has no effect when waitForCompletion is false (the import is not awaited, so its row errors are never judged). Fix: remove failOnRowErrors or set waitForCompletion to true.";
    return [{ property: "failOnRowErrors", reason }];
  },
  state: (ctx) => ({
    gate: new CapacityGate(),
    inventory: sharedListing(() => ctx.api.listInventory()),
  }),
  describe: {
    operation: "ListImports",
    batchSize: LIMITS.listImportsBatchSize,
    call: (api, ids) => api.listImports(ids),
    viaCaller: true,
  },
  poll: POLL,
  idOf: (task) => task.importID,
  statusOf,
  // Diff passes the recorded outputs: a SUCCEEDED import with row errors fails under failOnRowErrors.
  classify: (status, inputs, recorded) =>
    classify(
      status,
      typeof recorded?.["importErrorCount"] === "number" ? recorded["importErrorCount"] : 0,
      inputs.failOnRowErrors,
    ),
  // Row errors are judged once read (settled); every phase waits for the import to end.
  acceptors: () => ACCEPTORS,
  trustStartStatus: true,
  progress: (o) =>
    `${statusOf(o)}${o?.progressPercentage === undefined ? "" : ` ${o.progressPercentage}%`}`,

  adoptProperty: "adoptImportId",
  adoptMissing: (id, inputs, where) => ({
    reason: `names ${id}, which ListImports does not return in ${where}. Fix: check the ID (aws mgn list-imports) and aws:region.`,
    message: `mgn.ImportTask "${id}": adoptImportId ${id} was not found in ${where}. Fix: check the ID (aws mgn list-imports) and aws:region.`,
  }),
  adoptWarnings(inputs, task) {
    const [src, had] = [inputs.s3BucketSource, task.s3BucketSource];
    if (src === undefined || had === undefined) return [];
    if (src.s3Bucket === had.s3Bucket && src.s3Key === had.s3Key) return [];
    return [
      `the adopted import read s3://${had.s3Bucket}/${had.s3Key}, not the s3BucketSource input`,
    ];
  },
  tokenProperty: "clientToken",
  fallbackToken: ({ s3BucketSource, tags }) =>
    deriveToken(
      { stack: "", project: "", type: TOKEN_TYPE, name: "", inputs: { s3BucketSource, tags } },
      { maxLength: TOKEN_MAX_LENGTH },
    ),
  // An import that already failed under a token: a deterministic successor starts anew.
  successorToken: (token, failedImportId) =>
    successorToken(TOKEN_TYPE, token, failedImportId, { maxLength: TOKEN_MAX_LENGTH }),
  queuesStart: true,
  start: (ctx, inputs, token, _raw, scope) => startWithinQuota(ctx, inputs, token, scope),
  startedMessage: (task) => `started (${task.status})`,
  exhaustedMessage: (inputs, last, attempts) =>
    `mgn.ImportTask "${label(inputs)}": ${attempts} imports for this resource's token ended in FAILED (last ${last.importID}). Fix the CSV, then run \`pulumi up\` again.`,

  outputs: [
    "importId",
    "arn",
    "status",
    "progressPercentage",
    "creationDateTime",
    "endDateTime",
    "summary",
    "importErrors",
    "importErrorCount",
  ],
  // MGN marks tags sensitive (an input echoed, and for an adopted import MGN's own).
  secretOutputs: ["tags"],
  toOutputs: (raw, task, extra, previous = {}) => {
    const echoed = inputsOf(properties, raw);
    // Hooks pass the row errors as `extra.errors`. The echoed input wins (diff compares it); an
    // adopted import shows the tags MGN has.
    const errors = extra?.["errors"] as ImportErrors | undefined;
    const outputs = importOutputs(task, errors, previous);
    return normalizeOutputs({ ...echoed, ...outputs, tags: echoed["tags"] ?? task.tags });
  },
  name: label,
  subjectInReasons: true,
  failureMessage: (inputs, last, wait, id) => failureMessage(inputs, last, wait, id),
  explain(err, settings) {
    if (!isAwsApiError(err)) return err;
    const advice = errorAdvice(err.code, settings.region, err.operation);
    return advice === undefined ? err : withAdvice(err, advice);
  },

  hooks: {
    async settled(ctx, inputs, task, wait, previous) {
      // Row errors are fixed once an import ends: recorded ones are reused, not read again.
      const errors =
        recordedErrors(previous, task.status) ?? (await readErrors(ctx, task.importID));
      const extra = { errors };
      if (classify(task.status, errors.total, inputs.failOnRowErrors) === "failure") {
        return { extra, failure: failureMessage(inputs, task, wait, task.importID, errors) };
      }
      if (errors.total > 0) return { extra, warning: rowErrorsWarning(task, errors) };
      return { extra, info: `${task.status} (${wait.polls} poll(s))` };
    },
    // An import already running occupies quota whether or not the gate has room.
    hold: (ctx, _inputs, phase, task) =>
      Promise.resolve(
        phase === "adopt" ||
          (phase === "resume" && task !== undefined && classify(task.status) === "pending")
          ? ctx.state.gate.hold()
          : () => {},
      ),
    // An ended import's row errors are read once; toOutputs keeps recorded ones (extra unset).
    async refresh(ctx, _inputs, task, props) {
      if (classify(task.status) === "pending") return undefined;
      if (recordedErrors(props, task.status) !== undefined) return undefined;
      return { errors: await readErrors(ctx, task.importID) };
    },
    delete: deleteImport,
  },
};
