/** Our providers, per benchmarked service, with the inputs of the i-th resource. */
import { SeededRandom } from "../../emulator/core/random";
import { createProvider as createAdsProvider } from "../../provider/ads/importTaskProvider";
import { importTask as adsSpec } from "../../provider/ads/importTaskSpec";
import { createProvider as createImageProvider } from "../../provider/ec2/importImageTaskProvider";
import { importImageTaskSpec } from "../../provider/ec2/importImageTaskSpec";
import { createProvider as createInstanceProvider } from "../../provider/ec2/importInstanceTaskProvider";
import { importInstanceTaskSpec } from "../../provider/ec2/importInstanceTaskSpec";
import { createProvider as createMgnProvider } from "../../provider/mgn/importTaskProvider";
import { importTaskSpec as mgnSpec } from "../../provider/mgn/importTaskSpec";
import type { PollDelays } from "../../provider/core/task/spec";
import type { OursModel } from "./oursSim";
import { BUCKET, manifestUrl, type OursSpec, type ServiceName, SILENT } from "./services";

function model(
  spec: { poll: PollDelays; describe: { batchSize: number } },
  callsBeforeWait = 0,
): OursModel {
  return { poll: spec.poll, batchSize: spec.describe.batchSize, callsBeforeWait };
}

export const OURS: Partial<Record<ServiceName, OursSpec>> = {
  ads: {
    model: model(adsSpec),
    create: (clock, seed) => createAdsProvider({ clock, logger: SILENT, random: seeded(seed) }),
    inputs: (_em, i, runId) => ({
      name: `bench-${runId}-${i}`,
      importUrl: `s3://${BUCKET}/servers.csv`,
    }),
  },
  mgn: {
    model: model(mgnSpec),
    create: (clock, seed) => createMgnProvider({ clock, logger: SILENT, random: seeded(seed) }),
    inputs: (_em, i, runId) => ({
      s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
      clientToken: `bench-${runId}-${i}`,
    }),
  },
  "ec2-instance": {
    // Before its start, each create lists the conversion tasks once for its marker (findStarted).
    model: model(importInstanceTaskSpec, 1),
    create: (clock, seed) =>
      createInstanceProvider({ clock, logger: SILENT, random: seeded(seed) }),
    inputs: (em, i, runId) => ({
      description: `bench-${runId}-${i}`,
      platform: "Windows",
      diskImages: [
        {
          image: { format: "VMDK", bytes: 1179593728, importManifestUrl: manifestUrl(em) },
          volume: { size: 12 },
        },
      ],
      launchSpecification: { instanceType: "m5.large", architecture: "x86_64" },
      marker: `bench-${runId}-${i}`,
    }),
  },
  "ec2-image": {
    model: model(importImageTaskSpec),
    create: (clock, seed) => createImageProvider({ clock, logger: SILENT, random: seeded(seed) }),
    inputs: (_em, i, runId) => ({
      description: `bench-${runId}-${i}`,
      diskContainers: [{ format: "vmdk", userBucket: { s3Bucket: BUCKET, s3Key: "web.vmdk" } }],
      platform: "Linux",
      clientToken: `bench-${runId}-${i}`,
    }),
  },
};

export function seeded(seed: number): () => number {
  const r = new SeededRandom(seed);
  return () => r.next();
}
