import type { OperationContext, QueryParams } from "../../core/service";
import type { DiskFormat } from "../diskImage";
import {
  invalidNextToken,
  invalidParameter,
  invalidTagResourceType,
  invalidValue,
  missingParameter,
} from "../errors";
import type { Params } from "../params";

/**
 * The EC2 VM Import backend's state and the helpers every resource family shares. Per account and
 * region. Task status is computed from the emulated clock whenever a call reads it (start time
 * plus seeded stage durations); the first read after a stage boundary records its outcome (disk
 * validation, the new AMI) in state. One file per family beside this one, as moto's
 * `ec2/models/*.py`: conversions (ImportInstance), instances (and volumes), images (ImportImage
 * tasks), amis, snapshots.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
/** VM Import returns finished tasks for 7 days after they end; then only the AMI remains. */
export const RETENTION_MS = 7 * DAY_MS;
/**
 * ImportInstance's expirationTime: the upload deadline after which AWS cancels the task. AWS does
 * not document its length; the emulator's disks are already in S3, so the task never reaches it.
 */
export const UPLOAD_EXPIRY_MS = 7 * DAY_MS;
/** Emulated time a cancelled or failed task spends in `deleting` / `cancelling`. */
export const TEARDOWN_MS = 30_000;

export interface Tag {
  Key: string;
  Value: string;
}

export interface UserBucket {
  S3Bucket: string;
  S3Key: string;
}

export interface DiskRecord {
  description?: string;
  deviceName?: string;
  format: DiskFormat;
  url?: string;
  userBucket?: UserBucket;
}

export interface ImportImageRecord {
  id: string;
  seq: number;
  createdMs: number;
  architecture?: string;
  description?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  hypervisor?: string;
  licenseType: string;
  platform: "Windows" | "Linux";
  roleName: string;
  bootMode?: string;
  usageOperation?: string;
  licenseConfigurationArns: string[];
  tags: Tag[];
  disks: DiskRecord[];
  /** Cumulative ms from createdMs to the end of each stage of IMAGE_STAGES. */
  stageEnds: number[];
  /** Recorded at the end of `validating`: the failure message, or the disk sizes in bytes. */
  validation?: { problem?: string; sizes: number[] };
  cancel?: { atMs: number; reason?: string };
  imageId?: string;
  snapshotIds?: string[];
}

export interface ConversionRecord {
  id: string;
  seq: number;
  createdMs: number;
  description?: string;
  platform: string;
  instanceId: string;
  volumeId: string;
  availabilityZone: string;
  diskDescription?: string;
  format: string;
  bytes: number;
  importManifestUrl: string;
  volumeSize: number;
  validateMs: number;
  convertMs: number;
  instanceType?: string;
  architecture?: string;
  /** The instance and volume were registered (they may since have been terminated/deleted). */
  finished?: boolean;
  validation?: { problem?: string };
  cancel?: { atMs: number; reason?: string };
}

export interface ImageRecord {
  imageId: string;
  name: string;
  description?: string;
  architecture: string;
  platform: "Windows" | "Linux";
  creationMs: number;
  bootMode?: string;
  usageOperation: string;
  encrypted: boolean;
  kmsKeyId?: string;
  importTaskId: string;
  blockDevices: { deviceName: string; snapshotId: string; volumeSize: number }[];
}

export interface ImportSnapshotRecord {
  id: string;
  seq: number;
  createdMs: number;
  description?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  roleName: string;
  tags: Tag[];
  /** The one disk (ImportSnapshot takes a single DiskContainer). */
  disks: DiskRecord[];
  /** Cumulative ms from createdMs to the end of each stage of SNAPSHOT_STAGES. */
  stageEnds: number[];
  validation?: { problem?: string; sizes: number[] };
  cancel?: { atMs: number; reason?: string };
  snapshotId?: string;
}

/** An EBS snapshot left by ImportImage (one per disk) or ImportSnapshot. */
export interface SnapshotRecord {
  snapshotId: string;
  volumeSize: number;
  startMs: number;
  encrypted: boolean;
  kmsKeyId?: string;
  /** `Created by AWS-VMImport service for <task>` (absent in state files older than this field). */
  description?: string;
  /** The AMI that references it, while registered. */
  imageId?: string;
}

