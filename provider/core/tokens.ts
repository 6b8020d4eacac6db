/**
 * Deterministic client tokens: a re-run of an interrupted create sends the first run's token, and
 * the API returns the task that run started instead of starting a second one.
 */
import { createHash } from "node:crypto";
import { assertInput } from "./errors";

const PREFIX = "pam-";

function canonical(value: unknown): unknown {
  if (value === null) return null;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    // As JSON.stringify does: array holes and unrepresentable items become null, keeping positions.
    return value.map((v) => canonical(v) ?? null);
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

/** "pam-" + sha256 hex of canonicalJson(parts), cut to `maxLength`. */
export function deriveToken(parts: TokenParts, options?: { maxLength?: number }): string {
  const maxLength = options?.maxLength ?? 64;
  // Fewer than 16 hex digits (64 bits) would make collisions between resources plausible.
  const min = PREFIX.length + 16;
  const reason = `must be an integer >= ${min} (prefix plus 16 hex digits; got ${maxLength})`;
  assertInput(Number.isInteger(maxLength) && maxLength >= min, "maxLength", reason);
  // Only these five keys: a caller's extra properties must not change the token.
  const { stack, project, type, name, inputs } = parts;
  const json = canonicalJson({ stack, project, type, name, inputs });
  return (PREFIX + createHash("sha256").update(json).digest("hex")).slice(0, maxLength);
}

/**
 * The token after `failedTaskId`, for APIs that return a failed task again when its token is
 * resent (ADS, MGN). The chain is deterministic: an interrupted re-run walks it to the same task.
 */
export function successorToken(
  type: string,
  token: string,
  failedTaskId: string,
  options?: { maxLength?: number },
): string {
  return deriveToken(
    { stack: "", project: "", type: `${type}#successor`, name: token, inputs: { failedTaskId } },
    options,
  );
}
