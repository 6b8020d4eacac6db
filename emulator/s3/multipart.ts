import { createHash } from "node:crypto";
import { ServiceError } from "../core/http";
import type { OperationContext } from "../core/service";
import { xmlChildren } from "../core/xml";
import { checksum, uploadChecksum } from "./checksums";
import { type Headers, writeCondition } from "./conditions";
import { requestBody, storedHeaders } from "./objects";

/**
 * Multipart uploads (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html), which
 * gocloud.dev's s3blob writer (the AWS transfer manager) uses for objects of 16 MiB and more: a
 * Pulumi stack file that large. The upload's record is emulator state; each part is stored in the
 * bucket under a hidden key (a NUL first character, which no listing or request reaches).
 */
interface Upload {
  readonly bucket: string;
  readonly key: string;
  readonly contentType: string;
  readonly headers: Record<string, string>;
  readonly initiatedMs: number;
  readonly parts: Record<string, { etag: string; size: number }>;
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

export const isHiddenKey = (key: string): boolean => key.startsWith("\u0000");
const partKey = (uploadId: string, part: number): string => `\u0000mpu/${uploadId}/${part}`;

const uploadsOf = (ctx: OperationContext): Record<string, Upload> =>
  ctx.state<Record<string, Upload>>("s3MultipartUploads", () => ({}), "global");

function upload(ctx: OperationContext, uploadId: string, bucket: string, key: string): Upload {
  const found = uploadsOf(ctx)[uploadId];
  if (!found || found.bucket !== bucket || found.key !== key)
    throw new ServiceError(
      "NoSuchUpload",
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
      404,
      { UploadId: uploadId },
    );
  return found;
}

const xml = (root: string, body: Record<string, string | number | undefined>): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${root} ${XMLNS}>${xmlChildren(body)}</${root}>`;

export function createMultipartUpload(
  ctx: OperationContext,
  bucket: string,
  key: string,
  headers: Headers,
): string {
  const uploadId = ctx.random.alnum(64);
  uploadsOf(ctx)[uploadId] = {
    bucket,
    key,
    contentType: headers["content-type"] ?? "binary/octet-stream",
    headers: storedHeaders(headers),
    initiatedMs: ctx.clock.now(),
    parts: {},
  };
  ctx.markDirty();
  return xml("InitiateMultipartUploadResult", { Bucket: bucket, Key: key, UploadId: uploadId });
}

/** Stores one part; returns its ETag and checksum header. */
export function uploadPart(
  ctx: OperationContext,
  bucket: string,
  key: string,
  query: URLSearchParams,
  headers: Headers,
  body: Buffer,
): Record<string, string> {
  const uploadId = query.get("uploadId") ?? "";
  const found = upload(ctx, uploadId, bucket, key);
  const part = Number(query.get("partNumber"));
  if (!Number.isInteger(part) || part < 1 || part > 10000)
    throw new ServiceError(
      "InvalidArgument",
      "Part number must be an integer between 1 and 10000, inclusive",
      400,
      { ArgumentName: "partNumber", ArgumentValue: query.get("partNumber") ?? "" },
    );
  const { data, trailers } = requestBody(headers, body);
  const sum = uploadChecksum(headers, trailers, data);
  const meta = ctx.s3.put(
    bucket,
    partKey(uploadId, part),
    data,
    "binary/octet-stream",
    ctx.clock.now(),
  );
  found.parts[String(part)] = { etag: meta.etag, size: meta.size };
  ctx.markDirty();
  // A part's checksum is echoed only when the client sent one.
  const sent = sum.name in headers || sum.name in trailers;
  return { etag: meta.etag, ...(sent ? { [sum.name]: sum.value } : {}) };
}

/** The `<Part>` list of a CompleteMultipartUpload body. */
function requestedParts(body: Buffer): { part: number; etag: string }[] {
  const text = body.toString("utf8");
  if (!/<CompleteMultipartUpload[\s>]/.test(text))
    throw new ServiceError(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
      400,
    );
  return [...text.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
    part: Number(/<PartNumber>([^<]*)<\/PartNumber>/.exec(m[1] ?? "")?.[1]),
    etag: xmlText(/<ETag>([^<]*)<\/ETag>/.exec(m[1] ?? "")?.[1] ?? "").trim(),
  }));
}

const ENTITIES: Readonly<Record<string, string>> = {
  quot: '"',
  apos: "'",
  amp: "&",
  lt: "<",
  gt: ">",
};

/** XML character data: named and numeric references (Go's encoder writes `"` as `&#34;`). */
export function xmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref] ?? whole;
  });
}

