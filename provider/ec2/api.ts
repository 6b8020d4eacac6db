/**
 * The only network I/O of the EC2 VM Import resources: one client per provider (maxAttempts 1: the
 * core retries), the SDK required inside the factory so it does not load with the classes.
 */
import type * as Ec2Sdk from "@aws-sdk/client-ec2";
import { toAwsApiError } from "../core/classify";
import { paginate } from "../core/task/helpers";
import { clientConfig, type ProviderSettings } from "../core/config";
import { isoTime } from "../core/outputs";
import * as shared from "./shared";
import type * as types from "./types";

/** The ImportImage request in the SDK's field names, always with a ClientToken. */
export type ImportImageRequest = Ec2Sdk.ImportImageCommandInput & { ClientToken: string };

/** The ImportSnapshot request in the SDK's field names, always with a ClientToken. */
export type ImportSnapshotRequest = Ec2Sdk.ImportSnapshotCommandInput & { ClientToken: string };

/** The EC2 calls of the VM Import resources (createEc2Api's; tests pass a fake of this type). */
export type Ec2Api = ReturnType<typeof createEc2Api>;

/** A non-empty string, finite number or boolean as AWS sent it; anything else (`null`) dropped. */
function scalar(v: unknown): string | number | boolean | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  return typeof v === "boolean" ? v : undefined;
}

/**
 * The members of `o` named in `names` (space-separated, the SDK's PascalCase) under camelCase
 * keys, each a scalar or left out. Members not named (a `Url`, which may be presigned) never pass.
 */
function fields(o: object | undefined, names: string): Record<string, unknown> {
  const source = (o ?? {}) as Record<string, unknown>;
  return shared.compact(
    Object.fromEntries(
      names.split(" ").map((n) => [n.charAt(0).toLowerCase() + n.slice(1), scalar(source[n])]),
    ),
  );
}

/** `o` when its `required` members are strings (an ID, a status), else undefined (dropped). */
function complete<T>(o: Record<string, unknown>, ...required: string[]): T | undefined {
  return required.every((k) => typeof o[k] === "string") ? (shared.compact(o) as T) : undefined;
}

function toSnapshotDetail(s: Ec2Sdk.SnapshotDetail): types.SnapshotDetail {
  const names = "Description DeviceName DiskImageSize Format SnapshotId Status StatusMessage";
  return shared.compact({ ...fields(s, names), progress: shared.parseProgress(s.Progress) });
}

const IMAGE_TASK_FIELDS =
  "ImportTaskId Status StatusMessage ImageId Architecture Platform LicenseType BootMode " +
  "Encrypted KmsKeyId Hypervisor UsageOperation Description";

/** An ImportImageResult or ImportImageTask with an ID and a status; anything else is dropped. */
function toImageTask(
  t: Ec2Sdk.ImportImageTask | Ec2Sdk.ImportImageResult,
): types.ImageTask | undefined {
  const snapshotDetails = (t.SnapshotDetails ?? []).map(toSnapshotDetail);
  const task = { ...fields(t, IMAGE_TASK_FIELDS), progress: shared.parseProgress(t.Progress) };
  return complete({ ...task, snapshotDetails }, "importTaskId", "status");
}

function toEc2Image(i: Ec2Sdk.Image): types.Ec2Image | undefined {
  const snapshotIds = (i.BlockDeviceMappings ?? [])
    .map((b) => scalar(b.Ebs?.SnapshotId))
    .filter((s): s is string => typeof s === "string");
  const image = { ...fields(i, "ImageId State Name"), creationDate: isoTime(i.CreationDate) };
  return complete({ ...image, snapshotIds }, "imageId");
}

function toConversionVolume(v: Ec2Sdk.ImportInstanceVolumeDetailItem): types.ConversionVolume {
  return shared.compact({
    volumeId: scalar(v.Volume?.Id),
    volumeSize: scalar(v.Volume?.Size),
    imageSize: scalar(v.Image?.Size),
    format: scalar(v.Image?.Format),
    ...fields(v, "AvailabilityZone BytesConverted Status StatusMessage Description"),
  }) as types.ConversionVolume;
}

