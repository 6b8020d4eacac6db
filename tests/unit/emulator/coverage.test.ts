import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { render } from "../../../scripts/coverage-md";

describe("emulator/COVERAGE.md", () => {
  it("matches what the generator produces from the operation tables", () => {
    const committed = readFileSync(
      join(__dirname, "..", "..", "..", "emulator", "COVERAGE.md"),
      "utf8",
    );
    assert.equal(committed, render(), "stale: run npx tsx scripts/coverage-md.ts");
  });
});
