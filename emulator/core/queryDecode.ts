/**
 * Turns EC2 Query parameters (`DiskContainer.1.UserBucket.S3Bucket=...`) into the structure of
 * the operation's input shape, keyed by model member names, so modelValidation checks EC2
 * requests like JSON ones. Wire names follow botocore's EC2 serializer: queryName, else the
 * locationName with its first letter upper-cased, else the member name; lists are always
 * flattened as `Name.N` (1-based).
 */
import type { AwsModel, ModelShape } from "./awsModel";
import { memberShape, type PathSegment, type Problem } from "./modelValidation";

/**
 * Parameters every EC2 Query request carries besides the operation's input, and SigV4's
 * query-string authentication (`X-Amz-Signature`, …) on a presigned GET.
 */
const ENVELOPE = new Set(["Action", "Version"]);
const isEnvelope = (key: string): boolean => ENVELOPE.has(key) || key.startsWith("X-Amz-");

export interface Decoded {
  value: Record<string, unknown>;
  problems: Problem[];
}

function wireName(members: ModelShape["members"], member: string): string {
  const def = members?.[member];
  if (def === undefined || typeof def === "string" || def.wire === undefined) return member;
  if (def.query === true) return def.wire;
  return def.wire.charAt(0).toUpperCase() + def.wire.slice(1);
}

export function decodeEc2Query(
  model: AwsModel,
  operation: string,
  params: Readonly<Record<string, string>>,
): Decoded {
  const input = model.operations[operation]?.input;
  const problems: Problem[] = [];
  const used = new Set<string>();
  const value =
    input === undefined ? {} : (decodeStructure(model, input, "", params, used, problems) ?? {});
  const root = input === undefined ? undefined : model.shapes[input];
  for (const key of Object.keys(params)) {
    if (isEnvelope(key) || used.has(key)) continue;
    problems.push({
      path: key,
      kind: "unknown",
      message: `The parameter ${key.split(".")[0] ?? key} is not recognized`,
      segments: [key],
      value: params[key],
      shape: root ?? { type: "structure" },
    });
  }
  return { value, problems };
}

function shape(model: AwsModel, name: string): ModelShape {
  const s = model.shapes[name];
  if (s === undefined) throw new TypeError(`model shape ${name} is missing`);
  return s;
}

/** True when some parameter lies under `prefix` (`prefix.` or exactly `prefix`). */
function hasPrefix(params: Readonly<Record<string, string>>, prefix: string): boolean {
  const dotted = `${prefix}.`;
  return Object.keys(params).some((k) => k === prefix || k.startsWith(dotted));
}

function decodeStructure(
  model: AwsModel,
  name: string,
  prefix: string,
  params: Readonly<Record<string, string>>,
  used: Set<string>,
  problems: Problem[],
): Record<string, unknown> | undefined {
  const s = shape(model, name);
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [member, def] of Object.entries(s.members ?? {})) {
    const wire = wireName(s.members, member);
    const key = prefix === "" ? wire : `${prefix}.${wire}`;
    const v = decodeValue(model, memberShape(def), key, params, used, problems);
    if (v !== undefined) {
      out[member] = v;
      any = true;
    }
  }
  return any || prefix === "" ? out : undefined;
}

function decodeValue(
  model: AwsModel,
  name: string,
  key: string,
  params: Readonly<Record<string, string>>,
  used: Set<string>,
  problems: Problem[],
): unknown {
  const s = shape(model, name);
  switch (s.type) {
    case "structure":
      return hasPrefix(params, key)
        ? decodeStructure(model, name, key, params, used, problems)
        : undefined;
    case "list": {
      if (!hasPrefix(params, key)) return undefined;
      // An empty list is sent as the bare name (`DiskImage=`), as the AWS SDKs serialize `[]`.
      if (params[key] !== undefined) used.add(key);
      const items: unknown[] = [];
      const indexes = new Set<number>();
      for (const k of Object.keys(params)) {
        const m = new RegExp(`^${escape(key)}\\.(\\d+)(?:\\.|$)`).exec(k);
        if (m?.[1] !== undefined) indexes.add(Number(m[1]));
      }
      for (const i of [...indexes].sort((a, b) => a - b)) {
        const v = decodeValue(model, s.member ?? "", `${key}.${i}`, params, used, problems);
        if (v !== undefined) items.push(v);
      }
      return items;
    }
    default: {
      const raw = params[key];
      if (raw === undefined) return undefined;
      used.add(key);
      return scalar(s, raw);
    }
  }
}

/** The typed value of a scalar parameter; the raw text when it does not parse (a type problem). */
function scalar(s: ModelShape, raw: string): unknown {
  switch (s.type) {
    case "integer":
    case "long":
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    case "double":
    case "float":
      return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    default:
      return raw;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The wire key of a model path (`DiskContainers`, 0 → `DiskContainer.1`), for the messages EC2
 * answers with, which name parameters as they were sent.
 */
export function ec2WireKey(
  model: AwsModel,
  operation: string,
  segments: readonly PathSegment[],
): string {
  let name = model.operations[operation]?.input;
  const parts: string[] = [];
  for (const seg of segments) {
    const s = name === undefined ? undefined : model.shapes[name];
    if (typeof seg === "number") {
      parts.push(String(seg + 1));
      name = s?.member;
    } else if (typeof seg === "string") {
      const def = s?.members?.[seg];
      parts.push(def === undefined ? seg : wireName(s?.members, seg));
      name = def === undefined ? undefined : memberShape(def);
    } else {
      parts.push(seg.key);
      name = undefined;
    }
  }
  return parts.join(".");
}
