/** Small pieces specs share: acceptors, token facts, error advice, map checks, pagination. */
import { type AwsModel, modelRule } from "../awsModel";
import {
  type CheckFailure,
  checkFields,
  type Fields,
  getPath,
  isPlainObject,
  type StringRule,
  typeName,
} from "../check";
import type { ProviderSettings } from "../config";
import { type AwsApiError, isAwsApiError, withAdvice } from "../errors";
import { deriveToken, successorToken } from "../tokens";
import { containsUnknown, isUnknown } from "../unknown";
import type { Acceptor } from "../waiter";

/** Acceptors as data: an observation's class ("success", "failure", else pending) decides. */
export function acceptorsFrom<T>(
  classOf: (o: T | undefined) => string,
): readonly Acceptor<T | undefined>[] {
  return (["success", "failure"] as const).map((verdict) => ({
    verdict,
    matches: (o) => classOf(o) === verdict,
  }));
}

/** A spec's `fallbackToken` and `successorToken` from the task's `identity`, cut to `maxLength`. */
export function tokenFacts<I>(
  type: string,
  maxLength: number,
  identity: (inputs: I) => { name: string; inputs: Record<string, unknown> },
): {
  fallbackToken(inputs: I): string;
  successorToken(token: string, failedTaskId: string): string;
} {
  return {
    fallbackToken: (inputs) =>
      deriveToken({ stack: "", project: "", type, ...identity(inputs) }, { maxLength }),
    successorToken: (token, failedTaskId) =>
      successorToken(type, token, failedTaskId, { maxLength }),
  };
}

/** A spec's `explain`: an AwsApiError gets `advice` when it knows the fix; others pass unchanged. */
export function explainWith(
  advice: (err: AwsApiError, settings: ProviderSettings) => string | undefined,
): (err: unknown, settings: ProviderSettings) => unknown {
  return (err, settings) => {
    if (!isAwsApiError(err)) return err;
    const text = advice(err, settings);
    return text === undefined ? err : withAdvice(err, text);
  };
}

/** A map of strings: its entry count (`fix` says what to do about too many), key and value rules. */
export interface MapRule {
  maxEntries?: number;
  fix: string;
  key: StringRule;
  value: StringRule;
  /** A key prefix AWS reserves (`aws:`). */
  reservedPrefix?: string;
}

/** The MapRule the model gives `structure.member` (a map shape); `extra` adds the fixes. */
export function modelMapRule(
  model: AwsModel,
  structure: string,
  member: string,
  extra: Omit<MapRule, "maxEntries">,
): MapRule {
  const ref = model.shapes[structure]?.members?.[member];
  const map = model.shapes[typeof ref === "string" ? ref : (ref?.shape ?? "")];
  // modelRule reads members of a structure: the map's key and value are seen as one.
  const entry = { type: "structure", members: { key: map?.key ?? "", value: map?.value ?? "" } };
  const withEntry = { ...model, shapes: { ...model.shapes, "(entry)": entry } };
  return {
    ...extra,
    ...(map?.max === undefined ? {} : { maxEntries: map.max }),
    key: modelRule(withEntry, "(entry)", "key", extra.key),
    value: modelRule(withEntry, "(entry)", "value", extra.value),
  };
}

/** One string against `rule`, reported at `property` (keys may hold dots a path would split). */
const checkOne = (value: string, property: string, rule: StringRule, prefix = ""): CheckFailure[] =>
  checkMembers({ entry: { value } }, "entry", { value: ["string", rule] }).map((f) => ({
    property,
    reason: `${prefix}${f.reason}`,
  }));

/** The entries of the map at `property`, once it is an object; unknown members are skipped. */
export function checkMap(
  news: Record<string, unknown>,
  property: string,
  rule: MapRule,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const map = news[property];
  if (!isPlainObject(map)) return failures;
  const entries = Object.entries(map);
  if (rule.maxEntries !== undefined && entries.length > rule.maxEntries) {
    const reason = `must have at most ${rule.maxEntries} entries (got ${entries.length}). Fix: ${rule.fix}`;
    failures.push({ property, reason });
  }
  for (const [key, value] of entries) {
    if (isUnknown(key)) continue;
    const keyFailures = checkOne(key, `${property}.${key.slice(0, 40)}`, rule.key, "key ");
    const prefix = rule.reservedPrefix;
    if (keyFailures.length === 0 && prefix !== undefined && key.toLowerCase().startsWith(prefix)) {
      const reason = `key must not start with "${prefix}" (reserved for AWS). Fix: choose another key`;
      keyFailures.push({ property: `${property}.${key}`, reason });
    }
    failures.push(...keyFailures);
    if (containsUnknown(value)) continue;
    if (typeof value === "string")
      failures.push(...checkOne(value, `${property}.${key}`, rule.value));
    else {
      const reason = `must be a string (got ${typeName(value)}). Fix: quote the value`;
      failures.push({ property: `${property}.${key}`, reason });
    }
  }
  return failures;
}

/** The fields of the object at `path` (`a.b`), once it is an object. */
export function checkMembers(
  news: Record<string, unknown>,
  path: string,
  fields: Fields,
): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (isPlainObject(getPath(news, path))) checkFields(news, path, fields, failures);
  return failures;
}

/** Visits every item of a paginated list, one `page` call per page ("" ends it like no token). */
export async function paginate<T>(
  page: (nextToken: string | undefined) => Promise<{ items?: readonly T[]; nextToken?: string }>,
  visit: (item: T) => void,
): Promise<void> {
  let token: string | undefined;
  do {
    const out = await page(token);
    (out.items ?? []).forEach(visit);
    token = out.nextToken === "" ? undefined : out.nextToken;
  } while (token !== undefined);
}

/** A `checkMore` rule: `property` true has no effect while `other` is `value` (`why` says why). */
export function noEffectWhen(
  property: string,
  other: string,
  value: boolean,
  why: string,
): (news: Record<string, unknown>) => CheckFailure[] {
  return (news) => {
    if (news[property] !== true || news[other] !== value) return [];
    const reason = `has no effect when ${other} is ${value} (${why}). Fix: remove ${property} or set ${other} to ${!value}.`;
    return [{ property, reason }];
  };
}
