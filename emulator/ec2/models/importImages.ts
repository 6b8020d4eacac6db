import type { OperationContext, QueryParams } from "../../core/service";
import { invalidParameter, invalidValue, missingParameter } from "../errors";
import { Params } from "../params";
import { parseClientToken, parseDisk, parseEncryption, parseRoleName } from "./disks";
import {
  describeTasks,
  type ImportTaskFamily,
  type ImportTaskStatus,
  importPhase,
  priorTask,
  rememberToken,
  seedTask,
  visibleTasks,
} from "./importTasks";
import {
  type ImportImageRecord,
  importedSnapshotDescription,
  parseTags,
  state,
  type Tag,
  type UserBucket,
  volumeSizeGiB,
} from "./state";

/**
 * ImportImage tasks (DescribeImportImageTasks; CancelImportTask is shared, in importTasks.ts):
 * staged progress on the emulated clock, disk validation at the end of `validating`, and the AMI
 * with its snapshots at the end.
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

export const IMAGE_TASKS: ImportTaskFamily<ImportImageRecord> = {
  prefix: "import-ami",
  stages: IMAGE_STAGES,
  validatingStage: 1,
  idPattern: /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/,
  tasks: (ctx) => state(ctx).importTasks,
  finish: (ctx, t, doneAt) => finishImport(ctx, t, doneAt),
};

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
  status: ImportTaskStatus;
  statusMessage?: string;
  tags: Tag[];
  usageOperation?: string;
}

/** VM Import fails a VM with more than 21 volumes (VMIE-UG limitations-image.md). */
const MAX_DISKS = 21;

export function importImage(ctx: OperationContext, params: QueryParams): ImportImageTaskView {
  const p = new Params(params);
  const clientToken = parseClientToken(p);
  const s = state(ctx);
  const prior = priorTask(s.clientTokens, s.importTasks, clientToken, params);
  if (prior) return imageTaskView(ctx, prior);
  const containers = p.list("DiskContainer");
  if (containers.length === 0) throw missingParameter("DiskContainer");
  if (containers.length > MAX_DISKS)
    throw invalidParameter(
      `A VM can have at most ${MAX_DISKS} volumes; ${containers.length} disk containers were given. Use ImportSnapshot for each disk.`,
    );
  const disks = containers.map((c) => parseDisk(c, ctx.baseUrl));
  // Stricter than the model, which types these as plain strings: the ImportImage reference lists
  // Architecture i386 | x86_64, Platform Windows | Linux, LicenseType AWS | BYOL, Hypervisor xen,
  // and says uefi-preferred (in the model's BootModeValues) is not supported for import
  // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImportImage.html).
  const architecture = p.oneOf("Architecture", ["i386", "x86_64"]);
  const platform = p.oneOf("Platform", ["Windows", "Linux"]) ?? "Linux";
  const licenseType =
    p.oneOf("LicenseType", ["AWS", "BYOL"]) ?? (platform === "Windows" ? "AWS" : "BYOL");
  const bootMode = p.str("BootMode");
  if (bootMode === "uefi-preferred")
    throw invalidValue("BootMode", bootMode, "uefi-preferred is not supported for import.");
  const hypervisor = p.oneOf("Hypervisor", ["xen"]);
  const { encrypted, kmsKeyId } = parseEncryption(p);
  const roleName = parseRoleName(p);
  const description = p.str("Description");
  const usageOperation = p.str("UsageOperation");
  const licenseConfigurationArns = p
    .list("LicenseSpecifications")
    .map((l) => l.required("LicenseConfigurationArn"));
  const tags = parseTags(p, "import-image-task");

  const now = ctx.clock.now();
  const { id, stageEnds } = seedTask(ctx, IMAGE_TASKS);
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
  rememberToken(s.clientTokens, clientToken, task.id, params);
  ctx.markDirty();
  return imageTaskView(ctx, task);
}

/** Registers the AMI and its snapshots the first time the task is seen completed. */
function finishImport(ctx: OperationContext, t: ImportImageRecord, doneAt: number): void {
  if (t.imageId) return;
  const s = state(ctx);
  const imageId = `ami-${ctx.random.hex(17)}`;
  const sizes = t.validation?.sizes ?? [];
  const blockDevices = t.disks.map((d, i) => ({
    deviceName: d.deviceName ?? deviceName(i),
    snapshotId: `snap-${ctx.random.hex(17)}`,
    volumeSize: volumeSizeGiB(sizes[i] ?? 0),
  }));
  for (const b of blockDevices) {
    s.snapshots[b.snapshotId] = {
      snapshotId: b.snapshotId,
      volumeSize: b.volumeSize,
      startMs: doneAt,
      encrypted: t.encrypted === true,
      ...(t.kmsKeyId !== undefined ? { kmsKeyId: t.kmsKeyId } : {}),
      description: importedSnapshotDescription(t.id),
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
  const phase = importPhase(ctx, IMAGE_TASKS, t);
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
  return visibleTasks(ctx, IMAGE_TASKS);
}

export function describeImportImageTasks(
  ctx: OperationContext,
  params: QueryParams,
): { tasks: ImportImageTaskView[]; nextToken?: string } {
  return describeTasks(ctx, IMAGE_TASKS, params, (t) => imageTaskView(ctx, t));
}
