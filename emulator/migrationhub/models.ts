import { checkHomeRegion, homeRegionState } from "../core/homeRegion";
import type { JsonObject, OperationContext } from "../core/service";
import { bool, need, num, obj, objects, str } from "../core/validated";
import {
  dryRunOperation,
  homeRegionNotSet,
  invalidInput,
  resourceNotFound,
  wrongRegion,
} from "./errors";
import { paginate } from "./validate";

/**
 * Migration Hub backend: progress update streams, the migration tasks inside them, their resource
 * attributes and created artifacts. State is per account (not per region) because Migration Hub
 * keeps its data in the home region and answers reads from every region. Requests arrive checked
 * against the Migration Hub model (model.generated.ts: name patterns and lengths, enums, the
 * newline-free StatusDetail, Description and Value patterns), so only semantic checks remain.
 */

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

function dryRun(input: JsonObject): void {
  if (bool(input, "DryRun") === true) throw dryRunOperation();
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

// ---- Progress update streams -------------------------------------------------------------------

export function createProgressUpdateStream(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const name = need(input, "ProgressUpdateStreamName");
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
  const name = need(input, "ProgressUpdateStreamName");
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
  const token = str(input, "NextToken");
  const max = num(input, "MaxResults") ?? 100;
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
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
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
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
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

function parseTask(input: JsonObject): TaskState {
  const value = obj(input, "Task");
  const task: TaskState = { Status: need(value, "Status") };
  const StatusDetail = str(value, "StatusDetail");
  const ProgressPercent = num(value, "ProgressPercent");
  if (StatusDetail !== undefined) task.StatusDetail = StatusDetail;
  if (ProgressPercent !== undefined) task.ProgressPercent = ProgressPercent;
  return task;
}

export function notifyMigrationTaskState(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
  const task = parseTask(input);
  // awsJson timestamps are epoch seconds; the model let a date string through too.
  const raw = input.UpdateDateTime;
  const updated =
    typeof raw === "number" ? raw : Date.parse(str(input, "UpdateDateTime") ?? "") / 1000;
  const nextUpdateSeconds = num(input, "NextUpdateSeconds") ?? 0;
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
  const token = str(input, "NextToken");
  const max = num(input, "MaxResults") ?? 100;
  const resourceName = str(input, "ResourceName");
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

export function putResourceAttributes(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
  const attributes: ResourceAttribute[] = (objects(input, "ResourceAttributeList") ?? []).map(
    (a) => ({ Type: need(a, "Type"), Value: need(a, "Value") }),
  );
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
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
  const raw = obj(input, "CreatedArtifact");
  const artifact: CreatedArtifact = { Name: need(raw, "Name") };
  const description = str(raw, "Description");
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
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
  const token = str(input, "NextToken");
  const max = num(input, "MaxResults") ?? 10;
  const task = findTask(findStream(ctx, streamN), name);
  const { page, next } = paginate(task.artifacts, token, max);
  return { CreatedArtifactList: page.map((a) => ({ ...a })), NextToken: next };
}

/**
 * Removes an artifact's association from a task. Like Associate, a write: it needs the home region
 * and a stream that is not being deleted. An artifact the task does not list is
 * ResourceNotFoundException, which the model declares for this operation.
 */
export function disassociateCreatedArtifact(ctx: OperationContext, input: JsonObject): JsonObject {
  requireHomeRegion(ctx, true);
  const streamN = need(input, "ProgressUpdateStream");
  const name = need(input, "MigrationTaskName");
  const artifactName = need(input, "CreatedArtifactName");
  dryRun(input);
  const task = findTask(writableStream(ctx, streamN), name);
  const i = task.artifacts.findIndex((a) => a.Name === artifactName);
  if (i < 0)
    throw resourceNotFound(
      `Created artifact ${artifactName} is not associated with migration task ${name}.`,
    );
  task.artifacts.splice(i, 1);
  ctx.markDirty();
  return {};
}
