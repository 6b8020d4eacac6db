/**
 * Pure logic of `ec2.ImportInstanceTask` (legacy ImportInstance, aws-apis.md §4.2–4.3): input
 * rules, the ImportInstance request with its deterministic marker, diff, acceptors as data, outputs
 * and messages. ImportInstance has no ClientToken, so the provider finds a task an earlier run
 * started by the marker this file writes into the Description. No I/O.
 */
import {
  type CheckFailure,
  checkBoolean,
  checkInteger,
  checkObject,
  checkString,
  checkStringArray,
  typeName,
} from "../core/check";
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import { isCredentialBearingUrl, redactUrl } from "../core/redact";
import { deriveToken } from "../core/tokens";
import { containsUnknown, isUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
import {
  type DiffResult,
  diffTask,
  GONE,
  labelOf,
  pickInputs,
  pollHistory,
  stableValue,
  successorToken as chainToken,
  WAIT_TIMEOUT_MINUTES_MAX,
} from "./shared";

export const RESOURCE_TYPE = "ec2.ImportInstanceTask";
const TOKEN_TYPE = "ec2:ImportInstanceTask";

/** Regions that offer ImportInstance; AWS adds no more (VMIE-UG vmimport-instance-import.md). */
export const IMPORT_INSTANCE_REGIONS: readonly string[] = [
  "us-east-1",
  "us-west-1",
  "us-west-2",
  "us-east-2",
  "ca-central-1",
  "us-gov-west-1",
  "sa-east-1",
  "eu-west-1",
  "eu-central-1",
  "ap-southeast-1",
  "ap-northeast-1",
  "ap-southeast-2",
  "ap-northeast-2",
  "ap-south-1",
  "cn-north-1",
];

export const LEGACY_WARNING =
  "ImportInstance is legacy (single-volume Windows VMs only, no AWS CLI support); AWS recommends ImportImage: use ec2.ImportImageTask for new imports.";

// ---- Shapes ---------------------------------------------------------------------------------

/** One volume of a conversion task (ImportInstanceVolumeDetailItem, without the manifest URL). */
export interface ConversionVolume {
  volumeId?: string;
  /** GiB. */
  volumeSize?: number;
  availabilityZone?: string;
  bytesConverted?: number;
  /** Bytes of the disk image. */
  imageSize?: number;
  format?: string;
  status?: string;
  statusMessage?: string;
  description?: string;
}

/** A ConversionTask (ImportInstance / DescribeConversionTasks), normalized. */
export interface ConversionTask {
  conversionTaskId: string;
  state: string;
  statusMessage?: string;
  /** ISO 8601: AWS cancels the task if the upload is not done by then. */
  expirationTime?: string;
  description?: string;
  instanceId?: string;
  platform?: string;
  volumes: ConversionVolume[];
}

/** What DescribeInstances says about the imported instance. */
export interface Ec2Instance {
  instanceId: string;
  state?: string;
}

/** The ImportInstance request in the SDK's field names (api.ts passes it to the SDK). */
export interface ImportInstanceRequest {
  Description: string;
  Platform: "Windows";
  DiskImages: {
    Description?: string;
    Image: { Format: "VMDK" | "RAW" | "VHD"; Bytes: number; ImportManifestUrl: string };
    Volume: { Size: number };
  }[];
  LaunchSpecification?: {
    Architecture?: "i386" | "x86_64";
    GroupNames?: string[];
    GroupIds?: string[];
    AdditionalInfo?: string;
    UserData?: { Data: string };
    InstanceType?: string;
    Placement?: {
      AvailabilityZone?: string;
      GroupName?: string;
      Tenancy?: "default" | "dedicated";
    };
    Monitoring?: boolean;
    SubnetId?: string;
    InstanceInitiatedShutdownBehavior?: "stop" | "terminate";
    PrivateIpAddress?: string;
  };
}

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
  __provider?: string;
}

