/**
 * Markdown for merged results: sources, rate limits, part 1 per service with the check against the
 * simulation, the verdicts, the fleet, state and cold start. The bench prints it for its own run;
 * bench/render.ts puts it into BENCHMARKS.md for every committed results file. Pure: the same
 * results render the same text. What a table did not measure shows "—", never 0.
 */
import type { FleetRun, Merged, PollFigures, PollResult, Source } from "./results";
import { STRATEGIES, STRATEGY_LABEL } from "./schedules";
import {
  MAX_DURATION_MS,
  MIN_DURATION_MS,
  SERVICE_INFO,
  SERVICE_NAMES,
  type ServiceName,
} from "./catalog";
import { round, spread, type Spread } from "./stats";
import {
  FLAG_RATIO,
  FLEET_SLACK,
  fleetSummary,
  fleetVerdicts,
  formatLimit,
  LAG_FLOOR_SECONDS,
  limitFor,
  num,
  pollVerdicts,
  type Verdict,
} from "./verdicts";

type Cells = readonly string[];

export function table(header: Cells, rows: readonly Cells[]): string {
  const esc = (c: string): string => c.replace(/\|/g, "\\|");
  return [header, header.map(() => "---"), ...rows]
    .map((r) => `| ${r.map(esc).join(" | ")} |`)
    .join("\n");
}

/** "A", "B", … by position among the merged sources. */
function refOf(merged: Merged, source: Source): string {
  return String.fromCharCode(65 + merged.sources.indexOf(source));
}

/** "12.3 (11.9–13.0)" for several runs, "12.3" for one, "—" for none. */
function ranged(s: Spread, digits: number, runs: number): string {
  if (!Number.isFinite(s.median)) return "—";
  if (runs <= 1 || s.min === s.max) return num(s.median, digits);
  return `${num(s.median, digits)} (${num(s.min, digits)}–${num(s.max, digits)})`;
}

function seconds(v: number | null): string {
  return v !== null && Number.isFinite(v) ? `${num(v, 1)} s` : "—";
}

function pct(v: number): string {
  return `${v >= 0 ? "+" : ""}${Math.round(v * 100)} %`;
}

/** The flags of a measured row: off its simulation, or its runs off each other. */
export function checks(r: PollResult): string[] {
  if (r.measured.length === 0) return [];
  const calls = spread(r.measured.map((m) => m.callsPerTask));
  const p50 = spread(r.measured.map((m) => m.lag.p50));
  const out: string[] = [];
  const sim: PollFigures | null = r.simulated;
  if (sim !== null) {
    const dc = (calls.median - sim.callsPerTask) / sim.callsPerTask;
    if (Math.abs(dc) > FLAG_RATIO) out.push(`⚠ calls ${pct(dc)} vs sim`);
    const failed = spread(r.measured.map((m) => m.failed)).median;
    if (failed !== sim.failed && Math.abs(failed - sim.failed) > FLAG_RATIO * sim.failed)
      out.push(`⚠ ${num(failed, 1)} failed vs ${sim.failed} in sim`);
    const s50 = sim.lag.p50;
    if (s50 !== null && Number.isFinite(p50.median)) {
      const d = p50.median - s50;
      if (Math.abs(d) > Math.max(FLAG_RATIO * s50, LAG_FLOOR_SECONDS))
        out.push(`⚠ p50 ${d >= 0 ? "+" : ""}${num(d, 1)} s vs sim`);
    }
  }
  if (r.measured.length > 1) {
    const sc = (calls.max - calls.min) / calls.median;
    if (sc > FLAG_RATIO) out.push(`⚠ runs' calls spread ${Math.round(sc * 100)} %`);
    const sl = p50.max - p50.min;
    if (sl > Math.max(FLAG_RATIO * p50.median, LAG_FLOOR_SECONDS))
      out.push(`⚠ runs' p50 spread ${num(sl, 1)} s`);
  }
  return out;
}

function pollRows(merged: Merged, service: ServiceName): Cells[] {
  const rows = merged.poll
    .filter((p) => p.value.service === service)
    .sort(
      (a, b) =>
        a.value.n - b.value.n ||
        STRATEGIES.indexOf(a.value.strategy) - STRATEGIES.indexOf(b.value.strategy),
    );
  return rows.map(({ value: r, source }) => {
    const runs = r.measured.length;
    const measured = runs > 0;
    const figs: readonly PollFigures[] = measured ? r.measured : r.simulated ? [r.simulated] : [];
    const col = (f: (x: PollFigures) => number | null, digits: number): string =>
      ranged(spread(figs.map(f)), digits, runs);
    const median = (f: (x: PollFigures) => number | null, digits: number): string =>
      num(spread(figs.map(f)).median, digits);
    const sim = r.simulated;
    const flags = checks(r);
    const check = !measured
      ? "—"
      : flags.length > 0
        ? flags.join("; ")
        : sim === null
          ? runs > 1
            ? "runs within 25 %"
            : "—"
          : "within 25 % of sim";
    return [
      `${r.n}`,
      STRATEGY_LABEL[r.strategy],
      measured ? `measured ×${runs}, S = ${r.timeScale}` : "simulated",
      col((x) => x.callsPerTask, 2),
      median((x) => x.throttledPerTask, 2),
      col((x) => x.lag.p50, 1),
      median((x) => x.lag.p95, 1),
      median((x) => x.lag.max, 1),
      median((x) => x.failed, 0),
      num(spread(figs.map((x) => x.emulatedSeconds)).median / 60, 0),
      measured && sim !== null
        ? `${num(sim.callsPerTask)} calls, p50 ${seconds(sim.lag.p50)}${sim.failed > 0 ? `, ${sim.failed} failed` : ""}`
        : "—",
      check,
      refOf(merged, source),
    ];
  });
}

