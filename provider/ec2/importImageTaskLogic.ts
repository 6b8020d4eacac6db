/**
 * Pure logic of `ec2.ImportImageTask`: input rules (ImportImage API reference and the VM Import
 * limitations, aws-apis.md §4.4–4.5), the ImportImage request, diff, acceptors as data, outputs and
 * messages. No I/O.
 */
import {
  type CheckFailure,
  checkBoolean,
  checkInteger,
  checkNumber,
  checkObject,
  checkString,
  typeName,
} from "../core/check";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { redactUrl } from "../core/redact";
import { deriveToken } from "../core/tokens";
import { containsUnknown, isUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
import {
  BUCKET,
  BUCKET_TEXT,
  checkTags,
  type DiffResult,
  diffTask,
  GONE,
  labelOf,
  pickInputs,
  pollHistory,
  stableUrl,
  successorToken as chainToken,
  tagSpecifications,
  WAIT_TIMEOUT_MINUTES_MAX,
} from "./shared";

export const RESOURCE_TYPE = "ec2.ImportImageTask";
const TOKEN_TYPE = "ec2:ImportImageTask";

// ---- Shapes ---------------------------------------------------------------------------------

/** One disk of the task as this package keeps it (SnapshotDetail without its credential URL). */
export interface SnapshotDetail {
  description?: string;
  deviceName?: string;
  /** Bytes. */
  diskImageSize?: number;
  format?: string;
  snapshotId?: string;
  status?: string;
  statusMessage?: string;
  progress?: number;
}

/** An ImportImageTask (DescribeImportImageTasks) or ImportImageResult, normalized. */
export interface ImageTask {
  importTaskId: string;
  status: string;
  statusMessage?: string;
  /** Percent 0–100 (AWS sends a string). */
  progress?: number;
  imageId?: string;
  architecture?: string;
  platform?: string;
  licenseType?: string;
  bootMode?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  hypervisor?: string;
  usageOperation?: string;
  description?: string;
  snapshotDetails: SnapshotDetail[];
}

/** The AMI an import registered (DescribeImages). */
export interface Ec2Image {
  imageId: string;
  state?: string;
  /** ISO 8601. */
  creationDate?: string;
  name?: string;
  snapshotIds: string[];
}

/** The ImportImage request in the SDK's field names (api.ts passes it to ImportImageCommand). */
export interface ImportImageRequest {
  Architecture?: string;
  BootMode?: "legacy-bios" | "uefi" | "uefi-preferred";
  ClientData?: { Comment?: string; UploadStart?: Date; UploadEnd?: Date; UploadSize?: number };
  ClientToken: string;
  Description?: string;
  DiskContainers: {
    Description?: string;
    DeviceName?: string;
    Format?: string;
    SnapshotId?: string;
    Url?: string;
    UserBucket?: { S3Bucket?: string; S3Key?: string };
  }[];
  Encrypted?: boolean;
  Hypervisor?: string;
  KmsKeyId?: string;
  LicenseSpecifications?: { LicenseConfigurationArn?: string }[];
  LicenseType?: string;
  Platform?: string;
  RoleName?: string;
  TagSpecifications?: {
    ResourceType: "import-image-task";
    Tags: { Key: string; Value: string }[];
  }[];
  UsageOperation?: string;
}

export interface DiskContainerInput {
  description?: string;
  deviceName?: string;
  format?: string;
  snapshotId?: string;
  url?: string;
  userBucket?: { s3Bucket?: string; s3Key?: string };
}

/** Inputs after check(), as the provider receives them (untyped on the wire). */
export interface ImportImageTaskInputs {
  architecture?: string;
  bootMode?: string;
  clientData?: { comment?: string; uploadStart?: string; uploadEnd?: string; uploadSize?: number };
  clientToken?: string;
  description?: string;
  diskContainers?: DiskContainerInput[];
  encrypted?: boolean;
  hypervisor?: string;
  kmsKeyId?: string;
  licenseSpecifications?: { licenseConfigurationArn?: string }[];
  licenseType?: string;
  platform?: string;
  roleName?: string;
  tags?: Record<string, string>;
  usageOperation?: string;
  adoptImportTaskId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  retainOnDelete?: boolean;
  retainImageOnDelete?: boolean;
  retainSnapshotsOnDelete?: boolean;
  __provider?: string;
}

/** The ImportImage parameters: a change to any of them is a different import (replace). */
export const IMPORT_KEYS = [
  "architecture",
  "bootMode",
  "clientData",
  "description",
  "diskContainers",
  "encrypted",
  "hypervisor",
  "kmsKeyId",
  "licenseSpecifications",
  "licenseType",
  "platform",
  "roleName",
  "tags",
  "usageOperation",
] as const;

const UPDATE_KEYS = [
  "clientToken",
  "waitForCompletion",
  "waitTimeoutMinutes",
  "retainOnDelete",
  "retainImageOnDelete",
  "retainSnapshotsOnDelete",
] as const;

export const INPUT_KEYS = [...IMPORT_KEYS, "adoptImportTaskId", ...UPDATE_KEYS] as const;

export const DEFAULTS = {
  roleName: "vmimport",
  waitForCompletion: true,
  /** Image imports take from tens of minutes to several hours. */
  waitTimeoutMinutes: 480,
  retainOnDelete: false,
  retainImageOnDelete: false,
  retainSnapshotsOnDelete: false,
} as const;

export const LIMITS = {
  /** VM Import fails a VM with more than 21 volumes (limitations-image.md). */
  diskContainersMax: 21,
  clientTokenMaxLength: 64,
  descriptionMaxLength: 255,
  s3KeyMaxLength: 1024,
} as const;

const FORMATS = ["OVA", "VHD", "VHDX", "VMDK", "RAW"] as const;
const IMPORT_TASK_ID = /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/;
const SNAPSHOT_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/-]+))$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const LICENSE_ARN = /^arn:aws[\w-]*:license-manager:[a-z0-9-]+:\d{12}:license-configuration:\S+$/;
const USAGE_OPERATION = /^RunInstances(?::\d{4})?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const ISO_DATE = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?$/;

