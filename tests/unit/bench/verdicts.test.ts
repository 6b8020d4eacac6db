import { strict as assert } from "node:assert";
import { DEFAULT_RATE_LIMITS } from "../../../emulator";
import { checks } from "../../../bench/lib/report";
import {
  type FleetResult,
  merge,
  type MeasuredRun,
  type PollFigures,
  type PollResult,
  type ResultsFile,
  SCHEMA,
  type Source,
} from "../../../bench/lib/results";
import type { Strategy } from "../../../bench/lib/schedules";
import type { ServiceName } from "../../../bench/lib/catalog";
import { fleetVerdicts, pollVerdicts } from "../../../bench/lib/verdicts";

function figures(calls: number, p50: number | null, failed = 0): PollFigures {
  return {
    callsPerTask: calls,
    throttledPerTask: 0,
    lag: { p50, p95: p50, max: p50 },
    failed,
    emulatedSeconds: 3600,
  };
}

function run(calls: number, p50: number | null, failed = 0): MeasuredRun {
  return { ...figures(calls, p50, failed), realSeconds: 60, load1: 1 };
}

function row(
  service: ServiceName,
  n: number,
  strategy: Strategy,
  measured: MeasuredRun[],
  simulated: PollFigures | null = null,
): PollResult {
  return { service, n, strategy, timeScale: 60, seed: 1, measured, simulated };
}

function source(name: string, date: string, poll: PollResult[], fleet?: FleetResult): Source {
  const file: ResultsFile = {
    schema: SCHEMA,
    label: "partial",
    command: `npm run bench -- ${name}`,
    options: {},
    date,
    commit: "abc",
    env: { node: "v20", cpus: 2, loadBefore: [1, 1, 1], loadAfter: [1, 1, 1] },
    rateLimits: DEFAULT_RATE_LIMITS,
    wallSeconds: 60,
    poll,
    ...(fleet ? { fleet } : {}),
  };
  return { name, file };
}

const ADS_LIMITS = "ads:DescribeImportTasks 10/s, burst 50; ads:StartImportTask 2/s, burst 10";

describe("bench results merge", () => {
  it("takes each row from the newest file that has it and lists only the files used", () => {
    const old = source("a.json", "2026-12-01T00:00:00Z", [
      row("ads", 1, "ours", [run(10, 5)]),
      row("ads", 10, "ours", [run(8, 4)]),
    ]);
    const unused = source("b.json", "2026-12-02T00:00:00Z", [row("ads", 1, "ours", [run(9, 5)])]);
    const newest = source("c.json", "2026-12-03T00:00:00Z", [row("ads", 1, "ours", [run(7, 5)])]);
    const merged = merge([old, unused, newest]);
    assert.deepEqual(
      merged.poll.map((p) => [p.value.n, p.value.measured[0]?.callsPerTask, p.source.name]),
      [
        [1, 7, "c.json"],
        [10, 8, "a.json"],
      ],
    );
    assert.deepEqual(
      merged.sources.map((s) => s.name),
      ["a.json", "c.json"],
    );
  });
});

