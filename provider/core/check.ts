/**
 * Table-driven input checks for `check()`. They never throw: each broken rule appends a
 * CheckFailure whose reason names the rule, what was given and, when known, the fix. Values that
 * are (or contain) the preview UNKNOWN sentinel are skipped — they are checked again at `up`.
 *
 * `property` is a path into `inputs`: `name`, `s3BucketSource.s3Bucket`, `diskContainers[0].format`.
 */
import { redact } from "./redact";
import { containsUnknown, isUnknown } from "./unknown";

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface StringRule {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** Human text for `pattern` in the reason; defaults to the regex source. */
  patternText?: string;
  oneOf?: readonly string[];
  fix?: string;
}

export interface IntegerRule {
  required?: boolean;
  min?: number;
  max?: number;
  fix?: string;
}

export type NumberRule = IntegerRule;

export interface BooleanRule {
  required?: boolean;
  fix?: string;
}

export interface StringArrayRule {
  required?: boolean;
  minItems?: number;
  maxItems?: number;
  item?: StringRule;
  fix?: string;
}

export interface ObjectRule {
  required?: boolean;
  fix?: string;
}

type Inputs = Record<string, unknown>;

/** `a.b[0].c` → ["a", "b", 0, "c"]. */
function parsePath(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

const UNKNOWN_PATH = Symbol("unknown");

/** The value at `path`; UNKNOWN_PATH when a container on the way is unknown. */
function lookup(inputs: Inputs, path: string): unknown {
  let cur: unknown = inputs;
  for (const key of parsePath(path)) {
    if (isUnknown(cur)) return UNKNOWN_PATH;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
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

/** Shared prologue: returns the value to check, or undefined when there is nothing to check. */
function present(
  inputs: Inputs,
  property: string,
  rule: { required?: boolean; fix?: string },
  failures: CheckFailure[],
): { value: unknown } | undefined {
  const value = lookup(inputs, property);
  if (value === UNKNOWN_PATH || containsUnknown(value)) return undefined;
  if (value === undefined || value === null) {
    if (rule.required === true) fail(failures, property, "is required", rule.fix);
    return undefined;
  }
  return { value };
}

/** The prologue of a list or object: skipped only when the value itself is unknown. */
function container(
  inputs: Inputs,
  property: string,
  rule: { required?: boolean; fix?: string },
  failures: CheckFailure[],
): unknown {
  const value = lookup(inputs, property);
  if (value === UNKNOWN_PATH || isUnknown(value)) return undefined;
  if (value === undefined || value === null) {
    if (rule.required === true) fail(failures, property, "is required", rule.fix);
    return undefined;
  }
  return value;
}

/** `must be 1–100 characters`, `must be between 1 and 5`, `must have at most 10 items`. */
function rangeText(
  min: number | undefined,
  max: number | undefined,
  unit: string,
  verb = "be",
): string {
  const u = unit === "" ? "" : ` ${unit}`;
  if (min !== undefined && min === max && unit !== "") return `must ${verb} ${min}${u}`;
  if (min !== undefined && max !== undefined) {
    return unit === ""
      ? `must ${verb} between ${min} and ${max}`
      : `must ${verb} ${min}–${max}${u}`;
  }
  if (min !== undefined) return `must ${verb} at least ${min}${u}`;
  return `must ${verb} at most ${max}${u}`;
}

function stringReason(value: string, rule: StringRule): string | undefined {
  const n = [...value].length;
  if (
    (rule.minLength !== undefined && n < rule.minLength) ||
    (rule.maxLength !== undefined && n > rule.maxLength)
  ) {
    return `${rangeText(rule.minLength, rule.maxLength, "characters")} (got ${n})`;
  }
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

export function checkString(
  inputs: Inputs,
  property: string,
  rule: StringRule,
  failures: CheckFailure[],
): void {
  const p = present(inputs, property, rule, failures);
  if (p === undefined) return;
  if (typeof p.value !== "string") {
    fail(failures, property, `must be a string (got ${typeName(p.value)})`, rule.fix);
    return;
  }
  const reason = stringReason(p.value, rule);
  if (reason !== undefined) fail(failures, property, reason, rule.fix);
}

function checkNumeric(
  inputs: Inputs,
  property: string,
  rule: NumberRule,
  failures: CheckFailure[],
  integer: boolean,
): void {
  const p = present(inputs, property, rule, failures);
  if (p === undefined) return;
  const v = p.value;
  const kind = integer ? "an integer" : "a number";
  if (typeof v !== "number") {
    fail(failures, property, `must be ${kind} (got ${typeName(v)})`, rule.fix);
    return;
  }
  if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    fail(failures, property, `must be ${kind} (got ${v})`, rule.fix);
    return;
  }
  if ((rule.min !== undefined && v < rule.min) || (rule.max !== undefined && v > rule.max)) {
    fail(failures, property, `${rangeText(rule.min, rule.max, "")} (got ${v})`, rule.fix);
  }
}

export function checkInteger(
  inputs: Inputs,
  property: string,
  rule: IntegerRule,
  failures: CheckFailure[],
): void {
  checkNumeric(inputs, property, rule, failures, true);
}

export function checkNumber(
  inputs: Inputs,
  property: string,
  rule: NumberRule,
  failures: CheckFailure[],
): void {
  checkNumeric(inputs, property, rule, failures, false);
}

export function checkBoolean(
  inputs: Inputs,
  property: string,
  rule: BooleanRule,
  failures: CheckFailure[],
): void {
  const p = present(inputs, property, rule, failures);
  if (p === undefined) return;
  if (typeof p.value !== "boolean") {
    fail(failures, property, `must be a boolean (got ${typeName(p.value)})`, rule.fix);
  }
}

export function checkStringArray(
  inputs: Inputs,
  property: string,
  rule: StringArrayRule,
  failures: CheckFailure[],
): void {
  // An unknown list is skipped whole; unknown items are skipped one by one below.
  const value = container(inputs, property, rule, failures);
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    fail(failures, property, `must be a list of strings (got ${typeName(value)})`, rule.fix);
    return;
  }
  const n = value.length;
  if (
    (rule.minItems !== undefined && n < rule.minItems) ||
    (rule.maxItems !== undefined && n > rule.maxItems)
  ) {
    fail(
      failures,
      property,
      `${rangeText(rule.minItems, rule.maxItems, "items", "have")} (got ${n})`,
      rule.fix,
    );
  }
  value.forEach((item: unknown, i) => {
    const path = `${property}[${i}]`;
    if (containsUnknown(item)) return;
    if (typeof item !== "string") {
      fail(failures, path, `must be a string (got ${typeName(item)})`, rule.item?.fix ?? rule.fix);
      return;
    }
    if (rule.item === undefined) return;
    const reason = stringReason(item, rule.item);
    if (reason !== undefined) fail(failures, path, reason, rule.item.fix);
  });
}

export function checkObject(
  inputs: Inputs,
  property: string,
  rule: ObjectRule,
  failures: CheckFailure[],
): void {
  // Only an object that IS unknown is skipped; one with unknown members is still an object.
  const value = container(inputs, property, rule, failures);
  if (value === undefined) return;
  if (typeof value !== "object" || Array.isArray(value)) {
    fail(failures, property, `must be an object (got ${typeName(value)})`, rule.fix);
  }
}

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

const FIELD_CHECKS = {
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
    FIELD_CHECKS[kind](inputs, `${path}.${field}`, rule, failures);
  }
}

/**
 * A list of objects: its length, then each object item's fields and `each` rule; an unknown list
 * or item is skipped (checked again at `up`).
 */
export function checkList(
  inputs: Inputs,
  property: string,
  rule: { minItems: number; maxItems?: number; fix: string; itemFix: string; fields: Fields },
  failures: CheckFailure[],
  each: (item: Record<string, unknown>, i: number) => void,
): void {
  const { minItems, maxItems, fix } = rule;
  const value = inputs[property];
  if (value === undefined || value === null || (containsUnknown(value) && !Array.isArray(value))) {
    return;
  }
  if (!Array.isArray(value)) {
    failures.push({ property, reason: `must be a list (got ${typeName(value)}). Fix: ${fix}` });
    return;
  }
  const n = value.length;
  if (n < minItems || (maxItems !== undefined && n > maxItems)) {
    const range = maxItems === undefined ? `at least ${minItems}` : `${minItems}–${maxItems}`;
    failures.push({ property, reason: `must have ${range} items (got ${n}). Fix: ${fix}` });
  }
  value.forEach((item: unknown, i) => {
    if (containsUnknown(item) && !isPlainObject(item)) return;
    checkObject(inputs, `${property}[${i}]`, { required: true, fix: rule.itemFix }, failures);
    if (!isPlainObject(item)) return;
    checkFields(inputs, `${property}[${i}]`, rule.fields, failures);
    each(item, i);
  });
}
