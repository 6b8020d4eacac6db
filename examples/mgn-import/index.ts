// Imports a wave's inventory (waves, applications, source servers) into Application Migration
// Service from an `mgn:*` CSV and waits until MGN reports SUCCEEDED. MGN has no API to undo an
// import, so deleting this resource keeps the inventory (see deleteInventoryOnDelete).
import * as pulumi from "@pulumi/pulumi";
import { mgn } from "pulumi-aws-migration";

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";

const wave = new mgn.ImportTask("wave-1", {
  s3BucketSource: { s3Bucket: bucket, s3Key: "wave-1-inventory.csv" },
  tags: { wave: "1" },
});

export const importId = wave.importId;
export const status = wave.status;
export const summary = wave.summary;
export const importErrorCount = wave.importErrorCount;
