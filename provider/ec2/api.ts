/**
 * The only network I/O of the EC2 VM Import resources. One client per provider instance, built
 * from `clientConfig(settings, "ec2")` (maxAttempts 1: callAws in the providers does all retrying).
 * `@aws-sdk/client-ec2` is required inside the factory, so nothing network-bound loads with the
 * resource classes.
 */
import type * as Ec2Sdk from "@aws-sdk/client-ec2";
import { toAwsApiError } from "../core/classify";
import { clientConfig, type ProviderSettings } from "../core/config";
import { AwsApiError } from "../core/errors";
import type {
  ConversionTask,
  ConversionVolume,
  Ec2Image,
  Ec2Instance,
  Ec2Snapshot,
  ImageTask,
  SnapshotDetail,
  SnapshotTask,
} from "./types";
import {
  compact,
  IMAGE_NOT_FOUND_CODES,
  INSTANCE_NOT_FOUND_CODES,
  parseProgress,
  SERVICE,
  SNAPSHOT_NOT_FOUND_CODES,
  TASK_NOT_FOUND_CODES,
} from "./shared";

/** The ImportImage request in the SDK's field names, always with a ClientToken. */
export type ImportImageRequest = Ec2Sdk.ImportImageCommandInput & { ClientToken: string };

/** The ImportSnapshot request in the SDK's field names, always with a ClientToken. */
export type ImportSnapshotRequest = Ec2Sdk.ImportSnapshotCommandInput & { ClientToken: string };

