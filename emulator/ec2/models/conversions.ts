import type { OperationContext, QueryParams } from "../../core/service";
import { parseS3Url } from "../../core/s3store";
import {
  cannotCancel,
  conversionTaskMalformed,
  conversionTaskNotFound,
  invalidAvailabilityZone,
  invalidCombination,
  invalidParameter,
  invalidValue,
  missingParameter,
  unsupportedOperation,
} from "../errors";
import { Params } from "../params";
import {
  type ConversionRecord,
  iso,
  RETENTION_MS,
  state,
  TEARDOWN_MS,
  UPLOAD_EXPIRY_MS,
} from "./state";

/**
 * Legacy ImportInstance conversion tasks (DescribeConversionTasks, CancelConversionTask). A task
 * validates its import manifest, converts, and then leaves a stopped instance with its volume
 * (see instances.ts).
 */

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

const CONVERSION_ID = /^import-i-[0-9a-z]{8}$/;

export function importInstance(ctx: OperationContext, params: QueryParams): ConversionTaskView {
  const p = new Params(params);
  if (!IMPORT_INSTANCE_REGIONS.includes(ctx.region)) {
    throw unsupportedOperation(
      `ImportInstance is not supported in the ${ctx.region} Region. Use ImportImage instead.`,
    );
  }
  // The model requires Platform and allows only Windows (PlatformValues), and requires Format
  // (VMDK | RAW | VHD), Bytes and ImportManifestUrl in an Image and Size in a Volume; those checks
  // ran before this handler. What remains is what the model leaves open.
  const platform = p.required("Platform");
  const disks = p.list("DiskImage");
  // The model leaves DiskImage optional, but an instance import without a disk imports nothing:
  // "the disk image" is the point of the call (VMIE-UG vmimport-instance-import.md).
  if (disks.length === 0) throw missingParameter("DiskImage");
  if (disks.length > 1) {
    throw invalidCombination(
      `ImportInstance supports single-volume VMs only, and ${disks.length} disk images were given. Use ImportImage for multi-volume VMs.`,
    );
  }
  const disk = disks[0]!;
  const format = disk.required("Image.Format");
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
  // EBS volumes are 1-16,384 GiB (https://docs.aws.amazon.com/ebs/latest/userguide/volume_constraints.html).
  const volumeSize = disk.at("Volume").int("Size", 1, 16384);
  // The model leaves Volume optional (Size is required only inside it), but the import creates
  // that volume, so an omitted Volume is a missing Size.
  if (volumeSize === undefined) throw missingParameter(disk.key("Volume.Size"));
  if (volumeSize * 2 ** 30 < bytes) {
    throw invalidCombination(
      `The volume size ${volumeSize} GiB is smaller than the disk image (${bytes} bytes).`,
    );
  }
  const spec = p.at("LaunchSpecification");
  // Stricter than the model's ArchitectureValues: VM Import imports 32- and 64-bit x86 VMs only
  // (https://docs.aws.amazon.com/vm-import/latest/userguide/prerequisites.html).
  const architecture = spec.oneOf("Architecture", ["i386", "x86_64"]);
  const instanceType = spec.str("InstanceType");
  const placement = spec.at("Placement");
  const tenancy = placement.str("Tenancy");
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
  const seededMs = record.validateMs + record.convertMs;
  const chosen = ctx.taskDuration(record.id, seededMs);
  if (chosen.chosen) {
    // Both stages keep their seeded share of the chosen total.
    record.validateMs = Math.round((record.validateMs * chosen.ms) / seededMs);
    record.convertMs = chosen.ms - record.validateMs;
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
export function visibleConversions(ctx: OperationContext): ConversionRecord[] {
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
