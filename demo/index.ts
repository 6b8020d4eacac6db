/**
 * The demo migration stack: one migration wave. The discovery CSV goes into Application Discovery
 * Service, the wave's inventory (waves, applications, servers) into Application Migration Service,
 * each server of the wave is registered as a Migration Hub migration task in the demo's progress
 * update stream, and the first server's disk image becomes an AMI through EC2 VM Import. The files
 * are in examples/data/ (`npm run demo` uploads them to the emulator's S3; against AWS, upload
 * them to your bucket and set `aws-migration-demo:bucket`).
 */
import * as pulumi from "@pulumi/pulumi";
import { ads, ec2, mgn, migrationhub } from "pulumi-aws-migration";

/** The servers of wave 1, as in examples/data/discovery.csv and wave-1-inventory.csv. */
const WAVE = [
  { name: "web-01", ip: "10.0.1.11", mac: "0a:1b:2c:3d:4e:01" },
  { name: "web-02", ip: "10.0.1.12", mac: "0a:1b:2c:3d:4e:02" },
  { name: "db-01", ip: "10.0.2.21", mac: "0a:1b:2c:3d:4e:03" },
];

export = (): Record<string, unknown> => {
  const config = new pulumi.Config();
  const bucket = config.get("bucket") ?? "migration-demo";
  const waitTimeoutMinutes = config.getNumber("waitTimeoutMinutes") ?? 60;

  // Discovery data: the CSV has a few bad rows, which ADS rejects (IMPORT_COMPLETE_WITH_ERRORS).
  const discovery = new ads.ImportTask("discovery", {
    name: "wave-1 discovery",
    importUrl: `s3://${bucket}/${config.get("discoveryFile") ?? "discovery.csv"}`,
    waitTimeoutMinutes,
  });

  // The wave's MGN inventory: wave-1, its application and servers (kept in MGN on delete).
  const inventory = new mgn.ImportTask("inventory", {
    s3BucketSource: {
      s3Bucket: bucket,
      s3Key: config.get("inventoryFile") ?? "wave-1-inventory.csv",
    },
    waitTimeoutMinutes,
  });

  // web-01's disk, exported from the hypervisor as a raw image, becomes an AMI.
  const image = new ec2.ImportImageTask("web-01-image", {
    description: "wave 1: web-01",
    platform: "Linux",
    diskContainers: [
      {
        format: "raw",
        userBucket: { s3Bucket: bucket, s3Key: config.get("diskImageFile") ?? "web-01.raw" },
      },
    ],
    waitTimeoutMinutes,
  });

  // Migration Hub tracking: one task per server, registered once discovery data exists to match.
  const stream = new migrationhub.ProgressUpdateStream("tracking", {
    progressUpdateStreamName: config.get("progressUpdateStream") ?? "aws-migration-demo",
  });
  const tasks = WAVE.map(
    (server) =>
      new migrationhub.MigrationTask(
        server.name,
        {
          progressUpdateStream: stream.progressUpdateStreamName,
          migrationTaskName: `wave-1-${server.name}`,
          resourceAttributes: [
            { type: "IPV4_ADDRESS", value: server.ip },
            { type: "MAC_ADDRESS", value: server.mac },
          ],
          initialState: { status: "NOT_STARTED", statusDetail: "wave 1: waiting for replication" },
        },
        { dependsOn: [discovery] },
      ),
  );

  return {
    discovery: {
      importTaskId: discovery.importTaskId,
      status: discovery.status,
      serverImportSuccess: discovery.serverImportSuccess,
      serverImportFailure: discovery.serverImportFailure,
      applicationImportSuccess: discovery.applicationImportSuccess,
    },
    inventory: {
      importId: inventory.importId,
      status: inventory.status,
      summary: inventory.summary,
    },
    image: {
      importTaskId: image.importTaskId,
      status: image.status,
      imageId: image.imageId,
      snapshotIds: image.snapshotIds,
    },
    progressUpdateStream: stream.progressUpdateStreamName,
    migrationTasks: tasks.map((t) => ({ id: t.id, status: t.status })),
  };
};
