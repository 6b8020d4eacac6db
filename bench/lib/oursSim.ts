/**
 * Our scheduler without the emulator: N waits of one service, each the core waiter over the
 * service's BatchPoller riding clock with the spec's own poll settings and batch size, set up as
 * provider/core/task/service.ts waitTask sets them up, on a ManualClock. Describes answer at once
 * (no request latency, as in the peers' simulation), and starts are paced at the start API's rate,
 * as the peers' are. Measured rows of ours are checked against it: a row far off says the machine
 * could not keep up with the emulated clock (fewer rounds than scheduled), not that the scheduler
 * differs.
 */
import type { RateLimit } from "../../emulator";
import { ManualClock } from "../../tests/support/manualClock";
import { BatchPoller } from "../../provider/core/limiter";
import { sharedRounds } from "../../provider/core/task/service";
import type { PollDelays } from "../../provider/core/task/spec";
import { waitFor } from "../../provider/core/waiter";

/** What the simulation needs of a TaskSpec. */
export interface OursModel {
  readonly poll: PollDelays;
  readonly batchSize: number;
  /** Describe calls each create makes besides its wait (ImportInstance's marker lookup). */
  readonly callsBeforeWait: number;
}

/** Above this N the manual clock takes longer than the measured run; ours is then measured only. */
export const OURS_SIM_MAX_N = 100;

export interface OursOutcome {
  readonly callsPerTask: number;
  readonly lagsMs: number[];
  /** Emulated ms from the first start to the last wait returning. */
  readonly endMs: number;
}

export async function simulateOurs(
  durationsMs: readonly number[],
  model: OursModel,
  start: RateLimit,
): Promise<OursOutcome> {
  const n = durationsMs.length;
  const clock = new ManualClock();
  const terminalAt: number[] = [];
  let calls = n * model.callsBeforeWait;
  const poller = new BatchPoller<string>({
    batchSize: model.batchSize,
    describe: (ids) => {
      calls++;
      const now = clock.now();
      return Promise.resolve(
        new Map(ids.map((id) => [id, now >= terminalAt[Number(id)]! ? "done" : "running"])),
      );
    },
  });
  const { poll } = model;
  const gridMs = Math.min(poll.minDelayMs, poll.gridMs);
  const rounds = sharedRounds({}, poll, poll.minDelayMs, poll.maxDelayMs);
  const paceMs = 1000 / start.ratePerSecond;
  const lagsMs: number[] = [];
  let endMs = 0;
  const waits = durationsMs.map(async (duration, i) => {
    await clock.sleep(i * paceMs);
    terminalAt[i] = clock.now() + duration;
    // An hour past the longest task: the deadline never ends a wait here.
    const deadline = clock.now() + 2 * Math.max(...durationsMs) + 3_600_000;
    const riding = poller.ridingClock(clock, { gridMs, rounds, deadlineMs: deadline });
    let align = poll.alignFirstPoll === true;
    await waitFor<string | undefined>({
      poll: async () => {
        if (align && clock.now() % gridMs !== 0) await riding.sleep(0);
        align = false;
        return poller.get(String(i));
      },
      status: (o) => o ?? "gone",
      acceptors: [{ verdict: "success", matches: (o) => o === "done" }],
      minDelayMs: poll.minDelayMs,
      maxDelayMs: poll.maxDelayMs,
      timeoutMs: deadline - clock.now(),
      deadlineMs: deadline,
      clock: riding,
      random: () => 1,
    });
    lagsMs[i] = clock.now() - terminalAt[i]!;
    endMs = Math.max(endMs, clock.now());
  });
  let settled = false;
  const all = Promise.all(waits).then(() => {
    settled = true;
  });
  while (!settled) await clock.advance(60_000);
  await all;
  return { callsPerTask: calls / n, lagsMs, endMs };
}
