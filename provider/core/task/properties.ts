/**
 * The property table: each input once — its check rule, whether a change replaces the resource or
 * updates it in place, its default, whether it is secret, and its AWS field name. check(),
 * inputs normalisation (asInputs/inputsOf) and diff are all derived from it.
 */
import type { ProviderSettings } from "../config";
import {
  type BooleanRule,
  type CheckFailure,
  checkBoolean,
  checkInteger,
  checkObject,
  checkString,
  checkStringArray,
  type IntegerRule,
  type ObjectRule,
  type StringArrayRule,
  type StringRule,
} from "../check";
import { normalizeOutputs, type OutputValue } from "../outputs";
import { canonicalJson } from "../tokens";
import { containsUnknown } from "../unknown";
import type { Target } from "../credentials";
import { TARGET_KEYS, TARGET_PROPERTIES } from "./target";

export type PropertyRule =
  | ({ kind: "string" } & StringRule)
  | ({ kind: "integer" } & IntegerRule)
  | ({ kind: "boolean" } & BooleanRule)
  | ({ kind: "stringArray" } & StringArrayRule)
  | ({ kind: "object" } & ObjectRule)
  /** Checked by the spec's checkMore (nested shapes); the table still drives diff and inputs. */
  | { kind: "custom" };

export interface PropertySpec {
  rule: PropertyRule;
  /** A change replaces the resource (the AWS task cannot change), or updates it in place. */
  change: "replace" | "update";
  /** The effective value when unset: spelling out a default is no change. */
  default?: unknown;
  /** Presigned URLs and the like: kept secret in state and never printed. */
  secret?: boolean;
  /** The AWS request field it maps to, when it maps to one. */
  awsName?: string;
  /** `rule.required` is waived while this other input is set (e.g. the adopt-by-ID input). */
  requiredUnless?: string;
  /** A further rule once the table's passed and the value is known: the reason, or undefined. */
  refine?(value: unknown, ctx: { settings: ProviderSettings }): string | undefined;
  /** What diff compares (e.g. a presigned URL without its signature). @default the value */
  compareAs?(value: unknown): unknown;
  /**
   * Rules for the members of an object input (`s3BucketSource.s3Key`), run right after its own
   * rule passed so failures keep table order; each skips members unknown in preview. `ctx` gives
   * the settings to rules that depend on them (EC2: an http disk URL on the endpoint's origin).
   */
  checkNested?(news: Record<string, unknown>, ctx: { settings: ProviderSettings }): CheckFailure[];
  /** Narrows a nested value (drops mistyped members). @default by `rule.kind` */
  narrow?(value: unknown): unknown;
  /** A difference diff ignores, given both sides (MGN: an adopted import's tags are MGN's). */
  unchangedWhen?(olds: Record<string, unknown>, news: Record<string, unknown>): boolean;
}

export type PropertyTable<I extends object> = { readonly [K in keyof I & string]-?: PropertySpec };

/** Typed inputs as the core hands them around: the table's keys, target.ts's, the provider. */
export type Inputs<I extends object> = I & Target & { __provider?: string };

/** The table's entries, then the target inputs every resource has (target.ts). */
function entries<I extends object>(table: PropertyTable<I>): [string, PropertySpec][] {
  return Object.entries({ ...table, ...TARGET_PROPERTIES });
}

/**
 * Every rule of the table, in table order (each property's `refine` right after its rule), then
 * nothing else: cross-field rules are the spec's checkMore. Values unknown in preview are skipped.
 */
export function checkProperties<I extends object>(
  table: PropertyTable<I>,
  news: Record<string, unknown>,
  ctx: { settings: ProviderSettings },
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const [key, p] of entries(table)) {
    const before = failures.length;
    const waived = p.requiredUnless !== undefined && news[p.requiredUnless] !== undefined;
    const rule = waived ? { ...p.rule, required: false } : p.rule;
    switch (rule.kind) {
      case "string":
        checkString(news, key, rule, failures);
        break;
      case "integer":
        checkInteger(news, key, rule, failures);
        break;
      case "boolean":
        checkBoolean(news, key, rule, failures);
        break;
      case "stringArray":
        checkStringArray(news, key, rule, failures);
        break;
      case "object":
        checkObject(news, key, rule, failures);
        break;
      case "custom":
        break;
    }
    if (p.checkNested !== undefined && failures.length === before) {
      failures.push(...p.checkNested(news, ctx));
    }
    const value = news[key];
    if (p.refine === undefined || failures.length > before) continue;
    if (value === undefined || value === null || containsUnknown(value)) continue;
    const reason = p.refine(value, ctx);
    if (reason !== undefined) failures.push({ property: key, reason });
  }
  return failures;
}

