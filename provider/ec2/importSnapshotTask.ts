import * as pulumi from "@pulumi/pulumi";
import { isCredentialBearingUrl } from "../core/redact";
import { providerShim } from "../core/shim";
import { outputSlots, secretOutputs, shimPath } from "../core/task/resource";
import { importSnapshotTaskSpec as spec, tokens } from "./importSnapshotTaskSpec";
import type { TargetArgs } from "../core/task/targetArgs";

/** The disk image to import: `format` and exactly one of `userBucket` or `url`. */
export interface SnapshotDiskContainerArgs {
  /** A description of the disk, 1–255 characters. */
  description?: pulumi.Input<string>;
  /**
   * The disk image format: `VHD | VMDK | RAW` (any case; ImportSnapshot takes no OVA or VHDX).
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SnapshotDiskContainer.html
   */
  format: pulumi.Input<string>;
  /**
   * The disk image in S3: `s3://bucket/key` or an `https://` (possibly presigned) object URL. A
   * presigned URL makes `diskContainer` a secret, and re-signing it is no change.
   */
  url?: pulumi.Input<string>;
  /** The S3 bucket (3–63 characters) and key (1–1024) of the disk image. */
  userBucket?: pulumi.Input<{ s3Bucket: pulumi.Input<string>; s3Key: pulumi.Input<string> }>;
}

/** Inputs of {@link ImportSnapshotTask}. Every ImportSnapshot parameter replaces on change. */
export interface ImportSnapshotTaskArgs extends TargetArgs {
  /**
   * The one disk image to import as an EBS snapshot. Required unless `adoptImportTaskId` is set.
   * A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  diskContainer?: pulumi.Input<SnapshotDiskContainerArgs>;
  /**
   * 1–255 characters; also names the import in messages and logs. A change replaces.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  description?: pulumi.Input<string>;
  /**
   * Encrypt the snapshot. @default false. A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  encrypted?: pulumi.Input<boolean>;
  /**
   * KMS key ID, key ARN, alias or alias ARN; requires `encrypted: true`.
   * @default the account's default EBS key. A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  kmsKeyId?: pulumi.Input<string>;
  /**
   * VM Import service role, 1–64 letters, digits or `+=,.@_-`. @default vmimport. A change
   * replaces the resource.
   * @see https://docs.aws.amazon.com/vm-import/latest/userguide/required-permissions.html
   */
  roleName?: pulumi.Input<string>;
  /**
   * Tags of the import task (TagSpecifications, `import-snapshot-task`): at most 50; keys 1–128
   * characters without `aws:`, values ≤ 256. A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * ImportSnapshot idempotency token, 1–64 ASCII characters (the SDK does not fill it in).
   * @default derived from the stack, project, resource name and the import parameters, so a re-run
   * of an interrupted create gets the task the first run started. A change updates in place.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportSnapshot.html
   */
  clientToken?: pulumi.Input<string>;
  /**
   * Manage an existing import instead of starting one: `import-snap-…` (the stand-in for
   * `pulumi import`). A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImportSnapshotTasks.html
   */
  adoptImportTaskId?: pulumi.Input<string>;
  /**
   * Wait until `completed`; `false` starts the import and returns. @default true. Updates in place.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImportSnapshotTasks.html
   */
  waitForCompletion?: pulumi.Input<boolean>;
  /**
   * How long create/update/delete wait, whole minutes 1–10080; the import keeps running past it and
   * the next `pulumi up` resumes the wait.
   * @default stack config `awsMigration:waitTimeoutMinutes`, else 480. Updates in place.
   */
  waitTimeoutMinutes?: pulumi.Input<number>;
  /**
   * On delete leave everything: a running import keeps running, the snapshot stays.
   * @default false: CancelImportTask while active, else DeleteSnapshot. Updates in place.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSnapshot.html
   */
  retainOnDelete?: pulumi.Input<boolean>;
}

/**
 * An EC2 VM Import snapshot import (ImportSnapshot): one disk image in S3 becomes an EBS snapshot.
 * Starts the import with a deterministic ClientToken, waits for `completed` through a shared,
 * batched DescribeImportSnapshotTasks poller, and on delete cancels a running import or deletes the
 * snapshot (unless retained). Type token `pulumi-nodejs:dynamic/ec2:ImportSnapshotTask`.
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
    // A presigned disk URL is a credential: keep the input secret in state, not just the output.
    const diskContainer =
      args.diskContainer === undefined
        ? undefined
        : pulumi
            .output(args.diskContainer)
            .apply((d: { url?: string }) =>
              typeof d.url === "string" && isCredentialBearingUrl(d.url)
                ? pulumi.secret(d)
                : pulumi.output(d),
            );
    // The token derives from the import parameters only (importTaskTokens picks them).
    const token =
      args.clientToken ??
      pulumi
        .output({ ...args, diskContainer })
        .apply((resolved) =>
          tokens.defaultClientToken(pulumi.getStack(), pulumi.getProject(), name, resolved),
        );
    super(
      providerShim(shimPath(spec)),
      name,
      { ...args, diskContainer, clientToken: token, ...outputSlots(spec) },
      { ...opts, additionalSecretOutputs: secretOutputs(spec, opts?.additionalSecretOutputs) },
      spec.service,
      spec.className,
    );
  }
}
