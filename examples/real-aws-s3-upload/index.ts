// The whole path on real AWS: a bucket and the discovery CSV uploaded with @pulumi/aws, then the
// ADS import of that object. (Tested here under pulumi.runtime.setMocks: the AWS provider plugin
// cannot be installed offline.)
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ads } from "pulumi-aws-migration";

const bucket = new aws.s3.BucketV2("migration-data", { forceDestroy: true });

const csv = new aws.s3.BucketObjectv2("discovery-csv", {
  bucket: bucket.id,
  key: "imports/discovery.csv",
  source: new pulumi.asset.FileAsset("../data/discovery.csv"),
  contentType: "text/csv",
});

// The import starts only once the object exists.
export const importUrl = pulumi.interpolate`s3://${bucket.bucket}/${csv.key}`;
const discovery = new ads.ImportTask(
  "discovery",
  { name: "datacenter-1 servers", importUrl },
  { dependsOn: [csv] },
);

export const bucketName = bucket.bucket;
export const importTaskId = discovery.importTaskId;
export const status = discovery.status;
