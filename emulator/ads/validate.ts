import type { JsonObject, JsonValue } from "../core/service";
import { invalidParameterValue, missingMember, validationError, wrongType } from "./errors";

/** Constraint checks on wire values (botocore discovery 2015-11-01 shapes, aws-apis.md §1.2–1.4). */
export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  /** The pattern as the AWS model spells it (shown in the message). */
  readonly pattern?: string;
  /** Matched against the whole value. */
  readonly regex?: RegExp;
  readonly values?: readonly string[];
}

export function requiredString(
  member: string,
  value: JsonValue | undefined,
  rule: StringRule,
): string {
  const s = optionalString(member, value, rule);
  if (s === undefined) throw missingMember(member);
  return s;
}

export function optionalString(
  member: string,
  value: JsonValue | undefined,
  rule: StringRule,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw wrongType(member, "a string");
  if (rule.min !== undefined && value.length < rule.min)
    throw validationError(
      member,
      value,
      `Member must have length greater than or equal to ${rule.min}`,
    );
  if (rule.max !== undefined && value.length > rule.max)
    throw validationError(
      member,
      value,
      `Member must have length less than or equal to ${rule.max}`,
    );
  if (rule.regex && !rule.regex.test(value))
    throw validationError(
      member,
      value,
      `Member must satisfy regular expression pattern: ${rule.pattern ?? rule.regex.source}`,
    );
  if (rule.values && !rule.values.includes(value))
    throw validationError(
      member,
      value,
      `Member must satisfy enum value set: [${rule.values.join(", ")}]`,
    );
  return value;
}

export function optionalInt(
  member: string,
  value: JsonValue | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType(member, "an integer");
  if (value < min)
    throw validationError(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max)
    throw validationError(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBool(member: string, value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw wrongType(member, "a boolean");
  return value;
}

/** A list member with length bounds; undefined when absent. */
export function optionalList(
  member: string,
  value: JsonValue | undefined,
  min: number,
  max: number,
): JsonValue[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(member, "a list");
  if (value.length < min)
    throw validationError(member, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max)
    throw validationError(member, value, `Member must have length less than or equal to ${max}`);
  return value;
}

export function structure(member: string, value: JsonValue | undefined): JsonObject {
  if (value === null || value === undefined || typeof value !== "object" || Array.isArray(value))
    throw wrongType(member, "a structure");
  return value;
}

/**
 * Opaque page tokens: base64 of the sequence number of the last task returned, so a page boundary
 * stays put when earlier tasks vanish (deleteHistory) between calls.
 */
export function encodeToken(afterSeq: number): string {
  return Buffer.from(`ads-import-tasks:${afterSeq}`).toString("base64");
}

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^ads-import-tasks:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
  if (!m || encodeToken(Number(m[1])) !== token)
    throw invalidParameterValue("The value of nextToken is not valid.");
  return Number(m[1]);
}
