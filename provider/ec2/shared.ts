/** Pure facts and helpers of the EC2 VM Import resources (aws-apis.md §4); no I/O. */
import * as checks from "../core/check";
import { isAwsApiError, summarizeObserved } from "../core/errors";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import type { MapRule } from "../core/task/helpers";
import type { PropertySpec } from "../core/task/properties";
import { containsUnknown } from "../core/unknown";

/** Unknown or aged-out task IDs: image tasks answer the conversion-task codes too (§4.5). */
const TASK_NOT_FOUND: ReadonlySet<string> = new Set([
  "InvalidConversionTaskId",
  "InvalidConversionTaskId.Malformed",
  "InvalidConversionTaskId.NotFound",
]);
/** What EC2 answers for an ID it does not know (or no longer: deleted, aged out), by ID member. */
export const NOT_FOUND_CODES = {
  importTaskId: TASK_NOT_FOUND,
  conversionTaskId: TASK_NOT_FOUND,
  imageId: new Set(["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"]),
  snapshotId: new Set(["InvalidSnapshot.NotFound"]),
  instanceId: new Set(["InvalidInstanceID.NotFound"]),
  volumeId: new Set(["InvalidVolume.NotFound"]),
};
/** CancelImportTask / CancelConversionTask on a task that is no longer active. */
export const CANNOT_CANCEL_CODE = "DeleteConversionTaskError";

/** Status recorded when Describe no longer returns the task. */
export const GONE = "GONE";

/** EC2 describe calls accept many IDs; 100 per call keeps responses small and pages rare. */
export const DESCRIBE_BATCH_SIZE = 100;

/**
 * Polling between 15 s and 120 s, as the SDK's EC2 import waiters do (aws-apis.md §4.7); polls,
 * the first included, land on a 1 s grid (or ride along a round) so concurrent waits share them.
 */
export const POLL = {
  minDelayMs: 15_000,
  maxDelayMs: 120_000,
  gridMs: 1_000,
  alignFirstPoll: true,
} as const;

/** S3 bucket names: 3–63 lowercase letters, digits, dots and hyphens, alphanumeric at both ends. */
export const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const BUCKET_TEXT = "3–63 lowercase letters, digits, dots or hyphens";

/**
 * What identifies a URL for diff and token purposes: a presigned URL is re-signed on every run
 * (new X-Amz-Date / Signature), so only scheme, host and path count; the query is dropped.
 */
export function stableUrl(url: string): string {
  if (!isCredentialBearingUrl(url) && !/[?&](X-Amz-|Signature=|Expires=)/i.test(url)) return url;
  const q = url.indexOf("?");
  return q < 0 ? url : url.slice(0, q);
}

/** A deep copy of `value` with every string that is a URL replaced by its stableUrl. */
export function stableValue(value: unknown): unknown {
  if (typeof value === "string")
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? stableUrl(value) : value;
  if (Array.isArray(value)) return value.map(stableValue);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stableValue(v)]));
}

