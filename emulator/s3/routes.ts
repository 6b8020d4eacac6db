import type { EmulatorRequest, EmulatorResponse } from "../core/http";
import { ServiceError } from "../core/http";
import { isValidBucketName } from "../core/s3store";
import type { OperationContext, S3Service } from "../core/service";
import { xmlChildren } from "../core/xml";

/**
 * The slice of S3 that migration imports need: buckets and objects that import files are read
 * from. Path-style (`/bucket/key`) and virtual-hosted (`bucket.localhost`) addressing both work.
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
    if (req.method === "PUT") return "CreateBucket";
    if (req.method === "GET" && req.query.get("list-type") === "2") return "ListObjectsV2";
    return undefined;
  }
  switch (req.method) {
    case "PUT":
      return req.headers["x-amz-copy-source"] ? undefined : "PutObject";
    case "GET":
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return "DeleteObject";
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

/** Undoes `Content-Encoding: aws-chunked` framing (the SDK uses it for streamed bodies with checksums). */
export function decodeAwsChunked(body: Buffer): Buffer {
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
  return Buffer.concat(out);
}

function headersOf(
  meta: { etag: string; size: number; contentType: string; lastModifiedMs: number },
  requestId: string,
): Record<string, string> {
  return {
    etag: meta.etag,
    "content-type": meta.contentType,
    "last-modified": new Date(meta.lastModifiedMs).toUTCString(),
    "x-amz-request-id": requestId,
    "accept-ranges": "bytes",
  };
}

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
    return ok(200, { location: `/${bucket}` });
  }

  const info = s3.bucket(bucket);
  if (!info) {
    if (op === "HeadObject")
      return { status: 404, headers: { "x-amz-request-id": ctx.requestId }, body: "" };
    throw noSuchBucket(bucket);
  }

  switch (op) {
    case "PutObject": {
      const chunked =
        (req.headers["content-encoding"] ?? "").includes("aws-chunked") ||
        (req.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
      const body = chunked ? decodeAwsChunked(req.body) : req.body;
      const meta = s3.put(
        bucket,
        key!,
        body,
        req.headers["content-type"] ?? "binary/octet-stream",
        now,
      );
      ctx.markDirty();
      return ok(200, { etag: meta.etag });
    }
    case "GetObject": {
      const got = s3.read(bucket, key!);
      if (!got.ok)
        throw new ServiceError("NoSuchKey", "The specified key does not exist.", 404, { Key: key });
      return ok(200, headersOf(got.meta, ctx.requestId), got.body);
    }
    case "HeadObject": {
      const meta = s3.head(bucket, key!);
      // HEAD responses carry no body; the SDK names a bodiless 404 "NotFound".
      if (!meta) return { status: 404, headers: { "x-amz-request-id": ctx.requestId }, body: "" };
      return ok(200, { ...headersOf(meta, ctx.requestId), "content-length": String(meta.size) });
    }
    case "DeleteObject":
      s3.delete(bucket, key!);
      return ok(204);
    case "ListObjectsV2": {
      const prefix = req.query.get("prefix") ?? "";
      const maxKeys = Math.min(1000, Math.max(0, Number(req.query.get("max-keys") ?? "1000") || 0));
      const token = req.query.get("continuation-token");
      const startAfter = token
        ? Buffer.from(token, "base64").toString("utf8")
        : (req.query.get("start-after") ?? "");
      const all = s3
        .list(bucket)
        .filter((m) => m.key.startsWith(prefix) && (!startAfter || m.key > startAfter));
      const page = all.slice(0, maxKeys);
      const truncated = all.length > page.length;
      const last = page[page.length - 1];
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${xmlChildren(
        {
          Name: bucket,
          Prefix: prefix,
          KeyCount: page.length,
          MaxKeys: maxKeys,
          IsTruncated: truncated,
          ContinuationToken: token ?? undefined,
          NextContinuationToken:
            truncated && last ? Buffer.from(last.key).toString("base64") : undefined,
        },
      )}${page
        .map(
          (m) =>
            `<Contents>${xmlChildren({ Key: m.key, LastModified: new Date(m.lastModifiedMs).toISOString(), ETag: m.etag, Size: m.size, StorageClass: "STANDARD" })}</Contents>`,
        )
        .join("")}</ListBucketResult>`;
      return ok(200, { "content-type": "application/xml" }, body);
    }
    default:
      throw new ServiceError("NotImplemented", "Not implemented", 501);
  }
}

export const s3Service: S3Service = {
  key: "s3",
  protocol: "s3",
  signingNames: ["s3"],
  // IAM authorizes S3 per object and bucket action.
  iamActions: { HeadObject: "GetObject", ListObjectsV2: "ListBucket" },
  operationNames: [
    "CreateBucket",
    "PutObject",
    "GetObject",
    "HeadObject",
    "DeleteObject",
    "ListObjectsV2",
  ],
  operationOf,
  handle,
};
