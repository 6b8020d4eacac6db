import type { FaultRule, RateLimit } from "./core/faults";
import type { Credential } from "./core/sigv4";
import type { TaskDurationOption } from "./core/taskDuration";

// What startEmulator() takes, what /_emulator/config changes, and what stats() reports.

/** startEmulator()'s options. */
export interface EmulatorOptions {
  /** Interface to listen on. @default "127.0.0.1" (loopback only) */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Where state and S3 objects live. @default a fresh temporary directory, removed on stop() */
  readonly dataDir?: string;
  /** Emulated seconds per real second. @default 1 (AWS-like durations) */
  readonly timeScale?: number;
  /** Seed for IDs and random choices. @default 1 */
  readonly seed?: number;
  /**
   * Key pairs the emulator accepts, each optionally limited to the IAM actions in `allow` (others
   * get the service's authorization error). @default [{ accessKeyId: "test", secretAccessKey: "test" }]
   */
  readonly credentials?: readonly (Omit<Credential, "accountId"> & { accountId?: string })[];
  /** Account of keys that name none. @default "123456789012" */
  readonly accountId?: string;
  /** Overrides per "service:Operation" or "service:*"; false turns rate limiting off. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>> | false;
  readonly faults?: readonly FaultRule[];
  /** Presets the Migration Hub home region for every account (as if CreateHomeRegionControl ran). */
  readonly homeRegion?: string;
  /** Largest request body accepted for S3 PutObject. @default 64 MiB */
  readonly maxObjectBytes?: number;
  /**
   * Overrides how long each new import task runs (benchmarks need chosen, reproducible durations):
   * called once per ADS import, MGN import, EC2 conversion task and EC2 image import as it is
   * started; returns emulated ms from the start request to the terminal status, or undefined to
   * keep the model's seeded duration. A task given a duration runs at once, not queued behind
   * earlier ADS imports; with this option set MGN's imports-in-progress cap is off; EC2 stages
   * keep their seeded proportions.
   */
  readonly taskDurationMs?: TaskDurationOption;
}

export interface EmulatorConfigPatch {
  readonly timeScale?: number;
  readonly faults?: readonly FaultRule[];
  readonly rateLimits?: Readonly<Record<string, RateLimit>> | false;
  /** Moves emulated time forward. */
  readonly advanceSeconds?: number;
  readonly homeRegion?: string;
}

export interface EmulatorStats {
  readonly totalRequests: number;
  /** "service:Operation" → requests received (after authentication). */
  readonly requests: Record<string, number>;
  /** "service:Operation:ErrorCode" → errors returned. */
  readonly errors: Record<string, number>;
  /** "service:Operation" → requests refused by the rate limiter. */
  readonly throttled: Record<string, number>;
  /** "service:Operation:kind" → faults injected. */
  readonly faults: Record<string, number>;
  /** "service:kind" → authentication failures. */
  readonly authFailures: Record<string, number>;
  readonly emulatedTimeMs: number;
  readonly timeScale: number;
}

/** The counters behind EmulatorStats, mutated as requests arrive. */
export type RequestCounters = { totalRequests: number } & Omit<
  EmulatorStats,
  "totalRequests" | "emulatedTimeMs" | "timeScale"
>;

export function emptyCounters(): RequestCounters {
  return {
    totalRequests: 0,
    requests: {},
    errors: {},
    throttled: {},
    faults: {},
    authFailures: {},
  };
}

const FAULT_KINDS: readonly string[] = ["throttle", "5xx", "latency", "reset"];
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** Rejects a patch of the wrong shape (it may come from JSON over the control API). */
export function checkConfigPatch(patch: EmulatorConfigPatch): void {
  const p = patch as Readonly<Record<string, unknown>>;
  const known = ["timeScale", "faults", "rateLimits", "advanceSeconds", "homeRegion"];
  const extra = Object.keys(p).filter((k) => !known.includes(k));
  if (extra.length)
    throw new TypeError(`unknown config field ${extra.join(", ")}: expected ${known.join(", ")}`);
  for (const k of ["timeScale", "advanceSeconds"]) {
    if (p[k] !== undefined && typeof p[k] !== "number")
      throw new TypeError(`${k} must be a number`);
  }
  if (
    p["homeRegion"] !== undefined &&
    (typeof p["homeRegion"] !== "string" || !REGION.test(p["homeRegion"]))
  ) {
    throw new TypeError(`homeRegion must be a region name like "us-west-2"`);
  }
  const faults = p["faults"];
  if (faults !== undefined) {
    if (!Array.isArray(faults)) throw new TypeError("faults must be a list of fault rules");
    for (const [i, rule] of (faults as unknown[]).entries()) {
      const r = (rule ?? {}) as Record<string, unknown>;
      if (typeof rule !== "object" || rule === null || !FAULT_KINDS.includes(String(r["kind"]))) {
        throw new TypeError(`faults[${i}].kind must be one of ${FAULT_KINDS.join(", ")}`);
      }
      if (typeof r["probability"] !== "number")
        throw new TypeError(`faults[${i}].probability must be a number between 0 and 1`);
    }
  }
  const limits = p["rateLimits"];
  if (limits !== undefined && limits !== false) {
    if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
      throw new TypeError(
        'rateLimits must be false or an object of "service:Operation" → { ratePerSecond, burst }',
      );
    }
    for (const [key, limit] of Object.entries(limits as Record<string, unknown>)) {
      const l = (limit ?? {}) as Record<string, unknown>;
      const rate = l["ratePerSecond"];
      const burst = l["burst"];
      if (typeof rate !== "number" || !(rate >= 0) || typeof burst !== "number" || !(burst >= 1)) {
        throw new TypeError(
          `rateLimits["${key}"] must be { ratePerSecond: a number >= 0, burst: a number >= 1 }`,
        );
      }
    }
  }
}
