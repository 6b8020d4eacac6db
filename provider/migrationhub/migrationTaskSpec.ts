/**
 * `migrationhub.MigrationTask` as a spec (STYLE.md §2): its property table with the nested rules
 * (attribute formats the ResourceAttribute page prescribes), the describe the core batches, poll
 * delays, acceptors, naming and the home-region advice. What differs from an import task — a
 * synchronous register, then the writes that describe the task — is migrationTaskLifecycle.ts.
 *
 * Polling choice. Migration Hub has no batch describe, and `ListMigrationTasks` pages through
 * every task of the account (no stream filter), needs the discovery policy and returns no
 * attributes. Waiting is opt-in (only a migration tool moves a task), so we describe per task
 * (batch size 1 merges same-turn polls of one ID), a bounded number at once.
 */
import { modelRule } from "../core/awsModel";
import {
  type CheckFailure,
  checkFields,
  checkList,
  checkString,
  type FieldRule,
  type Fields,
  getPath,
  type IntegerRule,
  isPlainObject,
  type StringRule,
} from "../core/check";
import { specRules } from "../core/task/lifecycle";
import type { PropertyTable } from "../core/task/properties";
import type { PollDelays, ServiceSpec } from "../core/task/spec";
import { canonicalJson } from "../core/tokens";
import { containsUnknown } from "../core/unknown";
import { createMigrationHubApi, type MigrationHubApi } from "./api";
import {
  MAX_WAIT_TIMEOUT_MINUTES,
  type MigrationTaskInputs,
  type MigrationTaskRecord,
  parseTaskId,
  type ResourceAttributeType,
  statusOf,
  taskId,
  WAIT_TARGETS,
  waitAcceptors,
  waitPending,
} from "./migrationTaskLogic";
import { MODEL } from "./model.generated";
import { explain, streamNameRule } from "./shared";

/** Value formats the ResourceAttribute API page prescribes per type; other types take any 1–256 characters. */
const ATTRIBUTE_FORMATS: Partial<
  Record<ResourceAttributeType, { pattern: RegExp; text: string; fix: string }>
> = {
  IPV4_ADDRESS: {
    pattern:
      /^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$/,
    text: "x.x.x.x with each x in 0–255",
    fix: "write the address in dotted decimal, e.g. 10.0.0.12",
  },
  IPV6_ADDRESS: {
    pattern: /^([0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}$/,
    text: "y:y:y:y:y:y:y:y with each y a hexadecimal 0–FFFF",
    fix: "write all eight groups (expand '::'), e.g. 2001:db8:0:0:0:0:0:1",
  },
  MAC_ADDRESS: {
    pattern: /^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$/,
    text: "^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$",
    fix: "write six hexadecimal pairs separated by ':' or '-', e.g. 0a:1b:2c:3d:4e:5f",
  },
  FQDN: {
    // eslint-disable-next-line no-control-regex
    pattern: /^[^<>{}\\/?,=\u0000-\u001f\u007f-\u009f]{1,256}$/,
    text: "^[^<>{}\\\\/?,=\\p{Cntrl}]{1,256}$",
    fix: "remove the characters < > { } \\ / ? , = and control characters",
  },
};

/**
 * A nested field as the model has `structure.member`: its kind (string or integer), whether it is
 * required and its bounds, with our fix (and a readable pattern) over them.
 */
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
  // Optional here (default 86400 s). The model sets no maximum; the value is a Java int
  // (NotifyMigrationTaskState API reference).
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

const known = (v: unknown): v is string => typeof v === "string" && !containsUnknown(v);

/**
 * resourceAttributes (PutResourceAttributes): 1–100 `{type, value}`, each value in its type's
 * format; VM fields need a VM_MANAGER_ID, or AWS silently discards them.
 */
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
    const { pattern, text, fix } = format;
    const rule = { pattern, patternText: `${text} for ${type}`, fix };
    checkString(inputs, `resourceAttributes[${i}].value`, rule, failures);
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

/** initialState's fields (NotifyMigrationTaskState), once the table found it an object. */
function checkInitialState(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isPlainObject(inputs.initialState)) {
    checkFields(inputs, "initialState", STATE_FIELDS, failures);
  }
  return failures;
}

