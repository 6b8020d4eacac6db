/**
 * `ec2.ImportInstanceTask` (legacy ImportInstance) as a spec of the one lifecycle
 * (provider/core/task/). ImportInstance takes no ClientToken, so the "token" is a marker written
 * into the Description: before each start the core asks `findStarted`, which lists the conversion
 * tasks (DescribeConversionTasks, all of the last 7 days) and returns the one carrying the marker;
 * the start itself is never retried blindly (startOnce). The shared VM Import hooks (vmImport.ts,
 * artifacts.ts) read the instance after the wait and after the record expires, and on delete
 * cancel the conversion or terminate the instance and delete its volume.
 */
import { endpointOrigins } from "../core/config";
import { isAwsApiError } from "../core/errors";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { backoffDelay } from "../core/retry";
import { inputsOf, type PropertyTable } from "../core/task/properties";
import type { TaskContext, TaskSpec } from "../core/task/spec";
import { createEc2Api, type Ec2Api } from "./api";
import { type InstanceState, instanceImport } from "./artifacts";
import {
  checkDiskImages,
  checkLaunchSpecification,
  checkMore,
  LIMITS,
} from "./importInstanceTaskCheck";
import {
  cancelAcceptors,
  classifyState,
  createAcceptors,
  failureMessage,
  fallbackMarker,
  findByMarker,
  type ImportInstanceTaskInputs,
  importInstanceRequest,
  LEGACY_WARNING,
  MARKER_MAX_LENGTH,
  progressText,
  stateOf,
  subject,
  successorMarker,
  taskOutputs,
} from "./importInstanceTaskLogic";
import { collect, DESCRIBE_BATCH_SIZE, labelOf, POLL, stableValue } from "./shared";
import type { ConversionTask, Ec2Instance } from "./types";
import { adoptMissing, option, secretInputs, vmImportHooks, waitTimeoutProperty } from "./vmImport";

/** ImportInstance attempts after retryable errors, each followed by a marker lookup. */
const START_ATTEMPTS = 5;
/** The one key of the listing batcher: concurrent marker lookups share one listing call. */
const ALL = "*";
const CONVERSION_ID = /^import-i-[0-9a-z]{8}$/;
const MARKER = /^[A-Za-z0-9_.:-]{8,40}$/;

/** Each input in check() order; import parameters replace, the marker and options update. */
export const properties: PropertyTable<ImportInstanceTaskInputs> = {
  adoptConversionTaskId: {
    rule: {
      kind: "string",
      pattern: CONVERSION_ID,
      patternText: "import-i- followed by 8 letters/digits",
      fix: "copy ConversionTaskId from DescribeConversionTasks",
    },
    change: "replace",
  },
  // The import parameters compare with presigned URLs reduced to the object they name.
  platform: {
    rule: {
      kind: "string",
      required: true,
      oneOf: ["Windows"],
      fix: "ImportInstance imports Windows VMs only; use ec2.ImportImageTask for Linux",
    },
    requiredUnless: "adoptConversionTaskId",
    change: "replace",
    awsName: "Platform",
    compareAs: stableValue,
  },
  diskImages: {
    rule: { kind: "custom" },
    checkNested: (news, { settings }) =>
      collect((f) => checkDiskImages(news, f, endpointOrigins(settings, "ec2"))),
    change: "replace",
    secret: true,
    awsName: "DiskImages",
    compareAs: stableValue,
  },
  launchSpecification: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkLaunchSpecification(news, f)),
    change: "replace",
    secret: true,
    awsName: "LaunchSpecification",
    compareAs: stableValue,
  },
  description: {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: LIMITS.descriptionMaxLength - MARKER_MAX_LENGTH - 3,
      fix: "use at most 212 characters (the marker takes the rest)",
    },
    change: "replace",
    awsName: "Description",
    compareAs: stableValue,
  },
  marker: {
    rule: {
      kind: "string",
      pattern: MARKER,
      patternText: "8–40 letters, digits or _.:-",
      fix: "omit it and let the provider derive one from the stack, the resource name and the import parameters",
    },
    change: "update",
  },
  waitForCompletion: option(true),
  retainOnDelete: option(false),
  retainInstanceOnDelete: option(false),
  retainVolumesOnDelete: option(false),
  // A single-volume conversion takes tens of minutes to hours.
  waitTimeoutMinutes: waitTimeoutProperty(240),
};

type Ctx = TaskContext<Ec2Api, InstanceState, ConversionTask>;

/** Outputs: the inputs echoed (diff reads them back), the task, its volume and the instance. */
export function toOutputs(
  raw: Record<string, unknown>,
  task: ConversionTask,
  instance?: Ec2Instance,
): Record<string, OutputValue> {
  return normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task, instance) });
}

