/**
 * The property table: each input once — its check rule, whether a change replaces the resource or
 * updates it in place, its default, whether it is secret, and its AWS field name. check(),
 * inputs normalisation (asInputs/inputsOf) and diff are all derived from it.
 */
import type { BooleanRule, IntegerRule, ObjectRule, StringArrayRule, StringRule } from "../check";

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
}

export type PropertyTable<I extends object> = { readonly [K in keyof I & string]-?: PropertySpec };
