/**
 * The rules of `ec2.ImportInstanceTask` its property table cannot say: the one disk image with its
 * presigned manifest, the launch specification's members, the region and the delete options
 * (ImportInstance API reference, aws-apis.md §4.2–4.3). Values unknown in preview are skipped.
 */
import { modelRule } from "../core/awsModel";
import * as checks from "../core/check";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import { checkMembers } from "../core/task/helpers";
import { containsUnknown } from "../core/unknown";
import { MODEL } from "./model.generated";
import { checkRetainOptions } from "./shared";

/** Regions that offer ImportInstance; AWS adds no more (VMIE-UG vmimport-instance-import.md). */
const REGIONS =
  "us-east-1, us-west-1, us-west-2, us-east-2, ca-central-1, us-gov-west-1, sa-east-1, eu-west-1, eu-central-1, ap-southeast-1, ap-northeast-1, ap-southeast-2, ap-northeast-2, ap-south-1, cn-north-1";

const DISK_SHAPE = "[{ image: { format, bytes, importManifestUrl }, volume: { size } }]";

/** The disk image's members, each checked at `diskImages[i].<path>` in this order. */
const DISK_FIELDS: checks.Fields = {
  description: ["string", { minLength: 1, maxLength: 255, fix: "use 1–255 characters" }],
  image: ["object", { required: true, fix: "give { format, bytes, importManifestUrl }" }],
  volume: ["object", { required: true, fix: "give { size } in GiB" }],
  "image.format": [
    "string",
    modelRule(MODEL, "DiskImageDetail", "Format", {
      required: true,
      fix: "use VMDK, RAW or VHD (the disk image's format)",
    }),
  ],
  "image.bytes": [
    "integer",
    { required: true, min: 1, fix: "give the disk image's size in bytes" },
  ],
  "image.importManifestUrl": [
    "string",
    {
      required: true,
      minLength: 1,
      fix: "give the presigned URL of the disk's import manifest in S3",
    },
  ],
  "volume.size": [
    "integer",
    {
      required: true,
      min: 1,
      max: 16_384,
      fix: "give the EBS volume size in GiB, at least the disk image's size",
    },
  ],
};

/** Why `url` is not a presigned https:// manifest URL (http only on a configured endpoint). */
function manifestUrlReason(url: unknown, origins: readonly string[]): string | undefined {
  // One its own rule rejected (not a string, empty) or unknown in preview is not parsed.
  if (typeof url !== "string" || url === "" || containsUnknown(url)) return undefined;
  if (!URL.canParse(url)) return "must be a presigned https:// S3 URL (got an unparsable URL)";
  const { protocol, origin } = new URL(url);
  if (protocol !== "https:" && !origins.includes(origin)) {
    return `must be a presigned https:// S3 URL (got "${redactUrl(url).slice(0, 80)}")`;
  }
  if (!isCredentialBearingUrl(url)) {
    return "must be presigned (EC2 reads the manifest with the URL's own signature; got a URL without X-Amz-Signature or Signature)";
  }
  return undefined;
}

/**
 * diskImages: exactly one disk (required unless adopting) whose volume holds the image, with its
 * presigned manifest URL; an http URL counts only on a configured endpoint's origin (`origins`,
 * the emulator's S3).
 */
export function checkDiskImages(
  news: Record<string, unknown>,
  origins: readonly string[],
): checks.CheckFailure[] {
  const failures: checks.CheckFailure[] = [];
  const disks = news["diskImages"];
  const oneDisk = `give the VM's one disk: ${DISK_SHAPE}`;
  if ((disks === undefined || disks === null) && news["adoptConversionTaskId"] === undefined) {
    const reason = `is required. Fix: ${oneDisk}, or set adoptConversionTaskId`;
    failures.push({ property: "diskImages", reason });
  }
  const rule = {
    minItems: 1,
    maxItems: 1,
    fix: `${oneDisk}; ImportInstance supports single-volume VMs only, use ec2.ImportImageTask for multi-volume VMs`,
    itemFix: "give { image, volume }",
    fields: DISK_FIELDS,
  };
  checks.checkList(news, "diskImages", rule, failures, (disk, i) => {
    const at = `diskImages[${i}]`;
    const reason = manifestUrlReason(checks.getPath(disk, "image.importManifestUrl"), origins);
    if (reason !== undefined) {
      const fix =
        "upload the disk with its import manifest to S3 and pass the manifest's presigned GET URL (it is kept secret)";
      const property = `${at}.image.importManifestUrl`;
      failures.push({ property, reason: `${reason}. Fix: ${fix}` });
    }
    const [bytes, size] = [
      checks.getPath(disk, "image.bytes"),
      checks.getPath(disk, "volume.size"),
    ];
    if (typeof bytes === "number" && typeof size === "number" && size * 2 ** 30 < bytes) {
      failures.push({
        property: `${at}.volume.size`,
        reason: `must hold the disk image: ${size} GiB is less than ${bytes} bytes. Fix: use at least ${Math.ceil(bytes / 2 ** 30)} GiB`,
      });
    }
  });
  return failures;
}

