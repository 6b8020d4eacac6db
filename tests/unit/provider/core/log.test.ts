import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { createLogger } from "../../../../provider/core/log";

describe("core log", () => {
  function setup() {
    const lines: string[] = [];
    const clock = new ManualClock({ start: 1_000_000 });
    const log = createLogger({ sink: (l) => lines.push(l), clock, minIntervalMs: 30_000 });
    return { lines, clock, log };
  }

  it("prefixes every line and ties it to the resource", () => {
    const { lines, log } = setup();
    log.info('mgn.ImportTask "wave-1"', "started import-123");
    log.warn('mgn.ImportTask "wave-1"', "2 rows failed");
    assert.deepEqual(lines, [
      '[aws-migration] mgn.ImportTask "wave-1": started import-123',
      '[aws-migration] mgn.ImportTask "wave-1": 2 rows failed',
    ]);
  });

  it("lets at most one progress line per resource through per interval", async () => {
    const { lines, clock, log } = setup();
    log.progress("a", "STARTED 10%");
    log.progress("a", "STARTED 20%");
    log.progress("b", "QUEUED");
    await clock.advance(29_999);
    log.progress("a", "STARTED 30%");
    await clock.advance(1);
    log.progress("a", "STARTED 40%");
    assert.deepEqual(lines, [
      "[aws-migration] a: STARTED 10%",
      "[aws-migration] b: QUEUED",
      "[aws-migration] a: STARTED 40%",
    ]);
  });

  it("never drops info or warn lines", () => {
    const { lines, log } = setup();
    for (let i = 0; i < 3; i++) log.info("a", `i${i}`);
    for (let i = 0; i < 3; i++) log.warn("a", `w${i}`);
    assert.equal(lines.length, 6);
  });

  it("redacts credentials in every line", () => {
    const { lines, log } = setup();
    log.info(
      "ads.ImportTask q3",
      "errors at https://b/e.zip?X-Amz-Signature=abc&X-Amz-Credential=AKIA",
    );
    log.progress("x", "secretAccessKey=abc123");
    assert.deepEqual(lines, [
      "[aws-migration] ads.ImportTask q3: errors at https://b/e.zip?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED",
      "[aws-migration] x: secretAccessKey=REDACTED",
    ]);
  });
});
