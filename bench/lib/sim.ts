/**
 * A discrete-event simulation of the per-resource peers against the emulator's own token buckets
 * (emulator/core/faults.ts RateLimiter) on emulated time. Per-resource peers at N = 100 and 1,000
 * would send 10^5–10^6 requests over an emulated hour — more than a 2-core machine serves in the
 * bench's time budget — so those rows come from here; where a peer also runs against the emulator,
 * the two are compared and a measured row more than 25 % off is flagged. No request latency here.
 */
import { type RateLimit, RateLimiter } from "../../emulator/core/faults";
import type { PeerModel } from "./schedules";

export interface SimLimits {
  /** The start API's limit: starts are paced at its rate, as the measured peers pace them. */
  readonly start: RateLimit;
  /** The describe API's limit (a token bucket, as the emulator's). */
  readonly describe: RateLimit;
}

export interface SimOutcome {
  /** Describe requests per task, throttled ones included. */
  readonly calls: number[];
  readonly throttles: number;
  /** Detection lag per task, ms; NaN for a task whose resource gave up first. */
  readonly lagsMs: number[];
  readonly failed: number;
  /** Emulated ms from the first start to the last resource settling. */
  readonly endMs: number;
}

/** A min-heap of (time, task) with ties broken by task index, like timers due together. */
class EventQueue {
  private readonly heap: Array<[number, number]> = [];
  get size(): number {
    return this.heap.length;
  }
  push(time: number, task: number): void {
    const h = this.heap;
    h.push([time, task]);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): [number, number] {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

/**
 * Resource `i` starts its task (which then runs `durationsMs[i]`) when one of the model's
 * `parallelism` slots is free and the start API's pace allows, polls once at once, then after each
 * schedule delay, until a poll at or after the task's end is accepted — or, with `maxRetries`, until
 * that many polls after the first have not seen it end (the resource fails). A throttled poll counts
 * as a call and the model polls again at its next tick, as the measured peer models do.
 */
export function simulatePeer(
  durationsMs: readonly number[],
  model: Pick<PeerModel, "schedule" | "parallelism" | "maxRetries">,
  limits: SimLimits,
  random: () => number,
): SimOutcome {
  const n = durationsMs.length;
  const limiter = new RateLimiter({ "sim:Describe": limits.describe });
  const paceMs = 1000 / limits.start.ratePerSecond;
  const calls = durationsMs.map(() => 0);
  const attempts = durationsMs.map(() => 0);
  const lagsMs = durationsMs.map(() => NaN);
  const terminalMs = durationsMs.map(() => NaN);
  let throttles = 0;
  let failed = 0;
  let endMs = 0;
  const queue = new EventQueue();
  let next = 0;
  let lastStart = -Infinity;
  const begin = (at: number): void => {
    const i = next++;
    const t = Math.max(at, lastStart + paceMs);
    lastStart = t;
    terminalMs[i] = t + durationsMs[i]!;
    queue.push(t, i);
  };
  while (next < Math.min(n, model.parallelism ?? n)) begin(0);
  while (queue.size > 0) {
    const [now, i] = queue.pop();
    calls[i]!++;
    let settled = false;
    if (!limiter.allow("sim", "sim", "Describe", now)) throttles++;
    else if (now >= terminalMs[i]!) {
      lagsMs[i] = now - terminalMs[i]!;
      settled = true;
    }
    if (!settled && model.maxRetries !== undefined && attempts[i]! >= model.maxRetries) {
      failed++;
      settled = true;
    }
    if (settled) {
      endMs = Math.max(endMs, now);
      if (next < n) begin(now);
    } else {
      queue.push(now + model.schedule.delayMs(attempts[i]!++, random), i);
    }
  }
  return { calls, throttles, lagsMs, failed, endMs };
}
