import { strict as assert } from "node:assert";
import type { ProviderSettings } from "../../../../provider/core/config";
import {
  asInputs,
  checkProperties,
  diffProperties,
  echoOutputs,
  effective,
  inputsOf,
  type PropertyTable,
  waitTimeoutMs,
} from "../../../../provider/core/task/properties";
import { UNKNOWN } from "../../../../provider/core/unknown";

interface JobInputs {
  label?: string;
  source?: string;
  size?: number;
  tags?: Record<string, string>;
  adoptJobId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
}

const table: PropertyTable<JobInputs> = {
  label: {
    rule: { kind: "string", required: true, minLength: 1, maxLength: 5, fix: "name it" },
    requiredUnless: "adoptJobId",
    change: "replace",
    awsName: "Label",
  },
  source: {
    rule: { kind: "string" },
    // Only the part before "?" identifies the source (a presigned URL is re-signed every run).
    compareAs: (v) => (typeof v === "string" ? v.split("?")[0] : v),
    refine: (v, { settings }) =>
      typeof v === "string" && !v.startsWith("s3://")
        ? `must be an s3:// URL in ${settings.region ?? "?"}`
        : undefined,
    change: "replace",
    secret: true,
  },
  size: { rule: { kind: "integer", min: 1, max: 9 }, change: "replace", default: 1 },
  tags: { rule: { kind: "object" }, change: "replace" },
  adoptJobId: { rule: { kind: "string" }, change: "replace" },
  waitForCompletion: { rule: { kind: "boolean" }, change: "update", default: true },
  waitTimeoutMinutes: { rule: { kind: "integer", min: 1 }, change: "update", default: 30 },
};

const ctx = { settings: { endpoints: {}, region: "eu-west-1" } satisfies ProviderSettings };

