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

/** A step from the input root: a member name, a 0-based list index, or a map key (`{ key }`). */
export type PathSegment = string | number | { readonly key: string };

export interface Problem {
  /** `name`, `DiskContainers[0].Format`, `tags.Name` (model member names). */
  path: string;
  kind: ProblemKind;
  /** One line in the style of the AWS CLI's own validator (botocore ParamValidator). */
  message: string;
  /** The same place as `path`, step by step, so each service can spell it its own way. */
  segments: readonly PathSegment[];
  /** The offending value (undefined for a missing member). */
  value: unknown;
  /** The shape the value broke (the member's shape; for `unknown`, the enclosing structure). */
  shape: ModelShape;
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
  check(model, op.input, value ?? {}, [], problems);
  return problems;
}

/** The first problem at each place: AWS reports one broken constraint per member. */
export function firstPerMember(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (seen.has(p.path)) return false;
    seen.add(p.path);
    return true;
  });
}

function pathText(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (typeof s === "string") out += out === "" ? s : `.${s}`;
    else out += out === "" ? s.key : `.${s.key}`;
  }
  return out;
}

function check(
  model: AwsModel,
  shapeName: string,
  value: unknown,
  segments: readonly PathSegment[],
  out: Problem[],
): void {
  const shape = shapeOf(model, shapeName);
  const path = pathText(segments);
  const at = path === "" ? "input" : path;
  const bad = (kind: ProblemKind, message: string): void => {
    out.push({ path: at, kind, message, segments, value, shape });
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
      const required = new Set(shape.required ?? []);
      // In model order, as AWS's validators walk a structure.
      for (const [key, member] of Object.entries(members)) {
        const v = record[key];
        if (v === undefined || v === null) {
          if (required.has(key)) {
            out.push({
              path: join(path, key),
              kind: "required",
              message: `Missing required parameter in ${at}: "${key}"`,
              segments: [...segments, key],
              value: undefined,
              shape: shapeOf(model, memberShape(member)),
            });
          }
          continue;
        }
        check(model, memberShape(member), v, [...segments, key], out);
      }
      for (const key of Object.keys(record)) {
        if (Object.hasOwn(members, key)) continue;
        out.push({
          path: join(path, key),
          kind: "unknown",
          message: `Unknown parameter in ${at}: "${key}", must be one of: ${Object.keys(members).join(", ")}`,
          segments: [...segments, key],
          value: record[key],
          shape,
        });
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
      bounds(shape, value, value.length, at, segments, "length", out);
      value.forEach((item, i) => check(model, shape.member ?? "", item, [...segments, i], out));
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
      bounds(shape, value, entries.length, at, segments, "length", out);
      for (const [k, v] of entries) {
        if (shape.key !== undefined) check(model, shape.key, k, [...segments, { key: k }], out);
        if (shape.value !== undefined) check(model, shape.value, v, [...segments, k], out);
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
      bounds(shape, value, value.length, at, segments, "length", out);
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
      bounds(shape, value, value, at, segments, "value", out);
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
      bounds(shape, value, value, at, segments, "value", out);
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
  value: unknown,
  n: number,
  at: string,
  segments: readonly PathSegment[],
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
      segments,
      value,
      shape,
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
      segments,
      value,
      shape,
    });
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