export const IMPORT_KEYS = [
  "description",
  "platform",
  "diskImages",
  "launchSpecification",
] as const;
const UPDATE_KEYS = [
  "marker",
  "waitForCompletion",
  "waitTimeoutMinutes",
  "retainOnDelete",
  "retainInstanceOnDelete",
  "retainVolumesOnDelete",
] as const;
export const INPUT_KEYS = [...IMPORT_KEYS, "adoptConversionTaskId", ...UPDATE_KEYS] as const;

export const DEFAULTS = {
  waitForCompletion: true,
  /** A single-volume conversion takes tens of minutes to hours. */
  waitTimeoutMinutes: 240,
  retainOnDelete: false,
  retainInstanceOnDelete: false,
  retainVolumesOnDelete: false,
} as const;

export const LIMITS = {
  descriptionMaxLength: 255,
  markerMaxLength: 40,
  /** EBS volumes: 1–16384 GiB. */
  volumeSizeMax: 16_384,
} as const;

const CONVERSION_ID = /^import-i-[0-9a-z]{8}$/;
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const SG_ID = /^sg-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MARKER = /^[A-Za-z0-9_.:-]{8,40}$/;

// ---- check ----------------------------------------------------------------------------------

export interface CheckOptions {
  /** The configured region: ImportInstance exists only in a fixed list of regions. */
  region?: string;
  /** Origins of a configured endpoint override (the emulator serves S3 over http). */
  extraS3Origins?: readonly string[];
}

function checkManifestUrl(
  url: string,
  path: string,
  failures: CheckFailure[],
  options: CheckOptions,
): void {
  const fix =
    "Fix: upload the disk with its import manifest to S3 and pass the manifest's presigned GET URL (it is kept secret)";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    failures.push({
      property: path,
      reason: `must be a presigned https:// S3 URL (got an unparsable URL). ${fix}`,
    });
    return;
  }
  const local = (options.extraS3Origins ?? []).includes(parsed.origin);
  if (parsed.protocol !== "https:" && !local) {
    failures.push({
      property: path,
      reason: `must be a presigned https:// S3 URL (got "${redactUrl(url).slice(0, 80)}"). ${fix}`,
    });
    return;
  }
  if (!isCredentialBearingUrl(url)) {
    failures.push({
      property: path,
      reason: `must be presigned (EC2 reads the manifest with the URL's own signature; got a URL without X-Amz-Signature or Signature). ${fix}`,
    });
  }
}

function checkDiskImages(
  news: Record<string, unknown>,
  required: boolean,
  failures: CheckFailure[],
  options: CheckOptions,
): void {
  const disks = news["diskImages"];
  if (isUnknown(disks)) return;
  if (disks === undefined || disks === null) {
    if (required) {
      failures.push({
        property: "diskImages",
        reason:
          "is required. Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }], or set adoptConversionTaskId",
      });
    }
    return;
  }
  if (!Array.isArray(disks)) {
    failures.push({
      property: "diskImages",
      reason: `must be a list with one disk image (got ${typeName(disks)}). Fix: use [{ image: { format, bytes, importManifestUrl }, volume: { size } }]`,
    });
    return;
  }
  if (disks.length !== 1) {
    failures.push({
      property: "diskImages",
      reason: `must have exactly one disk image: ImportInstance supports single-volume VMs only (got ${disks.length}). Fix: use ec2.ImportImageTask for multi-volume VMs`,
    });
  }
  disks.forEach((disk: unknown, i) => {
    const base = `diskImages[${i}]`;
    const before = failures.length;
    checkObject(news, base, { required: true, fix: "give { image, volume }" }, failures);
    if (failures.length > before || isUnknown(disk)) return;
    checkString(
      news,
      `${base}.description`,
      { minLength: 1, maxLength: LIMITS.descriptionMaxLength, fix: "use 1–255 characters" },
      failures,
    );
    checkObject(
      news,
      `${base}.image`,
      { required: true, fix: "give { format, bytes, importManifestUrl }" },
      failures,
    );
    checkObject(news, `${base}.volume`, { required: true, fix: "give { size } in GiB" }, failures);
    checkString(
      news,
      `${base}.image.format`,
      {
        required: true,
        oneOf: ["VMDK", "RAW", "VHD"],
        fix: "use VMDK, RAW or VHD (the disk image's format)",
      },
      failures,
    );
    checkInteger(
      news,
      `${base}.image.bytes`,
      { required: true, min: 1, fix: "give the disk image's size in bytes" },
      failures,
    );
    const urlBefore = failures.length;
    checkString(
      news,
      `${base}.image.importManifestUrl`,
      {
        required: true,
        minLength: 1,
        fix: "give the presigned URL of the disk's import manifest in S3",
      },
      failures,
    );
    const d = disk as { image?: Record<string, unknown>; volume?: Record<string, unknown> };
    const url = d.image?.["importManifestUrl"];
    if (failures.length === urlBefore && typeof url === "string" && !containsUnknown(url)) {
      checkManifestUrl(url, `${base}.image.importManifestUrl`, failures, options);
    }
    checkInteger(
      news,
      `${base}.volume.size`,
      {
        required: true,
        min: 1,
        max: LIMITS.volumeSizeMax,
        fix: "give the EBS volume size in GiB, at least the disk image's size",
      },
      failures,
    );
    const bytes = d.image?.["bytes"];
    const size = d.volume?.["size"];
    if (typeof bytes === "number" && typeof size === "number" && size * 2 ** 30 < bytes) {
      failures.push({
        property: `${base}.volume.size`,
        reason: `must hold the disk image: ${size} GiB is less than ${bytes} bytes. Fix: use at least ${Math.ceil(bytes / 2 ** 30)} GiB`,
      });
    }
  });
}

