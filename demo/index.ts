/**
 * The demo migration stack: one migration wave. The discovery CSV goes into Application Discovery
 * Service, each server of the wave is registered as a Migration Hub migration task in the demo's
 * progress update stream. The files are in examples/data/ (`npm run demo` uploads them to the
 * emulator's S3; against AWS, upload them to your bucket and set `aws-migration-demo:bucket`).
 */
import * as pulumi from "@pulumi/pulumi";
import { ads, migrationhub } from "pulumi-aws-migration";

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
    progressUpdateStream: stream.progressUpdateStreamName,
    migrationTasks: tasks.map((t) => ({ id: t.id, status: t.status })),
  };
};