/** The cross-field rules; an unknown value is checked again at `up`. */
function checkTaskMore(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const waitFor = inputs.waitForStatus;
  const timeout = inputs.waitTimeoutMinutes;
  if (
    timeout !== undefined &&
    timeout !== null &&
    !containsUnknown(timeout) &&
    waitFor === undefined
  ) {
    failures.push({
      property: "waitTimeoutMinutes",
      reason:
        "applies only to a wait, and waitForStatus is not set. Fix: set waitForStatus (IN_PROGRESS or COMPLETED) or remove waitTimeoutMinutes",
    });
  }
  if (known(waitFor) && getPath(inputs, "initialState.status") === "FAILED") {
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

/** Each input once; the nested shapes have their rules above. */
export const TASK_PROPERTIES: PropertyTable<MigrationTaskInputs> = {
  progressUpdateStream: {
    rule: {
      kind: "string",
      required: true,
      ...streamNameRule(
        "ImportMigrationTaskRequest",
        "ProgressUpdateStream",
        "name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
      ),
    },
    change: "replace",
    awsName: "ProgressUpdateStream",
  },
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
  resourceAttributes: {
    rule: { kind: "custom" },
    checkNested: checkAttributes,
    change: "update",
    compareAs: asSet,
    awsName: "ResourceAttributeList",
  },
  createdArtifacts: {
    rule: { kind: "custom" },
    checkNested: checkArtifacts,
    change: "update",
    compareAs: asSet,
    awsName: "CreatedArtifact",
  },
  initialState: {
    rule: { kind: "object", fix: "give {status, statusDetail?, progressPercent?}" },
    checkNested: checkInitialState,
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
      max: MAX_WAIT_TIMEOUT_MINUTES,
      fix: "give whole minutes from 1 to 10080 (one week)",
    },
    change: "update",
  },
};

/** Poll delays when stack config sets none: a migration tool reports every few minutes at best. */
export const TASK_POLL: PollDelays = { minDelayMs: 5_000, maxDelayMs: 60_000, gridMs: 1 };

export const migrationTaskSpec: ServiceSpec<
  MigrationTaskInputs,
  MigrationTaskRecord,
  MigrationHubApi
> = {
  service: "migrationhub",
  className: "MigrationTask",
  properties: TASK_PROPERTIES,
  checkMore: checkTaskMore,
  diffMore: (olds, news) => ({ changes: waitPending(olds, news) }),
  createApi: createMigrationHubApi,
  describe: {
    operation: "DescribeMigrationTask",
    batchSize: 1,
    // At most this many polls in flight per provider process.
    concurrency: 10,
    // Each api method already goes through the core's caller.
    viaCaller: true,
    async call(api, ids) {
      const found = new Map<string, MigrationTaskRecord>();
      for (const id of ids) {
        const key = parseTaskId(id);
        if (key === undefined) continue;
        const record = await api.describeMigrationTask(
          key.progressUpdateStream,
          key.migrationTaskName,
        );
        if (record !== undefined) found.set(id, record);
      }
      return found;
    },
  },
  poll: TASK_POLL,
  statusOf,
  // Only a wait for waitForStatus has acceptors (migrationTaskLifecycle.ts settle).
  acceptors: (_phase, { waitForStatus }) =>
    waitForStatus === undefined ? [] : waitAcceptors(waitForStatus),
  name: (inputs, id) => id ?? taskId(inputs.progressUpdateStream, inputs.migrationTaskName),
  explain,
  outputs: ["status", "statusDetail", "progressPercent", "updateDateTime"],
};

/** What check() and diff() answer: the table's rules and diff, then the spec's own. */
export const { check: checkMigrationTask, diff: diffMigrationTask } = specRules(migrationTaskSpec);
