import type { EmulatorConfigPatch, EmulatorOptions, EmulatorStats } from "./options";
import { EmulatorServer } from "./server";
import { allServices } from "./services";

export type { EmulatorConfigPatch, EmulatorOptions, EmulatorStats };
export type { FaultKind, FaultRule, RateLimit } from "./core/faults";
export { DEFAULT_RATE_LIMITS } from "./core/faults";

/** A running emulator. Each instance owns its own state; nothing is global. */
export interface Emulator {
  /** e.g. "http://127.0.0.1:43121" — use as AWS_ENDPOINT_URL. */
  readonly url: string;
  stop(): Promise<void>;
  stats(): EmulatorStats;
  /** Forgets all state, S3 objects and counters. */
  reset(): void;
  configure(patch: EmulatorConfigPatch): void;
  /** Emulated epoch ms. */
  now(): number;
}

/** Starts the local AWS migration emulator (ADS, MGN, Migration Hub, EC2 VM Import, S3). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const server = new EmulatorServer(allServices(), options);
  const url = await server.listen();
  return {
    url,
    stop: () => server.stop(),
    stats: () => server.getStats(),
    reset: () => server.reset(),
    configure: (patch) => server.configure(patch),
    now: () => server.clock.now(),
  };
}
