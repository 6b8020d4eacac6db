import type * as pulumi from "@pulumi/pulumi";
import type { RetainingWaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type { TargetArgs } from "../core/task/targetArgs";
import { vmImportClass } from "./importImageTask";
import { importInstanceTaskSpec as spec, markers } from "./importInstanceTaskSpec";

/** The VM's one disk (ImportInstance supports single-volume VMs only). */
export interface DiskImageArgs {
  /** A description of the disk, 1–255 characters. */
  description?: pulumi.Input<string>;
  image: pulumi.Input<{
    /** `VMDK | RAW | VHD`. */
    format: pulumi.Input<string>;
    /** The disk image's size in bytes. */
    bytes: pulumi.Input<number>;
    /** Presigned S3 GET URL of the disk's import manifest: a credential, so `diskImages` is secret. */
    importManifestUrl: pulumi.Input<string>;
  }>;
  /** The EBS volume, `size` in GiB (1–16384), at least the image's size. */
  volume: pulumi.Input<{ size: pulumi.Input<number> }>;
}

/** Where and how the imported instance runs (ImportInstanceLaunchSpecification). */
export interface ImportInstanceLaunchSpecificationArgs {
  /** `i386 | x86_64`. */
  architecture?: pulumi.Input<string>;
  groupNames?: pulumi.Input<pulumi.Input<string>[]>;
  /** Security group IDs, `sg-…`. */
  groupIds?: pulumi.Input<pulumi.Input<string>[]>;
  additionalInfo?: pulumi.Input<string>;
  /** Base64 user data: sensitive, so `launchSpecification` is secret when it is set. */
  userData?: pulumi.Input<string>;
  /** e.g. `m5.large`. */
  instanceType?: pulumi.Input<string>;
  /** `tenancy` default or dedicated (host tenancy, hostId and affinity are not supported). */
  placement?: pulumi.Input<{
    availabilityZone?: pulumi.Input<string>;
    groupName?: pulumi.Input<string>;
    tenancy?: pulumi.Input<string>;
  }>;
  monitoring?: pulumi.Input<boolean>;
  /** `subnet-…`. */
  subnetId?: pulumi.Input<string>;
  /** `stop | terminate`. */
  instanceInitiatedShutdownBehavior?: pulumi.Input<string>;
  privateIpAddress?: pulumi.Input<string>;
}

/** Inputs of {@link ImportInstanceTask}. Every ImportInstance parameter replaces on change. */
export interface ImportInstanceTaskArgs extends RetainingWaitArgs, SourceArgs, TargetArgs {
  /**
   * `Windows`, the only value ImportInstance accepts. Required unless `adoptConversionTaskId` is
   * set. A change replaces the resource.
   * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportInstance.html
   */
  platform?: pulumi.Input<string>;
  /** Exactly one disk image. Required unless adopting. A change replaces the resource. */
  diskImages?: pulumi.Input<pulumi.Input<DiskImageArgs>[]>;
  /** The instance's launch settings. A change replaces the resource. */
  launchSpecification?: pulumi.Input<ImportInstanceLaunchSpecificationArgs>;
  /**
   * At most 212 characters; the provider appends ` [marker]`, which is how a re-run finds the task.
   * A change replaces the resource.
   */
  description?: pulumi.Input<string>;
  /**
   * What create looks for in DescribeConversionTasks before starting (ImportInstance has no
   * ClientToken): 8–40 letters, digits or `_.:-`.
   * @default derived from the stack, project, resource name and the import parameters. Updates in place.
   */
  marker?: pulumi.Input<string>;
  /** Manage an existing conversion task, `import-i-xxxxxxxx`, instead of starting one. Replaces. */
  adoptConversionTaskId?: pulumi.Input<string>;
  /** On delete keep the imported instance (and its volume). @default false: TerminateInstances. */
  retainInstanceOnDelete?: pulumi.Input<boolean>;
  /** On delete terminate the instance but keep its volume. @default false: DeleteVolume. */
  retainVolumesOnDelete?: pulumi.Input<boolean>;
}

/** Outputs of {@link ImportInstanceTask}, besides its inputs. */
export interface ImportInstanceTaskOutputs {
  /** `import-i-xxxxxxxx`. */
  conversionTaskId: string;
  /** `active | cancelling | cancelled | completed` as last observed. */
  state: string;
  statusMessage?: string;
  /** Percent converted, 0–100. */
  progress?: number;
  instanceId?: string;
  volumeIds: string[];
  /** Per volume: volumeId, volumeSize, availabilityZone, bytesConverted, imageSize, format, status. */
  volumes: Record<string, unknown>[];
  /** ISO 8601: AWS cancels the task if the upload is not finished by then. */
  expirationTime?: string;
  /** The instance's state (`stopped`…), from DescribeInstances. */
  instanceState?: string;
  /** What the task reports: its full description (with the marker) and platform. */
  taskDetails: Record<string, unknown>;
}

/**
 * An EC2 VM Import instance import (legacy ImportInstance; AWS recommends
 * {@link ImportImageTask}): finds or starts the conversion by a deterministic marker, waits through
 * a shared, batched DescribeConversionTasks poller, and on delete cancels a running conversion or
 * terminates the instance and deletes its volume (unless retained). Waits up to 240 minutes by
 * default (`waitTimeoutMinutes`). Type token `pulumi-nodejs:dynamic/ec2:ImportInstanceTask`.
 */
export const ImportInstanceTask = vmImportClass<ImportInstanceTaskArgs, ImportInstanceTaskOutputs>(
  spec,
  "marker",
  markers,
);
export type ImportInstanceTask = InstanceType<typeof ImportInstanceTask>;
