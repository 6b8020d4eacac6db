// Turns one disk image in S3 into an EBS snapshot with EC2 VM Import (ImportSnapshot) and waits
// for it, e.g. a VM's data disk to attach to an instance launched from the imported AMI. Deleting
// the resource cancels a running import or deletes the snapshot, unless retainOnDelete is true.
import * as pulumi from "@pulumi/pulumi";
import { ec2 } from "pulumi-aws-migration";

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";

const disk = new ec2.ImportSnapshotTask("web-01-disk", {
  description: "web-01 disk from datacenter-1",
  diskContainer: { format: "raw", userBucket: { s3Bucket: bucket, s3Key: "web-01.raw" } },
  // VM Import reads the bucket as this IAM role (see README).
  roleName: "vmimport",
  tags: { wave: "1" },
  waitTimeoutMinutes: 180,
});

export const importTaskId = disk.importTaskId;
export const status = disk.status;
export const snapshotId = disk.snapshotId;
export const diskImageSize = disk.diskImageSize;
export const volumeSize = disk.volumeSize;
