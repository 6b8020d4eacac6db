/**
 * The input rules a property table cannot say (nested shapes, map entries) and the narrowing of
 * nested inputs; sources: the StartImport API reference, MGN tagging limits and the MGN
 * import-parameters table. Values unknown in preview are skipped. Never throws.
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
 */
import { modelRule } from "../core/awsModel";
import { type CheckFailure, type Fields, isPlainObject, type StringRule } from "../core/check";
import { checkMap, checkMembers, modelMapRule } from "../core/task/helpers";
import { containsUnknown } from "../core/unknown";
import type { InventorySelector } from "./inventory";
import { LIMITS, type S3BucketSource } from "./importTaskLogic";
import { MODEL } from "./model.generated";

/**
 * The members of S3BucketSource as the model has them. The lengths its patterns imply are said
 * first, so a long value reads as too long ([a-zA-Z0-9.-_]{1,255}; [^\x00]{1,1020}\.csv).
 */
const source = (member: string, extra: StringRule): ["string", StringRule] => [
  "string",
  modelRule(MODEL, "S3BucketSource", member, extra),
];
const SOURCE_FIELDS: Record<keyof S3BucketSource, ["string", StringRule]> = {
  s3Bucket: source("s3Bucket", {
    required: true,
    minLength: 1,
    maxLength: 255,
    patternText: "[a-zA-Z0-9.-_]{1,255} (a bucket name, not an s3:// URL)",
    fix: 'give the bucket name alone, e.g. "migration-data"',
  }),
  s3Key: source("s3Key", {
    required: true,
    minLength: 5,
    maxLength: 1024,
    patternText: "an object key ending in .csv (MGN imports CSV files only)",
    fix: 'give the key of the CSV object, e.g. "inventory/wave-1.csv"',
  }),
  s3BucketOwner: source("s3BucketOwner", {
    patternText: "a 12-digit AWS account ID",
    fix: "give the bucket owner's account ID (the bucket must grant s3:GetObject to the caller), or omit it for a bucket in this account",
  }),
};

export const SOURCE_FIX =
  'give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId';

export const checkSource = (news: Record<string, unknown>): CheckFailure[] =>
  checkMembers(news, "s3BucketSource", SOURCE_FIELDS);

/** StartImport's TagsMap; the selector's tag is held to the same key and value rules. */
const TAGS = modelMapRule(MODEL, "StartImportRequest", "tags", {
  fix: "drop some tags",
  key: { fix: "shorten the key" },
  value: { fix: "shorten the value" },
  reservedPrefix: "aws:",
});

export const checkTags = (news: Record<string, unknown>): CheckFailure[] =>
  checkMap(news, "tags", TAGS);

const SELECTOR = "deleteInventoryOnDelete";
const TAG_FIELDS: Fields = {
  key: [
    "string",
    {
      ...TAGS.key,
      required: true,
      minLength: 1,
      fix: "give the tag key the CSV sets with mgn:server:tag:<key>, mgn:app:tag:<key> or mgn:wave:tag:<key>",
    },
  ],
  value: [
    "string",
    { ...TAGS.value, required: true, fix: "give the tag value the CSV rows carry" },
  ],
};
const NAME = /^[^\s\x00]( *[^\s\x00])*$/; // eslint-disable-line no-control-regex

/** The lists of `deleteInventoryOnDelete`: key, the CSV column they match, what they name. */
const SELECTOR_LISTS = [
  ["userProvidedIds", "mgn:server:user-provided-id", "the servers' user-provided IDs"],
  ["applicationNames", "mgn:app:name", "the applications' names"],
  ["waveNames", "mgn:wave:name", "the waves' names"],
] as const;
const LIST_FIELDS: Fields = Object.fromEntries(
  SELECTOR_LISTS.map(([key, column, what]) => [
    key,
    [
      "stringArray",
      {
        maxItems: LIMITS.selectorMaxItems,
        item: {
          minLength: 1,
          maxLength: LIMITS.inventoryNameMaxLength,
          pattern: NAME,
          patternText: "no leading, trailing or repeated whitespace",
          fix: `give ${what} as the CSV's ${column} column has them`,
        },
        fix: `give ${what} as a list of strings`,
      },
    ],
  ]),
);

/** The members of `deleteInventoryOnDelete`, once it is an object; it must select something. */
export function checkSelector(news: Record<string, unknown>): CheckFailure[] {
  const sel = news[SELECTOR];
  if (!isPlainObject(sel)) return [];
  const tagFix = 'use { key: "stack", value: "prod" } (the mgn:*:tag:<key> columns of the CSV)';
  const failures = [
    ...checkMembers(news, SELECTOR, { tag: ["object", { fix: tagFix }] }),
    ...checkMembers(news, `${SELECTOR}.tag`, TAG_FIELDS),
    ...checkMembers(news, SELECTOR, LIST_FIELDS),
  ];
  if (failures.length > 0 || containsUnknown(sel)) return failures;
  const selects =
    sel["tag"] !== undefined ||
    SELECTOR_LISTS.some(([key]) => Array.isArray(sel[key]) && (sel[key] as unknown[]).length > 0);
  if (selects) return [];
  const reason =
    "selects nothing. Fix: give tag and/or userProvidedIds, applicationNames, waveNames — or remove deleteInventoryOnDelete to retain the inventory on delete (the default)";
  return [{ property: SELECTOR, reason }];
}

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The string members of a map (wrong types were reported by check). */
export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isPlainObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

export function narrowSource(v: unknown): S3BucketSource | undefined {
  if (!isPlainObject(v)) return undefined;
  const s3Bucket = str(v["s3Bucket"]);
  const s3Key = str(v["s3Key"]);
  const owner = str(v["s3BucketOwner"]);
  if (s3Bucket === undefined || s3Key === undefined) return undefined;
  return { s3Bucket, s3Key, ...(owner === undefined ? {} : { s3BucketOwner: owner }) };
}

export function narrowSelector(v: unknown): InventorySelector | undefined {
  if (!isPlainObject(v)) return undefined;
  const selector: InventorySelector = {};
  const tag = v["tag"];
  if (isPlainObject(tag) && typeof tag["key"] === "string" && typeof tag["value"] === "string") {
    selector.tag = { key: tag["key"], value: tag["value"] };
  }
  for (const [key] of SELECTOR_LISTS) {
    const list = v[key];
    if (Array.isArray(list)) selector[key] = list.filter((x): x is string => typeof x === "string");
  }
  return selector;
}
