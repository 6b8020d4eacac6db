/**
 * The targets of issue 10 as pure functions of results, shared by the bench's printout and the
 * BENCHMARKS.md generator so the two cannot disagree. A row's figure is the median of its measured
 * runs, or its simulation when it was not measured; a target whose rows are missing is "not
 * measured", never met or missed.
 */
import type { RateLimit } from "../../emulator";
import type { FleetResult, Merged, PollResult, Sourced } from "./results";
import { PEER_IDS, type PeerId, type Strategy } from "./schedules";
import { SERVICE_INFO, SERVICE_NAMES, type ServiceName } from "./catalog";
import { round, spread } from "./stats";

/** The N at which the poll targets are set. */
export const TARGET_NS: readonly number[] = [1, 10, 100, 1000];
/** A measured row further than this from its simulation (or its runs from each other) is flagged. */
export const FLAG_RATIO = 0.25;
/** Lag differences below this (emulated seconds) are within timer resolution and not flagged. */
export const LAG_FLOOR_SECONDS = 1;
/** Fleet: wall time at most this multiple of the rate-limit bound. */
export const FLEET_SLACK = 1.2;

export type Status = "met" | "missed" | "not measured";

export interface Verdict {
  readonly subject: string;
  readonly target: string;
  readonly ours: string;
  readonly against: string;
  readonly status: Status;
  /** The rate limits the figures depend on. */
  readonly assumes: string;
}

export interface Figure {
  readonly strategy: Strategy;
  readonly how: "measured" | "simulated";
  readonly runs: number;
  readonly calls: number;
  /** Median over runs of the p50 lag, s; NaN when no task was seen to end. */
  readonly p50: number;
  readonly failed: number;
}

export function figureOf(r: PollResult): Figure | undefined {
  if (r.measured.length > 0) {
    return {
      strategy: r.strategy,
      how: "measured",
      runs: r.measured.length,
      calls: spread(r.measured.map((m) => m.callsPerTask)).median,
      p50: spread(r.measured.map((m) => m.lag.p50)).median,
      failed: spread(r.measured.map((m) => m.failed)).max,
    };
  }
  if (r.simulated === null) return undefined;
  return {
    strategy: r.strategy,
    how: "simulated",
    runs: 0,
    calls: r.simulated.callsPerTask,
    p50: r.simulated.lag.p50 ?? NaN,
    failed: r.simulated.failed,
  };
}

export function num(v: number, digits = 2): string {
  return Number.isFinite(v) ? `${round(v, digits)}` : "—";
}

const SHORT: Record<Strategy, string> = {
  ours: "ours",
  "sdk-waiter": "SDK waiter",
  terraform: "Terraform",
  "terraform-p10": "Terraform -parallelism=10",
  cdk: "CDK",
  "cdk-30min": "CDK 30-min timeout",
};

/** " [sim; 4 failed]": how a figure was obtained and what failed, for the "against" column. */
function tagOf(f: Figure): string {
  const notes = [
    ...(f.how === "simulated" ? ["sim"] : []),
    ...(f.failed > 0 ? [`${f.failed} failed`] : []),
  ];
  return notes.length > 0 ? ` [${notes.join("; ")}]` : "";
}

function describe(f: Figure, what: "calls" | "p50" | "product"): string {
  const value =
    what === "calls"
      ? num(f.calls)
      : what === "p50"
        ? `${num(f.p50, 1)} s`
        : num(f.calls * f.p50, 1);
  return `${SHORT[f.strategy]} ${value}${tagOf(f)}`;
}

export function formatLimit(op: string, l: RateLimit | undefined): string {
  return l === undefined ? `${op} (no limit)` : `${op} ${l.ratePerSecond}/s, burst ${l.burst}`;
}

export function limitFor(
  limits: Readonly<Record<string, RateLimit>>,
  key: string,
  operation: string,
): RateLimit | undefined {
  return limits[`${key}:${operation}`] ?? limits[`${key}:*`];
}