export function renderSources(merged: Merged): string {
  if (merged.sources.length === 0) return "No results files yet.";
  return table(
    ["ref", "file", "command", "began (UTC)", "commit", "machine", "load before → after", "wall"],
    merged.sources.map((s) => {
      const f = s.file;
      return [
        refOf(merged, s),
        `\`bench/results/${s.name}\``,
        `\`${f.command}\``,
        f.date.slice(0, 16).replace("T", " "),
        `\`${f.commit}\``,
        `node ${f.env.node}, ${f.env.cpus} CPUs`,
        `${f.env.loadBefore.join("/")} → ${f.env.loadAfter.join("/")}`,
        `${num(f.wallSeconds / 60, 1)} min`,
      ];
    }),
  );
}

export function renderRateLimits(merged: Merged): string {
  const latest = merged.sources.at(-1);
  if (latest === undefined) return "—";
  const limits = latest.file.rateLimits;
  const rows: Cells[] = SERVICE_NAMES.map((service) => {
    const spec = SERVICE_INFO[service];
    return [
      spec.title,
      formatLimit(spec.startOperation, limitFor(limits, spec.key, spec.startOperation)),
      formatLimit(spec.describeOperation, limitFor(limits, spec.key, spec.describeOperation)),
    ];
  });
  const fleetOps = Object.keys(merged.fleet?.value.ours[0]?.bound?.callsNeeded ?? {}).sort();
  const fleetLimits = fleetOps
    .map((op) => {
      const [key, operation] = op.split(":") as [string, string];
      return formatLimit(op, limitFor(limits, key, operation));
    })
    .join("; ");
  const differ = merged.sources.filter(
    (s) => JSON.stringify(s.file.rateLimits) !== JSON.stringify(limits),
  );
  return [
    table(
      ["service", "start (peers paced at its rate)", "describe (what every poller spends)"],
      rows,
    ),
    "",
    `Fleet operations: ${fleetLimits || "—"}.`,
    ...(differ.length > 0
      ? [
          "",
          `Sources ${differ.map((s) => refOf(merged, s)).join(", ")} ran with other limits (see their files).`,
        ]
      : []),
  ].join("\n");
}

export function renderPoll(merged: Merged): string {
  const parts: string[] = [];
  for (const service of SERVICE_NAMES) {
    const rows = pollRows(merged, service);
    parts.push(`#### ${SERVICE_INFO[service].title}`, "");
    parts.push(
      rows.length === 0
        ? "Not measured."
        : table(
            [
              "N",
              "strategy",
              "how",
              "calls/task",
              "throttled/task",
              "lag p50 (s)",
              "p95 (s)",
              "max (s)",
              "failed",
              "span (min)",
              "simulation",
              "check",
              "src",
            ],
            rows,
          ),
      "",
    );
  }
  return parts.join("\n").trimEnd();
}

function verdictRows(vs: readonly Verdict[]): Cells[] {
  return vs.map((v) => [
    v.subject,
    v.target,
    v.ours,
    v.against,
    v.status === "met" ? "**met**" : v.status === "missed" ? "**MISSED**" : "not measured",
    v.assumes,
  ]);
}

export function renderVerdicts(merged: Merged): string {
  return table(
    ["case", "target", "ours", "against", "verdict", "assumes (default rate limits)"],
    verdictRows([...pollVerdicts(merged), ...fleetVerdicts(merged)]),
  );
}