/** Progress text (`"27"`, `"27%"`, `"Progress: 27%"`) as a number 0–100, or undefined. */
export function parseProgress(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /(\d+(?:\.\d+)?)\s*%?/.exec(text);
  if (m?.[1] === undefined) return undefined;
  const n = Number(m[1]);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

/** EC2 tags as a map (`{ Name: "web" }`): at most 50; keys 1–128 characters, not aws:. */
export const TAGS: MapRule = {
  maxEntries: 50,
  fix: "drop tags or move them to the AMI afterwards",
  key: { minLength: 1, maxLength: 128, fix: "shorten the key" },
  value: { maxLength: 256, fix: "shorten the value" },
  reservedPrefix: "aws:",
};

/**
 * A disk image URL: `s3://bucket/key`, or an https:// object URL (presigned or not); http only on a
 * configured endpoint's origin (the emulator's S3).
 */
function checkDiskUrl(url: string, origins: readonly string[]): string | undefined {
  const fix =
    "Fix: use s3://bucket/key, the https:// object URL (presigned URLs are fine: they are kept secret), or userBucket";
  if (/^s3:\/\/[^/]+\/.+/.test(url)) {
    const bucket = /^s3:\/\/([^/]+)\//.exec(url)?.[1] ?? "";
    return BUCKET.test(bucket)
      ? undefined
      : `must name a valid S3 bucket (got "${bucket}": ${BUCKET_TEXT}). ${fix}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `must be an s3:// or https:// URL of an S3 object (got an unparsable URL). ${fix}`;
  }
  if (parsed.protocol !== "https:" && !origins.includes(parsed.origin)) {
    return `must use the https:// or s3:// scheme (got "${redactUrl(url).slice(0, 80)}"). ${fix}`;
  }
  return parsed.pathname.length <= 1
    ? `must name an S3 object, not just a host. ${fix}`
    : undefined;
}

const DEVICE_NAME: checks.StringRule = {
  pattern: /^(?:\/dev\/)?[a-z][a-z0-9]*$/,
  patternText: "a device name such as /dev/sda1 or xvdb",
  fix: "use /dev/sda1 for the boot disk, or omit it and let VM Import assign one",
};
const SNAPSHOT_ID: checks.StringRule = {
  pattern: /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/,
  patternText: "snap- followed by 8 or 17 hex digits",
  fix: "copy the snapshot ID from `aws ec2 describe-snapshots`",
};

/** How ImportImage's and ImportSnapshot's disk containers name their disk. */
export interface DiskRules {
  /** `url`, `userBucket`, and for ImportImage `snapshotId`: exactly one is given. */
  sources: readonly string[];
  formats: readonly string[];
  formatFix: string;
  /** The fix when no source is given. */
  noneFix: string;
}

/**
 * The disk container at `path` (an object): its description (and, with snapshotId among the
 * sources, its device name and snapshot ID), exactly one source, the format (not for a snapshot),
 * the URL (`origins`: endpoints whose http URLs count as S3) and the userBucket.
 */
export function checkDisk(
  news: Record<string, unknown>,
  path: string,
  rules: DiskRules,
  origins: readonly string[],
  failures: checks.CheckFailure[],
): void {
  const disk = checks.getPath(news, path) as Record<string, unknown>;
  const at = (member: string): string => `${path}.${member}`;
  const imageDisk = rules.sources.includes("snapshotId");
  const fix = "use 1–255 characters";
  checks.checkString(news, at("description"), { minLength: 1, maxLength: 255, fix }, failures);
  if (imageDisk) checks.checkString(news, at("deviceName"), DEVICE_NAME, failures);
  const given = rules.sources.filter((k) => disk[k] !== undefined && disk[k] !== null);
  // One source not known yet: the exclusivity rule is checked at `up`.
  if (given.length !== 1 && !given.some((k) => containsUnknown(disk[k]))) {
    const names = `${rules.sources.slice(0, -1).join(", ")} or ${rules.sources.at(-1)}`;
    const got = given.join(" and ") || "none";
    const reason = `must name its disk with exactly one of ${names} (got ${got})`;
    const fix = given.length === 0 ? rules.noneFix : "keep one of them";
    failures.push({ property: path, reason: `${reason}. Fix: ${fix}` });
  }
  const formatRule = {
    required: given.length === 0 ? !imageDisk : given.join() !== "snapshotId",
    pattern: new RegExp(`^(?:${rules.formats.join("|")})$`, "i"),
    patternText: `one of ${rules.formats.join(", ")} (any case)`,
    fix: rules.formatFix,
  };
  checks.checkString(news, at("format"), formatRule, failures);
  const before = failures.length;
  const urlFix = "use s3://bucket/key or the https:// object URL";
  checks.checkString(news, at("url"), { minLength: 1, fix: urlFix }, failures);
  const url = disk["url"];
  if (failures.length === before && typeof url === "string" && !containsUnknown(url)) {
    const reason = checkDiskUrl(url, origins);
    if (reason !== undefined) failures.push({ property: at("url"), reason });
  }
  const bucketBefore = failures.length;
  checks.checkObject(news, at("userBucket"), { fix: "use { s3Bucket, s3Key }" }, failures);
  if (disk["userBucket"] !== undefined && failures.length === bucketBefore) {
    const bucket = { pattern: BUCKET, patternText: BUCKET_TEXT };
    const bucketFix = "name the S3 bucket that holds the disk image";
    const keyFix = "give the disk image's object key, e.g. vms/web.vmdk";
    checks.checkFields(
      news,
      at("userBucket"),
      {
        s3Bucket: ["string", { required: true, ...bucket, fix: bucketFix }],
        s3Key: ["string", { required: true, minLength: 1, maxLength: 1024, fix: keyFix }],
      },
      failures,
    );
  }
  if (imageDisk) checks.checkString(news, at("snapshotId"), SNAPSHOT_ID, failures);
}

/** Tags map → the SDK's TagSpecifications for `resourceType`, keys sorted. */
export function tagSpecifications(
  tags: Record<string, string> | undefined,
  resourceType: string,
): { ResourceType: string; Tags: { Key: string; Value: string }[] }[] | undefined {
  if (tags === undefined || Object.keys(tags).length === 0) return undefined;
  const Tags = Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] ?? "" }));
  return [{ ResourceType: resourceType, Tags }];
}

