import type { EmulatorRequest, EmulatorResponse } from "../core/http";
import { ServiceError } from "../core/http";
import { isValidBucketName, type ObjectMeta } from "../core/s3store";
import type { OperationContext, S3Service } from "../core/service";
import { xmlChildren } from "../core/xml";
import { isChecksumHeader, uploadChecksum } from "./checksums";
import { copySourceCondition, readCondition, writeCondition } from "./conditions";
import { listObjectsV2, listParams } from "./list";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  isHiddenKey,
  uploadPart,
} from "./multipart";
import { byteRange, copySource, objectHeaders, requestBody, storedHeaders } from "./objects";

/**
 * The slice of S3 that migration imports read their files from and that Pulumi's DIY state
 * backend (gocloud.dev/blob/s3blob) stores stacks in: buckets, objects with their metadata and
 * conditional headers, copies, and delimited listings. Path-style (`/bucket/key`) and
 * virtual-hosted (`bucket.localhost`) addressing both work.
 */
interface Target {
  bucket: string | undefined;
  key: string | undefined;
}

function target(req: EmulatorRequest, bucketFromHost: string | undefined): Target {
  if (bucketFromHost) {
    const key = req.path.replace(/^\//, "");
    return { bucket: bucketFromHost, key: key || undefined };
  }
  const trimmed = req.path.replace(/^\//, "");
  if (!trimmed) return { bucket: undefined, key: undefined };
  const slash = trimmed.indexOf("/");
  if (slash < 0) return { bucket: trimmed, key: undefined };
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) || undefined };
}

function operationOf(req: EmulatorRequest, bucketFromHost: string | undefined): string | undefined {
  const t = target(req, bucketFromHost);
  if (!t.bucket) return undefined;
  if (t.key === undefined) {
    switch (req.method) {
      case "PUT":
        return "CreateBucket";
      case "HEAD":
        return "HeadBucket";
      case "DELETE":
        return "DeleteBucket";
      case "GET":
        return req.query.get("list-type") === "2" ? "ListObjectsV2" : undefined;
      default:
        return undefined;
    }
  }
  // Hidden keys hold multipart parts (./multipart.ts); no request names them.
  if (isHiddenKey(t.key)) return undefined;
  const uploadId = req.query.has("uploadId");
  switch (req.method) {
    case "POST":
      if (req.query.has("uploads")) return "CreateMultipartUpload";
      return uploadId ? "CompleteMultipartUpload" : undefined;
    case "PUT":
      // (UploadPartCopy, a part copied from another object, is not served.)
      if (uploadId) {
        const copy = req.headers["x-amz-copy-source"] !== undefined;
        return req.query.has("partNumber") && !copy ? "UploadPart" : undefined;
      }
      return req.headers["x-amz-copy-source"] ? "CopyObject" : "PutObject";
    case "GET":
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return uploadId ? "AbortMultipartUpload" : "DeleteObject";
    default:
      return undefined;
  }
}

const MALFORMED_XML =
  "The XML you provided was not well-formed or did not validate against our published schema";

/** The optional CreateBucketConfiguration body: empty, or one well-formed element with a region. */
function locationConstraint(body: Buffer): string | undefined {
  const text = body.toString("utf8").trim();
  if (!text) return undefined;
  const doc =
    /^(?:<\?xml[^>]*\?>\s*)?<CreateBucketConfiguration(?:\s[^>]*)?>\s*(?:<LocationConstraint>([^<]*)<\/LocationConstraint>)?\s*<\/CreateBucketConfiguration>$/.exec(
      text,
    );
  if (!doc) throw new ServiceError("MalformedXML", MALFORMED_XML, 400);
  const region = doc[1]?.trim();
  if (region !== undefined && region !== "" && !/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(region)) {
    throw new ServiceError(
      "InvalidLocationConstraint",
      "The specified location-constraint is not valid",
      400,
      { LocationConstraint: region },
    );
  }
  return region || undefined;
}

