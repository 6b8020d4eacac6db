import { ServiceError } from "../core/http";
import type { ObjectMeta } from "../core/s3store";
import { isChecksumHeader } from "./checksums";
import type { Headers } from "./conditions";

/**
 * Object bodies and headers as S3 stores and returns them: the aws-chunked framing the SDKs use
 * for streamed bodies and trailing checksums, the headers kept with an object, and byte ranges.
 */

/**
 * Undoes `Content-Encoding: aws-chunked` framing, which the SDKs use for streamed bodies
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html): the data, and the
 * trailing headers after the last chunk (e.g. `x-amz-checksum-crc32`).
 */
export function decodeAwsChunked(body: Buffer): { data: Buffer; trailers: Record<string, string> } {
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", pos);
    if (eol < 0)
      throw new ServiceError("IncompleteBody", "The request body terminated unexpectedly", 400);
    const size = parseInt(body.subarray(pos, eol).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isFinite(size))
      throw new ServiceError("IncompleteBody", "Malformed aws-chunked body", 400);
    pos = eol + 2;
    if (size === 0) break;
    out.push(body.subarray(pos, pos + size));
    pos += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.subarray(pos).toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { data: Buffer.concat(out), trailers };
}

/** The request's object body, unframed when the SDK streamed it as aws-chunked, and its trailers. */
export function requestBody(
  headers: Headers,
  body: Buffer,
): { data: Buffer; trailers: Record<string, string> } {
  const chunked =
    (headers["content-encoding"] ?? "").split(",").some((e) => e.trim() === "aws-chunked") ||
    (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
  return chunked ? decodeAwsChunked(body) : { data: body, trailers: {} };
}

const STORED = ["cache-control", "content-disposition", "content-language", "expires"];

/**
 * The headers PutObject (and CopyObject with `x-amz-metadata-directive: REPLACE`) keeps with the
 * object: `x-amz-meta-*`, the standard representation headers, and Content-Encoding without the
 * transfer-only `aws-chunked`.
 */
export function storedHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-amz-meta-") || STORED.includes(name)) out[name] = value;
  }
  const encoding = (headers["content-encoding"] ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e !== "aws-chunked")
    .join(",");
  if (encoding) out["content-encoding"] = encoding;
  return out;
}

/**
 * The response headers of GetObject / HeadObject for a stored object; its checksum only when the
 * request asked with `x-amz-checksum-mode: ENABLED` and reads the whole object.
 */
export function objectHeaders(meta: ObjectMeta, withChecksum: boolean): Record<string, string> {
  const stored = Object.entries(meta.headers ?? {}).filter(
    ([name]) => withChecksum || !isChecksumHeader(name),
  );
  return {
    ...Object.fromEntries(stored),
    ...(withChecksum && stored.some(([name]) => isChecksumHeader(name))
      ? { "x-amz-checksum-type": "FULL_OBJECT" }
      : {}),
    etag: meta.etag,
    "content-type": meta.contentType,
    "last-modified": new Date(meta.lastModifiedMs).toUTCString(),
    "accept-ranges": "bytes",
  };
}

/**
 * A single `Range: bytes=…` (first-last, first-, -suffix) resolved against `size`: the inclusive
 * span, undefined for no or an unparsable header (S3 then sends the whole object), or a 416.
 */
export function byteRange(
  header: string | undefined,
  size: number,
): { first: number; last: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  let first: number;
  let last: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    first = Math.max(0, size - suffix);
    last = size - 1;
    if (suffix === 0) first = size;
  } else {
    first = Number(m[1]);
    last = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== "" && Number(m[2]) < first) return undefined;
  }
  if (first >= size || last < first)
    throw new ServiceError("InvalidRange", "The requested range is not satisfiable", 416, {
      RangeRequested: header,
      ActualObjectSize: size,
    });
  return { first, last };
}

/**
 * `x-amz-copy-source`: `bucket/key` or `/bucket/key`, URL-encoded, optionally `?versionId=…`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html#API_CopyObject_RequestSyntax).
 */
export function copySource(header: string): { bucket: string; key: string } {
  const withoutVersion = header.replace(/\?versionId=.*$/, "");
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    decoded = withoutVersion;
  }
  const path = decoded.replace(/^\//, "");
  const slash = path.indexOf("/");
  if (slash <= 0 || slash === path.length - 1)
    throw new ServiceError("InvalidArgument", "Invalid copy source object key", 400, {
      ArgumentName: "x-amz-copy-source",
      ArgumentValue: header,
    });
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}
