import { strict as assert } from "node:assert";
import fc from "fast-check";
import { ManualClock } from "../../../support/manualClock";
import { isMigrationError } from "../../../../provider/core/errors";
import {
  BatchPoller,
  type SharedRounds,
  sharedRoundIntervalMs,
} from "../../../../provider/core/limiter";
import { sharedRounds } from "../../../../provider/core/task/service";
import { waitFor } from "../../../../provider/core/waiter";

/** One describe call as the poller made it: when, and how many IDs. */
interface Call {
  at: number;
  ids: number;
}

function recordingPoller(
  clock: ManualClock,
  batchSize: number,
): { poller: BatchPoller<string>; calls: Call[] } {
  const calls: Call[] = [];
  const poller = new BatchPoller<string>({
    batchSize,
    describe: (ids) => {
      calls.push({ at: clock.now(), ids: ids.length });
      return Promise.resolve(new Map(ids.map((id) => [id, "RUNNING"])));
    },
  });
  return { poller, calls };
}

/** Rounds as [time, calls, IDs]: the calls of one instant are one round. */
function rounds(calls: readonly Call[]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  for (const c of calls) {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === c.at) {
      last[1]++;
      last[2] += c.ids;
    } else out.push([c.at, 1, c.ids]);
  }
  return out;
}

/** ADS-like: a 1 s grid, 2 calls/s, each wait asks for a round at most once a minute. */
const ADS: SharedRounds = { budgetCallsPerSecond: 2, shareMs: 60_000 };

/**
 * `w` waits on one poller, each sleeping `ownMs` (longer than any shared round) then polling,
 * `polls[i]` times (default: until the test stops advancing).
 */
function ride(
  clock: ManualClock,
  poller: BatchPoller<string>,
  w: number,
  options: { gridMs: number; rounds: SharedRounds; ownMs: number; polls?: (i: number) => number },
): Promise<void[]> {
  const riding = poller.ridingClock(clock, { gridMs: options.gridMs, rounds: options.rounds });
  return Promise.all(
    Array.from({ length: w }, async (_, i) => {
      const polls = options.polls?.(i) ?? Number.POSITIVE_INFINITY;
      for (let k = 0; k < polls; k++) {
        await riding.sleep(options.ownMs);
        await poller.get(`t-${i}`);
      }
    }),
  );
}

