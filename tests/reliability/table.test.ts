/**
 * The scoreboard's rendering (pure): a number only where a scenario measured the column, "—"
 * elsewhere, and a total over measured cells only.
 */
import { strict as assert } from "node:assert";
import { merge, renderTable, type Row, totals } from "./table";

describe("reliability summary table", () => {
  describe("merge", () => {
    it("marks each given column measured, a 0 included, and adds to what was measured", () => {
      assert.deepEqual(merge({}, { runs: 1, lost: 0 }), { runs: 1, lost: 0 });
      assert.deepEqual(merge({ runs: 1, lost: 0 }, { runs: 2, secrets: 0 }), {
        runs: 3,
        lost: 0,
        secrets: 0,
      });
    });

    it("leaves a column unmeasured when no record names it", () => {
      assert.deepEqual(merge({ runs: 1 }, {}), { runs: 1 });
    });
  });

  describe("totals", () => {
    it("sums each column over the rows that measured it, and omits a column none measured", () => {
      assert.deepEqual(
        totals([
          { runs: 1, lost: 0 },
          { runs: 2, lost: 3 },
          { runs: 4, duplicated: 1 },
        ]),
        { runs: 7, lost: 3, duplicated: 1 },
      );
    });
  });

  describe("renderTable", () => {
    it("prints — in every cell its scenario did not measure, and totals measured cells only", () => {
      const rows = new Map<string, Row>([
        ["2 restart", { runs: 1, faults: 12, resources: 60, lost: 0, duplicated: 2, secrets: 0 }],
        ["1 storm", { runs: 1, faults: 1234, resources: 200, lost: 1, duplicated: 0 }],
        ["5 input", { runs: 6000, faults: 4321, resources: 6 }],
      ]);
      assert.equal(
        renderTable(rows),
        [
          "| scenario  | runs | faults injected | resources | tasks lost | tasks duplicated | secrets found |",
          "|-----------|-----:|----------------:|----------:|-----------:|-----------------:|--------------:|",
          "| 1 storm   |    1 |            1234 |       200 |          1 |                0 |             — |",
          "| 2 restart |    1 |              12 |        60 |          0 |                2 |             0 |",
          "| 5 input   | 6000 |            4321 |         6 |          — |                — |             — |",
          "|-----------|-----:|----------------:|----------:|-----------:|-----------------:|--------------:|",
          "| total     | 6002 |            5567 |       266 |          1 |                2 |             0 |",
        ].join("\n"),
      );
    });

    it("prints — on the total line for a column no scenario measured", () => {
      assert.equal(
        renderTable(new Map<string, Row>([["6 wire", { runs: 3, faults: 3, resources: 4 }]])),
        [
          "| scenario | runs | faults injected | resources | tasks lost | tasks duplicated | secrets found |",
          "|----------|-----:|----------------:|----------:|-----------:|-----------------:|--------------:|",
          "| 6 wire   |    3 |               3 |         4 |          — |                — |             — |",
          "|----------|-----:|----------------:|----------:|-----------:|-----------------:|--------------:|",
          "| total    |    3 |               3 |         4 |          — |                — |             — |",
        ].join("\n"),
      );
    });

    it("prints a measured 0 as 0, not —", () => {
      const out = renderTable(new Map<string, Row>([["s", { secrets: 0 }]]));
      assert.equal(
        out.split("\n")[2],
        "| s        |    — |               — |         — |          — |                — |             0 |",
      );
    });
  });
});
