/** `migrationhub.MigrationTask` as a spec (STYLE.md §2), with its lifecycle's pure helpers. */
import { modelRule } from "../core/awsModel";
import {
  type CheckFailure,
  checkList,
  checkString,
  type FieldRule,
  type Fields,
  getPath,
  type IntegerRule,
  isPlainObject,
  type StringRule,
} from "../core/check";
import { isoTime, normalizeOutputs, type OutputValue } from "../core/outputs";
import { acceptorsFrom, checkMembers } from "../core/task/helpers";
import type { PropertySpec, PropertyTable } from "../core/task/properties";
import type { ServiceSpec } from "../core/task/spec";
import { canonicalJson } from "../core/tokens";
import { containsUnknown } from "../core/unknown";
import {
  type CreatedArtifact,
  createMigrationHubApi,
  type MigrationHubApi,
  type MigrationTaskRecord,
  type ResourceAttribute,
  type ResourceAttributeType,
  type TaskKey,
  type TaskState,
} from "./api";
import { MODEL } from "./model.generated";
import { explain, isSet, streamNameProperty } from "./shared";

/** Statuses a wait can target; NOT_STARTED is where a task begins, FAILED fails the wait. */
export const WAIT_TARGETS = ["IN_PROGRESS", "COMPLETED"] as const;
export type WaitTarget = (typeof WAIT_TARGETS)[number];

export interface InitialState extends TaskState {
  nextUpdateSeconds?: number;
}

export interface MigrationTaskInputs extends TaskKey {
  resourceAttributes?: ResourceAttribute[];
  createdArtifacts?: CreatedArtifact[];
  initialState?: InitialState;
  waitForStatus?: WaitTarget;
  waitTimeoutMinutes?: number;
}