/** A ConversionTask with an ID and a state; anything else is dropped. */
function toConversionTask(t: Ec2Sdk.ConversionTask): types.ConversionTask | undefined {
  const i = t.ImportInstance;
  const task = {
    ...fields(t, "ConversionTaskId State StatusMessage"),
    ...fields(i, "Description InstanceId Platform"),
    expirationTime: isoTime(t.ExpirationTime),
    volumes: (i?.Volumes ?? []).map(toConversionVolume),
  };
  return complete(task, "conversionTaskId", "state");
}

/** An ImportSnapshot task (its SnapshotTaskDetail flattened) with an ID and a status. */
function toSnapshotTask(
  t: Ec2Sdk.ImportSnapshotTask | Ec2Sdk.ImportSnapshotResult,
): types.SnapshotTask | undefined {
  const d = t.SnapshotTaskDetail;
  const task = {
    ...fields(t, "ImportTaskId"),
    ...fields(d, "Status StatusMessage SnapshotId DiskImageSize"),
    progress: shared.parseProgress(d?.Progress),
  };
  return complete(task, "importTaskId", "status");
}

type Page<R> = { items: (R | undefined)[]; nextToken?: string | undefined };

/**
 * Describes of `ids`, each call following NextToken and keeping the items whose `key` was asked
 * for. EC2 fails the whole call when one ID is unknown (or aged out of the 7-day retention): on a
 * not-found code a batch falls back to one call per ID, and an ID not found alone is absent.
 */
function describeBy<K extends keyof typeof shared.NOT_FOUND_CODES, R extends Record<K, string>>(
  operation: string,
  key: K,
  page: (batch: readonly string[], nextToken: string | undefined) => Promise<Page<R>>,
): (ids: readonly string[]) => Promise<ReadonlyMap<string, R>> {
  const describe = async (ids: readonly string[]): Promise<ReadonlyMap<string, R>> => {
    const found = new Map<string, R>();
    if (ids.length === 0) return found;
    try {
      await paginate(
        (nextToken) => page(ids, nextToken),
        (item) => {
          if (item !== undefined && ids.includes(item[key])) found.set(item[key], item);
        },
      );
      return found;
    } catch (err) {
      const e = toAwsApiError("ec2", operation, err);
      if (!shared.NOT_FOUND_CODES[key].has(e.code)) throw e;
    }
    const each = new Map<string, R>();
    for (const id of ids.length > 1 ? ids : []) {
      for (const [k, v] of await describe([id])) each.set(k, v);
    }
    return each;
  };
  return describe;
}

/** The answer of a start call; a 200 response without it is a MalformedResponse, not retryable. */
function started<T>(operation: string, what: string, task: T | undefined): T {
  if (task !== undefined) return task;
  const err = { name: "MalformedResponse", message: `the response has no ${what}` };
  throw toAwsApiError("ec2", operation, err);
}

