/**
 * The reliability scoreboard's rows and its rendering, kept pure so the exact strings can be tested.
 * A cell holds a number only when its scenario measured that column: a row is a partial record, and
 * a column absent from it prints "—". The total sums the measured cells of a column and prints "—"
 * when no scenario measured it.
 */
export type Column = "runs" | "faults" | "resources" | "lost" | "duplicated" | "secrets";

/** What one scenario measured: a present key is a measured column, even when its value is 0. */
export type Row = Partial<Record<Column, number>>;

/**
 * The columns in print order, with their headings. What each counts:
 * - runs: trials, property runs or requests the scenario made;
 * - faults: faults injected, kills, refusals the scenario caused;
 * - resources: resources the scenario declared;
 * - lost: resources whose task no start call recorded, or whose recorded task the emulator's own
 *   lists no longer hold;
 * - duplicated: tasks started beyond the one each resource should own (none for a resource whose
 *   create must fail, or that only runs check());
 * - secrets: occurrences of the scenario's secret markers in the state and logs it captured.
 */
export const COLUMNS: readonly (readonly [Column, string])[] = [
  ["runs", "runs"],
  ["faults", "faults injected"],
  ["resources", "resources"],
  ["lost", "tasks lost"],
  ["duplicated", "tasks duplicated"],
  ["secrets", "secrets found"],
];

/** Sign of a column no scenario measured (and of a cell its scenario did not measure). */
export const UNMEASURED = "—";

/** `row` with `add` added: each key of `add` becomes measured (0 included). */
export function merge(row: Row, add: Row): Row {
  const out: Row = { ...row };
  for (const [key] of COLUMNS) {
    const value = add[key];
    if (value !== undefined) out[key] = (out[key] ?? 0) + value;
  }
  return out;
}

/** The total of each column over the rows that measured it; undefined when none did. */
export function totals(rows: Iterable<Row>): Row {
  let total: Row = {};
  for (const row of rows) total = merge(total, row);
  return total;
}

function cell(row: Row, key: Column): string {
  const value = row[key];
  return value === undefined ? UNMEASURED : String(value);
}

/** The Markdown table: one line per scenario (sorted by name), a rule, then the total line. */
export function renderTable(rows: ReadonlyMap<string, Row>): string {
  const names = [...rows.keys()].sort();
  const body = names.map((name) => [name, ...COLUMNS.map(([key]) => cell(rows.get(name)!, key))]);
  const total = totals(rows.values());
  const all = [
    ["scenario", ...COLUMNS.map(([, title]) => title)],
    ...body,
    ["total", ...COLUMNS.map(([key]) => cell(total, key))],
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
