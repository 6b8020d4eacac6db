/**
 * `ec2.ImportInstanceTask` (legacy ImportInstance, aws-apis.md §4.2–4.3) as a spec of the one
 * lifecycle (provider/core/task/). ImportInstance takes no ClientToken, so the "token" is a marker
 * written into the Description: before each start the core asks `findStarted`, which lists the
 * conversion tasks (DescribeConversionTasks, all of the last 7 days) and returns the one carrying
 * the marker; the start itself is never retried blindly (startOnce). The VM Import hooks
 * (vmImport.ts) read the instance after the wait and after the record expires, and on delete
 * cancel the conversion or terminate the instance and delete its volume.
 */
import type { ImportInstanceCommandInput } from "@aws-sdk/client-ec2";
import { endpointOrigins } from "../core/config";
import { isAwsApiError } from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import { backoffDelay, exhausted } from "../core/retry";
import { isPlainObject } from "../core/check";
import {
  type PropertyTable,
  type SourceInputs,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskContext, TaskSpec } from "../core/task/spec";
import type { Acceptor } from "../core/waiter";
import type { Ec2Api } from "./api";
import { checkDiskImages, checkLaunchSpecification, checkMore } from "./importInstanceTaskCheck";
import {
  awsFields,
  collect,
  compact,
  DESCRIBE_BATCH_SIZE,
  GONE,
  ignore,
  INSTANCE_NOT_FOUND_CODES,
  pascal,
  POLL,
  stableValue,
  VOLUME_NOT_FOUND_CODES,
} from "./shared";
import type { ConversionTask, ConversionVolume, Ec2Instance } from "./types";
import * as vm from "./vmImport";

export const LEGACY_WARNING =
  "ImportInstance is legacy (single-volume Windows VMs only, no AWS CLI support); AWS recommends ImportImage: use ec2.ImportImageTask for new imports.";

/** Inputs after check(); nested members are checked by importInstanceTaskCheck.ts and sent as given. */
export interface ImportInstanceTaskInputs {
  description?: string;
  platform?: string;
  diskImages?: Record<string, unknown>[];
  launchSpecification?: Record<string, unknown> & { userData?: string };
  marker?: string;
  adoptConversionTaskId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  retainOnDelete?: boolean;
  retainInstanceOnDelete?: boolean;
  retainVolumesOnDelete?: boolean;
}

/** ImportInstance attempts after retryable errors, each followed by a marker lookup. */
const START_ATTEMPTS = 5;
/** ImportInstance attempts refused by throttling (core/retry.ts's default), each also followed by a lookup. */
const THROTTLED_ATTEMPTS = 10;
/** The one key of the listing batcher: concurrent marker lookups share one listing call. */
const ALL = "*";
const CONVERSION_ID = /^import-i-[0-9a-z]{8}$/;
const MARKER = /^[A-Za-z0-9_.:-]{8,40}$/;
/** The marker fits the 255-character Description beside a 212-character description. */
const MARKER_MAX_LENGTH = 40;

/** Each input in check() order; import parameters replace, the marker and options update. */
export const properties: PropertyTable<ImportInstanceTaskInputs & SourceInputs> = {
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
    secretLeaf: { path: ["[]", "image", "importManifestUrl"] },
    awsName: "DiskImages",
    compareAs: stableValue,
  },
  launchSpecification: {
    rule: { kind: "custom" },
    checkNested: (news) => collect((f) => checkLaunchSpecification(news, f)),
    change: "replace",
    secretLeaf: { path: ["userData"] },
    awsName: "LaunchSpecification",
    compareAs: stableValue,
  },
  sourceEtag: sourceEtagProperty,
  description: {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: 255 - MARKER_MAX_LENGTH - 3,
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
  waitForCompletion: vm.option(true),
  retainOnDelete: vm.option(false),
  retainInstanceOnDelete: vm.option(false),
  retainVolumesOnDelete: vm.option(false),
  // A single-volume conversion takes tens of minutes to hours.
  waitTimeoutMinutes: waitTimeoutProperty(240),
};

export const markers = vm.importTaskTokens("ec2.ImportInstanceTask", properties, MARKER_MAX_LENGTH);

/** The Description sent: the user's description, then the `[marker]` the lookup finds it by. */
export function wireDescription(description: string | undefined, marker: string): string {
  return description === undefined ? `[${marker}]` : `${description} [${marker}]`;
}

/** The ImportInstance request; InstanceType is a ~1,400-value enum check() leaves to EC2. */
export function importInstanceRequest(
  inputs: ImportInstanceTaskInputs,
  marker: string,
): ImportInstanceCommandInput {
  const spec = inputs.launchSpecification;
  const userData = spec?.userData === undefined ? undefined : { Data: spec.userData };
  return compact({
    ...awsFields(properties, inputs),
    Description: wireDescription(inputs.description, marker),
    DiskImages: pascal(inputs.diskImages ?? []),
    LaunchSpecification: spec && compact({ ...(pascal(spec) as object), UserData: userData }),
  }) as ImportInstanceCommandInput;
}

