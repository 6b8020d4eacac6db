import type { OperationContext, QueryParams } from "../../core/service";
import {
  cannotCancel,
  conversionTaskMalformed,
  conversionTaskNotFound,
  idempotentMismatch,
  invalidDependency,
  invalidFilter,
  invalidNextToken,
  invalidParameter,
  invalidValue,
  missingParameter,
} from "../errors";
import { Params } from "../params";
import { KMS_KEY, parseDisk, ROLE_NAME, validation } from "./disks";
import {
  fingerprint,
  type ImportImageRecord,
  parseTags,
  RETENTION_MS,
  state,
  type Tag,
  TEARDOWN_MS,
  type UserBucket,
} from "./state";

/**
 * ImportImage tasks (DescribeImportImageTasks, CancelImportTask): staged progress on the emulated
 * clock, disk validation at the end of `validating`, and the AMI with its snapshots at the end.
 */

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

// Older task IDs were 8 alphanumerics (import-ami-fgxn195v), current ones 17 hex digits.
const IMPORT_IMAGE_ID = /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/;
/** VM Import fails a VM with more than 21 volumes (VMIE-UG limitations-image.md). */
const MAX_DISKS = 21;

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
export function visibleImports(ctx: OperationContext): ImportImageRecord[] {
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
