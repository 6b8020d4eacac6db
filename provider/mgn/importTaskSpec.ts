/**
 * `mgn.ImportTask` as a spec of the one lifecycle (core/task/). MGN's own: the quota gate
 * (quota.ts), row errors read once an import ends, inventory removal on delete (inventory.ts).
 */
import { ImportTaskFailedError, isAwsApiError, summarizeObserved } from "../core/errors";
import { CapacityGate } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { redact } from "../core/redact";
import { acceptorsFrom, explainWith, noEffectWhen, tokenFacts } from "../core/task/helpers";
import { echoOutputs } from "../core/task/properties";
import type { TaskHooks, TaskSpec } from "../core/task/spec";
import {
  createMgnApi,
  type ImportErrors,
  type Inventory,
  type MgnApi,
  type MgnImport,
  type MgnImportError,
  type S3BucketSource,
} from "./api";
import { type ImportTaskInputs, properties } from "./importTaskInputs";
import { planInventoryRemoval } from "./inventory";
import { QUOTA_ADVICE, startWithinQuota } from "./quota";

export const TOKEN_MAX_LENGTH = 64;
/** Row errors copied into the outputs (all are counted). */
const ERRORS_IN_OUTPUTS = 20;
/** The import's fields output as MGN reports them (besides importId, summary and row errors). */
const FIELDS = ["arn", "status", "progressPercentage", "creationDateTime", "endDateTime"] as const;
/** Status recorded when ListImports no longer returns the import. */
const GONE = "GONE";

const statusOf = (o: MgnImport | undefined): string => o?.status ?? GONE;

/** SUCCEEDED and FAILED end an import; SUCCEEDED with row errors fails under failOnRowErrors. */
export function classify(
  status: string,
  errorCount = 0,
  failOnRowErrors = false,
): "success" | "failure" | "pending" {
  if (status === "FAILED" || status === GONE) return "failure";
  if (status !== "SUCCEEDED") return "pending";
  return failOnRowErrors && errorCount > 0 ? "failure" : "success";
}

const csv = (src: S3BucketSource): string => `s3://${src.s3Bucket}/${src.s3Key}`;

/** An import in messages: its ID, else the CSV location. */
const label = (inputs: ImportTaskInputs, id?: string): string =>
  id ??
  (inputs.s3BucketSource ? csv(inputs.s3BucketSource) : (inputs.adoptImportId ?? "(unnamed)"));

/** rawError is up to 65,536 characters: outputs and messages keep the first 1,000. */
const clip = (s: string): string => (s.length > 1000 ? `${s.slice(0, 997)}...` : s);

/** `row 3: VALIDATION_ERROR: <rawError>` (redacted, clipped). */
export function errorLine(e: MgnImportError): string {
  const where = e.rowNumber === undefined ? "file" : `row ${e.rowNumber}`;
  const raw = e.rawError === undefined ? "(no detail)" : clip(redact(e.rawError));
  const ids = [e.sourceServerID, e.applicationID, e.waveID].filter((s) => s !== undefined);
  const about = ids.length > 0 ? ` [${ids.join(", ")}]` : "";
  return `${where}: ${e.errorType ?? "ERROR"}${about}: ${raw}`;
}

/** Every kind's counts, 0 where MGN has none. */
const counts = (summary: MgnImport["summary"] = {}) =>
  Object.fromEntries(
    (["waves", "applications", "servers"] as const).map((k) => {
      const c = summary[k];
      return [k, { createdCount: c?.createdCount ?? 0, modifiedCount: c?.modifiedCount ?? 0 }];
    }),
  );

const summaryText = (task: MgnImport): string =>
  Object.entries(counts(task.summary))
    .map(([k, c]) => `${k} ${c.createdCount} created / ${c.modifiedCount} modified`)
    .join(", ");

function errorsText(errors: ImportErrors | undefined, shown = 3): string {
  if (errors === undefined || errors.total === 0) return "";
  const lines = errors.items.slice(0, shown).map(errorLine);
  const more = errors.total > lines.length ? `; ${errors.total - lines.length} more` : "";
  return `; ${errors.total} row error${errors.total === 1 ? "" : "s"}: ${lines.join("; ")}${more}`;
}

/** STYLE.md §7: the end status, its history, the counts, the first row errors, then the fix. */
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
  const file = src === undefined ? "the CSV" : csv(src);
  const advice =
    status === GONE
      ? "ListImports no longer returns the import (MGN keeps import history for a limited time). Run `pulumi refresh`, then `pulumi up` to import again."
      : status === "SUCCEEDED"
        ? `Some rows were rejected and failOnRowErrors is true. Fix those rows in ${file} (see the importErrors output), or set failOnRowErrors to false to accept a partial import; then run \`pulumi up\` again.`
        : `Fix ${file} (see the importErrors output and \`aws mgn list-import-errors --import-id ${id}\`), then run \`pulumi up\` again (a failed import is replaced).`;
  return `mgn.ImportTask "${id}": import ${id} ended in ${status} after ${polls}${history}${tally}${errorsText(errors)}. ${advice}`;
}

