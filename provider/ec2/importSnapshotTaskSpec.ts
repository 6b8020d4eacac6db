/**
 * `ec2.ImportSnapshotTask` as a spec of the one lifecycle (provider/core/task/): ImportSnapshot of
 * one disk image with a deterministic ClientToken, DescribeImportSnapshotTasks batched 100 IDs a
 * call, `completed` the goal (aws-apis.md §4.6). The VM Import hooks (vmImport.ts) read the snapshot
 * after the wait and after the 7-day task-record expiry; delete cancels a running import or deletes
 * the snapshot. Inputs ImportImage shares keep ImportImageTask's rules.
 */
import { type CheckFailure, checkString } from "../core/check";
import { endpointOrigins } from "../core/config";
import { isAwsApiError, withAdvice } from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { inputsOf, type PropertySpec, type PropertyTable } from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import { deriveToken } from "../core/tokens";
import { containsUnknown, isUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
import { createEc2Api, type Ec2Api, type ImportSnapshotRequest } from "./api";
import { adviceFor, diskIdentity } from "./importImageTaskLogic";
import { properties as image } from "./importImageTaskSpec";
import {
  checkDiskUrl,
  checkUserBucket,
  collect,
  compact,
  DESCRIBE_BATCH_SIZE,
  GONE,
  labelOf,
  POLL,
  pollHistory,
  successorToken,
  tagSpecifications,
} from "./shared";
import type { Ec2Snapshot, SnapshotTask } from "./types";
import {
  adoptMissing,
  deleteSnapshots,
  option,
  secretInputs,
  type VmImportFamily,
  vmImportHooks,
  waitTimeoutProperty,
} from "./vmImport";

const TYPE = "ec2.ImportSnapshotTask";
const TOKEN_TYPE = "ec2:ImportSnapshotTask";

/** Inputs after check(), as the provider receives them (untyped on the wire). */
export interface ImportSnapshotTaskInputs {
  adoptImportTaskId?: string;
  diskContainer?: {
    description?: string;
    format?: string;
    url?: string;
    userBucket?: { s3Bucket?: string; s3Key?: string };
  };
  description?: string;
  clientToken?: string;
  roleName?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  tags?: Record<string, string>;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  retainOnDelete?: boolean;
}

/** diskContainer's members, once it is an object: a format and exactly one of url or userBucket. */
function checkDiskContainer(news: Record<string, unknown>, origins: string[]): CheckFailure[] {
  const disk = news["diskContainer"];
  if (typeof disk !== "object" || disk === null || Array.isArray(disk)) return [];
  const d = disk as Record<string, unknown>;
  return collect((failures) => {
    const at = (member: string): string => `diskContainer.${member}`;
    checkString(
      news,
      at("description"),
      { minLength: 1, maxLength: 255, fix: "use 1–255 characters" },
      failures,
    );
    checkString(
      news,
      at("format"),
      {
        required: true,
        pattern: /^(?:vhd|vmdk|raw)$/i,
        patternText: "one of VHD, VMDK, RAW (any case)",
        fix: "set the disk image's format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)",
      },
      failures,
    );
    const sources = ["url", "userBucket"].filter((k) => d[k] !== undefined && d[k] !== null);
    if (sources.length !== 1 && !sources.some((k) => containsUnknown(d[k]))) {
      const fix = sources.length === 0 ? "add userBucket: { s3Bucket, s3Key }" : "keep one of them";
      failures.push({
        property: "diskContainer",
        reason: `must name its disk with exactly one of url or userBucket (got ${sources.join(" and ") || "none"}). Fix: ${fix}`,
      });
    }
    const before = failures.length;
    checkString(
      news,
      at("url"),
      { minLength: 1, fix: "use s3://bucket/key or the https:// object URL" },
      failures,
    );
    const url = d["url"];
    if (failures.length === before && typeof url === "string" && !containsUnknown(url)) {
      checkDiskUrl(url, at("url"), failures, origins);
    }
    if (d["userBucket"] !== undefined) checkUserBucket(news, at("userBucket"), failures);
  });
}

/** Each input in check() order; import parameters replace, waiting and delete options update. */
export const properties: PropertyTable<ImportSnapshotTaskInputs> = {
  adoptImportTaskId: {
    rule: {
      kind: "string",
      pattern: /^import-snap-[0-9a-z]{8}(?:[0-9a-z]{9})?$/,
      patternText: "import-snap- followed by 8 or 17 letters/digits",
      fix: "copy ImportTaskId from `aws ec2 describe-import-snapshot-tasks`",
    },
    change: "replace",
  },
  // A re-signed presigned URL names the same disk: diff compares what diskIdentity keeps.
  diskContainer: {
    rule: {
      kind: "object",
      required: true,
      fix: 'use { format: "VMDK", userBucket: { s3Bucket, s3Key } } or { format, url }, or set adoptImportTaskId',
    },
    requiredUnless: "adoptImportTaskId",
    checkNested: (news, { settings }) => checkDiskContainer(news, endpointOrigins(settings, "ec2")),
    change: "replace",
    secret: true,
    awsName: "DiskContainer",
    compareAs: (v) => (diskIdentity([v]) as unknown[])[0],
  },
  description: image.description,
  clientToken: image.clientToken,
  roleName: image.roleName,
  encrypted: image.encrypted,
  kmsKeyId: image.kmsKeyId,
  tags: image.tags,
  waitForCompletion: option(true),
  // Snapshot imports of large disks take hours.
  waitTimeoutMinutes: waitTimeoutProperty(480),
  retainOnDelete: option(false),
};

/** What makes two imports the same: the ImportSnapshot parameters as diff compares them. */
function importIdentity(inputs: Record<string, unknown>): Record<string, unknown> {
  const table: Record<string, PropertySpec> = properties;
  const out: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(table)) {
    if (p.awsName === undefined || key === "clientToken") continue;
    const v = inputs[key] ?? p.default;
    out[key] = p.compareAs === undefined ? v : p.compareAs(v);
  }
  return out;
}

