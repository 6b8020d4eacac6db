/**
 * What is EC2-specific about `ec2.ImportImageTask`: the ImportImage request, the import identity
 * behind its ClientToken, how a status counts (acceptors as data), its outputs and its messages
 * (ImportImage API reference, aws-apis.md §4.4–4.5). No I/O.
 */
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { deriveToken } from "../core/tokens";
import type { Acceptor } from "../core/waiter";
import { importTaskStatus } from "./vmImport";
import {
  compact,
  GONE,
  labelOf,
  pollHistory,
  stableUrl,
  successorToken as chainToken,
  tagSpecifications,
} from "./shared";
import type { Ec2Image, ImageTask, ImportImageRequest, SnapshotDetail } from "./types";

export const RESOURCE_TYPE = "ec2.ImportImageTask";
const TOKEN_TYPE = "ec2:ImportImageTask";
/** ImportImage's ClientToken: at most 64 ASCII characters. */
export const CLIENT_TOKEN_MAX_LENGTH = 64;
/** The service role VM Import assumes when roleName is unset. */
export const DEFAULT_ROLE_NAME = "vmimport";

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

// ---- request, identity, tokens ---------------------------------------------------------------

function date(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
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
    if (v === undefined && key === "roleName") v = DEFAULT_ROLE_NAME;
    if (key === "diskContainers") v = diskIdentity(v);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** The disks as they identify the import: formats upper-cased, presigned URLs without the query. */
export function diskIdentity(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((d: unknown) => {
    if (typeof d !== "object" || d === null) return d;
    const disk = { ...(d as Record<string, unknown>) };
    if (typeof disk["format"] === "string") disk["format"] = disk["format"].toUpperCase();
    if (typeof disk["url"] === "string") disk["url"] = stableUrl(disk["url"]);
    return disk;
  });
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
    { maxLength: CLIENT_TOKEN_MAX_LENGTH },
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
 * ImportImage and ImportSnapshot report the same VM Import statuses, so both take them from
 * vmImport.ts: `completed` succeeds; `deleting`/`deleted` (failed or cancelled), `error` and gone
 * fail; everything else (`active`, `updating`, `converting`, future values) is still running.
 * After CancelImportTask, `deleted` or gone ends the wait, and so does `completed` (the import
 * finished before the cancel landed; its AMI is then cleaned up like any other).
 */
const IMAGE_STATUS = importTaskStatus<ImageTask>();
export const classifyStatus: (status: string) => StatusClass = IMAGE_STATUS.classify;

export type Observation = ImageTask | undefined;

export const statusOf: (o: Observation) => string = IMAGE_STATUS.statusOf;
export const createAcceptors: readonly Acceptor<Observation>[] = IMAGE_STATUS.acceptors("create");
export const cancelAcceptors: readonly Acceptor<Observation>[] = IMAGE_STATUS.acceptors("cancel");

// ---- outputs --------------------------------------------------------------------------------

/** Snapshot IDs of the import: the AMI's block devices when known, else the task's details. */
export function snapshotIdsOf(task: ImageTask | undefined, image: Ec2Image | undefined): string[] {
  if (image !== undefined && image.snapshotIds.length > 0) return [...image.snapshotIds];
  return (task?.snapshotDetails ?? [])
    .map((s) => s.snapshotId)
    .filter((s): s is string => s !== undefined);
}

/**
 * The task's outputs (the spec adds the echoed inputs): its state and the AMI. Fields the task
 * reports that share a name with an input (platform, architecture…) go under `taskDetails`, so a
 * detected value is never mistaken for a changed input.
 */
export function taskOutputs(task: ImageTask, image?: Ec2Image): Record<string, OutputValue> {
  const progress = task.status === "completed" ? 100 : task.progress;
  return normalizeOutputs({
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

/** What a progress line shows of one observation: `active converting 27%`. */
export function progressText(o: Observation): string {
  const message = o?.statusMessage ? ` ${o.statusMessage}` : "";
  const pct = o?.progress !== undefined ? ` ${o.progress}%` : "";
  return `${statusOf(o)}${message}${pct}`;
}

/** Progress line as the core logs it: `active converting 27% (poll 3, 42s)`. */
export function progressLine(o: Observation, poll: number, elapsedMs: number): string {
  return `${progressText(o)} (poll ${poll}, ${Math.round(elapsedMs / 1000)}s)`;
}
