/**
 * What the EC2 VM Import resources (ImportImage, ImportInstance, ImportSnapshot) share on top of
 * the core lifecycle (provider/core/task/): artifact hooks, status facts, messages and tokens.
 */
import type { CheckFailure } from "../core/check";
import type { ProviderSettings } from "../core/config";
import { isAwsApiError, withAdvice } from "../core/errors";
import { normalizeOutputs } from "../core/outputs";
import { acceptorsFrom } from "../core/task/helpers";
import { inputsOf, type PropertySpec, type PropertyTable } from "../core/task/properties";
import type { DescribeSpec, Phase, TaskContext, TaskHooks } from "../core/task/spec";
import { deriveToken, successorToken } from "../core/tokens";
import { isUnknown } from "../core/unknown";
import { createEc2Api, type Ec2Api } from "./api";
import type { ImportTaskView } from "./types";
import * as shared from "./shared";

type Props = Record<string, unknown>;

/** One VM Import resource as the shared hooks see it: `R` is its artifact (AMI, instance). */
export interface VmImportFamily<I extends object, T, R, S> {
  idOf(task: T): string;
  statusOf(task: T | undefined): string;
  classify(status: string): "pending" | "success" | "failure";
  /** The task as last recorded in the outputs, for when Describe has forgotten it. */
  recorded(id: string, props: Props): T;
  /** The artifact the task made, when it should exist: the AMI, the instance. */
  artifactId(task: T): string | undefined;
  /** "AMI", "instance": names the artifact in log lines. */
  readonly artifactNoun: string;
  /** The artifact while it exists (a terminated instance counts as gone). */
  findArtifact(ctx: TaskContext<Ec2Api, S, T>, artifactId: string): Promise<R | undefined>;
  /** The outputs the task and its artifact add to the echoed inputs. */
  outputs(task: T, artifact: R | undefined): Props;
  /** CancelImportTask / CancelConversionTask, sent only while the task is pending. */
  readonly cancelOperation: string;
  cancel(api: Ec2Api, id: string, reason: string): Promise<void>;
  /** The status of a cancel (or failure) being rolled back: delete waits for it to end. */
  readonly ending: string;
  /** Whether a task that ended in `status` left artifacts to remove. */
  leftArtifacts(task: T, status: string): boolean;
  /** Removes the artifacts, as far as the retain options allow. */
  removeArtifacts(
    ctx: TaskContext<Ec2Api, S, T>,
    id: string,
    inputs: I,
    task: T,
    props: Props,
  ): Promise<void>;
}

/**
 * The EC2 client, outputs echoing the inputs (secret ones kept secret) and the hooks (+ `more`).
 * EC2 forgets a task record 7 days after the task ends while its artifact lives on, so read and
 * update fall back to the task recorded in the outputs plus that artifact, and drop the resource
 * once the artifact it made is gone.
 */
export function vmImportSpec<I extends object, T, R, S>(
  family: VmImportFamily<I, T, R, S>,
  properties: PropertyTable<I>,
  more: Partial<TaskHooks<I, T, Ec2Api, S>> = {},
) {
  type Ctx = TaskContext<Ec2Api, S, T>;
  const table: Readonly<Record<string, PropertySpec>> = properties;
  const toOutputs = (raw: Props, task: T, extra?: Props) =>
    normalizeOutputs({
      ...inputsOf(properties, raw),
      ...family.outputs(task, undefined),
      ...extra,
    });
  const artifactOf = async (ctx: Ctx, task: T): Promise<R | undefined> => {
    const artifactId = family.artifactId(task);
    return artifactId === undefined ? undefined : family.findArtifact(ctx, artifactId);
  };
  const withArtifact = async (ctx: Ctx, id: string, task: T) => {
    const artifactId = family.artifactId(task);
    const artifact = await artifactOf(ctx, task);
    if (artifactId === undefined || artifact !== undefined) return { artifact };
    const dropped = `${family.artifactNoun} ${artifactId} of ${id} no longer exists; dropping it from the stack`;
    return { dropped };
  };
  const hooks: TaskHooks<I, T, Ec2Api, S> = {
    async settled(ctx, _inputs, task, wait) {
      // A failed import made nothing to read; its report is the core's failureMessage.
      if (wait.verdict === "failure") return {};
      const artifact = await artifactOf(ctx, task);
      const polls = `${wait.polls} poll${wait.polls === 1 ? "" : "s"}`;
      const made = `${family.artifactNoun} ${family.artifactId(task) ?? "(none)"}`;
      return {
        extra: family.outputs(task, artifact),
        info: `${family.idOf(task)} completed: ${made} (${polls})`,
      };
    },
    async refresh(ctx, _inputs, task) {
      const found = await withArtifact(ctx, family.idOf(task), task);
      return "dropped" in found ? found : family.outputs(task, found.artifact);
    },
    // Gone (undefined) when the forgotten task made no artifact.
    async readGone(ctx, id, props) {
      const task = family.recorded(id, props);
      const found = await withArtifact(ctx, id, task);
      if ("dropped" in found) return found;
      if (found.artifact === undefined) return undefined;
      return toOutputs(props, task, family.outputs(task, found.artifact));
    },
    delete: (ctx, id, inputs, props) => deleteTask(ctx, family, id, inputs, props),
  };
  return {
    createApi: (settings: ProviderSettings) => createEc2Api(settings),
    secretOutputs: Object.keys(table).filter((key) => table[key]?.secret === true),
    toOutputs,
    hooks: { ...hooks, ...more },
  };
}