/** The default ClientToken: stack, project, resource name and import identity (≤ 64 ASCII). */
export function defaultClientToken(
  stack: string,
  project: string,
  name: string,
  inputs: Record<string, unknown>,
): string {
  const parts = { stack, project, type: TOKEN_TYPE, name, inputs: importIdentity(inputs) };
  return deriveToken(parts, { maxLength: 64 });
}

export function importSnapshotRequest(
  inputs: ImportSnapshotTaskInputs,
  ClientToken: string,
): ImportSnapshotRequest {
  const d = inputs.diskContainer ?? {};
  const bucket = d.userBucket;
  const tags = tagSpecifications(inputs.tags, "import-snapshot-task");
  return compact({
    ClientToken,
    Description: inputs.description,
    DiskContainer: compact({
      Description: d.description,
      Format: d.format?.toUpperCase(),
      Url: d.url,
      UserBucket: bucket && { S3Bucket: bucket.s3Bucket, S3Key: bucket.s3Key },
    }),
    Encrypted: inputs.encrypted,
    KmsKeyId: inputs.kmsKeyId,
    RoleName: inputs.roleName,
    TagSpecifications: tags as ImportSnapshotRequest["TagSpecifications"],
  });
}

// ---- status, acceptors, outputs ---------------------------------------------------------------

/** `completed` succeeds; `deleting`/`deleted` (failed or cancelled), `error` and gone fail. */
export function classifyStatus(status: string): "success" | "failure" | "pending" {
  if (status === "completed") return "success";
  return ["deleting", "deleted", "error", GONE].includes(status) ? "failure" : "pending";
}

const statusOf = (o: SnapshotTask | undefined): string => o?.status ?? GONE;

