import * as pulumi from "@pulumi/pulumi";
import { registration, withSecretLeaves } from "../core/register";
import type { RetainingWaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type { ImageDiskContainerArgs, ImportImageTaskArgs } from "./importImageTask";
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
export interface ImportSnapshotTaskArgs
  extends
    RetainingWaitArgs,
    SourceArgs,
    Pick<ImportImageTaskArgs, "description" | "encrypted" | "kmsKeyId" | "roleName" | "tags"> {
  /**
   * The one disk image to import as an EBS snapshot. Required unless `adoptImportTaskId` is set.
   * A change replaces the resource.
   */
  diskContainer?: pulumi.Input<SnapshotDiskContainerArgs>;
  /**
   * ImportSnapshot idempotency token, 1–64 ASCII characters (the SDK does not fill it in).
   * @default derived from the stack, project, resource name and the import parameters, so a re-run
   * of an interrupted create gets the task the first run started. A change updates in place.
   */
  clientToken?: pulumi.Input<string>;
  /**
   * Manage an existing import instead of starting one: `import-snap-…` (the stand-in for
   * `pulumi import`). A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImportSnapshotTasks.html
   */
  adoptImportTaskId?: pulumi.Input<string>;
}

/**
 * An EC2 VM Import snapshot import (ImportSnapshot): one disk image in S3 becomes an EBS snapshot.
 * Starts the import with a deterministic ClientToken, waits for `completed` through a shared,
 * batched DescribeImportSnapshotTasks poller, and on delete cancels a running import or deletes the
 * snapshot (unless retained). Waits up to 480 minutes by default (`waitTimeoutMinutes`). Type
 * token `pulumi-nodejs:dynamic/ec2:ImportSnapshotTask`.
 */
export class ImportSnapshotTask extends pulumi.dynamic.Resource {
  /** `import-snap-…`. */
  declare readonly importTaskId: pulumi.Output<string>;
  /** `active | completed | deleting | deleted` as last observed. */
  declare readonly status: pulumi.Output<string>;
  /** The stage while active (`validating`, `downloading/converting`…), or why it failed. */
  declare readonly statusMessage: pulumi.Output<string | undefined>;
  /** Percent complete, 0–100. */
  declare readonly progress: pulumi.Output<number | undefined>;
  /** The EBS snapshot, once completed. */
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  /** Size of the disk image in bytes, once validated. */
  declare readonly diskImageSize: pulumi.Output<number | undefined>;
  /** The snapshot's volume size in GiB, from DescribeSnapshots. */
  declare readonly volumeSize: pulumi.Output<number | undefined>;
  /** The snapshot's state (`completed`…), from DescribeSnapshots. */
  declare readonly snapshotState: pulumi.Output<string | undefined>;

  constructor(name: string, args: ImportSnapshotTaskArgs, opts?: pulumi.CustomResourceOptions) {
    // The token derives from the import parameters only (importTaskTokens picks them).
    const token =
      args.clientToken ??
      pulumi
        .output(withSecretLeaves(spec, args))
        .apply((resolved) =>
          tokens.defaultClientToken(pulumi.getStack(), pulumi.getProject(), name, resolved),
        );
    super(...registration(spec, name, { ...args, clientToken: token }, opts));
  }
}