/** Tasks carrying `marker`; the live one first. */
async function underMarker(ctx: Ctx, marker: string): Promise<ConversionTask[]> {
  const found = findByMarker((await ctx.state.listing.get(ALL)) ?? [], marker);
  return [
    ...found.filter((t) => classifyState(t.state) !== "failure"),
    ...found.filter((t) => classifyState(t.state) === "failure"),
  ];
}

/**
 * ImportInstance is not idempotent: a 5xx or a dropped connection may hide a conversion AWS did
 * start. So the call is never retried blindly: after a retryable error the marker lookup runs
 * again and adopts what it finds (live first), and only when it finds nothing is ImportInstance
 * sent again.
 */
async function startOnce(
  ctx: Ctx,
  inputs: ImportInstanceTaskInputs,
  marker: string,
): Promise<ConversionTask> {
  const { clock, random, log } = ctx.runtime;
  const request = importInstanceRequest(inputs, marker);
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.awsOnce("ImportInstance", () => ctx.api.importInstance(request));
    } catch (err) {
      if (!isAwsApiError(err) || !err.retryable || attempt + 1 >= START_ATTEMPTS) throw err;
      await clock.sleep(backoffDelay(attempt, 1000, 20_000, random));
      // The core's findStarted saw no task under this marker just before this start, so one
      // there now is this create's own, failed or not: the core reports a failed one as this
      // create's failure (its start was retried) instead of starting a duplicate.
      const [started] = await underMarker(ctx, marker);
      if (started !== undefined) {
        log.info(
          ctx.label(inputs),
          `ImportInstance answered ${err.code}, yet ${started.conversionTaskId} carries the marker: using it`,
        );
        return started;
      }
    }
  }
}

export const importInstanceTaskSpec: TaskSpec<
  ImportInstanceTaskInputs,
  ConversionTask,
  Ec2Api,
  InstanceState
> = {
  service: "ec2",
  className: "ImportInstanceTask",
  properties,
  checkMore: (news, { settings }) => checkMore(news, settings.region),
  checkWarnings: () => [LEGACY_WARNING],
  createApi: (settings) => createEc2Api(settings),
  state: (ctx) => ({
    listing: ctx.batcher(
      "DescribeConversionTasks",
      DESCRIBE_BATCH_SIZE,
      async () => new Map([[ALL, await ctx.api.listConversionTasks()]]),
    ),
    instances: ctx.batcher("DescribeInstances", DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeInstances(ids),
    ),
  }),
  describe: {
    operation: "DescribeConversionTasks",
    batchSize: DESCRIBE_BATCH_SIZE,
    call: (api, ids) => api.describeConversionTasks(ids),
  },
  // From 30 s, not 15: with the marker lookup before the start, a lone wait still costs no more
  // DescribeConversionTasks calls than the SDK's ConversionTaskCompleted waiter (15–120 s).
  poll: { ...POLL, minDelayMs: 30_000 },
  idOf: (task) => task.conversionTaskId,
  statusOf: stateOf,
  statusOutput: "state",
  classify: (state) => classifyState(state),
  acceptors: (phase) => (phase === "create" ? createAcceptors : cancelAcceptors),
  phaseWords: { create: "conversion" },
  progress: progressText,
  adoptProperty: "adoptConversionTaskId",
  adoptMissing: (id, inputs, where) =>
    adoptMissing({
      subject: subject(inputs.description, id),
      property: "adoptConversionTaskId",
      id,
      where,
      operation: "DescribeConversionTasks",
      records: "conversion tasks",
    }),
  tokenProperty: "marker",
  fallbackToken: (_inputs, raw) => fallbackMarker(raw),
  successorToken: successorMarker,
  start: (ctx, inputs, marker) => startOnce(ctx, inputs, marker),
  exhaustedMessage: (inputs, last, attempts) =>
    `${subject(inputs.description)}: ${attempts} conversion tasks for this resource's marker ended in failure (last ${last.conversionTaskId}: ${last.state} ${last.statusMessage ?? ""}). Fix the disk image or manifest, then run \`pulumi up\` again.`,
  outputs: [
    "conversionTaskId",
    "state",
    "statusMessage",
    "progress",
    "instanceId",
    "volumeIds",
    "volumes",
    "expirationTime",
    "instanceState",
    "taskDetails",
  ],
  secretOutputs: secretInputs(properties),
  toOutputs: (raw, task, extra) =>
    normalizeOutputs({ ...inputsOf(properties, raw), ...taskOutputs(task), ...extra }),
  name: (inputs, id) => labelOf(inputs.description, id),
  failureMessage: (inputs, last, wait, id) => failureMessage(inputs.description, last, wait, id),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id}, its instance and volume in EC2`,
  hooks: {
    ...vmImportHooks(instanceImport, properties),
    // No ClientToken: a task an earlier run started carries the marker in its Description.
    findStarted: async (ctx, _inputs, marker) => (await underMarker(ctx, marker))[0],
  },
};