function checkLaunchSpecification(news: Record<string, unknown>, failures: CheckFailure[]): void {
  const before = failures.length;
  checkObject(news, "launchSpecification", { fix: "use { instanceType, subnetId, … }" }, failures);
  const spec = news["launchSpecification"];
  if (failures.length > before || spec === undefined || spec === null || isUnknown(spec)) return;
  const p = (k: string): string => `launchSpecification.${k}`;
  checkString(
    news,
    p("architecture"),
    {
      oneOf: ["i386", "x86_64"],
      fix: "use x86_64 or i386 (ImportInstance imports x86 Windows VMs)",
    },
    failures,
  );
  checkString(
    news,
    p("instanceType"),
    {
      pattern: INSTANCE_TYPE,
      patternText: "an instance type such as m5.large",
      fix: "pick an instance type that supports Windows import, e.g. m5.large",
    },
    failures,
  );
  checkStringArray(
    news,
    p("groupNames"),
    {
      item: { minLength: 1, maxLength: 255, fix: "name security groups of 1–255 characters" },
      fix: 'use a list of security group names, e.g. ["web"]',
    },
    failures,
  );
  checkStringArray(
    news,
    p("groupIds"),
    {
      item: {
        pattern: SG_ID,
        patternText: "sg- followed by 8 or 17 hex digits",
        fix: "copy the security group ID",
      },
      fix: 'use a list of security group IDs, e.g. ["sg-0123456789abcdef0"]',
    },
    failures,
  );
  checkString(
    news,
    p("additionalInfo"),
    { maxLength: 1024, fix: "use at most 1024 characters (AWS reserves this field)" },
    failures,
  );
  checkString(
    news,
    p("userData"),
    {
      pattern: BASE64,
      patternText: "base64 text",
      fix: "base64-encode the user data (it is kept secret)",
    },
    failures,
  );
  checkString(
    news,
    p("subnetId"),
    {
      pattern: SUBNET_ID,
      patternText: "subnet- followed by 8 or 17 hex digits",
      fix: "copy the subnet ID",
    },
    failures,
  );
  checkString(
    news,
    p("instanceInitiatedShutdownBehavior"),
    { oneOf: ["stop", "terminate"], fix: "use stop or terminate" },
    failures,
  );
  checkString(
    news,
    p("privateIpAddress"),
    { pattern: IPV4, patternText: "an IPv4 address", fix: "use an address in the subnet's range" },
    failures,
  );
  checkBoolean(news, p("monitoring"), { fix: "use true or false" }, failures);
  const placementBefore = failures.length;
  checkObject(
    news,
    p("placement"),
    { fix: "use { availabilityZone, groupName, tenancy }" },
    failures,
  );
  const placement = (spec as Record<string, unknown>)["placement"];
  if (failures.length > placementBefore || typeof placement !== "object" || placement === null)
    return;
  const pl = placement as Record<string, unknown>;
  if (pl["tenancy"] === "host" || pl["hostId"] !== undefined || pl["affinity"] !== undefined) {
    failures.push({
      property: p("placement"),
      reason:
        "must not use host tenancy, hostId or affinity: ImportInstance does not support Dedicated Hosts. Fix: use tenancy default or dedicated, or import with ec2.ImportImageTask and launch the AMI on the host",
    });
  } else {
    checkString(
      news,
      p("placement.tenancy"),
      { oneOf: ["default", "dedicated"], fix: "use default or dedicated" },
      failures,
    );
  }
  checkString(
    news,
    p("placement.availabilityZone"),
    {
      pattern: /^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]$/,
      patternText: "a zone such as us-west-2a",
      fix: "name a zone of the configured region",
    },
    failures,
  );
  checkString(
    news,
    p("placement.groupName"),
    { minLength: 1, maxLength: 255, fix: "name the placement group (1–255 characters)" },
    failures,
  );
}

