/**
 * What is EC2-specific about `ec2.ImportInstanceTask` (legacy ImportInstance, aws-apis.md
 * §4.2–4.3): the ImportInstance request with its deterministic marker, how a state counts
 * (acceptors as data), its outputs and its messages. ImportInstance has no ClientToken, so the
 * spec finds a task an earlier run started by the marker this file writes into the Description.
 * No I/O.
 */
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import { deriveToken } from "../core/tokens";
import type { Acceptor } from "../core/waiter";
import {
  compact,
  GONE,
  labelOf,
  pollHistory,
  stableValue,
  successorToken as chainToken,
} from "./shared";
import type { ConversionTask, ConversionVolume, Ec2Instance, ImportInstanceRequest } from "./types";

export const RESOURCE_TYPE = "ec2.ImportInstanceTask";
const TOKEN_TYPE = "ec2:ImportInstanceTask";
/** The marker fits the 255-character Description beside a 212-character description. */
export const MARKER_MAX_LENGTH = 40;

export const LEGACY_WARNING =
  "ImportInstance is legacy (single-volume Windows VMs only, no AWS CLI support); AWS recommends ImportImage: use ec2.ImportImageTask for new imports.";

export interface DiskImageInput {
  description?: string;
  image?: { format?: string; bytes?: number; importManifestUrl?: string };
  volume?: { size?: number };
}

export interface LaunchSpecificationInput {
  architecture?: string;
  groupNames?: string[];
  groupIds?: string[];
  additionalInfo?: string;
  userData?: string;
  instanceType?: string;
  placement?: { availabilityZone?: string; groupName?: string; tenancy?: string };
  monitoring?: boolean;
  subnetId?: string;
  instanceInitiatedShutdownBehavior?: string;
  privateIpAddress?: string;
}

export interface ImportInstanceTaskInputs {
  description?: string;
  platform?: string;
  diskImages?: DiskImageInput[];
  launchSpecification?: LaunchSpecificationInput;
  marker?: string;
  adoptConversionTaskId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  retainOnDelete?: boolean;
  retainInstanceOnDelete?: boolean;
  retainVolumesOnDelete?: boolean;
}

export const IMPORT_KEYS = [
  "description",
  "platform",
  "diskImages",
  "launchSpecification",
] as const;
// ---- request, identity, marker --------------------------------------------------------------

/** The marker as it appears in the Description: `[pam-…]`, unlikely to occur by chance. */
export function markerTag(marker: string): string {
  return `[${marker}]`;
}

/** The Description sent: the user's description, then the marker the lookup finds it by. */
export function wireDescription(description: string | undefined, marker: string): string {
  return description === undefined ? markerTag(marker) : `${description} ${markerTag(marker)}`;
}

export function importInstanceRequest(
  inputs: ImportInstanceTaskInputs,
  marker: string,
): ImportInstanceRequest {
  const spec = inputs.launchSpecification;
  const placement = spec?.placement;
  return compact({
    Description: wireDescription(inputs.description, marker),
    Platform: "Windows" as const,
    DiskImages: (inputs.diskImages ?? []).map((d) =>
      compact({
        Description: d.description,
        Image: {
          Format: (d.image?.format ?? "VMDK") as "VMDK" | "RAW" | "VHD",
          Bytes: d.image?.bytes ?? 0,
          ImportManifestUrl: d.image?.importManifestUrl ?? "",
        },
        Volume: { Size: d.volume?.size ?? 0 },
      }),
    ),
    LaunchSpecification:
      spec === undefined
        ? undefined
        : compact({
            Architecture: spec.architecture as "i386" | "x86_64" | undefined,
            GroupNames: spec.groupNames,
            GroupIds: spec.groupIds,
            AdditionalInfo: spec.additionalInfo,
            UserData: spec.userData === undefined ? undefined : { Data: spec.userData },
            InstanceType: spec.instanceType,
            Placement:
              placement === undefined
                ? undefined
                : compact({
                    AvailabilityZone: placement.availabilityZone,
                    GroupName: placement.groupName,
                    Tenancy: placement.tenancy as "default" | "dedicated" | undefined,
                  }),
            Monitoring: spec.monitoring,
            SubnetId: spec.subnetId,
            InstanceInitiatedShutdownBehavior: spec.instanceInitiatedShutdownBehavior as
              "stop" | "terminate" | undefined,
            PrivateIpAddress: spec.privateIpAddress,
          }),
  });
}

/** What makes two imports the same: the ImportInstance parameters, presigned URLs reduced. */
export function importIdentity(inputs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of IMPORT_KEYS) {
    const v = inputs[key];
    if (v !== undefined) out[key] = stableValue(v);
  }
  return out;
}

export function defaultMarker(
  stack: string,
  project: string,
  name: string,
  inputs: Record<string, unknown>,
): string {
  return deriveToken(
    { stack, project, type: TOKEN_TYPE, name, inputs: importIdentity(inputs) },
    { maxLength: MARKER_MAX_LENGTH },
  );
}