const createAcceptors: readonly Acceptor<SnapshotTask | undefined>[] = [
  { verdict: "success", description: "completed", matches: (o) => o?.status === "completed" },
  {
    verdict: "failure",
    description: "deleting, deleted, error or gone",
    matches: (o) => classifyStatus(statusOf(o)) === "failure",
  },
];

/** After CancelImportTask: it ends deleted (or completed first: its snapshot is then deleted). */
const cancelAcceptors: readonly Acceptor<SnapshotTask | undefined>[] = [
  {
    verdict: "success",
    description: "deleted, error, completed or gone",
    matches: (o) => o === undefined || ["deleted", "error", "completed"].includes(o.status),
  },
];

function taskOutputs(task: SnapshotTask, snapshot?: Ec2Snapshot): Record<string, OutputValue> {
  return normalizeOutputs({
    importTaskId: task.importTaskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress: task.status === "completed" ? 100 : task.progress,
    snapshotId: task.snapshotId,
    diskImageSize: task.diskImageSize,
    volumeSize: snapshot?.volumeSize,
    snapshotState: snapshot?.state,
  });
}

/** The task as last recorded in the outputs, for when EC2 has forgotten it (7 days). */
function recordedTask(id: string, props: Record<string, unknown>): SnapshotTask {
  const str = (k: string): string | undefined =>
    typeof props[k] === "string" && props[k] !== "" ? props[k] : undefined;
  const num = (k: string): number | undefined =>
    typeof props[k] === "number" ? props[k] : undefined;
  return compact({
    importTaskId: id,
    status: str("status") ?? GONE,
    statusMessage: str("statusMessage"),
    progress: num("progress"),
    snapshotId: str("snapshotId"),
    diskImageSize: num("diskImageSize"),
  });
}

// ---- messages ---------------------------------------------------------------------------------

const subject = (description: unknown, id?: string): string =>
  `${TYPE} "${labelOf(description, id)}"`;

/** VM Import's StatusMessage advice, with the snapshot's own words where they differ. */
function advice(status: string, message = ""): string {
  if (status === GONE) {
    return "DescribeImportSnapshotTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run `pulumi refresh`, then `pulumi up` to import again.";
  }
  if (/Unsupported/i.test(message) && !/403|do not have access|AccessDenied/i.test(message)) {
    return "The file does not match its declared format: set diskContainer.format to the disk's real format (VHD, VMDK or RAW), then run `pulumi up` again (a failed import is replaced).";
  }
  return adviceFor(status, message);
}

function failureMessage(
  description: unknown,
  task: SnapshotTask | undefined,
  wait: { polls: number; observed: readonly string[] },
  id: string,
): string {
  const status = statusOf(task);
  const why = task?.statusMessage ? `: ${task.statusMessage.replace(/\.+$/, "")}` : "";
  return `${subject(description, id)}: import ${id} ended in ${status}${pollHistory(wait)}${why}. ${advice(status, task?.statusMessage)}`;
}

/** `active downloading/converting 42%`. */
function progressText(o: SnapshotTask | undefined): string {
  const pct = o?.progress === undefined ? "" : ` ${o.progress}%`;
  return `${statusOf(o)}${o?.statusMessage ? ` ${o.statusMessage}` : ""}${pct}`;
}

// ---- the spec ---------------------------------------------------------------------------------

/** What an ImportSnapshot provider keeps per configure: DescribeSnapshots batched like the tasks. */
export interface SnapshotState {
  snapshots: BatchPoller<Ec2Snapshot>;
}

/** ImportSnapshot leaves one snapshot, removed with DeleteSnapshot. */
const snapshotImport: VmImportFamily<
  ImportSnapshotTaskInputs,
  SnapshotTask,
  Ec2Snapshot,
  SnapshotState
