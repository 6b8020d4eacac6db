// One migration wave across accounts and regions, in one stack: discovery and tracking in the
// management account's Migration Hub home region (the stack's aws:region and credentials); in each
// target account, through a role assumed with STS, the wave's MGN inventory import and its web
// server's image import, in that account's region.
import * as pulumi from "@pulumi/pulumi";
import { ads, awsProviderTarget, ec2, mgn, migrationhub } from "pulumi-aws-migration";

interface TargetAccount {
  /** Names the resources: "prod" → prod-inventory, prod-web-01. */
  name: string;
  region: string;
  roleArn: string;
  externalId?: string;
  /** A bucket of the target account holding wave-1-inventory.csv and web-01.raw. */
  bucket: string;
}

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";
const targets = config.requireObject<TargetAccount[]>("targets");

const discovery = new ads.ImportTask("discovery", {
  name: "wave-1 discovery",
  importUrl: `s3://${bucket}/discovery.csv`,
});
const stream = new migrationhub.ProgressUpdateStream("tracking", {
  progressUpdateStreamName: "multi-account-wave",
});

const waves = targets.map((t) => {
  // What an aws.Provider for the account takes (aws.ProviderArgs); `new aws.Provider(t.name, args)`
  // would put @pulumi/aws resources in the same place.
  const args = {
    region: t.region,
    assumeRoles: [{ roleArn: t.roleArn, externalId: t.externalId, sessionName: "wave-1" }],
  };
  const where = awsProviderTarget(args);
  const inventory = new mgn.ImportTask(`${t.name}-inventory`, {
    ...where,
    s3BucketSource: { s3Bucket: t.bucket, s3Key: "wave-1-inventory.csv" },
  });
  const image = new ec2.ImportImageTask(`${t.name}-web-01`, {
    ...where,
    description: `web-01 for ${t.name}`,
    platform: "Linux",
    diskContainers: [{ format: "raw", userBucket: { s3Bucket: t.bucket, s3Key: "web-01.raw" } }],
    roleName: "vmimport",
  });
  // Tracked in the management account: the task names the AMI the target account now has.
  const task = new migrationhub.MigrationTask(
    `${t.name}-web-01`,
    {
      progressUpdateStream: stream.progressUpdateStreamName,
      migrationTaskName: `wave-1-${t.name}-web-01`,
      resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.1.11" }],
      initialState: image.imageId.apply((ami) => ({
        status: "IN_PROGRESS" as const,
        statusDetail: `AMI ${ami ?? "pending"} in ${t.name}`,
        progressPercent: 50,
      })),
    },
    { dependsOn: [discovery] },
  );
  return { name: t.name, region: t.region, inventory, image, task };
});

export const discoveryStatus = discovery.status;
export const serversImported = discovery.serverImportSuccess;
export const accounts = waves.map((w) => ({
  name: w.name,
  region: w.region,
  importStatus: w.inventory.status,
  servers: w.inventory.summary.apply((s) => s?.servers?.createdCount),
  imageStatus: w.image.status,
  imageId: w.image.imageId,
  tracking: w.task.status,
}));
