/**
 * The reliability tier's scoreboard. Each scenario records what it ran; a root `after` hook (this
 * module registers it when the first scenario file imports it, while mocha is still loading files
 * at the root suite) prints one table when the whole run ends — also inside ./scripts/test.
 */
export interface Counters {
  runs: number;
  faults: number;
  resources: number;
  lost: number;
  duplicated: number;
  secrets: number;
}

const rows = new Map<string, Counters>();

function empty(): Counters {
  return { runs: 0, faults: 0, resources: 0, lost: 0, duplicated: 0, secrets: 0 };
}

/** Adds to a scenario's counters (scenarios record per test, so partial runs still show). */
export function record(scenario: string, add: Partial<Counters>): void {
  const row = rows.get(scenario) ?? empty();
  for (const key of Object.keys(add) as (keyof Counters)[]) row[key] += add[key] ?? 0;
  rows.set(scenario, row);
}

export function counters(scenario: string): Counters {
  return { ...(rows.get(scenario) ?? empty()) };
}

const COLUMNS: [keyof Counters, string][] = [
  ["runs", "runs"],
  ["faults", "faults injected"],
  ["resources", "resources"],
  ["lost", "tasks lost"],
  ["duplicated", "tasks duplicated"],
  ["secrets", "secrets found"],
];

export function table(): string {
  const names = [...rows.keys()].sort();
  const total = empty();
  const body = names.map((name) => {
    const row = rows.get(name) ?? empty();
    for (const [key] of COLUMNS) total[key] += row[key];
    return [name, ...COLUMNS.map(([key]) => String(row[key]))];
  });
  const all = [
    ["scenario", ...COLUMNS.map(([, title]) => title)],
    ...body,
    ["total", ...COLUMNS.map(([key]) => String(total[key]))],
  ];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]): string =>
    "| " +
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ") +
    " |";
  const rule =
    "|" +
    widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") +
    "|";
  return [line(all[0]!), rule, ...body.map(line), rule, line(all[all.length - 1]!)].join("\n");
}

after(function () {
  if (rows.size === 0) return;
  console.log(`\n  Reliability summary\n\n${table()}\n`);
});
