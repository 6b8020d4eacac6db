/**
 * What the benchmarks need per AWS service: fixtures in the emulator, a plain SDK start and a
 * single-ID describe (the peers' per-resource poll), and our provider with its inputs.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  DescribeConversionTasksCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
  ImportImageCommand,
  ImportInstanceCommand,
} from "@aws-sdk/client-ec2";
import {
  InitializeServiceCommand,
  ListImportsCommand,
  MgnClient,
  StartImportCommand,
} from "@aws-sdk/client-mgn";
import type { Emulator } from "../../emulator";
import {
  ApplicationDiscoveryServiceClient,
  DescribeImportTasksCommand,
  StartImportTaskCommand,
} from "../../provider/ads/client";
import type { Clock } from "../../provider/core/clock";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import type { Logger } from "../../provider/core/log";
import { SERVICE_INFO, type ServiceInfo, type ServiceName } from "./catalog";
import type { OursModel } from "./oursSim";

export const REGION = "us-west-2";
export const BUCKET = "bench-migration";
const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export const SILENT: Logger = {
  info: () => undefined,
  warn: () => undefined,
  progress: () => undefined,
};

export { SERVICE_NAMES, type ServiceName } from "./catalog";

/** Clients of one emulator, shared by every task of a run (as a peer's provider shares its client). */
export interface Clients {
  readonly emulator: Emulator;
  readonly ads: ApplicationDiscoveryServiceClient;
  readonly mgn: MgnClient;
  readonly ec2: EC2Client;
  readonly s3: S3Client;
}

export function clientsFor(emulator: Emulator): Clients {
  // maxAttempts 1: a peer model polls again at its next tick instead of stacking SDK retries.
  const base = { endpoint: emulator.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  return {
    emulator,
    ads: new ApplicationDiscoveryServiceClient(base),
    mgn: new MgnClient(base),
    ec2: new EC2Client(base),
    s3: new S3Client({ ...base, forcePathStyle: true }),
  };
}

export function destroyClients(c: Clients): void {
  c.mgn.destroy();
  c.ec2.destroy();
  c.s3.destroy();
}

const ADS_CSV = "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\nsrv-2,web-2,10.0.0.2\n";
const MGN_CSV =
  "mgn:wave:name,mgn:app:name,mgn:server:user-provided-id,mgn:server:platform,mgn:server:fqdn-for-action-framework\r\n" +
  "wave-1,billing,srv-001,Linux,db1.example.com\r\n";
const MANIFEST = '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>';
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

/** Bucket, files and the MGN account initialization every run needs. */
export async function setupFixtures(c: Clients): Promise<void> {
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const files: Record<string, string | Buffer> = {
    "servers.csv": ADS_CSV,
    "inventory.csv": MGN_CSV,
    "dc01.manifest.xml": MANIFEST,
    "web.vmdk": vmdk(),
  };
  for (const [Key, Body] of Object.entries(files))
    await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await c.mgn.send(new InitializeServiceCommand({}));
}

export interface ServiceSpec extends ServiceInfo {
  /** Starts task `i` with a plain SDK call, as a peer would; returns its ID. */
  start(c: Clients, i: number, runId: string): Promise<string>;
  /** One describe of one task, as a per-resource poller sends it; true once terminal. */
  isTerminal(c: Clients, id: string): Promise<boolean>;
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new Error(`${what} missing from the response`);
  return value;
}

export const SERVICES: Readonly<Record<ServiceName, ServiceSpec>> = {
  ads: {
    ...SERVICE_INFO["ads"],
    async start(c, i, runId) {
      const out = await c.ads.send(
        new StartImportTaskCommand({
          name: `bench-${runId}-${i}`,
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: `bench-${runId}-${i}`,
        }),
      );
      return required(out.task?.importTaskId, "importTaskId");
    },
    async isTerminal(c, id) {
      const out = await c.ads.send(
        new DescribeImportTasksCommand({ filters: [{ name: "IMPORT_TASK_ID", values: [id] }] }),
      );
      const status = out.tasks?.[0]?.status ?? "";
      return status.startsWith("IMPORT_") && status !== "IMPORT_IN_PROGRESS";
    },
  },
  mgn: {
    ...SERVICE_INFO["mgn"],
    async start(c, i, runId) {
      const out = await c.mgn.send(
        new StartImportCommand({
          s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
          clientToken: `bench-${runId}-${i}`,
        }),
      );
      return required(out.importTask?.importID, "importID");
    },
    async isTerminal(c, id) {
      const out = await c.mgn.send(new ListImportsCommand({ filters: { importIDs: [id] } }));
      const status = out.items?.[0]?.status;
      return status === "SUCCEEDED" || status === "FAILED";
    },
  },
  "ec2-instance": {
    ...SERVICE_INFO["ec2-instance"],
    async start(c, i) {
      const out = await c.ec2.send(
        new ImportInstanceCommand({
          Platform: "Windows",
          Description: `bench-${i}`,
          LaunchSpecification: { Architecture: "x86_64", InstanceType: "m5.large" },
          DiskImages: [
            {
              Image: {
                Format: "VMDK",
                Bytes: 1179593728,
                ImportManifestUrl: manifestUrl(c.emulator),
              },
              Volume: { Size: 12 },
            },
          ],
        }),
      );
      return required(out.ConversionTask?.ConversionTaskId, "ConversionTaskId");
    },
    async isTerminal(c, id) {
      const out = await c.ec2.send(new DescribeConversionTasksCommand({ ConversionTaskIds: [id] }));
      const state = out.ConversionTasks?.[0]?.State;
      return state === "completed" || state === "cancelled";
    },
  },
  "ec2-image": {
    ...SERVICE_INFO["ec2-image"],
    async start(c, i, runId) {
      const out = await c.ec2.send(
        new ImportImageCommand({
          Description: `bench-${i}`,
          Architecture: "x86_64",
          Platform: "Linux",
          ClientToken: `bench-${runId}-${i}`,
          DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } }],
        }),
      );
      return required(out.ImportTaskId, "ImportTaskId");
    },
    async isTerminal(c, id) {
      const out = await c.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }));
      const status = out.ImportImageTasks?.[0]?.Status;
      return status === "completed" || status === "deleted";
    },
  },
};

export function manifestUrl(emulator: Emulator): string {
  return `${emulator.url}/${BUCKET}/dc01.manifest.xml?AWSAccessKeyId=test&Expires=1294855591&Signature=abc%3D`;
}

/** Our provider for a service, built as the dynamic-provider host would, on emulated time. */
export interface OursSpec {
  create(clock: Clock, seed: number): ProviderImplementation;
  /** The spec's poll settings and batch size, for our simulation (bench/lib/oursSim.ts). */
  readonly model: OursModel;
  /** Inputs of resource `i` (names unique per run, so tokens never collide). */
  inputs(emulator: Emulator, i: number, runId: string): Record<string, unknown>;
}

/** Stack config for our providers pointing at the emulator (poll delays left at their defaults). */
export function stackConfig(emulator: Emulator): { get(key: string): string | undefined } {
  const values: Record<string, string> = {
    "aws:region": REGION,
    "awsMigration:endpoint": emulator.url,
  };
  return { get: (k) => values[k] };
}
