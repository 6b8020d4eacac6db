/**
 * Generates BENCHMARKS.md from bench/BENCHMARKS.template.md (the hand-written method) and every
 * results file in bench/results (every figure), so prose and tables cannot disagree. `--check`
 * exits 1 when the committed BENCHMARKS.md differs (tests/unit/bench/benchmarksMd.test.ts runs the
 * same comparison).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sections } from "./lib/report";
import { loadResults, merge } from "./lib/results";

const ROOT = join(__dirname, "..");
export const TEMPLATE = join(__dirname, "BENCHMARKS.template.md");
export const RESULTS = join(__dirname, "results");
export const OUTPUT = join(ROOT, "BENCHMARKS.md");

/** The template with each `{{name}}` replaced by its generated section. */
export function renderBenchmarks(template: string, resultsDir: string): string {
  const generated = sections(merge(loadResults(resultsDir)));
  return template.replace(/\{\{([a-z-]+)\}\}/g, (_, name: string) => {
    const text = generated[name];
    if (text === undefined) throw new Error(`template placeholder {{${name}}} has no section`);
    return text;
  });
}

function main(): void {
  const text = renderBenchmarks(readFileSync(TEMPLATE, "utf8"), RESULTS);
  if (process.argv.includes("--check")) {
    if (readFileSync(OUTPUT, "utf8") !== text) {
      process.stderr.write("BENCHMARKS.md is stale: run `npm run bench:render`\n");
      process.exit(1);
    }
    return;
  }
  writeFileSync(OUTPUT, text);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}

if (require.main === module) main();
