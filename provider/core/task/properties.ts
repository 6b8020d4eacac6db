/**
 * The property table: each input once — its check rule, replace or update, default, secrecy and
 * AWS field name. check(), asInputs/inputsOf and diff are all derived from it.
 */
import type { ProviderSettings } from "../config";
import {
  type BooleanRule,
  type CheckFailure,
  CHECKS,
  type IntegerRule,
  isPlainObject,
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
  /** The whole value is kept secret in state and never printed (MGN's sensitive tags). */
  secret?: boolean;
  /** Only this leaf is secret (`["[]", "url"]`), if `when` accepts it: the rest stays readable. */
  secretLeaf?: { path: readonly string[]; when?: (leaf: string) => boolean };
  /** The AWS request field it maps to, when it maps to one. */
  awsName?: string;
  /** `rule.required` is waived while this other input is set (e.g. the adopt-by-ID input). */
  requiredUnless?: string;
  /** A further rule once the table's passed and the value is known: the reason, or undefined. */
  refine?(value: unknown, ctx: { settings: ProviderSettings }): string | undefined;
  /** What diff compares (e.g. a presigned URL without its signature). @default the value */
  compareAs?(value: unknown): unknown;
  /**
   * Rules for an object input's members, right after its own rule passed (table order); each skips
   * members unknown in preview. `ctx`: settings, for rules on them (EC2: the endpoint's origin).
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

/** Every rule of the table in table order (cross-field rules are checkMore's); unknowns skip. */
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
    if (rule.kind !== "custom") CHECKS[rule.kind](news, key, rule, failures);
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

/** Whether a value has the kind's type (wrong types were reported by check). */
const HAS_KIND: Record<PropertyRule["kind"], (v: unknown) => boolean> = {
  string: (v) => typeof v === "string",
  integer: (v) => typeof v === "number" && Number.isFinite(v),
  boolean: (v) => typeof v === "boolean",
  stringArray: (v) => Array.isArray(v) && v.every((s) => typeof s === "string"),
  object: isPlainObject,
  custom: (v) => v !== null,
};

/** Narrows untyped inputs after check(): every table key (undefined when absent or mistyped). */
export function asInputs<I extends object>(
  table: PropertyTable<I>,
  raw: Record<string, unknown>,
): Inputs<I> {
  const out: Record<string, unknown> = {};
  for (const [key, p] of entries(table)) {
    const v = raw[key];
    const value = p.narrow === undefined ? (HAS_KIND[p.rule.kind](v) ? v : undefined) : p.narrow(v);
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

/** The recorded inputs echoed (diff reads them back) and the task's `keys`, normalized. */
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

/** The conventional `waitTimeoutMinutes` input: up to 7 days (beyond, a wait is a mistake). */
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

/** The core inputs every import of a file has beside its table's own (sourceArgs.ts documents them). */
export interface SourceInputs {
  sourceEtag?: string;
}

/** `sourceEtag`: not sent to AWS, but the start token is chained with it (provider.ts). */
export const sourceEtagProperty: PropertySpec = {
  rule: {
    kind: "string",
    minLength: 1,
    maxLength: 1024,
    pattern: /^[\x20-\x7e]+$/,
    patternText: "printable ASCII (quotes allowed)",
    fix: 'pass the S3 object\'s ETag as S3 reports it, e.g. aws.s3.BucketObjectv2 etag or "9b2cf535f27731c974343645a3985328"',
  },
  change: "replace",
};

/** Per property path (`diskContainers[0].s3Key`): Pulumi's PropertyDiff kind (provider.proto). */
export type DetailedDiff = Record<
  string,
  { kind: `${"add" | "delete" | "update"}${"" | "-replace"}`; inputDiff: boolean }
>;

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** `a.b`, `a[0]`, `a["x.y"]`: Pulumi's property path syntax. */
function pathOf(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

/** The leaves where `a` and `b` differ: nested paths for objects and lists, else `path` itself. */
function leafDiffs(
  path: string,
  a: unknown,
  b: unknown,
  replace: boolean,
  nested: boolean,
  out: DetailedDiff,
): void {
  const suffix = replace ? "-replace" : "";
  if (a === undefined || b === undefined) {
    out[path] = { kind: `${a === undefined ? "add" : "delete"}${suffix}`, inputDiff: true };
    return;
  }
  const bothLists = Array.isArray(a) && Array.isArray(b);
  const bothObjects = isPlainObject(a) && isPlainObject(b);
  if (!nested || (!bothLists && !bothObjects)) {
    out[path] = { kind: `update${suffix}`, inputDiff: true };
    return;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = bothLists
    ? [...Array(Math.max((a as unknown[]).length, (b as unknown[]).length)).keys()]
    : [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  for (const key of keys) {
    const [u, v] = [x[key], y[key]];
    if (canonicalJson(u) !== canonicalJson(v))
      leafDiffs(pathOf(path, key), u, v, replace, true, out);
  }
}

/** Whether a compared form keeps the value's layout, so paths into it name the user's values. */
function keepsLayout(compare: (v: unknown) => unknown, raw: unknown, compared: unknown): boolean {
  const keys = (v: unknown): string => canonicalJson(isPlainObject(v) ? Object.keys(v).sort() : v);
  if (isPlainObject(raw)) return keys(raw) === keys(compared);
  if (!Array.isArray(raw)) return true;
  const list = Array.isArray(compared) ? (compared as unknown[]) : [];
  if (list.length !== raw.length || raw.some((v, i) => typeof v !== typeof list[i])) return false;
  // An element-wise form maps a reversed list to its reverse; a set's sorted form does not.
  const reversed = canonicalJson(compare([...(raw as unknown[])].reverse()));
  return reversed === canonicalJson([...list].reverse());
}

/**
 * The table's diff against the recorded outputs: a replace key that differs (or is unknown)
 * replaces, an update key is a change, defaults applied; adopting the task this resource already
 * manages (`adoptProperty` equal to `id`) is none. Each changed path goes into `detailedDiff`.
 * A spec's diffMore facts (`more`) add replaces, and a bare `changes` as a change of the status.
 */
export function diffProperties<I extends object>(
  table: PropertyTable<I>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  options: {
    id?: string;
    adoptProperty?: string;
    more?: { replaces?: string[]; changes?: boolean } | undefined;
    statusKey?: string;
  } = {},
  detailedDiff: DetailedDiff = {},
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
    const [rawBefore, rawAfter] = [effective(table, olds, key), effective(table, news, key)];
    const [before, after] = [compare(rawBefore), compare(rawAfter)];
    if (!unknown && canonicalJson(before) === canonicalJson(after)) continue;
    const replace = p.change === "replace";
    if (replace) replaces.push(key);
    else changes = true;
    // Unknown in preview, or compared in a form that reshapes it (a set): the property as a whole.
    const nested =
      !unknown && keepsLayout(compare, rawBefore, before) && keepsLayout(compare, rawAfter, after);
    leafDiffs(key, before, unknown ? null : after, replace, nested, detailedDiff);
  }
  for (const key of options.more?.replaces ?? []) {
    if (!replaces.includes(key)) replaces.push(key);
    detailedDiff[key] ??= { kind: "update-replace", inputDiff: true };
  }
  if (options.more?.changes === true) {
    changes = true;
    detailedDiff[options.statusKey ?? "status"] ??= { kind: "update", inputDiff: false };
  }
  return { changes: changes || replaces.length > 0, replaces, deleteBeforeReplace: false };
}
