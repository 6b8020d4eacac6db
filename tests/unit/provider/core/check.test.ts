import { strict as assert } from "node:assert";
import {
  checkBoolean,
  checkInteger,
  checkList,
  checkNumber,
  checkObject,
  checkString,
  checkStringArray,
  getPath,
  type CheckFailure,
  type Fields,
} from "../../../../provider/core/check";
import { UNKNOWN } from "../../../../provider/core/unknown";

type Runner = (inputs: Record<string, unknown>, failures: CheckFailure[]) => void;

function run(check: Runner, inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  check(inputs, failures);
  return failures;
}

describe("core check", () => {
  const nameRule = {
    required: true,
    minLength: 1,
    maxLength: 100,
    fix: "give the task a short name",
  };
  const formatRule = { oneOf: ["VMDK", "VHD", "RAW"] as const };
  const table: Array<[string, Runner, Record<string, unknown>, CheckFailure[]]> = [
    ["a valid string", (i, f) => checkString(i, "name", nameRule, f), { name: "q3" }, []],
    [
      "a missing required string",
      (i, f) => checkString(i, "name", nameRule, f),
      {},
      [{ property: "name", reason: "is required. Fix: give the task a short name" }],
    ],
    [
      "an empty string",
      (i, f) => checkString(i, "name", nameRule, f),
      { name: "" },
      [
        {
          property: "name",
          reason: "must be 1–100 characters (got 0). Fix: give the task a short name",
        },
      ],
    ],
    [
      "a string of the wrong type",
      (i, f) => checkString(i, "name", { minLength: 1 }, f),
      { name: 5 },
      [{ property: "name", reason: "must be a string (got number)" }],
    ],
    [
      "a string over maxLength only",
      (i, f) => checkString(i, "name", { maxLength: 3 }, f),
      { name: "abcd" },
      [{ property: "name", reason: "must be at most 3 characters (got 4)" }],
    ],
    [
      "a pattern mismatch, shown with the pattern text",
      (i, f) =>
        checkString(
          i,
          "importUrl",
          {
            pattern: /^s3:\/\/[^/]+\/.+$/,
            patternText: "s3://bucket/key",
            fix: "point at the CSV in S3",
          },
          f,
        ),
      { importUrl: "https://x" },
      [
        {
          property: "importUrl",
          reason: 'must match s3://bucket/key (got "https://x"). Fix: point at the CSV in S3',
        },
      ],
    ],
    [
      "a value outside oneOf, nested in a list",
      (i, f) => checkString(i, "diskContainers[0].format", formatRule, f),
      { diskContainers: [{ format: "vmdk" }] },
      [
        {
          property: "diskContainers[0].format",
          reason: 'must be one of VMDK, VHD, RAW (got "vmdk")',
        },
      ],
    ],
    [
      "a nested required field under a dotted path",
      (i, f) => checkString(i, "s3BucketSource.s3Bucket", { required: true }, f),
      { s3BucketSource: {} },
      [{ property: "s3BucketSource.s3Bucket", reason: "is required" }],
    ],
    ["an UNKNOWN string", (i, f) => checkString(i, "name", nameRule, f), { name: UNKNOWN }, []],
    [
      "a field under an UNKNOWN object",
      (i, f) => checkString(i, "s3BucketSource.s3Bucket", { required: true }, f),
      { s3BucketSource: UNKNOWN },
      [],
    ],
    [
      "an integer in range",
      (i, f) => checkInteger(i, "waitTimeoutMinutes", { min: 1, max: 1440 }, f),
      { waitTimeoutMinutes: 60 },
      [],
    ],
    [
      "an integer out of range",
      (i, f) =>
        checkInteger(i, "waitTimeoutMinutes", { min: 1, max: 1440, fix: "use 1 to 1440" }, f),
      { waitTimeoutMinutes: 0 },
      [
        {
          property: "waitTimeoutMinutes",
          reason: "must be between 1 and 1440 (got 0). Fix: use 1 to 1440",
        },
      ],
    ],
    [
      "a fraction where an integer belongs",
      (i, f) => checkInteger(i, "n", { min: 1 }, f),
      { n: 1.5 },
      [{ property: "n", reason: "must be an integer (got 1.5)" }],
    ],
    [
      "a string where an integer belongs",
      (i, f) => checkInteger(i, "n", {}, f),
      { n: "5" },
      [{ property: "n", reason: "must be an integer (got string)" }],
    ],
    [
      "a number below min",
      (i, f) => checkNumber(i, "ratio", { min: 0.5 }, f),
      { ratio: 0.25 },
      [{ property: "ratio", reason: "must be at least 0.5 (got 0.25)" }],
    ],
    ["a fractional number", (i, f) => checkNumber(i, "ratio", { max: 1 }, f), { ratio: 0.25 }, []],
    [
      "a non-boolean",
      (i, f) => checkBoolean(i, "wait", { fix: "use true or false" }, f),
      { wait: "yes" },
      [{ property: "wait", reason: "must be a boolean (got string)" + ". Fix: use true or false" }],
    ],
    [
      "an UNKNOWN boolean",
      (i, f) => checkBoolean(i, "wait", { required: true }, f),
      { wait: UNKNOWN },
      [],
    ],
    [
      "a list with too many items and a bad item",
      (i, f) => checkStringArray(i, "ids", { maxItems: 2, item: { minLength: 2 } }, f),
      { ids: ["ab", "c", "de"] },
      [
        { property: "ids", reason: "must have at most 2 items (got 3)" },
        { property: "ids[1]", reason: "must be at least 2 characters (got 1)" },
      ],
    ],
    [
      "a list item of the wrong type, skipping UNKNOWN items",
      (i, f) => checkStringArray(i, "ids", { minItems: 1 }, f),
      { ids: [UNKNOWN, 3] },
      [{ property: "ids[1]", reason: "must be a string (got number)" }],
    ],
    [
      "a list that is not a list",
      (i, f) => checkStringArray(i, "ids", { required: true }, f),
      { ids: "a,b" },
      [{ property: "ids", reason: "must be a list of strings (got string)" }],
    ],
    [
      "an UNKNOWN list",
      (i, f) => checkStringArray(i, "ids", { minItems: 1 }, f),
      { ids: UNKNOWN },
      [],
    ],
    [
      "an array where an object belongs",
      (i, f) => checkObject(i, "s3BucketSource", { required: true }, f),
      { s3BucketSource: [] },
      [{ property: "s3BucketSource", reason: "must be an object (got array)" }],
    ],
    [
      "a missing required object",
      (i, f) =>
        checkObject(i, "s3BucketSource", { required: true, fix: "set s3Bucket and s3Key" }, f),
      {},
      [{ property: "s3BucketSource", reason: "is required. Fix: set s3Bucket and s3Key" }],
    ],
    [
      "an object holding UNKNOWN members",
      (i, f) => checkObject(i, "s3BucketSource", { required: true }, f),
      { s3BucketSource: { s3Bucket: UNKNOWN } },
      [],
    ],
  ];

  for (const [label, check, inputs, expected] of table) {
    it(`reports exactly the failures for ${label}`, () => {
      assert.deepEqual(run(check, inputs), expected);
    });
  }

  it("appends to the failures it is given and never throws", () => {
    const failures: CheckFailure[] = [{ property: "x", reason: "earlier" }];
    checkString({ name: null }, "name", { required: true }, failures);
    checkInteger({ n: {} }, "n", {}, failures);
    assert.deepEqual(failures, [
      { property: "x", reason: "earlier" },
      { property: "name", reason: "is required" },
      { property: "n", reason: "must be an integer (got object)" },
    ]);
  });

  it("redacts and shortens the value it quotes", () => {
    const failures: CheckFailure[] = [];
    checkString({ u: "https://b/k?X-Amz-Signature=secret" }, "u", { pattern: /^s3:/ }, failures);
    assert.deepEqual(failures, [
      { property: "u", reason: 'must match ^s3: (got "https://b/k?X-Amz-Signature=REDACTED")' },
    ]);
  });

  it("reads nested values by path", () => {
    assert.equal(getPath({ a: [{ b: { c: 7 } }] }, "a[0].b.c"), 7);
    assert.equal(getPath({ a: UNKNOWN }, "a.b"), undefined);
    assert.equal(getPath({}, "a.b"), undefined);
  });

  it("checks a list of objects: its length, each item's fields, and skips unknown items", () => {
    const failures: CheckFailure[] = [];
    const seen: number[] = [];
    const rule = {
      minItems: 1,
      maxItems: 3,
      fix: "give 1–3 items",
      itemFix: "give {name}",
      fields: { name: ["string", { required: true, fix: "name it" }] } satisfies Fields,
    };
    const items = [{ name: "a" }, [UNKNOWN], UNKNOWN, { name: UNKNOWN }, 5];
    checkList({ list: items }, "list", rule, failures, (_item, i) => seen.push(i));
    checkList({ list: {} }, "list", rule, failures, () => assert.fail("not a list"));
    checkList({ list: [] }, "list", rule, failures, () => assert.fail("no items"));
    assert.deepEqual(seen, [0, 3]);
    assert.deepEqual(failures, [
      { property: "list", reason: "must have 1–3 items (got 5). Fix: give 1–3 items" },
      { property: "list[4]", reason: "must be an object (got number). Fix: give {name}" },
      { property: "list", reason: "must be a list (got object). Fix: give 1–3 items" },
      { property: "list", reason: "must have 1–3 items (got 0). Fix: give 1–3 items" },
    ]);
  });
});
