import { strict as assert } from "node:assert";
import { isoTime, normalizeOutputs } from "../../../../provider/core/outputs";
import { containsUnknown, isUnknown, UNKNOWN } from "../../../../provider/core/unknown";

describe("core outputs", () => {
  describe("normalizeOutputs", () => {
    it("drops undefined, NaN and Infinity at every depth, turns Date and bigint into text", () => {
      const out = normalizeOutputs({
        id: "t-1",
        missing: undefined,
        count: 3,
        nan: NaN,
        inf: Infinity,
        done: false,
        none: null,
        started: new Date(Date.UTC(2026, 10, 24, 9, 30)),
        bytes: 12345678901234567890n,
        nested: {
          a: undefined,
          b: { c: new Date(0), d: undefined },
          list: [1, undefined, NaN, "x", { e: undefined }],
        },
      });
      assert.deepEqual(out, {
        id: "t-1",
        count: 3,
        done: false,
        none: null,
        started: "2026-11-24T09:30:00.000Z",
        bytes: "12345678901234567890",
        nested: { b: { c: "1970-01-01T00:00:00.000Z" }, list: [1, null, null, "x", {}] },
      });
    });

    it("drops an invalid Date and functions", () => {
      assert.deepEqual(normalizeOutputs({ d: new Date("nope"), f: () => 1, s: "kept" }), {
        s: "kept",
      });
    });
  });

  describe("isoTime", () => {
    const table: Array<[Date | number | string | undefined, string | undefined]> = [
      [new Date(Date.UTC(2026, 0, 1)), "2026-01-01T00:00:00.000Z"],
      [1_767_225_600_000, "2026-01-01T00:00:00.000Z"],
      ["2026-01-01T01:00:00+01:00", "2026-01-01T00:00:00.000Z"],
      ["yesterday", undefined],
      [undefined, undefined],
    ];
    for (const [input, expected] of table) {
      it(`turns ${String(input)} into ${String(expected)}`, () =>
        assert.equal(isoTime(input), expected));
    }
  });
});

describe("core unknown", () => {
  it("is the host's preview sentinel", () => {
    assert.equal(UNKNOWN, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    assert.equal(isUnknown(UNKNOWN), true);
    assert.equal(isUnknown("04da6b54"), false);
  });

  it("finds the sentinel at any depth", () => {
    assert.equal(containsUnknown({ a: [1, { b: UNKNOWN }] }), true);
    assert.equal(containsUnknown({ a: [1, { b: "x" }], c: null }), false);
    assert.equal(containsUnknown(UNKNOWN), true);
  });
});
