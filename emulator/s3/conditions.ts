import { ServiceError } from "../core/http";
import type { ObjectMeta } from "../core/s3store";

/**
 * S3's conditional request headers, evaluated the way RFC 9110 §13.2.2 orders them and S3 documents
 * them (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "If-Match" …
 * "If-Unmodified-Since"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
 */
export type Headers = Readonly<Record<string, string>>;

/** Whether an `If-Match` / `If-None-Match` list (`"a", "b"`, `*`, weak tags) names `etag`. */
export function etagListMatches(list: string, etag: string): boolean {
  const bare = unquote(etag);
  return list
    .split(",")
    .map((t) => t.trim())
    .some((t) => t === "*" || unquote(t.replace(/^W\//, "")) === bare);
}

function unquote(tag: string): string {
  return tag.replace(/^"(.*)"$/, "$1");
}

/** An HTTP date, or undefined when absent or unparsable (S3 then ignores the header). */
function httpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** HTTP dates carry whole seconds; Last-Modified is compared at that resolution. */
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

export const PRECONDITION_FAILED = "At least one of the pre-conditions you specified did not hold";

const failed = (condition: string): ServiceError =>
  new ServiceError("PreconditionFailed", PRECONDITION_FAILED, 412, { Condition: condition });

/**
 * GetObject / HeadObject: `"notModified"` (answer 304) or `"ok"`; a failed If-Match or
 * If-Unmodified-Since throws 412. A true If-Match overrides If-Unmodified-Since, a false
 * If-None-Match overrides If-Modified-Since.
 */
export function readCondition(headers: Headers, meta: ObjectMeta): "ok" | "notModified" {
  return evaluate(headers, meta, "") === undefined ? "ok" : "notModified";
}

/**
 * CopyObject's `x-amz-copy-source-if-*` headers on the source object: the same rules, except
 * that every failed condition is a 412.
 */
export function copySourceCondition(headers: Headers, meta: ObjectMeta): void {
  const notModified = evaluate(headers, meta, "x-amz-copy-source-");
  if (notModified !== undefined) throw failed(notModified);
}

/** Throws 412 for If-Match / If-Unmodified-Since; returns the header that means "not modified". */
function evaluate(headers: Headers, meta: ObjectMeta, prefix: string): string | undefined {
  const name = (h: string): string => prefix + h;
  // The error's <Condition> names the header as sent: If-Match, x-amz-copy-source-if-match.
  const label = (h: string): string =>
    prefix
      ? prefix + h
      : h.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
  const modified = seconds(meta.lastModifiedMs);

  const ifMatch = headers[name("if-match")];
  if (ifMatch !== undefined) {
    if (!etagListMatches(ifMatch, meta.etag)) throw failed(label("if-match"));
  } else {
    const since = httpDate(headers[name("if-unmodified-since")]);
    if (since !== undefined && modified > since) throw failed(label("if-unmodified-since"));
  }

  const ifNoneMatch = headers[name("if-none-match")];
  if (ifNoneMatch !== undefined) {
    if (etagListMatches(ifNoneMatch, meta.etag)) return label("if-none-match");
  } else {
    const since = httpDate(headers[name("if-modified-since")]);
    if (since !== undefined && modified <= since) return label("if-modified-since");
  }
  return undefined;
}

/**
 * PutObject's conditional writes: `If-None-Match: *` refuses to overwrite an existing key,
 * `If-Match: <etag>` to write over anything but that version (404 when there is none).
 */
export function writeCondition(
  headers: Headers,
  existing: ObjectMeta | undefined,
  key: string,
): void {
  const ifNoneMatch = headers["if-none-match"];
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== "*")
      throw new ServiceError(
        "NotImplemented",
        "A header you provided implies functionality that is not implemented",
        501,
        { Header: "If-None-Match" },
      );
    if (existing) throw failed("If-None-Match");
  }
  const ifMatch = headers["if-match"];
  if (ifMatch !== undefined) {
    if (!existing)
      throw new ServiceError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
    if (!etagListMatches(ifMatch, existing.etag)) throw failed("If-Match");
  }
}
