/**
 * The input rules of `ec2.ImportImageTask` that its property table cannot say: the disk list, the
 * upload metadata, license ARNs, tags and the cross-field rules (ImportImage API reference and the
 * VM Import limitations, aws-apis.md §4.4–4.5). Values unknown in preview are skipped; never throws.
 */
import { type CheckFailure, checkNumber, checkObject, checkString, typeName } from "../core/check";
import { containsUnknown, isUnknown } from "../core/unknown";
import { checkDiskUrl, checkRetainOptions, checkUserBucket } from "./shared";

export const LIMITS = {
  /** VM Import fails a VM with more than 21 volumes (limitations-image.md). */
  diskContainersMax: 21,
  descriptionMaxLength: 255,
} as const;

const FORMATS = ["OVA", "VHD", "VHDX", "VMDK", "RAW"] as const;
const SNAPSHOT_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const LICENSE_ARN = /^arn:aws[\w-]*:license-manager:[a-z0-9-]+:\d{12}:license-configuration:\S+$/;
const ISO_DATE = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

function pushFail(failures: CheckFailure[], property: string, reason: string): void {
  failures.push({ property, reason });
}

/**
 * diskContainers: 1–21 disks (required unless adopting), each with exactly one source; an http URL
 * counts only on a configured endpoint's origin (`extraS3Origins`, the emulator's S3).
 */
export function checkDiskContainers(
  news: Record<string, unknown>,
  failures: CheckFailure[],
  extraS3Origins: readonly string[],
): void {
  const required = news["adoptImportTaskId"] === undefined;
  const disks = news["diskContainers"];
  if (isUnknown(disks)) return;
  if (disks === undefined || disks === null) {
    if (required) {
      pushFail(
        failures,
        "diskContainers",
        'is required. Fix: list the VM\'s disks, e.g. [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }], or set adoptImportTaskId',
      );
    }
    return;
  }
  if (!Array.isArray(disks)) {
    pushFail(
      failures,
      "diskContainers",
      `must be a list of disk containers (got ${typeName(disks)}). Fix: use [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }]`,
    );
    return;
  }
  if (disks.length < 1 || disks.length > LIMITS.diskContainersMax) {
    pushFail(
      failures,
      "diskContainers",
      `must have 1–${LIMITS.diskContainersMax} disks (got ${disks.length}). Fix: VM Import fails a VM with more than 21 volumes; import extra disks with ImportSnapshot`,
    );
  }
  disks.forEach((disk: unknown, i) => {
    const base = `diskContainers[${i}]`;
    const before = failures.length;
    checkObject(
      news,
      base,
      { required: true, fix: "give an object with format and url or userBucket" },
      failures,
    );
    if (failures.length > before || isUnknown(disk)) return;
    const d = disk as Record<string, unknown>;
    checkString(
      news,
      `${base}.description`,
      { minLength: 1, maxLength: LIMITS.descriptionMaxLength, fix: "use 1–255 characters" },
      failures,
    );
    checkString(
      news,
      `${base}.deviceName`,
      {
        pattern: /^(?:\/dev\/)?[a-z][a-z0-9]*$/,
        patternText: "a device name such as /dev/sda1 or xvdb",
        fix: "use /dev/sda1 for the boot disk, or omit it and let VM Import assign one",
      },
      failures,
    );
    const sources = (["url", "userBucket", "snapshotId"] as const).filter(
      (k) => d[k] !== undefined && d[k] !== null,
    );
    if (sources.some((k) => containsUnknown(d[k]))) {
      // One source not known yet: the exclusivity rule is checked at `up`.
    } else if (sources.length === 0) {
      pushFail(
        failures,
        base,
        "must name its disk with exactly one of url, userBucket or snapshotId (got none). Fix: add userBucket: { s3Bucket, s3Key } for a disk image in S3",
      );
    } else if (sources.length > 1) {
      pushFail(
        failures,
        base,
        `must name its disk with exactly one of url, userBucket or snapshotId (got ${sources.join(" and ")}). Fix: keep one of them`,
      );
    }
    const fromSnapshot = sources.length === 1 && sources[0] === "snapshotId";
    checkString(
      news,
      `${base}.format`,
      {
        required: !fromSnapshot && sources.length > 0,
        pattern: /^(?:ova|vhd|vhdx|vmdk|raw)$/i,
        patternText: `one of ${FORMATS.join(", ")} (any case)`,
        fix: "set the disk image's format: OVA, VHD, VHDX, VMDK or RAW",
      },
      failures,
    );
    const urlBefore = failures.length;
    checkString(
      news,
      `${base}.url`,
      { minLength: 1, fix: "use s3://bucket/key or the https:// object URL" },
      failures,
    );
    const url = d["url"];
    if (failures.length === urlBefore && typeof url === "string" && !containsUnknown(url)) {
      checkDiskUrl(url, `${base}.url`, failures, extraS3Origins);
    }
    if (d["userBucket"] !== undefined) checkUserBucket(news, `${base}.userBucket`, failures);
    checkString(
      news,
      `${base}.snapshotId`,
      {
        pattern: SNAPSHOT_ID,
        patternText: "snap- followed by 8 or 17 hex digits",
        fix: "copy the snapshot ID from `aws ec2 describe-snapshots`",
      },
      failures,
    );
  });
}

