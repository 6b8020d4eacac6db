import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";

/** Client settings that point a real AWS SDK v3 client at the emulator. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
}

export const TEST_REGION = "us-west-2";

export function clientConfig(emulator: Emulator, region = TEST_REGION): ClientConfig {
  return {
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
}

/**
 * Starts one emulator per `describe` block, with rate limits off and a fast clock unless told
 * otherwise, and resets it before every test.
 */
export function useEmulator(options: EmulatorOptions = {}): { readonly emulator: Emulator } {
  const holder: { emulator: Emulator | undefined } = { emulator: undefined };
  before(async () => {
    holder.emulator = await startEmulator({ rateLimits: false, timeScale: 1000, ...options });
  });
  beforeEach(() => holder.emulator!.reset());
  after(async () => {
    await holder.emulator?.stop();
  });
  return {
    get emulator(): Emulator {
      if (!holder.emulator) throw new Error("emulator not started");
      return holder.emulator;
    },
  };
}

/** Error name and message, for exact negative assertions. */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await promise;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error("expected the call to fail, and it succeeded");
}