describe("bench targets", () => {
  const at = (poll: PollResult[], fleet?: FleetResult) =>
    merge([source("r.json", "2026-12-05T00:00:00Z", poll, fleet)]);

  it("N >= 100: calls and p50 against every peer, on the median of our runs", () => {
    const vs = pollVerdicts(
      at([
        row("ads", 100, "ours", [run(3, 9), run(4, 8), run(50, 1)]),
        row("ads", 100, "terraform", [], figures(190, 5)),
        row("ads", 100, "cdk-30min", [], figures(300, 2, 40)),
      ]),
      ["ads"],
    ).filter((v) => v.subject === "ads N = 100");
    assert.deepEqual(vs, [
      {
        subject: "ads N = 100",
        target: "calls/task ≤ every peer's",
        ours: "4",
        against: "cheapest: Terraform 190 [sim]",
        status: "met",
        assumes: ADS_LIMITS,
      },
      {
        subject: "ads N = 100",
        target: "p50 lag ≤ every peer's",
        ours: "8 s",
        against: "quickest: CDK 30-min timeout 2 s [sim; 40 failed]",
        status: "missed",
        assumes: ADS_LIMITS,
      },
    ]);
  });

  it("N = 10: calls × p50 at most half the best peer's product", () => {
    const [v] = pollVerdicts(
      at([
        row("mgn", 10, "ours", [run(20, 5)]),
        row("mgn", 10, "terraform", [], figures(140, 6.6)),
        row("mgn", 10, "cdk", [], figures(270, 1)),
      ]),
      ["mgn"],
    ).filter((x) => x.subject === "mgn N = 10");
    assert.deepEqual(
      [v?.ours, v?.against, v?.status],
      ["100", "best: CDK 270 [sim], half 135", "met"],
    );
  });

  it("N = 1: missed when one peer is both cheaper and quicker; ImportInstance also against the waiter", () => {
    const vs = pollVerdicts(
      at([
        row("ec2-instance", 1, "ours", [run(18, 20)]),
        row("ec2-instance", 1, "sdk-waiter", [run(12, 27)], figures(12, 33)),
        row("ec2-instance", 1, "terraform", [run(99, 5)], figures(106, 9.6)),
      ]),
      ["ec2-instance"],
    ).filter((x) => x.subject === "ec2-instance N = 1");
    assert.deepEqual(
      vs.map((v) => [v.target, v.against, v.status]),
      [
        ["on the peers' frontier (no peer both cheaper and quicker)", "no peer dominates", "met"],
        ["calls/task ≤ the SDK waiter's", "SDK waiter 12", "missed"],
      ],
    );
    const [dominated] = pollVerdicts(
      at([row("ads", 1, "ours", [run(50, 10)]), row("ads", 1, "cdk", [], figures(40, 2))]),
      ["ads"],
    );
    assert.deepEqual(
      [dominated?.against, dominated?.status],
      ["dominated by CDK (40 calls, 2 s) [sim]", "missed"],
    );
  });

  it("reads 'not measured' without ours or without peers, and adds '0 failed' when ours failed", () => {
    const vs = pollVerdicts(at([row("ads", 1000, "ours", [run(1.2, 30, 3)])]), ["ads"]);
    assert.deepEqual(
      vs.map((v) => [v.subject, v.target, v.ours, v.status]),
      [
        [
          "ads N = 1",
          "on the peers' frontier (no peer both cheaper and quicker)",
          "—",
          "not measured",
        ],
        ["ads N = 10", "calls × p50 lag ≤ ½ the best peer's", "—", "not measured"],
        ["ads N = 100", "calls/task ≤ every peer's", "—", "not measured"],
        ["ads N = 100", "p50 lag ≤ every peer's", "—", "not measured"],
        ["ads N = 1000", "calls/task ≤ every peer's", "—", "not measured"],
        ["ads N = 1000", "p50 lag ≤ every peer's", "—", "not measured"],
        ["ads N = 1000", "0 failed", "3 failed", "missed"],
      ],
    );
  });

  it("fleet: 0 failed, wall within 1.2 × the bound from the calls made, and the one-describe premise", () => {
    const ours = (wallSeconds: number, describes: number) => ({
      wallSeconds,
      throttled: 0,
      retries: 0,
      failed: 0,
      requests: 0,
      failures: {},
      bound: {
        seconds: (describes - 100) / 20 + 10,
        bindingOperation: "migrationhub:DescribeMigrationTask",
        callsNeeded: { "migrationhub:DescribeMigrationTask": describes },
      },
    });
    const fleet: FleetResult = {
      size: { migrationTasks: 1000, mgnImports: 100, adsImports: 50, taskSeconds: 10 },
      ours: [ours(70, 1000), ours(60, 1000), ours(80, 1000)],
      naive: [],
    };
    assert.deepEqual(
      fleetVerdicts(at([], fleet)).map((v) => [v.target, v.ours, v.against, v.status]),
      [
        ["0 failed", "0 failed (worst of 3 runs)", "—", "met"],
        [
          "wall ≤ 1.2 × rate-limit bound",
          "70 s (median)",
          "bound 55 s from the calls made (binding: migrationhub:DescribeMigrationTask), × 1.2 = 66 s",
          "missed",
        ],
        [
          "1 DescribeMigrationTask per MigrationTask create (the bound's premise)",
          "1 (median of runs)",
          "—",
          "met",
        ],
      ],
    );
  });
});

describe("bench checks of measured rows", () => {
  it("flags calls more than 25 % off the simulation, and lag only past max(25 %, 1 s)", () => {
    assert.deepEqual(checks(row("ads", 1, "cdk", [run(197, 2.9)], figures(220, 2))), []);
    assert.deepEqual(checks(row("ads", 1, "cdk", [run(72, 12.5)], figures(220, 2))), [
      "⚠ calls -67 % vs sim",
      "⚠ p50 +10.5 s vs sim",
    ]);
  });

  it("flags a failure count the simulation does not have (a model's timeout met or missed)", () => {
    assert.deepEqual(
      checks(row("ec2-image", 1, "cdk-30min", [run(329, 4)], figures(361, null, 1))),
      ["⚠ 0 failed vs 1 in sim"],
    );
  });

  it("flags runs that disagree by more than 25 %", () => {
    assert.deepEqual(checks(row("ads", 1000, "ours", [run(1.15, 4), run(2.89, 7), run(2, 5)])), [
      "⚠ runs' calls spread 87 %",
      "⚠ runs' p50 spread 3 s",
    ]);
  });
});
