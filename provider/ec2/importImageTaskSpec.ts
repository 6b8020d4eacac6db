/**
 * `ec2.ImportImageTask` as a spec of the one lifecycle (provider/core/task/): ImportImage with a
 * deterministic ClientToken, DescribeImportImageTasks batched 100 IDs a call, `completed` the goal.
 * The hooks are what EC2 adds (vmImport.ts, artifacts.ts): the AMI read after the wait and after the 7-day record
 * expiry, and delete's CancelImportTask or AMI and snapshot removal.
 */
import { endpointOrigins } from "../core/config";
import { isAwsApiError, withAdvice } from "../core/errors";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { inputsOf, type PropertyTable } from "../core/task/properties";
import type { TaskSpec } from "../core/task/spec";
import { createEc2Api, type Ec2Api } from "./api";
import { imageImport, type ImageState } from "./artifacts";
import {
  checkBootMode,
  checkClientData,
  checkDiskContainers,
  checkLicenses,
  checkMore,
  LIMITS,
} from "./importImageTaskCheck";
import {
  cancelAcceptors,
  CLIENT_TOKEN_MAX_LENGTH,
  classifyStatus,
  createAcceptors,
  DEFAULT_ROLE_NAME,
  diskIdentity,
  failureMessage,
  fallbackToken,
  type ImportImageTaskInputs,
  importImageRequest,
  progressText,
  statusOf,
  subject,
  successorToken,
  taskOutputs,
} from "./importImageTaskLogic";
import { checkTags, collect, DESCRIBE_BATCH_SIZE, labelOf, POLL } from "./shared";
import type { Ec2Image, ImageTask } from "./types";
import { adoptMissing, option, secretInputs, vmImportHooks, waitTimeoutProperty } from "./vmImport";

const IMPORT_TASK_ID = /^import-ami-[0-9a-z]{8}(?:[0-9a-z]{9})?$/;
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[\w/-]+|arn:aws[\w-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/[\w-]+|alias\/[\w/-]+))$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const USAGE_OPERATION = /^RunInstances(?::\d{4})?$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Each input in check() order; import parameters replace, waiting and delete options update. */
export const properties: PropertyTable<ImportImageTaskInputs> = {
  adoptImportTaskId: {
    rule: {
      kind: "string",
      pattern: IMPORT_TASK_ID,
      patternText: "import-ami- followed by 8 or 17 letters/digits",
      fix: "copy ImportTaskId from `aws ec2 describe-import-image-tasks`",
    },
    change: "replace",
  },
  // A re-signed presigned URL names the same disk: diff compares what diskIdentity keeps.
  diskContainers: {
    rule: { kind: "custom" },
    checkNested: (news, { settings }) =>
      collect((f) => checkDiskContainers(news, f, endpointOrigins(settings, "ec2"))),
    change: "replace",
    secret: true,
    awsName: "DiskContainers",
    compareAs: diskIdentity,
  },
  architecture: {
    rule: {
      kind: "string",
      oneOf: ["i386", "x86_64"],
      fix: "use x86_64 (or i386); VM Import detects it when omitted",
    },
    change: "replace",
    awsName: "Architecture",
  },
  platform: {
    rule: {
      kind: "string",
      oneOf: ["Windows", "Linux"],
      fix: "use Windows or Linux (VM Import detects it when omitted)",
    },
    change: "replace",
    awsName: "Platform",
  },
  licenseType: {
    rule: {
      kind: "string",
      oneOf: ["AWS", "BYOL"],
      fix: "use AWS (license included) or BYOL; AWS recommends setting licenseType or usageOperation",
    },
    change: "replace",
    awsName: "LicenseType",
  },
  hypervisor: {
    rule: { kind: "string", oneOf: ["xen"], fix: "use xen or omit it" },
    change: "replace",
    awsName: "Hypervisor",
  },
  bootMode: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkBootMode(news, f)),
    change: "replace",
    awsName: "BootMode",
  },
  description: {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: LIMITS.descriptionMaxLength,
      fix: "use 1–255 characters",
    },
    change: "replace",
    awsName: "Description",
  },
  clientToken: {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: CLIENT_TOKEN_MAX_LENGTH,
      pattern: PRINTABLE_ASCII,
      patternText: "printable ASCII",
      fix: "use 1–64 ASCII characters, or omit it and let the provider derive one from the stack, the resource name and the import parameters",
    },
    change: "update",
    awsName: "ClientToken",
  },
  roleName: {
    rule: {
      kind: "string",
      pattern: ROLE_NAME,
      patternText: "1–64 letters, digits or +=,.@_-",
      fix: "name the VM Import service role (default vmimport)",
    },
    change: "replace",
    default: DEFAULT_ROLE_NAME,
    awsName: "RoleName",
  },
  kmsKeyId: {
    rule: {
      kind: "string",
      pattern: KMS_KEY,
      patternText: "a KMS key ID, key ARN, alias/name or alias ARN",
      fix: "copy the key ID or ARN from `aws kms list-keys`",
    },
    change: "replace",
    awsName: "KmsKeyId",
  },
  usageOperation: {
    rule: {
      kind: "string",
      pattern: USAGE_OPERATION,
      patternText: "RunInstances or RunInstances:NNNN",
      fix: "use a billing code such as RunInstances:0002 (Windows, license included)",
    },
    change: "replace",
    awsName: "UsageOperation",
  },
  encrypted: {
    rule: { kind: "boolean", fix: "use true or false" },
    change: "replace",
    awsName: "Encrypted",
  },
  clientData: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkClientData(news, f)),
    change: "replace",
    awsName: "ClientData",
  },
  tags: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkTags(news, "tags", f)),
    change: "replace",
    awsName: "TagSpecifications",
  },
  licenseSpecifications: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkLicenses(news, f)),
    change: "replace",
    awsName: "LicenseSpecifications",
  },
  waitForCompletion: option(true),
  retainOnDelete: option(false),
  retainImageOnDelete: option(false),
  retainSnapshotsOnDelete: option(false),
  // Image imports take from tens of minutes to several hours.
  waitTimeoutMinutes: waitTimeoutProperty(480),
};

