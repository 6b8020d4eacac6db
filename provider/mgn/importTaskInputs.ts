/**
 * The inputs of `mgn.ImportTask`: the property table and its nested members' rules (from MGN's
 * model where it has them).
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
 */
import { modelRule } from "../core/awsModel";
import { type CheckFailure, type Fields, isPlainObject, type StringRule } from "../core/check";
import { checkMap, checkMembers, modelMapRule } from "../core/task/helpers";
import {
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import { containsUnknown } from "../core/unknown";
import { narrowSource, type S3BucketSource, stringMap } from "./api";
import type { InventorySelector } from "./inventory";
import { MODEL } from "./model.generated";

/** Inputs after check(), narrowed (all optional: they arrive untyped). */
export interface ImportTaskInputs {
  s3BucketSource?: S3BucketSource;
  clientToken?: string;
  tags?: Record<string, string>;
  adoptImportId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  failOnRowErrors?: boolean;
  deleteInventoryOnDelete?: InventorySelector;
}

/** S3BucketSource per the model; the lengths its patterns imply come first (too long reads so). */
const source = (member: string, extra: StringRule): ["string", StringRule] => [
  "string",
  modelRule(MODEL, "S3BucketSource", member, extra),
];
const SOURCE_FIELDS: Fields = {
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

/** StartImport's TagsMap; the selector's tag is held to the same key and value rules. */
const TAGS = modelMapRule(MODEL, "StartImportRequest", "tags", {
  fix: "drop some tags",
  key: { fix: "shorten the key" },
  value: { fix: "shorten the value" },
  reservedPrefix: "aws:",
});

const SELECTOR = "deleteInventoryOnDelete";
const KEY_FIX =
  "give the tag key the CSV sets with mgn:server:tag:<key>, mgn:app:tag:<key> or mgn:wave:tag:<key>";
const TAG_FIELDS: Fields = {
  key: ["string", { ...TAGS.key, required: true, minLength: 1, fix: KEY_FIX }],
  value: [
    "string",
    { ...TAGS.value, required: true, fix: "give the tag value the CSV rows carry" },
  ],
};

/** The lists of `deleteInventoryOnDelete`: key, the CSV column they match, what they name. */
const SELECTOR_LISTS = [
  ["userProvidedIds", "mgn:server:user-provided-id", "the servers' user-provided IDs"],
  ["applicationNames", "mgn:app:name", "the applications' names"],
  ["waveNames", "mgn:wave:name", "the waves' names"],
] as const;
const NAME: StringRule = {
  minLength: 1,
  maxLength: 256,
  pattern: /^[^\s\x00]( *[^\s\x00])*$/, // eslint-disable-line no-control-regex
  patternText: "no leading, trailing or repeated whitespace",
};
const LIST_FIELDS: Fields = Object.fromEntries(
  SELECTOR_LISTS.map(([key, column, what]) => {
    const item = { ...NAME, fix: `give ${what} as the CSV's ${column} column has them` };
    const fix = `give ${what} as a list of strings`;
    return [key, ["stringArray", { maxItems: 1000, item, fix }]];
  }),
);

/** The members of `deleteInventoryOnDelete`, once it is an object; it must select something. */
function checkSelector(news: Record<string, unknown>): CheckFailure[] {
  const sel = news[SELECTOR];
  if (!isPlainObject(sel)) return [];
  const tagFix = 'use { key: "stack", value: "prod" } (the mgn:*:tag:<key> columns of the CSV)';
  const failures = [
    ...checkMembers(news, SELECTOR, { tag: ["object", { fix: tagFix }] }),
    ...checkMembers(news, `${SELECTOR}.tag`, TAG_FIELDS),
    ...checkMembers(news, SELECTOR, LIST_FIELDS),
  ];
  if (failures.length > 0 || containsUnknown(sel)) return failures;
  const lists = SELECTOR_LISTS.map(([key]) => sel[key]);
  if (sel["tag"] !== undefined || lists.some((l) => Array.isArray(l) && l.length > 0)) return [];
  const reason =
    "selects nothing. Fix: give tag and/or userProvidedIds, applicationNames, waveNames — or remove deleteInventoryOnDelete to retain the inventory on delete (the default)";
  return [{ property: SELECTOR, reason }];
}

/** The selector's members of the right type (wrong types were reported by check). */
function narrowSelector(v: unknown): InventorySelector | undefined {
  if (!isPlainObject(v)) return undefined;
  const tag = stringMap(v["tag"]);
  const [key, value] = [tag?.["key"], tag?.["value"]];
  const selector: InventorySelector = {};
  if (key !== undefined && value !== undefined) selector.tag = { key, value };
  for (const [k] of SELECTOR_LISTS) {
    const list = v[k];
    if (Array.isArray(list)) selector[k] = list.filter((x): x is string => typeof x === "string");
  }
  return selector;
}

const BOOLEAN = { kind: "boolean", fix: "use true or false" } as const;

/** Each input once, in check order. */
export const properties: PropertyTable<ImportTaskInputs & SourceInputs> = {
  sourceEtag: sourceEtagProperty,
  s3BucketSource: {
    rule: {
      kind: "object",
      required: true,
      fix: 'give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId',
    },
    requiredUnless: "adoptImportId",
    checkNested: (news) => checkMembers(news, "s3BucketSource", SOURCE_FIELDS),
    change: "replace",
    awsName: "s3BucketSource",
    narrow: narrowSource,
  },
  clientToken: {
    rule: {
      kind: "string",
      ...modelRule(MODEL, "StartImportRequest", "clientToken", {
        minLength: 1,
        pattern: /^[\x21-\x7e]+$/,
        patternText: "printable ASCII without spaces",
        fix: "use 1–64 printable characters, or omit it and let the provider derive one from the stack, the URN and s3BucketSource/tags",
      }),
    },
    change: "update",
    awsName: "clientToken",
  },
  // Only StartImport sets tags; MGN marks them sensitive.
  tags: {
    rule: { kind: "object", fix: 'use a map of strings, e.g. { wave: "1" }' },
    checkNested: (news) => checkMap(news, "tags", TAGS),
    change: "replace",
    secret: true,
    awsName: "tags",
    narrow: stringMap,
    // The tags output of an adopted import are MGN's: leaving the input unset keeps them.
    unchangedWhen: (olds, news) =>
      olds["adoptImportId"] !== undefined && news["tags"] === undefined,
  },
  adoptImportId: {
    rule: {
      kind: "string",
      pattern: /^import-[0-9a-zA-Z]{17}$/,
      patternText: "import- followed by 17 letters or digits",
      fix: "copy importID from `aws mgn list-imports`",
    },
    change: "replace",
  },
  waitForCompletion: { rule: BOOLEAN, change: "update", default: true },
  failOnRowErrors: { rule: BOOLEAN, change: "update", default: false },
  // Imports of large inventories run for a long time; MGN publishes no duration.
  waitTimeoutMinutes: waitTimeoutProperty(180),
  deleteInventoryOnDelete: {
    rule: {
      kind: "object",
      fix: 'use { tag: { key, value } } and/or { userProvidedIds, applicationNames, waveNames }, e.g. { tag: { key: "stack", value: "prod" } }',
    },
    checkNested: checkSelector,
    change: "update",
    narrow: narrowSelector,
  },
};
