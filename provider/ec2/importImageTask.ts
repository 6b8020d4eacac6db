import type * as pulumi from "@pulumi/pulumi";
import { withSecretLeaves } from "../core/register";
import { givenOrDerived, resourceClass } from "../core/resourceClass";
import type { RetainingWaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type { TargetArgs } from "../core/task/targetArgs";
import { importImageTaskSpec as spec, tokens } from "./importImageTaskSpec";
import type { importTaskTokens } from "./vmImport";

/** One disk of the VM: exactly one of `url`, `userBucket` or `snapshotId`. */
export interface ImageDiskContainerArgs {
  /** A description of the disk, 1–255 characters. */
  description?: pulumi.Input<string>;
  /** The block device mapping, e.g. `/dev/sda1`. @default VM Import assigns /dev/sda1, /dev/sdb, … */
  deviceName?: pulumi.Input<string>;
  /**
   * The disk image format: `OVA | VHD | VHDX | VMDK | RAW` (any case). Required for S3 sources.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageDiskContainer.html
   */
  format?: pulumi.Input<string>;
  /** An EBS snapshot to import from, `snap-` + 8 or 17 hex digits. */
  snapshotId?: pulumi.Input<string>;
  /**
   * The disk image in S3: `s3://bucket/key` or an `https://` (possibly presigned) object URL. A
   * presigned URL is kept secret (the rest of the disk stays readable), and re-signing it is no change.
   */
  url?: pulumi.Input<string>;
  /** The S3 bucket (3–63 characters) and key (1–1024) of the disk image. */
  userBucket?: pulumi.Input<{ s3Bucket: pulumi.Input<string>; s3Key: pulumi.Input<string> }>;
}

/** The ImportImage and ImportSnapshot parameters both take, with the same rules. */
export interface VmImportArgs extends RetainingWaitArgs, SourceArgs, TargetArgs {
  /** 1–255 characters; also names the import in messages and logs. A change replaces. */
  description?: pulumi.Input<string>;
  /** Encrypt the imported snapshots. @default false. A change replaces the resource. */
  encrypted?: pulumi.Input<boolean>;
  /**
   * KMS key ID, key ARN, alias or alias ARN; requires `encrypted: true`.
   * @default the account's default EBS key. A change replaces the resource.
   */
  kmsKeyId?: pulumi.Input<string>;
  /**
   * VM Import service role, 1–64 letters, digits or `+=,.@_-`. @default vmimport. A change
   * replaces the resource.
   * @see https://docs.aws.amazon.com/vm-import/latest/userguide/required-permissions.html
   */
  roleName?: pulumi.Input<string>;
  /** Tags of the import task (at most 50; keys 1–128, values ≤ 256, no `aws:`). A change replaces. */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * ImportImage or ImportSnapshot idempotency token, 1–64 ASCII characters (the SDK does not fill
   * it in).
   * @default derived from the stack, project, resource name and the import parameters, so a re-run
   * of an interrupted create gets the task the first run started. A change updates in place.
   */
  clientToken?: pulumi.Input<string>;
}

/** Inputs of {@link ImportImageTask}. Every ImportImage parameter replaces the resource on change. */
export interface ImportImageTaskArgs extends VmImportArgs {
  /**
   * The VM's disks, 1–21 (VM Import fails a VM with more volumes). Required unless
   * `adoptImportTaskId` is set. A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportImage.html
   */
  diskContainers?: pulumi.Input<pulumi.Input<ImageDiskContainerArgs>[]>;
  /** `i386 | x86_64`. @default detected by VM Import. A change replaces the resource. */
  architecture?: pulumi.Input<string>;
  /** `Windows | Linux`. @default detected by VM Import. A change replaces the resource. */
  platform?: pulumi.Input<string>;
  /**
   * `AWS` (license included) or `BYOL`; AWS recommends setting this or `usageOperation`.
   * @default AWS for Windows Server, BYOL otherwise. A change replaces the resource.
   */
  licenseType?: pulumi.Input<string>;
  /** `legacy-bios | uefi` (`uefi-preferred` is not supported for import). A change replaces. */
  bootMode?: pulumi.Input<string>;
  /** `xen`. A change replaces the resource. */
  hypervisor?: pulumi.Input<string>;
  /** License Manager configurations: `{ licenseConfigurationArn }`. A change replaces. */
  licenseSpecifications?: pulumi.Input<
    pulumi.Input<{ licenseConfigurationArn: pulumi.Input<string> }>[]
  >;
  /** Billing code, `RunInstances` or `RunInstances:NNNN`. A change replaces the resource. */
  usageOperation?: pulumi.Input<string>;
  /** Upload metadata: `comment`, `uploadStart`/`uploadEnd` (ISO 8601), `uploadSize` (GiB). */
  clientData?: pulumi.Input<{
    comment?: pulumi.Input<string>;
    uploadStart?: pulumi.Input<string>;
    uploadEnd?: pulumi.Input<string>;
    uploadSize?: pulumi.Input<number>;
  }>;
  /**
   * Manage an existing import, `import-ami-…`, instead of starting one (the stand-in for `pulumi
   * import`). A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeImportImageTasks.html
   */
  adoptImportTaskId?: pulumi.Input<string>;
  /** On delete keep the AMI (and so its snapshots). @default false: DeregisterImage. */
  retainImageOnDelete?: pulumi.Input<boolean>;
  /** On delete deregister the AMI but keep its snapshots. @default false: DeleteSnapshot each. */
  retainSnapshotsOnDelete?: pulumi.Input<boolean>;
}

/** The outputs an ImportImage and an ImportSnapshot task share. */
export interface VmImportTaskOutputs {
  /** `import-ami-…` or `import-snap-…`. */
  importTaskId: string;
  /** `active | completed | deleting | deleted` as last observed. */
  status: string;
  /** The stage while active (`validating`, `converting`…), or why it failed. */
  statusMessage?: string;
  /** Percent complete, 0–100. */
  progress?: number;
}

type TokenKey = "clientToken" | "marker";

/**
 * The class of a VM Import resource whose `key` (ClientToken, ImportInstance's marker) is given or
 * derived from the import parameters only: it must not wait on (or turn secret with) other inputs.
 */
export function vmImportClass<A extends { [K in TokenKey]?: pulumi.Input<string> }, O>(
  spec: Parameters<typeof resourceClass>[0],
  key: TokenKey,
  tokens: ReturnType<typeof importTaskTokens>,
) {
  return resourceClass<A, O>(spec, (name, args) => {
    const identity = withSecretLeaves(spec, tokens.identityOf(args));
    return { ...args, [key]: givenOrDerived(args[key], name, identity, tokens.defaultClientToken) };
  });
}

/** Outputs of {@link ImportImageTask}, besides its inputs. */
export interface ImportImageTaskOutputs extends VmImportTaskOutputs {
  /** The AMI, once completed. */
  imageId?: string;
  snapshotIds: string[];
  /** Per disk: deviceName, diskImageSize (bytes), format, snapshotId, status (no URLs). */
  snapshotDetails: Record<string, unknown>[];
  /** The AMI's state (`available`…), from DescribeImages. */
  imageState?: string;
  /** ISO 8601, from DescribeImages. */
  imageCreationDate?: string;
  /** What the task reports: architecture, platform, licenseType, bootMode, encrypted, … */
  taskDetails: Record<string, unknown>;
}

/**
 * An EC2 VM Import image import (ImportImage, the API AWS recommends): starts the import with a
 * deterministic ClientToken, waits for `completed` through a shared, batched
 * DescribeImportImageTasks poller, and on delete cancels a running import or deregisters the AMI and
 * deletes its snapshots (unless retained). Waits up to 480 minutes by default
 * (`waitTimeoutMinutes`). Type token `pulumi-nodejs:dynamic/ec2:ImportImageTask`.
 */
export const ImportImageTask = vmImportClass<ImportImageTaskArgs, ImportImageTaskOutputs>(
  spec,
  "clientToken",
  tokens,
);
export type ImportImageTask = InstanceType<typeof ImportImageTask>;
