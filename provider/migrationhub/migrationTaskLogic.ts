/**
 * What is Migration-Hub-specific about `migrationhub.MigrationTask`, as pure functions: its types,
 * the task ID, the status order a wait climbs, outputs, the artifact plan and messages. No I/O;
 * migrationTaskSpec.ts hands these to the core.
 */
import { isPlainObject } from "../core/check";
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import type { Acceptor } from "../core/waiter";

export const RESOURCE = "migrationhub.MigrationTask";

export type TaskStatus = "NOT_STARTED" | "IN_PROGRESS" | "FAILED" | "COMPLETED";

/** Statuses a wait can target; NOT_STARTED is where a task begins, FAILED is the failure acceptor. */
export const WAIT_TARGETS = ["IN_PROGRESS", "COMPLETED"] as const;
export type WaitTarget = (typeof WAIT_TARGETS)[number];

/** The model's ResourceAttributeType enum (model.generated.ts), which check() enforces. */
export type ResourceAttributeType =
  | "IPV4_ADDRESS"
  | "IPV6_ADDRESS"
  | "MAC_ADDRESS"
  | "FQDN"
  | "VM_MANAGER_ID"
  | "VM_MANAGED_OBJECT_REFERENCE"
  | "VM_NAME"
  | "VM_PATH"
  | "BIOS_ID"
  | "MOTHERBOARD_SERIAL_NUMBER";

/** @default 60 — Migration Hub tasks are moved by a migration tool; an hour is a generous first wait. */
export const DEFAULT_WAIT_TIMEOUT_MINUTES = 60;
/** One week: a longer wait belongs in a pipeline, not in one `pulumi up`. */
export const MAX_WAIT_TIMEOUT_MINUTES = 10_080;
/** @default 86400 s: with no update for a day after the initial state, Migration Hub marks the task stale. */
export const DEFAULT_NEXT_UPDATE_SECONDS = 86_400;
/** Status shown while DescribeMigrationTask returns no `Task` (before any NotifyMigrationTaskState). */
export const NOT_REPORTED = "NOT_REPORTED";
/** Status the waiter records when the task is gone (its stream was deleted). */
export const GONE = "GONE";

export interface ResourceAttribute {
  type: ResourceAttributeType;
  value: string;
}

export interface CreatedArtifact {
  name: string;
  description?: string;
}

export interface TaskState {
  status: TaskStatus;
  statusDetail?: string;
  progressPercent?: number;
}

export interface InitialState extends TaskState {
  nextUpdateSeconds?: number;
}

/** The inputs after check() passed. */
export interface MigrationTaskInputs {
  progressUpdateStream: string;
  migrationTaskName: string;
  resourceAttributes?: ResourceAttribute[];
  createdArtifacts?: CreatedArtifact[];
  initialState?: InitialState;
  waitForStatus?: WaitTarget;
  waitTimeoutMinutes?: number;
}

/** What DescribeMigrationTask returned, in our names. */
export interface MigrationTaskRecord {
  progressUpdateStream: string;
  migrationTaskName: string;
  /** Absent until someone calls NotifyMigrationTaskState (AWS does not document the fresh shape). */
  task?: TaskState;
  updateDateTime?: Date;
  resourceAttributes: ResourceAttribute[];
}

/** Typed view of inputs that passed check() (the provider calls it only then): known fields only. */
export function parseInputs(inputs: Record<string, unknown>): MigrationTaskInputs {
  const { resourceAttributes: attributes, createdArtifacts: artifacts, initialState: s } = inputs;
  const out: MigrationTaskInputs = {
    progressUpdateStream: inputs.progressUpdateStream as string,
    migrationTaskName: inputs.migrationTaskName as string,
  };
  if (Array.isArray(attributes)) {
    out.resourceAttributes = (attributes as ResourceAttribute[]).map(({ type, value }) => ({
      type,
      value,
    }));
  }
  if (Array.isArray(artifacts)) {
    out.createdArtifacts = (artifacts as CreatedArtifact[]).map(({ name, description }) =>
      description === undefined || description === null ? { name } : { name, description },
    );
  }
  if (isPlainObject(s)) {
    const state: InitialState = { status: s.status as TaskStatus };
    if (typeof s.statusDetail === "string") state.statusDetail = s.statusDetail;
    if (typeof s.progressPercent === "number") state.progressPercent = s.progressPercent;
    if (typeof s.nextUpdateSeconds === "number") state.nextUpdateSeconds = s.nextUpdateSeconds;
    out.initialState = state;
  }
  if (typeof inputs.waitForStatus === "string")
    out.waitForStatus = inputs.waitForStatus as WaitTarget;
  if (typeof inputs.waitTimeoutMinutes === "number")
    out.waitTimeoutMinutes = inputs.waitTimeoutMinutes;
  return out;
}

/** `<stream>/<task name>`: a stream name has no '/', so the first '/' splits the two. */
export function taskId(progressUpdateStream: string, migrationTaskName: string): string {
  return `${progressUpdateStream}/${migrationTaskName}`;
}

export function parseTaskId(
  id: string,
): { progressUpdateStream: string; migrationTaskName: string } | undefined {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { progressUpdateStream: id.slice(0, slash), migrationTaskName: id.slice(slash + 1) };
}