describe("BatchPoller shared rounds", () => {
  describe("sharedRoundIntervalMs", () => {
    // [W, batch size, expected ms] with a 1 s grid, 2 calls/s and a 60 s share.
    const table: Array<[number, number, number]> = [
      [1, 100, 60_000],
      [2, 100, 30_000],
      [10, 100, 6_000],
      [60, 100, 1_000],
      [100, 100, 1_000],
      [250, 100, 1_500],
      [1000, 100, 5_000],
      [10, 10, 6_000],
      [50, 10, 2_500],
      [100, 10, 5_000],
    ];
    for (const [w, b, ms] of table) {
      it(`is ${ms} ms for ${w} waits, ${b} IDs a call`, () => {
        assert.equal(sharedRoundIntervalMs(w, b, 1000, ADS), ms);
      });
    }

    it("never goes below the grid", () => {
      assert.equal(
        sharedRoundIntervalMs(100, 100, 1000, { budgetCallsPerSecond: 100, shareMs: 0 }),
        1000,
      );
    });
  });

  describe("round sequences (1 s grid, 2 calls/s, 60 s share, waits sleeping 10 min each)", () => {
    const cases: Array<[w: number, b: number, expected: Array<[number, number, number]>]> = [
      // A lone wait: no shared round; it polls on its own schedule.
      [1, 100, [[600_000, 1, 1]]],
      // Two waits: a round every 60 s / 2.
      [
        2,
        100,
        [
          [30_000, 1, 2],
          [60_000, 1, 2],
          [90_000, 1, 2],
        ],
      ],
      // Ten: every 6 s, one call.
      [
        10,
        100,
        [
          [6_000, 1, 10],
          [12_000, 1, 10],
          [18_000, 1, 10],
        ],
      ],
      // A hundred: every second (the grid), one call for all.
      [
        100,
        100,
        [
          [1_000, 1, 100],
          [2_000, 1, 100],
          [3_000, 1, 100],
        ],
      ],
      // 250: three calls a round, so every 1.5 s (2 calls/s).
      [
        250,
        100,
        [
          [1_500, 3, 250],
          [3_000, 3, 250],
          [4_500, 3, 250],
        ],
      ],
      // MGN-like batches of 10: 100 waits are 10 calls, every 5 s.
      [
        100,
        10,
        [
          [5_000, 10, 100],
          [10_000, 10, 100],
          [15_000, 10, 100],
        ],
      ],
    ];
    for (const [w, b, expected] of cases) {
      it(`${w} waits, ${b} IDs a call: rounds at ${expected.map((r) => r[0] / 1000).join(", ")} s`, async () => {
        const clock = new ManualClock();
        const { poller, calls } = recordingPoller(clock, b);
        void ride(clock, poller, w, { gridMs: 1000, rounds: ADS, ownMs: 600_000 });
        await clock.advance(expected[expected.length - 1]![0]);
        assert.deepEqual(rounds(calls), expected);
      });
    }
  });

  it("grows the interval back as waits finish, down to a lone wait's own schedule", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(clock, 100);
    // 25.2 s share: every interval 25.2 s / W is a whole number of ms for W = 2..10.
    const done = ride(clock, poller, 10, {
      gridMs: 1000,
      rounds: { budgetCallsPerSecond: 2, shareMs: 25_200 },
      ownMs: 100_000,
      polls: (i) => i + 1,
    });
    await clock.advance(200_000);
    await done;
    assert.deepEqual(rounds(calls), [
      [2_520, 1, 10], // W = 10: 25.2 s / 10
      [5_320, 1, 9], // + 2.8 s
      [8_470, 1, 8], // + 3.15 s
      [12_070, 1, 7], // + 3.6 s
      [16_270, 1, 6], // + 4.2 s
      [21_310, 1, 5], // + 5.04 s
      [27_610, 1, 4], // + 6.3 s
      [36_010, 1, 3], // + 8.4 s
      [48_610, 1, 2], // + 12.6 s
      [149_000, 1, 1], // the last wait alone: its own 100 s, on the grid
    ]);
  });

  it("shrinks the interval as waits join", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(clock, 100);
    const riding = poller.ridingClock(clock, { gridMs: 1000, rounds: ADS });
    const wait = async (id: string, startMs: number): Promise<void> => {
      await clock.sleep(startMs);
      for (;;) {
        await riding.sleep(600_000);
        await poller.get(id);
      }
    };
    // Two waits from 0: a round due at 30 s. Eight more at 10 s: for ten the interval is 6 s,
    // already over since the last round (at 0), so a round at once, then 6 s later.
    for (let i = 0; i < 2; i++) void wait(`a-${i}`, 0);
    for (let i = 0; i < 8; i++) void wait(`b-${i}`, 10_000);
    await clock.advance(20_000);
    assert.deepEqual(rounds(calls), [
      [10_000, 1, 10],
      [16_000, 1, 10],
    ]);
  });

  it("with the waiter: ten waits (5 s / 50.4 s backoff) each return in the first round after their task ends", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(clock, 100);
    const riding = poller.ridingClock(clock, {
      gridMs: 1000,
      rounds: { budgetCallsPerSecond: 2, shareMs: 50_400 },
    });
    // Task i ends at (i + 1) × 10 s.
    const returned: number[] = [];
    const waits = Array.from({ length: 10 }, async (_, i) => {
      await waitFor({
        poll: async () => {
          await poller.get(`t-${i}`);
          return clock.now() >= (i + 1) * 10_000 ? "DONE" : "RUNNING";
        },
        status: (s) => s,
        acceptors: [{ verdict: "success", matches: (s) => s === "DONE" }],
        minDelayMs: 5_000,
        maxDelayMs: 50_400,
        timeoutMs: 3_600_000,
        clock: riding,
        random: () => 0.5,
      });
      returned[i] = clock.now();
    });
    await clock.advance(200_000);
    await Promise.all(waits);
    assert.deepEqual(rounds(calls), [
      [0, 1, 10], // first polls
      [5_000, 1, 10], // their own 5 s delays, before the shared round (5.04 s)
      [10_040, 1, 10], // W = 10: 50.4 s / 10 after the last round
      [15_640, 1, 9], // W = 9: + 5.6 s
      [21_240, 1, 9],
      [27_540, 1, 8], // + 6.3 s
      [33_840, 1, 8],
      [41_040, 1, 7], // + 7.2 s
      [49_440, 1, 6], // + 8.4 s
      [57_840, 1, 6],
      [67_920, 1, 5], // + 10.08 s
      [80_520, 1, 4], // + 12.6 s
      [105_720, 1, 2], // + 25.2 s
    ]);
    assert.deepEqual(
      returned,
      [10_040, 21_240, 33_840, 41_040, 57_840, 67_920, 80_520, 80_520, 105_720, 105_720],
    );
  });

  it("keeps a lone wait's jittered backoff exactly as without shared rounds", async () => {
    const schedule = async (rounds?: SharedRounds): Promise<number[]> => {
      const clock = new ManualClock();
      const { poller } = recordingPoller(clock, 100);
      let polls = 0;
      await Promise.all([
        waitFor({
          poll: () => poller.get("t-0").then(() => (++polls >= 8 ? "DONE" : "RUNNING")),
          status: (s) => s,
          acceptors: [{ verdict: "success", matches: (s) => s === "DONE" }],
          minDelayMs: 5_000,
          maxDelayMs: 60_000,
          timeoutMs: 3_600_000,
          clock: poller.ridingClock(clock, {
            gridMs: 1000,
            ...(rounds === undefined ? {} : { rounds }),
          }),
          random: () => 0.5,
        }),
        clock.advance(3_600_000),
      ]);
      return clock.sleeps;
    };
    // 5 s + 0.5 × (min(60 s, 5 s × 2^k) − 5 s), each stretched to the 1 s grid.
    const expected = [5_000, 8_000, 13_000, 23_000, 33_000, 33_000, 33_000];
    assert.deepEqual(await schedule(), expected);
    assert.deepEqual(await schedule(ADS), expected);
  });

  it("holds a wait whose own delay ran out until the budget allows a round, which it then joins", async () => {
    const clock = new ManualClock();
    const { poller, calls } = recordingPoller(clock, 1);
    // One ID a call and 1 call/s: a round of two waits costs 2 calls, so the next is 2 s later.
    // A huge share keeps the timer out of it: only the waits' own 100 ms delays ask for rounds.
    void ride(clock, poller, 2, {
      gridMs: 1,
      rounds: { budgetCallsPerSecond: 1, shareMs: 1e9 },
      ownMs: 100,
    });
    await clock.advance(4_200);
    assert.deepEqual(rounds(calls), [
      [100, 2, 2],
      [2_100, 2, 2],
      [4_100, 2, 2],
    ]);
  });

  it("never stretches a sleep past the wait's deadline: not to the grid, not for the budget", async () => {
    const clock = new ManualClock();
    const { poller } = recordingPoller(clock, 1);
    const rounds = { budgetCallsPerSecond: 0.01, shareMs: 1e9 };
    await Promise.all([poller.get("other"), clock.advance(0)]);
    // The budget wants the next round 100 s after that one; the grid would end this sleep at 3 s.
    const riding = poller.ridingClock(clock, { gridMs: 1000, rounds, deadlineMs: 2_500 });
    const slept = riding.sleep(2_500).then(() => clock.now());
    await clock.advance(5_000);
    assert.equal(await slept, 2_500);
  });

  it("rejects a held wait with WaitAbortedError when its signal aborts", async () => {
    const clock = new ManualClock();
    const { poller } = recordingPoller(clock, 1);
    const riding = poller.ridingClock(clock, {
      rounds: { budgetCallsPerSecond: 0.01, shareMs: 1e9 },
    });
    await Promise.all([poller.get("other"), clock.advance(0)]);
    const controller = new AbortController();
    const sleeping = riding.sleep(10, controller.signal);
    await clock.advance(1_000); // own delay over; held for the budget (100 s)
    controller.abort("cancelled");
    await assert.rejects(sleeping, (e: unknown) => isMigrationError(e, "WaitAbortedError"));
  });

  it("refuses a budget that is not > 0 and a negative share", () => {
    const { poller } = recordingPoller(new ManualClock(), 1);
    for (const rounds of [
      { budgetCallsPerSecond: 0, shareMs: 1 },
      { budgetCallsPerSecond: 1, shareMs: -1 },
    ]) {
      assert.throws(
        () => poller.ridingClock(new ManualClock(), { rounds }),
        (e: unknown) => isMigrationError(e, "InputValidationError"),
      );
    }
  });

  it("never spends more than the budget: each round is at least its predecessor's calls / budget after it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          waits: fc.integer({ min: 1, max: 120 }),
          batchSize: fc.integer({ min: 1, max: 50 }),
          budget: fc.double({ min: 0.05, max: 5, noNaN: true }),
          shareMs: fc.integer({ min: 0, max: 120_000 }),
          gridMs: fc.constantFrom(1, 100, 1000),
          seed: fc.integer(),
        }),
        async ({ waits, batchSize, budget, shareMs, gridMs, seed }) => {
          const clock = new ManualClock();
          const { poller, calls } = recordingPoller(clock, batchSize);
          const riding = poller.ridingClock(clock, {
            gridMs,
            rounds: { budgetCallsPerSecond: budget, shareMs },
          });
          let r = seed >>> 0;
          const random = (): number => {
            r = (Math.imul(r, 1664525) + 1013904223) >>> 0;
            return r / 2 ** 32;
          };
          // Waits start at random times, sleep random delays and stop after random poll counts.
          void Promise.all(
            Array.from({ length: waits }, async (_, i) => {
              await clock.sleep(Math.floor(random() * 30_000));
              const polls = 1 + Math.floor(random() * 20);
              for (let k = 0; k < polls; k++) {
                await riding.sleep(Math.floor(random() * 20_000));
                await poller.get(`t-${i}`);
              }
            }),
          );
          await clock.advance(600_000);
          const seen = rounds(calls);
          for (let k = 1; k < seen.length; k++) {
            const [prevAt, prevCalls] = seen[k - 1]!;
            const gap = seen[k]![0] - prevAt;
            assert.ok(
              gap >= (prevCalls * 1000) / budget - 1e-6,
              `round ${k} came ${gap} ms after one of ${prevCalls} calls (budget ${budget}/s)`,
            );
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  describe("sharedRounds (the core wait's settings)", () => {
    it("defaults to 2 calls/s and a share of the max delay", () => {
      assert.deepEqual(sharedRounds({}, {}, 5_000, 60_000), {
        budgetCallsPerSecond: 2,
        shareMs: 60_000,
      });
    });

    it("takes the spec's share and budget", () => {
      assert.deepEqual(
        sharedRounds({}, { shareMs: 90_000, budgetCallsPerSecond: 5 }, 10_000, 60_000),
        { budgetCallsPerSecond: 5, shareMs: 90_000 },
      );
    });

    it("takes a configured awsMigration:pollMaxDelayMs as the share over the spec's", () => {
      assert.deepEqual(
        sharedRounds({ pollMaxDelayMs: 30_000 }, { shareMs: 90_000 }, 1000, 30_000),
        {
          budgetCallsPerSecond: 2,
          shareMs: 30_000,
        },
      );
    });

    it("takes awsMigration:pollBudgetCallsPerSecond over the spec's budget", () => {
      assert.deepEqual(
        sharedRounds(
          { pollBudgetCallsPerSecond: 0.5 },
          { budgetCallsPerSecond: 5 },
          10_000,
          60_000,
        ),
        { budgetCallsPerSecond: 0.5, shareMs: 60_000 },
      );
    });

    it("never goes below one call per min delay, so a lone wait is never held back", () => {
      assert.deepEqual(sharedRounds({ pollBudgetCallsPerSecond: 0.5 }, {}, 10, 40), {
        budgetCallsPerSecond: 100,
        shareMs: 40,
      });
    });
  });
});
