// One migration wave as a CI pipeline deploys it (see README and pipeline.sh): the discovery CSV
// into Application Discovery Service, the wave's inventory into Application Migration Service,
// a Migration Hub progress update stream with one migration task per server, and web-01's disk
// image into an AMI with EC2 VM Import. The files are in ../data/, uploaded to `bucket`.
import * as pulumi from "@pulumi/pulumi";
import { ads, ec2, mgn, migrationhub } from "pulumi-aws-migration";

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";
// Off, the imports start and the run ends without waiting; a later refresh records the results.
const waitForCompletion = config.getBoolean("waitForCompletion") ?? true;
if (!waitForCompletion) {
  void pulumi.log.warn(
    "waitForCompletion is off: imports start without waiting, so their outputs stay empty until the drift check refreshes them",
  );
}

const servers = [
  { name: "web-01", ip: "10.0.1.11" },
  { name: "db-01", ip: "10.0.2.21" },
];

const discovery = new ads.ImportTask("discovery", {
  name: "wave-1 discovery",
  importUrl: `s3://${bucket}/${config.get("discoveryFile") ?? "discovery.csv"}`,
  waitForCompletion,
});

const inventory = new mgn.ImportTask("inventory", {
  s3BucketSource: { s3Bucket: bucket, s3Key: "wave-1-inventory.csv" },
  waitForCompletion,
});

const stream = new migrationhub.ProgressUpdateStream("tracking", {
  progressUpdateStreamName: "gitops-wave-1",
});
const tasks = servers.map(
  (server) =>
    new migrationhub.MigrationTask(
      server.name,
      {
        progressUpdateStream: stream.progressUpdateStreamName,
        migrationTaskName: `wave-1-${server.name}`,
        resourceAttributes: [{ type: "IPV4_ADDRESS", value: server.ip }],
      },
      { dependsOn: [discovery] },
    ),
);

const image = new ec2.ImportImageTask("web-01-image", {
  description: "wave 1: web-01",
  platform: "Linux",
  diskContainers: [{ format: "raw", userBucket: { s3Bucket: bucket, s3Key: "web-01.raw" } }],
  waitForCompletion,
});

export const discoveryStatus = discovery.status;
export const inventoryStatus = inventory.status;
export const migrationTasks = tasks.map((t) => t.id);
export const imageId = image.imageId;
