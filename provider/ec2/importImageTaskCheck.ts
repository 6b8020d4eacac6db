/**
 * The input rules of `ec2.ImportImageTask` its property table cannot say (ImportImage API reference,
 * VM Import limitations, aws-apis.md §4.4–4.5). Values unknown in preview are skipped.
 */
import * as checks from "../core/check";
import { checkMembers } from "../core/task/helpers";
import { containsUnknown } from "../core/unknown";
import { checkDisk, checkRetainOptions, type DiskRules } from "./shared";
import { checkKmsNeedsEncryption } from "./vmImport";

const DISK: DiskRules = {
  sources: ["url", "userBucket", "snapshotId"],
  formats: ["OVA", "VHD", "VHDX", "VMDK", "RAW"],
  formatFix: "set the disk image's format: OVA, VHD, VHDX, VMDK or RAW",
  noneFix: "add userBucket: { s3Bucket, s3Key } for a disk image in S3",
};
const EXAMPLE = '[{ format: "VMDK", userBucket: { s3Bucket, s3Key } }]';

/**
 * diskContainers: 1–21 disks (VM Import fails a VM with more volumes), required unless adopting;
 * an http URL counts only on a configured endpoint's origin (`origins`, the emulator's S3).
 */
export function checkDiskContainers(
  news: Record<string, unknown>,
  failures: checks.CheckFailure[],
  origins: readonly string[],
): void {
  const disks = news["diskContainers"];
  if ((disks === undefined || disks === null) && news["adoptImportTaskId"] === undefined) {
    const reason = `is required. Fix: list the VM's disks, e.g. ${EXAMPLE}, or set adoptImportTaskId`;
    failures.push({ property: "diskContainers", reason });
  }
  const rule = {
    minItems: 1,
    maxItems: 21,
    fix: `use 1–21 disks, e.g. ${EXAMPLE}; VM Import fails a VM with more than 21 volumes, import extra disks with ImportSnapshot`,
    itemFix: "give an object with format and url or userBucket",
    fields: {},
  };
  checks.checkList(news, "diskContainers", rule, failures, (_disk, i) =>
    checkDisk(news, `diskContainers[${i}]`, DISK, origins, failures),
  );
}

/** clientData's members: ISO 8601 upload times in order, a size in GiB, a short comment. */
export function checkClientData(news: Record<string, unknown>): checks.CheckFailure[] {
  const time = {
    pattern: /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/,
    patternText: "an ISO 8601 time such as 2026-01-01T10:00:00Z",
    fix: "use new Date(...).toISOString()",
  };
  const failures = checkMembers(news, "clientData", {
    comment: ["string", { maxLength: 255, fix: "use at most 255 characters" }],
    uploadStart: ["string", time],
    uploadEnd: ["string", time],
    uploadSize: ["number", { min: 0, fix: "give the uploaded size in GiB" }],
  });
  const data = news["clientData"];
  if (!checks.isPlainObject(data)) return failures;
  const { uploadStart: start, uploadEnd: end } = data;
  if (
    typeof start === "string" &&
    typeof end === "string" &&
    !containsUnknown([start, end]) &&
    Date.parse(end) < Date.parse(start)
  ) {
    const reason = `must not be before uploadStart (${start} > ${end}). Fix: swap the two times`;
    failures.push({ property: "clientData.uploadEnd", reason });
  }
  return failures;
}

/** bootMode: legacy-bios or uefi (uefi-preferred is not supported for import). */
export function checkBootMode(
  news: Record<string, unknown>,
  failures: checks.CheckFailure[],
): void {
  if (news["bootMode"] === "uefi-preferred") {
    failures.push({
      property: "bootMode",
      reason:
        'must be legacy-bios or uefi: uefi-preferred is not supported for import. Fix: use "uefi" for UEFI disks, "legacy-bios" otherwise',
    });
    return;
  }
  const fix = "use legacy-bios or uefi, or omit it to detect it";
  checks.checkString(news, "bootMode", { oneOf: ["legacy-bios", "uefi"], fix }, failures);
}

/** licenseSpecifications: a list of License Manager configuration ARNs. */
export function checkLicenses(
  news: Record<string, unknown>,
  failures: checks.CheckFailure[],
): void {
  const arn = {
    required: true,
    pattern: /^arn:aws[\w-]*:license-manager:[a-z0-9-]+:\d{12}:license-configuration:\S+$/,
    patternText: "arn:aws:license-manager:<region>:<account>:license-configuration:<id>",
    fix: "copy the ARN from `aws license-manager list-license-configurations`",
  };
  const rule = {
    minItems: 0,
    fix: 'use [{ licenseConfigurationArn: "arn:aws:license-manager:…" }]',
    itemFix: "give { licenseConfigurationArn }",
    fields: { licenseConfigurationArn: ["string", arn] } satisfies checks.Fields,
  };
  checks.checkList(news, "licenseSpecifications", rule, failures, () => undefined);
}

/** The cross-field rules, after the table's (and its nested) rules. */
export function checkMore(news: Record<string, unknown>): checks.CheckFailure[] {
  const failures = checkKmsNeedsEncryption(news);
  const disks = news["diskContainers"];
  if (
    news["bootMode"] === "uefi" &&
    news["platform"] === undefined &&
    Array.isArray(disks) &&
    disks.some((d) => checks.isPlainObject(d) && "snapshotId" in d)
  ) {
    const reason =
      "is required for a UEFI import from a snapshot. Fix: set platform to Windows or Linux";
    failures.push({ property: "platform", reason });
  }
  checkRetainOptions(news, failures, {
    whole: "retainImageOnDelete",
    part: "retainSnapshotsOnDelete",
    why: "the kept AMI still uses its snapshots",
  });
  return failures;
}
