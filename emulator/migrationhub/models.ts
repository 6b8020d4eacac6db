import { checkHomeRegion, homeRegionState } from "../core/homeRegion";
import type { JsonObject, JsonValue, OperationContext } from "../core/service";
import {
  dryRunOperation,
  homeRegionNotSet,
  invalidInput,
  resourceNotFound,
  validationError,
  wrongRegion,
} from "./errors";
import {
  optionalBool,
  optionalInt,
  optionalString,
  paginate,
  requiredInt,
  requiredString,
  type StringRule,
} from "./validate";

/**
 * Migration Hub backend: progress update streams, the migration tasks inside them, their resource
 * attributes and created artifacts. State is per account (not per region) because Migration Hub
 * keeps its data in the home region and answers reads from every region.
 */

export const TASK_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "FAILED", "COMPLETED"] as const;
export const RESOURCE_ATTRIBUTE_TYPES = [
  "IPV4_ADDRESS",
  "IPV6_ADDRESS",
  "MAC_ADDRESS",
  "FQDN",
  "VM_MANAGER_ID",
  "VM_MANAGED_OBJECT_REFERENCE",
  "VM_NAME",
  "VM_PATH",
  "BIOS_ID",
  "MOTHERBOARD_SERIAL_NUMBER",
] as const;

/** Emulated time a stream spends deleting before it and everything in it is gone. */
export const STREAM_DELETION_MS = 60_000;

export interface TaskState {
  Status: string;
  StatusDetail?: string;
  ProgressPercent?: number;
}

export interface ResourceAttribute {
  Type: string;
  Value: string;
}

export interface CreatedArtifact {
  Name: string;
  Description?: string;
}

interface TaskRecord {
  name: string;
  importedMs: number;
  task?: TaskState;
  /** Epoch seconds, as the client sent it. */
  updateDateTime?: number;
  nextUpdateSeconds?: number;
  resourceAttributes: ResourceAttribute[];
  artifacts: CreatedArtifact[];
}

interface StreamRecord {
  name: string;
  createdMs: number;
  /** Set by DeleteProgressUpdateStream; the stream is purged once emulated time passes it. */
  deleteDoneMs?: number;
  tasks: Record<string, TaskRecord>;
}

interface MghState {
  streams: Record<string, StreamRecord>;
}

const STREAM_RULE: StringRule = {
  min: 1,
  max: 50,
  pattern: "[^/:|\\000-\\037]+",
  // AWS forbids control characters in stream names, so the pattern has to name them.
  // eslint-disable-next-line no-control-regex
  regex: /^[^/:|\x00-\x1f]+$/,
};
const TASK_RULE: StringRule = { min: 1, max: 256, pattern: "[^:|]+", regex: /^[^:|]+$/ };
const ARN_RULE: StringRule = {
  min: 1,
  max: 1600,
  pattern: "arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*",
  regex: /^arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*$/,
};
const LIST_TOKEN_RULE: StringRule = {
  max: 2048,
  pattern: "^[a-zA-Z0-9\\/\\+\\=]{0,2048}$",
  regex: /^[a-zA-Z0-9/+=]{0,2048}$/,
};

/** Lazily purges streams whose deletion window has passed, then returns the account's state. */
function state(ctx: OperationContext): MghState {
  const s = ctx.state<MghState>("migrationhub:streams", () => ({ streams: {} }), "account");
  const now = ctx.clock.now();
  for (const [name, stream] of Object.entries(s.streams)) {
    if (stream.deleteDoneMs !== undefined && now >= stream.deleteDoneMs) {
      delete s.streams[name];
      ctx.markDirty();
    }
  }
  return s;
}

/** Every Migration Hub call needs a home region; writes must also be sent to it. */
export function requireHomeRegion(ctx: OperationContext, write: boolean): void {
  const check = checkHomeRegion(ctx, write);
  if (check === "notSet") throw homeRegionNotSet();
  if (check === "wrongRegion") throw wrongRegion(ctx.region, homeRegionState(ctx).homeRegion ?? "");
}

function streamName(member: string, value: JsonValue | undefined): string {
  return requiredString(member, value, STREAM_RULE);
}

function taskName(value: JsonValue | undefined): string {
  return requiredString("migrationTaskName", value, TASK_RULE);
}

function dryRun(input: JsonObject): void {
  if (optionalBool("dryRun", input.DryRun)) throw dryRunOperation();
}

function findStream(ctx: OperationContext, name: string): StreamRecord {
  const stream = state(ctx).streams[name];
  if (!stream) throw resourceNotFound(`Progress update stream ${name} was not found.`);
  return stream;
}