/**
 * Every documented constraint plus the cross-field rules; values unknown in preview are skipped.
 * Never throws.
 */
export function checkInputs(
  news: Record<string, unknown>,
  options: CheckOptions = {},
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const adopting = news["adoptConversionTaskId"] !== undefined;
  checkString(
    news,
    "adoptConversionTaskId",
    {
      pattern: CONVERSION_ID,
      patternText: "import-i- followed by 8 letters/digits",
      fix: "copy ConversionTaskId from DescribeConversionTasks",
    },
    failures,
  );
  checkString(
    news,
    "platform",
    {
      required: !adopting,
      oneOf: ["Windows"],
      fix: "ImportInstance imports Windows VMs only; use ec2.ImportImageTask for Linux",
    },
    failures,
  );
  checkDiskImages(news, !adopting, failures, options);
  checkLaunchSpecification(news, failures);
  checkString(
    news,
    "description",
    {
      minLength: 1,
      maxLength: LIMITS.descriptionMaxLength - LIMITS.markerMaxLength - 3,
      fix: "use at most 212 characters (the marker takes the rest)",
    },
    failures,
  );
  checkString(
    news,
    "marker",
    {
      pattern: MARKER,
      patternText: "8–40 letters, digits or _.:-",
      fix: "omit it and let the provider derive one from the stack, the resource name and the import parameters",
    },
    failures,
  );
  for (const property of [
    "waitForCompletion",
    "retainOnDelete",
    "retainInstanceOnDelete",
    "retainVolumesOnDelete",
  ]) {
    checkBoolean(news, property, { fix: "use true or false" }, failures);
  }
  checkInteger(
    news,
    "waitTimeoutMinutes",
    {
      min: 1,
      max: WAIT_TIMEOUT_MINUTES_MAX,
      fix: "use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
    },
    failures,
  );
  if (
    !adopting &&
    options.region !== undefined &&
    !IMPORT_INSTANCE_REGIONS.includes(options.region)
  ) {
    failures.push({
      property: "aws:region",
      reason: `must be a region that offers ImportInstance (got ${options.region}; it exists only in ${IMPORT_INSTANCE_REGIONS.join(", ")}). Fix: use ec2.ImportImageTask, which every region offers`,
    });
  }
  if (news["retainInstanceOnDelete"] === true && news["retainVolumesOnDelete"] === false) {
    failures.push({
      property: "retainVolumesOnDelete",
      reason:
        "cannot be false while retainInstanceOnDelete is true: the kept instance still uses its volume. Fix: remove retainVolumesOnDelete or set retainInstanceOnDelete to false",
    });
  }
  if (
    news["retainOnDelete"] === true &&
    (news["retainInstanceOnDelete"] === false || news["retainVolumesOnDelete"] === false)
  ) {
    failures.push({
      property: "retainOnDelete",
      reason:
        "keeps everything, which contradicts retainInstanceOnDelete/retainVolumesOnDelete: false. Fix: drop retainOnDelete and use the per-artifact options",
    });
  }
  return failures;
}

