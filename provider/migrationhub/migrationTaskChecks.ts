/**
 * The input rules of `migrationhub.MigrationTask` that its property table cannot say: the nested
 * attribute, artifact and initial-state shapes (with the value formats the ResourceAttribute page
 * prescribes) and the cross-field rules. The table in migrationTaskSpec.ts checks the rest.
 */
import {
  type CheckFailure,
  checkInteger,
  checkObject,
  checkString,
  getPath,
  typeName,
} from "../core/check";
import { containsUnknown } from "../core/unknown";
import {
  RESOURCE_ATTRIBUTE_TYPES,
  type ResourceAttributeType,
  TASK_STATUSES,
} from "./migrationTaskLogic";

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
 * The rules of ImportMigrationTask, PutResourceAttributes, AssociateCreatedArtifact and
 * NotifyMigrationTaskState that the property table cannot say (nested shapes), and the cross-field
 * rules. Never throws; values unknown during preview are skipped.
 */
export function checkTaskMore(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
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