/** The calls; a start repeated with its ClientToken and parameters returns the original task. */
export function createEc2Api(settings: ProviderSettings) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-ec2") as typeof Ec2Sdk;
  const client = new sdk.EC2Client(clientConfig(settings, "ec2"));
  const conversions = async (ids?: readonly string[]): Promise<Page<types.ConversionTask>> => {
    const input = ids === undefined ? {} : { ConversionTaskIds: [...ids] };
    const out = await client.send(new sdk.DescribeConversionTasksCommand(input));
    return { items: (out.ConversionTasks ?? []).map(toConversionTask) };
  };
  // ImportImage's and ImportSnapshot's task describes take the same input.
  const importTasks = <R extends { importTaskId: string }>(
    operation: string,
    page: (input: { ImportTaskIds: string[]; NextToken?: string }) => Promise<Page<R>>,
  ) =>
    describeBy(operation, "importTaskId", (batch, NextToken) =>
      page({ ImportTaskIds: [...batch], NextToken }),
    );
  return {
    async importImage(request: ImportImageRequest): Promise<types.ImageTask> {
      const out = await client.send(new sdk.ImportImageCommand(request));
      return started("ImportImage", "ImportTaskId or Status", toImageTask(out));
    },
    describeImportImageTasks: importTasks("DescribeImportImageTasks", async (input) => {
      const out = await client.send(new sdk.DescribeImportImageTasksCommand(input));
      return { items: (out.ImportImageTasks ?? []).map(toImageTask), nextToken: out.NextToken };
    }),
    /** Only while the task is active. */
    async cancelImportTask(ImportTaskId: string, CancelReason: string): Promise<void> {
      await client.send(new sdk.CancelImportTaskCommand({ ImportTaskId, CancelReason }));
    },
    describeImages: describeBy("DescribeImages", "imageId", async (batch) => {
      const out = await client.send(new sdk.DescribeImagesCommand({ ImageIds: [...batch] }));
      return { items: (out.Images ?? []).map(toEc2Image) };
    }),
    async deregisterImage(imageId: string): Promise<void> {
      await client.send(new sdk.DeregisterImageCommand({ ImageId: imageId }));
    },
    async deleteSnapshot(snapshotId: string): Promise<void> {
      await client.send(new sdk.DeleteSnapshotCommand({ SnapshotId: snapshotId }));
    },
    /** No ClientToken: the caller looks for its marker first. */
    async importInstance(
      request: Ec2Sdk.ImportInstanceCommandInput,
    ): Promise<types.ConversionTask> {
      const out = await client.send(new sdk.ImportInstanceCommand(request));
      const task = out.ConversionTask && toConversionTask(out.ConversionTask);
      return started("ImportInstance", "ConversionTask", task);
    },
    describeConversionTasks: describeBy("DescribeConversionTasks", "conversionTaskId", (batch) =>
      conversions(batch),
    ),
    /** Every task of the last 7 days (no paging, no filters). */
    async listConversionTasks(): Promise<types.ConversionTask[]> {
      const { items } = await conversions();
      return items.filter((t): t is types.ConversionTask => t !== undefined);
    },
    async cancelConversionTask(ConversionTaskId: string, ReasonMessage: string): Promise<void> {
      await client.send(new sdk.CancelConversionTaskCommand({ ConversionTaskId, ReasonMessage }));
    },
    describeInstances: describeBy("DescribeInstances", "instanceId", async (batch, NextToken) => {
      const input = { InstanceIds: [...batch], NextToken };
      const out = await client.send(new sdk.DescribeInstancesCommand(input));
      const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
      const items = instances.map((i) =>
        complete<types.Ec2Instance>(
          { ...fields(i, "InstanceId"), state: scalar(i.State?.Name) },
          "instanceId",
        ),
      );
      return { items, nextToken: out.NextToken };
    }),
    async terminateInstance(instanceId: string): Promise<void> {
      await client.send(new sdk.TerminateInstancesCommand({ InstanceIds: [instanceId] }));
    },
    async deleteVolume(volumeId: string): Promise<void> {
      await client.send(new sdk.DeleteVolumeCommand({ VolumeId: volumeId }));
    },
    async importSnapshot(request: ImportSnapshotRequest): Promise<types.SnapshotTask> {
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
    describeSnapshots: describeBy("DescribeSnapshots", "snapshotId", async (batch, NextToken) => {
      const input = { SnapshotIds: [...batch], NextToken };
      const out = await client.send(new sdk.DescribeSnapshotsCommand(input));
      const items = (out.Snapshots ?? []).map((s) =>
        complete<types.Ec2Snapshot>(fields(s, "SnapshotId State VolumeSize"), "snapshotId"),
      );
      return { items, nextToken: out.NextToken };
    }),
  };
}