const RANK: Record<string, number> = {
  NOT_REPORTED: 0,
  NOT_STARTED: 0,
  IN_PROGRESS: 1,
  COMPLETED: 2,
};

/** True when `status` is at or past `target` on NOT_STARTED → IN_PROGRESS → COMPLETED. */
export function reached(status: string, target: WaitTarget): boolean {
  const r = RANK[status];
  const t = RANK[target];
  return r !== undefined && t !== undefined && r >= t;
}

/**
 * A recorded wait that has not reached its target (the previous `up` timed out or saw FAILED): the
 * diff reports an update, which resumes it. Unlike the import tasks, a FAILED task is NOT
 * replaced: a replacement would register the very same stream/name again, and only the migration
 * tool can move a task out of FAILED.
 */
export function waitPending(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  const target = news.waitForStatus;
  return (
    typeof target === "string" &&
    (WAIT_TARGETS as readonly string[]).includes(target) &&
    !reached(typeof olds.status === "string" ? olds.status : NOT_REPORTED, target as WaitTarget)
  );
}

export function statusOf(record: MigrationTaskRecord | undefined): string {
  if (record === undefined) return GONE;
  return record.task?.status ?? NOT_REPORTED;
}

/** Acceptors as data: FAILED and a vanished task fail the wait; the target (or later) succeeds. */
export function waitAcceptors(target: WaitTarget): Acceptor<MigrationTaskRecord | undefined>[] {
  return [
    {
      verdict: "failure",
      matches: (o) => statusOf(o) === "FAILED",
      description: "a migration tool reported FAILED",
    },
    {
      verdict: "failure",
      matches: (o) => o === undefined,
      description: "the task no longer exists (its progress update stream was deleted)",
    },
    {
      verdict: "success",
      matches: (o) => reached(statusOf(o), target),
      description: `the status reached ${target}`,
    },
  ];
}

export function waitTimeoutMs(
  inputs: MigrationTaskInputs,
  configMinutes: number | undefined,
): number {
  return (inputs.waitTimeoutMinutes ?? configMinutes ?? DEFAULT_WAIT_TIMEOUT_MINUTES) * 60_000;
}

/**
 * Full outputs: the inputs as given (diff compares them with the next inputs) plus what
 * DescribeMigrationTask reported. `resourceAttributes`/`createdArtifacts` come from AWS only on
 * refresh (pass them in `observed`), so drift shows up in the next diff.
 */
export function toOutputs(
  inputs: MigrationTaskInputs,
  record: MigrationTaskRecord | undefined,
  observed?: { resourceAttributes?: ResourceAttribute[]; createdArtifacts?: CreatedArtifact[] },
): Record<string, OutputValue> {
  return normalizeOutputs({
    progressUpdateStream: inputs.progressUpdateStream,
    migrationTaskName: inputs.migrationTaskName,
    resourceAttributes: observed?.resourceAttributes ?? inputs.resourceAttributes,
    createdArtifacts: observed?.createdArtifacts ?? inputs.createdArtifacts,
    initialState: inputs.initialState,
    waitForStatus: inputs.waitForStatus,
    waitTimeoutMinutes: inputs.waitTimeoutMinutes,
    status: record === undefined ? undefined : statusOf(record),
    statusDetail: record?.task?.statusDetail,
    progressPercent: record?.task?.progressPercent,
    updateDateTime: isoTime(record?.updateDateTime),
  });
}

/**
 * Artifacts to disassociate (gone, or description changed) and to associate (new, or description
 * changed): AWS keys an association by ARN, so a new description is a re-association.
 */
export function planArtifacts(
  current: readonly CreatedArtifact[],
  wanted: readonly CreatedArtifact[],
): { disassociate: string[]; associate: CreatedArtifact[] } {
  const cur = new Map(current.map((a) => [a.name, a.description ?? ""]));
  const want = new Map(wanted.map((a) => [a.name, a.description ?? ""]));
  const disassociate = current
    .filter((a) => !want.has(a.name) || want.get(a.name) !== (a.description ?? ""))
    .map((a) => a.name);
  const associate = wanted.filter(
    (a) => !cur.has(a.name) || cur.get(a.name) !== (a.description ?? ""),
  );
  return { disassociate, associate };
}

export function label(name: string): string {
  return `${RESOURCE} "${name}"`;
}

export function waitFailedMessage(
  id: string,
  target: WaitTarget,
  last: MigrationTaskRecord | undefined,
  polls: number,
  observedSummary: string,
): string {
  if (last === undefined) {
    return `${label(id)}: the task disappeared while waiting for ${target} after ${polls} polls (${observedSummary}). Its progress update stream was deleted; recreate the stream and run \`pulumi up\` again.`;
  }
  const detail = last.task?.statusDetail;
  const why = detail !== undefined && detail.length > 0 ? `: ${detail}` : "";
  return `${label(id)}: a migration tool reported FAILED${why} after ${polls} polls (${observedSummary}) while waiting for ${target}. Fix the migration in the tool; the next \`pulumi up\` waits again once the tool reports progress.`;
}

export const DELETE_POLICY_MESSAGE =
  "Migration Hub has no API to delete one migration task, so deleting this resource only forgets it; the task is removed with its progress update stream (delete the migrationhub.ProgressUpdateStream to remove it)";
