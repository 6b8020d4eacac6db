// Turns a VM's disk image in S3 into an AMI with EC2 VM Import (ImportImage, the API AWS
// recommends) and waits for it. Deleting the resource deregisters the AMI and deletes its
// snapshots unless retainImageOnDelete / retainSnapshotsOnDelete say otherwise.
import * as pulumi from "@pulumi/pulumi";
import { ec2 } from "pulumi-aws-migration";

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";

const image = new ec2.ImportImageTask("web-01", {
  description: "web-01 from datacenter-1",
  platform: "Linux",
  diskContainers: [{ format: "raw", userBucket: { s3Bucket: bucket, s3Key: "web-01.raw" } }],
  // VM Import reads the bucket as this IAM role (see README).
  roleName: "vmimport",
  waitTimeoutMinutes: 180,
});

export const importTaskId = image.importTaskId;
export const status = image.status;
export const imageId = image.imageId;
export const snapshotIds = image.snapshotIds;
