/**
 * Whatever an AWS SDK call threw, as an AwsApiError with `retryable` / `throttling` decided here,
 * as the SDK does (aws-apis.md §5.2) except `LimitExceededException`: ADS's hard request limit.
 */
import { AwsApiError, isAwsApiError } from "./errors";
import { redact } from "./redact";

const THROTTLING_CODES: ReadonlySet<string> = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "SlowDown",
  "EC2ThrottledException",
  "PriorRequestNotComplete",
  "BandwidthLimitExceeded",
]);

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  "InternalError",
  "InternalFailure",
  "InternalServerException",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Node socket / DNS errors: the request may never have reached AWS. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
]);

/** What SDK, wire and Node errors may carry. */
type ErrorLike = Partial<Record<"name" | "Code" | "code" | "message" | "Message", unknown>> & {
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
};

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** The error code: an SDK ServiceException's `name`, else `Code`/`code` (wire or Node errors). */
function codeOf(e: ErrorLike): string {
  const name = str(e.name);
  // A plain Error's name is just "Error"; prefer a more specific Code/code then.
  if (name !== undefined && name !== "Error") return name;
  return str(e.Code) ?? str(e.code) ?? name ?? "UnknownError";
}

export function toAwsApiError(service: string, operation: string, err: unknown): AwsApiError {
  if (isAwsApiError(err)) return err;
  const e: ErrorLike =
    typeof err === "object" && err !== null ? err : { name: "UnknownError", message: String(err) };
  const code = codeOf(e);
  const status = e.$metadata?.httpStatusCode;
  const httpStatus = typeof status === "number" ? status : undefined;
  const requestId = str(e.$metadata?.requestId);
  const message = redact(str(e.message) ?? str(e.Message) ?? "");
  const throttling = THROTTLING_CODES.has(code) || httpStatus === 429;
  const network =
    NETWORK_CODES.has(code) ||
    NETWORK_CODES.has(str(e.code) ?? "") ||
    /socket hang up/i.test(message);
  const retryable = throttling || (httpStatus ?? 0) >= 500 || TRANSIENT_CODES.has(code) || network;
  return new AwsApiError({
    service,
    operation,
    code,
    message,
    httpStatus,
    requestId,
    retryable,
    throttling,
    // No `cause`: the original error may hold the unredacted message or a presigned URL.
  });
}