export interface Ec2Api {
  /** ImportImage; a repeated ClientToken with the same parameters returns the original task. */
  importImage(request: ImportImageRequest): Promise<ImageTask>;
  /** DescribeImportImageTasks for these IDs; IDs EC2 no longer knows are absent from the map. */
  describeImportImageTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ImageTask>>;
  /** CancelImportTask (only while the task is active). */
  cancelImportTask(id: string, reason: string): Promise<void>;
  /** DescribeImages for these AMI IDs; unknown or deregistered AMIs are absent. */
  describeImages(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Image>>;
  deregisterImage(imageId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** ImportInstance (no ClientToken: the caller looks for its marker first). */
  importInstance(request: Ec2Sdk.ImportInstanceCommandInput): Promise<ConversionTask>;
  /** DescribeConversionTasks for these IDs; IDs EC2 no longer knows are absent. */
  describeConversionTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ConversionTask>>;
  /** DescribeConversionTasks without IDs: every task of the last 7 days (no paging, no filters). */
  listConversionTasks(): Promise<ConversionTask[]>;
  cancelConversionTask(id: string, reason: string): Promise<void>;
  /** DescribeInstances for these IDs; unknown instances are absent. */
  describeInstances(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Instance>>;
  terminateInstance(instanceId: string): Promise<void>;
  deleteVolume(volumeId: string): Promise<void>;
  /** ImportSnapshot; a repeated ClientToken with the same parameters returns the original task. */
  importSnapshot(request: ImportSnapshotRequest): Promise<SnapshotTask>;
  /** DescribeImportSnapshotTasks for these IDs; IDs EC2 no longer knows are absent from the map. */
  describeImportSnapshotTasks(ids: readonly string[]): Promise<ReadonlyMap<string, SnapshotTask>>;
  /** DescribeSnapshots for these IDs; deleted or unknown snapshots are absent. */
  describeSnapshots(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Snapshot>>;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Only fields with the documented type are kept, so a `null` never reaches the outputs. */
function toSnapshotDetail(s: Ec2Sdk.SnapshotDetail): SnapshotDetail {
  const d: SnapshotDetail = {};
  const set = <K extends keyof SnapshotDetail>(k: K, v: SnapshotDetail[K] | undefined): void => {
    if (v !== undefined) d[k] = v;
  };
  set("description", str(s.Description));
  set("deviceName", str(s.DeviceName));
  set("diskImageSize", num(s.DiskImageSize));
  set("format", str(s.Format));
  set("snapshotId", str(s.SnapshotId));
  set("status", str(s.Status));
  set("statusMessage", str(s.StatusMessage));
  set("progress", parseProgress(str(s.Progress)));
  // `Url` is dropped on purpose: it may be a presigned URL (a credential).
  return d;
}

/** An ImportImageResult or ImportImageTask with an ID and a status; anything else is dropped. */
export function toImageTask(
  t: Ec2Sdk.ImportImageTask | Ec2Sdk.ImportImageResult,
): ImageTask | undefined {
  const id = str(t.ImportTaskId);
  const status = str(t.Status);
  if (id === undefined || status === undefined) return undefined;
  const task: ImageTask = {
    importTaskId: id,
    status,
    snapshotDetails: (t.SnapshotDetails ?? []).map(toSnapshotDetail),
  };
  const set = <K extends keyof ImageTask>(k: K, v: ImageTask[K] | undefined): void => {
    if (v !== undefined) task[k] = v;
  };
  set("statusMessage", str(t.StatusMessage));
  set("progress", parseProgress(str(t.Progress)));
  set("imageId", str(t.ImageId));
  set("architecture", str(t.Architecture));
  set("platform", str(t.Platform));
  set("licenseType", str(t.LicenseType));
  set("bootMode", "BootMode" in t ? str(t.BootMode) : undefined);
  set("encrypted", typeof t.Encrypted === "boolean" ? t.Encrypted : undefined);
  set("kmsKeyId", str(t.KmsKeyId));
  set("hypervisor", str(t.Hypervisor));
  set("usageOperation", str(t.UsageOperation));
  set("description", str(t.Description));
  return task;
}

export function toEc2Image(i: Ec2Sdk.Image): Ec2Image | undefined {
  const imageId = str(i.ImageId);
  if (imageId === undefined) return undefined;
  const image: Ec2Image = {
    imageId,
    snapshotIds: (i.BlockDeviceMappings ?? [])
      .map((b) => str(b.Ebs?.SnapshotId))
      .filter((s): s is string => s !== undefined),
  };
  const state = str(i.State);
  if (state !== undefined) image.state = state;
  const created = str(i.CreationDate);
  if (created !== undefined && !Number.isNaN(Date.parse(created))) {
    image.creationDate = new Date(created).toISOString();
  }
  const name = str(i.Name);
  if (name !== undefined) image.name = name;
  return image;
}

function toConversionVolume(v: Ec2Sdk.ImportInstanceVolumeDetailItem): ConversionVolume {
  const out: ConversionVolume = {};
  const set = <K extends keyof ConversionVolume>(
    k: K,
    x: ConversionVolume[K] | undefined,
  ): void => {
    if (x !== undefined) out[k] = x;
  };
  set("volumeId", str(v.Volume?.Id));
  set("volumeSize", num(v.Volume?.Size));
  set("availabilityZone", str(v.AvailabilityZone));
  set("bytesConverted", num(v.BytesConverted));
  set("imageSize", num(v.Image?.Size));
  set("format", str(v.Image?.Format));
  set("status", str(v.Status));
  set("statusMessage", str(v.StatusMessage));
  set("description", str(v.Description));
  // Image.ImportManifestUrl is dropped on purpose: it is a presigned URL (a credential).
  return out;
}

/** A ConversionTask with an ID and a state; anything else is dropped. */
export function toConversionTask(t: Ec2Sdk.ConversionTask): ConversionTask | undefined {
  const id = str(t.ConversionTaskId);
  const state = str(t.State);
  if (id === undefined || state === undefined) return undefined;
  const task: ConversionTask = {
    conversionTaskId: id,
    state,
    volumes: (t.ImportInstance?.Volumes ?? []).map(toConversionVolume),
  };
  const set = <K extends keyof ConversionTask>(k: K, v: ConversionTask[K] | undefined): void => {
    if (v !== undefined) task[k] = v;
  };
  set("statusMessage", str(t.StatusMessage));
  const expires = str(t.ExpirationTime);
  if (expires !== undefined && !Number.isNaN(Date.parse(expires))) {
    task.expirationTime = new Date(expires).toISOString();
  }
  set("description", str(t.ImportInstance?.Description));
  set("instanceId", str(t.ImportInstance?.InstanceId));
  set("platform", str(t.ImportInstance?.Platform));
  return task;
}

function toEc2Instance(i: Ec2Sdk.Instance): Ec2Instance | undefined {
  const instanceId = str(i.InstanceId);
  if (instanceId === undefined) return undefined;
  const state = str(i.State?.Name);
  return state === undefined ? { instanceId } : { instanceId, state };
}

/** An ImportSnapshot task with an ID and a status; anything else is dropped. */
export function toSnapshotTask(
  t: Ec2Sdk.ImportSnapshotTask | Ec2Sdk.ImportSnapshotResult,
): SnapshotTask | undefined {
  const d = t.SnapshotTaskDetail ?? {};
  const importTaskId = str(t.ImportTaskId);
  const status = str(d.Status);
  if (importTaskId === undefined || status === undefined) return undefined;
  // `Url` is dropped on purpose: it may be a presigned URL (a credential).
  return compact({
    importTaskId,
    status,
    statusMessage: str(d.StatusMessage),
    progress: parseProgress(str(d.Progress)),
    snapshotId: str(d.SnapshotId),
    diskImageSize: num(d.DiskImageSize),
  });
}

function toEc2Snapshot(s: Ec2Sdk.Snapshot): Ec2Snapshot | undefined {
  const snapshotId = str(s.SnapshotId);
  if (snapshotId === undefined) return undefined;
  return compact({ snapshotId, state: str(s.State), volumeSize: num(s.VolumeSize) });
}

/**
 * One describe of `batch` following NextToken (so no asked-for ID is missed when EC2 pages the
 * answer), keeping the mapped items whose ID was asked for.
 */
async function pagedById<R>(
  batch: readonly string[],
  page: (nextToken: string | undefined) => Promise<{ items: (R | undefined)[]; next?: string }>,
  idOf: (item: R) => string,
): Promise<Map<string, R>> {
  const found = new Map<string, R>();
  let nextToken: string | undefined;
  do {
    const { items, next } = await page(nextToken);
    for (const item of items) {
      if (item !== undefined && batch.includes(idOf(item))) found.set(idOf(item), item);
    }
    nextToken = str(next);
  } while (nextToken !== undefined);
  return found;
}

/** A 200 response that lacks what the API promises; not retryable (the same call would repeat it). */
function malformed(operation: string, what: string): AwsApiError {
  return new AwsApiError({
    service: SERVICE,
    operation,
    code: "MalformedResponse",
    message: `the response has no ${what}`,
    retryable: false,
    throttling: false,
  });
}

/**
 * Describes `ids` in one call. EC2 fails the whole call when one ID is unknown (or aged out of the
 * 7-day retention), so on a not-found error a batch falls back to one call per ID, and an ID that
 * is not found alone is absent from the result.
 */
export async function describeTolerant<T>(
  operation: string,
  ids: readonly string[],
  notFound: ReadonlySet<string>,
  describe: (ids: readonly string[]) => Promise<ReadonlyMap<string, T>>,
): Promise<ReadonlyMap<string, T>> {
  if (ids.length === 0) return new Map();
  try {
    return await describe(ids);
  } catch (err) {
    const e = toAwsApiError(SERVICE, operation, err);
    if (!notFound.has(e.code)) throw e;
    if (ids.length === 1) return new Map();
  }
  const found = new Map<string, T>();
  for (const id of ids) {
    for (const [k, v] of await describeTolerant(operation, [id], notFound, describe)) {
      found.set(k, v);
    }
  }
  return found;
}

export function createEc2Api(settings: ProviderSettings): Ec2Api {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-ec2") as typeof Ec2Sdk;
  const client = new sdk.EC2Client(clientConfig(settings, "ec2"));
  return {
    async importImage(request) {
      const out = await client.send(new sdk.ImportImageCommand(request));
      const task = toImageTask(out);
      if (task === undefined) throw malformed("ImportImage", "ImportTaskId or Status");
      return task;
    },
    describeImportImageTasks(ids) {
      return describeTolerant("DescribeImportImageTasks", ids, TASK_NOT_FOUND_CODES, (batch) =>
        pagedById(
          batch,
          async (NextToken) => {
            const out = await client.send(
              new sdk.DescribeImportImageTasksCommand({ ImportTaskIds: [...batch], NextToken }),
            );
            return { items: (out.ImportImageTasks ?? []).map(toImageTask), next: out.NextToken };
          },
          (task) => task.importTaskId,
        ),
      );
    },
    async cancelImportTask(id, reason) {
      await client.send(
        new sdk.CancelImportTaskCommand({ ImportTaskId: id, CancelReason: reason }),
      );
    },
    describeImages(ids) {
      return describeTolerant("DescribeImages", ids, IMAGE_NOT_FOUND_CODES, async (batch) => {
        const out = await client.send(new sdk.DescribeImagesCommand({ ImageIds: [...batch] }));
        const found = new Map<string, Ec2Image>();
        for (const raw of out.Images ?? []) {
          const image = toEc2Image(raw);
          if (image !== undefined && batch.includes(image.imageId)) found.set(image.imageId, image);
        }
        return found;
      });
    },
    async deregisterImage(imageId) {
      await client.send(new sdk.DeregisterImageCommand({ ImageId: imageId }));
    },
    async deleteSnapshot(snapshotId) {
      await client.send(new sdk.DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    },
    async importInstance(request) {
      const out = await client.send(new sdk.ImportInstanceCommand(request));
      const task =
        out.ConversionTask === undefined ? undefined : toConversionTask(out.ConversionTask);
      if (task === undefined) throw malformed("ImportInstance", "ConversionTask");
      return task;
    },
    describeConversionTasks(ids) {
      return describeTolerant(
        "DescribeConversionTasks",
        ids,
        TASK_NOT_FOUND_CODES,
        async (batch) => {
          const out = await client.send(
            new sdk.DescribeConversionTasksCommand({ ConversionTaskIds: [...batch] }),
          );
          const found = new Map<string, ConversionTask>();
          for (const raw of out.ConversionTasks ?? []) {
            const task = toConversionTask(raw);
            if (task !== undefined && batch.includes(task.conversionTaskId)) {
              found.set(task.conversionTaskId, task);
            }
          }
          return found;
        },
      );
    },
    async listConversionTasks() {
      const out = await client.send(new sdk.DescribeConversionTasksCommand({}));
      return (out.ConversionTasks ?? [])
        .map(toConversionTask)
        .filter((t): t is ConversionTask => t !== undefined);
    },
    async cancelConversionTask(id, reason) {
      await client.send(
        new sdk.CancelConversionTaskCommand({ ConversionTaskId: id, ReasonMessage: reason }),
      );
    },
    describeInstances(ids) {
      return describeTolerant("DescribeInstances", ids, INSTANCE_NOT_FOUND_CODES, (batch) =>
        pagedById(
          batch,
          async (NextToken) => {
            const out = await client.send(
              new sdk.DescribeInstancesCommand({ InstanceIds: [...batch], NextToken }),
            );
            const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
            return { items: instances.map(toEc2Instance), next: out.NextToken };
          },
          (instance) => instance.instanceId,
        ),
      );
    },
    async terminateInstance(instanceId) {
      await client.send(new sdk.TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    },
    async deleteVolume(volumeId) {
      await client.send(new sdk.DeleteVolumeCommand({ VolumeId: volumeId }));
    },
    async importSnapshot(request) {
      const task = toSnapshotTask(await client.send(new sdk.ImportSnapshotCommand(request)));
      if (task === undefined) throw malformed("ImportSnapshot", "ImportTaskId or Status");
      return task;
    },
    describeImportSnapshotTasks(ids) {
      return describeTolerant("DescribeImportSnapshotTasks", ids, TASK_NOT_FOUND_CODES, (batch) =>
        pagedById(
          batch,
          async (NextToken) => {
            const out = await client.send(
              new sdk.DescribeImportSnapshotTasksCommand({ ImportTaskIds: [...batch], NextToken }),
            );
            return {
              items: (out.ImportSnapshotTasks ?? []).map(toSnapshotTask),
              next: out.NextToken,
            };
          },
          (task) => task.importTaskId,
        ),
      );
    },
    describeSnapshots(ids) {
      return describeTolerant("DescribeSnapshots", ids, SNAPSHOT_NOT_FOUND_CODES, (batch) =>
        pagedById(
          batch,
          async (NextToken) => {
            const out = await client.send(
              new sdk.DescribeSnapshotsCommand({ SnapshotIds: [...batch], NextToken }),
            );
            return { items: (out.Snapshots ?? []).map(toEc2Snapshot), next: out.NextToken };
          },
          (snapshot) => snapshot.snapshotId,
        ),
      );
    },
  };
}