// ---- check ----------------------------------------------------------------------------------

export interface CheckOptions {
  /** Origins of a configured endpoint override (the emulator serves S3 over http). */
  extraS3Origins?: readonly string[];
}

function pushFail(failures: CheckFailure[], property: string, reason: string): void {
  failures.push({ property, reason });
}

function checkDiskUrl(
  url: string,
  path: string,
  failures: CheckFailure[],
  options: CheckOptions,
): void {
  const fix =
    "Fix: use s3://bucket/key, the https:// object URL (presigned URLs are fine: they are kept secret), or userBucket";
  if (/^s3:\/\/[^/]+\/.+/.test(url)) {
    const bucket = /^s3:\/\/([^/]+)\//.exec(url)?.[1] ?? "";
    if (!BUCKET.test(bucket)) {
      pushFail(
        failures,
        path,
        `must name a valid S3 bucket (got "${bucket}": ${BUCKET_TEXT}). ${fix}`,
      );
    }
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    pushFail(
      failures,
      path,
      `must be an s3:// or https:// URL of an S3 object (got an unparsable URL). ${fix}`,
    );
    return;
  }
  const local = (options.extraS3Origins ?? []).includes(parsed.origin);
  if (parsed.protocol !== "https:" && !local) {
    pushFail(
      failures,
      path,
      `must use the https:// or s3:// scheme (got "${redactUrl(url).slice(0, 80)}"). ${fix}`,
    );
    return;
  }
  if (parsed.pathname.length <= 1) {
    pushFail(failures, path, `must name an S3 object, not just a host. ${fix}`);
  }
}