/** `completed` succeeds; `cancelling`/`cancelled` (a cancel or a failure) fail; `active` runs. */
const status = vm.taskStatus<ConversionTask>({
  statusOf: (t) => t.state,
  failed: ["cancelling", "cancelled"],
  cancelEnds: ["cancelled", "completed"],
  percent: (t) => progressOf(t),
});
export const classifyState = status.classify;

/** After TerminateInstances: terminated or gone. */
const terminatedAcceptors: readonly Acceptor<Ec2Instance | undefined>[] = [
  {
    verdict: "success",
    description: "terminated or gone",
    matches: (o) => o === undefined || o.state === "terminated",
  },
];

/** Percent converted: bytesConverted over the image size, else the `Progress: N%` message. */
export function progressOf(task: ConversionTask): number | undefined {
  if (task.state === "completed") return 100;
  const v = task.volumes[0];
  if (v?.bytesConverted !== undefined && v.imageSize !== undefined && v.imageSize > 0) {
    return Math.floor((100 * v.bytesConverted) / v.imageSize);
  }
  const m = /Progress:\s*(\d+)%/.exec(task.statusMessage ?? "");
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

const volumeIdsOf = (task: ConversionTask): string[] =>
  task.volumes.map((v) => v.volumeId).filter((v): v is string => v !== undefined);

/** The task's outputs (the spec adds the echoed inputs): its state, volumes and the instance. */
function taskOutputs(task: ConversionTask, instance?: Ec2Instance): Record<string, OutputValue> {
  return normalizeOutputs({
    conversionTaskId: task.conversionTaskId,
    state: task.state,
    statusMessage: task.statusMessage,
    progress: progressOf(task),
    instanceId: task.instanceId,
    volumeIds: volumeIdsOf(task),
    volumes: task.volumes,
    expirationTime: isoTime(task.expirationTime),
    instanceState: instance?.state,
    taskDetails: { description: task.description, platform: task.platform },
  });
}

/** The task as recorded in `props`, for read/delete after Describe has forgotten it (7 days). */
function recordedTask(id: string, props: Record<string, unknown>): ConversionTask {
  const { state, volumes, taskDetails } = props;
  return {
    ...vm.recordedFields(isPlainObject(taskDetails) ? taskDetails : {}, [
      "description",
      "platform",
    ]),
    ...vm.recordedFields(props, ["statusMessage", "expirationTime", "instanceId"]),
    conversionTaskId: id,
    state: typeof state === "string" && state !== "" ? state : GONE,
    volumes: Array.isArray(volumes) ? (volumes as ConversionVolume[]) : [],
  };
}

export function adviceFor(state: string, statusMessage: string | undefined): string {
  const m = statusMessage ?? "";
  const retry = "then run `pulumi up` again (a failed import is replaced)";
  if (state === GONE) {
    return "DescribeConversionTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run `pulumi refresh`, then `pulumi up` to import again.";
  }
  if (/do not have access|403 Forbidden/i.test(m)) {
    return `EC2 could not read the import manifest: presign the manifest URL again (it may have expired) for an identity that can read the bucket, ${retry}.`;
  }
  if (/Invalid manifest/i.test(m)) {
    return `The import manifest is not valid: generate it again for the uploaded disk, ${retry}.`;
  }
  if (/InsufficientCapacity|capacity/i.test(m)) {
    return `EC2 had no capacity for the instance type: pick another launchSpecification.instanceType or zone, ${retry}.`;
  }
  return `Consider ec2.ImportImageTask, the import AWS recommends; ${retry}.`;
}

/** What an ImportInstance provider keeps: the marker listing (one key) and the instances. */
export interface InstanceState {
  /** Every conversion task of the last 7 days, under one key. */
  listing: BatchPoller<ConversionTask[]>;
  instances: BatchPoller<Ec2Instance>;
}

/** ImportInstance leaves a (stopped) instance and its volume. */
export const instanceImport: vm.VmImportFamily<
  ImportInstanceTaskInputs,
  ConversionTask,
  Ec2Instance,
  InstanceState
> = {
  idOf: (task) => task.conversionTaskId,
  ...status,
  recorded: recordedTask,
  artifactId: (task) => (task.state === "completed" ? task.instanceId : undefined),
  artifactNoun: "instance",
  async findArtifact(ctx, instanceId) {
    const instance = await ctx.state.instances.get(instanceId);
    return instance?.state === "terminated" ? undefined : instance;
  },
  outputs: taskOutputs,
  cancelOperation: "CancelConversionTask",
  // CancelConversionTask also removes a partly converted instance and volume.
  cancel: (api, id, reason) => api.cancelConversionTask(id, reason),
  ending: "cancelling",
  leftArtifacts: (_task, state) => state === "completed",
  async removeArtifacts(ctx, id, inputs, task, props) {
    const { log } = ctx.runtime;
    const label = ctx.label(inputs, id);
    const volumeIds = volumeIdsOf(task);
    const instanceId = task.instanceId;
    if (inputs.retainInstanceOnDelete ?? false) {
      const kept = instanceId ?? "(none)";
      log.info(label, `retainInstanceOnDelete is true: keeping instance ${kept} and its volume`);
      return;
    }
    if (instanceId !== undefined) {
      await ctx
        .aws("TerminateInstances", () => ctx.api.terminateInstance(instanceId))
        .catch(ignore(INSTANCE_NOT_FOUND_CODES));
      log.info(label, `terminating instance ${instanceId}`);
    }
    if (inputs.retainVolumesOnDelete ?? false) {
      log.info(label, `retainVolumesOnDelete is true: keeping ${volumeIds.join(", ")}`);
      return;
    }
    if (instanceId !== undefined && volumeIds.length > 0) {
      // A volume can be deleted only once the instance has released it.
      await ctx.waitOn(
        ctx.state.instances,
        instanceId,
        {
          resourceId: id,
          acceptors: terminatedAcceptors,
          status: (o) => o?.state ?? GONE,
          operation: "DescribeInstances",
          subject: `${ctx.subject(inputs, id)}: terminating ${instanceId}`,
        },
        inputs,
        { properties: props },
      );
    }
    for (const volumeId of volumeIds) {
      await ctx
        .aws("DeleteVolume", () => ctx.api.deleteVolume(volumeId))
        .catch(ignore(VOLUME_NOT_FOUND_CODES));
    }
    if (volumeIds.length > 0) log.info(label, `deleted ${volumeIds.join(", ")}`);
  },
};

type Ctx = TaskContext<Ec2Api, InstanceState, ConversionTask>;

/** Tasks carrying `marker`; the live one first. */
async function underMarker(ctx: Ctx, marker: string): Promise<ConversionTask[]> {
  const tasks = (await ctx.state.listing.get(ALL)) ?? [];
  const found = tasks.filter((t) => t.description?.includes(`[${marker}]`) === true);
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
  for (let attempt = 0, throttled = 0; ;) {
    try {
      return await ctx.awsOnce("ImportInstance", () => ctx.api.importInstance(request));
    } catch (err) {
      if (!isAwsApiError(err) || !err.retryable) throw err;
      // Throttling is expected when many imports start at once (ImportInstance: about 1 a second),
      // so it has the core's 10 attempts; other retryable errors have START_ATTEMPTS.
      const tries = err.throttling ? ++throttled : ++attempt;
      if (tries >= (err.throttling ? THROTTLED_ATTEMPTS : START_ATTEMPTS)) {
        throw exhausted(err, attempt + throttled);
      }
      await clock.sleep(backoffDelay(tries - 1, 1000, 20_000, random));
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
  describe: vm.describeSpec("DescribeConversionTasks", (api, ids) =>
    api.describeConversionTasks(ids),
  ),
  // From 30 s, not 15: with the marker lookup before the start, a lone wait still costs no more
  // DescribeConversionTasks calls than the SDK's ConversionTaskCompleted waiter (15–120 s).
  poll: { ...POLL, minDelayMs: 30_000 },
  idOf: (task) => task.conversionTaskId,
  ...status,
  statusOutput: "state",
  phaseWords: { create: "conversion" },
  adoptProperty: "adoptConversionTaskId",
  tokenProperty: "marker",
  fallbackToken: markers.fallbackToken,
  successorToken: markers.successorToken,
  start: (ctx, inputs, marker) => startOnce(ctx, inputs, marker),
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
  ...vm.taskMessages<ConversionTask>({
    type: "ec2.ImportInstanceTask",
    operation: "DescribeConversionTasks",
    property: "adoptConversionTaskId",
    records: "conversion tasks",
    noun: "conversion",
    token: "marker",
    fix: "Fix the disk image or manifest",
    idOf: (t) => t.conversionTaskId,
    statusOf: status.statusOf,
    advice: adviceFor,
  }),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id}, its instance and volume in EC2`,
  ...vm.vmImportSpec(instanceImport, properties, {
    // No ClientToken: a task an earlier run started carries the marker in its Description.
    findStarted: async (ctx, _inputs, marker) => (await underMarker(ctx, marker))[0],
  }),
};
