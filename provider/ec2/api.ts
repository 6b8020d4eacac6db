/**
 * The only network I/O of the EC2 VM Import resources. One client per provider instance, built
 * from `clientConfig(settings, "ec2")` (maxAttempts 1: callAws in the providers does all retrying).
 * `@aws-sdk/client-ec2` is required inside the factory, so nothing network-bound loads with the
 * resource classes.
 */
import type * as Ec2Sdk from "@aws-sdk/client-ec2";
import { toAwsApiError } from "../core/classify";
import { paginate } from "../core/task/helpers";
import { clientConfig, type ProviderSettings } from "../core/config";
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
  SNAPSHOT_NOT_FOUND_CODES,
  TASK_NOT_FOUND_CODES,
} from "./shared";

/** The ImportImage request in the SDK's field names, always with a ClientToken. */
export type ImportImageRequest = Ec2Sdk.ImportImageCommandInput & { ClientToken: string };

/** The ImportSnapshot request in the SDK's field names, always with a ClientToken. */
export type ImportSnapshotRequest = Ec2Sdk.ImportSnapshotCommandInput & { ClientToken: string };

/**
 * The EC2 calls of the VM Import resources. Describes take many IDs and leave out the IDs EC2 no
 * longer knows (unknown, deregistered, deleted, or past the 7-day task retention); a start
 * repeated with the same ClientToken and parameters returns the original task.
 */