function checkDiskContainers(
  news: Record<string, unknown>,
  required: boolean,
  failures: CheckFailure[],
  options: CheckOptions,
): void {
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
      checkDiskUrl(url, `${base}.url`, failures, options);
    }
    if (d["userBucket"] !== undefined) {
      const ubBefore = failures.length;
      checkObject(news, `${base}.userBucket`, { fix: "use { s3Bucket, s3Key }" }, failures);
      if (failures.length === ubBefore) {
        checkString(
          news,
          `${base}.userBucket.s3Bucket`,
          {
            required: true,
            pattern: BUCKET,
            patternText: BUCKET_TEXT,
            fix: "name the S3 bucket that holds the disk image",
          },
          failures,
        );
        checkString(
          news,
          `${base}.userBucket.s3Key`,
          {
            required: true,
            minLength: 1,
            maxLength: LIMITS.s3KeyMaxLength,
            fix: "give the disk image's object key, e.g. vms/web.vmdk",
          },
          failures,
        );
      }
    }
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

function checkClientData(news: Record<string, unknown>, failures: CheckFailure[]): void {
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

/**
 * Every documented constraint plus the cross-field rules; values unknown in preview are skipped.
 * Never throws.
 */
export function checkInputs(
  news: Record<string, unknown>,
  options: CheckOptions = {},
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const adopting = news["adoptImportTaskId"] !== undefined;
  checkString(
    news,
    "adoptImportTaskId",
    {
      pattern: IMPORT_TASK_ID,
      patternText: "import-ami- followed by 8 or 17 letters/digits",
      fix: "copy ImportTaskId from `aws ec2 describe-import-image-tasks`",
    },
    failures,
  );
  checkDiskContainers(news, !adopting, failures, options);
  checkString(
    news,
    "architecture",
    { oneOf: ["i386", "x86_64"], fix: "use x86_64 (or i386); VM Import detects it when omitted" },
    failures,
  );
  checkString(
    news,
    "platform",
    {
      oneOf: ["Windows", "Linux"],
      fix: "use Windows or Linux (VM Import detects it when omitted)",
    },
    failures,
  );
  checkString(
    news,
    "licenseType",
    {
      oneOf: ["AWS", "BYOL"],
      fix: "use AWS (license included) or BYOL; AWS recommends setting licenseType or usageOperation",
    },
    failures,
  );
  checkString(news, "hypervisor", { oneOf: ["xen"], fix: "use xen or omit it" }, failures);
  const bootMode = news["bootMode"];
  if (bootMode === "uefi-preferred") {
    pushFail(
      failures,
      "bootMode",
      'must be legacy-bios or uefi: uefi-preferred is not supported for import. Fix: use "uefi" for UEFI disks, "legacy-bios" otherwise',
    );
  } else {
    checkString(
      news,
      "bootMode",
      { oneOf: ["legacy-bios", "uefi"], fix: "use legacy-bios or uefi, or omit it to detect it" },
      failures,
    );
  }
  checkString(
    news,
    "description",
    { minLength: 1, maxLength: LIMITS.descriptionMaxLength, fix: "use 1–255 characters" },
    failures,
  );
  checkString(
    news,
    "clientToken",
    {
      minLength: 1,
      maxLength: LIMITS.clientTokenMaxLength,
      pattern: PRINTABLE_ASCII,
      patternText: "printable ASCII",
      fix: "use 1–64 ASCII characters, or omit it and let the provider derive one from the stack, the resource name and the import parameters",
    },
    failures,
  );
  checkString(
    news,
    "roleName",
    {
      pattern: ROLE_NAME,
      patternText: "1–64 letters, digits or +=,.@_-",
      fix: "name the VM Import service role (default vmimport)",
    },
    failures,
  );
  checkString(
    news,
    "kmsKeyId",
    {
      pattern: KMS_KEY,
      patternText: "a KMS key ID, key ARN, alias/name or alias ARN",
      fix: "copy the key ID or ARN from `aws kms list-keys`",
    },
    failures,
  );
  checkString(
    news,
    "usageOperation",
    {
      pattern: USAGE_OPERATION,
      patternText: "RunInstances or RunInstances:NNNN",
      fix: "use a billing code such as RunInstances:0002 (Windows, license included)",
    },
    failures,
  );
  checkBoolean(news, "encrypted", { fix: "use true or false" }, failures);
  checkClientData(news, failures);
  checkTags(news, "tags", failures);
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
  for (const property of [
    "waitForCompletion",
    "retainOnDelete",
    "retainImageOnDelete",
    "retainSnapshotsOnDelete",
  ]) {
    checkBoolean(news, property, { fix: "use true or false" }, failures);
  }
  checkInteger(
    news,
    "waitTimeoutMinutes",
    {
      min: 1,
      max: WAIT_TIMEOUT_MINUTES_MAX,
      fix: "use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
    },
    failures,
  );
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
  if (news["retainImageOnDelete"] === true && news["retainSnapshotsOnDelete"] === false) {
    pushFail(
      failures,
      "retainSnapshotsOnDelete",
      "cannot be false while retainImageOnDelete is true: the kept AMI still uses its snapshots. Fix: remove retainSnapshotsOnDelete or set retainImageOnDelete to false",
    );
  }
  if (
    news["retainOnDelete"] === true &&
    (news["retainImageOnDelete"] === false || news["retainSnapshotsOnDelete"] === false)
  ) {
    pushFail(
      failures,
      "retainOnDelete",
      "keeps everything, which contradicts retainImageOnDelete/retainSnapshotsOnDelete: false. Fix: drop retainOnDelete and use the per-artifact options",
    );
  }
  return failures;
}

// ---- request, identity, tokens --------------------------------------------------------------

/** Narrows untyped inputs after check() (wrong types were already reported there). */
export function asInputs(raw: Record<string, unknown>): ImportImageTaskInputs {
  const str = (k: string): string | undefined => (typeof raw[k] === "string" ? raw[k] : undefined);
  const bool = (k: string): boolean | undefined =>
    typeof raw[k] === "boolean" ? raw[k] : undefined;
  const obj = <T>(k: string): T | undefined =>
    typeof raw[k] === "object" && raw[k] !== null ? (raw[k] as T) : undefined;
  const num = raw["waitTimeoutMinutes"];
  return {
    architecture: str("architecture"),
    bootMode: str("bootMode"),
    clientData: obj("clientData"),
    clientToken: str("clientToken"),
    description: str("description"),
    diskContainers: Array.isArray(raw["diskContainers"])
      ? (raw["diskContainers"] as DiskContainerInput[])
      : undefined,
    encrypted: bool("encrypted"),
    hypervisor: str("hypervisor"),
    kmsKeyId: str("kmsKeyId"),
    licenseSpecifications: Array.isArray(raw["licenseSpecifications"])
      ? (raw["licenseSpecifications"] as { licenseConfigurationArn?: string }[])
      : undefined,
    licenseType: str("licenseType"),
    platform: str("platform"),
    roleName: str("roleName"),
    tags: obj("tags"),
    usageOperation: str("usageOperation"),
    adoptImportTaskId: str("adoptImportTaskId"),
    waitForCompletion: bool("waitForCompletion"),
    waitTimeoutMinutes: typeof num === "number" && Number.isFinite(num) ? num : undefined,
    retainOnDelete: bool("retainOnDelete"),
    retainImageOnDelete: bool("retainImageOnDelete"),
    retainSnapshotsOnDelete: bool("retainSnapshotsOnDelete"),
    __provider: str("__provider"),
  };
}

function date(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Drops undefined members (the SDK would serialize nothing for them anyway; tests compare). */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function importImageRequest(
  inputs: ImportImageTaskInputs,
  clientToken: string,
): ImportImageRequest {
  const cd = inputs.clientData;
  const clientData =
    cd === undefined
      ? undefined
      : compact({
          Comment: cd.comment,
          UploadStart: date(cd.uploadStart),
          UploadEnd: date(cd.uploadEnd),
          UploadSize: cd.uploadSize,
        });
  const tags = tagSpecifications(inputs.tags, "import-image-task") as
    ImportImageRequest["TagSpecifications"] | undefined;
  return compact({
    Architecture: inputs.architecture,
    BootMode: inputs.bootMode as ImportImageRequest["BootMode"],
    ClientData: clientData,
    ClientToken: clientToken,
    Description: inputs.description,
    DiskContainers: (inputs.diskContainers ?? []).map((d) =>
      compact({
        Description: d.description,
        DeviceName: d.deviceName,
        Format: d.format?.toUpperCase(),
        SnapshotId: d.snapshotId,
        Url: d.url,
        UserBucket:
          d.userBucket === undefined
            ? undefined
            : { S3Bucket: d.userBucket.s3Bucket, S3Key: d.userBucket.s3Key },
      }),
    ),
    Encrypted: inputs.encrypted,
    Hypervisor: inputs.hypervisor,
    KmsKeyId: inputs.kmsKeyId,
    LicenseSpecifications: inputs.licenseSpecifications?.map((l) => ({
      LicenseConfigurationArn: l.licenseConfigurationArn,
    })),
    LicenseType: inputs.licenseType,
    Platform: inputs.platform,
    RoleName: inputs.roleName,
    TagSpecifications: tags,
    UsageOperation: inputs.usageOperation,
  });
}

/**
 * What makes two imports the same import: the ImportImage parameters with defaults applied, disk
 * formats upper-cased and presigned URLs reduced to the object they name (a re-signed URL is the
 * same disk). Feeds both diff() and the default ClientToken.
 */
export function importIdentity(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of IMPORT_KEYS) {
    let v = inputs[key];
    if (v === undefined && key === "roleName") v = DEFAULTS.roleName;
    if (key === "diskContainers" && Array.isArray(v)) {
      v = v.map((d: unknown) => {
        if (typeof d !== "object" || d === null) return d;
        const disk = { ...(d as Record<string, unknown>) };
        if (typeof disk["format"] === "string") disk["format"] = disk["format"].toUpperCase();
        if (typeof disk["url"] === "string") disk["url"] = stableUrl(disk["url"]);
        return disk;
      });
    }
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The default ClientToken: stack, project, resource name and import identity (≤ 64 ASCII). */
export function defaultClientToken(
  stack: string,
  project: string,
  name: string,
  inputs: Record<string, unknown>,
): string {
  return deriveToken(
    { stack, project, type: TOKEN_TYPE, name, inputs: importIdentity(inputs) },
    { maxLength: LIMITS.clientTokenMaxLength },
  );
}

/** Token when the caller gave none (provider used without the resource class). */
export function fallbackToken(inputs: Record<string, unknown>): string {
  return defaultClientToken("", "", "", inputs);
}

export function successorToken(token: string, failedTaskId: string): string {
  return chainToken(TOKEN_TYPE, token, failedTaskId);
}

// ---- status, acceptors ----------------------------------------------------------------------

export type StatusClass = "success" | "failure" | "pending";

/**
 * `completed` succeeds; `deleted` (cancelled or failed: StatusMessage says which) and `deleting`
 * (a cancel or a failure being rolled back: it never turns into completed) fail; everything else
 * (`active`, `updating`, `validating`, `converting`, future values) is still running.
 */
export function classifyStatus(status: string): StatusClass {
  if (status === "completed") return "success";
  if (status === "deleted" || status === "deleting" || status === GONE) return "failure";
  return "pending";
}

export type Observation = ImageTask | undefined;

export function statusOf(o: Observation): string {
  return o?.status ?? GONE;
}

export const createAcceptors: readonly Acceptor<Observation>[] = [
  { verdict: "success", description: "completed", matches: (o) => o?.status === "completed" },
  {
    verdict: "failure",
    description: "deleting, deleted (failed or cancelled) or gone",
    matches: (o) => classifyStatus(statusOf(o)) === "failure",
  },
];

/**
 * After CancelImportTask: `deleted` or gone is the end. `completed` also ends the wait: the import
 * finished before the cancel landed, and its AMI is then cleaned up like any other.
 */
export const cancelAcceptors: readonly Acceptor<Observation>[] = [
  {
    verdict: "success",
    description: "deleted, completed or gone",
    matches: (o) => o === undefined || o.status === "deleted" || o.status === "completed",
  },
];

// ---- diff -----------------------------------------------------------------------------------

export type { DiffResult };

/**
 * Import parameters and adoptImportTaskId replace (a re-signed presigned URL of the same object is no
 * change); waiting and delete options update in place; a failed task is replaced (see diffTask).
 */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffResult {
  return diffTask(
    {
      importKeys: IMPORT_KEYS,
      updateKeys: UPDATE_KEYS,
      adoptKey: "adoptImportTaskId",
      idKey: "importTaskId",
      statusKey: "status",
      classify: classifyStatus,
      identity: importIdentity,
      defaults: DEFAULTS,
    },
    olds,
    news,
  );
}

// ---- outputs --------------------------------------------------------------------------------

/** The recorded inputs of a resource, read back from its outputs (and `__provider`). */
export function inputsOf(props: Record<string, unknown>): Record<string, unknown> {
  return pickInputs(props, INPUT_KEYS);
}

/** Snapshot IDs of the import: the AMI's block devices when known, else the task's details. */
export function snapshotIdsOf(task: ImageTask | undefined, image: Ec2Image | undefined): string[] {
  if (image !== undefined && image.snapshotIds.length > 0) return [...image.snapshotIds];
  return (task?.snapshotDetails ?? [])
    .map((s) => s.snapshotId)
    .filter((s): s is string => s !== undefined);
}

/**
 * Outputs: the inputs echoed (diff reads them back), the task's state, the AMI. Fields the task
 * reports that share a name with an input (platform, architecture…) go under `taskDetails`, so a
 * detected value is never mistaken for a changed input.
 */
export function toOutputs(
  inputs: Record<string, unknown>,
  task: ImageTask,
  image?: Ec2Image,
): Record<string, OutputValue> {
  const progress = task.status === "completed" ? 100 : task.progress;
  return normalizeOutputs({
    ...inputsOf(inputs),
    importTaskId: task.importTaskId,
    status: task.status,
    statusMessage: task.statusMessage,
    progress,
    imageId: task.imageId ?? image?.imageId,
    snapshotIds: snapshotIdsOf(task, image),
    snapshotDetails: task.snapshotDetails,
    imageState: image?.state,
    imageCreationDate: image?.creationDate,
    taskDetails: {
      architecture: task.architecture,
      platform: task.platform,
      licenseType: task.licenseType,
      bootMode: task.bootMode,
      encrypted: task.encrypted,
      kmsKeyId: task.kmsKeyId,
      hypervisor: task.hypervisor,
      usageOperation: task.usageOperation,
      description: task.description,
    },
  });
}

/**
 * The task as last recorded in `props` (for read/delete once Describe has forgotten it: EC2 keeps
 * task records only 7 days).
 */
export function recordedTask(id: string, props: Record<string, unknown>): ImageTask {
  const str = (k: string): string | undefined =>
    typeof props[k] === "string" && props[k] !== "" ? props[k] : undefined;
  const details = props["snapshotDetails"];
  const progress = props["progress"];
  const taskDetails =
    typeof props["taskDetails"] === "object" && props["taskDetails"] !== null
      ? (props["taskDetails"] as Partial<ImageTask>)
      : {};
  const task: ImageTask = {
    ...taskDetails,
    importTaskId: id,
    status: str("status") ?? GONE,
    snapshotDetails: Array.isArray(details) ? (details as SnapshotDetail[]) : [],
  };
  const statusMessage = str("statusMessage");
  if (statusMessage !== undefined) task.statusMessage = statusMessage;
  if (typeof progress === "number") task.progress = progress;
  const imageId = str("imageId");
  if (imageId !== undefined) task.imageId = imageId;
  const ids = props["snapshotIds"];
  if (task.snapshotDetails.length === 0 && Array.isArray(ids)) {
    task.snapshotDetails = ids
      .filter((s): s is string => typeof s === "string")
      .map((snapshotId) => ({ snapshotId }));
  }
  return task;
}

// ---- messages -------------------------------------------------------------------------------

/** `ec2.ImportImageTask "web server"`: messages name the import by its description, else its ID. */
export function subject(description: unknown, fallbackId?: string): string {
  return `${RESOURCE_TYPE} "${labelOf(description, fallbackId)}"`;
}

export function logLabel(description: unknown, fallbackId?: string): string {
  return `${RESOURCE_TYPE} ${labelOf(description, fallbackId)}`;
}

const RETRY = "then run `pulumi up` again (a failed import is replaced)";

/** What to do about a failed import, from VM Import's StatusMessage. */
export function adviceFor(status: string, statusMessage: string | undefined): string {
  const m = statusMessage ?? "";
  if (status === GONE) {
    return "DescribeImportImageTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run `pulumi refresh`, then `pulumi up` to import again.";
  }
  if (/do not have access|403 Forbidden|AccessDenied/i.test(m)) {
    return `VM Import could not read the disk image: give the service role (roleName, default vmimport) s3:GetObject, s3:GetBucketLocation and s3:ListBucket on the bucket, check the bucket/key, ${RETRY}.`;
  }
  if (/Unsupported specified file format|Unsupported/i.test(m)) {
    return `The file does not match its declared format: set each disk's format to the image's real format (OVA, VHD, VHDX, VMDK, RAW) or export the VM again, ${RETRY}.`;
  }
  if (/No valid partitions|bootable partition/i.test(m)) {
    return `The disk has no valid partition table (not a bootable volume): export the VM's boot disk again, ${RETRY}.`;
  }
  if (/User initiated|cancel/i.test(m)) {
    return "The import was cancelled (CancelImportTask) outside this stack: run `pulumi up` again to start a new import (the task is replaced).";
  }
  if (/^ClientError/i.test(m)) {
    return `VM Import rejected the input; fix what the message names (see the VM Import troubleshooting guide), ${RETRY}.`;
  }
  return `Check the VM Import troubleshooting guide for this message, ${RETRY}.`;
}

/**
 * STYLE.md §7: `ec2.ImportImageTask "web": import import-ami-… ended in deleted after 4 polls
 * (active×3): ClientError: No valid partitions. Not a valid volume. <advice>`. StatusMessages never
 * carry the disk URL; the message is redacted by the logger and errors anyway.
 */
export function failureMessage(
  description: unknown,
  task: Observation,
  wait: { polls: number; observed: readonly string[] },
  id: string,
): string {
  const status = statusOf(task);
  const why = task?.statusMessage ? `: ${task.statusMessage.replace(/\.+$/, "")}` : "";
  return `${subject(description, id)}: import ${id} ended in ${status}${pollHistory(wait)}${why}. ${adviceFor(status, task?.statusMessage)}`;
}

/** Progress line: `active converting 27% (poll 3, 42s)`. */
export function progressLine(o: Observation, poll: number, elapsedMs: number): string {
  const status = statusOf(o);
  const message = o?.statusMessage ? ` ${o.statusMessage}` : "";
  const pct = o?.progress !== undefined ? ` ${o.progress}%` : "";
  return `${status}${message}${pct} (poll ${poll}, ${Math.round(elapsedMs / 1000)}s)`;
}

/** Wait limit: the input, then stack config `awsMigration:waitTimeoutMinutes`, then 480. */
export function waitTimeoutMs(
  inputs: ImportImageTaskInputs,
  configMinutes: number | undefined,
): number {
  return (inputs.waitTimeoutMinutes ?? configMinutes ?? DEFAULTS.waitTimeoutMinutes) * 60_000;
}
