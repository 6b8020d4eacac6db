import type { JsonObject } from "./service";

/** The emulator's view of one HTTP exchange, independent of node:http so handlers stay testable. */
export interface EmulatorRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path, without the query string. */
  readonly rawPath: string;
  /** Decoded path. */
  readonly path: string;
  /** Raw query string without the leading "?". */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  /** Header names lower-cased; repeated headers joined with ",". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/**
 * An AWS error as a service raises it. Each protocol renders it in its own wire shape
 * (JSON `__type`, REST-JSON `x-amzn-errortype`, EC2 `<Response><Errors>`, S3 `<Error>`).
 */
export class ServiceError extends Error {
  override readonly name = "ServiceError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Extra members of the error shape (e.g. MGN `reason`, `fieldList`). */
    readonly fields: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}

/** A JSON request body as an object (an empty body is `{}`), or undefined when it is not one. */
export function parseJsonObject(body: Buffer): JsonObject | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}
