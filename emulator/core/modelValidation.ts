/**
 * Request validation against the generated AWS model tables (core/awsModel.ts): unknown members,
 * types, required members, length and value ranges, patterns and enums — what the AWS CLI's own
 * validator (botocore ParamValidator) checks client-side plus the max/pattern/enum rules AWS
 * enforces server-side. Each service turns the problems into its own error code and shape.
 */
import type { AwsModel, ModelMember, ModelShape } from "./awsModel";

export type ProblemKind =
  | "unknown"
  | "required"
  | "type"
  | "minLength"
  | "maxLength"
  | "minValue"
  | "maxValue"
  | "pattern"
  | "enum";

export interface Problem {
  /** `name`, `DiskContainers[0].Format`, `tags.Name` (model member names). */
  path: string;
  kind: ProblemKind;
  /** One line in the style of AWS's validation messages. */
  message: string;
}

const patternCache = new Map<string, RegExp>();

/** AWS patterns match the whole value (Java `matches`); compiled once. */
function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    // No `u` flag: the models use Java escapes (`\/`, `\000`) that unicode mode refuses.
    re = new RegExp(`^(?:${pattern})$`);
    patternCache.set(pattern, re);
  }
  return re;
}

export function memberShape(m: ModelMember): string {
  return typeof m === "string" ? m : m.shape;
}

function shapeOf(model: AwsModel, name: string): ModelShape {
  const shape = model.shapes[name];
  // The generator writes every reachable shape, so a miss is a generator bug, not user input.
  if (shape === undefined) throw new TypeError(`model shape ${name} is missing`);
  return shape;
}

function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return JSON.stringify(v) ?? String(v);
}

/**
 * Every problem of `value` against the operation's input shape; [] when it is valid. `value` is
 * the request as decoded from the wire (JSON protocols: the body; EC2: decodeQuery's result).
 */
export function validateInput(model: AwsModel, operation: string, value: unknown): Problem[] {
  const op = model.operations[operation];
  if (op?.input === undefined) return [];
  const problems: Problem[] = [];
  check(model, op.input, value ?? {}, "", problems);
  return problems;
}

function check(
  model: AwsModel,
  shapeName: string,
  value: unknown,
  path: string,
  out: Problem[],
): void {
  const shape = shapeOf(model, shapeName);
  const at = path === "" ? "input" : path;
  const bad = (kind: ProblemKind, message: string): void => {
    out.push({ path: at, kind, message });
  };
  switch (shape.type) {
    case "structure": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: object`,
        );
        return;
      }
      const record = value as Record<string, unknown>;
      const members = shape.members ?? {};
      for (const req of shape.required ?? []) {
        if (record[req] === undefined || record[req] === null) {
          out.push({
            path: join(path, req),
            kind: "required",
            message: `Missing required parameter in ${at}: "${req}"`,
          });
        }
      }
      for (const [key, v] of Object.entries(record)) {
        const member = members[key];
        if (member === undefined) {
          out.push({
            path: join(path, key),
            kind: "unknown",
            message: `Unknown parameter in ${at}: "${key}", must be one of: ${Object.keys(members).join(", ")}`,
          });
          continue;
        }
        if (v === undefined || v === null) continue;
        check(model, memberShape(member), v, join(path, key), out);
      }
      return;
    }
    case "list": {
      if (!Array.isArray(value)) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: list`,
        );
        return;
      }
      bounds(shape, value.length, at, "length", out);
      value.forEach((item, i) => check(model, shape.member ?? "", item, `${at}[${i}]`, out));
      return;
    }
    case "map": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: map`,
        );
        return;
      }
      const entries = Object.entries(value as Record<string, unknown>);
      bounds(shape, entries.length, at, "length", out);
      for (const [k, v] of entries) {
        if (shape.key !== undefined) check(model, shape.key, k, `${at}.{key}`, out);
        if (shape.value !== undefined) check(model, shape.value, v, `${at}.${k}`, out);
      }
      return;
    }
    case "string": {
      if (typeof value !== "string") {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: string`,
        );
        return;
      }
      bounds(shape, value.length, at, "length", out);
      if (shape.enum !== undefined && !shape.enum.includes(value)) {
        bad(
          "enum",
          `Value ${describe(value)} at '${at}' failed to satisfy constraint: Member must satisfy enum value set: [${shape.enum.join(", ")}]`,
        );
      } else if (shape.pattern !== undefined && !compiled(shape.pattern).test(value)) {
        bad(
          "pattern",
          `Value ${describe(value)} at '${at}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shape.pattern}`,
        );
      }
      return;
    }
    case "integer":
    case "long": {
      if (typeof value !== "number" || !Number.isInteger(value)) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: integer`,
        );
        return;
      }
      bounds(shape, value, at, "value", out);
      return;
    }
    case "double":
    case "float": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: number`,
        );
        return;
      }
      bounds(shape, value, at, "value", out);
      return;
    }
    case "boolean": {
      if (typeof value !== "boolean") {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: boolean`,
        );
      }
      return;
    }
    case "timestamp": {
      const ok =
        (typeof value === "number" && Number.isFinite(value)) ||
        (typeof value === "string" && !Number.isNaN(Date.parse(value))) ||
        value instanceof Date;
      if (!ok) {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: timestamp`,
        );
      }
      return;
    }
    case "blob":
      if (typeof value !== "string") {
        bad(
          "type",
          `Invalid type for parameter ${at}, value: ${describe(value)}, valid types: blob`,
        );
      }
      return;
    default:
      return;
  }
}

function bounds(
  shape: ModelShape,
  n: number,
  at: string,
  what: "length" | "value",
  out: Problem[],
): void {
  if (shape.min !== undefined && n < shape.min) {
    out.push({
      path: at,
      kind: what === "length" ? "minLength" : "minValue",
      message:
        what === "length"
          ? `Invalid length for parameter ${at}, value: ${n}, valid min length: ${shape.min}`
          : `Invalid range for parameter ${at}, value: ${n}, valid min value: ${shape.min}`,
    });
  }
  if (shape.max !== undefined && n > shape.max) {
    out.push({
      path: at,
      kind: what === "length" ? "maxLength" : "maxValue",
      message:
        what === "length"
          ? `Invalid length for parameter ${at}, value: ${n}, valid max length: ${shape.max}`
          : `Invalid range for parameter ${at}, value: ${n}, valid max value: ${shape.max}`,
    });
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