export function renderFleet(merged: Merged): string {
  const f = merged.fleet;
  if (f === undefined) return "Not measured.";
  const { size } = f.value;
  const src = refOf(merged, f.source);
  const row = (label: string, rs: readonly FleetRun[]): Cells => {
    const n = rs.length;
    type Figure = "wallSeconds" | "throttled" | "retries" | "failed" | "requests";
    const col = (k: Figure): string => ranged(spread(rs.map((r) => r[k])), 1, n);
    return [
      label,
      `${n}`,
      col("wallSeconds"),
      col("throttled"),
      col("retries"),
      col("failed"),
      col("requests"),
      src,
    ];
  };
  const s = fleetSummary(f.value);
  const calls = f.value.ours[0]?.bound?.callsNeeded ?? {};
  return [
    `${size.migrationTasks} \`migrationhub.MigrationTask\` + ${size.mgnImports} \`mgn.ImportTask\` + ${size.adsImports} \`ads.ImportTask\`, created at once in real time against the default rate limits; ADS and MGN tasks take ${size.taskSeconds} s.`,
    "",
    table(
      ["strategy", "runs", "wall (s)", "throttled", "retries", "failed", "requests", "src"],
      [
        row("ours (limiter + adaptive throttle + batched waits)", f.value.ours),
        row("SDK default retry, no limiter (naive)", f.value.naive),
      ],
    ),
    "",
    `Rate-limit bound (median of runs): **${num(s.bound, 1)} s** — binding operation ${s.bindingOperation}, plus one ${size.taskSeconds} s task. Calls our code made (accepted, run 1): ${
      Object.entries(calls)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, c]) => `${op} ${c}`)
        .join(", ") || "—"
    }; ${num(s.describesPerMigrationTask)} DescribeMigrationTask per MigrationTask.`,
  ].join("\n");
}

export function renderState(merged: Merged): string {
  const st = merged.state;
  if (st === undefined) return "Not measured.";
  const src = refOf(merged, st.source);
  return table(
    [
      "resource",
      "`__provider` (bytes)",
      "state for 1,000 (MB)",
      "serialized",
      "target ≤ 2 KB",
      "src",
    ],
    st.value.map((r) => {
      const inline = r.resource.startsWith("inline");
      return [
        r.resource,
        `${r.providerBytes}`,
        num(r.totalBytesFor1000 / 1e6, 2),
        `${r.sampled}`,
        inline ? "— (peer pattern)" : r.providerBytes <= 2048 ? "**met**" : "**MISSED**",
        src,
      ];
    }),
  );
}

export function renderColdStart(merged: Merged): string {
  const c = merged.coldStart;
  if (c === undefined) return "Not measured.";
  const v = c.value;
  return table(
    ["case", "runs", "first AWS request p50 (ms)", "max (ms)", "host listening p50 (ms)", "src"],
    [
      [
        "fresh dynamic-provider host, one `ads.ImportTask`",
        `${v.runs}`,
        `${round(v.firstRequestMs.p50, 0)}`,
        `${round(v.firstRequestMs.max, 0)}`,
        `${round(v.hostReadyMs.p50, 0)}`,
        refOf(merged, c.source),
      ],
    ],
  );
}

/** Whether a full run backs the figures; which command produced them is in the Sources table. */
export function renderStatus(merged: Merged): string {
  const full = merged.sources.filter((s) => s.file.label === "full");
  if (merged.sources.length === 0) return "**No results yet.** Run `npm run bench`.";
  if (full.length === 0) {
    return [
      "**No full run is committed yet.** The figures below come only from the runs listed under Sources",
      '(their commands say what they covered); every target they do not cover reads "not measured".',
      "Run `npm run bench` for the full set.",
    ].join("\n");
  }
  const partial = merged.sources.filter((s) => !full.includes(s));
  return [
    `Figures from the full run${full.length > 1 ? "s" : ""} ${full.map((s) => `\`${s.file.command}\` (\`bench/results/${s.name}\`)`).join(", ")}`,
    partial.length === 0
      ? "and nothing else."
      : `and, for the rows they re-ran, ${partial.map((s) => `\`${s.file.command}\``).join(", ")}.`,
  ].join("\n");
}

/** Every generated section, keyed by the template placeholder that receives it. */
export function sections(merged: Merged): Record<string, string> {
  return {
    status: renderStatus(merged),
    "duration-range": `${MIN_DURATION_MS / 60_000}–${MAX_DURATION_MS / 60_000}`,
    "flag-percent": `${Math.round(FLAG_RATIO * 100)} %`,
    "lag-floor": `${LAG_FLOOR_SECONDS} emulated second${LAG_FLOOR_SECONDS === 1 ? "" : "s"}`,
    "fleet-slack": `${FLEET_SLACK}`,
    sources: renderSources(merged),
    "rate-limits": renderRateLimits(merged),
    verdicts: renderVerdicts(merged),
    poll: renderPoll(merged),
    fleet: renderFleet(merged),
    state: renderState(merged),
    "cold-start": renderColdStart(merged),
  };
}

/** The sections in order under headings, for the bench's own printout. */
export function renderReport(merged: Merged): string {
  const s = sections(merged);
  return [
    "## Sources",
    s["sources"],
    "## Rate limits assumed",
    s["rate-limits"],
    "## Targets",
    s["verdicts"],
    "## 1. Poll efficiency and detection lag",
    s["poll"],
    "## 2. Fleet under throttling",
    s["fleet"],
    "## 3. State size",
    s["state"],
    "## 4. Cold start",
    s["cold-start"],
  ].join("\n\n");
}
