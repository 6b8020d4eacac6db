/**
 * `ec2.ImportInstanceTask` (legacy ImportInstance, aws-apis.md §4.2–4.3) as a spec of the one
 * lifecycle (provider/core/task/). ImportInstance takes no ClientToken: a marker in the Description
 * stands in for one, and `findStarted` looks it up in DescribeConversionTasks before each start.
 */
import type { ImportInstanceCommandInput } from "@aws-sdk/client-ec2";
import type * as pulumi from "@pulumi/pulumi";
import { isPlainObject } from "../core/check";
import { endpointOrigins } from "../core/config";
import { isAwsApiError } from "../core/errors";
import { isoTime, normalizeOutputs } from "../core/outputs";
import { backoffDelay, exhausted } from "../core/retry";
import { acceptorsFrom } from "../core/task/helpers";
import {
  type PropertySpec,
  type PropertyTable,
  sourceEtagProperty,
  waitTimeoutProperty,
} from "../core/task/properties";
import type { TaskContext, TaskSpec } from "../core/task/spec";
import type { TargetArgs } from "../core/task/targetArgs";
import type { Ec2Api } from "./api";
import type { ImportInstanceTaskArgs } from "./importInstanceTask";
import { checkDiskImages, checkLaunchSpecification, checkMore } from "./importInstanceTaskCheck";
import * as shared from "./shared";
import type { ConversionTask, ConversionVolume, Ec2Instance } from "./types";
import * as vm from "./vmImport";

export const LEGACY_WARNING =
  "ImportInstance is legacy (single-volume Windows VMs only, no AWS CLI support); AWS recommends ImportImage: use ec2.ImportImageTask for new imports.";

/** Inputs after check(); nested members are checked by importInstanceTaskCheck.ts and sent as given. */
type Inputs = Omit<pulumi.Unwrap<ImportInstanceTaskArgs>, keyof TargetArgs>;

/** ImportInstance attempts after retryable errors, each followed by a marker lookup. */
const START_ATTEMPTS = 5;
/** ImportInstance attempts refused by throttling (core/retry.ts's default), each also followed by a lookup. */
const THROTTLED_ATTEMPTS = 10;
/** The one key of the listing batcher: concurrent marker lookups share one listing call. */
const ALL = "*";
/** The marker fits the 255-character Description beside a 212-character description. */
const MARKER_MAX_LENGTH = 40;

/** A parameter sent as awsName: replaces on change; a presigned URL compares by its object. */
const param = (awsName: string, spec: Omit<PropertySpec, "change">): PropertySpec => ({
  ...spec,
  change: "replace",
  awsName,
  compareAs: shared.stableValue,
});

