/**
 * `ec2.ImportSnapshotTask` as a spec of the one lifecycle (provider/core/task/): ImportSnapshot of
 * one disk image with a deterministic ClientToken, DescribeImportSnapshotTasks batched 100 IDs a
 * call, `completed` the goal (aws-apis.md §4.6). The VM Import hooks (vmImport.ts) read the snapshot
 * after the wait and after the 7-day record expiry; delete cancels a running import or deletes the
 * snapshot. The inputs it shares with ImportImage keep ImportImageTask's rules.
 */
import { type CheckFailure, checkString } from "../core/check";
import { endpointOrigins } from "../core/config";
import { isCredentialBearingUrl } from "../core/redact";
import type { BatchPoller } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import {
  inputsOf,
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
} from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import { containsUnknown } from "../core/unknown";
import { createEc2Api, type Ec2Api, type ImportSnapshotRequest } from "./api";
import { adviceFor, type DiskContainerInput, diskIdentity } from "./importImageTaskLogic";
import { properties as image } from "./importImageTaskSpec";
import * as shared from "./shared";
import type { Ec2Snapshot, SnapshotTask } from "./types";
import * as vm from "./vmImport";

/** Inputs after check(), as the provider receives them (untyped on the wire). */
export interface ImportSnapshotTaskInputs {
  adoptImportTaskId?: string;
  diskContainer?: Omit<DiskContainerInput, "deviceName" | "snapshotId">;
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
  const d = news["diskContainer"];
  if (typeof d !== "object" || d === null || Array.isArray(d)) return [];
  const disk = d as Record<string, unknown>;
  const failures: CheckFailure[] = [];
  const rule = (member: string, fix: string, more: object): void =>
    checkString(news, `diskContainer.${member}`, { fix, ...more }, failures);
  rule("description", "use 1–255 characters", { minLength: 1, maxLength: 255 });
  rule(
    "format",
    "set the disk image's format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)",
    {
      required: true,
      pattern: /^(?:vhd|vmdk|raw)$/i,
      patternText: "one of VHD, VMDK, RAW (any case)",
    },
  );
  const sources = ["url", "userBucket"].filter((k) => disk[k] !== undefined && disk[k] !== null);
  if (sources.length !== 1 && !sources.some((k) => containsUnknown(disk[k]))) {
    const fix = sources.length === 0 ? "add userBucket: { s3Bucket, s3Key }" : "keep one of them";
    const got = sources.join(" and ") || "none";
    const reason = `must name its disk with exactly one of url or userBucket (got ${got}). Fix: ${fix}`;
    failures.push({ property: "diskContainer", reason });
  }
  const before = failures.length;
  rule("url", "use s3://bucket/key or the https:// object URL", { minLength: 1 });
  const url = disk["url"];
  if (failures.length === before && typeof url === "string" && !containsUnknown(url)) {
    shared.checkDiskUrl(url, "diskContainer.url", failures, origins);
  }
  if (disk["userBucket"] !== undefined) {
    shared.checkUserBucket(news, "diskContainer.userBucket", failures);
  }
  return failures;
}

/** Each input in check() order; import parameters replace, waiting and delete options update. */
export const properties: PropertyTable<ImportSnapshotTaskInputs & SourceInputs> = {
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
    secretLeaf: { path: ["url"], when: isCredentialBearingUrl },
    awsName: "DiskContainer",
    compareAs: (v) => (diskIdentity([v]) as unknown[])[0],
  },
  sourceEtag: sourceEtagProperty,
  description: image.description,
  clientToken: image.clientToken,
  roleName: image.roleName,
  encrypted: image.encrypted,
  kmsKeyId: image.kmsKeyId,
  tags: image.tags,
  waitForCompletion: vm.option(true),
  // Snapshot imports of large disks take hours.
  waitTimeoutMinutes: vm.waitTimeoutProperty(480),
  retainOnDelete: vm.option(false),
};

export const tokens = vm.importTaskTokens("ec2.ImportSnapshotTask", properties);