/**
 * Delete past the core's retain guard: cancel a pending task and wait (if it completed first, its
 * artifacts go), wait out a cancel under way, or remove a finished task's artifacts.
 */
async function deleteTask<I extends object, T, R, S>(
  ctx: TaskContext<Ec2Api, S, T>,
  family: VmImportFamily<I, T, R, S>,
  id: string,
  inputs: I,
  props: Props,
): Promise<void> {
  const wait = (): ReturnType<typeof ctx.wait> =>
    ctx.wait(id, "cancel", inputs, { properties: props });
  let task = (await ctx.describe(id)) ?? family.recorded(id, props);
  let status = family.statusOf(task);
  if (family.classify(status) === "pending") {
    try {
      await ctx.aws(family.cancelOperation, () => family.cancel(ctx.api, id, "pulumi destroy"));
      ctx.runtime.log.info(ctx.label(inputs, id), `cancelled ${id} (was ${status})`);
    } catch (err) {
      // It finished between the describe and the cancel: clean up what it left instead.
      if (!(isAwsApiError(err) && err.code === shared.CANNOT_CANCEL_CODE)) throw err;
    }
    const result = await wait();
    task = result.last ?? task;
    status = family.statusOf(result.last);
  }
  if (status === family.ending) {
    await wait();
    return;
  }
  if (family.leftArtifacts(task, status))
    await family.removeArtifacts(ctx, id, inputs, task, props);
}

/** The recorded outputs among `keys` that are set (taskOutputs wrote them with the task's types). */
export function recordedFields(props: Props, keys: readonly string[]): Props {
  const set = keys.filter((k) => props[k] !== undefined && props[k] !== "");
  return Object.fromEntries(set.map((k) => [k, props[k]]));
}

/** A boolean option that updates in place (waiting and delete options). */
export function option(defaultValue: boolean): PropertySpec {
  return {
    rule: { kind: "boolean", fix: "use true or false" },
    change: "update",
    default: defaultValue,
  };
}

/** DeleteSnapshot for each ID (one already gone is fine), then one log line. */
export async function deleteSnapshots<T, S>(
  ctx: TaskContext<Ec2Api, S, T>,
  label: string,
  snapshotIds: readonly string[],
): Promise<void> {
  for (const snapshotId of snapshotIds) {
    await ctx
      .aws("DeleteSnapshot", () => ctx.api.deleteSnapshot(snapshotId))
      .catch(shared.ignore(shared.NOT_FOUND_CODES.snapshotId));
  }
  if (snapshotIds.length > 0) ctx.runtime.log.info(label, `deleted ${snapshotIds.join(", ")}`);
}

/**
 * Status facts of a task that succeeds `completed`, fails in one of `failed` or gone, else runs;
 * after a cancel, one of `cancelEnds` (`completed`: it finished first) or gone ends the wait.
 */
