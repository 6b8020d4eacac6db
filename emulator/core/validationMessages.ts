/**
 * The wording AWS services use for a request that breaks its model's constraints, built from
 * core/modelValidation problems. AWS JSON (Coral) services name a member by its lowerCamel path
 * with 1-based list members (`filters.1.member.name`) and say which constraint failed:
 * `1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: Member must
 * have length less than or equal to 255`.
 */
import type { PathSegment, Problem } from "./modelValidation";

export type PathStyle =
  /** awsJson1_1 (ADS, Migration Hub): `resourceAttributeList.1.member.value`. */
  | "coral"
  /** MGN's fieldList names: the model's member names, 0-based list indexes (`filters.importIDs.0`). */
  | "member";

export function memberPath(segments: readonly PathSegment[], style: PathStyle): string {
  const parts: string[] = [];
  for (const s of segments) {
    if (typeof s === "number") parts.push(style === "coral" ? `${s + 1}.member` : String(s));
    else if (typeof s === "string")
      parts.push(style === "coral" ? s.charAt(0).toLowerCase() + s.slice(1) : s);
    else parts.push(s.key);
  }
  return parts.join(".");
}

/** How Coral shows the offending value: quoted text, JSON for anything else, `null` when absent. */
export function shownValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  return `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
}

/**
 * The constraint a problem broke, in AWS's words; undefined for problems AWS reports otherwise
 * (an unknown member, a value of the wrong JSON type).
 */
export function constraintText(p: Problem): string | undefined {
  switch (p.kind) {
    case "required":
      return "Member must not be null";
    case "minLength":
      return `Member must have length greater than or equal to ${p.shape.min ?? 0}`;
    case "maxLength":
      return `Member must have length less than or equal to ${p.shape.max ?? 0}`;
    case "minValue":
      return `Member must have value greater than or equal to ${p.shape.min ?? 0}`;
    case "maxValue":
      return `Member must have value less than or equal to ${p.shape.max ?? 0}`;
    case "pattern":
      return `Member must satisfy regular expression pattern: ${p.shape.pattern ?? ""}`;
    case "enum":
      return `Member must satisfy enum value set: [${(p.shape.enum ?? []).join(", ")}]`;
    case "type":
    case "unknown":
      return undefined;
  }
}

/** `N validation error(s) detected: Value … at '…' failed to satisfy constraint: …; …`. */
export function coralMessage(problems: readonly Problem[]): string {
  const n = problems.length;
  const each = problems.map(
    (p) =>
      `Value ${shownValue(p.value)} at '${memberPath(p.segments, "coral")}' failed to satisfy constraint: ${constraintText(p) ?? ""}`,
  );
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${each.join("; ")}`;
}

/** The JSON type a shape wants, as a phrase: "a string", "an integer", … */
export function typePhrase(type: string): string {
  switch (type) {
    case "integer":
    case "long":
      return "an integer";
    case "double":
    case "float":
      return "a number";
    case "structure":
      return "a structure";
    case "list":
      return "a list";
    case "map":
      return "a map";
    case "boolean":
      return "a boolean";
    case "timestamp":
      return "a timestamp";
    default:
      return `a ${type}`;
  }
}
