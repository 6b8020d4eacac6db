import type { OperationContext } from "../../core/service";
import { parseS3Url } from "../../core/s3store";
import { type DiskFormat, diskImageProblem, NO_ACCESS } from "../diskImage";
import {
  invalidCombination,
  invalidDependency,
  invalidValue,
  missingParameter,
  unsupportedOperation,
} from "../errors";
import type { Params } from "../params";
import type { DiskRecord } from "./state";

/**
 * What ImportImage and ImportSnapshot requests share: disk containers, ClientToken, encryption
 * and role parameters; and reading the disks from S3 when the validating stage ends.
 */

export const DISK_FORMATS: readonly DiskFormat[] = ["OVA", "VHD", "VHDX", "VMDK", "RAW"];
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/-]+))$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/**
 * A disk container (`DiskContainer.N` of ImportImage, `DiskContainer` of ImportSnapshot). The model
 * types Format as a plain string and requires nothing here; the ImportImage and ImportSnapshot
 * references list the formats (OVA | VHD | VHDX | VMDK | RAW; VHD | VMDK | RAW for snapshots) and a
 * source (Url or UserBucket) is needed to import anything
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageDiskContainer.html).
 */
export function parseDisk(
  d: Params,
  emulatorUrl: string,
  formats: readonly DiskFormat[] = DISK_FORMATS,
): DiskRecord {
  const formatText = d.str("Format");
  if (formatText === undefined) throw missingParameter(d.key("Format"));
  const format = d.oneOf("Format", formats, true)!;
  if (d.str("SnapshotId") !== undefined) {
    throw unsupportedOperation(
      `${d.key("SnapshotId")} is not supported by this emulator; import from S3 (UserBucket or Url).`,
    );
  }
  const url = d.str("Url");
  const hasBucket = d.has("UserBucket");
  if (url !== undefined && hasBucket) {
    throw invalidCombination(`Specify either ${d.key("Url")} or ${d.key("UserBucket")}, not both.`);
  }
  if (url === undefined && !hasBucket) throw missingParameter(d.key("UserBucket"));
  const description = d.str("Description");
  const deviceName = d.str("DeviceName");
  const base: DiskRecord = {
    format,
    ...(description !== undefined ? { description } : {}),
    ...(deviceName !== undefined ? { deviceName } : {}),
  };
  if (url !== undefined) {
    // The emulator serves S3 over plain http, so its own presigned URLs count as https ones.
    const scheme = /^(https|s3):\/\//.test(url) || url.startsWith(`${emulatorUrl}/`);
    if (!scheme || !parseS3Url(url)) {
      throw invalidValue(
        d.key("Url"),
        url,
        "The URL must be an https:// or s3:// URL of an Amazon S3 object.",
      );
    }
    return { ...base, url };
  }
  const bucket = d.at("UserBucket");
  return {
    ...base,
    userBucket: { S3Bucket: bucket.required("S3Bucket"), S3Key: bucket.required("S3Key") },
  };
}

/**
 * ClientToken: at most 64 printable ASCII characters, stricter than the model's plain string
 * (https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html).
 */
export function parseClientToken(p: Params): string | undefined {
  const clientToken = p.str("ClientToken");
  if (clientToken !== undefined && (clientToken.length > 64 || !/^[\x20-\x7e]*$/.test(clientToken)))
    throw invalidValue(
      "ClientToken",
      clientToken,
      "Client tokens are at most 64 ASCII characters.",
    );
  return clientToken;
}

/**
 * Encrypted and KmsKeyId, which requires Encrypted=true and a key ID, ARN or alias — stricter than
 * the model (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportImage.html).
 */
export function parseEncryption(p: Params): { encrypted?: boolean; kmsKeyId?: string } {
  const encrypted = p.bool("Encrypted");
  const kmsKeyId = p.str("KmsKeyId");
  if (kmsKeyId !== undefined) {
    if (encrypted !== true)
      throw invalidDependency(
        "The parameter KmsKeyId requires the parameter Encrypted to be set to true.",
      );
    if (!KMS_KEY.test(kmsKeyId))
      throw invalidValue(
        "KmsKeyId",
        kmsKeyId,
        "Specify a key ID, key ARN, alias name or alias ARN.",
      );
  }
  return {
    ...(encrypted !== undefined ? { encrypted } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
  };
}

/**
 * RoleName: the service role VM Import assumes; default `vmimport`. An IAM role name (1-64 of
 * `[\w+=,.@-]`, https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html).
 */
export function parseRoleName(p: Params): string {
  const roleName = p.str("RoleName") ?? "vmimport";
  if (!ROLE_NAME.test(roleName)) throw invalidValue("RoleName", roleName);
  return roleName;
}

function diskLocation(d: DiskRecord): { bucket: string; key: string } | undefined {
  if (d.userBucket) return { bucket: d.userBucket.S3Bucket, key: d.userBucket.S3Key };
  return d.url !== undefined ? parseS3Url(d.url) : undefined;
}

/** Reads every disk once, at the end of `validating`, and keeps the outcome. */
export function validation(
  ctx: OperationContext,
  t: { disks: DiskRecord[]; validation?: { problem?: string; sizes: number[] } },
): { problem?: string; sizes: number[] } {
  if (!t.validation) {
    let problem: string | undefined;
    const sizes: number[] = [];
    for (const d of t.disks) {
      const loc = diskLocation(d);
      const read = loc ? ctx.s3.read(loc.bucket, loc.key) : undefined;
      if (!read?.ok) {
        problem = NO_ACCESS;
        break;
      }
      problem = diskImageProblem(d.format, read.body);
      if (problem) break;
      sizes.push(read.meta.size);
    }
    t.validation = problem ? { problem, sizes } : { sizes };
    ctx.markDirty();
  }
  return t.validation;
}
