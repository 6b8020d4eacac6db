import type { OperationContext, QueryParams } from "../core/service";
import { parseS3Url } from "../core/s3store";
import { type DiskFormat, diskImageProblem, NO_ACCESS } from "./diskImage";
import {
  amiMalformed,
  amiNotFound,
  cannotCancel,
  conversionTaskMalformed,
  conversionTaskNotFound,
  idempotentMismatch,
  instanceMalformed,
  instanceNotFound,
  invalidAvailabilityZone,
  invalidCombination,
  invalidDependency,
  invalidFilter,
  invalidNextToken,
  invalidParameter,
  invalidTagResourceType,
  invalidValue,
  missingParameter,
  snapshotInUse,
  snapshotMalformed,
  snapshotNotFound,
  unsupportedOperation,
  volumeInUse,
  volumeMalformed,
  volumeNotFound,
} from "./errors";
import { Params } from "./params";

/**
 * EC2 VM Import backend: legacy ImportInstance conversion tasks, ImportImage tasks, and the AMIs
 * and snapshots a finished import leaves behind. Per account and region. Task status is computed
 * from the emulated clock whenever a call reads it (start time plus seeded stage durations); the
 * first read after a stage boundary records its outcome (disk validation, the new AMI) in state.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** VM Import returns finished tasks for 7 days after they end; then only the AMI remains. */
export const RETENTION_MS = 7 * DAY_MS;
/**
 * ImportInstance's expirationTime: the upload deadline after which AWS cancels the task. AWS does
 * not document its length; the emulator's disks are already in S3, so the task never reaches it.
 */
const UPLOAD_EXPIRY_MS = 7 * DAY_MS;
/** Emulated time a cancelled or failed task spends in `deleting` / `cancelling`. */
export const TEARDOWN_MS = 30_000;

/** ImportImage's active StatusMessages in order, with the Progress each shows. */
export const IMAGE_STAGES = [
  { message: "pending", progress: 2, minSec: 20, maxSec: 60 },
  { message: "validating", progress: 5, minSec: 60, maxSec: 120 },
  { message: "validated", progress: 14, minSec: 10, maxSec: 30 },
  { message: "converting", progress: 27, minSec: 120, maxSec: 480 },
  { message: "updating", progress: 43, minSec: 60, maxSec: 180 },
  { message: "booting", progress: 58, minSec: 60, maxSec: 240 },
  { message: "booted", progress: 72, minSec: 10, maxSec: 30 },
  { message: "preparing ami", progress: 86, minSec: 60, maxSec: 180 },
] as const;
/** Index of the stage whose end decides whether the disks are acceptable. */
const VALIDATING = 1;