export function taskStatus<T>(facts: {
  statusOf(task: T): string;
  failed: readonly string[];
  cancelEnds: readonly string[];
  message?(task: T): string | undefined;
  percent(task: T): number | undefined;
}) {
  const statusOf = (o: T | undefined): string =>
    o === undefined ? shared.GONE : facts.statusOf(o);
  const classify = (status: string): "pending" | "success" | "failure" => {
    if (status === "completed") return "success";
    return [...facts.failed, shared.GONE].includes(status) ? "failure" : "pending";
  };
  const create = acceptorsFrom<T>((o) => classify(statusOf(o)));
  const cancel = acceptorsFrom<T>((o) =>
    o === undefined || facts.cancelEnds.includes(facts.statusOf(o)) ? "success" : "pending",
  );
  return {
    statusOf,
    classify,
    acceptors: (phase: Phase) => (phase === "create" ? create : cancel),
    /** `active downloading/converting 42%`. */
    progress(o: T | undefined): string {
      const pct = o === undefined ? undefined : facts.percent(o);
      const message = o === undefined ? undefined : facts.message?.(o);
      return [statusOf(o), message, pct === undefined ? undefined : `${pct}%`]
        .filter((part) => part !== undefined && part !== "")
        .join(" ");
    },
  };
}

/**
 * How a VM Import resource names itself (by description, else ID) and reports a failed task, an
 * unknown adopted ID (EC2 keeps `records` 7 days) and a token whose every task failed.
 */
export function taskMessages<T extends { statusMessage?: string }>(facts: {
  /** `ec2.ImportSnapshotTask`. */
  type: string;
  /** The describe operation and its CLI command, e.g. `aws ec2 describe-import-snapshot-tasks`. */
  operation: string;
  cli?: string;
  /** The adopt-by-ID input; "task records" or "conversion tasks"; "import" or "conversion". */
  property: string;
  records: string;
  noun: string;
  /** "token" or "marker", and what to fix once all its tasks failed: `Fix the disks`. */
  token: string;
  fix: string;
  idOf(task: T): string;
  statusOf(task: T | undefined): string;
  advice(status: string, statusMessage: string | undefined): string;
}) {
  type Described = { description?: string };
  const subject = (inputs: Described, id?: string): string =>
    `${facts.type} "${shared.labelOf(inputs.description, id)}"`;
  return {
    name: (inputs: Described, id?: string): string => shared.labelOf(inputs.description, id),
    adoptMissing(id: string, inputs: Described, where: string) {
      const retention = `EC2 keeps ${facts.records} only 7 days after they end`;
      const cli = facts.cli === undefined ? "" : ` (${facts.cli})`;
      return {
        reason: `names ${id}, which ${facts.operation} does not return in ${where}. Fix: check the ID and aws:region; ${retention}`,
        message: `${subject(inputs, id)}: ${facts.property} ${id} was not found in ${where}. Fix: check the ID${cli} and aws:region; ${retention}.`,
      };
    },
    failureMessage(
      inputs: Described,
      last: T | undefined,
      wait: { polls: number; observed: readonly string[] },
      id: string,
    ): string {
      const status = facts.statusOf(last);
      const why = last?.statusMessage ? `: ${last.statusMessage.replace(/\.+$/, "")}` : "";
      return `${subject(inputs, id)}: ${facts.noun} ${id} ended in ${status}${shared.pollHistory(wait)}${why}. ${facts.advice(status, last?.statusMessage)}`;
    },
    exhaustedMessage: (inputs: Described, last: T, attempts: number): string =>
      `${subject(inputs)}: ${attempts} ${facts.noun} tasks for this resource's ${facts.token} ended in failure (last ${facts.idOf(last)}: ${facts.statusOf(last)} ${last.statusMessage ?? ""}). ${facts.fix}, then run \`pulumi up\` again.`,
  };
}

/** What ImportImage and ImportSnapshot say about their artifact; importTaskSpec adds the rest. */
export type ImportArtifact<I extends object, T, R, S> = Omit<
  VmImportFamily<I, T, R, S>,
  "idOf" | "statusOf" | "classify" | "cancelOperation" | "cancel" | "ending" | "leftArtifacts"
>;

/**
 * ImportImage's and ImportSnapshot's spec fields around `artifact`. `deleting`/`deleted` (failed or
 * cancelled) and `error` (what the SDK's SnapshotImported waiter fails on) fail.
 */
