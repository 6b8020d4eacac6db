/**
 * The peers' polling schedules, written from their documented algorithms. They are models of the
 * peers, not the peers' code: Terraform's helper/retry StateChangeConf (first refresh at once, then
 * waits from 100 ms doubling, capped at 10 s, no jitter) and the AWS CDK provider framework's
 * isComplete loop (fixed 5 s queryInterval). The AWS SDK waiter's schedule is copied from
 * @smithy/util-waiter (poller.ts, exponentialBackoffWithJitter) for the simulation only; measured
 * runs call the real waiter.
 */

export interface PollSchedule {
  readonly name: string;
  /** Delay before poll `k + 2`: k = 0 is the wait after the first poll, which runs at once. */
  delayMs(k: number, random: () => number): number;
}

export const TERRAFORM_STYLE: PollSchedule = {
  name: "Terraform-style (model)",
  delayMs: (k) => Math.min(10_000, 100 * 2 ** k),
};

export const CDK_STYLE: PollSchedule = {
  name: "CDK-style 5 s (model)",
  delayMs: () => 5_000,
};

/** The SDK v3 waiter's delays (seconds in, ms out), ignoring its maxWaitTime cut. */
export function sdkWaiterSchedule(minDelaySeconds: number, maxDelaySeconds: number): PollSchedule {
  const min = minDelaySeconds * 1000;
  const max = maxDelaySeconds * 1000;
  const ceiling = Math.log(max / min) / Math.log(2) + 1;
  return {
    name: `SDK waiter schedule (${minDelaySeconds}–${maxDelaySeconds} s)`,
    // util-waiter counts attempts from 1 for the first sleep.
    delayMs: (k, random) => {
      const attempt = k + 1;
      if (attempt > ceiling) return max;
      const capped = Math.min(min * 2 ** (attempt - 1), max);
      return min + random() * (capped - min);
    },
  };
}
