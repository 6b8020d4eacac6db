import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { OUTPUT, renderBenchmarks, RESULTS, TEMPLATE } from "../../../bench/render";

describe("BENCHMARKS.md", () => {
  it("is exactly what `npm run bench:render` makes of the template and bench/results/*.json", () => {
    const expected = renderBenchmarks(readFileSync(TEMPLATE, "utf8"), RESULTS);
    const actual = readFileSync(OUTPUT, "utf8");
    if (actual === expected) return;
    const a = actual.split("\n");
    const e = expected.split("\n");
    const line = a.findIndex((l, i) => l !== e[i]);
    assert.fail(
      `BENCHMARKS.md is stale (first difference at line ${line + 1}): run \`npm run bench:render\`` +
        ` and commit it with the results files it reads.\n  committed: ${a[line] ?? "(end)"}\n  rendered:  ${e[line] ?? "(end)"}`,
    );
  });
});