/** clientData: ISO 8601 upload times in order, a size in GiB, a short comment. */
export function checkClientData(news: Record<string, unknown>, failures: CheckFailure[]): void {
  const before = failures.length;
  checkObject(
    news,
    "clientData",
    { fix: "use { comment, uploadStart, uploadEnd, uploadSize }" },
    failures,
  );
  const data = news["clientData"];
  if (failures.length > before || data === undefined || data === null || isUnknown(data)) return;
  checkString(
    news,
    "clientData.comment",
    { maxLength: 255, fix: "use at most 255 characters" },
    failures,
  );
  for (const key of ["uploadStart", "uploadEnd"]) {
    checkString(
      news,
      `clientData.${key}`,
      {
        pattern: ISO_DATE,
        patternText: "an ISO 8601 time such as 2026-01-01T10:00:00Z",
        fix: "use new Date(...).toISOString()",
      },
      failures,
    );
  }
  checkNumber(
    news,
    "clientData.uploadSize",
    { min: 0, fix: "give the uploaded size in GiB" },
    failures,
  );
  const d = data as Record<string, unknown>;
  const start = d["uploadStart"];
  const end = d["uploadEnd"];
  if (
    typeof start === "string" &&
    typeof end === "string" &&
    !containsUnknown(start) &&
    !containsUnknown(end) &&
    Date.parse(end) < Date.parse(start)
  ) {
    pushFail(
      failures,
      "clientData.uploadEnd",
      `must not be before uploadStart (${start} > ${end}). Fix: swap the two times`,
    );
  }
}

/** bootMode: legacy-bios or uefi (uefi-preferred is not supported for import). */
export function checkBootMode(news: Record<string, unknown>, failures: CheckFailure[]): void {
  if (news["bootMode"] === "uefi-preferred") {
    pushFail(
      failures,
      "bootMode",
      'must be legacy-bios or uefi: uefi-preferred is not supported for import. Fix: use "uefi" for UEFI disks, "legacy-bios" otherwise',
    );
    return;
  }
  checkString(
    news,
    "bootMode",
    { oneOf: ["legacy-bios", "uefi"], fix: "use legacy-bios or uefi, or omit it to detect it" },
    failures,
  );
}

/** licenseSpecifications: a list of License Manager configuration ARNs. */
export function checkLicenses(news: Record<string, unknown>, failures: CheckFailure[]): void {
  const licenses = news["licenseSpecifications"];
  if (Array.isArray(licenses)) {
    licenses.forEach((_l: unknown, i) => {
      checkString(
        news,
        `licenseSpecifications[${i}].licenseConfigurationArn`,
        {
          required: true,
          pattern: LICENSE_ARN,
          patternText: "arn:aws:license-manager:<region>:<account>:license-configuration:<id>",
          fix: "copy the ARN from `aws license-manager list-license-configurations`",
        },
        failures,
      );
    });
  } else if (licenses !== undefined && licenses !== null && !isUnknown(licenses)) {
    pushFail(
      failures,
      "licenseSpecifications",
      `must be a list of { licenseConfigurationArn } (got ${typeName(licenses)}). Fix: use [{ licenseConfigurationArn: "arn:aws:license-manager:…" }]`,
    );
  }
}

/** The cross-field rules, after the table's (and its nested) rules. */
export function checkMore(news: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const bootMode = news["bootMode"];
  // Cross-field rules.
  const kms = news["kmsKeyId"];
  const encrypted = news["encrypted"];
  if (kms !== undefined && !isUnknown(kms) && !isUnknown(encrypted) && encrypted !== true) {
    pushFail(
      failures,
      "kmsKeyId",
      "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId",
    );
  }
  const disks = news["diskContainers"];
  if (
    bootMode === "uefi" &&
    news["platform"] === undefined &&
    Array.isArray(disks) &&
    disks.some((d) => typeof d === "object" && d !== null && "snapshotId" in d)
  ) {
    pushFail(
      failures,
      "platform",
      "is required for a UEFI import from a snapshot. Fix: set platform to Windows or Linux",
    );
  }
  checkRetainOptions(news, failures, {
    whole: "retainImageOnDelete",
    part: "retainSnapshotsOnDelete",
    why: "the kept AMI still uses its snapshots",
  });
  return failures;
}
