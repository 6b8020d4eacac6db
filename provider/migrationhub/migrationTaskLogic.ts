/**
 * Pure logic of `migrationhub.MigrationTask`: input checks, diff, wait acceptors, outputs and
 * messages. No I/O; the provider orchestrates these with the api and the core.
 */
import {
  type CheckFailure,
  checkInteger,
  checkObject,
  checkString,
  getPath,
  typeName,
} from "../core/check";
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import { canonicalJson } from "../core/tokens";
import { containsUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
import {
  STREAM_NAME_PATTERN,
  STREAM_NAME_PATTERN_TEXT,
  TASK_NAME_PATTERN,
  TASK_NAME_PATTERN_TEXT,
} from "./shared";

export const RESOURCE = "migrationhub.MigrationTask";

export const TASK_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "FAILED", "COMPLETED"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses a wait can target; NOT_STARTED is where a task begins, FAILED is the failure acceptor. */
export const WAIT_TARGETS = ["IN_PROGRESS", "COMPLETED"] as const;
export type WaitTarget = (typeof WAIT_TARGETS)[number];

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
export type ResourceAttributeType = (typeof RESOURCE_ATTRIBUTE_TYPES)[number];

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

// ---------------------------------------------------------------------------------------------
// check

const ARN_PATTERN = /^arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*$/;
const IPV4_PATTERN =
  /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/;
const IPV6_PATTERN = /^([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}$/;
const MAC_PATTERN = /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$/;
// eslint-disable-next-line no-control-regex
const FQDN_PATTERN = /^[^<>{}\\/?,=\u0000-\u001f\u007f-\u009f]{1,256}$/;

/** Value formats the ResourceAttribute API page prescribes per type; other types take any 1–256 characters. */
const ATTRIBUTE_FORMATS: Partial<
  Record<ResourceAttributeType, { pattern: RegExp; text: string; fix: string }>
> = {
  IPV4_ADDRESS: {
    pattern: IPV4_PATTERN,
    text: "x.x.x.x with each x in 0–255",
    fix: "write the address in dotted decimal, e.g. 10.0.0.12",
  },
  IPV6_ADDRESS: {
    pattern: IPV6_PATTERN,
    text: "y:y:y:y:y:y:y:y with each y a hexadecimal 0–FFFF",
    fix: "write all eight groups (expand '::'), e.g. 2001:db8:0:0:0:0:0:1",
  },
  MAC_ADDRESS: {
    pattern: MAC_PATTERN,
    text: "^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$",
    fix: "write six hexadecimal pairs separated by ':' or '-', e.g. 0a:1b:2c:3d:4e:5f",
  },
  FQDN: {
    pattern: FQDN_PATTERN,
    text: "^[^<>{}\\\\/?,=\\p{Cntrl}]{1,256}$",
    fix: "remove the characters < > { } \\ / ? , = and control characters",
  },
};

function checkList(
  inputs: Record<string, unknown>,
  property: string,
  minItems: number,
  maxItems: number | undefined,
  fix: string,
  failures: CheckFailure[],
): unknown[] | undefined {
  const value = inputs[property];
  if (value === undefined || value === null || (containsUnknown(value) && !Array.isArray(value))) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    failures.push({ property, reason: `must be a list (got ${typeName(value)}). Fix: ${fix}` });
    return undefined;
  }
  const n = value.length;
  if (n < minItems || (maxItems !== undefined && n > maxItems)) {
    const range = maxItems === undefined ? `at least ${minItems}` : `${minItems}–${maxItems}`;
    failures.push({ property, reason: `must have ${range} items (got ${n}). Fix: ${fix}` });
  }
  return value as unknown[];
}

/**
 * Every documented constraint of ImportMigrationTask, PutResourceAttributes,
 * AssociateCreatedArtifact and NotifyMigrationTaskState, plus the cross-field rules. Never throws;
 * values unknown during preview are skipped.
 */
export function checkMigrationTask(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  checkString(
    inputs,
    "progressUpdateStream",
    {
      required: true,
      minLength: 1,
      maxLength: 50,
      pattern: STREAM_NAME_PATTERN,
      patternText: STREAM_NAME_PATTERN_TEXT,
      fix: "name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
    },
    failures,
  );
  checkString(
    inputs,
    "migrationTaskName",
    {
      required: true,
      minLength: 1,
      maxLength: 256,
      pattern: TASK_NAME_PATTERN,
      patternText: TASK_NAME_PATTERN_TEXT,
      fix: "use 1–256 characters without ':' or '|'",
    },
    failures,
  );

  const attributes = checkList(
    inputs,
    "resourceAttributes",
    1,
    100,
    "give 1–100 {type, value} pairs, or omit resourceAttributes",
    failures,
  );
  if (attributes !== undefined) checkAttributes(inputs, attributes, failures);

  const artifacts = checkList(
    inputs,
    "createdArtifacts",
    0,
    undefined,
    "give a list of {name, description} objects",
    failures,
  );
  if (artifacts !== undefined) checkArtifacts(inputs, artifacts, failures);

  checkObject(
    inputs,
    "initialState",
    { fix: "give {status, statusDetail?, progressPercent?}" },
    failures,
  );
  if (isPlainObject(inputs.initialState)) {
    checkString(
      inputs,
      "initialState.status",
      { required: true, oneOf: TASK_STATUSES, fix: "use one of the Migration Hub task statuses" },
      failures,
    );
    checkString(
      inputs,
      "initialState.statusDetail",
      { maxLength: 2500, fix: "shorten statusDetail to 2500 characters" },
      failures,
    );
    checkInteger(
      inputs,
      "initialState.progressPercent",
      { min: 0, max: 100, fix: "give a whole percentage from 0 to 100" },
      failures,
    );
    checkInteger(
      inputs,
      "initialState.nextUpdateSeconds",
      {
        min: 0,
        max: 2_147_483_647,
        fix: "give the seconds within which the next update is expected",
      },
      failures,
    );
  }

  checkString(
    inputs,
    "waitForStatus",
    {
      oneOf: WAIT_TARGETS,
      fix: "wait for IN_PROGRESS or COMPLETED, or omit waitForStatus to not wait",
    },
    failures,
  );
  checkInteger(
    inputs,
    "waitTimeoutMinutes",
    { min: 1, max: MAX_WAIT_TIMEOUT_MINUTES, fix: "give whole minutes from 1 to 10080 (one week)" },
    failures,
  );

  // Cross-field rules.
  const waitFor = inputs.waitForStatus;
  if (
    inputs.waitTimeoutMinutes !== undefined &&
    inputs.waitTimeoutMinutes !== null &&
    !containsUnknown(inputs.waitTimeoutMinutes) &&
    waitFor === undefined
  ) {
    failures.push({
      property: "waitTimeoutMinutes",
      reason:
        "applies only to a wait, and waitForStatus is not set. Fix: set waitForStatus (IN_PROGRESS or COMPLETED) or remove waitTimeoutMinutes",
    });
  }
  const initialStatus = getPath(inputs, "initialState.status");
  if (typeof waitFor === "string" && !containsUnknown(waitFor) && initialStatus === "FAILED") {
    failures.push({
      property: "waitForStatus",
      reason: `cannot be reached: initialState.status is FAILED, which ends the wait as a failure at once. Fix: start in NOT_STARTED or IN_PROGRESS, or remove waitForStatus`,
    });
  }
  return failures;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkAttributes(
  inputs: Record<string, unknown>,
  list: unknown[],
  failures: CheckFailure[],
): void {
  const types = new Set<string>();
  list.forEach((item, i) => {
    const base = `resourceAttributes[${i}]`;
    if (containsUnknown(item) && !isPlainObject(item)) return;
    checkObject(inputs, base, { required: true, fix: "give {type, value}" }, failures);
    if (!isPlainObject(item)) return;
    checkString(
      inputs,
      `${base}.type`,
      {
        required: true,
        oneOf: RESOURCE_ATTRIBUTE_TYPES,
        fix: "use one of the documented attribute types",
      },
      failures,
    );
    checkString(
      inputs,
      `${base}.value`,
      {
        required: true,
        minLength: 1,
        maxLength: 256,
        fix: "give the identifying value in 1–256 characters",
      },
      failures,
    );
    const type = item.type;
    const value = item.value;
    if (typeof type === "string" && !containsUnknown(type)) types.add(type);
    const format =
      typeof type === "string" ? ATTRIBUTE_FORMATS[type as ResourceAttributeType] : undefined;
    if (
      format !== undefined &&
      typeof value === "string" &&
      !containsUnknown(value) &&
      value.length <= 256
    ) {
      checkString(
        inputs,
        `${base}.value`,
        {
          pattern: format.pattern,
          patternText: `${format.text} for ${String(type)}`,
          fix: format.fix,
        },
        failures,
      );
    }
  });
  // The PutResourceAttributes page: VM fields without VM_MANAGER_ID are silently discarded by AWS.
  const vmTypes = [...types].filter((t) => t.startsWith("VM_") && t !== "VM_MANAGER_ID");
  const anyUnknownType = list.some((item) => isPlainObject(item) && containsUnknown(item.type));
  if (vmTypes.length > 0 && !types.has("VM_MANAGER_ID") && !anyUnknownType) {
    failures.push({
      property: "resourceAttributes",
      reason: `has ${vmTypes.sort().join(", ")} but no VM_MANAGER_ID, and Migration Hub discards every VM_* attribute without it. Fix: add {type: "VM_MANAGER_ID", value: <the vCenter/VM manager ID>}`,
    });
  }
}

function checkArtifacts(
  inputs: Record<string, unknown>,
  list: unknown[],
  failures: CheckFailure[],
): void {
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const base = `createdArtifacts[${i}]`;
    if (containsUnknown(item) && !isPlainObject(item)) return;
    checkObject(inputs, base, { required: true, fix: "give {name, description?}" }, failures);
    if (!isPlainObject(item)) return;
    checkString(
      inputs,
      `${base}.name`,
      {
        required: true,
        minLength: 1,
        maxLength: 1600,
        pattern: ARN_PATTERN,
        patternText: "arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*",
        fix: "give the ARN of the AWS resource the migration created, e.g. arn:aws:ec2:us-west-2:123456789012:image/ami-0abc",
      },
      failures,
    );
    checkString(
      inputs,
      `${base}.description`,
      { maxLength: 500, fix: "shorten the description to 500 characters" },
      failures,
    );
    const name = item.name;
    if (typeof name === "string" && !containsUnknown(name)) {
      const first = seen.get(name);
      if (first !== undefined) {
        failures.push({
          property: `${base}.name`,
          reason: `repeats createdArtifacts[${first}].name (${JSON.stringify(name)}); an artifact is associated once. Fix: remove the duplicate`,
        });
      } else seen.set(name, i);
    }
  });
}

