/**
 * The EC2 VM Import objects as this package keeps them (api.ts maps the SDK's shapes to these):
 * only documented fields of the documented type, never a URL that may be presigned.
 */

/** One disk of an image task (SnapshotDetail without its URL); sizes in bytes. */
export interface SnapshotDetail {
  description?: string;
  deviceName?: string;
  diskImageSize?: number;
  format?: string;
  snapshotId?: string;
  status?: string;
  statusMessage?: string;
  progress?: number;
}

/** What ImportImage and ImportSnapshot tasks share; `progress` in percent (AWS sends a string). */
export interface ImportTaskView {
  importTaskId: string;
  status: string;
  statusMessage?: string;
  progress?: number;
}

export interface ImageTask extends ImportTaskView {
  imageId?: string;
  architecture?: string;
  platform?: string;
  licenseType?: string;
  bootMode?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  hypervisor?: string;
  usageOperation?: string;
  description?: string;
  snapshotDetails: SnapshotDetail[];
}

/** The AMI an import registered (DescribeImages); creationDate in ISO 8601. */
export interface Ec2Image {
  imageId: string;
  state?: string;
  creationDate?: string;
  name?: string;
  snapshotIds: string[];
}

/** One volume of a conversion task (no manifest URL): volumeSize in GiB, the others in bytes. */
export interface ConversionVolume {
  volumeId?: string;
  volumeSize?: number;
  availabilityZone?: string;
  bytesConverted?: number;
  imageSize?: number;
  format?: string;
  status?: string;
  statusMessage?: string;
  description?: string;
}

/** A ConversionTask; `expirationTime` (ISO 8601): AWS cancels the task unless uploaded by then. */
export interface ConversionTask {
  conversionTaskId: string;
  state: string;
  statusMessage?: string;
  expirationTime?: string;
  description?: string;
  instanceId?: string;
  platform?: string;
  volumes: ConversionVolume[];
}

export interface Ec2Instance {
  instanceId: string;
  state?: string;
}

/** An ImportSnapshot task with its SnapshotTaskDetail flattened, without the disk URL (bytes). */
export interface SnapshotTask extends ImportTaskView {
  snapshotId?: string;
  diskImageSize?: number;
}

/** The EBS snapshot an ImportSnapshot made (DescribeSnapshots); `volumeSize` in GiB. */
export interface Ec2Snapshot {
  snapshotId: string;
  state?: string;
  volumeSize?: number;
}
