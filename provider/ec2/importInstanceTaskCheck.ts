/**
 * The input rules of `ec2.ImportInstanceTask` that its property table cannot say: the one disk
 * image with its presigned manifest, the launch specification, the region and the cross-field
 * rules (ImportInstance API reference, aws-apis.md §4.2–4.3). Values unknown in preview are
 * skipped; never throws.
 */
import { modelRule } from "../core/awsModel";
import {
  type CheckFailure,
  checkFields,
  checkInteger,
  checkObject,
  checkString,
  type Fields,
  typeName,
} from "../core/check";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import { containsUnknown, isUnknown } from "../core/unknown";
import { MODEL } from "./model.generated";
import { checkRetainOptions } from "./shared";

const LAUNCH = "ImportInstanceLaunchSpecification";

/** Regions that offer ImportInstance; AWS adds no more (VMIE-UG vmimport-instance-import.md). */
export const IMPORT_INSTANCE_REGIONS: readonly string[] = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "us-east-2",
  "ca-central-1",
  "us-gov-west-1",
  "sa-east-1",
  "eu-west-1",
  "eu-central-1",
  "ap-southeast-1",
  "ap-northeast-1",
  "ap-southeast-2",
  "ap-northeast-2",
  "ap-south-1",
  "cn-north-1",
];

export const LIMITS = {
  descriptionMaxLength: 255,
  /** EBS volumes: 1–16384 GiB. */
  volumeSizeMax: 16_384,
} as const;

const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const SG_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function checkManifestUrl(
  url: string,
  path: string,
  failures: CheckFailure[],
  extraS3Origins: readonly string[],
): void {
  const fix =
    "Fix: upload the disk with its import manifest to S3 and pass the manifest's presigned GET URL (it is kept secret)";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    failures.push({
      property: path,
      reason: `must be a presigned https:// S3 URL (got an unparsable URL). ${fix}`,
    });
    return;
  }
  const local = extraS3Origins.includes(parsed.origin);
  if (parsed.protocol !== "https:" && !local) {
    failures.push({
      property: path,
      reason: `must be a presigned https:// S3 URL (got "${redactUrl(url).slice(0, 80)}"). ${fix}`,
    });
    return;
  }
  if (!isCredentialBearingUrl(url)) {
    failures.push({
      property: path,
      reason: `must be presigned (EC2 reads the manifest with the URL's own signature; got a URL without X-Amz-Signature or Signature). ${fix}`,
    });
  }
}

/**
 * diskImages: exactly one disk (required unless adopting) with its presigned manifest URL; an http
 * URL counts only on a configured endpoint's origin (`extraS3Origins`, the emulator's S3).
 */
export function checkDiskImages(
  news: Record<string, unknown>,
  failures: CheckFailure[],
  extraS3Origins: readonly string[],
): void {
  const required = news["adoptConversionTaskId"] === undefined;
  const disks = news["diskImages"];
  if (isUnknown(disks)) return;
  if (disks === undefined || disks === null) {
    if (required) {
      failures.push({
        property: "diskImages",
        reason:
          "is required. Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }], or set adoptConversionTaskId",
      });
    }
    return;
  }
  if (!Array.isArray(disks)) {
    failures.push({
      property: "diskImages",
      reason: `must be a list with one disk image (got ${typeName(disks)}). Fix: use [{ image: { format, bytes, importManifestUrl }, volume: { size } }]`,
    });
    return;
  }
  if (disks.length !== 1) {
    failures.push({
      property: "diskImages",
      reason: `must have exactly one disk image: ImportInstance supports single-volume VMs only (got ${disks.length}). Fix: use ec2.ImportImageTask for multi-volume VMs`,
    });
  }
  disks.forEach((disk: unknown, i) => {
    const base = `diskImages[${i}]`;
    const before = failures.length;
    checkObject(news, base, { required: true, fix: "give { image, volume }" }, failures);
    if (failures.length > before || isUnknown(disk)) return;
    checkString(
      news,
      `${base}.description`,
      { minLength: 1, maxLength: LIMITS.descriptionMaxLength, fix: "use 1–255 characters" },
      failures,
    );
    checkObject(
      news,
      `${base}.image`,
      { required: true, fix: "give { format, bytes, importManifestUrl }" },
      failures,
    );
    checkObject(news, `${base}.volume`, { required: true, fix: "give { size } in GiB" }, failures);
    checkString(
      news,
      `${base}.image.format`,
      modelRule(MODEL, "DiskImageDetail", "Format", {
        required: true,
        fix: "use VMDK, RAW or VHD (the disk image's format)",
      }),
      failures,
    );
    checkInteger(
      news,
      `${base}.image.bytes`,
      { required: true, min: 1, fix: "give the disk image's size in bytes" },
      failures,
    );
    const urlBefore = failures.length;
    checkString(
      news,
      `${base}.image.importManifestUrl`,
      {
        required: true,
        minLength: 1,
        fix: "give the presigned URL of the disk's import manifest in S3",
      },
      failures,
    );
    const d = disk as { image?: Record<string, unknown>; volume?: Record<string, unknown> };
    const url = d.image?.["importManifestUrl"];
    if (failures.length === urlBefore && typeof url === "string" && !containsUnknown(url)) {
      checkManifestUrl(url, `${base}.image.importManifestUrl`, failures, extraS3Origins);
    }
    checkInteger(
      news,
      `${base}.volume.size`,
      {
        required: true,
        min: 1,
        max: LIMITS.volumeSizeMax,
        fix: "give the EBS volume size in GiB, at least the disk image's size",
      },
      failures,
    );
    const bytes = d.image?.["bytes"];
    const size = d.volume?.["size"];
    if (typeof bytes === "number" && typeof size === "number" && size * 2 ** 30 < bytes) {
      failures.push({
        property: `${base}.volume.size`,
        reason: `must hold the disk image: ${size} GiB is less than ${bytes} bytes. Fix: use at least ${Math.ceil(bytes / 2 ** 30)} GiB`,
      });
    }
  });
}

