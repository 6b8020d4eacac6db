import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { canonicalJson, deriveToken, type TokenParts } from "../../../../provider/core/tokens";

const parts: TokenParts = {
  stack: "dev",
  project: "migration",
  type: "ads:ImportTask",
  name: "servers-q3",
  inputs: { importUrl: "s3://b/k.csv", name: "q3" },
};

describe("core tokens", () => {
  describe("canonicalJson", () => {
    it("sorts keys at every depth and drops undefined members", () => {
      assert.equal(
        canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: undefined }, e: null }),
        '{"a":{"d":[3,{"z":1}]},"b":1,"e":null}',
      );
    });

    it("keeps array positions (undefined items become null) and writes bigint and Date as text", () => {
      assert.equal(
        canonicalJson([undefined, 10n, new Date(Date.UTC(2026, 0, 2))]),
        '[null,"10","2026-01-02T00:00:00.000Z"]',
      );
    });
  });

  describe("deriveToken", () => {
    it("is pam- plus the sha256 hex of the canonical parts, cut to 64 characters", () => {
      const hex = createHash("sha256").update(canonicalJson(parts)).digest("hex");
      assert.equal(deriveToken(parts), ("pam-" + hex).slice(0, 64));
      assert.equal(deriveToken(parts).length, 64);
    });

    it("does not depend on the order of input keys", () => {
      const reordered = { ...parts, inputs: { name: "q3", importUrl: "s3://b/k.csv" } };
      assert.equal(deriveToken(reordered), deriveToken(parts));
    });

    it("honours maxLength", () => {
      const t = deriveToken(parts, { maxLength: 36 });
      assert.equal(t.length, 36);
      assert.match(t, /^pam-[0-9a-f]{32}$/);
    });

    it("refuses a maxLength that leaves fewer than 16 hex digits", () => {
      assert.throws(
        () => deriveToken(parts, { maxLength: 19 }),
        /^InputValidationError: maxLength must be an integer >= 20 \(prefix plus 16 hex digits; got 19\)$/,
      );
    });

    const arbParts: fc.Arbitrary<TokenParts> = fc.record({
      stack: fc.string(),
      project: fc.string(),
      type: fc.string(),
      name: fc.string(),
      inputs: fc.dictionary(fc.string(), fc.jsonValue()),
    });

    it("is deterministic, at most maxLength long and printable ASCII", () => {
      fc.assert(
        fc.property(arbParts, fc.integer({ min: 20, max: 100 }), (p, maxLength) => {
          const a = deriveToken(p, { maxLength });
          const b = deriveToken(structuredClone(p), { maxLength });
          return a === b && a.length <= maxLength && /^[\x20-\x7e]+$/.test(a);
        }),
      );
    });

    it("differs when any part differs", () => {
      const keys = ["stack", "project", "type", "name"] as const;
      fc.assert(
        fc.property(arbParts, fc.constantFrom(...keys, "inputs"), fc.string(), (p, key, extra) => {
          const changed: TokenParts =
            key === "inputs"
              ? { ...p, inputs: { ...p.inputs, ["k" + extra]: ["changed", extra] } }
              : { ...p, [key]: p[key] + "·" + extra };
          return deriveToken(changed) !== deriveToken(p);
        }),
      );
    });
  });
});