/** An EC2 resource ID such as `subnet-0123456789abcdef0`: the prefix, then 8 or 17 hex digits. */
const awsId = (prefix: string) => ({
  pattern: new RegExp(`^${prefix}-[0-9a-f]{8}(?:[0-9a-f]{9})?$`),
  patternText: `${prefix}- followed by 8 or 17 hex digits`,
});

/** launchSpecification's members, checked in this order before its placement's tenancy. */
const LAUNCH_FIELDS: checks.Fields = {
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
      pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
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
      item: { ...awsId("sg"), fix: "copy the security group ID" },
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
      pattern: /^[A-Za-z0-9+/]*={0,2}$/,
      patternText: "base64 text",
      fix: "base64-encode the user data (it is kept secret)",
    },
  ],
  subnetId: ["string", { ...awsId("subnet"), fix: "copy the subnet ID" }],
  instanceInitiatedShutdownBehavior: [
    "string",
    modelRule(MODEL, "ImportInstanceLaunchSpecification", "InstanceInitiatedShutdownBehavior", {
      fix: "use stop or terminate",
    }),
  ],
  privateIpAddress: [
    "string",
    {
      pattern: /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/,
      patternText: "an IPv4 address",
      fix: "use an address in the subnet's range",
    },
  ],
  monitoring: ["boolean", { fix: "use true or false" }],
  placement: ["object", { fix: "use { availabilityZone, groupName, tenancy }" }],
  "placement.availabilityZone": [
    "string",
    {
      pattern: /^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$/,
      patternText: "a zone such as us-west-2a",
      fix: "name a zone of the configured region",
    },
  ],
  "placement.groupName": [
    "string",
    { minLength: 1, maxLength: 255, fix: "name the placement group (1–255 characters)" },
  ],
};

/** launchSpecification's members, once the table found it an object: no Dedicated Hosts. */
export function checkLaunchSpecification(news: Record<string, unknown>): checks.CheckFailure[] {
  const failures = checkMembers(news, "launchSpecification", LAUNCH_FIELDS);
  const placement = checks.getPath(news, "launchSpecification.placement");
  if (!checks.isPlainObject(placement)) return failures;
  const { tenancy, hostId, affinity } = placement;
  if (tenancy === "host" || hostId !== undefined || affinity !== undefined) {
    failures.push({
      property: "launchSpecification.placement",
      reason:
        "must not use host tenancy, hostId or affinity: ImportInstance does not support Dedicated Hosts. Fix: use tenancy default or dedicated, or import with ec2.ImportImageTask and launch the AMI on the host",
    });
  } else {
    const rule = { oneOf: ["default", "dedicated"], fix: "use default or dedicated" };
    checks.checkString(news, "launchSpecification.placement.tenancy", rule, failures);
  }
  return failures;
}

/** The region and the delete options' cross-field rules, after the table's. */
export function checkMore(
  news: Record<string, unknown>,
  region: string | undefined,
): checks.CheckFailure[] {
  const failures: checks.CheckFailure[] = [];
  const adopting = news["adoptConversionTaskId"] !== undefined;
  if (!adopting && region !== undefined && !REGIONS.split(", ").includes(region)) {
    failures.push({
      property: "aws:region",
      reason: `must be a region that offers ImportInstance (got ${region}; it exists only in ${REGIONS}). Fix: use ec2.ImportImageTask, which every region offers`,
    });
  }
  checkRetainOptions(news, failures, {
    whole: "retainInstanceOnDelete",
    part: "retainVolumesOnDelete",
    why: "the kept instance still uses its volume",
  });
  return failures;
}