describe("core/task properties", () => {
  describe("checkProperties", () => {
    const cases: {
      title: string;
      news: Record<string, unknown>;
      failures: { property: string; reason: string }[];
    }[] = [
      { title: "accepts valid inputs", news: { label: "a", source: "s3://b/k" }, failures: [] },
      {
        title: "reports a required input with its fix",
        news: {},
        failures: [{ property: "label", reason: "is required. Fix: name it" }],
      },
      {
        title: "waives required while requiredUnless is set",
        news: { adoptJobId: "j" },
        failures: [],
      },
      {
        title: "reports in table order, each refine right after its own rule",
        news: { label: "toolong", source: "http://x", size: 0, waitForCompletion: "yes" },
        failures: [
          { property: "label", reason: "must be 1–5 characters (got 7). Fix: name it" },
          { property: "source", reason: "must be an s3:// URL in eu-west-1" },
          { property: "size", reason: "must be between 1 and 9 (got 0)" },
          { property: "waitForCompletion", reason: "must be a boolean (got string)" },
        ],
      },
      {
        title: "skips refine when the rule already failed",
        news: { label: "a", source: 3 },
        failures: [{ property: "source", reason: "must be a string (got number)" }],
      },
      {
        title: "skips values unknown in preview, refine included",
        news: { label: UNKNOWN, source: UNKNOWN, size: UNKNOWN, tags: UNKNOWN },
        failures: [],
      },
    ];
    for (const c of cases) {
      it(c.title, () => {
        assert.deepEqual(checkProperties(table, c.news, ctx), c.failures);
      });
    }
  });

  describe("asInputs and inputsOf", () => {
    it("asInputs gives every table key and __provider, dropping mistyped values", () => {
      assert.deepEqual(
        asInputs(table, { label: "a", size: "2", tags: ["x"], waitTimeoutMinutes: 5, extra: 1 }),
        {
          label: "a",
          source: undefined,
          size: undefined,
          tags: undefined,
          adoptJobId: undefined,
          waitForCompletion: undefined,
          waitTimeoutMinutes: 5,
          __provider: undefined,
        },
      );
    });

    it("inputsOf keeps the set table keys and __provider, nothing else", () => {
      assert.deepEqual(
        inputsOf(table, { label: "a", jobId: "j", __provider: "p", size: undefined }),
        {
          label: "a",
          __provider: "p",
        },
      );
    });

    it("effective fills the table default; waitTimeoutMs takes the input, then config, then it", () => {
      assert.equal(effective(table, {}, "size"), 1);
      assert.equal(effective(table, { size: 4 }, "size"), 4);
      assert.equal(waitTimeoutMs(table, { waitTimeoutMinutes: 2 }, 7), 120_000);
      assert.equal(waitTimeoutMs(table, {}, 7), 420_000);
      assert.equal(waitTimeoutMs(table, {}, undefined), 1_800_000);
    });

    it("echoOutputs echoes the inputs and the named task fields, normalized", () => {
      const task = { jobId: "j", at: new Date(Date.UTC(2026, 0, 1)), missing: undefined, other: 1 };
      assert.deepEqual(
        echoOutputs(table, { label: "a", stray: 1 }, task, ["jobId", "at", "missing"]),
        {
          label: "a",
          jobId: "j",
          at: "2026-01-01T00:00:00.000Z",
        },
      );
    });
  });

  describe("diffProperties", () => {
    const olds = { label: "a", source: "s3://b/k?sig=1", jobId: "j-1", __provider: "old" };
    const news = { label: "a", source: "s3://b/k?sig=2", __provider: "new" };
    const none = { changes: false, replaces: [], deleteBeforeReplace: false };
    const update = { changes: true, replaces: [], deleteBeforeReplace: false };
    const replace = (...keys: string[]) => ({
      changes: true,
      replaces: keys,
      deleteBeforeReplace: false,
    });
    const table_: [string, Record<string, unknown>, unknown][] = [
      ["__provider alone (and a re-signed URL, via compareAs) is no change", news, none],
      ["spelling out a default is no change", { ...news, size: 1, waitForCompletion: true }, none],
      [
        "a changed replace key replaces",
        { ...news, label: "b", size: 2 },
        replace("label", "size"),
      ],
      ["an unknown replace key replaces", { ...news, label: UNKNOWN }, replace("label")],
      ["objects compare by content", { ...news, tags: { a: "1" } }, replace("tags")],
      ["a changed update key is an update", { ...news, waitTimeoutMinutes: 5 }, update],
      ["an unknown update key is an update", { ...news, waitForCompletion: UNKNOWN }, update],
      ["adopting the managed task changes nothing", { ...news, adoptJobId: "j-1" }, none],
      ["adopting another task replaces", { ...news, adoptJobId: "j-2" }, replace("adoptJobId")],
    ];
    for (const [title, n, expected] of table_) {
      it(title, () => {
        assert.deepEqual(
          diffProperties(table, olds, n, { id: "j-1", adoptProperty: "adoptJobId" }),
          expected,
        );
      });
    }

    it("key order in objects does not matter", () => {
      assert.deepEqual(
        diffProperties(
          table,
          { ...olds, tags: { a: "1", b: "2" } },
          { ...news, tags: { b: "2", a: "1" } },
        ),
        none,
      );
    });
  });

  describe("nested inputs (checkNested, narrow, unchangedWhen)", () => {
    interface Nested {
      source?: { bucket: string };
      list?: string[];
      tags?: Record<string, string>;
      adoptId?: string;
    }
    const nested: PropertyTable<Nested> = {
      source: {
        rule: { kind: "object", required: true },
        checkNested: (news) =>
          typeof (news["source"] as { bucket?: unknown }).bucket === "string"
            ? []
            : [{ property: "source.bucket", reason: "is required" }],
        narrow: (v) =>
          typeof v === "object" &&
          v !== null &&
          typeof (v as { bucket?: unknown }).bucket === "string"
            ? { bucket: (v as { bucket: string }).bucket }
            : undefined,
        change: "replace",
      },
      list: {
        rule: { kind: "custom" },
        checkNested: (news) =>
          news["list"] !== undefined && !Array.isArray(news["list"])
            ? [{ property: "list", reason: "must be a list" }]
            : [],
        change: "update",
      },
      tags: {
        rule: { kind: "object" },
        change: "replace",
        unchangedWhen: (olds, news) => olds["adoptId"] !== undefined && news["tags"] === undefined,
      },
      adoptId: { rule: { kind: "string" }, change: "replace" },
    };

    it("runs member rules right after the input's own rule, only when it passed, in table order", () => {
      assert.deepEqual(checkProperties(nested, { source: {}, list: 1 }, ctx), [
        { property: "source.bucket", reason: "is required" },
        { property: "list", reason: "must be a list" },
      ]);
      assert.deepEqual(checkProperties(nested, { source: 3 }, ctx), [
        { property: "source", reason: "must be an object (got number)" },
      ]);
    });

    it("narrows with the property's own function", () => {
      assert.deepEqual(asInputs(nested, { source: { bucket: "b", extra: 1 } })["source"], {
        bucket: "b",
      });
      assert.equal(asInputs(nested, { source: { bucket: 1 } })["source"], undefined);
    });

    it("ignores a difference unchangedWhen says is none (an adopted task's own tags)", () => {
      const olds = { adoptId: "j", tags: { team: "theirs" } };
      assert.deepEqual(diffProperties(nested, olds, { adoptId: "j" }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(
        diffProperties(nested, olds, { adoptId: "j", tags: { team: "ours" } }).replaces,
        ["tags"],
      );
    });
  });
});
