/**
 * Table-driven input checks for `check()`: each broken rule appends a CheckFailure naming the rule,
 * what was given and the fix; never a throw. Preview UNKNOWNs are skipped (checked again at `up`).
 * `property` is a path into `inputs`: `s3BucketSource.s3Bucket`, `diskContainers[0].format`.
 */
import { redact } from "./redact";
import { containsUnknown, isUnknown } from "./unknown";

export interface CheckFailure {
  property: string;
  reason: string;
}

interface BaseRule {
  required?: boolean;
  fix?: string;
}

export interface StringRule extends BaseRule {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Human text for `pattern` in the reason; defaults to the regex source. */
  patternText?: string;
  oneOf?: readonly string[];
}

export interface IntegerRule extends BaseRule {
  min?: number;
  max?: number;
}

export type NumberRule = IntegerRule;
export type BooleanRule = BaseRule;
export type ObjectRule = BaseRule;

export interface StringArrayRule extends BaseRule {
  minItems?: number;
  maxItems?: number;
  item?: StringRule;
}

type Inputs = Record<string, unknown>;

const UNKNOWN_PATH = Symbol("unknown");

/** The value at `path` (`a.b[0].c`); UNKNOWN_PATH when a container on the way is unknown. */
function lookup(inputs: Inputs, path: string): unknown {
  let cur: unknown = inputs;
  for (const [, name, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (isUnknown(cur)) return UNKNOWN_PATH;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[index ?? name ?? ""];
  }
  return cur;
}

/** Public form of the path lookup, for cross-field rules in resource logic. */
export function getPath(inputs: Inputs, path: string): unknown {
  const v = lookup(inputs, path);
  return v === UNKNOWN_PATH ? undefined : v;
}

/** `number`, `array`, `null`, `object`… — what the user gave, for "(got …)". */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function quote(v: string): string {
  const shown = v.length > 80 ? `${v.slice(0, 77)}...` : v;
  return JSON.stringify(redact(shown));
}

function fail(failures: CheckFailure[], property: string, reason: string, fix?: string): void {
  failures.push({ property, reason: fix === undefined ? reason : `${reason}. Fix: ${fix}` });
}

type Check<R> = (inputs: Inputs, property: string, rule: R, failures: CheckFailure[]) => void;

/** The value at `property`, or undefined: absent (a failure if required) or `skip`ped. */
function present(
  inputs: Inputs,
  property: string,
  rule: BaseRule,
  failures: CheckFailure[],
  skip: (v: unknown) => boolean = containsUnknown,
): unknown {
  const value = lookup(inputs, property);
  if (value === UNKNOWN_PATH || skip(value)) return undefined;
  if (value === undefined || value === null) {
    if (rule.required === true) fail(failures, property, "is required", rule.fix);
    return undefined;
  }
  return value;
}

/** A check of one known value: `reason` names the broken rule, or undefined when it holds. */
function scalar<R extends BaseRule>(
  reason: (value: unknown, rule: R) => string | undefined,
): Check<R> {
  return (inputs, property, rule, failures) => {
    const value = present(inputs, property, rule, failures);
    if (value === undefined) return;
    const why = reason(value, rule);
    if (why !== undefined) fail(failures, property, why, rule.fix);
  };
}

/** `must have 1–100 items (got 0)`, `must be between 1 and 5 (got 7)`; undefined when in range. */
function rangeReason(
  n: number,
  min: number | undefined,
  max: number | undefined,
  unit: string,
): string | undefined {
  if ((min === undefined || n >= min) && (max === undefined || n <= max)) return undefined;
  const u = unit === "" ? "" : ` ${unit}`;
  let range = min === undefined ? `at most ${max}${u}` : `at least ${min}${u}`;
  if (min !== undefined && min === max && unit !== "") range = `${min}${u}`;
  else if (min !== undefined && max !== undefined) {
    range = unit === "" ? `between ${min} and ${max}` : `${min}–${max}${u}`;
  }
  return `must ${unit === "items" ? "have" : "be"} ${range} (got ${n})`;
}

function stringReason(value: unknown, rule: StringRule): string | undefined {
  if (typeof value !== "string") return `must be a string (got ${typeName(value)})`;
  const length = rangeReason([...value].length, rule.minLength, rule.maxLength, "characters");
  if (length !== undefined) return length;
  if (rule.pattern !== undefined) {
    rule.pattern.lastIndex = 0;
    if (!rule.pattern.test(value)) {
      return `must match ${rule.patternText ?? rule.pattern.source} (got ${quote(value)})`;
    }
  }
  if (rule.oneOf !== undefined && !rule.oneOf.includes(value)) {
    return `must be one of ${rule.oneOf.join(", ")} (got ${quote(value)})`;
  }
  return undefined;
}

function numericReason(integer: boolean): (v: unknown, rule: NumberRule) => string | undefined {
  const kind = integer ? "an integer" : "a number";
  return (v, rule) => {
    if (typeof v !== "number") return `must be ${kind} (got ${typeName(v)})`;
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      return `must be ${kind} (got ${v})`;
    }
    return rangeReason(v, rule.min, rule.max, "");
  };
}

