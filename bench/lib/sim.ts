/**
 * A discrete-event simulation of per-resource pollers against the emulator's own token buckets
 * (emulator/core/faults.ts RateLimiter, on emulated time). Per-resource peers at N = 100 and 1,000
 * would send 10^5–10^6 requests over an emulated hour — more than a 2-core machine serves in the
 * bench's time budget — so those rows are simulated; rows at small N run both ways, which checks the
 * simulation against the emulator. Request latency is zero here.
 */
import { type RateLimit, RateLimiter } from "../../emulator/core/faults";
import type { PollSchedule } from "./schedules";

export interface SimTask {
  readonly startMs: number;
  readonly terminalMs: number;
}

export interface SimOutcome {
  /** Requests per task, throttled ones included. */
  readonly calls: number[];
  readonly throttles: number;
  /** Detection lag per task, ms. */
  readonly lagsMs: number[];
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
 * Each task polls once when it starts, then after each `schedule` delay, until a poll at or after
 * its terminal time succeeds. A throttled poll counts as a call and the model polls again at its
 * next tick (as the measured peer models do).
 */
export function simulatePerResource(
  tasks: readonly SimTask[],
  schedule: PollSchedule,
  limit: RateLimit,
  random: () => number,
): SimOutcome {
  const limiter = new RateLimiter({ "sim:Describe": limit });
  const calls = tasks.map(() => 0);
  const attempts = tasks.map(() => 0);
  const lagsMs = tasks.map(() => NaN);
  let throttles = 0;
  const queue = new EventQueue();
  tasks.forEach((t, i) => queue.push(t.startMs, i));
  while (queue.size > 0) {
    const [now, i] = queue.pop();
    const task = tasks[i]!;
    calls[i]!++;
    if (!limiter.allow("sim", "sim", "Describe", now)) throttles++;
    else if (now >= task.terminalMs) {
      lagsMs[i] = now - task.terminalMs;
      continue;
    }
    queue.push(now + schedule.delayMs(attempts[i]!++, random), i);
  }
  return { calls, throttles, lagsMs };
}