const INVALID_PART =
  "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.";

/** Joins the listed parts into the object; its ETag is S3's `"<md5 of part MD5s>-<count>"`. */
export function completeMultipartUpload(
  ctx: OperationContext,
  bucket: string,
  key: string,
  query: URLSearchParams,
  headers: Headers,
  body: Buffer,
): { etag: string; xml: string } {
  const uploadId = query.get("uploadId") ?? "";
  const found = upload(ctx, uploadId, bucket, key);
  const parts = requestedParts(body);
  if (parts.length === 0)
    throw new ServiceError(
      "MalformedXML",
      "The XML you provided was not well-formed or did not validate against our published schema",
      400,
    );
  if (parts.some((p, i) => i > 0 && p.part <= (parts[i - 1]?.part ?? 0)))
    throw new ServiceError(
      "InvalidPartOrder",
      "The list of parts was not in ascending order. Parts must be ordered by part number.",
      400,
      { UploadId: uploadId },
    );
  parts.forEach((p, i) => {
    const stored = found.parts[String(p.part)];
    const unquoted = (t: string): string => t.replace(/^"|"$/g, "");
    if (!stored || unquoted(stored.etag) !== unquoted(p.etag))
      throw new ServiceError("InvalidPart", INVALID_PART, 400, {
        UploadId: uploadId,
        PartNumber: p.part,
        ETag: p.etag,
      });
    if (i < parts.length - 1 && stored.size < MIN_PART_BYTES)
      throw new ServiceError(
        "EntityTooSmall",
        "Your proposed upload is smaller than the minimum allowed object size.",
        400,
        { ProposedSize: stored.size, MinSizeAllowed: MIN_PART_BYTES, PartNumber: p.part },
      );
  });
  writeCondition(headers, ctx.s3.head(bucket, key), key);
  const bodies = parts.map((p) => {
    const got = ctx.s3.read(bucket, partKey(uploadId, p.part));
    if (!got.ok) throw new ServiceError("InvalidPart", INVALID_PART, 400, { UploadId: uploadId });
    return got.body;
  });
  const data = Buffer.concat(bodies);
  const digests = Buffer.concat(bodies.map((b) => createHash("md5").update(b).digest()));
  const etag = `"${createHash("md5").update(digests).digest("hex")}-${parts.length}"`;
  // A full-object CRC64NVME, as S3 stores for a multipart upload that named no checksum.
  ctx.s3.put(
    bucket,
    key,
    data,
    found.contentType,
    ctx.clock.now(),
    { ...found.headers, "x-amz-checksum-crc64nvme": checksum("crc64nvme", data) },
    etag,
  );
  discard(ctx, uploadId, found);
  return {
    etag,
    xml: xml("CompleteMultipartUploadResult", {
      Location: `${ctx.baseUrl}/${bucket}/${key}`,
      Bucket: bucket,
      Key: key,
      ETag: etag,
    }),
  };
}

export function abortMultipartUpload(
  ctx: OperationContext,
  bucket: string,
  key: string,
  query: URLSearchParams,
): void {
  const uploadId = query.get("uploadId") ?? "";
  discard(ctx, uploadId, upload(ctx, uploadId, bucket, key));
}

function discard(ctx: OperationContext, uploadId: string, found: Upload): void {
  for (const part of Object.keys(found.parts))
    ctx.s3.delete(found.bucket, partKey(uploadId, Number(part)));
  delete uploadsOf(ctx)[uploadId];
  ctx.markDirty();
}