// ---- request, identity, marker --------------------------------------------------------------

export function asInputs(raw: Record<string, unknown>): ImportInstanceTaskInputs {
  const str = (k: string): string | undefined => (typeof raw[k] === "string" ? raw[k] : undefined);
  const bool = (k: string): boolean | undefined =>
    typeof raw[k] === "boolean" ? raw[k] : undefined;
  const num = raw["waitTimeoutMinutes"];
  const spec = raw["launchSpecification"];
  return {
    description: str("description"),
    platform: str("platform"),
    diskImages: Array.isArray(raw["diskImages"])
      ? (raw["diskImages"] as DiskImageInput[])
      : undefined,
    launchSpecification: typeof spec === "object" && spec !== null ? spec : undefined,
    marker: str("marker"),
    adoptConversionTaskId: str("adoptConversionTaskId"),
    waitForCompletion: bool("waitForCompletion"),
    waitTimeoutMinutes: typeof num === "number" && Number.isFinite(num) ? num : undefined,
    retainOnDelete: bool("retainOnDelete"),
    retainInstanceOnDelete: bool("retainInstanceOnDelete"),
    retainVolumesOnDelete: bool("retainVolumesOnDelete"),
    __provider: str("__provider"),
  };
}

/** The marker as it appears in the Description: `[pam-…]`, unlikely to occur by chance. */
export function markerTag(marker: string): string {
  return `[${marker}]`;
}

/** The Description sent: the user's description, then the marker the lookup finds it by. */
export function wireDescription(description: string | undefined, marker: string): string {
  return description === undefined ? markerTag(marker) : `${description} ${markerTag(marker)}`;
}

function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
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
    { maxLength: LIMITS.markerMaxLength },
  );
}

export function fallbackMarker(inputs: Record<string, unknown>): string {
  return defaultMarker("", "", "", inputs);
}

export function successorMarker(marker: string, failedTaskId: string): string {
  return chainToken(TOKEN_TYPE, marker, failedTaskId).slice(0, LIMITS.markerMaxLength);
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

// ---- diff -----------------------------------------------------------------------------------

export type { DiffResult };

/**
 * Import parameters and adoptConversionTaskId replace (a re-signed presigned URL of the same object is no
 * change); waiting and delete options update in place; a failed task is replaced (see diffTask).
 */
export function diffInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffResult {
  return diffTask(
    {
      importKeys: IMPORT_KEYS,
      updateKeys: UPDATE_KEYS,
      adoptKey: "adoptConversionTaskId",
      idKey: "conversionTaskId",
      statusKey: "state",
      classify: classifyState,
      identity: importIdentity,
      defaults: DEFAULTS,
    },
    olds,
    news,
  );
}

// ---- outputs --------------------------------------------------------------------------------

export function inputsOf(props: Record<string, unknown>): Record<string, unknown> {
  return pickInputs(props, INPUT_KEYS);
}

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

export function toOutputs(
  inputs: Record<string, unknown>,
  task: ConversionTask,
  instance?: Ec2Instance,
): Record<string, OutputValue> {
  const volumeIds = task.volumes.map((v) => v.volumeId).filter((v): v is string => v !== undefined);
  return normalizeOutputs({
    ...inputsOf(inputs),
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

export function logLabel(description: unknown, fallbackId?: unknown): string {
  return `${RESOURCE_TYPE} ${labelOf(description, fallbackId)}`;
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

export function progressLine(o: Observation, poll: number, elapsedMs: number): string {
  const pct = o === undefined ? undefined : progressOf(o);
  return `${stateOf(o)}${pct === undefined ? "" : ` ${pct}%`} (poll ${poll}, ${Math.round(elapsedMs / 1000)}s)`;
}

export function waitTimeoutMs(
  inputs: ImportInstanceTaskInputs,
  configMinutes: number | undefined,
): number {
  return (inputs.waitTimeoutMinutes ?? configMinutes ?? DEFAULTS.waitTimeoutMinutes) * 60_000;
}
