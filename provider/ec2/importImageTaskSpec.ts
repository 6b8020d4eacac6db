/**
 * `ec2.ImportImageTask` as a spec of the one lifecycle (provider/core/task/, aws-apis.md §4.4–4.5);
 * its artifact is an AMI and its snapshots (vmImport.ts reads and removes them).
 */
import type * as pulumi from "@pulumi/pulumi";
import { isPlainObject, type StringRule } from "../core/check";
import { endpointOrigins } from "../core/config";
import type { BatchPoller } from "../core/limiter";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { isCredentialBearingUrl } from "../core/redact";
import { checkMap } from "../core/task/helpers";
import * as table from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import type { TargetArgs } from "../core/task/targetArgs";
import type { Ec2Api, ImportImageRequest } from "./api";
import type { ImportImageTaskArgs } from "./importImageTask";
import * as check from "./importImageTaskCheck";
import * as shared from "./shared";
import type { Ec2Image, ImageTask, SnapshotDetail } from "./types";
import * as vm from "./vmImport";

/** Inputs after check(), as the provider receives them (untyped on the wire). */
type Inputs = Omit<pulumi.Unwrap<ImportImageTaskArgs>, keyof TargetArgs>;

/** The disks as they identify the import: formats upper-cased, presigned URLs without the query. */
export function diskIdentity(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((d: unknown) => {
    if (typeof d !== "object" || d === null) return d;
    const disk = { ...(d as Record<string, unknown>) };
    if (typeof disk["format"] === "string") disk["format"] = disk["format"].toUpperCase();
    if (typeof disk["url"] === "string") disk["url"] = shared.stableUrl(disk["url"]);
    return disk;
  });
}

/** An ImportImage string parameter sent as `awsName`; a change replaces the resource. */
const param = (awsName: string, rule: StringRule & { fix: string }): table.PropertySpec => ({
  rule: { kind: "string", ...rule },
  change: "replace",
  awsName,
});

/** Each input in check() order; import parameters replace, waiting and delete options update. */
export const properties: table.PropertyTable<Inputs & table.SourceInputs> = {
  adoptImportTaskId: {
    rule: {
      kind: "string",
      pattern: /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/,
      patternText: "import-ami- followed by 8 or 17 letters/digits",
      fix: "copy ImportTaskId from `aws ec2 describe-import-image-tasks`",
    },
    change: "replace",
  },
  // A re-signed presigned URL names the same disk: diff compares what diskIdentity keeps.
  diskContainers: {
    rule: { kind: "custom" },
    checkNested: (news, { settings }) =>
      shared.collect((f) => check.checkDiskContainers(news, f, endpointOrigins(settings, "ec2"))),
    change: "replace",
    secretLeaf: { path: ["[]", "url"], when: isCredentialBearingUrl },
    awsName: "DiskContainers",
    compareAs: diskIdentity,
  },
  sourceEtag: table.sourceEtagProperty,
  architecture: param("Architecture", {
    oneOf: ["i386", "x86_64"],
    fix: "use x86_64 (or i386); VM Import detects it when omitted",
  }),
  platform: param("Platform", {
    oneOf: ["Windows", "Linux"],
    fix: "use Windows or Linux (VM Import detects it when omitted)",
  }),
  licenseType: param("LicenseType", {
    oneOf: ["AWS", "BYOL"],
    fix: "use AWS (license included) or BYOL; AWS recommends setting licenseType or usageOperation",
  }),
  hypervisor: param("Hypervisor", { oneOf: ["xen"], fix: "use xen or omit it" }),
  bootMode: shared.nestedInput("BootMode", check.checkBootMode),
  description: param("Description", { minLength: 1, maxLength: 255, fix: "use 1–255 characters" }),
  clientToken: {
    ...param("ClientToken", {
      minLength: 1,
      maxLength: 64,
      pattern: /^[\x20-\x7e]+$/,
      patternText: "printable ASCII",
      fix: "use 1–64 ASCII characters, or omit it and let the provider derive one from the stack, the resource name and the import parameters",
    }),
    change: "update",
  },
  roleName: {
    ...param("RoleName", {
      pattern: /^[\w+=,.@-]{1,64}$/,
      patternText: "1–64 letters, digits or +=,.@_-",
      fix: "name the VM Import service role (default vmimport)",
    }),
    default: "vmimport",
  },
  kmsKeyId: param("KmsKeyId", {
    pattern:
      /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/-]+))$/,
    patternText: "a KMS key ID, key ARN, alias/name or alias ARN",
    fix: "copy the key ID or ARN from `aws kms list-keys`",
  }),
  usageOperation: param("UsageOperation", {
    pattern: /^RunInstances(?::\d{4})?$/,
    patternText: "RunInstances or RunInstances:NNNN",
    fix: "use a billing code such as RunInstances:0002 (Windows, license included)",
  }),
  encrypted: {
    rule: { kind: "boolean", fix: "use true or false" },
    change: "replace",
    awsName: "Encrypted",
  },
  clientData: {
    rule: { kind: "object", fix: "use { comment, uploadStart, uploadEnd, uploadSize }" },
    checkNested: check.checkClientData,
    change: "replace",
    awsName: "ClientData",
  },
  tags: {
    rule: { kind: "object", fix: 'use a map of tag key → value, e.g. { Name: "web-server" }' },
    checkNested: (news) => checkMap(news, "tags", shared.TAGS),
    change: "replace",
    awsName: "TagSpecifications",
  },
  licenseSpecifications: shared.nestedInput("LicenseSpecifications", check.checkLicenses),
  waitForCompletion: vm.option(true),
  retainOnDelete: vm.option(false),
  retainImageOnDelete: vm.option(false),
  retainSnapshotsOnDelete: vm.option(false),
  // Image imports take from tens of minutes to several hours.
  waitTimeoutMinutes: table.waitTimeoutProperty(480),
};