/** Typed view of inputs that passed check() (the provider calls it only then). */
export function parseInputs(inputs: Record<string, unknown>): MigrationTaskInputs {
  const out: MigrationTaskInputs = {
    progressUpdateStream: inputs.progressUpdateStream as string,
    migrationTaskName: inputs.migrationTaskName as string,
  };
  if (Array.isArray(inputs.resourceAttributes)) {
    out.resourceAttributes = (inputs.resourceAttributes as ResourceAttribute[]).map((a) => ({
      type: a.type,
      value: a.value,
    }));
  }
  if (Array.isArray(inputs.createdArtifacts)) {
    out.createdArtifacts = (inputs.createdArtifacts as CreatedArtifact[]).map((a) =>
      a.description === undefined || a.description === null
        ? { name: a.name }
        : { name: a.name, description: a.description },
    );
  }
  if (isPlainObject(inputs.initialState)) {
    const s = inputs.initialState;
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

// ---------------------------------------------------------------------------------------------
// identity

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

// ---------------------------------------------------------------------------------------------
// diff

export const REPLACE_PROPERTIES = ["progressUpdateStream", "migrationTaskName"] as const;
export const UPDATE_PROPERTIES = [
  "resourceAttributes",
  "createdArtifacts",
  "initialState",
  "waitForStatus",
  "waitTimeoutMinutes",
] as const;

/** Lists compared as sets: AWS does not promise an order, and a reorder is not a change. */
function sortedCanonical(v: unknown): string {
  if (!Array.isArray(v)) return canonicalJson(v ?? null);
  return canonicalJson(v.map((x) => canonicalJson(x)).sort());
}

function differs(
  property: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): boolean {
  const o = olds[property];
  const n = news[property];
  if (containsUnknown(n)) return true;
  if (property === "resourceAttributes" || property === "createdArtifacts") {
    return sortedCanonical(o) !== sortedCanonical(n);
  }
  return canonicalJson(o ?? null) !== canonicalJson(n ?? null);
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
}

/**
 * Stream or name → replace (they are the task's identity). Attributes, artifacts, initial state
 * and wait options → update in place. `__provider` alone is no change. A recorded wait that has
 * not reached its target (the previous `up` timed out or saw FAILED) → update, which resumes it.
 *
 * Unlike the import-task resources, a FAILED task is NOT replaced: a replacement would register the
 * very same stream/name again, and only the migration tool can move a task out of FAILED.
 */
export function diffMigrationTask(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffResult {
  const replaces = REPLACE_PROPERTIES.filter((p) => differs(p, olds, news));
  const updates = UPDATE_PROPERTIES.filter((p) => differs(p, olds, news));
  const target = news.waitForStatus;
  const pendingWait =
    typeof target === "string" &&
    (WAIT_TARGETS as readonly string[]).includes(target) &&
    !reached(typeof olds.status === "string" ? olds.status : NOT_REPORTED, target as WaitTarget);
  return {
    changes: replaces.length > 0 || updates.length > 0 || pendingWait,
    replaces: [...replaces],
  };
}

// ---------------------------------------------------------------------------------------------
// waiting

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

// ---------------------------------------------------------------------------------------------
// outputs

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

// ---------------------------------------------------------------------------------------------
// planning in-place changes

export interface ArtifactPlan {
  disassociate: string[];
  associate: CreatedArtifact[];
}

/**
 * Artifacts to disassociate (gone, or description changed) and to associate (new, or description
 * changed): AWS keys an association by ARN, so a new description is a re-association.
 */
export function planArtifacts(
  current: readonly CreatedArtifact[],
  wanted: readonly CreatedArtifact[],
): ArtifactPlan {
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

export function sameAttributes(
  a: readonly ResourceAttribute[] | undefined,
  b: readonly ResourceAttribute[] | undefined,
): boolean {
  return sortedCanonical(a ?? null) === sortedCanonical(b ?? null);
}

export function sameState(a: InitialState | undefined, b: InitialState | undefined): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

// ---------------------------------------------------------------------------------------------
// messages (STYLE.md §7)

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
