import type { JsonObject, JsonValue } from "./service";

/**
 * Typed reads of a JSON request that already passed its model (the protocols run
 * core/modelValidation before any handler): member types, required members and constraints are
 * known to hold, so these only narrow. A mismatch means the handler and the model disagree, an
 * emulator bug: the TypeError becomes the service's 5xx naming it (frontDoor.ts).
 */

function bug(key: string, wanted: string): TypeError {
  return new TypeError(`validated member ${key} is not ${wanted}`);
}

export function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw bug(key, "a string");
  return v;
}

/** A member the model requires. */
export function need(o: JsonObject | undefined, key: string): string {
  const v = str(o, key);
  if (v === undefined) throw bug(key, "present");
  return v;
}

export function num(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number") throw bug(key, "a number");
  return v;
}

export function bool(o: JsonObject | undefined, key: string): boolean | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw bug(key, "a boolean");
  return v;
}

export function asObject(v: JsonValue | undefined, key: string): JsonObject | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) throw bug(key, "a structure");
  return v;
}

export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  return asObject(o?.[key], key);
}

export function list(o: JsonObject | undefined, key: string): JsonValue[] | undefined {
  const v = o?.[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw bug(key, "a list");
  return v;
}

export function strs(o: JsonObject | undefined, key: string): string[] | undefined {
  return list(o, key)?.map((v) => {
    if (typeof v !== "string") throw bug(key, "a list of strings");
    return v;
  });
}

export function objects(o: JsonObject | undefined, key: string): JsonObject[] | undefined {
  return list(o, key)?.map((v) => asObject(v, key) ?? {});
}

/** A string-to-string map member (tags). */
export function stringMap(
  o: JsonObject | undefined,
  key: string,
): Record<string, string> | undefined {
  const m = obj(o, key);
  if (m === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) {
    if (typeof v !== "string") throw bug(`${key}.${k}`, "a string");
    out[k] = v;
  }
  return out;
}
