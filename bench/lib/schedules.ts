/**
 * The peers, written from their documented algorithms and source. They are models of the peers,
 * not the peers' code (except the SDK waiter, which measured runs call for real):
 *
 * - Terraform, helper/retry `StateChangeConf.WaitForStateContext` (terraform-plugin-sdk v2) with its
 *   defaults (no Delay, MinTimeout or PollInterval): the first refresh runs at once; the loop then
 *   sets `wait = 100ms` and doubles it *before* sleeping, so the sleeps are 200 ms, 400 ms, 800 ms …
 *   capped at 10 s, without jitter. `terraform apply` creates at most 10 resources at once by
 *   default (`-parallelism=10`); the unbounded variant is what a higher `-parallelism` gives.
 * - AWS CDK `custom-resources` Provider framework: `isComplete` runs at once, then is retried every
 *   `queryInterval` (5 s) with backoff rate 1, at most `totalTimeout / queryInterval` times
 *   (30 min / 5 s = 360, `calculateRetryPolicy`), after which the resource fails.
 * - AWS SDK v3 `waitUntilConversionTaskCompleted` (the only waiter for these jobs): schedule copied
 *   from @smithy/util-waiter (`exponentialBackoffWithJitter`), for the simulation only.
 */

export interface PollSchedule {
  /** Delay before poll `k + 2`: k = 0 is the wait after the first poll, which runs at once. */
  delayMs(k: number, random: () => number): number;
}

export type PeerId = "sdk-waiter" | "terraform" | "terraform-p10" | "cdk" | "cdk-30min";
export type Strategy = "ours" | PeerId;

export const PEER_IDS: readonly PeerId[] = [
  "sdk-waiter",
  "terraform",
  "terraform-p10",
  "cdk",
  "cdk-30min",
];
export const STRATEGIES: readonly Strategy[] = ["ours", ...PEER_IDS];

export interface PeerModel {
  readonly id: PeerId;
  readonly label: string;
  readonly schedule: PollSchedule;
  /** Resources in create (start + wait) at once; undefined = all at once. */
  readonly parallelism?: number;
  /** Polls after the first before the resource fails; undefined = it waits as long as it takes. */
  readonly maxRetries?: number;
}

export const TERRAFORM_SCHEDULE: PollSchedule = {
  delayMs: (k) => Math.min(10_000, 200 * 2 ** k),
};

export const CDK_SCHEDULE: PollSchedule = {
  delayMs: () => 5_000,
};

/** The SDK v3 waiter's delays (seconds in, ms out), ignoring its maxWaitTime cut. */
export function sdkWaiterSchedule(minDelaySeconds: number, maxDelaySeconds: number): PollSchedule {
  const min = minDelaySeconds * 1000;
  const max = maxDelaySeconds * 1000;
  const ceiling = Math.log(max / min) / Math.log(2) + 1;
  return {
    // util-waiter counts attempts from 1 for the first sleep.
    delayMs: (k, random) => {
      const attempt = k + 1;
      if (attempt > ceiling) return max;
      const capped = Math.min(min * 2 ** (attempt - 1), max);
      return min + random() * (capped - min);
    },
  };
}

/** The SDK waiter's service defaults for ConversionTaskCompleted (client-ec2), seconds. */
export const WAITER_DELAYS = { minDelay: 15, maxDelay: 120 } as const;

/** CDK Provider framework defaults: totalTimeout 30 min, queryInterval 5 s. */
export const CDK_MAX_RETRIES = (30 * 60) / 5;

export const PEERS: Readonly<Record<PeerId, PeerModel>> = {
  "sdk-waiter": {
    id: "sdk-waiter",
    label: "AWS SDK v3 waiter",
    schedule: sdkWaiterSchedule(WAITER_DELAYS.minDelay, WAITER_DELAYS.maxDelay),
  },
  terraform: {
    id: "terraform",
    label: "Terraform StateChangeConf, unbounded parallelism (model)",
    schedule: TERRAFORM_SCHEDULE,
  },
  "terraform-p10": {
    id: "terraform-p10",
    label: "Terraform StateChangeConf, -parallelism=10 (model)",
    schedule: TERRAFORM_SCHEDULE,
    parallelism: 10,
  },
  cdk: {
    id: "cdk",
    label: "CDK Provider 5 s, no total timeout (model)",
    schedule: CDK_SCHEDULE,
  },
  "cdk-30min": {
    id: "cdk-30min",
    label: "CDK Provider 5 s, 30-min totalTimeout (model)",
    schedule: CDK_SCHEDULE,
    maxRetries: CDK_MAX_RETRIES,
  },
};

export const STRATEGY_LABEL: Readonly<Record<Strategy, string>> = {
  ours: "ours (batched)",
  ...Object.fromEntries(PEER_IDS.map((id) => [id, PEERS[id].label])),
} as Record<Strategy, string>;