/** "ads:DescribeImportTasks 10/s, burst 50; ads:StartImportTask 2/s, burst 10". */
export function serviceLimits(
  service: ServiceName,
  limits: Readonly<Record<string, RateLimit>>,
): string {
  const spec = SERVICE_INFO[service];
  return [spec.describeOperation, spec.startOperation]
    .map((op) => formatLimit(`${spec.key}:${op}`, limitFor(limits, spec.key, op)))
    .join("; ");
}

const notMeasured = (subject: string, target: string, assumes: string): Verdict => ({
  subject,
  target,
  ours: "—",
  against: "—",
  status: "not measured",
  assumes,
});

/** The poll targets at N = 1, 10, 100, 1,000 for every service. */
export function pollVerdicts(merged: Merged, services = SERVICE_NAMES): Verdict[] {
  const rows = new Map<string, Sourced<PollResult>>();
  for (const r of merged.poll) rows.set(`${r.value.service}|${r.value.n}|${r.value.strategy}`, r);
  const out: Verdict[] = [];
  for (const service of services) {
    for (const n of TARGET_NS) {
      const subject = `${service} N = ${n}`;
      const oursRow = rows.get(`${service}|${n}|ours`);
      const limits =
        (oursRow ?? [...rows.values()].find((r) => r.value.service === service))?.source.file
          .rateLimits ?? merged.sources.at(-1)?.file.rateLimits;
      const assumes = limits === undefined ? "—" : serviceLimits(service, limits);
      const ours = oursRow === undefined ? undefined : figureOf(oursRow.value);
      const peers: Figure[] = PEER_IDS.map((id: PeerId) => rows.get(`${service}|${n}|${id}`))
        .map((r) => (r === undefined ? undefined : figureOf(r.value)))
        .filter((f): f is Figure => f !== undefined);
      const lagPeers = peers.filter((p) => Number.isFinite(p.p50));
      const targets: Array<{
        target: string;
        judge: (o: Figure) => Omit<Verdict, "subject" | "target" | "assumes">;
      }> = [];
      if (n >= 100) {
        targets.push({
          target: "calls/task ≤ every peer's",
          judge: (o) => {
            const best = minBy(peers, (p) => p.calls)!;
            return {
              ours: num(o.calls),
              against: `cheapest: ${describe(best, "calls")}`,
              status: mark(o.calls <= best.calls),
            };
          },
        });
        targets.push({
          target: "p50 lag ≤ every peer's",
          judge: (o) => {
            const best = minBy(lagPeers, (p) => p.p50)!;
            return {
              ours: `${num(o.p50, 1)} s`,
              against: `quickest: ${describe(best, "p50")}`,
              status: mark(o.p50 <= best.p50),
            };
          },
        });
      } else if (n === 10) {
        targets.push({
          target: "calls × p50 lag ≤ ½ the best peer's",
          judge: (o) => {
            const best = minBy(lagPeers, (p) => p.calls * p.p50)!;
            return {
              ours: num(o.calls * o.p50, 1),
              against: `best: ${describe(best, "product")}, half ${num((best.calls * best.p50) / 2, 1)}`,
              status: mark(o.calls * o.p50 <= (best.calls * best.p50) / 2),
            };
          },
        });
      } else if (n === 1) {
        targets.push({
          target: "on the peers' frontier (no peer both cheaper and quicker)",
          judge: (o) => {
            const dominating = lagPeers.filter((p) => p.calls < o.calls && p.p50 < o.p50);
            return {
              ours: `${num(o.calls)} calls, ${num(o.p50, 1)} s`,
              against:
                dominating.length === 0
                  ? "no peer dominates"
                  : `dominated by ${dominating.map((p) => `${SHORT[p.strategy]} (${num(p.calls)} calls, ${num(p.p50, 1)} s)${tagOf(p)}`).join(", ")}`,
              status: mark(dominating.length === 0),
            };
          },
        });
        if (service === "ec2-instance") {
          targets.push({
            target: "calls/task ≤ the SDK waiter's",
            judge: (o) => {
              const waiter = peers.find((p) => p.strategy === "sdk-waiter")!;
              return {
                ours: num(o.calls),
                against: describe(waiter, "calls"),
                status: mark(o.calls <= waiter.calls),
              };
            },
          });
        }
      }
      for (const { target, judge } of targets) {
        const needsWaiter = target.includes("SDK waiter");
        const missing =
          ours === undefined ||
          !Number.isFinite(ours.p50) ||
          (needsWaiter ? !peers.some((p) => p.strategy === "sdk-waiter") : lagPeers.length === 0);
        out.push(
          missing
            ? notMeasured(subject, target, assumes)
            : { subject, target, assumes, ...judge(ours) },
        );
      }
      if (ours !== undefined && ours.failed > 0) {
        out.push({
          subject,
          target: "0 failed",
          ours: `${ours.failed} failed`,
          against: "—",
          status: "missed",
          assumes,
        });
      }
    }
  }
  return out;
}

