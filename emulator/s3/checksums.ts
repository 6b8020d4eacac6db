import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { ServiceError } from "../core/http";
import type { Headers } from "./conditions";

/**
 * S3's additional checksums (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html):
 * a PutObject may carry one `x-amz-checksum-<algorithm>` (as a header, or as an aws-chunked
 * trailer); S3 verifies it, keeps it, and stores a CRC64NVME of its own when the client sent none.
 * GetObject and HeadObject return it when asked with `x-amz-checksum-mode: ENABLED`, which the
 * AWS SDKs send by default and use to validate the body they receive.
 */
export const ALGORITHMS = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

function crcTable(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

// CRC-32C (Castagnoli), reflected polynomial 0x82F63B78.
const CRC32C = crcTable(0x82f63b78);

function crc32c(body: Buffer): number {
  let c = 0xffffffff;
  for (const byte of body) c = (CRC32C[(c ^ byte) & 0xff]! ^ (c >>> 8)) >>> 0;
  return (c ^ 0xffffffff) >>> 0;
}

// CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, init and xorout all ones.
const CRC64_POLY = 0x9a6c9329ac4bc9b5n;
const MASK64 = 0xffffffffffffffffn;
const CRC64 = (() => {
  const table = new Array<bigint>(256);
  for (let n = 0; n < 256; n++) {
    let c = BigInt(n);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ CRC64_POLY : c >> 1n;
    table[n] = c;
  }
  return table;
})();

export function crc64nvme(body: Buffer): bigint {
  let c = MASK64;
  for (const byte of body) c = CRC64[Number((c ^ BigInt(byte)) & 0xffn)]! ^ (c >> 8n);
  return c ^ MASK64;
}

function uint32Bytes(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(n >>> 0);
  return out;
}

/** The base64 checksum of `body`, as the `x-amz-checksum-<algorithm>` header carries it. */
export function checksum(algorithm: Algorithm, body: Buffer): string {
  switch (algorithm) {
    case "crc32":
      return uint32Bytes(crc32(body)).toString("base64");
    case "crc32c":
      return uint32Bytes(crc32c(body)).toString("base64");
    case "crc64nvme": {
      const out = Buffer.alloc(8);
      out.writeBigUInt64BE(crc64nvme(body));
      return out.toString("base64");
    }
    case "sha1":
    case "sha256":
      return createHash(algorithm).update(body).digest("base64");
  }
}

const NAMES: Record<Algorithm, string> = {
  crc32: "CRC32",
  crc32c: "CRC32C",
  crc64nvme: "CRC64NVME",
  sha1: "SHA1",
  sha256: "SHA256",
};

/**
 * The checksum header to store with an uploaded object: the client's, verified (400 BadDigest when
 * it does not match the body), else S3's default CRC64NVME.
 */
export function uploadChecksum(
  headers: Headers,
  trailers: Headers,
  body: Buffer,
): { name: string; value: string } {
  for (const algorithm of ALGORITHMS) {
    const name = `x-amz-checksum-${algorithm}`;
    const given = trailers[name] ?? headers[name];
    if (given === undefined) continue;
    if (given !== checksum(algorithm, body))
      throw new ServiceError(
        "BadDigest",
        `The ${NAMES[algorithm]} you specified did not match the calculated checksum.`,
        400,
      );
    return { name, value: given };
  }
  return { name: "x-amz-checksum-crc64nvme", value: checksum("crc64nvme", body) };
}

export const isChecksumHeader = (name: string): boolean => name.startsWith("x-amz-checksum-");