export const checkString: Check<StringRule> = scalar(stringReason);
export const checkInteger: Check<IntegerRule> = scalar(numericReason(true));
export const checkNumber: Check<NumberRule> = scalar(numericReason(false));
export const checkBoolean: Check<BooleanRule> = scalar((v) =>
  typeof v === "boolean" ? undefined : `must be a boolean (got ${typeName(v)})`,
);

/** The list at `property` with its length checked, or undefined (absent, skipped, not a list). */
function listAt(
  inputs: Inputs,
  property: string,
  rule: BaseRule & { minItems?: number; maxItems?: number },
  failures: CheckFailure[],
  what: string,
  skip: (v: unknown) => boolean,
): unknown[] | undefined {
  const value = present(inputs, property, rule, failures, skip);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    fail(failures, property, `must be ${what} (got ${typeName(value)})`, rule.fix);
    return undefined;
  }
  const count = rangeReason(value.length, rule.minItems, rule.maxItems, "items");
  if (count !== undefined) fail(failures, property, count, rule.fix);
  return value as unknown[];
}

/** An unknown list is skipped whole; unknown items are skipped one by one. */
export const checkStringArray: Check<StringArrayRule> = (inputs, property, rule, failures) => {
  const list = listAt(inputs, property, rule, failures, "a list of strings", isUnknown);
  list?.forEach((item: unknown, i) => {
    if (containsUnknown(item)) return;
    const reason = stringReason(item, rule.item ?? {});
    const fix = typeof item === "string" ? rule.item?.fix : (rule.item?.fix ?? rule.fix);
    if (reason !== undefined) fail(failures, `${property}[${i}]`, reason, fix);
  });
};

/** Only an object that IS unknown is skipped; one with unknown members is still an object. */
export const checkObject: Check<ObjectRule> = (inputs, property, rule, failures) => {
  const value = present(inputs, property, rule, failures, isUnknown);
  if (value === undefined || isPlainObject(value)) return;
  fail(failures, property, `must be an object (got ${typeName(value)})`, rule.fix);
};

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** One field of a nested object: its kind and rule. */
export type FieldRule =
  | ["string", StringRule]
  | ["integer", IntegerRule]
  | ["number", NumberRule]
  | ["boolean", BooleanRule]
  | ["stringArray", StringArrayRule]
  | ["object", ObjectRule];

/** The fields of one nested object, each checked at `<path>.<field>` in this order. */
export type Fields = Record<string, FieldRule>;

/** The check of each field kind, by `FieldRule[0]`. */
export const CHECKS = {
  string: checkString,
  integer: checkInteger,
  number: checkNumber,
  boolean: checkBoolean,
  stringArray: checkStringArray,
  object: checkObject,
} as const;

export function checkFields(
  inputs: Inputs,
  path: string,
  fields: Fields,
  failures: CheckFailure[],
): void {
  for (const [field, [kind, rule]] of Object.entries(fields)) {
    CHECKS[kind](inputs, `${path}.${field}`, rule, failures);
  }
}

/** A list of objects: its length, then each item's fields and `each`; unknowns are skipped. */
export function checkList(
  inputs: Inputs,
  property: string,
  rule: { minItems: number; maxItems?: number; fix: string; itemFix: string; fields: Fields },
  failures: CheckFailure[],
  each: (item: Record<string, unknown>, i: number) => void,
): void {
  const skip = (v: unknown): boolean => containsUnknown(v) && !Array.isArray(v);
  const list = listAt(inputs, property, rule, failures, "a list", skip);
  list?.forEach((item: unknown, i) => {
    if (containsUnknown(item) && !isPlainObject(item)) return;
    checkObject(inputs, `${property}[${i}]`, { required: true, fix: rule.itemFix }, failures);
    if (!isPlainObject(item)) return;
    checkFields(inputs, `${property}[${i}]`, rule.fields, failures);
    each(item, i);
  });
}