/** Regions that offer ImportInstance (VMIE-UG: "will not be supported in any additional Regions"). */
export const IMPORT_INSTANCE_REGIONS = [
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

export const MANIFEST_NO_ACCESS =
  "ClientError: Import manifest validation failed [We do not have access to the given resource. Reason 403 Forbidden]";
export const MANIFEST_INVALID =
  "ClientError: Import manifest validation failed [Invalid manifest file]";

export interface Tag {
  Key: string;
  Value: string;
}

export interface UserBucket {
  S3Bucket: string;
  S3Key: string;
}

interface DiskRecord {
  description?: string;
  deviceName?: string;
  format: DiskFormat;
  url?: string;
  userBucket?: UserBucket;
}

interface ImportImageRecord {
  id: string;
  seq: number;
  createdMs: number;
  architecture?: string;
  description?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  hypervisor?: string;
  licenseType: string;
  platform: "Windows" | "Linux";
  roleName: string;
  bootMode?: string;
  usageOperation?: string;
  licenseConfigurationArns: string[];
  tags: Tag[];
  disks: DiskRecord[];
  /** Cumulative ms from createdMs to the end of each stage of IMAGE_STAGES. */
  stageEnds: number[];
  /** Recorded at the end of `validating`: the failure message, or the disk sizes in bytes. */
  validation?: { problem?: string; sizes: number[] };
  cancel?: { atMs: number; reason?: string };
  imageId?: string;
  snapshotIds?: string[];
}

interface ConversionRecord {
  id: string;
  seq: number;
  createdMs: number;
  description?: string;
  platform: string;
  instanceId: string;
  volumeId: string;
  availabilityZone: string;
  diskDescription?: string;
  format: string;
  bytes: number;
  importManifestUrl: string;
  volumeSize: number;
  validateMs: number;
  convertMs: number;
  instanceType?: string;
  architecture?: string;
  /** The instance and volume were registered (they may since have been terminated/deleted). */
  finished?: boolean;
  validation?: { problem?: string };
  cancel?: { atMs: number; reason?: string };
}

interface ImageRecord {
  imageId: string;
  name: string;
  description?: string;
  architecture: string;
  platform: "Windows" | "Linux";
  creationMs: number;
  bootMode?: string;
  usageOperation: string;
  encrypted: boolean;
  kmsKeyId?: string;
  importTaskId: string;
  blockDevices: { deviceName: string; snapshotId: string; volumeSize: number }[];
}

interface SnapshotRecord {
  snapshotId: string;
  volumeSize: number;
  startMs: number;
  encrypted: boolean;
  /** The AMI that references it, while registered. */
  imageId?: string;
}

interface Ec2State {
  nextSeq: number;
  conversionTasks: Record<string, ConversionRecord>;
  importTasks: Record<string, ImportImageRecord>;
  clientTokens: Record<string, { taskId: string; fingerprint: string }>;
  images: Record<string, ImageRecord>;
  snapshots: Record<string, SnapshotRecord>;
  /** Instances and volumes a finished ImportInstance leaves behind (absent in older state files). */
  instances?: Record<string, InstanceRecord>;
  volumes?: Record<string, VolumeRecord>;
}

interface InstanceRecord {
  instanceId: string;
  conversionTaskId: string;
  instanceType: string;
  availabilityZone: string;
  platform: string;
  architecture: string;
  launchMs: number;
  volumeId: string;
  terminatedAtMs?: number;
}

interface VolumeRecord {
  volumeId: string;
  size: number;
  availabilityZone: string;
  createMs: number;
  /** The instance it is attached to (as /dev/sda1) until that instance is terminated. */
  instanceId?: string;
}

function state(ctx: OperationContext): Ec2State {
  return ctx.state<Ec2State>("vmimport", () => ({
    nextSeq: 1,
    conversionTasks: {},
    importTasks: {},
    clientTokens: {},
    images: {},
    snapshots: {},
  }));
}

function iso(ms: number): string {
  // EC2 reports whole seconds.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

// ---- Views (what Describe* returns, computed from the clock) ------------------------------------

export interface ConversionTaskView {
  conversionTaskId: string;
  expirationTime: string;
  state: "active" | "cancelling" | "cancelled" | "completed";
  statusMessage?: string;
  importInstance: {
    description?: string;
    instanceId: string;
    platform: string;
    volumes: {
      availabilityZone: string;
      bytesConverted: number;
      description?: string;
      image: { format: string; importManifestUrl: string; size: number };
      status: string;
      statusMessage?: string;
      volume: { id: string; size: number };
    }[];
  };
}

export interface SnapshotDetailView {
  description?: string;
  deviceName?: string;
  diskImageSize?: number;
  format: string;
  snapshotId?: string;
  status: string;
  statusMessage?: string;
  url?: string;
  userBucket?: UserBucket;
}

export interface ImportImageTaskView {
  architecture?: string;
  bootMode?: string;
  description?: string;
  encrypted?: boolean;
  hypervisor?: string;
  imageId?: string;
  importTaskId: string;
  kmsKeyId?: string;
  licenseType: string;
  licenseConfigurationArns: string[];
  platform: string;
  progress?: string;
  snapshotDetails: SnapshotDetailView[];
  status: "active" | "completed" | "deleting" | "deleted";
  statusMessage?: string;
  tags: Tag[];
  usageOperation?: string;
}

export interface ImageView {
  record: ImageRecord;
  ownerId: string;
  creationDate: string;
}

// ---- ImportInstance / DescribeConversionTasks / CancelConversionTask ------------------------------

const CONVERSION_ID = /^import-i-[0-9a-z]{8}$/;

export function importInstance(ctx: OperationContext, params: QueryParams): ConversionTaskView {
  const p = new Params(params);
  if (!IMPORT_INSTANCE_REGIONS.includes(ctx.region)) {
    throw unsupportedOperation(
      `ImportInstance is not supported in the ${ctx.region} Region. Use ImportImage instead.`,
    );
  }
  const platform = p.required("Platform");
  if (platform !== "Windows") throw invalidValue("Platform", platform, "Valid values: Windows");
  const disks = p.list("DiskImage");
  if (disks.length === 0) throw missingParameter("DiskImage");
  if (disks.length > 1) {
    throw invalidCombination(
      `ImportInstance supports single-volume VMs only, and ${disks.length} disk images were given. Use ImportImage for multi-volume VMs.`,
    );
  }
  const disk = disks[0]!;
  const format = disk.required("Image.Format");
  if (!["VMDK", "RAW", "VHD"].includes(format))
    throw invalidValue(disk.key("Image.Format"), format, "Valid values: VMDK, RAW, VHD");
  const bytesText = disk.required("Image.Bytes");
  const bytes = /^\d+$/.test(bytesText) ? Number(bytesText) : 0;
  if (!Number.isSafeInteger(bytes) || bytes <= 0)
    throw invalidParameter(`Parameter disk-image-size=${bytesText} has an invalid format`);
  const importManifestUrl = disk.required("Image.ImportManifestUrl");
  if (!parseS3Url(importManifestUrl)) {
    throw invalidValue(
      disk.key("Image.ImportManifestUrl"),
      importManifestUrl,
      "The import manifest URL must be a presigned URL of an Amazon S3 object.",
    );
  }
  const volumeSize = disk.at("Volume").int("Size", 1, 16384);
  if (volumeSize === undefined) throw missingParameter(disk.key("Volume.Size"));
  if (volumeSize * 2 ** 30 < bytes) {
    throw invalidCombination(
      `The volume size ${volumeSize} GiB is smaller than the disk image (${bytes} bytes).`,
    );
  }
  const spec = p.at("LaunchSpecification");
  const architecture = spec.oneOf("Architecture", ["i386", "x86_64"]);
  const instanceType = spec.str("InstanceType");
  if (instanceType !== undefined && !/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(instanceType))
    throw invalidValue(spec.key("InstanceType"), instanceType);
  spec.oneOf("InstanceInitiatedShutdownBehavior", ["stop", "terminate"]);
  spec.bool("Monitoring");
  const placement = spec.at("Placement");
  const tenancy = placement.oneOf("Tenancy", ["default", "dedicated", "host"]);
  if (
    tenancy === "host" ||
    placement.str("HostId") !== undefined ||
    placement.str("Affinity") !== undefined
  ) {
    throw invalidCombination(
      "ImportInstance does not support host tenancy, Placement.HostId or Placement.Affinity.",
    );
  }
  const zone = placement.str("AvailabilityZone");
  if (zone !== undefined && !new RegExp(`^${ctx.region}[a-z]$`).test(zone))
    throw invalidAvailabilityZone(zone);
  const s = state(ctx);
  const now = ctx.clock.now();
  const record: ConversionRecord = {
    id: `import-i-${ctx.random.hex(8)}`,
    seq: s.nextSeq++,
    createdMs: now,
    ...(p.str("Description") !== undefined ? { description: p.str("Description") } : {}),
    platform,
    instanceId: `i-${ctx.random.hex(17)}`,
    volumeId: `vol-${ctx.random.hex(17)}`,
    availabilityZone: zone ?? `${ctx.region}a`,
    ...(disk.str("Description") !== undefined ? { diskDescription: disk.str("Description") } : {}),
    format,
    bytes,
    importManifestUrl,
    volumeSize,
    validateMs: Math.round(ctx.random.between(30, 90)) * 1000,
    convertMs: Math.round(ctx.random.between(300, 900)) * 1000,
    ...(instanceType !== undefined ? { instanceType } : {}),
    ...(architecture !== undefined ? { architecture } : {}),
  };
  const chosenMs = ctx.taskDurationMs?.({ id: record.id });
  if (chosenMs !== undefined) {
    // Both stages keep their seeded share of the chosen total.
    record.validateMs = Math.round(
      (record.validateMs * chosenMs) / (record.validateMs + record.convertMs),
    );
    record.convertMs = chosenMs - record.validateMs;
  }
  s.conversionTasks[record.id] = record;
  ctx.markDirty();
  return conversionView(ctx, record);
}

/** When a conversion task ended (completed or cancelled), or undefined while it runs. */
function conversionEndMs(ctx: OperationContext, t: ConversionRecord): number | undefined {
  if (t.cancel) return t.cancel.atMs + TEARDOWN_MS;
  const validated = t.createdMs + t.validateMs;
  if (ctx.clock.now() < validated) return undefined;
  const problem = conversionProblem(ctx, t);
  if (problem) return validated;
  const done = validated + t.convertMs;
  return ctx.clock.now() >= done ? done : undefined;
}

/** Reads the import manifest once, when validation ends, and keeps the outcome. */
function conversionProblem(ctx: OperationContext, t: ConversionRecord): string | undefined {
  if (!t.validation) {
    const loc = parseS3Url(t.importManifestUrl);
    const read = loc ? ctx.s3.read(loc.bucket, loc.key) : undefined;
    let problem: string | undefined;
    if (!read?.ok) problem = MANIFEST_NO_ACCESS;
    else if (!/<manifest[\s>]/.test(read.body.subarray(0, 4096).toString("utf8")))
      problem = MANIFEST_INVALID;
    t.validation = problem ? { problem } : {};
    ctx.markDirty();
  }
  return t.validation.problem;
}

function conversionView(ctx: OperationContext, t: ConversionRecord): ConversionTaskView {
  const now = ctx.clock.now();
  const validated = t.createdMs + t.validateMs;
  let taskState: ConversionTaskView["state"] = "active";
  let statusMessage: string | undefined;
  let bytesConverted = 0;
  if (t.cancel) {
    taskState = now < t.cancel.atMs + TEARDOWN_MS ? "cancelling" : "cancelled";
    statusMessage = t.cancel.reason;
  } else if (now >= validated) {
    const problem = conversionProblem(ctx, t);
    if (problem) {
      taskState = "cancelled";
      statusMessage = problem;
    } else if (now >= validated + t.convertMs) {
      taskState = "completed";
      bytesConverted = t.bytes;
      finishConversion(ctx, t, validated + t.convertMs);
    } else {
      const fraction = (now - validated) / t.convertMs;
      bytesConverted = Math.floor(t.bytes * fraction);
      statusMessage = `Progress: ${Math.floor(fraction * 100)}%`;
    }
  }
  return {
    conversionTaskId: t.id,
    expirationTime: iso(t.createdMs + UPLOAD_EXPIRY_MS),
    state: taskState,
    ...(statusMessage !== undefined ? { statusMessage } : {}),
    importInstance: {
      ...(t.description !== undefined ? { description: t.description } : {}),
      instanceId: t.instanceId,
      platform: t.platform,
      volumes: [
        {
          availabilityZone: t.availabilityZone,
          bytesConverted,
          ...(t.diskDescription !== undefined ? { description: t.diskDescription } : {}),
          image: { format: t.format, importManifestUrl: t.importManifestUrl, size: t.bytes },
          status: taskState,
          ...(statusMessage !== undefined ? { statusMessage } : {}),
          volume: { id: t.volumeId, size: t.volumeSize },
        },
      ],
    },
  };
}

/** Drops conversion tasks that ended more than RETENTION_MS ago. */
function visibleConversions(ctx: OperationContext): ConversionRecord[] {
  const s = state(ctx);
  const now = ctx.clock.now();
  const out: ConversionRecord[] = [];
  for (const t of Object.values(s.conversionTasks)) {
    const end = conversionEndMs(ctx, t);
    // A conversion that completed leaves its instance behind even if nobody looked in 7 days.
    if (end !== undefined && !t.cancel && !conversionProblem(ctx, t)) finishConversion(ctx, t, end);
    if (end !== undefined && now >= end + RETENTION_MS) {
      delete s.conversionTasks[t.id];
      ctx.markDirty();
    } else out.push(t);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

function findConversion(ctx: OperationContext, id: string): ConversionRecord {
  if (!CONVERSION_ID.test(id)) throw conversionTaskMalformed(id, "import-i-xxxxxxxx");
  const t = visibleConversions(ctx).find((c) => c.id === id);
  if (!t) throw conversionTaskNotFound(id);
  return t;
}

export function describeConversionTasks(
  ctx: OperationContext,
  params: QueryParams,
): ConversionTaskView[] {
  const ids = new Params(params).strings("ConversionTaskId");
  if (ids.length === 0) return visibleConversions(ctx).map((t) => conversionView(ctx, t));
  return ids.map((id) => conversionView(ctx, findConversion(ctx, id)));
}

export function cancelConversionTask(ctx: OperationContext, params: QueryParams): void {
  const p = new Params(params);
  const t = findConversion(ctx, p.required("ConversionTaskId"));
  if (conversionView(ctx, t).state !== "active") throw cannotCancel();
  const reason = p.str("ReasonMessage");
  t.cancel = { atMs: ctx.clock.now(), ...(reason !== undefined ? { reason } : {}) };
  ctx.markDirty();
}

/** Registers the stopped instance and its attached volume the first time the task is completed. */
function finishConversion(ctx: OperationContext, t: ConversionRecord, doneAt: number): void {
  const s = state(ctx);
  s.instances ??= {};
  s.volumes ??= {};
  if (s.instances[t.instanceId] || t.finished) return;
  s.instances[t.instanceId] = {
    instanceId: t.instanceId,
    conversionTaskId: t.id,
    instanceType: t.instanceType ?? "m1.small",
    availabilityZone: t.availabilityZone,
    platform: t.platform,
    architecture: t.architecture ?? "x86_64",
    launchMs: doneAt,
    volumeId: t.volumeId,
  };
  s.volumes[t.volumeId] = {
    volumeId: t.volumeId,
    size: t.volumeSize,
    availabilityZone: t.availabilityZone,
    createMs: doneAt,
    instanceId: t.instanceId,
  };
  t.finished = true;
  ctx.markDirty();
}

// ---- ImportImage / DescribeImportImageTasks / CancelImportTask ------------------------------------

// Older task IDs were 8 alphanumerics (import-ami-fgxn195v), current ones 17 hex digits.
const IMPORT_IMAGE_ID = /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/;
const DISK_FORMATS: readonly DiskFormat[] = ["OVA", "VHD", "VHDX", "VMDK", "RAW"];
/** VM Import fails a VM with more than 21 volumes (VMIE-UG limitations-image.md). */
const MAX_DISKS = 21;
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/-]+))$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

function parseDisk(d: Params, emulatorUrl: string): DiskRecord {
  const formatText = d.str("Format");
  if (formatText === undefined) throw missingParameter(d.key("Format"));
  const format = d.oneOf("Format", DISK_FORMATS, true)!;
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

function parseTags(p: Params, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of p.list("TagSpecification")) {
    const type = spec.str("ResourceType");
    if (type === undefined) throw missingParameter(spec.key("ResourceType"));
    if (type !== resourceType) throw invalidTagResourceType(type);
    for (const t of spec.list("Tag")) {
      const key = t.str("Key");
      if (key === undefined || key === "") throw missingParameter(t.key("Key"));
      if (key.length > 128)
        throw invalidValue(t.key("Key"), key, "Tag keys can have at most 128 characters.");
      if (key.toLowerCase().startsWith("aws:"))
        throw invalidValue(
          t.key("Key"),
          key,
          "Tag keys starting with 'aws:' are reserved for internal use.",
        );
      const value = t.str("Value") ?? "";
      if (value.length > 256)
        throw invalidValue(t.key("Value"), value, "Tag values can have at most 256 characters.");
      tags.push({ Key: key, Value: value });
    }
  }
  if (tags.length > 50) throw invalidParameter("The number of tags must not exceed 50.");
  return tags;
}

/** What ClientToken idempotency compares: every parameter except the token and DryRun. */
function fingerprint(params: QueryParams): string {
  const skip = new Set(["Action", "Version", "ClientToken", "DryRun"]);
  return JSON.stringify(
    [...params.entries()]
      .filter(([k]) => !skip.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

export function importImage(ctx: OperationContext, params: QueryParams): ImportImageTaskView {
  const p = new Params(params);
  const clientToken = p.str("ClientToken");
  if (clientToken !== undefined && (clientToken.length > 64 || !/^[\x20-\x7e]*$/.test(clientToken)))
    throw invalidValue(
      "ClientToken",
      clientToken,
      "Client tokens are at most 64 ASCII characters.",
    );
  const s = state(ctx);
  if (clientToken !== undefined) {
    const prior = s.clientTokens[clientToken];
    if (prior) {
      if (prior.fingerprint !== fingerprint(params)) throw idempotentMismatch();
      const task = s.importTasks[prior.taskId];
      if (task) return imageTaskView(ctx, task);
    }
  }
  const containers = p.list("DiskContainer");
  if (containers.length === 0) throw missingParameter("DiskContainer");
  if (containers.length > MAX_DISKS)
    throw invalidParameter(
      `A VM can have at most ${MAX_DISKS} volumes; ${containers.length} disk containers were given. Use ImportSnapshot for each disk.`,
    );
  const disks = containers.map((c) => parseDisk(c, ctx.baseUrl));
  const architecture = p.oneOf("Architecture", ["i386", "x86_64"]);
  const platform = p.oneOf("Platform", ["Windows", "Linux"]) ?? "Linux";
  const licenseType =
    p.oneOf("LicenseType", ["AWS", "BYOL"]) ?? (platform === "Windows" ? "AWS" : "BYOL");
  const bootMode = p.oneOf("BootMode", ["legacy-bios", "uefi", "uefi-preferred"]);
  if (bootMode === "uefi-preferred")
    throw invalidValue("BootMode", bootMode, "uefi-preferred is not supported for import.");
  const hypervisor = p.oneOf("Hypervisor", ["xen"]);
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
  const roleName = p.str("RoleName") ?? "vmimport";
  if (!ROLE_NAME.test(roleName)) throw invalidValue("RoleName", roleName);
  const description = p.str("Description");
  const usageOperation = p.str("UsageOperation");
  const licenseConfigurationArns = p
    .list("LicenseSpecifications")
    .map((l) => l.required("LicenseConfigurationArn"));
  const tags = parseTags(p, "import-image-task");

  const now = ctx.clock.now();
  const stageEnds: number[] = [];
  let total = 0;
  for (const stage of IMAGE_STAGES) {
    total += Math.round(ctx.random.between(stage.minSec, stage.maxSec)) * 1000;
    stageEnds.push(total);
  }
  const id = `import-ami-${ctx.random.hex(17)}`;
  const chosenMs = ctx.taskDurationMs?.({ id });
  if (chosenMs !== undefined) {
    // Every stage keeps its seeded share of the chosen total.
    for (let i = 0; i < stageEnds.length; i++)
      stageEnds[i] = Math.round((stageEnds[i]! * chosenMs) / total);
  }
  const task: ImportImageRecord = {
    id,
    seq: s.nextSeq++,
    createdMs: now,
    ...(architecture !== undefined ? { architecture } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(encrypted !== undefined ? { encrypted } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    ...(hypervisor !== undefined ? { hypervisor } : {}),
    licenseType,
    platform,
    roleName,
    ...(bootMode !== undefined ? { bootMode } : {}),
    ...(usageOperation !== undefined ? { usageOperation } : {}),
    licenseConfigurationArns,
    tags,
    disks,
    stageEnds,
  };
  s.importTasks[task.id] = task;
  if (clientToken !== undefined)
    s.clientTokens[clientToken] = { taskId: task.id, fingerprint: fingerprint(params) };
  ctx.markDirty();
  return imageTaskView(ctx, task);
}

function diskLocation(d: DiskRecord): { bucket: string; key: string } | undefined {
  if (d.userBucket) return { bucket: d.userBucket.S3Bucket, key: d.userBucket.S3Key };
  return d.url !== undefined ? parseS3Url(d.url) : undefined;
}

/** Reads every disk once, at the end of `validating`, and keeps the outcome. */
function validation(
  ctx: OperationContext,
  t: ImportImageRecord,
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

interface ImagePhase {
  status: ImportImageTaskView["status"];
  statusMessage?: string;
  progress?: number;
  /** When the task ended (completed or deleted). */
  endMs?: number;
}

function imagePhase(ctx: OperationContext, t: ImportImageRecord): ImagePhase {
  const now = ctx.clock.now();
  const validatedAt = t.createdMs + t.stageEnds[VALIDATING]!;
  const doneAt = t.createdMs + t.stageEnds[t.stageEnds.length - 1]!;
  // A cancel only happens while active, so it precedes any failure or completion.
  if (t.cancel) {
    const end = t.cancel.atMs + TEARDOWN_MS;
    const message = t.cancel.reason ?? "User initiated task cancelation";
    return now < end
      ? { status: "deleting", statusMessage: message }
      : { status: "deleted", statusMessage: message, endMs: end };
  }
  if (now >= validatedAt) {
    const v = validation(ctx, t);
    if (v.problem) {
      const end = validatedAt + TEARDOWN_MS;
      return now < end
        ? { status: "deleting", statusMessage: v.problem }
        : { status: "deleted", statusMessage: v.problem, endMs: end };
    }
    if (now >= doneAt) {
      finishImport(ctx, t, doneAt);
      return { status: "completed", endMs: doneAt };
    }
  }
  const index = t.stageEnds.findIndex((end) => now < t.createdMs + end);
  const stage = IMAGE_STAGES[index]!;
  return { status: "active", statusMessage: stage.message, progress: stage.progress };
}

const GIB = 2 ** 30;

/** Registers the AMI and its snapshots the first time the task is seen completed. */
function finishImport(ctx: OperationContext, t: ImportImageRecord, doneAt: number): void {
  if (t.imageId) return;
  const s = state(ctx);
  const imageId = `ami-${ctx.random.hex(17)}`;
  const sizes = t.validation?.sizes ?? [];
  const blockDevices = t.disks.map((d, i) => ({
    deviceName: d.deviceName ?? deviceName(i),
    snapshotId: `snap-${ctx.random.hex(17)}`,
    volumeSize: Math.max(1, Math.ceil((sizes[i] ?? 0) / GIB)),
  }));
  for (const b of blockDevices) {
    s.snapshots[b.snapshotId] = {
      snapshotId: b.snapshotId,
      volumeSize: b.volumeSize,
      startMs: doneAt,
      encrypted: t.encrypted === true,
      imageId,
    };
  }
  s.images[imageId] = {
    imageId,
    name: t.id,
    ...(t.description !== undefined ? { description: t.description } : {}),
    architecture: t.architecture ?? "x86_64",
    platform: t.platform,
    creationMs: doneAt,
    ...(t.bootMode !== undefined ? { bootMode: t.bootMode } : {}),
    usageOperation:
      t.usageOperation ??
      (t.platform === "Windows" && t.licenseType === "AWS" ? "RunInstances:0002" : "RunInstances"),
    encrypted: t.encrypted === true,
    ...(t.kmsKeyId !== undefined ? { kmsKeyId: t.kmsKeyId } : {}),
    importTaskId: t.id,
    blockDevices,
  };
  t.imageId = imageId;
  t.snapshotIds = blockDevices.map((b) => b.snapshotId);
  ctx.markDirty();
}

/** Root disk /dev/sda1, then /dev/sdb, /dev/sdc, … as VM Import names them. */
function deviceName(index: number): string {
  return index === 0 ? "/dev/sda1" : `/dev/sd${String.fromCharCode(97 + index)}`;
}

function imageTaskView(ctx: OperationContext, t: ImportImageRecord): ImportImageTaskView {
  const phase = imagePhase(ctx, t);
  const sizes = t.validation?.problem ? undefined : t.validation?.sizes;
  const image = t.imageId ? state(ctx).images[t.imageId] : undefined;
  const snapshotDetails = t.disks.map((d, i): SnapshotDetailView => {
    const size = sizes?.[i];
    const snapshotId = t.snapshotIds?.[i];
    return {
      ...(d.description !== undefined ? { description: d.description } : {}),
      ...(image ? { deviceName: image.blockDevices[i]?.deviceName ?? deviceName(i) } : {}),
      ...(size !== undefined ? { diskImageSize: size } : {}),
      format: d.format,
      ...(snapshotId !== undefined ? { snapshotId } : {}),
      status: phase.status,
      ...(d.url !== undefined ? { url: d.url } : {}),
      ...(d.userBucket ? { userBucket: d.userBucket } : {}),
    };
  });
  return {
    ...(t.architecture !== undefined ? { architecture: t.architecture } : {}),
    ...(t.bootMode !== undefined ? { bootMode: t.bootMode } : {}),
    ...(t.description !== undefined ? { description: t.description } : {}),
    ...(t.encrypted !== undefined ? { encrypted: t.encrypted } : {}),
    ...(t.hypervisor !== undefined ? { hypervisor: t.hypervisor } : {}),
    ...(phase.status === "completed" && t.imageId ? { imageId: t.imageId } : {}),
    importTaskId: t.id,
    ...(t.kmsKeyId !== undefined ? { kmsKeyId: t.kmsKeyId } : {}),
    licenseType: t.licenseType,
    licenseConfigurationArns: t.licenseConfigurationArns,
    platform: t.platform,
    ...(phase.progress !== undefined ? { progress: String(phase.progress) } : {}),
    snapshotDetails,
    status: phase.status,
    ...(phase.statusMessage !== undefined ? { statusMessage: phase.statusMessage } : {}),
    tags: t.tags,
    ...(t.usageOperation !== undefined ? { usageOperation: t.usageOperation } : {}),
  };
}

/** Advances every import task (registering finished AMIs) and drops those past retention. */
function visibleImports(ctx: OperationContext): ImportImageRecord[] {
  const s = state(ctx);
  const now = ctx.clock.now();
  const out: ImportImageRecord[] = [];
  for (const t of Object.values(s.importTasks)) {
    const end = imagePhase(ctx, t).endMs;
    if (end !== undefined && now >= end + RETENTION_MS) {
      delete s.importTasks[t.id];
      ctx.markDirty();
    } else out.push(t);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

function findImport(ctx: OperationContext, id: string): ImportImageRecord {
  if (!IMPORT_IMAGE_ID.test(id)) throw conversionTaskMalformed(id, "import-ami-xxxxxxxxxxxxxxxxx");
  const t = visibleImports(ctx).find((x) => x.id === id);
  if (!t) throw conversionTaskNotFound(id);
  return t;
}

export function describeImportImageTasks(
  ctx: OperationContext,
  params: QueryParams,
): { tasks: ImportImageTaskView[]; nextToken?: string } {
  const p = new Params(params);
  const ids = p.strings("ImportTaskId");
  const max = p.int("MaxResults", 1);
  let states: string[] | undefined;
  for (const f of p.list("Filters")) {
    const name = f.required("Name");
    if (name !== "task-state") throw invalidFilter(name);
    states = [...(states ?? []), ...f.strings("Value")];
  }
  const token = p.str("NextToken");
  let offset = 0;
  if (token !== undefined) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(token)
      ? Buffer.from(token, "base64url").toString("utf8")
      : "";
    const m = /^offset:(\d+)$/.exec(decoded);
    if (!m?.[1]) throw invalidNextToken();
    offset = Number(m[1]);
  }
  const tasks = ids.length > 0 ? ids.map((id) => findImport(ctx, id)) : visibleImports(ctx);
  let views = tasks.map((t) => imageTaskView(ctx, t));
  if (states) {
    const wanted = states;
    views = views.filter((v) => wanted.includes(v.status));
  }
  const end = max === undefined ? views.length : offset + max;
  const page = views.slice(offset, end);
  return end < views.length
    ? { tasks: page, nextToken: Buffer.from(`offset:${end}`).toString("base64url") }
    : { tasks: page };
}

export function cancelImportTask(
  ctx: OperationContext,
  params: QueryParams,
): { importTaskId: string; previousState: string; state: string } {
  const p = new Params(params);
  const id = p.required("ImportTaskId");
  const t = findImport(ctx, id);
  const previous = imagePhase(ctx, t).status;
  if (previous !== "active") throw cannotCancel();
  const reason = p.str("CancelReason");
  t.cancel = { atMs: ctx.clock.now(), ...(reason !== undefined ? { reason } : {}) };
  ctx.markDirty();
  return { importTaskId: id, previousState: previous, state: "deleting" };
}

// ---- Images and snapshots -------------------------------------------------------------------

const AMI_ID = /^ami-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SNAP_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const IMAGE_FILTERS = [
  "image-id",
  "name",
  "state",
  "architecture",
  "platform",
  "owner-id",
] as const;

export function describeImages(ctx: OperationContext, params: QueryParams): ImageView[] {
  const p = new Params(params);
  visibleImports(ctx);
  const s = state(ctx);
  const ids = p.strings("ImageId");
  for (const id of ids) if (!AMI_ID.test(id)) throw amiMalformed(id);
  const missing = ids.filter((id) => !s.images[id]);
  if (missing.length > 0) throw amiNotFound(missing);
  const owners = p.strings("Owner");
  const filters = p.list("Filter").map((f) => {
    const name = f.required("Name");
    if (!(IMAGE_FILTERS as readonly string[]).includes(name)) throw invalidFilter(name);
    return { name, values: f.strings("Value") };
  });
  let images = ids.length > 0 ? ids.map((id) => s.images[id]!) : Object.values(s.images);
  if (owners.length > 0 && !owners.some((o) => o === "self" || o === ctx.accountId)) images = [];
  images = images.filter((img) =>
    filters.every((f) => f.values.some((v) => globMatch(v, imageField(ctx, img, f.name)))),
  );
  return images
    .sort((a, b) => a.creationMs - b.creationMs || (a.imageId < b.imageId ? -1 : 1))
    .map((record) => ({ record, ownerId: ctx.accountId, creationDate: iso(record.creationMs) }));
}

function imageField(ctx: OperationContext, img: ImageRecord, name: string): string {
  switch (name) {
    case "image-id":
      return img.imageId;
    case "name":
      return img.name;
    case "state":
      return "available";
    case "architecture":
      return img.architecture;
    case "platform":
      return img.platform === "Windows" ? "windows" : "";
    default:
      return ctx.accountId;
  }
}

/** EC2 filter values accept `*` and `?` wildcards. */
function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

export function deregisterImage(
  ctx: OperationContext,
  params: QueryParams,
): { deletedSnapshots?: string[] } {
  const p = new Params(params);
  const id = p.required("ImageId");
  if (!AMI_ID.test(id)) throw amiMalformed(id);
  visibleImports(ctx);
  const s = state(ctx);
  const image = s.images[id];
  if (!image) throw amiNotFound([id]);
  const deleteSnapshots = p.bool("DeleteAssociatedSnapshots") === true;
  delete s.images[id];
  for (const b of image.blockDevices) {
    const snap = s.snapshots[b.snapshotId];
    if (!snap) continue;
    if (deleteSnapshots) delete s.snapshots[b.snapshotId];
    else delete snap.imageId;
  }
  ctx.markDirty();
  return deleteSnapshots ? { deletedSnapshots: image.blockDevices.map((b) => b.snapshotId) } : {};
}

export function deleteSnapshot(ctx: OperationContext, params: QueryParams): void {
  const id = new Params(params).required("SnapshotId");
  if (!SNAP_ID.test(id)) throw snapshotMalformed(id);
  visibleImports(ctx);
  const s = state(ctx);
  const snap = s.snapshots[id];
  if (!snap) throw snapshotNotFound(id);
  if (snap.imageId !== undefined) throw snapshotInUse(id, snap.imageId);
  delete s.snapshots[id];
  ctx.markDirty();
}

// ---- Instances and volumes left by ImportInstance ---------------------------------------------

/** How long a terminated instance stays visible in DescribeInstances (AWS: about an hour). */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const VOLUME_ID = /^vol-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export interface InstanceView {
  record: InstanceRecord;
  state: { code: number; name: "stopped" | "shutting-down" | "terminated" };
}

export interface VolumeView {
  record: VolumeRecord;
  status: "in-use" | "available";
  createTime: string;
}

function instanceState(ctx: OperationContext, i: InstanceRecord): InstanceView["state"] {
  if (i.terminatedAtMs === undefined) return { code: 80, name: "stopped" };
  return ctx.clock.now() < i.terminatedAtMs + TEARDOWN_MS
    ? { code: 32, name: "shutting-down" }
    : { code: 48, name: "terminated" };
}

/** Materializes finished conversions, detaches volumes of terminated instances, forgets old ones. */
function visibleInstances(ctx: OperationContext): InstanceRecord[] {
  visibleConversions(ctx);
  const s = state(ctx);
  const now = ctx.clock.now();
  const out: InstanceRecord[] = [];
  for (const i of Object.values(s.instances ?? {})) {
    if (i.terminatedAtMs !== undefined && now >= i.terminatedAtMs + TEARDOWN_MS) {
      const v = s.volumes?.[i.volumeId];
      if (v?.instanceId === i.instanceId) {
        delete v.instanceId;
        ctx.markDirty();
      }
      if (now >= i.terminatedAtMs + TEARDOWN_MS + TERMINATED_VISIBLE_MS) {
        delete s.instances![i.instanceId];
        ctx.markDirty();
        continue;
      }
    }
    out.push(i);
  }
  return out.sort((a, b) => a.launchMs - b.launchMs || (a.instanceId < b.instanceId ? -1 : 1));
}

function checkInstanceIds(ctx: OperationContext, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw instanceMalformed(id);
  }
  const visible = new Map(visibleInstances(ctx).map((i) => [i.instanceId, i]));
  const missing = ids.filter((id) => !visible.has(id));
  if (missing.length > 0) throw instanceNotFound(missing);
  return ids.map((id) => visible.get(id)!);
}

export function describeInstances(ctx: OperationContext, params: QueryParams): InstanceView[] {
  const ids = new Params(params).strings("InstanceId");
  const records = ids.length > 0 ? checkInstanceIds(ctx, ids) : visibleInstances(ctx);
  return records.map((record) => ({ record, state: instanceState(ctx, record) }));
}

export function terminateInstances(
  ctx: OperationContext,
  params: QueryParams,
): { instanceId: string; previous: InstanceView["state"]; current: InstanceView["state"] }[] {
  const ids = new Params(params).strings("InstanceId");
  if (ids.length === 0) throw missingParameter("InstanceId");
  return checkInstanceIds(ctx, ids).map((i) => {
    const previous = instanceState(ctx, i);
    i.terminatedAtMs ??= ctx.clock.now();
    ctx.markDirty();
    return { instanceId: i.instanceId, previous, current: instanceState(ctx, i) };
  });
}

function findVolume(ctx: OperationContext, id: string): VolumeRecord {
  if (!VOLUME_ID.test(id)) throw volumeMalformed(id);
  visibleInstances(ctx);
  const v = state(ctx).volumes?.[id];
  if (!v) throw volumeNotFound(id);
  return v;
}

export function describeVolumes(ctx: OperationContext, params: QueryParams): VolumeView[] {
  const ids = new Params(params).strings("VolumeId");
  visibleInstances(ctx);
  const records =
    ids.length > 0 ? ids.map((id) => findVolume(ctx, id)) : Object.values(state(ctx).volumes ?? {});
  return records.map((record) => ({
    record,
    status: record.instanceId === undefined ? "available" : "in-use",
    createTime: iso(record.createMs),
  }));
}

export function deleteVolume(ctx: OperationContext, params: QueryParams): void {
  const id = new Params(params).required("VolumeId");
  const v = findVolume(ctx, id);
  if (v.instanceId !== undefined) throw volumeInUse(id, v.instanceId);
  delete state(ctx).volumes![id];
  ctx.markDirty();
}
