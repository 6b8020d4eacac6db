/**
 * Output normalization. Pulumi's dynamic host fails a create on `undefined` anywhere in the
 * outputs ("Unexpected struct type."), silently turns a Date into `{}` and throws on a BigInt.
 */

export type OutputValue =
  string | number | boolean | null | OutputValue[] | { [k: string]: OutputValue };

function normalize(value: unknown): OutputValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : undefined;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "object":
      break;
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  }
  if (Array.isArray(value)) {
    // Dropping an array item would shift positions; unrepresentable items become null instead.
    return value.map((v) => normalize(v) ?? null);
  }
  return normalizeOutputs(value as Record<string, unknown>);
}

/**
 * A copy of `value` Pulumi can marshal: undefined / NaN / Infinity members dropped at every depth
 * (null inside arrays), Date → ISO string, bigint → decimal string.
 */
export function normalizeOutputs(value: Record<string, unknown>): Record<string, OutputValue> {
  const out: Record<string, OutputValue> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = normalize(v);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** ISO 8601 text for a Date, epoch milliseconds, or a date string; undefined when unparseable. */
export function isoTime(v: Date | number | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
