import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The emulator's S3 object store, on disk under the data directory so that import files survive an
 * emulator restart. Import operations (ADS, MGN, EC2) read their input through `read()`, which
 * reports a missing bucket or key the way S3 would.
 */
export interface BucketInfo {
  readonly name: string;
  readonly ownerAccountId: string;
  readonly region: string;
  readonly createdMs: number;
}

export interface ObjectMeta {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModifiedMs: number;
  readonly contentType: string;
  /**
   * Stored response headers beyond the content type: `x-amz-meta-*` user metadata and the
   * standard `cache-control`, `content-disposition`, `content-encoding`, `content-language`.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

export type ReadResult =
  | { ok: true; bucket: BucketInfo; meta: ObjectMeta; body: Buffer }
  | { ok: false; reason: "NoSuchBucket" | "NoSuchKey"; bucket?: BucketInfo };

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function isValidBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

export class S3Store {
  constructor(private readonly root: string) {
    mkdirSync(join(root, "buckets"), { recursive: true });
  }

  private bucketDir(name: string): string {
    return join(this.root, "buckets", name);
  }

  bucket(name: string): BucketInfo | undefined {
    if (!isValidBucketName(name)) return undefined;
    const file = join(this.bucketDir(name), "bucket.json");
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as BucketInfo;
  }

  createBucket(info: BucketInfo): void {
    mkdirSync(join(this.bucketDir(info.name), "objects"), { recursive: true });
    writeFileSync(join(this.bucketDir(info.name), "bucket.json"), JSON.stringify(info));
  }

  deleteBucket(name: string): void {
    rmSync(this.bucketDir(name), { recursive: true, force: true });
  }

  buckets(): BucketInfo[] {
    const dir = join(this.root, "buckets");
    return readdirSync(dir)
      .map((name) => this.bucket(name))
      .filter((b): b is BucketInfo => b !== undefined);
  }

  private objectPaths(bucket: string, key: string): { data: string; meta: string } {
    // Keys may hold any character; a hex digest keeps file names safe and bounded.
    const id = createHash("sha256").update(key).digest("hex");
    const base = join(this.bucketDir(bucket), "objects", id);
    return { data: base + ".data", meta: base + ".json" };
  }

  put(
    bucket: string,
    key: string,
    body: Buffer,
    contentType: string,
    nowMs: number,
    headers?: Readonly<Record<string, string>>,
    /** A multipart upload's ETag (`"<md5 of the part MD5s>-<parts>"`); else the body's MD5. */
    etag?: string,
  ): ObjectMeta {
    const meta: ObjectMeta = {
      key,
      size: body.length,
      etag: etag ?? `"${createHash("md5").update(body).digest("hex")}"`,
      lastModifiedMs: nowMs,
      contentType,
      ...(headers && Object.keys(headers).length > 0 ? { headers } : {}),
    };
    const paths = this.objectPaths(bucket, key);
    writeFileSync(paths.data, body);
    writeFileSync(paths.meta, JSON.stringify(meta));
    return meta;
  }

  head(bucket: string, key: string): ObjectMeta | undefined {
    const paths = this.objectPaths(bucket, key);
    if (!existsSync(paths.meta)) return undefined;
    return JSON.parse(readFileSync(paths.meta, "utf8")) as ObjectMeta;
  }

  read(bucketName: string, key: string): ReadResult {
    const bucket = this.bucket(bucketName);
    if (!bucket) return { ok: false, reason: "NoSuchBucket" };
    const meta = this.head(bucketName, key);
    if (!meta) return { ok: false, reason: "NoSuchKey", bucket };
    return { ok: true, bucket, meta, body: readFileSync(this.objectPaths(bucketName, key).data) };
  }

  delete(bucket: string, key: string): void {
    const paths = this.objectPaths(bucket, key);
    rmSync(paths.data, { force: true });
    rmSync(paths.meta, { force: true });
  }

  /** All object metadata of a bucket, sorted by key (UTF-8 binary order, as S3 lists). */
  list(bucket: string): ObjectMeta[] {
    const dir = join(this.bucketDir(bucket), "objects");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as ObjectMeta)
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  clear(): void {
    rmSync(join(this.root, "buckets"), { recursive: true, force: true });
    mkdirSync(join(this.root, "buckets"), { recursive: true });
  }
}

/** Parses `s3://bucket/key` and the https forms (virtual-hosted and path-style) AWS accepts for import URLs. */
export function parseS3Url(url: string): { bucket: string; key: string } | undefined {
  const s3 = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (s3?.[1] && s3[2]) return { bucket: s3[1], key: s3[2] };
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname.replace(/^\//, ""));
  } catch {
    return undefined; // a broken %-escape names no object
  }
  const vhost =
    /^([^.]+(?:\.[^.]+)*?)\.s3[.-]/.exec(u.hostname) ?? /^(.+)\.localhost$/.exec(u.hostname);
  if (vhost?.[1] && path) return { bucket: vhost[1], key: path };
  const slash = path.indexOf("/");
  if (slash > 0) return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  return undefined;
}
