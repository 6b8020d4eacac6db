import type { JsonValue } from "../core/service";
import { invalidInput, validationError } from "./errors";

/** Constraint checks on wire values, each raising the AWS validation message for its member. */
export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  /** The pattern as the AWS model spells it (shown in the message); matched against the whole value. */
  readonly pattern?: string;
  readonly regex?: RegExp;
  readonly values?: readonly string[];
}

export function requiredString(
  member: string,
  value: JsonValue | undefined,
  rule: StringRule,
): string {
  if (value === undefined || value === null)
    throw validationError(member, value, "Member must not be null");
  return optionalString(member, value, rule) as string;
}

export function optionalString(
  member: string,
  value: JsonValue | undefined,
  rule: StringRule,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidInput(`Value for '${member}' must be a string`);
  if (rule.min !== undefined && value.length < rule.min) {
    throw validationError(
      member,
      value,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw validationError(
      member,
      value,
      `Member must have length less than or equal to ${rule.max}`,
    );
  }
  if (rule.regex && !rule.regex.test(value)) {
    throw validationError(
      member,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern ?? rule.regex.source}`,
    );
  }
  if (rule.values && !rule.values.includes(value)) {
    throw validationError(
      member,
      value,
      `Member must satisfy enum value set: [${rule.values.join(", ")}]`,
    );
  }
  return value;
}

export function optionalInt(
  member: string,
  value: JsonValue | undefined,
  min: number,
  max?: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw invalidInput(`Value for '${member}' must be an integer`);
  if (value < min)
    throw validationError(member, value, `Member must have value greater than or equal to ${min}`);
  if (max !== undefined && value > max)
    throw validationError(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function requiredInt(
  member: string,
  value: JsonValue | undefined,
  min: number,
  max?: number,
): number {
  if (value === undefined || value === null)
    throw validationError(member, value, "Member must not be null");
  return optionalInt(member, value, min, max) as number;
}

export function optionalBool(member: string, value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw invalidInput(`Value for '${member}' must be a boolean`);
  return value;
}

/** Opaque page tokens: base64 of the offset into the sorted list (fits `^[a-zA-Z0-9\/\+\=]{0,2048}$`). */
export function encodeToken(offset: number): string {
  return Buffer.from(`page:${offset}`).toString("base64");
}

export function decodeToken(member: string, token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const m = /^page:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
  if (!m || encodeToken(Number(m[1])) !== token) throw invalidInput(`The ${member} is invalid.`);
  return Number(m[1]);
}

/** One page of `items` from the offset in `token`. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  maxResults: number,
): { page: T[]; next?: string } {
  const start = decodeToken("NextToken", token);
  const page = items.slice(start, start + maxResults);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeToken(end) } : { page };
}
