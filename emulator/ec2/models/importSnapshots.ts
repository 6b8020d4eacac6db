import type { OperationContext, QueryParams } from "../../core/service";
import type { DiskFormat } from "../diskImage";
import { missingParameter } from "../errors";
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
  type ImportSnapshotRecord,
  importedSnapshotDescription,
  parseTags,
  state,
  type Tag,
  type UserBucket,
  volumeSizeGiB,
} from "./state";

/**
 * ImportSnapshot tasks (DescribeImportSnapshotTasks; CancelImportTask is shared, in
 * importTasks.ts): one disk from S3 becomes one EBS snapshot. The same life cycle as ImportImage
 * with the stages the VM Import guide shows for snapshots (`pending` at 3%, `validated` at 22%,
 * `downloading/converting` at 42%); a bad disk ends `deleted` with ImportImage's ClientError text.
 */

export const SNAPSHOT_STAGES = [
  { message: "pending", progress: 3, minSec: 20, maxSec: 60 },
  { message: "validating", progress: 12, minSec: 30, maxSec: 90 },
  { message: "validated", progress: 22, minSec: 10, maxSec: 30 },
  { message: "downloading/converting", progress: 42, minSec: 120, maxSec: 600 },
] as const;

/** SnapshotDiskContainer.Format: "Valid values: VHD | VMDK | RAW". */
const SNAPSHOT_FORMATS: readonly DiskFormat[] = ["VHD", "VMDK", "RAW"];

export const SNAPSHOT_TASKS: ImportTaskFamily<ImportSnapshotRecord> = {
  prefix: "import-snap",
  stages: SNAPSHOT_STAGES,
  validatingStage: 1,
  idPattern: /^import-snap-[0-9a-z]{8}(?:[0-9a-z]{9})?$/,
  tasks: (ctx) => (state(ctx).snapshotTasks ??= {}),
  finish: (ctx, t, doneAt) => finishSnapshotImport(ctx, t, doneAt),
};

export interface SnapshotTaskDetailView {
  description?: string;
  /** Bytes (the model says GiB; AWS's examples show bytes): 0 until the disk is validated. */
  diskImageSize: number;
  encrypted?: boolean;
  format: string;
  kmsKeyId?: string;
  progress?: string;
  snapshotId?: string;
  status: ImportTaskStatus;
  statusMessage?: string;
  url?: string;
  userBucket?: UserBucket;
}

export interface ImportSnapshotTaskView {
  description?: string;
  importTaskId: string;
  snapshotTaskDetail: SnapshotTaskDetailView;
  tags: Tag[];
}

export function importSnapshot(ctx: OperationContext, params: QueryParams): ImportSnapshotTaskView {
  const p = new Params(params);
  const clientToken = parseClientToken(p);
  const s = state(ctx);
  const tokens = (s.snapshotClientTokens ??= {});
  const prior = priorTask(tokens, SNAPSHOT_TASKS.tasks(ctx), clientToken, params);
  if (prior) return snapshotTaskView(ctx, prior);
  if (!p.has("DiskContainer")) throw missingParameter("DiskContainer");
  // SnapshotDiskContainer has no DeviceName: a snapshot is not attached anywhere.
  const { deviceName: _deviceName, ...disk } = parseDisk(
    p.at("DiskContainer"),
    ctx.baseUrl,
    SNAPSHOT_FORMATS,
  );
  const { encrypted, kmsKeyId } = parseEncryption(p);
  const roleName = parseRoleName(p);
  const description = p.str("Description");
  const tags = parseTags(p, "import-snapshot-task");

  const now = ctx.clock.now();
  const { id, stageEnds } = seedTask(ctx, SNAPSHOT_TASKS);
  const task: ImportSnapshotRecord = {
    id,
    seq: s.nextSeq++,
    createdMs: now,
    ...(description !== undefined ? { description } : {}),
    ...(encrypted !== undefined ? { encrypted } : {}),
    ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
    roleName,
    tags,
    disks: [disk],
    stageEnds,
  };
  SNAPSHOT_TASKS.tasks(ctx)[id] = task;
  rememberToken(tokens, clientToken, id, params);
  ctx.markDirty();
  return snapshotTaskView(ctx, task);
}

/** Registers the snapshot the first time the task is seen completed. */
function finishSnapshotImport(
  ctx: OperationContext,
  t: ImportSnapshotRecord,
  doneAt: number,
): void {
  if (t.snapshotId) return;
  const snapshotId = `snap-${ctx.random.hex(17)}`;
  state(ctx).snapshots[snapshotId] = {
    snapshotId,
    volumeSize: volumeSizeGiB(t.validation?.sizes[0] ?? 0),
    startMs: doneAt,
    encrypted: t.encrypted === true,
    ...(t.kmsKeyId !== undefined ? { kmsKeyId: t.kmsKeyId } : {}),
    description: importedSnapshotDescription(t.id),
  };
  t.snapshotId = snapshotId;
  ctx.markDirty();
}

function snapshotTaskView(ctx: OperationContext, t: ImportSnapshotRecord): ImportSnapshotTaskView {
  const phase = importPhase(ctx, SNAPSHOT_TASKS, t);
  const d = t.disks[0]!;
  const size = t.validation?.problem ? undefined : t.validation?.sizes[0];
  return {
    ...(t.description !== undefined ? { description: t.description } : {}),
    importTaskId: t.id,
    snapshotTaskDetail: {
      ...(d.description !== undefined ? { description: d.description } : {}),
      diskImageSize: size ?? 0,
      ...(t.encrypted !== undefined ? { encrypted: t.encrypted } : {}),
      format: d.format,
      ...(t.kmsKeyId !== undefined ? { kmsKeyId: t.kmsKeyId } : {}),
      ...(phase.progress !== undefined ? { progress: String(phase.progress) } : {}),
      ...(phase.status === "completed" && t.snapshotId ? { snapshotId: t.snapshotId } : {}),
      status: phase.status,
      ...(phase.statusMessage !== undefined ? { statusMessage: phase.statusMessage } : {}),
      ...(d.url !== undefined ? { url: d.url } : {}),
      ...(d.userBucket ? { userBucket: d.userBucket } : {}),
    },
    tags: t.tags,
  };
}

/** Advances every snapshot task (registering finished snapshots) and drops those past retention. */
export function visibleSnapshotImports(ctx: OperationContext): ImportSnapshotRecord[] {
  return visibleTasks(ctx, SNAPSHOT_TASKS);
}

export function describeImportSnapshotTasks(
  ctx: OperationContext,
  params: QueryParams,
): { tasks: ImportSnapshotTaskView[]; nextToken?: string } {
  return describeTasks(ctx, SNAPSHOT_TASKS, params, (t) => snapshotTaskView(ctx, t));
}
