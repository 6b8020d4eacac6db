/**
 * The reliability tier's scoreboard. Each scenario records what it ran and what it measured; a root
 * `after` hook (this module registers it when the first scenario file imports it, while mocha is
 * still loading files at the root suite) prints one table when the whole run ends — also inside
 * ./scripts/test. A column a scenario never recorded prints "—" (see ./table).
 */
import { merge, renderTable, type Row } from "./table";

export type { Row } from "./table";

const rows = new Map<string, Row>();

/**
 * Adds to a scenario's counters and marks each given column measured: `record(s, { lost: 0 })`
 * makes `lost` a measured 0. Scenarios record per test, so partial runs still show.
 */
export function record(scenario: string, add: Row): void {
  rows.set(scenario, merge(rows.get(scenario) ?? {}, add));
}

export function table(): string {
  return renderTable(rows);
}

after(function () {
  if (rows.size === 0) return;
  console.log(`\n  Reliability summary\n\n${table()}\n`);
});