/** The value if it has the rule's type, else undefined (wrong types were reported by check). */
function narrow(rule: PropertyRule, v: unknown): unknown {
  switch (rule.kind) {
    case "string":
      return typeof v === "string" ? v : undefined;
    case "integer":
      return typeof v === "number" && Number.isFinite(v) ? v : undefined;
    case "boolean":
      return typeof v === "boolean" ? v : undefined;
    case "stringArray":
      return Array.isArray(v) && v.every((s) => typeof s === "string") ? v : undefined;
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined;
    case "custom":
      return v ?? undefined;
  }
}

/** Narrows untyped inputs after check(): every table key (undefined when absent or mistyped). */
export function asInputs<I extends object>(
  table: PropertyTable<I>,
  raw: Record<string, unknown>,
): Inputs<I> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of entries(table)) {
    const value = p.narrow === undefined ? narrow(p.rule, raw[key]) : p.narrow(raw[key]);
    // Unset target inputs are left out: a resource that names none reads as it always did.
    if (value !== undefined || key in table) out[key] = value;
  }
  const provider = raw["__provider"];
  out["__provider"] = typeof provider === "string" ? provider : undefined;
  return out as Inputs<I>;
}

/** The recorded inputs of a resource, read back from its outputs (and `__provider`). */
export function inputsOf<I extends object>(
  table: PropertyTable<I>,
  props: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...Object.keys(table), ...TARGET_KEYS, "__provider"]) {
    if (props[key] !== undefined) out[key] = props[key];
  }
  return out;
}

/**
 * The usual outputs: the recorded inputs echoed (diff reads them back) and the task's fields named
 * in `keys`, normalized for the host (no undefined, Dates as ISO 8601).
 */
export function echoOutputs<I extends object, T extends object>(
  table: PropertyTable<I>,
  raw: Record<string, unknown>,
  task: T,
  keys: readonly (keyof T & string)[],
): Record<string, OutputValue> {
  const fields: Record<string, unknown> = {};
  for (const key of keys) fields[key] = task[key];
  return normalizeOutputs({ ...inputsOf(table, raw), ...fields });
}

/** Effective value of an input (`undefined` → its default), so spelling out a default is no change. */
export function effective<I extends object>(
  table: PropertyTable<I>,
  inputs: Record<string, unknown>,
  key: string,
): unknown {
  const v = inputs[key];
  if (v !== undefined) return v;
  return (table as Record<string, PropertySpec | undefined>)[key]?.default;
}

/**
 * The conventional `waitTimeoutMinutes` input: whole minutes up to 7 days (beyond which a wait is
 * a mistake, not a plan), updated in place; `defaultMinutes` applies when neither the input nor
 * stack config sets it.
 */
export function waitTimeoutProperty(defaultMinutes: number): PropertySpec {
  return {
    rule: {
      kind: "integer",
      min: 1,
      max: 10_080,
      fix: "use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
    },
    change: "update",
    default: defaultMinutes,
  };
}

/** The wait limit: the input, then stack config `awsMigration:waitTimeoutMinutes`, then the default. */
export function waitTimeoutMs<I extends object>(
  table: PropertyTable<I>,
  inputs: object,
  configMinutes: number | undefined,
): number {
  const given = (inputs as Record<string, unknown>)["waitTimeoutMinutes"];
  const fallback = effective(table, {}, "waitTimeoutMinutes");
  const minutes =
    typeof given === "number"
      ? given
      : (configMinutes ?? (typeof fallback === "number" ? fallback : 120));
  return minutes * 60_000;
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * The table's diff. `olds` are the recorded outputs (inputs echoed + task outputs). Replace keys
 * that differ (or are unknown in preview) replace; update keys that differ (defaults applied) or
 * are unknown are a change; `__provider` alone is no change. Adopting the task this resource
 * already manages (`adoptProperty` equal to `id`) changes nothing.
 */
export function diffProperties<I extends object>(
  table: PropertyTable<I>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  options: { id?: string; adoptProperty?: string } = {},
): DiffResult {
  const replaces: string[] = [];
  let changes = false;
  for (const [key, p] of entries(table)) {
    const next = news[key];
    const unknown = containsUnknown(next);
    if (p.change === "replace" && key === options.adoptProperty && !unknown) {
      if (next !== undefined && next === options.id) continue;
    }
    if (!unknown && p.unchangedWhen?.(olds, news) === true) continue;
    const compare = (v: unknown): unknown => (p.compareAs === undefined ? v : p.compareAs(v));
    const same =
      canonicalJson(compare(effective(table, olds, key))) ===
      canonicalJson(compare(effective(table, news, key)));
    if (!unknown && same) continue;
    if (p.change === "replace") replaces.push(key);
    else changes = true;
  }
  return { changes: changes || replaces.length > 0, replaces, deleteBeforeReplace: false };
}
