/** The constraint tables scripts/gen-aws-models.ts generates from botocore's service-2.json. */
import type { IntegerRule, StringRule } from "./check";

/** A member: its shape name, or the shape plus its wire name / location when they differ. */
export type ModelMember =
  | string
  | {
      shape: string;
      /** The model's locationName (or EC2 queryName when `query`). */
      wire?: string;
      query?: boolean;
      /** REST binding: uri, querystring, header. */
      location?: string;
    };

export interface ModelShape {
  type: string;
  required?: readonly string[];
  members?: Readonly<Record<string, ModelMember>>;
  /** List member shape. */
  member?: string;
  /** Map key and value shapes. */
  key?: string;
  value?: string;
  /** Length (strings, lists, maps) or value (numbers) bounds. */
  min?: number;
  max?: number;
  pattern?: string;
  enum?: readonly string[];
  flattened?: boolean;
}

export interface AwsModel {
  protocol: string;
  operations: Readonly<Record<string, { input?: string; errors: readonly string[] }>>;
  shapes: Readonly<Record<string, ModelShape>>;
}

/** What a model member's shape says about a value: a check rule's length/pattern/enum/range part. */
export type ModelRule = Omit<StringRule, "required" | "fix"> &
  Omit<IntegerRule, "required" | "fix">;

/**
 * The rule AWS's model gives `structure.member` (issue 13), with `extra` (the fix, a readable
 * patternText, a stricter documented rule) merged over it. Patterns are anchored, as AWS's are.
 */
export function modelRule<E extends object>(
  model: AwsModel,
  structure: string,
  member: string,
  extra: E,
): ModelRule & E {
  const ref = model.shapes[structure]?.members?.[member];
  const shape = model.shapes[typeof ref === "string" ? ref : (ref?.shape ?? "")];
  if (shape === undefined) throw new RangeError(`no model member ${structure}.${member}`);
  const rule: ModelRule = {};
  if (shape.type === "string") {
    if (shape.min !== undefined && shape.min > 0) rule.minLength = shape.min;
    if (shape.max !== undefined) rule.maxLength = shape.max;
    if (shape.pattern !== undefined) {
      const p = shape.pattern;
      rule.pattern = new RegExp(p.startsWith("^") && p.endsWith("$") ? p : `^(?:${p})$`);
      rule.patternText = p;
    }
    if (shape.enum !== undefined) rule.oneOf = shape.enum;
  } else {
    if (shape.min !== undefined) rule.min = shape.min;
    if (shape.max !== undefined) rule.max = shape.max;
  }
  return { ...rule, ...extra };
}