/** The row errors recorded for an import that had already ended with `status` (they are final). */
function recordedErrors(props: Record<string, unknown>, status: string): ImportErrors | undefined {
  const [total, items] = [props["importErrorCount"], props["importErrors"]];
  const ended = props["status"] === status && classify(status) !== "pending";
  return ended && typeof total === "number" && Array.isArray(items)
    ? { items: items as MgnImportError[], total }
    : undefined;
}

/** Per configured provider: the imports-in-progress gate and the shared inventory listing. */
export type MgnState = { gate: CapacityGate; inventory: () => Promise<Inventory> };

type Hooks = TaskHooks<ImportTaskInputs, MgnImport, MgnApi, MgnState>;

/** Delete removes what `deleteInventoryOnDelete` selects, else leaves the import and inventory. */
const deleteImport: Hooks["delete"] = async (ctx, id, inputs, props) => {
  const { api, runtime } = ctx;
  const label = ctx.label(inputs, id);
  const selector = inputs.deleteInventoryOnDelete;
  if (selector === undefined) {
    runtime.log.info(
      label,
      "MGN has no API to delete an import: leaving it, and the inventory it created, in MGN (set deleteInventoryOnDelete to remove that inventory)",
    );
    return;
  }
  const current = await ctx.describe(id);
  // A running import keeps writing inventory.
  if (current !== undefined && classify(current.status) === "pending") {
    await ctx.wait(id, "delete", inputs, { properties: props });
  }
  const fail = (reason: string, cause?: unknown): ImportTaskFailedError =>
    new ImportTaskFailedError({ id, properties: props, reasons: [reason], cause });
  const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  const inventory = await ctx.state.inventory().catch((err: unknown) => {
    throw fail(message(err), err);
  });
  const plan = planInventoryRemoval(inventory, selector);
  const problems: string[] = [];
  const remove = async (what: string, ids: string[], del: (id: string) => Promise<void>) => {
    let removed = 0;
    for (const one of ids) {
      // Already gone is what delete wants; anything else is reported together below.
      await del(one).then(
        () => removed++,
        (err: unknown) => {
          if (isAwsApiError(err) && err.code === "ResourceNotFoundException") return;
          problems.push(`${what} ${one}: ${message(err)}`);
        },
      );
    }
    return removed;
  };
  const servers = await remove("source server", plan.servers, (s) => api.deleteSourceServer(s));
  const apps = await remove("application", plan.applications, (a) => api.deleteApplication(a));
  const waves = await remove("wave", plan.waves, (w) => api.deleteWave(w));
  for (const k of plan.kept) runtime.log.warn(label, `kept ${k.reason}`);
  runtime.log.info(
    label,
    `removed ${servers} source server(s), ${apps} application(s), ${waves} wave(s) selected by deleteInventoryOnDelete`,
  );
  if (problems.length > 0) {
    throw fail(
      `${ctx.subject(inputs, id)}: could not remove ${problems.length} inventory item(s): ${problems.join("; ")}. Fix the cause (a source server with a replicating agent must be disconnected first), then run \`pulumi destroy\` again, or remove deleteInventoryOnDelete to leave the inventory.`,
    );
  }
};

/** The wait ends at any terminal status; row errors are judged afterwards (settled). */
const ACCEPTORS = acceptorsFrom((o: MgnImport | undefined) => classify(statusOf(o)));

