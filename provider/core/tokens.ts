/**
 * Deterministic client tokens: the same stack, project, type, name and inputs always give the same
 * token, so a re-run of an interrupted create sends the token the first run sent and the API
 * returns the task that run started instead of starting a second one.
 */
import { createHash } from "node:crypto";
import { InputValidationError } from "./errors";

function canonical(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    // As JSON.stringify does: array holes and unrepresentable items become null, keeping positions.
    return value.map((v) => {
      const c = canonical(v);
      return c === undefined ? null : c;
    });
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const c = canonical((value as Record<string, unknown>)[key]);
      if (c !== undefined) out[key] = c;
    }
    return out;
  }
  if (typeof value === "function" || typeof value === "symbol" || value === undefined) {
    return undefined;
  }
  return value;
}

/** JSON with object keys sorted at every depth and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value) ?? null);
}

export interface TokenParts {
  stack: string;
  project: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** `prefix` + sha256 hex of canonicalJson(parts), cut to `maxLength` (ASCII only). */
export function deriveToken(
  parts: TokenParts,
  options?: { maxLength?: number; prefix?: string },
): string {
  const maxLength = options?.maxLength ?? 64;
  const prefix = options?.prefix ?? "pam-";
  // Fewer than 16 hex digits (64 bits) would make collisions between resources plausible.
  if (!Number.isInteger(maxLength) || maxLength < prefix.length + 16) {
    throw new InputValidationError({
      property: "maxLength",
      reason: `must be an integer >= ${prefix.length + 16} (prefix plus 16 hex digits; got ${maxLength})`,
    });
  }
  if (!/^[\x20-\x7e]*$/.test(prefix)) {
    throw new InputValidationError({
      property: "prefix",
      reason: `must be printable ASCII (got ${JSON.stringify(prefix)})`,
    });
  }
  // Only these five keys: a caller's extra properties must not change the token.
  const { stack, project, type, name, inputs } = parts;
  const json = canonicalJson({ stack, project, type, name, inputs });
  const hash = createHash("sha256").update(json).digest("hex");
  return (prefix + hash).slice(0, maxLength);
}

/**
 * The token for the next attempt after `failedTaskId`, for APIs that keep returning a task that
 * already failed when its token is resent (ADS, MGN): create derives a successor instead of
 * re-adopting the failure. The chain is deterministic, so an interrupted re-run walks it to the
 * same live task.
 */
export function successorToken(
  type: string,
  token: string,
  failedTaskId: string,
  options?: { maxLength?: number; prefix?: string },
): string {
  return deriveToken(
    { stack: "", project: "", type: `${type}#successor`, name: token, inputs: { failedTaskId } },
    options,
  );
}
