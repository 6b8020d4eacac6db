/**
 * `ec2.ImportSnapshotTask` as a spec of the one lifecycle (provider/core/task/): ImportSnapshot of
 * one disk image with a deterministic ClientToken, DescribeImportSnapshotTasks batched 100 IDs a
 * call, `completed` the goal (aws-apis.md §4.6). The VM Import hooks (vmImport.ts) read the snapshot
 * after the wait and after the 7-day record expiry; delete cancels a running import or deletes the
 * snapshot. The inputs it shares with ImportImage keep ImportImageTask's rules.
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPlainObject } from "../core/check";
import { endpointOrigins } from "../core/config";
import { isCredentialBearingUrl } from "../core/redact";
import type { BatchPoller } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import {
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import type { TargetArgs } from "../core/task/targetArgs";
import type { Ec2Api, ImportSnapshotRequest } from "./api";
import type { ImportSnapshotTaskArgs } from "./importSnapshotTask";
import { adviceFor, diskIdentity, properties as image } from "./importImageTaskSpec";
import * as shared from "./shared";
import type { Ec2Snapshot, SnapshotTask } from "./types";
import * as vm from "./vmImport";

/** Inputs after check(), as the provider receives them (untyped on the wire). */
type Inputs = Omit<pulumi.Unwrap<ImportSnapshotTaskArgs>, keyof TargetArgs>;

/** ImportSnapshot's disk: a format and exactly one of url or userBucket. */
const DISK: shared.DiskRules = {
  sources: ["url", "userBucket"],
  formats: ["VHD", "VMDK", "RAW"],
  formatFix: "set the disk image's format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)",
  noneFix: "add userBucket: { s3Bucket, s3Key }",
};

/** Each input in check() order; import parameters replace, waiting and delete options update. */
export const properties: PropertyTable<Inputs & SourceInputs> = {
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
    checkNested: (news, { settings }) =>
      isPlainObject(news["diskContainer"])
        ? shared.collect((f) =>
            shared.checkDisk(news, "diskContainer", DISK, endpointOrigins(settings, "ec2"), f),
          )
        : [],
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
  waitTimeoutMinutes: waitTimeoutProperty(480),
  retainOnDelete: vm.option(false),
};

export const tokens = vm.importTaskTokens("ec2.ImportSnapshotTask", properties);

export function importSnapshotRequest(inputs: Inputs, ClientToken: string): ImportSnapshotRequest {
  const d = inputs.diskContainer;
  const bucket = d?.userBucket;
  const tags = shared.tagSpecifications(inputs.tags, "import-snapshot-task");
  return shared.compact({
    ClientToken,
    Description: inputs.description,
    DiskContainer: shared.compact({
      Description: d?.description,
      Format: d?.format?.toUpperCase(),
      Url: d?.url,
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
    ...vm.importTaskOutputs(task),
    snapshotId: task.snapshotId,
    diskImageSize: task.diskImageSize,
    volumeSize: snapshot?.volumeSize,
    snapshotState: snapshot?.state,
  });
}

/** What an ImportSnapshot provider keeps per configure: DescribeSnapshots batched like the tasks. */
export interface SnapshotState {
  snapshots: BatchPoller<Ec2Snapshot>;
}

export const importSnapshotTaskSpec: TaskSpec<Inputs, SnapshotTask, Ec2Api, SnapshotState> = {
  checkMore: vm.checkKmsNeedsEncryption,
  state: (ctx) => ({
    snapshots: ctx.batcher("DescribeSnapshots", shared.DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeSnapshots(ids),
    ),
  }),
  poll: shared.POLL,
  start: (ctx, inputs, token) =>
    ctx.aws("ImportSnapshot", () => ctx.api.importSnapshot(importSnapshotRequest(inputs, token))),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id} and its snapshot in EC2`,
  ...vm.importTaskSpec<Inputs, SnapshotTask, Ec2Snapshot, SnapshotState>({
    className: "ImportSnapshotTask",
    properties,
    outputs: ["snapshotId", "diskImageSize", "volumeSize", "snapshotState"],
    call: (api, ids) => api.describeImportSnapshotTasks(ids),
    tokens,
    // VM Import's advice, in the snapshot's own words where they differ.
    advice: (s, message = "") =>
      s === shared.GONE
        ? "DescribeImportSnapshotTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run `pulumi refresh`, then `pulumi up` to import again."
        : /Unsupported/i.test(message) && !/403|do not have access|AccessDenied/i.test(message)
          ? "The file does not match its declared format: set diskContainer.format to the disk's real format (VHD, VMDK or RAW), then run `pulumi up` again (a failed import is replaced)."
          : adviceFor(s, message),
    // ImportSnapshot leaves one snapshot, found with DescribeSnapshots and removed with DeleteSnapshot.
    artifact: {
      artifactId: (task) => task.snapshotId,
      // Outputs are written by taskOutputs, so their recorded fields have the task's types.
      recorded: (id, props) => ({
        ...vm.recordedFields(props, ["statusMessage", "progress", "snapshotId", "diskImageSize"]),
        importTaskId: id,
        status: typeof props["status"] === "string" ? props["status"] : shared.GONE,
      }),
      artifactNoun: "snapshot",
      findArtifact: (ctx, snapshotId) => ctx.state.snapshots.get(snapshotId),
      outputs: taskOutputs,
      removeArtifacts: (ctx, id, inputs, task) =>
        vm.deleteSnapshots(ctx, ctx.label(inputs, id), task.snapshotId ? [task.snapshotId] : []),
    },
  }),
};
