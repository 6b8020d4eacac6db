import { strict as assert } from "node:assert";
import { EmulatorClock } from "../../../emulator/core/clock";
import { FaultInjector, RateLimiter } from "../../../emulator/core/faults";
import { SeededRandom } from "../../../emulator/core/random";
import { parseS3Url } from "../../../emulator/core/s3store";
import { uriEncode } from "../../../emulator/core/sigv4";
import { xmlChildren } from "../../../emulator/core/xml";
import { bucketFromHost, parseForm } from "../../../emulator/router";

describe("emulator core", () => {
  describe("EmulatorClock", () => {
    it("runs timeScale times faster than real time and keeps time continuous across a scale change", () => {
      let real = 1_000;
      const clock = new EmulatorClock(60, () => real, 5_000);
      real += 1_000;
      assert.equal(clock.now(), 65_000);
      clock.setTimeScale(1);
      real += 1_000;
      assert.equal(clock.now(), 66_000);
      clock.advance(10_000);
      assert.equal(clock.now(), 76_000);
      assert.equal(clock.realDelayUntil(86_000), 10_000);
    });

    it("refuses a non-positive time scale and a negative advance", () => {
      assert.throws(() => new EmulatorClock(0), /timeScale must be a positive number, got 0/);
      assert.throws(() => new EmulatorClock(1).advance(-1), /finite, non-negative/);
    });
  });

  describe("SeededRandom", () => {
    it("gives the same IDs for the same seed and different ones for another", () => {
      const a = new SeededRandom(42);
      const b = new SeededRandom(42);
      const c = new SeededRandom(43);
      const ids = [a.hex(32), a.alnum(17), a.uuid()];
      assert.deepEqual([b.hex(32), b.alnum(17), b.uuid()], ids);
      assert.notEqual(c.hex(32), ids[0]);
      assert.match(ids[0]!, /^[0-9a-f]{32}$/);
      assert.match(ids[2]!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });

  describe("RateLimiter", () => {
    it("lets a burst through, refuses the next call and refills at the rate", () => {
      const limiter = new RateLimiter({
        "ads:DescribeImportTasks": { ratePerSecond: 2, burst: 3 },
      });
      const results = [0, 0, 0, 0].map(() =>
        limiter.allow("111122223333", "ads", "DescribeImportTasks", 1_000),
      );
      assert.deepEqual(results, [true, true, true, false]);
      assert.equal(limiter.allow("111122223333", "ads", "DescribeImportTasks", 1_500), true);
      assert.equal(limiter.allow("111122223333", "ads", "DescribeImportTasks", 1_500), false);
      assert.equal(
        limiter.allow("444455556666", "ads", "DescribeImportTasks", 1_500),
        true,
        "buckets are per account",
      );
    });

    it("keeps one bucket per scope: the front door's account and region", () => {
      const limiter = new RateLimiter({ "ads:*": { ratePerSecond: 0, burst: 1 } });
      const calls = [
        "111122223333:us-west-2",
        "111122223333:us-west-2",
        "111122223333:eu-west-1",
        "444455556666:us-west-2",
      ].map((scope) => limiter.allow(scope, "ads", "DescribeImportTasks", 0));
      assert.deepEqual(calls, [true, false, true, true]);
    });

    it("lets everything through when turned off", () => {
      const limiter = new RateLimiter(false);
      for (let i = 0; i < 1_000; i++)
        assert.equal(limiter.allow("1", "ec2", "ImportImage", 0), true);
    });
  });

  describe("FaultInjector", () => {
    it("injects by probability, per service and operation, up to maxCount", () => {
      const faults = new FaultInjector(new SeededRandom(1));
      faults.set(
        [
          {
            service: "mgn",
            operation: "ListImports",
            kind: "throttle",
            probability: 1,
            maxCount: 2,
          },
        ],
        0,
      );
      const seen = [1, 2, 3].map(() => faults.decide("mgn", "ListImports", 0).fail);
      assert.deepEqual(seen, ["throttle", "throttle", undefined]);
      assert.deepEqual(faults.decide("ads", "ListImports", 0), { latencyMs: 0 });
    });

    it("adds latency without failing and stops after durationMs", () => {
      const faults = new FaultInjector(new SeededRandom(1));
      faults.set([{ kind: "latency", probability: 1, latencyMs: 250, durationMs: 1_000 }], 0);
      assert.deepEqual(faults.decide("ec2", "ImportImage", 500), { latencyMs: 250 });
      assert.deepEqual(faults.decide("ec2", "ImportImage", 1_500), { latencyMs: 0 });
    });

    it("rejects a probability outside 0..1", () => {
      assert.throws(
        () => new FaultInjector(new SeededRandom(1)).set([{ kind: "5xx", probability: 2 }], 0),
        /between 0 and 1/,
      );
    });
  });

  describe("parseS3Url", () => {
    const cases: [string, ReturnType<typeof parseS3Url>][] = [
      ["s3://imports/wave-1/servers.csv", { bucket: "imports", key: "wave-1/servers.csv" }],
      [
        "https://imports.s3.us-west-2.amazonaws.com/servers.csv",
        { bucket: "imports", key: "servers.csv" },
      ],
      [
        "https://s3.us-west-2.amazonaws.com/imports/a%20b.csv",
        { bucket: "imports", key: "a b.csv" },
      ],
      ["http://127.0.0.1:4566/imports/servers.csv", { bucket: "imports", key: "servers.csv" }],
      ["s3://imports", undefined],
      ["not a url", undefined],
    ];
    for (const [url, expected] of cases) {
      it(`parses ${url}`, () => assert.deepEqual(parseS3Url(url), expected));
    }
  });

  describe("wire helpers", () => {
    it("encodes per RFC 3986 as SigV4 requires", () => {
      assert.equal(uriEncode("a b*c!(d)'~"), "a%20b%2Ac%21%28d%29%27~");
    });

    it("renders EC2-style XML with item lists, escaping, and no absent members", () => {
      assert.equal(
        xmlChildren({ a: "x<y", list: [{ id: 1 }, { id: 2 }], gone: undefined, flag: false }),
        "<a>x&lt;y</a><list><item><id>1</id></item><item><id>2</id></item></list><flag>false</flag>",
      );
    });

    it("parses form bodies and virtual-hosted bucket names", () => {
      assert.deepEqual(
        [...parseForm("Action=ImportImage&DiskContainer.1.Url=s3%3A%2F%2Fb%2Fk&Description=a+b")],
        [
          ["Action", "ImportImage"],
          ["DiskContainer.1.Url", "s3://b/k"],
          ["Description", "a b"],
        ],
      );
      assert.equal(bucketFromHost("imports.localhost:4566"), "imports");
      assert.equal(bucketFromHost("imports.s3.us-west-2.localhost"), "imports");
      assert.equal(bucketFromHost("127.0.0.1:4566"), undefined);
    });
  });
});