> = {
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: classifyStatus,
  recorded: recordedTask,
  artifactId: (task) => task.snapshotId,
  artifactNoun: "snapshot",
  findArtifact: (ctx, snapshotId) => ctx.state.snapshots.get(snapshotId),
  outputs: taskOutputs,
  completed: (task, _snapshot, polls) =>
    `${task.importTaskId} completed: snapshot ${task.snapshotId ?? "(none)"} (${polls} poll${polls === 1 ? "" : "s"})`,
  cancelOperation: "CancelImportTask",
  cancel: (api, id, reason) => api.cancelImportTask(id, reason),
  ending: "deleting",
  leftArtifacts: (task, status) => status === "completed" || task.snapshotId !== undefined,
  removeArtifacts: (ctx, id, inputs, task) =>
    deleteSnapshots(
      ctx,
      ctx.label(inputs, id),
      task.snapshotId === undefined ? [] : [task.snapshotId],
    ),
};

export const importSnapshotTaskSpec: TaskSpec<
  ImportSnapshotTaskInputs,
  SnapshotTask,
  Ec2Api,
  SnapshotState
> = {
  service: "ec2",
  className: "ImportSnapshotTask",
  properties,
  checkMore: (news) => {
    const kms = news["kmsKeyId"];
    const encrypted = news["encrypted"];
    if (kms === undefined || isUnknown(kms) || isUnknown(encrypted) || encrypted === true)
      return [];
    const reason =
      "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId";
    return [{ property: "kmsKeyId", reason }];
  },
  createApi: (settings) => createEc2Api(settings),
  state: (ctx) => ({
    snapshots: ctx.batcher("DescribeSnapshots", DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeSnapshots(ids),
    ),
  }),
  describe: {
    operation: "DescribeImportSnapshotTasks",
    batchSize: DESCRIBE_BATCH_SIZE,
    call: (api, ids) => api.describeImportSnapshotTasks(ids),
  },
  poll: POLL,
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: (status) => classifyStatus(status),
  acceptors: (phase) => (phase === "create" ? createAcceptors : cancelAcceptors),
  progress: progressText,
  adoptProperty: "adoptImportTaskId",
  adoptMissing: (id, inputs, where) =>
    adoptMissing({
      subject: subject(inputs.description, id),
      property: "adoptImportTaskId",
      id,
      where,
      operation: "DescribeImportSnapshotTasks",
      cli: "aws ec2 describe-import-snapshot-tasks",
      records: "task records",
    }),
  tokenProperty: "clientToken",
  fallbackToken: (_inputs, raw) => defaultClientToken("", "", "", raw),
  successorToken: (token, failedTaskId) => successorToken(TOKEN_TYPE, token, failedTaskId),
  start: (ctx, inputs, token) =>
    ctx.aws("ImportSnapshot", () => ctx.api.importSnapshot(importSnapshotRequest(inputs, token))),
  exhaustedMessage: (inputs, last, attempts) =>
    `${subject(inputs.description)}: ${attempts} import tasks for this resource's token ended in failure (last ${last.importTaskId}: ${last.status} ${last.statusMessage ?? ""}). Fix the disk, then run \`pulumi up\` again.`,
  outputs: [
    "importTaskId",
    "status",
    "statusMessage",
    "progress",
    "snapshotId",
    "diskImageSize",
    "volumeSize",
    "snapshotState",
  ],
  secretOutputs: secretInputs(properties),
  toOutputs: (raw, task, extra) =>
    normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task), ...extra }),
  name: (inputs, id) => labelOf(inputs.description, id),
  failureMessage: (inputs, last, wait, id) => failureMessage(inputs.description, last, wait, id),
  explain: (err) =>
    isAwsApiError(err) && err.code === "IdempotentParameterMismatch"
      ? withAdvice(
          err,
          "An import was already started with this clientToken and other parameters (a presigned URL re-signed with another host or path?). Fix: set adoptImportTaskId to that task's ID (aws ec2 describe-import-snapshot-tasks), or set a new clientToken.",
        )
      : err,
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its snapshot in EC2`,
  hooks: vmImportHooks(snapshotImport, properties),
};
