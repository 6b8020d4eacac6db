import { strict as assert } from "node:assert";
import type { EngineLink, LogEntry } from "../../../../provider/core/engine";
import { createLogger, urnLabel } from "../../../../provider/core/log";
import { ManualClock } from "../../../support/manualClock";

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

describe("core log through the engine", () => {
  const URN = "urn:pulumi:dev::demo::pulumi-nodejs:dynamic/mgn:ImportTask::wave-1";

  /** An engine that records each line and takes it unless `refuse` says otherwise. */
  function setup(opts: { refuse?: boolean; urn?: string } = {}) {
    const sent: LogEntry[] = [];
    const lines: string[] = [];
    const tickers: { ms: number; fn: () => void; stopped: boolean }[] = [];
    const clock = new ManualClock({ start: 1_000_000 });
    const engine: EngineLink = {
      log: (entry) => {
        sent.push(entry);
        return Promise.resolve(opts.refuse !== true);
      },
      flush: () => Promise.resolve(),
    };
    const log = createLogger({
      sink: (l) => lines.push(l),
      clock,
      engine,
      urn: () => ("urn" in opts ? opts.urn : URN),
      every: (ms, fn) => {
        const t = { ms, fn, stopped: false };
        tickers.push(t);
        return () => void (t.stopped = true);
      },
    });
    return { sent, lines, tickers, clock, log };
  }
  const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

  it("sends info and warnings on the resource's URN, named by its Pulumi name with the caller's label after it", async () => {
    const { sent, lines, log } = setup();
    log.info("mgn.ImportTask import-0a1b", "started (PENDING)");
    log.warn("mgn.ImportTask wave-1", "2 rows failed");
    await settle();
    assert.deepEqual(sent, [
      {
        severity: "info",
        message: "[aws-migration] mgn.ImportTask wave-1 (import-0a1b): started (PENDING)",
        urn: URN,
        ephemeral: false,
      },
      {
        severity: "warning",
        message: "[aws-migration] mgn.ImportTask wave-1: 2 rows failed",
        urn: URN,
        ephemeral: false,
      },
    ]);
    assert.deepEqual(lines, []);
  });

  it("writes the lines an engine refuses as before, progress rate-limited", async () => {
    const { lines, log } = setup({ refuse: true });
    log.warn("mgn.ImportTask import-0a1b", "2 rows failed");
    log.progress("mgn.ImportTask import-0a1b", "STARTED 10% (poll 1, 0s)");
    await settle();
    assert.deepEqual(lines, [
      "[aws-migration] mgn.ImportTask wave-1 (import-0a1b): 2 rows failed",
      "[aws-migration] mgn.ImportTask wave-1 (import-0a1b): STARTED 10% (poll 1, 0s)",
    ]);
  });

  it("keeps today's lines outside a resource's call (no URN)", async () => {
    const { sent, lines, log } = setup({ urn: undefined });
    log.progress("a", "STARTED 10%");
    await settle();
    assert.deepEqual(sent, []);
    assert.deepEqual(lines, ["[aws-migration] a: STARTED 10%"]);
    assert.equal(log.watch?.("a", 0), undefined);
  });

  it("sends progress as ephemeral status, the first at once and then at most one per 10 s", async () => {
    const { sent, clock, log } = setup();
    log.progress("r", "STARTED 10%");
    log.progress("r", "STARTED 20%");
    await clock.advance(10_000);
    log.progress("r", "STARTED 30%");
    await settle();
    assert.deepEqual(
      sent.map((e) => [e.message, e.ephemeral, e.urn]),
      [
        ["wave-1: STARTED 10%", true, URN],
        ["wave-1: STARTED 30%", true, URN],
      ],
    );
  });

  it("a wait's watch shows status, poll, elapsed time and next poll at its first sleep, then every 10 s until stopped", async () => {
    const { sent, tickers, clock, log } = setup();
    const watch = log.watch?.("r", clock.now());
    assert.ok(watch);
    const paced = watch.pace(clock);
    await clock.advance(2_000);
    watch.observed("STARTED 40%", 1);
    log.progress("r", "STARTED 40% (poll 1, 2s)"); // left to the watch
    void paced.sleep(15_000);
    assert.deepEqual(
      tickers.map((t) => t.ms),
      [10_000],
    );
    await clock.advance(10_000);
    tickers[0]!.fn();
    await clock.advance(5_000);
    watch.observed("STARTED 70%", 2);
    void paced.sleep(60_000);
    await clock.advance(50_000);
    tickers[0]!.fn();
    watch.stop();
    await settle();
    assert.deepEqual(
      sent.map((e) => [e.message, e.ephemeral, e.severity, e.urn]),
      [
        ["wave-1: STARTED 40% (poll 1, 2s elapsed, next poll in 15s)", true, "info", URN],
        ["wave-1: STARTED 40% (poll 1, 12s elapsed, next poll in 5s)", true, "info", URN],
        ["wave-1: STARTED 70% (poll 2, 1m 7s elapsed, next poll in 10s)", true, "info", URN],
      ],
    );
    assert.equal(tickers[0]!.stopped, true);
    // Once stopped, progress lines of the resource are its status again.
    log.progress("r", "SUCCEEDED");
    await settle();
    assert.equal(sent.at(-1)?.message, "wave-1: SUCCEEDED");
  });

  it("names a component's child by its own type and name", () => {
    assert.equal(
      urnLabel("urn:pulumi:dev::demo::my:Wave$pulumi-nodejs:dynamic/ads:ImportTask::servers"),
      "ads.ImportTask servers",
    );
    assert.equal(
      urnLabel("urn:pulumi:dev::demo::aws:s3/bucket:Bucket::b"),
      "aws:s3/bucket:Bucket b",
    );
  });
});