export function fallbackMarker(inputs: Record<string, unknown>): string {
  return defaultMarker("", "", "", inputs);
}

export function successorMarker(marker: string, failedTaskId: string): string {
  return chainToken(TOKEN_TYPE, marker, failedTaskId).slice(0, MARKER_MAX_LENGTH);
}

/** Tasks an earlier run started under `marker` (DescribeConversionTasks lists all, no filters). */
export function findByMarker(tasks: readonly ConversionTask[], marker: string): ConversionTask[] {
  const tag = markerTag(marker);
  return tasks.filter((t) => t.description?.includes(tag) === true);
}

// ---- status, acceptors ----------------------------------------------------------------------

export type StatusClass = "success" | "failure" | "pending";

/** `completed` succeeds; `cancelled`/`cancelling` (a cancel or a failure) fail; `active` runs. */
export function classifyState(state: string): StatusClass {
  if (state === "completed") return "success";
  if (state === "cancelled" || state === "cancelling" || state === GONE) return "failure";
  return "pending";
}

export type Observation = ConversionTask | undefined;

export function stateOf(o: Observation): string {
  return o?.state ?? GONE;
}

export const createAcceptors: readonly Acceptor<Observation>[] = [
  { verdict: "success", description: "completed", matches: (o) => o?.state === "completed" },
  {
    verdict: "failure",
    description: "cancelling, cancelled or gone",
    matches: (o) => classifyState(stateOf(o)) === "failure",
  },
];

/** After CancelConversionTask: cancelled or gone ends it; completed too (it finished first). */
export const cancelAcceptors: readonly Acceptor<Observation>[] = [
  {
    verdict: "success",
    description: "cancelled, completed or gone",
    matches: (o) => o === undefined || o.state === "cancelled" || o.state === "completed",
  },
];

/** After TerminateInstances: terminated or gone. */
export const terminatedAcceptors: readonly Acceptor<Ec2Instance | undefined>[] = [
  {
    verdict: "success",
    description: "terminated or gone",
    matches: (o) => o === undefined || o.state === "terminated",
  },
];

// ---- outputs --------------------------------------------------------------------------------

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

/** The task's outputs (the spec adds the echoed inputs): its state, volumes and the instance. */
export function taskOutputs(
  task: ConversionTask,
  instance?: Ec2Instance,
): Record<string, OutputValue> {
  const volumeIds = task.volumes.map((v) => v.volumeId).filter((v): v is string => v !== undefined);
  return normalizeOutputs({
    conversionTaskId: task.conversionTaskId,
    state: task.state,
    statusMessage: task.statusMessage,
    progress: progressOf(task),
    instanceId: task.instanceId,
    volumeIds,
    volumes: task.volumes,
    expirationTime: isoTime(task.expirationTime),
    instanceState: instance?.state,
    taskDetails: { description: task.description, platform: task.platform },
  });
}

/** The task as recorded in `props`, for read/delete after Describe has forgotten it (7 days). */
export function recordedTask(id: string, props: Record<string, unknown>): ConversionTask {
  const str = (k: string): string | undefined =>
    typeof props[k] === "string" && props[k] !== "" ? props[k] : undefined;
  const volumes = props["volumes"];
  const details =
    typeof props["taskDetails"] === "object" && props["taskDetails"] !== null
      ? (props["taskDetails"] as { description?: string; platform?: string })
      : {};
  const task: ConversionTask = {
    conversionTaskId: id,
    state: str("state") ?? GONE,
    volumes: Array.isArray(volumes) ? (volumes as ConversionVolume[]) : [],
  };
  const set = <K extends keyof ConversionTask>(k: K, v: ConversionTask[K] | undefined): void => {
    if (v !== undefined) task[k] = v;
  };
  set("statusMessage", str("statusMessage"));
  set("expirationTime", str("expirationTime"));
  set("instanceId", str("instanceId"));
  set("description", details.description);
  set("platform", details.platform);
  return task;
}

// ---- messages -------------------------------------------------------------------------------

export function subject(description: unknown, fallbackId?: string): string {
  return `${RESOURCE_TYPE} "${labelOf(description, fallbackId)}"`;
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

export function failureMessage(
  description: unknown,
  task: Observation,
  wait: { polls: number; observed: readonly string[] },
  id: string,
): string {
  const state = stateOf(task);
  const why = task?.statusMessage ? `: ${task.statusMessage.replace(/\.+$/, "")}` : "";
  return `${subject(description, id)}: conversion ${id} ended in ${state}${pollHistory(wait)}${why}. ${adviceFor(state, task?.statusMessage)}`;
}

/** What a progress line shows of one observation: `active 27%`. */
export function progressText(o: Observation): string {
  const pct = o === undefined ? undefined : progressOf(o);
  return `${stateOf(o)}${pct === undefined ? "" : ` ${pct}%`}`;
}

/** Progress line as the core logs it: `active 27% (poll 3, 42s)`. */
export function progressLine(o: Observation, poll: number, elapsedMs: number): string {
  return `${progressText(o)} (poll ${poll}, ${Math.round(elapsedMs / 1000)}s)`;
}