/** A stream that accepts writes: it exists and is not being deleted. */
function writableStream(ctx: OperationContext, name: string): StreamRecord {
  const stream = findStream(ctx, name);
  if (stream.deleteDoneMs !== undefined)
    throw invalidInput(`Progress update stream ${name} is being deleted.`);
  return stream;
}

function findTask(stream: StreamRecord, name: string): TaskRecord {
  const task = stream.tasks[name];
  if (!task)
    throw resourceNotFound(
      `Migration task ${name} was not found in progress update stream ${stream.name}.`,
    );
  return task;
}

function maxResults(value: JsonValue | undefined, max: number, fallback: number): number {
  return optionalInt("maxResults", value, 1, max) ?? fallback;
}

// ---- Progress update streams -------------------------------------------------------------------

export function createProgressUpdateStream(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const name = streamName("progressUpdateStreamName", input.ProgressUpdateStreamName);
  dryRun(input);
  const s = state(ctx);
  const existing = s.streams[name];
  if (existing?.deleteDoneMs !== undefined)
    throw invalidInput(`Progress update stream ${name} is being deleted.`);
  // Creating an existing stream again is accepted: the stream is a namespace the tool re-declares.
  if (!existing) {
    s.streams[name] = { name, createdMs: ctx.clock.now(), tasks: {} };
    ctx.markDirty();
  }
  return {};
}

export function deleteProgressUpdateStream(ctx: OperationContext, input: JsonObject): JsonObject {
  // Deletes are allowed outside the home region (MGH-UG home-region.md lists delete with the reads).
  requireHomeRegion(ctx, false);
  const name = streamName("progressUpdateStreamName", input.ProgressUpdateStreamName);
  dryRun(input);
  const stream = findStream(ctx, name);
  // Asynchronous, as in AWS: the stream lingers (visible, read-only) and then vanishes with its tasks.
  // A repeated delete during the window keeps the original deadline.
  if (stream.deleteDoneMs === undefined) {
    stream.deleteDoneMs = ctx.clock.now() + STREAM_DELETION_MS;
    ctx.markDirty();
  }
  return {};
}

export function listProgressUpdateStreams(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, false);
  const token = optionalString("nextToken", input.NextToken, {});
  const max = maxResults(input.MaxResults, 100, 100);
  const names = Object.keys(state(ctx).streams).sort();
  const { page, next } = paginate(names, token, max);
  return {
    ProgressUpdateStreamSummaryList: page.map((n) => ({ ProgressUpdateStreamName: n })),
    NextToken: next,
  };
}

// ---- Migration tasks ----------------------------------------------------------------------------

export function importMigrationTask(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  dryRun(input);
  const stream = writableStream(ctx, streamN);
  // AWS leaves re-importing an existing task name undocumented. We treat it as idempotent and keep
  // the task's state, status, attributes and artifacts, so a tool that re-registers on restart
  // loses nothing.
  if (!stream.tasks[name]) {
    stream.tasks[name] = {
      name,
      importedMs: ctx.clock.now(),
      resourceAttributes: [],
      artifacts: [],
    };
    ctx.markDirty();
  }
  return {};
}

export function describeMigrationTask(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, false);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  const task = findTask(findStream(ctx, streamN), name);
  // What AWS returns between Import and the first Notify is undocumented. `Task` has a required
  // `Status`, and no status has been reported yet, so we omit `Task` (and `UpdateDateTime`) rather
  // than invent NOT_STARTED.
  return {
    MigrationTask: {
      ProgressUpdateStream: streamN,
      MigrationTaskName: name,
      Task: task.task ? { ...task.task } : undefined,
      UpdateDateTime: task.updateDateTime,
      ResourceAttributeList: task.resourceAttributes.map((a) => ({ ...a })),
    },
  };
}

function parseTask(value: JsonValue | undefined): TaskState {
  if (value === undefined || value === null)
    throw validationError("task", value, "Member must not be null");
  if (typeof value !== "object" || Array.isArray(value))
    throw invalidInput("Value for 'task' must be a structure");
  const Status = requiredString("task.status", value.Status, { values: TASK_STATUSES });
  const StatusDetail = optionalString("task.statusDetail", value.StatusDetail, {
    min: 0,
    max: 2500,
  });
  const ProgressPercent = optionalInt("task.progressPercent", value.ProgressPercent, 0, 100);
  const task: TaskState = { Status };
  if (StatusDetail !== undefined) task.StatusDetail = StatusDetail;
  if (ProgressPercent !== undefined) task.ProgressPercent = ProgressPercent;
  return task;
}

