import type * as pulumi from "@pulumi/pulumi";
import {
  type ImageDiskContainerArgs,
  vmImportClass,
  type VmImportArgs,
  type VmImportTaskOutputs,
} from "./importImageTask";
import { importSnapshotTaskSpec as spec, tokens } from "./importSnapshotTaskSpec";

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
export interface ImportSnapshotTaskArgs extends VmImportArgs {
  /**
   * Manage an existing import, `import-snap-…`, instead of starting one (the stand-in for `pulumi
   * import`). A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImportSnapshotTasks.html
   */
  adoptImportTaskId?: pulumi.Input<string>;
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
export const ImportSnapshotTask = vmImportClass<ImportSnapshotTaskArgs, ImportSnapshotTaskOutputs>(
  spec,
  "clientToken",
  tokens,
);
export type ImportSnapshotTask = InstanceType<typeof ImportSnapshotTask>;