/** launchSpecification's members, checked in this order before its placement. */
const LAUNCH_FIELDS: Fields = {
  architecture: [
    "string",
    {
      oneOf: ["i386", "x86_64"],
      fix: "use x86_64 or i386 (ImportInstance imports x86 Windows VMs)",
    },
  ],
  instanceType: [
    "string",
    {
      pattern: INSTANCE_TYPE,
      patternText: "an instance type such as m5.large",
      fix: "pick an instance type that supports Windows import, e.g. m5.large",
    },
  ],
  groupNames: [
    "stringArray",
    {
      item: { minLength: 1, maxLength: 255, fix: "name security groups of 1–255 characters" },
      fix: 'use a list of security group names, e.g. ["web"]',
    },
  ],
  groupIds: [
    "stringArray",
    {
      item: {
        pattern: SG_ID,
        patternText: "sg- followed by 8 or 17 hex digits",
        fix: "copy the security group ID",
      },
      fix: 'use a list of security group IDs, e.g. ["sg-0123456789abcdef0"]',
    },
  ],
  additionalInfo: [
    "string",
    { maxLength: 1024, fix: "use at most 1024 characters (AWS reserves this field)" },
  ],
  userData: [
    "string",
    {
      pattern: BASE64,
      patternText: "base64 text",
      fix: "base64-encode the user data (it is kept secret)",
    },
  ],
  subnetId: [
    "string",
    {
      pattern: SUBNET_ID,
      patternText: "subnet- followed by 8 or 17 hex digits",
      fix: "copy the subnet ID",
    },
  ],
  instanceInitiatedShutdownBehavior: [
    "string",
    modelRule(MODEL, LAUNCH, "InstanceInitiatedShutdownBehavior", { fix: "use stop or terminate" }),
  ],
  privateIpAddress: [
    "string",
    { pattern: IPV4, patternText: "an IPv4 address", fix: "use an address in the subnet's range" },
  ],
  monitoring: ["boolean", { fix: "use true or false" }],
};

/** launchSpecification: where and how the instance runs (no Dedicated Hosts). */
export function checkLaunchSpecification(
  news: Record<string, unknown>,
  failures: CheckFailure[],
): void {
  const before = failures.length;
  checkObject(news, "launchSpecification", { fix: "use { instanceType, subnetId, … }" }, failures);
  const spec = news["launchSpecification"];
  if (failures.length > before || spec === undefined || spec === null || isUnknown(spec)) return;
  const p = (k: string): string => `launchSpecification.${k}`;
  checkFields(news, "launchSpecification", LAUNCH_FIELDS, failures);
  const placementBefore = failures.length;
  checkObject(
    news,
    p("placement"),
    { fix: "use { availabilityZone, groupName, tenancy }" },
    failures,
  );
  const placement = (spec as Record<string, unknown>)["placement"];
  if (failures.length > placementBefore || typeof placement !== "object" || placement === null)
    return;
  const pl = placement as Record<string, unknown>;
  if (pl["tenancy"] === "host" || pl["hostId"] !== undefined || pl["affinity"] !== undefined) {
    failures.push({
      property: p("placement"),
      reason:
        "must not use host tenancy, hostId or affinity: ImportInstance does not support Dedicated Hosts. Fix: use tenancy default or dedicated, or import with ec2.ImportImageTask and launch the AMI on the host",
    });
  } else {
    checkString(
      news,
      p("placement.tenancy"),
      { oneOf: ["default", "dedicated"], fix: "use default or dedicated" },
      failures,
    );
  }
  checkString(
    news,
    p("placement.availabilityZone"),
    {
      pattern: /^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$/,
      patternText: "a zone such as us-west-2a",
      fix: "name a zone of the configured region",
    },
    failures,
  );
  checkString(
    news,
    p("placement.groupName"),
    { minLength: 1, maxLength: 255, fix: "name the placement group (1–255 characters)" },
    failures,
  );
}

/** The region and the cross-field rules, after the table's (and its nested) rules. */
export function checkMore(
  news: Record<string, unknown>,
  region: string | undefined,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const adopting = news["adoptConversionTaskId"] !== undefined;
  if (!adopting && region !== undefined && !IMPORT_INSTANCE_REGIONS.includes(region)) {
    failures.push({
      property: "aws:region",
      reason: `must be a region that offers ImportInstance (got ${region}; it exists only in ${IMPORT_INSTANCE_REGIONS.join(", ")}). Fix: use ec2.ImportImageTask, which every region offers`,
    });
  }
  checkRetainOptions(news, failures, {
    whole: "retainInstanceOnDelete",
    part: "retainVolumesOnDelete",
    why: "the kept instance still uses its volume",
  });
  return failures;
}