export function importSnapshotRequest(
  inputs: ImportSnapshotTaskInputs,
  ClientToken: string,
): ImportSnapshotRequest {
  const d = inputs.diskContainer ?? {};
  const bucket = d.userBucket;
  const tags = shared.tagSpecifications(inputs.tags, "import-snapshot-task");
  return shared.compact({
    ClientToken,
    Description: inputs.description,
    DiskContainer: shared.compact({
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

const status = vm.importTaskStatus<SnapshotTask>();

/** Outputs are written by taskOutputs, so their recorded fields have the task's types. */
function recordedTask(id: string, props: Record<string, unknown>): SnapshotTask {
  const keys = ["statusMessage", "progress", "snapshotId", "diskImageSize"];
  const fields = Object.fromEntries(
    keys.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]),
  );
  const recorded = typeof props["status"] === "string" ? props["status"] : shared.GONE;
  return { ...fields, importTaskId: id, status: recorded };
}

/** ImportSnapshot leaves one snapshot, found with DescribeSnapshots and removed with DeleteSnapshot. */
const snapshotImport: vm.VmImportFamily<
  ImportSnapshotTaskInputs,
  SnapshotTask,
  Ec2Snapshot,
  SnapshotState
> = {
  idOf: (task) => task.importTaskId,
  statusOf: status.statusOf,
  classify: status.classify,
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
  leftArtifacts: (task, s) => s === "completed" || task.snapshotId !== undefined,
  removeArtifacts: (ctx, id, inputs, task) =>
    vm.deleteSnapshots(ctx, ctx.label(inputs, id), task.snapshotId ? [task.snapshotId] : []),
};

/** What an ImportSnapshot provider keeps per configure: DescribeSnapshots batched like the tasks. */
export interface SnapshotState {
  snapshots: BatchPoller<Ec2Snapshot>;
}

export const importSnapshotTaskSpec: TaskSpec<
  ImportSnapshotTaskInputs,
  SnapshotTask,
  Ec2Api,
  SnapshotState
> = {
  service: "ec2",
  className: "ImportSnapshotTask",
  properties,
  checkMore: vm.checkKmsNeedsEncryption,
  createApi: (settings) => createEc2Api(settings),
  state: (ctx) => ({
    snapshots: ctx.batcher("DescribeSnapshots", shared.DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeSnapshots(ids),
    ),
  }),
  describe: {
    operation: "DescribeImportSnapshotTasks",
    batchSize: shared.DESCRIBE_BATCH_SIZE,
    call: (api, ids) => api.describeImportSnapshotTasks(ids),
  },
  poll: shared.POLL,
  idOf: (task) => task.importTaskId,
  ...status,
  adoptProperty: "adoptImportTaskId",
  tokenProperty: "clientToken",
  fallbackToken: tokens.fallbackToken,
  successorToken: tokens.successorToken,
  start: (ctx, inputs, token) =>
    ctx.aws("ImportSnapshot", () => ctx.api.importSnapshot(importSnapshotRequest(inputs, token))),
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
  secretOutputs: vm.secretInputs(properties),
  toOutputs: (raw, task, extra) =>
    normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task), ...extra }),
  ...vm.importTaskMessages<SnapshotTask>({
    type: "ec2.ImportSnapshotTask",
    operation: "DescribeImportSnapshotTasks",
    cli: "aws ec2 describe-import-snapshot-tasks",
    // VM Import's advice, in the snapshot's own words where they differ.
    advice: (s, message = "") =>
      s === shared.GONE
        ? "DescribeImportSnapshotTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run `pulumi refresh`, then `pulumi up` to import again."
        : /Unsupported/i.test(message) && !/403|do not have access|AccessDenied/i.test(message)
          ? "The file does not match its declared format: set diskContainer.format to the disk's real format (VHD, VMDK or RAW), then run `pulumi up` again (a failed import is replaced)."
          : adviceFor(s, message),
  }),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its snapshot in EC2`,
  hooks: vm.vmImportHooks(snapshotImport, properties),
};