export interface Ec2Api {
  importImage(request: ImportImageRequest): Promise<ImageTask>;
  describeImportImageTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ImageTask>>;
  /** CancelImportTask (only while the task is active). */
  cancelImportTask(id: string, reason: string): Promise<void>;
  describeImages(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Image>>;
  deregisterImage(imageId: string): Promise<void>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** ImportInstance (no ClientToken: the caller looks for its marker first). */
  importInstance(request: Ec2Sdk.ImportInstanceCommandInput): Promise<ConversionTask>;
  describeConversionTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ConversionTask>>;
  /** DescribeConversionTasks without IDs: every task of the last 7 days (no paging, no filters). */
  listConversionTasks(): Promise<ConversionTask[]>;
  cancelConversionTask(id: string, reason: string): Promise<void>;
  describeInstances(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Instance>>;
  terminateInstance(instanceId: string): Promise<void>;
  deleteVolume(volumeId: string): Promise<void>;
  importSnapshot(request: ImportSnapshotRequest): Promise<SnapshotTask>;
  describeImportSnapshotTasks(ids: readonly string[]): Promise<ReadonlyMap<string, SnapshotTask>>;
  describeSnapshots(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Snapshot>>;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** ISO 8601 text of an AWS date string; undefined when absent or unparseable. */
function iso(v: unknown): string | undefined {
  const s = str(v);
  return s === undefined || Number.isNaN(Date.parse(s)) ? undefined : new Date(s).toISOString();
}

/** Only fields with the documented type are kept, so a `null` never reaches the outputs. */
function toSnapshotDetail(s: Ec2Sdk.SnapshotDetail): SnapshotDetail {
  // `Url` is dropped on purpose: it may be a presigned URL (a credential).
  return compact({
    description: str(s.Description),
    deviceName: str(s.DeviceName),
    diskImageSize: num(s.DiskImageSize),
    format: str(s.Format),
    snapshotId: str(s.SnapshotId),
    status: str(s.Status),
    statusMessage: str(s.StatusMessage),
    progress: parseProgress(str(s.Progress)),
  });
}

/** An ImportImageResult or ImportImageTask with an ID and a status; anything else is dropped. */
export function toImageTask(
  t: Ec2Sdk.ImportImageTask | Ec2Sdk.ImportImageResult,
): ImageTask | undefined {
  const importTaskId = str(t.ImportTaskId);
  const status = str(t.Status);
  if (importTaskId === undefined || status === undefined) return undefined;
  return compact({
    importTaskId,
    status,
    snapshotDetails: (t.SnapshotDetails ?? []).map(toSnapshotDetail),
    statusMessage: str(t.StatusMessage),
    progress: parseProgress(str(t.Progress)),
    imageId: str(t.ImageId),
    architecture: str(t.Architecture),
    platform: str(t.Platform),
    licenseType: str(t.LicenseType),
    bootMode: "BootMode" in t ? str(t.BootMode) : undefined,
    encrypted: typeof t.Encrypted === "boolean" ? t.Encrypted : undefined,
    kmsKeyId: str(t.KmsKeyId),
    hypervisor: str(t.Hypervisor),
    usageOperation: str(t.UsageOperation),
    description: str(t.Description),
  });
}

export function toEc2Image(i: Ec2Sdk.Image): Ec2Image | undefined {
  const imageId = str(i.ImageId);
  if (imageId === undefined) return undefined;
  return compact({
    imageId,
    snapshotIds: (i.BlockDeviceMappings ?? [])
      .map((b) => str(b.Ebs?.SnapshotId))
      .filter((s): s is string => s !== undefined),
    state: str(i.State),
    creationDate: iso(i.CreationDate),
    name: str(i.Name),
  });
}

function toConversionVolume(v: Ec2Sdk.ImportInstanceVolumeDetailItem): ConversionVolume {
  // Image.ImportManifestUrl is dropped on purpose: it is a presigned URL (a credential).
  return compact({
    volumeId: str(v.Volume?.Id),
    volumeSize: num(v.Volume?.Size),
    availabilityZone: str(v.AvailabilityZone),
    bytesConverted: num(v.BytesConverted),
    imageSize: num(v.Image?.Size),
    format: str(v.Image?.Format),
    status: str(v.Status),
    statusMessage: str(v.StatusMessage),
    description: str(v.Description),
  });
}

/** A ConversionTask with an ID and a state; anything else is dropped. */
export function toConversionTask(t: Ec2Sdk.ConversionTask): ConversionTask | undefined {
  const conversionTaskId = str(t.ConversionTaskId);
  const state = str(t.State);
  if (conversionTaskId === undefined || state === undefined) return undefined;
  return compact({
    conversionTaskId,
    state,
    volumes: (t.ImportInstance?.Volumes ?? []).map(toConversionVolume),
    statusMessage: str(t.StatusMessage),
    expirationTime: iso(t.ExpirationTime),
    description: str(t.ImportInstance?.Description),
    instanceId: str(t.ImportInstance?.InstanceId),
    platform: str(t.ImportInstance?.Platform),
  });
}

function toEc2Instance(i: Ec2Sdk.Instance): Ec2Instance | undefined {
  const instanceId = str(i.InstanceId);
  return instanceId === undefined ? undefined : compact({ instanceId, state: str(i.State?.Name) });
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

type Page<R> = { items: (R | undefined)[]; nextToken?: string | undefined };

/**
 * Describes of `ids`, `operation` answering `notFound` for an unknown ID: each batch follows
 * NextToken (so no asked-for ID is missed when EC2 pages the answer) and keeps the mapped items
 * whose ID was asked for.
 */
function describeBy<R>(
  operation: string,
  notFound: ReadonlySet<string>,
  idOf: (item: R) => string,
  page: (batch: readonly string[], nextToken: string | undefined) => Promise<Page<R>>,
): (ids: readonly string[]) => Promise<ReadonlyMap<string, R>> {
  return (ids) =>
    describeTolerant(operation, ids, notFound, async (batch) => {
      const found = new Map<string, R>();
      await paginate(
        (nextToken) => page(batch, nextToken),
        (item) => {
          if (item !== undefined && batch.includes(idOf(item))) found.set(idOf(item), item);
        },
      );
      return found;
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
    const e = toAwsApiError("ec2", operation, err);
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

/** The answer of a start call; a 200 response without it is a MalformedResponse, not retryable. */
function started<T>(operation: string, what: string, task: T | undefined): T {
  if (task !== undefined) return task;
  const err = { name: "MalformedResponse", message: `the response has no ${what}` };
  throw toAwsApiError("ec2", operation, err);
}

export function createEc2Api(settings: ProviderSettings): Ec2Api {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-ec2") as typeof Ec2Sdk;
  const client = new sdk.EC2Client(clientConfig(settings, "ec2"));
  const conversions = async (ids?: readonly string[]): Promise<Page<ConversionTask>> => {
    const input = ids === undefined ? {} : { ConversionTaskIds: [...ids] };
    const out = await client.send(new sdk.DescribeConversionTasksCommand(input));
    return { items: (out.ConversionTasks ?? []).map(toConversionTask) };
  };
  // ImportImage's and ImportSnapshot's task describes take the same input.
  const importTasks = <R extends { importTaskId: string }>(
    operation: string,
    page: (input: { ImportTaskIds: string[]; NextToken?: string }) => Promise<Page<R>>,
  ) =>
    describeBy(
      operation,
      TASK_NOT_FOUND_CODES,
      (task: R) => task.importTaskId,
      (batch, NextToken) => page({ ImportTaskIds: [...batch], NextToken }),
    );
  return {
    async importImage(request) {
      const out = await client.send(new sdk.ImportImageCommand(request));
      return started("ImportImage", "ImportTaskId or Status", toImageTask(out));
    },
    describeImportImageTasks: importTasks("DescribeImportImageTasks", async (input) => {
      const out = await client.send(new sdk.DescribeImportImageTasksCommand(input));
      return { items: (out.ImportImageTasks ?? []).map(toImageTask), nextToken: out.NextToken };
    }),
    async cancelImportTask(ImportTaskId, CancelReason) {
      await client.send(new sdk.CancelImportTaskCommand({ ImportTaskId, CancelReason }));
    },
    describeImages: describeBy(
      "DescribeImages",
      IMAGE_NOT_FOUND_CODES,
      (image) => image.imageId,
      async (batch) => {
        const out = await client.send(new sdk.DescribeImagesCommand({ ImageIds: [...batch] }));
        return { items: (out.Images ?? []).map(toEc2Image) };
      },
    ),
    async deregisterImage(imageId) {
      await client.send(new sdk.DeregisterImageCommand({ ImageId: imageId }));
    },
    async deleteSnapshot(snapshotId) {
      await client.send(new sdk.DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    },
    async importInstance(request) {
      const out = await client.send(new sdk.ImportInstanceCommand(request));
      const task = out.ConversionTask && toConversionTask(out.ConversionTask);
      return started("ImportInstance", "ConversionTask", task);
    },
    describeConversionTasks: describeBy(
      "DescribeConversionTasks",
      TASK_NOT_FOUND_CODES,
      (task) => task.conversionTaskId,
      (batch) => conversions(batch),
    ),
    async listConversionTasks() {
      const { items } = await conversions();
      return items.filter((t): t is ConversionTask => t !== undefined);
    },
    async cancelConversionTask(ConversionTaskId, ReasonMessage) {
      await client.send(new sdk.CancelConversionTaskCommand({ ConversionTaskId, ReasonMessage }));
    },
    describeInstances: describeBy(
      "DescribeInstances",
      INSTANCE_NOT_FOUND_CODES,
      (instance) => instance.instanceId,
      async (batch, NextToken) => {
        const input = { InstanceIds: [...batch], NextToken };
        const out = await client.send(new sdk.DescribeInstancesCommand(input));
        const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
        return { items: instances.map(toEc2Instance), nextToken: out.NextToken };
      },
    ),
    async terminateInstance(instanceId) {
      await client.send(new sdk.TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    },
    async deleteVolume(volumeId) {
      await client.send(new sdk.DeleteVolumeCommand({ VolumeId: volumeId }));
    },
    async importSnapshot(request) {
      const out = await client.send(new sdk.ImportSnapshotCommand(request));
      return started("ImportSnapshot", "ImportTaskId or Status", toSnapshotTask(out));
    },
    describeImportSnapshotTasks: importTasks("DescribeImportSnapshotTasks", async (input) => {
      const out = await client.send(new sdk.DescribeImportSnapshotTasksCommand(input));
      return {
        items: (out.ImportSnapshotTasks ?? []).map(toSnapshotTask),
        nextToken: out.NextToken,
      };
    }),
    describeSnapshots: describeBy(
      "DescribeSnapshots",
      SNAPSHOT_NOT_FOUND_CODES,
      (snapshot) => snapshot.snapshotId,
      async (batch, NextToken) => {
        const input = { SnapshotIds: [...batch], NextToken };
        const out = await client.send(new sdk.DescribeSnapshotsCommand(input));
        return { items: (out.Snapshots ?? []).map(toEc2Snapshot), nextToken: out.NextToken };
      },
    ),
  };
}
