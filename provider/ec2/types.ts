/**
 * The EC2 VM Import objects as this package keeps them (api.ts maps the SDK's shapes to these):
 * only documented fields of the documented type, never a URL that may be presigned.
 */

/** One disk of an image task (SnapshotDetail without its credential URL); sizes in bytes. */
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

/** What ImportImage and ImportSnapshot tasks share (the status facts in vmImport.ts read it). */
export interface ImportTaskView {
  importTaskId: string;
  status: string;
  statusMessage?: string;
  /** Percent 0–100 (AWS sends a string). */
  progress?: number;
}

/** An ImportImageTask (DescribeImportImageTasks) or ImportImageResult, normalized. */
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

/**
 * One volume of a conversion task (ImportInstanceVolumeDetailItem, without the manifest URL):
 * volumeSize in GiB, bytesConverted of the disk image's imageSize bytes.
 */
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

/** A ConversionTask (ImportInstance / DescribeConversionTasks), normalized. */
export interface ConversionTask {
  conversionTaskId: string;
  state: string;
  statusMessage?: string;
  /** ISO 8601: AWS cancels the task if the upload is not done by then. */
  expirationTime?: string;
  description?: string;
  instanceId?: string;
  platform?: string;
  volumes: ConversionVolume[];
}

/** What DescribeInstances says about the imported instance. */
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