function minBy<T>(xs: readonly T[], key: (x: T) => number): T | undefined {
  let best: T | undefined;
  for (const x of xs) if (best === undefined || key(x) < key(best)) best = x;
  return best;
}

const mark = (ok: boolean): Status => (ok ? "met" : "missed");

/** Median over runs of our fleet's figures and bound. */
export function fleetSummary(f: FleetResult): {
  wall: ReturnType<typeof spread>;
  bound: number;
  bindingOperation: string;
  maxFailed: number;
  describesPerMigrationTask: number;
} {
  const bounds = f.ours.map((r) => r.bound?.seconds ?? NaN);
  const boundMedian = spread(bounds).median;
  const binding = f.ours.find((r) => r.bound?.seconds === boundMedian)?.bound ?? f.ours[0]?.bound;
  const describes = spread(
    f.ours.map(
      (r) =>
        (r.bound?.callsNeeded["migrationhub:DescribeMigrationTask"] ?? NaN) / f.size.migrationTasks,
    ),
  ).median;
  return {
    wall: spread(f.ours.map((r) => r.wallSeconds)),
    bound: boundMedian,
    bindingOperation: binding?.bindingOperation ?? "—",
    maxFailed: Math.max(...f.ours.map((r) => r.failed)),
    describesPerMigrationTask: describes,
  };
}

const PREMISE = "1 DescribeMigrationTask per MigrationTask create (the bound's premise)";

export function fleetVerdicts(merged: Merged): Verdict[] {
  const f = merged.fleet;
  if (f === undefined || f.value.ours.length === 0) {
    return [
      notMeasured("fleet", "0 failed", "—"),
      notMeasured("fleet", `wall ≤ ${FLEET_SLACK} × rate-limit bound`, "—"),
      notMeasured("fleet", PREMISE, "—"),
    ];
  }
  const { size } = f.value;
  const subject = `fleet ${size.migrationTasks} + ${size.mgnImports} + ${size.adsImports}`;
  const s = fleetSummary(f.value);
  const limits = f.source.file.rateLimits;
  const ops = Object.keys(f.value.ours[0]?.bound?.callsNeeded ?? {}).sort();
  const assumes = ops
    .map((op) => {
      const [key, operation] = op.split(":") as [string, string];
      return formatLimit(op, limitFor(limits, key, operation));
    })
    .join("; ");
  return [
    {
      subject,
      target: "0 failed",
      ours: `${s.maxFailed} failed (worst of ${f.value.ours.length} run${f.value.ours.length === 1 ? "" : "s"})`,
      against: "—",
      status: mark(s.maxFailed === 0),
      assumes,
    },
    {
      subject,
      target: `wall ≤ ${FLEET_SLACK} × rate-limit bound`,
      ours: `${num(s.wall.median, 1)} s (median)`,
      against: `bound ${num(s.bound, 1)} s from the calls made (binding: ${s.bindingOperation}), × ${FLEET_SLACK} = ${num(FLEET_SLACK * s.bound, 1)} s`,
      status: mark(s.wall.median <= FLEET_SLACK * s.bound),
      assumes,
    },
    {
      subject,
      target: PREMISE,
      ours: `${num(s.describesPerMigrationTask)} (median of runs)`,
      against: "—",
      status: mark(s.describesPerMigrationTask <= 1),
      assumes,
    },
  ];
}