/** Value formats the ResourceAttribute API page prescribes; other types take any 1–256 characters. */
const ATTRIBUTE_FORMATS: Partial<Record<ResourceAttributeType, StringRule>> = {
  IPV4_ADDRESS: {
    pattern:
      /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/,
    patternText: "x.x.x.x with each x in 0–255 for IPV4_ADDRESS",
    fix: "write the address in dotted decimal, e.g. 10.0.0.12",
  },
  IPV6_ADDRESS: {
    pattern: /^([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}$/,
    patternText: "y:y:y:y:y:y:y:y with each y a hexadecimal 0–FFFF for IPV6_ADDRESS",
    fix: "write all eight groups (expand '::'), e.g. 2001:db8:0:0:0:0:0:1",
  },
  MAC_ADDRESS: {
    pattern: /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$/,
    patternText: "^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$ for MAC_ADDRESS",
    fix: "write six hexadecimal pairs separated by ':' or '-', e.g. 0a:1b:2c:3d:4e:5f",
  },
  FQDN: {
    // eslint-disable-next-line no-control-regex
    pattern: /^[^<>{}\\/?,=\u0000-\u001f\u007f-\u009f]{1,256}$/,
    patternText: "^[^<>{}\\\\/?,=\\p{Cntrl}]{1,256}$ for FQDN",
    fix: "remove the characters < > { } \\ / ? , = and control characters",
  },
};

/** A nested field as the model has `structure.member` (kind, required, bounds), with our fix. */
const model = (structure: string, member: string, extra: StringRule & IntegerRule): FieldRule => {
  const ref = MODEL.shapes[structure]?.members?.[member];
  const type = MODEL.shapes[typeof ref === "string" ? ref : (ref?.shape ?? "")]?.type;
  const required = MODEL.shapes[structure]?.required?.includes(member) === true;
  const rule = { required, ...modelRule(MODEL, structure, member, extra) };
  return type === "integer" ? ["integer", rule] : ["string", rule];
};

const ONE_LINE = "one line (no line breaks)";

/** Task (NotifyMigrationTaskState): status, statusDetail, progressPercent; then nextUpdateSeconds. */
const STATE_FIELDS: Fields = {
  status: model("Task", "Status", { fix: "use one of the Migration Hub task statuses" }),
  statusDetail: model("Task", "StatusDetail", {
    patternText: ONE_LINE,
    fix: "write statusDetail as one line of at most 2500 characters",
  }),
  progressPercent: model("Task", "ProgressPercent", {
    fix: "give a whole percentage from 0 to 100",
  }),
  // Optional here (default 86400 s). The model sets no maximum; the API reference says Java int.
  nextUpdateSeconds: model("NotifyMigrationTaskStateRequest", "NextUpdateSeconds", {
    required: false,
    max: 2_147_483_647,
    fix: "give the seconds within which the next update is expected",
  }),
};

const ATTRIBUTE_FIELDS: Fields = {
  type: model("ResourceAttribute", "Type", { fix: "use one of the documented attribute types" }),
  value: model("ResourceAttribute", "Value", {
    patternText: ONE_LINE,
    fix: "give the identifying value as one line of 1–256 characters",
  }),
};

const ARTIFACT_FIELDS: Fields = {
  name: model("CreatedArtifact", "Name", {
    fix: "give the ARN of the AWS resource the migration created, e.g. arn:aws:ec2:us-west-2:123456789012:image/ami-0abc",
  }),
  description: model("CreatedArtifact", "Description", {
    patternText: ONE_LINE,
    fix: "write the description as one line of at most 500 characters",
  }),
};

/** The members `fields` lists, when of their kind: what outputs echo and AWS gets (no nulls). */
function pick(v: unknown, fields: Fields): Record<string, unknown> {
  const o = v as Record<string, unknown>;
  const kept = Object.entries(fields).filter(
    ([k, [kind]]) => typeof o[k] === (kind === "string" ? "string" : "number"),
  );
  return Object.fromEntries(kept.map(([k]) => [k, o[k]]));
}

const known = (v: unknown): v is string => typeof v === "string" && !containsUnknown(v);

/** Each value in its type's format; VM_* types need a VM_MANAGER_ID, or AWS discards them. */
function checkAttributes(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const types = new Set<string>();
  let unknownType = false;
  const attributes = {
    minItems: 1,
    maxItems: 100,
    fix: "give 1–100 {type, value} pairs, or omit resourceAttributes",
    itemFix: "give {type, value}",
    fields: ATTRIBUTE_FIELDS,
  };
  checkList(inputs, "resourceAttributes", attributes, failures, ({ type, value }, i) => {
    if (containsUnknown(type)) unknownType = true;
    if (!known(type)) return;
    types.add(type);
    const format = ATTRIBUTE_FORMATS[type as ResourceAttributeType];
    if (format === undefined || !known(value) || value.length > 256) return;
    checkString(inputs, `resourceAttributes[${i}].value`, format, failures);
  });
  const vmTypes = [...types].filter((t) => t.startsWith("VM_") && t !== "VM_MANAGER_ID");
  if (vmTypes.length > 0 && !types.has("VM_MANAGER_ID") && !unknownType) {
    failures.push({
      property: "resourceAttributes",
      reason: `has ${vmTypes.sort().join(", ")} but no VM_MANAGER_ID, and Migration Hub discards every VM_* attribute without it. Fix: add {type: "VM_MANAGER_ID", value: <the vCenter/VM manager ID>}`,
    });
  }
  return failures;
}

/** createdArtifacts (AssociateCreatedArtifact): `{name: ARN, description?}`, each name once. */
function checkArtifacts(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const seen = new Map<string, number>();
  const artifacts = {
    minItems: 0,
    fix: "give a list of {name, description} objects",
    itemFix: "give {name, description?}",
    fields: ARTIFACT_FIELDS,
  };
  checkList(inputs, "createdArtifacts", artifacts, failures, ({ name }, i) => {
    if (!known(name)) return;
    const first = seen.get(name);
    if (first === undefined) return void seen.set(name, i);
    failures.push({
      property: `createdArtifacts[${i}].name`,
      reason: `repeats createdArtifacts[${first}].name (${JSON.stringify(name)}); an artifact is associated once. Fix: remove the duplicate`,
    });
  });
  return failures;
}

/** The cross-field rules; an unknown value is checked again at `up`. */
function checkTaskMore(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const { waitForStatus, waitTimeoutMinutes: timeout } = inputs;
  if (isSet(timeout) && waitForStatus === undefined) {
    failures.push({
      property: "waitTimeoutMinutes",
      reason:
        "applies only to a wait, and waitForStatus is not set. Fix: set waitForStatus (IN_PROGRESS or COMPLETED) or remove waitTimeoutMinutes",
    });
  }
  if (known(waitForStatus) && getPath(inputs, "initialState.status") === "FAILED") {
    failures.push({
      property: "waitForStatus",
      reason: `cannot be reached: initialState.status is FAILED, which ends the wait as a failure at once. Fix: start in NOT_STARTED or IN_PROGRESS, or remove waitForStatus`,
    });
  }
  return failures;
}

/** Lists compared as sets: AWS does not promise an order, and a reorder is not a change. */
export const asSet = (v: unknown): unknown =>
  Array.isArray(v) ? v.map((x) => canonicalJson(x)).sort() : v;

/** A list input of `fields` objects, updated in place and compared as a set. */
function listProperty(
  fields: Fields,
  checkNested: (news: Record<string, unknown>) => CheckFailure[],
  awsName: string,
): PropertySpec {
  return {
    rule: { kind: "custom" },
    checkNested,
    narrow: (v) => (Array.isArray(v) ? v.map((item) => pick(item, fields)) : undefined),
    change: "update",
    compareAs: asSet,
    awsName,
  };
}

export const TASK_PROPERTIES: PropertyTable<MigrationTaskInputs> = {
  progressUpdateStream: streamNameProperty(
    "ImportMigrationTaskRequest",
    "ProgressUpdateStream",
    "name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
  ),
  migrationTaskName: {
    rule: {
      kind: "string",
      required: true,
      ...modelRule(MODEL, "ImportMigrationTaskRequest", "MigrationTaskName", {
        patternText: "[^:|]+ (no ':' or '|')",
        fix: "use 1–256 characters without ':' or '|'",
      }),
    },
    change: "replace",
    awsName: "MigrationTaskName",
  },
  resourceAttributes: listProperty(ATTRIBUTE_FIELDS, checkAttributes, "ResourceAttributeList"),
  createdArtifacts: listProperty(ARTIFACT_FIELDS, checkArtifacts, "CreatedArtifact"),
  initialState: {
    rule: { kind: "object", fix: "give {status, statusDetail?, progressPercent?}" },
    checkNested: (news) => checkMembers(news, "initialState", STATE_FIELDS),
    narrow: (v) => (isPlainObject(v) ? pick(v, STATE_FIELDS) : undefined),
    change: "update",
    awsName: "Task",
  },
  waitForStatus: {
    rule: {
      kind: "string",
      oneOf: WAIT_TARGETS,
      fix: "wait for IN_PROGRESS or COMPLETED, or omit waitForStatus to not wait",
    },
    change: "update",
  },
  // No table default: the effective value comes from stack config, so omitting it is a change.
  waitTimeoutMinutes: {
    rule: {
      kind: "integer",
      min: 1,
      max: 10_080,
      fix: "give whole minutes from 1 to 10080 (one week)",
    },
    change: "update",
  },
};

/** `<stream>/<task name>`: a stream name has no '/', so the first '/' splits the two. */
export const taskId = (task: TaskKey): string =>
  `${task.progressUpdateStream}/${task.migrationTaskName}`;

export function parseTaskId(id: string): TaskKey | undefined {
  const slash = id.indexOf("/");
  if (slash <= 0 || slash === id.length - 1) return undefined;
  return { progressUpdateStream: id.slice(0, slash), migrationTaskName: id.slice(slash + 1) };
}

/** NOT_REPORTED: DescribeMigrationTask returns no `Task` before any NotifyMigrationTaskState. */
export const statusOf = (record: Pick<MigrationTaskRecord, "task"> | undefined): string =>
  record === undefined ? "GONE" : (record.task?.status ?? "NOT_REPORTED");

const ORDER: readonly string[] = ["NOT_REPORTED", "NOT_STARTED", "IN_PROGRESS", "COMPLETED"];

/** True when `status` is at or past `target` on NOT_STARTED → IN_PROGRESS → COMPLETED. */
export const reached = (status: string, target: WaitTarget): boolean =>
  ORDER.indexOf(status) >= ORDER.indexOf(target);

/** The inputs as given (diff compares them with the next inputs), then the task's state. */
export function toOutputs(
  inputs: MigrationTaskInputs,
  record: Pick<MigrationTaskRecord, "task" | "updateDateTime"> | undefined,
): Record<string, OutputValue> {
  const keys = Object.keys(TASK_PROPERTIES) as (keyof MigrationTaskInputs)[];
  return normalizeOutputs({
    ...Object.fromEntries(keys.map((k) => [k, inputs[k]] as const)),
    status: record && statusOf(record),
    statusDetail: record?.task?.statusDetail,
    progressPercent: record?.task?.progressPercent,
    updateDateTime: isoTime(record?.updateDateTime),
  });
}

/** AWS keys an artifact by ARN: a new description is a disassociation and a new association. */
export function planArtifacts(
  current: readonly CreatedArtifact[],
  wanted: readonly CreatedArtifact[],
): { disassociate: string[]; associate: CreatedArtifact[] } {
  const has = (list: readonly CreatedArtifact[], a: CreatedArtifact): boolean =>
    list.some((b) => b.name === a.name && (b.description ?? "") === (a.description ?? ""));
  return {
    disassociate: current.filter((a) => !has(wanted, a)).map((a) => a.name),
    associate: wanted.filter((a) => !has(current, a)),
  };
}

export const migrationTaskSpec: ServiceSpec<
  MigrationTaskInputs,
  MigrationTaskRecord,
  MigrationHubApi
> = {
  service: "migrationhub",
  className: "MigrationTask",
  properties: TASK_PROPERTIES,
  checkMore: checkTaskMore,
  // A recorded wait short of its target is an update, which resumes it. FAILED is not replaced:
  // the new task would have the same stream/name, and only the tool moves a task out of FAILED.
  diffMore: ({ status }, { waitForStatus: target }) => ({
    changes:
      WAIT_TARGETS.includes(target as WaitTarget) &&
      !reached(typeof status === "string" ? status : "NOT_REPORTED", target as WaitTarget),
  }),
  createApi: createMigrationHubApi,
  describe: {
    operation: "DescribeMigrationTask",
    // One by one: ListMigrationTasks pages through the whole account (no stream filter), needs
    // the discovery policy and returns no attributes.
    batchSize: 1,
    // At most this many polls in flight per provider process.
    concurrency: 10,
    viaCaller: true,
    // batchSize 1: each call gets one ID.
    async call(api, [id = ""]) {
      const key = parseTaskId(id);
      const record = key && (await api.describeMigrationTask(key));
      return new Map<string, MigrationTaskRecord>(record === undefined ? [] : [[id, record]]);
    },
  },
  // A migration tool reports every few minutes at best.
  poll: { minDelayMs: 5_000, maxDelayMs: 60_000, gridMs: 1 },
  statusOf,
  // Only a wait for waitForStatus has acceptors (migrationTaskProvider.ts).
  acceptors: (_phase, { waitForStatus: target }) =>
    target === undefined
      ? []
      : acceptorsFrom((o) => {
          const status = statusOf(o);
          if (status === "FAILED" || status === "GONE") return "failure";
          return reached(status, target) ? "success" : "pending";
        }),
  name: (inputs, id) => id ?? taskId(inputs),
  explain,
  outputs: ["status", "statusDetail", "progressPercent", "updateDateTime"],
};
