/**
 * The input rules of `migrationhub.MigrationTask` that a table row cannot say: the nested
 * attribute, artifact and initial-state shapes (with the value formats the ResourceAttribute page
 * prescribes), run in table order as the `checkNested` rules of migrationTaskSpec.ts, and the
 * cross-field rules (checkMore).
 */
import { modelRule } from "../core/awsModel";
import {
  type CheckFailure,
  checkFields,
  checkList,
  checkString,
  type Fields,
  getPath,
  type IntegerRule,
  isPlainObject,
  type StringRule,
} from "../core/check";
import { containsUnknown } from "../core/unknown";
import type { ResourceAttributeType } from "./migrationTaskLogic";
import { MODEL } from "./model.generated";

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

/** A field's rule from the model's `structure.member`, with our fix (and readable pattern). */
const model = (structure: string, member: string, extra: StringRule & IntegerRule) =>
  modelRule(MODEL, structure, member, extra);

/** Task (NotifyMigrationTaskState): status, statusDetail, progressPercent; then nextUpdateSeconds. */
const STATE_FIELDS: Fields = {
  status: [
    "string",
    model("Task", "Status", { required: true, fix: "use one of the Migration Hub task statuses" }),
  ],
  statusDetail: [
    "string",
    model("Task", "StatusDetail", {
      patternText: "one line (no line breaks)",
      fix: "write statusDetail as one line of at most 2500 characters",
    }),
  ],
  progressPercent: [
    "integer",
    model("Task", "ProgressPercent", { fix: "give a whole percentage from 0 to 100" }),
  ],
  // The model sets no maximum; the value is a Java int (NotifyMigrationTaskState API reference).
  nextUpdateSeconds: [
    "integer",
    model("NotifyMigrationTaskStateRequest", "NextUpdateSeconds", {
      max: 2_147_483_647,
      fix: "give the seconds within which the next update is expected",
    }),
  ],
};

const ATTRIBUTE_FIELDS: Fields = {
  type: [
    "string",
    model("ResourceAttribute", "Type", {
      required: true,
      fix: "use one of the documented attribute types",
    }),
  ],
  value: [
    "string",
    model("ResourceAttribute", "Value", {
      required: true,
      patternText: "one line (no line breaks)",
      fix: "give the identifying value as one line of 1–256 characters",
    }),
  ],
};

const ARTIFACT_FIELDS: Fields = {
  name: [
    "string",
    model("CreatedArtifact", "Name", {
      required: true,
      fix: "give the ARN of the AWS resource the migration created, e.g. arn:aws:ec2:us-west-2:123456789012:image/ami-0abc",
    }),
  ],
  description: [
    "string",
    model("CreatedArtifact", "Description", {
      patternText: "one line (no line breaks)",
      fix: "write the description as one line of at most 500 characters",
    }),
  ],
};

const known = (v: unknown): v is string => typeof v === "string" && !containsUnknown(v);

/**
 * resourceAttributes (PutResourceAttributes): 1–100 `{type, value}`, each value in its type's
 * format; VM fields need a VM_MANAGER_ID, or AWS silently discards them.
 */
export function checkAttributes(inputs: Record<string, unknown>): CheckFailure[] {
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
export function checkArtifacts(inputs: Record<string, unknown>): CheckFailure[] {
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
export function checkInitialState(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isPlainObject(inputs.initialState)) {
    checkFields(inputs, "initialState", STATE_FIELDS, failures);
  }
  return failures;
}

/** The cross-field rules; an unknown value is checked again at `up`. */
export function checkTaskMore(inputs: Record<string, unknown>): CheckFailure[] {
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
