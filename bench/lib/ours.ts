/** Our providers, per benchmarked service, with the inputs of the i-th resource. */
import { createProvider as createAdsProvider } from "../../provider/ads/importTaskProvider";
import { SeededRandom } from "../../emulator/core/random";
import { BUCKET, type OursSpec, type ServiceName, SILENT } from "./services";

export const OURS: Partial<Record<ServiceName, OursSpec>> = {
  ads: {
    create: (clock, seed) => createAdsProvider({ clock, logger: SILENT, random: seeded(seed) }),
    inputs: (_em, i, runId) => ({
      name: `bench-${runId}-${i}`,
      importUrl: `s3://${BUCKET}/servers.csv`,
    }),
  },
};

export function seeded(seed: number): () => number {
  const r = new SeededRandom(seed);
  return () => r.next();
}