export function notifyMigrationTaskState(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  const task = parseTask(input.Task);
  const updated = input.UpdateDateTime;
  if (updated === undefined || updated === null)
    throw validationError("updateDateTime", updated, "Member must not be null");
  if (typeof updated !== "number" || !Number.isFinite(updated))
    throw invalidInput("Value for 'updateDateTime' must be a timestamp");
  const nextUpdateSeconds = requiredInt("nextUpdateSeconds", input.NextUpdateSeconds, 0);
  dryRun(input);
  const record = findTask(writableStream(ctx, streamN), name);
  // The status is self-reported: AWS never moves a task on its own, so neither does the emulator.
  record.task = task;
  record.updateDateTime = updated;
  record.nextUpdateSeconds = nextUpdateSeconds;
  ctx.markDirty();
  return {};
}

export function listMigrationTasks(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, false);
  const token = optionalString("nextToken", input.NextToken, LIST_TOKEN_RULE);
  const max = maxResults(input.MaxResults, 100, 100);
  const resourceName = optionalString("resourceName", input.ResourceName, { min: 1, max: 1600 });
  const all: JsonObject[] = [];
  for (const stream of Object.values(state(ctx).streams).sort((a, b) => cmp(a.name, b.name))) {
    for (const task of Object.values(stream.tasks).sort((a, b) => cmp(a.name, b.name))) {
      if (
        resourceName !== undefined &&
        !task.resourceAttributes.some((a) => a.Value === resourceName)
      )
        continue;
      all.push({
        ProgressUpdateStream: stream.name,
        MigrationTaskName: task.name,
        Status: task.task?.Status,
        ProgressPercent: task.task?.ProgressPercent,
        StatusDetail: task.task?.StatusDetail,
        UpdateDateTime: task.updateDateTime,
      });
    }
  }
  const { page, next } = paginate(all, token, max);
  return { MigrationTaskSummaryList: page, NextToken: next };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- Resource attributes and created artifacts -------------------------------------------------

function parseAttributes(value: JsonValue | undefined): ResourceAttribute[] {
  const member = "resourceAttributeList";
  if (value === undefined || value === null)
    throw validationError(member, value, "Member must not be null");
  if (!Array.isArray(value)) throw invalidInput(`Value for '${member}' must be a list`);
  if (value.length < 1)
    throw validationError(member, value, "Member must have length greater than or equal to 1");
  if (value.length > 100)
    throw validationError(member, value, "Member must have length less than or equal to 100");
  return value.map((item, i) => {
    if (item === null || typeof item !== "object" || Array.isArray(item))
      throw invalidInput(`Value for '${member}.${i + 1}' must be a structure`);
    return {
      Type: requiredString(`${member}.${i + 1}.member.type`, item.Type, {
        values: RESOURCE_ATTRIBUTE_TYPES,
      }),
      Value: requiredString(`${member}.${i + 1}.member.value`, item.Value, { min: 1, max: 256 }),
    };
  });
}

export function putResourceAttributes(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  const attributes = parseAttributes(input.ResourceAttributeList);
  dryRun(input);
  const task = findTask(writableStream(ctx, streamN), name);
  // AWS: "If any VM_* type is sent without VM_MANAGER_ID, all VM fields are discarded."
  const hasManager = attributes.some((a) => a.Type === "VM_MANAGER_ID");
  task.resourceAttributes = hasManager
    ? attributes
    : attributes.filter((a) => !a.Type.startsWith("VM_"));
  ctx.markDirty();
  return {};
}

export function associateCreatedArtifact(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  const raw = input.CreatedArtifact;
  if (raw === undefined || raw === null)
    throw validationError("createdArtifact", raw, "Member must not be null");
  if (typeof raw !== "object" || Array.isArray(raw))
    throw invalidInput("Value for 'createdArtifact' must be a structure");
  const artifact: CreatedArtifact = {
    Name: requiredString("createdArtifact.name", raw.Name, ARN_RULE),
  };
  const description = optionalString("createdArtifact.description", raw.Description, { max: 500 });
  if (description !== undefined) artifact.Description = description;
  dryRun(input);
  const task = findTask(writableStream(ctx, streamN), name);
  // One association per artifact name: associating it again replaces the description.
  const i = task.artifacts.findIndex((a) => a.Name === artifact.Name);
  if (i >= 0) task.artifacts[i] = artifact;
  else task.artifacts.push(artifact);
  ctx.markDirty();
  return {};
}

export function listCreatedArtifacts(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, false);
  const streamN = streamName("progressUpdateStream", input.ProgressUpdateStream);
  const name = taskName(input.MigrationTaskName);
  const token = optionalString("nextToken", input.NextToken, {});
  const max = maxResults(input.MaxResults, 10, 10);
  const task = findTask(findStream(ctx, streamN), name);
  const { page, next } = paginate(task.artifacts, token, max);
  return { CreatedArtifactList: page.map((a) => ({ ...a })), NextToken: next };
}
