import type { SeededRandom } from "./random";

/**
 * Rate limits and fault injection. AWS throttles per account, region and API with token buckets;
 * the emulator does the same per service and operation, in real time (clients send in real time
 * whatever the emulated clock says).
 */
export interface RateLimit {
  /** Tokens added per real second. */
  readonly ratePerSecond: number;
  /** Bucket size: how many calls may arrive at once. */
  readonly burst: number;
}

/**
 * Defaults. AWS does not publish these APIs' limits; the figures follow EC2's documented buckets
 * (non-mutating 100 burst / 20 per s; mutating 50 / 5) and give the start APIs of ADS and MGN
 * tighter limits, since AWS processes their imports sequentially.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  "ads:StartImportTask": { ratePerSecond: 2, burst: 10 },
  "ads:BatchDeleteImportData": { ratePerSecond: 2, burst: 10 },
  "ads:*": { ratePerSecond: 10, burst: 50 },
  "mgn:StartImport": { ratePerSecond: 2, burst: 10 },
  "mgn:*": { ratePerSecond: 10, burst: 50 },
  "migrationhub:*": { ratePerSecond: 20, burst: 100 },
  "migrationhub-config:*": { ratePerSecond: 5, burst: 20 },
  "ec2:ImportInstance": { ratePerSecond: 1, burst: 5 },
  "ec2:ImportImage": { ratePerSecond: 1, burst: 5 },
  "ec2:CancelConversionTask": { ratePerSecond: 5, burst: 50 },
  "ec2:CancelImportTask": { ratePerSecond: 5, burst: 50 },
  "ec2:DeregisterImage": { ratePerSecond: 5, burst: 50 },
  "ec2:DeleteSnapshot": { ratePerSecond: 5, burst: 50 },
  "ec2:*": { ratePerSecond: 20, burst: 100 },
  "s3:*": { ratePerSecond: 3500, burst: 3500 },
  // STS's documented request quota: 600 per second per account and region
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-sts).
  "sts:*": { ratePerSecond: 600, burst: 600 },
};

class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(
      this.limit.burst,
      this.tokens + ((now - this.last) / 1000) * this.limit.ratePerSecond,
    );
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private limits: Record<string, RateLimit>;
  private enabled: boolean;

  constructor(limits: Readonly<Record<string, RateLimit>> | false) {
    this.enabled = limits !== false;
    this.limits = { ...DEFAULT_RATE_LIMITS, ...(limits || {}) };
  }

  configure(limits: Readonly<Record<string, RateLimit>> | false): void {
    this.enabled = limits !== false;
    if (limits !== false) this.limits = { ...this.limits, ...limits };
    this.buckets.clear();
  }

  limitFor(service: string, operation: string): RateLimit | undefined {
    return this.limits[`${service}:${operation}`] ?? this.limits[`${service}:*`];
  }

  /**
   * True when the call may proceed. Buckets are per `scope` too: the front door passes
   * "<account>:<region>", as AWS keeps them per account and region.
   */
  allow(scope: string, service: string, operation: string, realNow: number): boolean {
    if (!this.enabled) return true;
    const limit = this.limitFor(service, operation);
    if (!limit) return true;
    const key = this.limits[`${service}:${operation}`]
      ? `${scope}:${service}:${operation}`
      : `${scope}:${service}:*:${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(limit, realNow);
      this.buckets.set(key, bucket);
    }
    return bucket.take(realNow);
  }

  reset(): void {
    this.buckets.clear();
  }
}

export type FaultKind = "throttle" | "5xx" | "latency" | "reset";

export interface FaultRule {
  /** Service key ("ads", "mgn", ...); omitted means every service. */
  readonly service?: string;
  /** Operation name; omitted means every operation of the service. */
  readonly operation?: string;
  readonly kind: FaultKind;
  /** Chance per matching request, 0..1. */
  readonly probability: number;
  /** For "latency": added delay in real ms. */
  readonly latencyMs?: number;
  /** Stop after this many injections. */
  readonly maxCount?: number;
  /** Active only for this many real ms after the rule is installed. */
  readonly durationMs?: number;
}

interface ActiveRule {
  readonly rule: FaultRule;
  injected: number;
  readonly installedAt: number;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly fail?: "throttle" | "5xx" | "reset";
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  constructor(private readonly random: SeededRandom) {}

  set(rules: readonly FaultRule[], realNow: number): void {
    for (const rule of rules) {
      if (!(rule.probability >= 0 && rule.probability <= 1))
        throw new RangeError("fault probability must be between 0 and 1");
    }
    this.rules = rules.map((rule) => ({ rule, injected: 0, installedAt: realNow }));
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule);
  }

  decide(service: string, operation: string, realNow: number): FaultDecision {
    let latencyMs = 0;
    let fail: FaultDecision["fail"];
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.service && rule.service !== service) continue;
      if (rule.operation && rule.operation !== operation) continue;
      if (rule.maxCount !== undefined && active.injected >= rule.maxCount) continue;
      if (rule.durationMs !== undefined && realNow - active.installedAt > rule.durationMs) continue;
      if (this.random.next() >= rule.probability) continue;
      active.injected++;
      if (rule.kind === "latency") latencyMs += rule.latencyMs ?? 1000;
      else fail ??= rule.kind;
    }
    return fail ? { latencyMs, fail } : { latencyMs };
  }
}