export interface Ec2State {
  nextSeq: number;
  conversionTasks: Record<string, ConversionRecord>;
  importTasks: Record<string, ImportImageRecord>;
  clientTokens: Record<string, { taskId: string; fingerprint: string }>;
  images: Record<string, ImageRecord>;
  snapshots: Record<string, SnapshotRecord>;
  /** Instances and volumes a finished ImportInstance leaves behind (absent in older state files). */
  instances?: Record<string, InstanceRecord>;
  volumes?: Record<string, VolumeRecord>;
  /** ImportSnapshot tasks and their ClientTokens (absent in older state files). */
  snapshotTasks?: Record<string, ImportSnapshotRecord>;
  snapshotClientTokens?: Record<string, { taskId: string; fingerprint: string }>;
}

export interface InstanceRecord {
  instanceId: string;
  conversionTaskId: string;
  instanceType: string;
  availabilityZone: string;
  platform: string;
  architecture: string;
  launchMs: number;
  volumeId: string;
  terminatedAtMs?: number;
}

export interface VolumeRecord {
  volumeId: string;
  size: number;
  availabilityZone: string;
  createMs: number;
  /** The instance it is attached to (as /dev/sda1) until that instance is terminated. */
  instanceId?: string;
}

export function state(ctx: OperationContext): Ec2State {
  return ctx.state<Ec2State>("vmimport", () => ({
    nextSeq: 1,
    conversionTasks: {},
    importTasks: {},
    clientTokens: {},
    images: {},
    snapshots: {},
  }));
}

export function iso(ms: number): string {
  // EC2 reports whole seconds.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

const GIB = 2 ** 30;

/** A disk's size in whole GiB (at least 1): the size of its snapshot and volume. */
export function volumeSizeGiB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / GIB));
}

/** What VM Import writes as the Description of every snapshot it creates. */
export function importedSnapshotDescription(importTaskId: string): string {
  return `Created by AWS-VMImport service for ${importTaskId}`;
}

/** EC2 filter values accept `*` and `?` wildcards. */
export function globMatch(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(value);
}

export function parseTags(p: Params, resourceType: string): Tag[] {
  const tags: Tag[] = [];
  for (const spec of p.list("TagSpecification")) {
    const type = spec.str("ResourceType");
    if (type === undefined) throw missingParameter(spec.key("ResourceType"));
    if (type !== resourceType) throw invalidTagResourceType(type);
    for (const t of spec.list("Tag")) {
      const key = t.str("Key");
      if (key === undefined || key === "") throw missingParameter(t.key("Key"));
      if (key.length > 128)
        throw invalidValue(t.key("Key"), key, "Tag keys can have at most 128 characters.");
      if (key.toLowerCase().startsWith("aws:"))
        throw invalidValue(
          t.key("Key"),
          key,
          "Tag keys starting with 'aws:' are reserved for internal use.",
        );
      const value = t.str("Value") ?? "";
      if (value.length > 256)
        throw invalidValue(t.key("Value"), value, "Tag values can have at most 256 characters.");
      tags.push({ Key: key, Value: value });
    }
  }
  if (tags.length > 50) throw invalidParameter("The number of tags must not exceed 50.");
  return tags;
}

/** What ClientToken idempotency compares: every parameter except the token and DryRun. */
export function fingerprint(params: QueryParams): string {
  const skip = new Set(["Action", "Version", "ClientToken", "DryRun"]);
  return JSON.stringify(
    [...params.entries()]
      .filter(([k]) => !skip.has(k))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** The list offset a NextToken stands for (0 without one); InvalidPaginationToken if forged. */
export function offsetOf(token: string | undefined): number {
  if (token === undefined) return 0;
  const decoded = /^[A-Za-z0-9_-]+$/.test(token)
    ? Buffer.from(token, "base64url").toString("utf8")
    : "";
  const m = /^offset:(\d+)$/.exec(decoded);
  if (!m?.[1]) throw invalidNextToken();
  return Number(m[1]);
}

export function nextTokenFor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}