/** What names the import in messages: its description, else its task ID. */
export function labelOf(description: unknown, fallbackId: unknown): string {
  if (typeof description === "string" && description.length > 0) return description;
  // check() labels its warning before validating: an unchecked adopt ID may be any JSON value,
  // and `${value}` throws for an object whose toString is not a function.
  return typeof fallbackId === "string" && fallbackId.length > 0 ? fallbackId : "(new)";
}

/** ` after 4 polls (active×3)`: the poll count and the statuses seen before the last one. */
export function pollHistory(wait: { polls: number; observed: readonly string[] }): string {
  const before = wait.observed.slice(0, -1);
  const history = before.length > 0 ? ` (${summarizeObserved(before)})` : "";
  return ` after ${wait.polls} poll${wait.polls === 1 ? "" : "s"}${history}`;
}

/** The failures a rule written as `(…, failures) => void` reports, for a table's checkNested. */
export function collect(check: (failures: checks.CheckFailure[]) => void): checks.CheckFailure[] {
  const failures: checks.CheckFailure[] = [];
  check(failures);
  return failures;
}

/** A nested input `check` validates, sent as `awsName`; a change replaces the resource. */
export function nestedInput(
  awsName: string,
  check: (news: Record<string, unknown>, failures: checks.CheckFailure[]) => void,
): PropertySpec {
  return {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => check(news, f)),
    change: "replace",
    awsName,
  };
}

/**
 * The delete options' cross-field rules: keeping the artifact (`whole`, the AMI or instance) keeps
 * what it uses (`part`, its snapshots or volume), and retainOnDelete keeps everything.
 */
export function checkRetainOptions(
  news: Record<string, unknown>,
  failures: checks.CheckFailure[],
  rule: { whole: string; part: string; why: string },
): void {
  const { whole, part } = rule;
  if (news[whole] === true && news[part] === false) {
    failures.push({
      property: part,
      reason: `cannot be false while ${whole} is true: ${rule.why}. Fix: remove ${part} or set ${whole} to false`,
    });
  }
  if (news["retainOnDelete"] === true && (news[whole] === false || news[part] === false)) {
    failures.push({
      property: "retainOnDelete",
      reason: `keeps everything, which contradicts ${whole}/${part}: false. Fix: drop retainOnDelete and use the per-artifact options`,
    });
  }
}

/**
 * The request fields of `inputs` in the SDK's names: each input with an `awsName` in `properties`,
 * its nested keys in PascalCase (`userBucket.s3Bucket` → `UserBucket.S3Bucket`), undefined dropped.
 */
export function awsFields(
  properties: Readonly<Record<string, { awsName?: string }>>,
  inputs: object,
): Record<string, unknown> {
  const values = inputs as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const [key, p] of Object.entries(properties)) {
    if (p.awsName !== undefined && values[key] !== undefined)
      fields[p.awsName] = pascal(values[key]);
  }
  return fields;
}

/** `value` with every object key in PascalCase and undefined members dropped. */
export function pascal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascal);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), pascal(v)]),
  );
}

/** Drops undefined members (the SDK would serialize nothing for them anyway; tests compare). */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A `.catch` handler that swallows the given not-found codes (the thing is already gone). */
export function ignore(codes: ReadonlySet<string>): (err: unknown) => void {
  return (err) => {
    if (isAwsApiError(err) && codes.has(err.code)) return;
    throw err;
  };
}
