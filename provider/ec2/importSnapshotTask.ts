import type * as pulumi from "@pulumi/pulumi";
import { withSecretLeaves } from "../core/register";
import { givenOrDerived, resourceClass } from "../core/resourceClass";
import type { RetainingWaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type {
  ImageDiskContainerArgs,
  ImportImageTaskArgs,
  VmImportTaskOutputs,
} from "./importImageTask";
import { importSnapshotTaskSpec as spec, tokens } from "./importSnapshotTaskSpec";
import type { TargetArgs } from "../core/task/targetArgs";

/** The disk image to import: `format` and exactly one of `userBucket` or `url`. */
export interface SnapshotDiskContainerArgs extends Pick<
  ImageDiskContainerArgs,
  "description" | "url" | "userBucket"
> {
  /**
   * The disk image format: `VHD | VMDK | RAW` (any case; ImportSnapshot takes no OVA or VHDX).
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SnapshotDiskContainer.html
   */
  format: pulumi.Input<string>;
}

/**
 * Inputs of {@link ImportSnapshotTask}. Every ImportSnapshot parameter replaces on change.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
 */
export interface ImportSnapshotTaskArgs
  extends
    RetainingWaitArgs,
    SourceArgs,
    TargetArgs,
    Pick<
      ImportImageTaskArgs,
      | "description"
      | "encrypted"
      | "kmsKeyId"
      | "roleName"
      | "tags"
      | "clientToken"
      | "adoptImportTaskId"
    > {
  /**
   * The one disk image to import as an EBS snapshot. Required unless `adoptImportTaskId` is set.
   * A change replaces the resource.
   */
  diskContainer?: pulumi.Input<SnapshotDiskContainerArgs>;
}

/** Outputs of {@link ImportSnapshotTask}, besides its inputs. */
export interface ImportSnapshotTaskOutputs extends VmImportTaskOutputs {
  /** The EBS snapshot, once completed. */
  snapshotId?: string;
  /** Size of the disk image in bytes, once validated. */
  diskImageSize?: number;
  /** The snapshot's volume size in GiB, from DescribeSnapshots. */
  volumeSize?: number;
  /** The snapshot's state (`completed`…), from DescribeSnapshots. */
  snapshotState?: string;
}

/**
 * An EC2 VM Import snapshot import (ImportSnapshot): one disk image in S3 becomes an EBS snapshot.
 * Starts the import with a deterministic ClientToken, waits for `completed` through a shared,
 * batched DescribeImportSnapshotTasks poller, and on delete cancels a running import or deletes the
 * snapshot (unless retained). Waits up to 480 minutes by default (`waitTimeoutMinutes`). Type
 * token `pulumi-nodejs:dynamic/ec2:ImportSnapshotTask`.
 */
export const ImportSnapshotTask = resourceClass<ImportSnapshotTaskArgs, ImportSnapshotTaskOutputs>(
  spec,
  (name, args) => {
    // The token derives from the import parameters only (importTaskTokens picks them).
    const identity = { ...withSecretLeaves(spec, args) };
    const clientToken = givenOrDerived(args.clientToken, name, identity, tokens.defaultClientToken);
    return { ...args, clientToken };
  },
);
export type ImportSnapshotTask = InstanceType<typeof ImportSnapshotTask>;