export function importTaskSpec<I extends object, T extends ImportTaskView, R, S>(spec: {
  className: string;
  properties: PropertyTable<I>;
  /** The outputs after the task's ID, status, status message and progress. */
  outputs: readonly string[];
  call: DescribeSpec<T, Ec2Api>["call"];
  tokens: ReturnType<typeof importTaskTokens>;
  advice: (status: string, statusMessage: string | undefined) => string;
  fix?: string;
  artifact: ImportArtifact<I, T, R, S>;
}) {
  const operation = `Describe${spec.className}s`;
  const cli = `aws ec2 ${operation.replace(/(?<=.)([A-Z])/g, "-$1").toLowerCase()}`;
  const status = taskStatus<T>({
    statusOf: (t) => t.status,
    failed: ["deleting", "deleted", "error"],
    cancelEnds: ["deleted", "error", "completed"],
    message: (t) => t.statusMessage,
    percent: (t) => t.progress,
  });
  const idOf = (task: T): string => task.importTaskId;
  const family: VmImportFamily<I, T, R, S> = {
    ...spec.artifact,
    idOf,
    statusOf: status.statusOf,
    classify: status.classify,
    cancelOperation: "CancelImportTask",
    cancel: (api, id, reason) => api.cancelImportTask(id, reason),
    ending: "deleting",
    leftArtifacts: (task, s) => s === "completed" || spec.artifact.artifactId(task) !== undefined,
  };
  return {
    service: "ec2" as const,
    className: spec.className,
    properties: spec.properties,
    describe: { operation, batchSize: shared.DESCRIBE_BATCH_SIZE, call: spec.call },
    outputs: ["importTaskId", "status", "statusMessage", "progress", ...spec.outputs],
    idOf,
    ...status,
    adoptProperty: "adoptImportTaskId" as const,
    tokenProperty: "clientToken" as const,
    fallbackToken: spec.tokens.fallbackToken,
    successorToken: spec.tokens.successorToken,
    ...taskMessages<T>({
      type: `ec2.${spec.className}`,
      operation,
      cli,
      property: "adoptImportTaskId",
      records: "task records",
      noun: "import",
      token: "token",
      fix: spec.fix ?? "Fix the inputs",
      idOf,
      statusOf: status.statusOf,
      advice: spec.advice,
    }),
    explain: (err: unknown): unknown =>
      isAwsApiError(err) && err.code === "IdempotentParameterMismatch"
        ? withAdvice(
            err,
            `An import was already started with this clientToken and other parameters (a presigned URL re-signed with another host or path?). Fix: set adoptImportTaskId to that task's ID (${cli}), or set a new clientToken.`,
          )
        : err,
    ...vmImportSpec(family, spec.properties),
  };
}

/** The outputs every import task starts with (a completed task reports 100%). */
export function importTaskOutputs(task: ImportTaskView): Props {
  return {
    importTaskId: task.importTaskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress: task.status === "completed" ? 100 : task.progress,
  };
}

/**
 * ClientTokens (ImportInstance's markers: `maxLength` 40) from the stack, project, resource name
 * and the import parameters (inputs with an AWS name but the token) as diff compares them, defaults
 * applied; after a failed task, a deterministic successor (EC2 keeps returning the failed one).
 */
export function importTaskTokens(
  type: string,
  properties: Readonly<Record<string, PropertySpec>>,
  maxLength = 64,
) {
  const kind = type.replace(".", ":");
  const params = Object.entries(properties).filter(
    ([key, p]) => p.awsName !== undefined && key !== "clientToken",
  );
  const identity = (inputs: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      params.map(([key, p]) => {
        const v = inputs[key] === undefined ? p.default : inputs[key];
        return [key, p.compareAs === undefined ? v : p.compareAs(v)];
      }),
    );
  const derive = (stack: string, project: string, name: string, inputs: Record<string, unknown>) =>
    deriveToken({ stack, project, type: kind, name, inputs: identity(inputs) }, { maxLength });
  return {
    identityOf: <T extends object>(inputs: T): Partial<T> =>
      Object.fromEntries(
        params.map(([key]) => [key, (inputs as Record<string, unknown>)[key]]),
      ) as Partial<T>,
    defaultClientToken: derive,
    fallbackToken: (_inputs: unknown, raw: Record<string, unknown>) => derive("", "", "", raw),
    successorToken: (token: string, failedTaskId: string) =>
      successorToken(kind, token, failedTaskId, { maxLength }),
  };
}

/** KmsKeyId needs Encrypted=true on ImportImage and ImportSnapshot alike (a checkMore rule). */
export function checkKmsNeedsEncryption(news: Record<string, unknown>): CheckFailure[] {
  const [kms, encrypted] = [news["kmsKeyId"], news["encrypted"]];
  if (kms === undefined || isUnknown(kms) || isUnknown(encrypted) || encrypted === true) return [];
  const reason =
    "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId";
  return [{ property: "kmsKeyId", reason }];
}