export const importTaskSpec: TaskSpec<ImportTaskInputs, MgnImport, MgnApi, MgnState> = {
  service: "mgn",
  className: "ImportTask",
  properties,
  createApi: createMgnApi,
  checkMore: noEffectWhen(
    "failOnRowErrors",
    "waitForCompletion",
    false,
    "the import is not awaited, so its row errors are never judged",
  ),
  // One inventory listing serves every delete that asks while it is in flight (a destroy deletes
  // many at once); an item another delete has just removed then counts as removed (not found).
  state: (ctx) => {
    let listing: Promise<Inventory> | undefined;
    const inventory = (): Promise<Inventory> =>
      (listing ??= ctx.api.listInventory().finally(() => {
        listing = undefined;
      }));
    return { gate: new CapacityGate(), inventory };
  },
  // The importIDs filter takes at most 10.
  describe: {
    operation: "ListImports",
    batchSize: 10,
    call: (api, ids) => api.listImports(ids),
    viaCaller: true,
  },
  // Imports take minutes; polls align to a grid to share batches, and shared rounds may spend 5
  // ListImports calls/s, half its 10/s limit.
  poll: {
    minDelayMs: 10_000,
    maxDelayMs: 60_000,
    gridMs: 1_000,
    shareMs: 90_000,
    budgetCallsPerSecond: 5,
  },
  idOf: (task) => task.importID,
  statusOf,
  // Diff passes the recorded outputs: a SUCCEEDED import with row errors fails under failOnRowErrors.
  classify: (status, inputs, recorded) =>
    classify(
      status,
      typeof recorded?.["importErrorCount"] === "number" ? recorded["importErrorCount"] : 0,
      inputs.failOnRowErrors,
    ),
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
    if (src === undefined || had === undefined || csv(src) === csv(had)) return [];
    return [`the adopted import read ${csv(had)}, not the s3BucketSource input`];
  },
  tokenProperty: "clientToken",
  ...tokenFacts<ImportTaskInputs>(
    "mgn:ImportTask",
    TOKEN_MAX_LENGTH,
    ({ s3BucketSource, tags }) => ({ name: "", inputs: { s3BucketSource, tags } }),
  ),
  queuesStart: true,
  start: (ctx, inputs, token, _raw, scope) => startWithinQuota(ctx, inputs, token, scope),
  startedMessage: (task) => `started (${task.status})`,
  exhaustedMessage: (inputs, last, attempts) =>
    `mgn.ImportTask "${label(inputs)}": ${attempts} imports for this resource's token ended in FAILED (last ${last.importID}). Fix the CSV, then run \`pulumi up\` again.`,

  outputs: ["importId", ...FIELDS, "summary", "importErrors", "importErrorCount"],
  // MGN marks tags sensitive (an input echoed, and for an adopted import MGN's own).
  secretOutputs: ["tags"],
  // Hooks pass the row errors read as `extra.errors`; without them the recorded ones are kept.
  toOutputs: (raw, task, extra, previous = {}) => {
    const echoed = echoOutputs(properties, raw, task, FIELDS);
    const errors = extra?.["errors"] as ImportErrors | undefined;
    return normalizeOutputs({
      ...echoed,
      importId: task.importID,
      summary: task.summary && counts(task.summary),
      // The echoed input wins (diff compares it); an adopted import shows the tags MGN has.
      tags: echoed["tags"] ?? task.tags,
      importErrors:
        errors === undefined
          ? previous["importErrors"]
          : errors.items.slice(0, ERRORS_IN_OUTPUTS).map((e): Record<string, OutputValue> => ({
              ...e,
              ...(e.rawError === undefined ? {} : { rawError: clip(redact(e.rawError)) }),
              message: errorLine(e),
            })),
      importErrorCount: errors === undefined ? previous["importErrorCount"] : errors.total,
    });
  },
  name: label,
  subjectInReasons: true,
  failureMessage,
  // The fixes MGN's errors have; other errors pass unchanged.
  explain: explainWith(({ code, operation }, { region = "<region>" }) => {
    if (code === "ConflictException" && operation === "StartImport") {
      return "MGN already used this clientToken for an import with other parameters (s3BucketSource or tags). Fix: remove clientToken (the provider derives one from the inputs) or set a new one, then run `pulumi up` again.";
    }
    if (code === "UninitializedAccountException") {
      return (
        `Application Migration Service is not initialized in this account and region (${region}). Fix: run ` +
        `\`aws mgn initialize-service --region ${region}\` once (or open the Application Migration Service console in ${region} and choose Get started; it creates MGN's service roles), then run \`pulumi up\` again.`
      );
    }
    return code === "ServiceQuotaExceededException" ? QUOTA_ADVICE : undefined;
  }),

  hooks: {
    async settled(ctx, inputs, task, wait, previous) {
      // Row errors are fixed once an import ends: recorded ones are reused, not read again.
      const errors =
        recordedErrors(previous, task.status) ??
        (await ctx.api.listImportErrors(task.importID, ERRORS_IN_OUTPUTS));
      const extra = { errors };
      if (classify(task.status, errors.total, inputs.failOnRowErrors) === "failure") {
        return { extra, failure: failureMessage(inputs, task, wait, task.importID, errors) };
      }
      if (errors.total > 0) {
        const warning = `import ${task.importID} SUCCEEDED with rejected rows (${summaryText(task)}${errorsText(errors)}). See the importErrors output.`;
        return { extra, warning };
      }
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
      if (classify(task.status) === "pending" || recordedErrors(props, task.status))
        return undefined;
      return { errors: await ctx.api.listImportErrors(task.importID, ERRORS_IN_OUTPUTS) };
    },
    delete: deleteImport,
  },
};
