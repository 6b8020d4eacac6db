/** Pulumi's dynamic host fails on `undefined` in outputs, makes a Date `{}`, throws on a BigInt. */

export type OutputValue =
  string | number | boolean | null | OutputValue[] | { [k: string]: OutputValue };

function normalize(value: unknown): OutputValue | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "bigint") return value.toString();
  // undefined, functions and symbols are dropped.
  if (typeof value !== "object") return undefined;
  if (value instanceof Date) return isoTime(value);
  // Dropping an array item would shift positions; unrepresentable items become null instead.
  if (Array.isArray(value)) return value.map((v) => normalize(v) ?? null);
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