export const tokens = vm.importTaskTokens("ec2.ImportImageTask", properties);

function date(v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The ImportImage request: disk formats upper-cased, upload times as dates, tags as specs. */
export function importImageRequest(inputs: Inputs, ClientToken: string): ImportImageRequest {
  const cd = inputs.clientData;
  const clientData = cd && { UploadStart: date(cd.uploadStart), UploadEnd: date(cd.uploadEnd) };
  return shared.compact({
    ...shared.awsFields(properties, inputs),
    ClientToken,
    ClientData: cd && shared.compact({ ...(shared.pascal(cd) as object), ...clientData }),
    DiskContainers: (inputs.diskContainers ?? []).map((d) =>
      shared.compact({ ...(shared.pascal(d) as object), Format: d.format?.toUpperCase() }),
    ),
    TagSpecifications: shared.tagSpecifications(inputs.tags, "import-image-task"),
  }) as ImportImageRequest;
}

/** Snapshot IDs of the import: the AMI's block devices when known, else the task's details. */
function snapshotIdsOf(task: ImageTask, image: Ec2Image | undefined): string[] {
  if (image !== undefined && image.snapshotIds.length > 0) return [...image.snapshotIds];
  return task.snapshotDetails.map((s) => s.snapshotId).filter((s): s is string => s !== undefined);
}

/**
 * The task's outputs (the spec adds the echoed inputs): its state and the AMI. Fields the task
 * reports that share a name with an input (platform, architecture…) go under `taskDetails`, so a
 * detected value is never mistaken for a changed input.
 */
function taskOutputs(task: ImageTask, image?: Ec2Image): Record<string, OutputValue> {
  return normalizeOutputs({
    ...vm.importTaskOutputs(task),
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

/** The task as last recorded in the outputs, for read/delete once Describe has forgotten it. */
function recordedTask(id: string, props: Record<string, unknown>): ImageTask {
  const { snapshotDetails, snapshotIds, status, taskDetails } = props;
  const fromIds = Array.isArray(snapshotIds)
    ? snapshotIds.filter((s) => typeof s === "string")
    : [];
  return {
    ...(isPlainObject(taskDetails) ? taskDetails : {}),
    ...vm.recordedFields(props, ["statusMessage", "progress", "imageId"]),
    importTaskId: id,
    status: typeof status === "string" && status !== "" ? status : shared.GONE,
    snapshotDetails: (Array.isArray(snapshotDetails) && snapshotDetails.length > 0
      ? snapshotDetails
      : fromIds.map((snapshotId) => ({ snapshotId }))) as SnapshotDetail[],
  };
}

const RETRY = "then run `pulumi up` again (a failed import is replaced)";

/** What to do about a failed import, from VM Import's StatusMessage. */
export function adviceFor(status: string, statusMessage: string | undefined): string {
  const m = statusMessage ?? "";
  if (status === shared.GONE) {
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

/** What an ImportImage provider keeps per configure: DescribeImages batched like the tasks. */
export interface ImageState {
  images: BatchPoller<Ec2Image>;
}

/** ImportImage leaves an AMI and its snapshots. */
export const imageImport: vm.ImportArtifact<Inputs, ImageTask, Ec2Image, ImageState> = {
  artifactId: (task) => task.imageId,
  recorded: recordedTask,
  artifactNoun: "AMI",
  findArtifact: (ctx, imageId) => ctx.state.images.get(imageId),
  outputs: taskOutputs,
  async removeArtifacts(ctx, id, inputs, task) {
    const { log } = ctx.runtime;
    const label = ctx.label(inputs, id);
    if (inputs.retainImageOnDelete ?? false) {
      const ami = task.imageId ?? "(none)";
      log.info(label, `retainImageOnDelete is true: keeping AMI ${ami} and its snapshots`);
      return;
    }
    const image = task.imageId === undefined ? undefined : await ctx.state.images.get(task.imageId);
    const snapshotIds = snapshotIdsOf(task, image);
    if (image !== undefined) {
      await ctx
        .aws("DeregisterImage", () => ctx.api.deregisterImage(image.imageId))
        .catch(shared.ignore(shared.NOT_FOUND_CODES.imageId));
      log.info(label, `deregistered AMI ${image.imageId}`);
    }
    if (inputs.retainSnapshotsOnDelete ?? false) {
      log.info(label, `retainSnapshotsOnDelete is true: keeping ${snapshotIds.join(", ")}`);
      return;
    }
    await vm.deleteSnapshots(ctx, label, snapshotIds);
  },
};

export const importImageTaskSpec: TaskSpec<Inputs, ImageTask, Ec2Api, ImageState> = {
  checkMore: check.checkMore,
  state: (ctx) => ({
    images: ctx.batcher("DescribeImages", shared.DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeImages(ids),
    ),
  }),
  // No SDK waiter's calls to stay under: a 60 s share halves the shared rounds' lag at twice the calls.
  poll: { ...shared.POLL, shareMs: 60_000 },
  start: (ctx, inputs, token) =>
    ctx.aws("ImportImage", () => ctx.api.importImage(importImageRequest(inputs, token))),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id}, its AMI and snapshots in EC2`,
  ...vm.importTaskSpec({
    className: "ImportImageTask",
    properties,
    outputs: [
      "imageId",
      "snapshotIds",
      "snapshotDetails",
      "imageState",
      "imageCreationDate",
      "taskDetails",
    ],
    call: (api, ids) => api.describeImportImageTasks(ids),
    tokens,
    advice: adviceFor,
    fix: "Fix the disks",
    artifact: imageImport,
  }),
};