/** Outputs: the inputs echoed (diff reads them back), the task's state and its AMI. */
export function toOutputs(
  raw: Record<string, unknown>,
  task: ImageTask,
  image?: Ec2Image,
): Record<string, OutputValue> {
  return normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task, image) });
}

export const importImageTaskSpec: TaskSpec<ImportImageTaskInputs, ImageTask, Ec2Api, ImageState> = {
  service: "ec2",
  className: "ImportImageTask",
  properties,
  checkMore: (news) => checkMore(news),
  createApi: (settings) => createEc2Api(settings),
  state: (ctx) => ({
    images: ctx.batcher("DescribeImages", DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeImages(ids),
    ),
  }),
  describe: {
    operation: "DescribeImportImageTasks",
    batchSize: DESCRIBE_BATCH_SIZE,
    call: (api, ids) => api.describeImportImageTasks(ids),
  },
  // No SDK waiter's calls to stay under: a 60 s share halves the shared rounds' lag at twice the calls.
  poll: { ...POLL, shareMs: 60_000 },
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: (status) => classifyStatus(status),
  acceptors: (phase) => (phase === "create" ? createAcceptors : cancelAcceptors),
  progress: progressText,
  adoptProperty: "adoptImportTaskId",
  adoptMissing: (id, inputs, where) =>
    adoptMissing({
      subject: subject(inputs.description, id),
      property: "adoptImportTaskId",
      id,
      where,
      operation: "DescribeImportImageTasks",
      cli: "aws ec2 describe-import-image-tasks",
      records: "task records",
    }),
  tokenProperty: "clientToken",
  fallbackToken: (_inputs, raw) => fallbackToken(raw),
  successorToken,
  start: (ctx, inputs, token) =>
    ctx.aws("ImportImage", () => ctx.api.importImage(importImageRequest(inputs, token))),
  exhaustedMessage: (inputs, last, attempts) =>
    `${subject(inputs.description)}: ${attempts} import tasks for this resource's token ended in failure (last ${last.importTaskId}: ${last.status} ${last.statusMessage ?? ""}). Fix the disks, then run \`pulumi up\` again.`,
  outputs: [
    "importTaskId",
    "status",
    "statusMessage",
    "progress",
    "imageId",
    "snapshotIds",
    "snapshotDetails",
    "imageState",
    "imageCreationDate",
    "taskDetails",
  ],
  secretOutputs: secretInputs(properties),
  toOutputs: (raw, task, extra) =>
    normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task), ...extra }),
  name: (inputs, id) => labelOf(inputs.description, id),
  failureMessage: (inputs, last, wait, id) => failureMessage(inputs.description, last, wait, id),
  explain: (err) =>
    isAwsApiError(err) && err.code === "IdempotentParameterMismatch"
      ? withAdvice(
          err,
          "An import was already started with this clientToken and other parameters (a presigned URL re-signed with another host or path?). Fix: set adoptImportTaskId to that task's ID (aws ec2 describe-import-image-tasks), or set a new clientToken.",
        )
      : err,
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id}, its AMI and snapshots in EC2`,
  hooks: vmImportHooks(imageImport, properties),
};
