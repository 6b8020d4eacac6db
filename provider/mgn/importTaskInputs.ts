/**
 * The input rules a property table cannot say (nested shapes, map entries) and the narrowing of
 * nested inputs; sources: the StartImport API reference, MGN tagging limits and the MGN
 * import-parameters table. Values unknown in preview are skipped. Never throws.
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
 */
import { modelRule } from "../core/awsModel";
import {
  type CheckFailure,
  checkObject,
  checkString,
  checkStringArray,
  isPlainObject,
  type StringRule,
  typeName,
} from "../core/check";
import { containsUnknown, isUnknown } from "../core/unknown";
import type { InventorySelector } from "./inventory";
import { LIMITS, type S3BucketSource } from "./importTaskLogic";
import { MODEL } from "./model.generated";

/**
 * The members of S3BucketSource as the model has them. The lengths its patterns imply are said
 * first, so a long value reads as too long ([a-zA-Z0-9.-_]{1,255}; [^\x00]{1,1020}\.csv).
 */
const source = (member: string, extra: StringRule): StringRule =>
  modelRule(MODEL, "S3BucketSource", member, extra);
const SOURCE_RULES: Record<keyof S3BucketSource, StringRule> = {
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
const NAME = /^[^\s\x00]( *[^\s\x00])*$/; // eslint-disable-line no-control-regex

/** The lists of `deleteInventoryOnDelete`: key, the CSV column they match, what they name. */
const SELECTOR_LISTS = [
  ["userProvidedIds", "mgn:server:user-provided-id", "the servers' user-provided IDs"],
  ["applicationNames", "mgn:app:name", "the applications' names"],
  ["waveNames", "mgn:wave:name", "the waves' names"],
] as const;

export const SOURCE_FIX =
  'give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId';

/** The members of `s3BucketSource`, once it is an object. */
export function checkSource(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isPlainObject(news["s3BucketSource"])) {
    for (const [member, rule] of Object.entries(SOURCE_RULES)) {
      checkString(news, `s3BucketSource.${member}`, rule, failures);
    }
  }
  return failures;
}

/** The entries of `tags`, once it is an object. */
export function checkTags(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const tags = news["tags"];
  if (!isPlainObject(tags)) return failures;
  const entries = Object.entries(tags);
  if (entries.length > LIMITS.tagsMaxEntries) {
    failures.push({
      property: "tags",
      reason: `must have at most ${LIMITS.tagsMaxEntries} entries (got ${entries.length}). Fix: drop some tags`,
    });
  }
  for (const [key, value] of entries) {
    if (isUnknown(key)) continue;
    if (key.length > LIMITS.tagKeyMaxLength) {
      failures.push({
        property: `tags.${key.slice(0, 40)}`,
        reason: `key must be at most ${LIMITS.tagKeyMaxLength} characters (got ${key.length}). Fix: shorten the key`,
      });
    } else if (key.toLowerCase().startsWith("aws:")) {
      failures.push({
        property: `tags.${key}`,
        reason: 'key must not start with "aws:" (reserved for AWS). Fix: choose another key',
      });
    }
    if (containsUnknown(value)) continue;
    if (typeof value !== "string") {
      failures.push({
        property: `tags.${key}`,
        reason: `must be a string (got ${typeName(value)}). Fix: quote the value`,
      });
    } else if (value.length > LIMITS.tagValueMaxLength) {
      failures.push({
        property: `tags.${key}`,
        reason: `must be at most ${LIMITS.tagValueMaxLength} characters (got ${value.length}). Fix: shorten the value`,
      });
    }
  }
  return failures;
}

/** The members of `deleteInventoryOnDelete`, once it is an object; it must select something. */
export function checkSelector(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const property = "deleteInventoryOnDelete";
  const sel = news[property];
  if (!isPlainObject(sel)) return failures;
  checkObject(
    news,
    `${property}.tag`,
    { fix: 'use { key: "stack", value: "prod" } (the mgn:*:tag:<key> columns of the CSV)' },
    failures,
  );
  if (isPlainObject(sel["tag"])) {
    checkString(
      news,
      `${property}.tag.key`,
      {
        required: true,
        minLength: 1,
        maxLength: LIMITS.tagKeyMaxLength,
        fix: "give the tag key the CSV sets with mgn:server:tag:<key>, mgn:app:tag:<key> or mgn:wave:tag:<key>",
      },
      failures,
    );
    checkString(
      news,
      `${property}.tag.value`,
      {
        required: true,
        maxLength: LIMITS.tagValueMaxLength,
        fix: "give the tag value the CSV rows carry",
      },
      failures,
    );
  }
  for (const [key, column, what] of SELECTOR_LISTS) {
    checkStringArray(
      news,
      `${property}.${key}`,
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
      failures,
    );
  }
  if (failures.length > 0 || containsUnknown(sel)) return failures;
  const selects =
    sel["tag"] !== undefined ||
    SELECTOR_LISTS.some(([key]) => Array.isArray(sel[key]) && (sel[key] as unknown[]).length > 0);
  if (!selects) {
    failures.push({
      property,
      reason:
        "selects nothing. Fix: give tag and/or userProvidedIds, applicationNames, waveNames — or remove deleteInventoryOnDelete to retain the inventory on delete (the default)",
    });
  }
  return failures;
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

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
