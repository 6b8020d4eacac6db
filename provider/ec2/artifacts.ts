/**
 * The two EC2 VM Import families as the shared hooks (vmImport.ts) see them: how to read a task
 * recorded in the outputs, what it leaves behind (an AMI and its snapshots; an instance and its
 * volume) and how to find that after the task record expired, how to cancel a running task, and how
 * to remove what a finished one left as far as the retain options allow.
 */
import type { BatchPoller } from "../core/limiter";
import {
  classifyStatus,
  type ImportImageTaskInputs,
  recordedTask as recordedImageTask,
  snapshotIdsOf,
  statusOf,
  taskOutputs as imageOutputs,
} from "./importImageTaskLogic";
import {
  classifyState,
  type ImportInstanceTaskInputs,
  recordedTask as recordedConversionTask,
  stateOf,
  taskOutputs as conversionOutputs,
  terminatedAcceptors,
} from "./importInstanceTaskLogic";
import {
  GONE,
  IMAGE_NOT_FOUND_CODES,
  ignore,
  INSTANCE_NOT_FOUND_CODES,
  VOLUME_NOT_FOUND_CODES,
} from "./shared";
import type { ConversionTask, Ec2Image, Ec2Instance, ImageTask } from "./types";
import { deleteSnapshots, type VmImportFamily } from "./vmImport";

/** What an ImportImage provider keeps per configure: DescribeImages batched like the tasks. */
export interface ImageState {
  images: BatchPoller<Ec2Image>;
}

/** ImportInstance: the marker listing (DescribeConversionTasks without IDs) and the instances. */
export interface InstanceState {
  /** Every conversion task of the last 7 days, under one key. */
  listing: BatchPoller<ConversionTask[]>;
  instances: BatchPoller<Ec2Instance>;
}

/** ImportImage leaves an AMI and its snapshots. */
export const imageImport: VmImportFamily<ImportImageTaskInputs, ImageTask, Ec2Image, ImageState> = {
  idOf: (task) => task.importTaskId,
  statusOf,
  classify: classifyStatus,
  recorded: recordedImageTask,
  artifactId: (task) => task.imageId,
  artifactNoun: "AMI",
  findArtifact: (ctx, imageId) => ctx.state.images.get(imageId),
  outputs: (task, image) => imageOutputs(task, image),
  completed: (task, _image, polls) =>
    `${task.importTaskId} completed: AMI ${task.imageId ?? "(none)"} (${polls} poll${polls === 1 ? "" : "s"})`,
  cancelOperation: "CancelImportTask",
  cancel: (api, id, reason) => api.cancelImportTask(id, reason),
  ending: "deleting",
  leftArtifacts: (task, status) => status === "completed" || task.imageId !== undefined,
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
        .catch(ignore(IMAGE_NOT_FOUND_CODES));
      log.info(label, `deregistered AMI ${image.imageId}`);
    }
    if (inputs.retainSnapshotsOnDelete ?? false) {
      log.info(label, `retainSnapshotsOnDelete is true: keeping ${snapshotIds.join(", ")}`);
      return;
    }
    await deleteSnapshots(ctx, label, snapshotIds);
  },
};

/** ImportInstance leaves a (stopped) instance and its volume. */
export const instanceImport: VmImportFamily<
  ImportInstanceTaskInputs,
  ConversionTask,
  Ec2Instance,
  InstanceState
> = {
  idOf: (task) => task.conversionTaskId,
  statusOf: stateOf,
  classify: classifyState,
  recorded: recordedConversionTask,
  artifactId: (task) => (task.state === "completed" ? task.instanceId : undefined),
  artifactNoun: "instance",
  async findArtifact(ctx, instanceId) {
    const instance = await ctx.state.instances.get(instanceId);
    return instance?.state === "terminated" ? undefined : instance;
  },
  outputs: (task, instance) => conversionOutputs(task, instance),
  completed: (task, _instance, polls) =>
    `${task.conversionTaskId} completed: instance ${task.instanceId ?? "(none)"} (${polls} poll${polls === 1 ? "" : "s"})`,
  cancelOperation: "CancelConversionTask",
  // CancelConversionTask also removes a partly converted instance and volume.
  cancel: (api, id, reason) => api.cancelConversionTask(id, reason),
  ending: "cancelling",
  leftArtifacts: (_task, status) => status === "completed",
  async removeArtifacts(ctx, id, inputs, task, props) {
    const { log } = ctx.runtime;
    const label = ctx.label(inputs, id);
    const volumeIds = task.volumes
      .map((v) => v.volumeId)
      .filter((v): v is string => v !== undefined);
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