/** Each input in check() order; import parameters replace, the marker and options update. */
export const properties: PropertyTable<Inputs> = {
  adoptConversionTaskId: {
    rule: {
      kind: "string",
      pattern: /^import-i-[0-9a-z]{8}$/,
      patternText: "import-i- followed by 8 letters/digits",
      fix: "copy ConversionTaskId from DescribeConversionTasks",
    },
    change: "replace",
  },
  platform: param("Platform", {
    rule: {
      kind: "string",
      required: true,
      oneOf: ["Windows"],
      fix: "ImportInstance imports Windows VMs only; use ec2.ImportImageTask for Linux",
    },
    requiredUnless: "adoptConversionTaskId",
  }),
  diskImages: param("DiskImages", {
    rule: { kind: "custom" },
    checkNested: (news, { settings }) => checkDiskImages(news, endpointOrigins(settings, "ec2")),
    secretLeaf: { path: ["[]", "image", "importManifestUrl"] },
  }),
  launchSpecification: param("LaunchSpecification", {
    rule: { kind: "object", fix: "use { instanceType, subnetId, … }" },
    checkNested: checkLaunchSpecification,
    secretLeaf: { path: ["userData"] },
  }),
  sourceEtag: sourceEtagProperty,
  description: param("Description", {
    rule: {
      kind: "string",
      minLength: 1,
      maxLength: 255 - MARKER_MAX_LENGTH - 3,
      fix: "use at most 212 characters (the marker takes the rest)",
    },
  }),
  marker: {
    rule: {
      kind: "string",
      pattern: /^[A-Za-z0-9_.:-]{8,40}$/,
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

/**
 * The ImportInstance request: the Description ends with the `[marker]` the lookup finds it by;
 * InstanceType is a ~1,400-value enum check() leaves to EC2.
 */
export function importInstanceRequest(inputs: Inputs, marker: string): ImportInstanceCommandInput {
  const spec = inputs.launchSpecification;
  const userData = spec?.userData === undefined ? undefined : { Data: spec.userData };
  return shared.compact({
    ...shared.awsFields(properties, inputs),
    Description: [inputs.description, `[${marker}]`].filter((s) => s !== undefined).join(" "),
    DiskImages: shared.pascal(inputs.diskImages ?? []),
    LaunchSpecification:
      spec && shared.compact({ ...(shared.pascal(spec) as object), UserData: userData }),
  }) as ImportInstanceCommandInput;
}

/** `completed` succeeds; `cancelling`/`cancelled` (a cancel or a failure) fail; `active` runs. */
const status = vm.taskStatus<ConversionTask>({
  statusOf: (t) => t.state,
  failed: ["cancelling", "cancelled"],
  cancelEnds: ["cancelled", "completed"],
  percent: progressOf,
});
const facts = { idOf: (task: ConversionTask) => task.conversionTaskId, ...status };

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

/** The outputs the task and its instance add to the echoed inputs, in this order. */
const OUTPUTS: Record<string, (task: ConversionTask, instance?: Ec2Instance) => unknown> = {
  conversionTaskId: (t) => t.conversionTaskId,
  state: (t) => t.state,
  statusMessage: (t) => t.statusMessage,
  progress: progressOf,
  instanceId: (t) => t.instanceId,
  volumeIds: volumeIdsOf,
  volumes: (t) => t.volumes,
  expirationTime: (t) => isoTime(t.expirationTime),
  instanceState: (_t, instance) => instance?.state,
  taskDetails: (t) => ({ description: t.description, platform: t.platform }),
};

/** The task as recorded in `props`, for read/delete after Describe has forgotten it (7 days). */
function recordedTask(id: string, props: Record<string, unknown>): ConversionTask {
  const { state, volumes, taskDetails } = props;
  const details = isPlainObject(taskDetails) ? taskDetails : {};
  return {
    ...vm.recordedFields(details, ["description", "platform"]),
    ...vm.recordedFields(props, ["statusMessage", "expirationTime", "instanceId"]),
    conversionTaskId: id,
    state: typeof state === "string" && state !== "" ? state : shared.GONE,
    volumes: Array.isArray(volumes) ? (volumes as ConversionVolume[]) : [],
  };
}

export function adviceFor(state: string, statusMessage: string | undefined): string {
  const m = statusMessage ?? "";
  const retry = "then run `pulumi up` again (a failed import is replaced)";
  if (state === shared.GONE) {
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

/** The conversion tasks of the last 7 days under one key (the marker lookup), and the instances. */
function instanceState(ctx: Omit<TaskContext<Ec2Api>, "state">) {
  return {
    listing: ctx.batcher(
      "DescribeConversionTasks",
      shared.DESCRIBE_BATCH_SIZE,
      async () => new Map([[ALL, await ctx.api.listConversionTasks()]]),
    ),
    instances: ctx.batcher("DescribeInstances", shared.DESCRIBE_BATCH_SIZE, (ids) =>
      ctx.api.describeInstances(ids),
    ),
  };
}
type State = ReturnType<typeof instanceState>;
type Ctx = TaskContext<Ec2Api, State, ConversionTask>;

const terminated = acceptorsFrom<Ec2Instance>((o) =>
  o === undefined || o.state === "terminated" ? "success" : "pending",
);

/** ImportInstance leaves a (stopped) instance and its volume. */
export const instanceImport: vm.VmImportFamily<Inputs, ConversionTask, Ec2Instance, State> = {
  ...facts,
  recorded: recordedTask,
  artifactId: (task) => (task.state === "completed" ? task.instanceId : undefined),
  artifactNoun: "instance",
  async findArtifact(ctx, instanceId) {
    const instance = await ctx.state.instances.get(instanceId);
    return instance?.state === "terminated" ? undefined : instance;
  },
  outputs: (task, instance) =>
    normalizeOutputs(
      Object.fromEntries(Object.entries(OUTPUTS).map(([key, of]) => [key, of(task, instance)])),
    ),
  cancelOperation: "CancelConversionTask",
  // CancelConversionTask also removes a partly converted instance and volume.
  cancel: (api, id, reason) => api.cancelConversionTask(id, reason),
  ending: "cancelling",
  leftArtifacts: (_task, state) => state === "completed",
  async removeArtifacts(ctx, id, inputs, task, props) {
    const { log } = ctx.runtime;
    const label = ctx.label(inputs, id);
    const { instanceId } = task;
    const volumeIds = volumeIdsOf(task);
    if (inputs.retainInstanceOnDelete ?? false) {
      const kept = instanceId ?? "(none)";
      log.info(label, `retainInstanceOnDelete is true: keeping instance ${kept} and its volume`);
      return;
    }
    if (instanceId !== undefined) {
      await ctx
        .aws("TerminateInstances", () => ctx.api.terminateInstance(instanceId))
        .catch(shared.ignore(shared.NOT_FOUND_CODES.instanceId));
      log.info(label, `terminating instance ${instanceId}`);
    }
    if (inputs.retainVolumesOnDelete ?? false) {
      log.info(label, `retainVolumesOnDelete is true: keeping ${volumeIds.join(", ")}`);
      return;
    }
    if (instanceId !== undefined && volumeIds.length > 0) {
      // A volume can be deleted only once the instance has released it.
      const watch = {
        resourceId: id,
        acceptors: terminated,
        status: (o?: Ec2Instance) => o?.state ?? shared.GONE,
        operation: "DescribeInstances",
        subject: `${ctx.subject(inputs, id)}: terminating ${instanceId}`,
      };
      await ctx.waitOn(ctx.state.instances, instanceId, watch, inputs, { properties: props });
    }
    for (const volumeId of volumeIds) {
      await ctx
        .aws("DeleteVolume", () => ctx.api.deleteVolume(volumeId))
        .catch(shared.ignore(shared.NOT_FOUND_CODES.volumeId));
    }
    if (volumeIds.length > 0) log.info(label, `deleted ${volumeIds.join(", ")}`);
  },
};

/** Tasks carrying `marker`; the live one first (sort is stable). */
async function underMarker(ctx: Ctx, marker: string): Promise<ConversionTask[]> {
  const tasks = (await ctx.state.listing.get(ALL)) ?? [];
  const failed = (t: ConversionTask): number => (facts.classify(t.state) === "failure" ? 1 : 0);
  return tasks
    .filter((t) => t.description?.includes(`[${marker}]`) === true)
    .sort((a, b) => failed(a) - failed(b));
}

/**
 * ImportInstance is not idempotent: a 5xx or a dropped connection may hide a conversion AWS did
 * start. So after a retryable error the marker lookup runs again and adopts what it finds (the
 * core's findStarted saw nothing just before, so a task there now is this create's own, failed or
 * not); only when it finds nothing is ImportInstance sent again.
 */
async function startOnce(ctx: Ctx, inputs: Inputs, marker: string): Promise<ConversionTask> {
  const { clock, random, log } = ctx.runtime;
  const request = importInstanceRequest(inputs, marker);
  for (let attempt = 0, throttled = 0; ;) {
    try {
      return await ctx.awsOnce("ImportInstance", () => ctx.api.importInstance(request));
    } catch (err) {
      if (!isAwsApiError(err) || !err.retryable) throw err;
      // Many imports starting at once are throttled (about 1 a second): those get more attempts.
      const tries = err.throttling ? ++throttled : ++attempt;
      if (tries >= (err.throttling ? THROTTLED_ATTEMPTS : START_ATTEMPTS)) {
        throw exhausted(err, attempt + throttled);
      }
      await clock.sleep(backoffDelay(tries - 1, 1000, 20_000, random));
      const [started] = await underMarker(ctx, marker);
      if (started !== undefined) {
        const using = `ImportInstance answered ${err.code}, yet ${started.conversionTaskId} carries the marker: using it`;
        log.info(ctx.label(inputs), using);
        return started;
      }
    }
  }
}

export const importInstanceTaskSpec: TaskSpec<Inputs, ConversionTask, Ec2Api, State> = {
  service: "ec2",
  className: "ImportInstanceTask",
  properties,
  checkMore: (news, { settings }) => checkMore(news, settings.region),
  checkWarnings: () => [LEGACY_WARNING],
  state: instanceState,
  describe: {
    operation: "DescribeConversionTasks",
    batchSize: shared.DESCRIBE_BATCH_SIZE,
    call: (api, ids) => api.describeConversionTasks(ids),
  },
  // From 30 s, not 15: with the marker lookup before the start, a lone wait still costs no more
  // DescribeConversionTasks calls than the SDK's ConversionTaskCompleted waiter (15–120 s).
  poll: { ...shared.POLL, minDelayMs: 30_000 },
  ...facts,
  statusOutput: "state",
  phaseWords: { create: "conversion" },
  adoptProperty: "adoptConversionTaskId",
  tokenProperty: "marker",
  fallbackToken: markers.fallbackToken,
  successorToken: markers.successorToken,
  start: startOnce,
  outputs: Object.keys(OUTPUTS),
  ...vm.taskMessages<ConversionTask>({
    type: "ec2.ImportInstanceTask",
    operation: "DescribeConversionTasks",
    property: "adoptConversionTaskId",
    records: "conversion tasks",
    noun: "conversion",
    token: "marker",
    fix: "Fix the disk image or manifest",
    ...facts,
    advice: adviceFor,
  }),
  retainedMessage: (id) => `retainOnDelete is true: leaving ${id}, its instance and volume in EC2`,
  ...vm.vmImportSpec(instanceImport, properties, {
    findStarted: async (ctx, _inputs, marker) => (await underMarker(ctx, marker))[0],
  }),
};