const noSuchBucket = (bucket: string) =>
  new ServiceError("NoSuchBucket", "The specified bucket does not exist", 404, {
    BucketName: bucket,
  });

const noSuchKey = (key: string) =>
  new ServiceError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });

/** The checksum header stored with an object (a copy keeps it: the bytes are the same). */
const checksumOf = (meta: ObjectMeta): Record<string, string> =>
  Object.fromEntries(Object.entries(meta.headers ?? {}).filter(([name]) => isChecksumHeader(name)));

const XMLNS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function handle(
  ctx: OperationContext,
  req: EmulatorRequest,
  bucketFromHost: string | undefined,
): EmulatorResponse {
  const op = operationOf(req, bucketFromHost);
  const { bucket, key } = target(req, bucketFromHost);
  if (!bucket || !op)
    throw new ServiceError(
      "NotImplemented",
      "A header you provided implies functionality that is not implemented",
      501,
    );
  const now = ctx.clock.now();
  const s3 = ctx.s3;
  const ok = (
    status: number,
    headers: Record<string, string> = {},
    body: string | Buffer = "",
  ): EmulatorResponse => ({
    status,
    headers: { "x-amz-request-id": ctx.requestId, ...headers },
    body,
  });
  // HEAD answers carry no body, so their errors are a bare status (the SDK names a 404 "NotFound").
  const bare = (status: number, headers: Record<string, string> = {}): EmulatorResponse =>
    ok(status, headers);

  if (op === "CreateBucket") {
    if (!isValidBucketName(bucket))
      throw new ServiceError("InvalidBucketName", "The specified bucket is not valid.", 400, {
        BucketName: bucket,
      });
    const existing = s3.bucket(bucket);
    if (existing) {
      if (existing.ownerAccountId === ctx.accountId) {
        throw new ServiceError(
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          409,
          { BucketName: bucket },
        );
      }
      throw new ServiceError(
        "BucketAlreadyExists",
        "The requested bucket name is not available.",
        409,
        { BucketName: bucket },
      );
    }
    const constraint = locationConstraint(req.body);
    s3.createBucket({
      name: bucket,
      ownerAccountId: ctx.accountId,
      region: constraint || "us-east-1",
      createdMs: now,
    });
    ctx.markDirty();
    return ok(200, { location: `/${bucket}` });
  }

  const info = s3.bucket(bucket);
  if (!info) {
    if (op === "HeadObject" || op === "HeadBucket") return bare(404);
    throw noSuchBucket(bucket);
  }

  switch (op) {
    case "HeadBucket":
      return ok(200, { "x-amz-bucket-region": info.region });
    case "DeleteBucket":
      if (s3.list(bucket).some((m) => !isHiddenKey(m.key)))
        throw new ServiceError(
          "BucketNotEmpty",
          "The bucket you tried to delete is not empty",
          409,
          {
            BucketName: bucket,
          },
        );
      s3.deleteBucket(bucket);
      ctx.markDirty();
      return ok(204);
    case "PutObject": {
      const { data, trailers } = requestBody(req.headers, req.body);
      const sum = uploadChecksum(req.headers, trailers, data);
      writeCondition(req.headers, s3.head(bucket, key!), key!);
      const meta = s3.put(
        bucket,
        key!,
        data,
        req.headers["content-type"] ?? "binary/octet-stream",
        now,
        { ...storedHeaders(req.headers), [sum.name]: sum.value },
      );
      ctx.markDirty();
      return ok(200, { etag: meta.etag, [sum.name]: sum.value });
    }
    case "CopyObject": {
      const source = copySource(req.headers["x-amz-copy-source"] ?? "");
      if (!s3.bucket(source.bucket)) throw noSuchBucket(source.bucket);
      const got = s3.read(source.bucket, source.key);
      if (!got.ok) throw noSuchKey(source.key);
      copySourceCondition(req.headers, got.meta);
      const replace =
        (req.headers["x-amz-metadata-directive"] ?? "COPY").toUpperCase() === "REPLACE";
      if (source.bucket === bucket && source.key === key && !replace)
        throw new ServiceError(
          "InvalidRequest",
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
          400,
        );
      const meta = s3.put(
        bucket,
        key!,
        got.body,
        replace ? (req.headers["content-type"] ?? "binary/octet-stream") : got.meta.contentType,
        now,
        replace ? { ...storedHeaders(req.headers), ...checksumOf(got.meta) } : got.meta.headers,
      );
      ctx.markDirty();
      return ok(
        200,
        { "content-type": "application/xml" },
        `<?xml version="1.0" encoding="UTF-8"?>\n<CopyObjectResult ${XMLNS}>${xmlChildren({
          LastModified: new Date(meta.lastModifiedMs).toISOString(),
          ETag: meta.etag,
        })}</CopyObjectResult>`,
      );
    }
    case "GetObject": {
      const got = s3.read(bucket, key!);
      if (!got.ok) throw noSuchKey(key!);
      const range = byteRange(req.headers["range"], got.meta.size);
      const checksumMode = (req.headers["x-amz-checksum-mode"] ?? "").toUpperCase() === "ENABLED";
      const headers = objectHeaders(got.meta, checksumMode && !range);
      if (readCondition(req.headers, got.meta) === "notModified")
        return bare(304, { etag: got.meta.etag, "last-modified": headers["last-modified"]! });
      if (!range) return ok(200, headers, got.body);
      return ok(
        206,
        { ...headers, "content-range": `bytes ${range.first}-${range.last}/${got.meta.size}` },
        got.body.subarray(range.first, range.last + 1),
      );
    }
    case "HeadObject": {
      const meta = s3.head(bucket, key!);
      if (!meta) return bare(404);
      try {
        if (readCondition(req.headers, meta) === "notModified")
          return bare(304, { etag: meta.etag });
      } catch (err) {
        if (err instanceof ServiceError) return bare(err.status);
        throw err;
      }
      const checksumMode = (req.headers["x-amz-checksum-mode"] ?? "").toUpperCase() === "ENABLED";
      return ok(200, {
        ...objectHeaders(meta, checksumMode),
        "content-length": String(meta.size),
      });
    }
    case "DeleteObject":
      s3.delete(bucket, key!);
      ctx.markDirty();
      return ok(204);
    case "ListObjectsV2":
      return ok(
        200,
        { "content-type": "application/xml" },
        listObjectsV2(
          bucket,
          s3.list(bucket).filter((m) => !isHiddenKey(m.key)),
          listParams(req.query),
        ),
      );
    case "CreateMultipartUpload":
      return ok(
        200,
        { "content-type": "application/xml" },
        createMultipartUpload(ctx, bucket, key!, req.headers),
      );
    case "UploadPart":
      return ok(200, uploadPart(ctx, bucket, key!, req.query, req.headers, req.body));
    case "CompleteMultipartUpload": {
      const done = completeMultipartUpload(ctx, bucket, key!, req.query, req.headers, req.body);
      return ok(200, { "content-type": "application/xml" }, done.xml);
    }
    case "AbortMultipartUpload":
      abortMultipartUpload(ctx, bucket, key!, req.query);
      return ok(204);
    default:
      throw new ServiceError("NotImplemented", "Not implemented", 501);
  }
}

export const s3Service: S3Service = {
  key: "s3",
  protocol: "s3",
  signingNames: ["s3"],
  // IAM authorizes S3 per object and bucket action
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
  iamActions: {
    HeadObject: "GetObject",
    HeadBucket: "ListBucket",
    ListObjectsV2: "ListBucket",
    CopyObject: "PutObject",
    CreateMultipartUpload: "PutObject",
    UploadPart: "PutObject",
    CompleteMultipartUpload: "PutObject",
  },
  operationNames: [
    "CreateBucket",
    "HeadBucket",
    "DeleteBucket",
    "PutObject",
    "CopyObject",
    "GetObject",
    "HeadObject",
    "DeleteObject",
    "ListObjectsV2",
    "CreateMultipartUpload",
    "UploadPart",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
  ],
  operationOf,
  handle,
};
