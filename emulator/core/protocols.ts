import type { EmulatorResponse } from "./http";
import { ServiceError } from "./http";
import type { AuthFailureKind } from "./sigv4";
import { xmlChildren, xmlDocument } from "./xml";

/**
 * Wire shapes of errors per protocol, and the errors the front door raises (authentication,
 * throttling, injected 5xx, malformed requests) for each service, as AWS sends them.
 */
export type ProtocolName = "awsJson1_1" | "restJson1" | "ec2Query" | "s3";

export function renderError(
  protocol: ProtocolName,
  err: ServiceError,
  requestId: string,
  messageKey: "message" | "Message" = "message",
): EmulatorResponse {
  switch (protocol) {
    case "awsJson1_1":
      return {
        status: err.status,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-errortype": err.code,
          "x-amzn-requestid": requestId,
          ...err.headers,
        },
        body: JSON.stringify({ __type: err.code, [messageKey]: err.message, ...err.fields }),
      };
    case "restJson1":
      return {
        status: err.status,
        headers: {
          "content-type": "application/json",
          "x-amzn-errortype": err.code,
          "x-amzn-requestid": requestId,
          ...err.headers,
        },
        body: JSON.stringify({ message: err.message, ...err.fields }),
      };
    case "ec2Query":
      return {
        status: err.status,
        headers: { "content-type": "text/xml;charset=UTF-8", ...err.headers },
        body: xmlDocument("Response", "", {
          Errors: { Error: { Code: err.code, Message: err.message } },
          RequestID: requestId,
        }),
      };
    case "s3":
      return {
        status: err.status,
        headers: {
          "content-type": "application/xml",
          "x-amz-request-id": requestId,
          ...err.headers,
        },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${xmlChildren({
          Code: err.code,
          Message: err.message,
          ...Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, String(v)])),
          RequestId: requestId,
        })}</Error>`,
      };
  }
}

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/** The authentication error each protocol's front end returns. */
export function authError(
  protocol: ProtocolName,
  kind: AuthFailureKind,
  detail: string,
): ServiceError {
  switch (protocol) {
    case "awsJson1_1":
    case "restJson1": {
      // JSON services answer 400 for these; REST-JSON (API Gateway fronted) services answer 403.
      const status = protocol === "awsJson1_1" ? 400 : 403;
      switch (kind) {
        case "missing":
          return new ServiceError(
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
            protocol === "awsJson1_1" ? 400 : 403,
          );
        case "unknownKey":
          return new ServiceError(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
            status,
          );
        case "badSignature":
          return new ServiceError("InvalidSignatureException", SIGNATURE_MISMATCH, status);
        case "expired":
        case "skewed":
          return new ServiceError("InvalidSignatureException", detail, status);
        case "malformed":
          return new ServiceError("IncompleteSignatureException", detail, status);
      }
      break;
    }
    case "ec2Query":
      switch (kind) {
        case "missing":
          return new ServiceError(
            "MissingAuthenticationToken",
            "Request is missing Authentication Token",
            401,
          );
        case "unknownKey":
          return new ServiceError(
            "AuthFailure",
            "AWS was not able to validate the provided access credentials",
            401,
          );
        case "badSignature":
          return new ServiceError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
        case "expired":
        case "skewed":
          return new ServiceError("RequestExpired", "Request has expired.", 400);
        case "malformed":
          return new ServiceError("IncompleteSignature", detail, 400);
      }
      break;
    case "s3":
      switch (kind) {
        case "missing":
          return new ServiceError("AccessDenied", "Access Denied", 403);
        case "unknownKey":
          return new ServiceError(
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            403,
          );
        case "badSignature":
          return new ServiceError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
        case "expired":
          return new ServiceError("AccessDenied", "Request has expired", 403);
        case "skewed":
          return new ServiceError(
            "RequestTimeTooSkewed",
            "The difference between the request time and the current time is too large.",
            403,
          );
        case "malformed":
          return new ServiceError("AuthorizationHeaderMalformed", detail, 400);
      }
  }
  return new ServiceError("AccessDenied", detail, 403);
}

/** The throttling error each service returns (names the SDKs classify as throttling). */
export function throttlingError(service: string): ServiceError {
  switch (service) {
    case "mgn":
      // MGN binds retryAfterSeconds to the Retry-After header, which the SDK honours.
      return new ServiceError(
        "ThrottlingException",
        "Rate exceeded",
        429,
        { serviceCode: "mgn" },
        { "retry-after": "1" },
      );
    case "migrationhub":
    case "migrationhub-config":
      // Migration Hub puts RetryAfterSeconds in the body (the SDK ignores it).
      return new ServiceError("ThrottlingException", "Rate exceeded", 400, {
        RetryAfterSeconds: 1,
      });
    case "ec2":
      return new ServiceError("RequestLimitExceeded", "Request limit exceeded.", 503);
    case "s3":
      return new ServiceError("SlowDown", "Please reduce your request rate.", 503);
    default:
      // ADS models no throttling error; the service still throttles with this name.
      return new ServiceError("ThrottlingException", "Rate exceeded", 400);
  }
}

/** The transient server error each service returns. */
export function internalError(service: string): ServiceError {
  switch (service) {
    case "ads":
      return new ServiceError(
        "ServerInternalErrorException",
        "The server experienced an internal error. Try again.",
        500,
      );
    case "mgn":
      return new ServiceError("InternalServerException", "An internal error occurred.", 500);
    case "migrationhub":
    case "migrationhub-config":
      return new ServiceError(
        "ServiceUnavailableException",
        "The service is unavailable. Try again.",
        500,
      );
    case "ec2":
      return new ServiceError(
        "Unavailable",
        "The server is overloaded and cannot handle the request.",
        503,
      );
    default:
      return new ServiceError(
        "InternalError",
        "We encountered an internal error. Please try again.",
        500,
      );
  }
}

/** Malformed body, unknown operation, oversized or wrongly typed request, per protocol. */
export function requestError(
  protocol: ProtocolName,
  kind: "malformed" | "unknownOperation" | "tooLarge" | "contentType",
  detail: string,
): ServiceError {
  switch (protocol) {
    case "awsJson1_1":
      if (kind === "unknownOperation")
        return new ServiceError("UnknownOperationException", detail, 400);
      if (kind === "tooLarge") return new ServiceError("SerializationException", detail, 413);
      return new ServiceError("SerializationException", detail, 400);
    case "restJson1":
      if (kind === "unknownOperation")
        return new ServiceError("UnknownOperationException", detail, 404);
      if (kind === "tooLarge")
        return new ServiceError("ValidationException", detail, 413, {
          code: "ValidationException",
          reason: "other",
        });
      return new ServiceError("ValidationException", detail, 400, {
        code: "ValidationException",
        reason: "cannotParse",
      });
    case "ec2Query":
      if (kind === "unknownOperation") return new ServiceError("InvalidAction", detail, 400);
      if (kind === "tooLarge") return new ServiceError("RequestEntityTooLarge", detail, 413);
      return new ServiceError("MalformedQueryString", detail, 400);
    case "s3":
      if (kind === "unknownOperation") return new ServiceError("NotImplemented", detail, 501);
      if (kind === "tooLarge") return new ServiceError("EntityTooLarge", detail, 400);
      return new ServiceError("MalformedXML", detail, 400);
  }
}

/**
 * The IAM action a call needs: the service's IAM prefix and the operation, except for S3, whose
 * actions are per object and bucket (HeadObject needs s3:GetObject, ListObjectsV2 s3:ListBucket).
 */
export function iamAction(service: string, operation: string): string {
  switch (service) {
    case "ads":
      return `discovery:${operation}`;
    case "migrationhub":
    case "migrationhub-config":
      return `mgh:${operation}`;
    case "s3":
      return `s3:${operation === "HeadObject" ? "GetObject" : operation === "ListObjectsV2" ? "ListBucket" : operation}`;
    default:
      return `${service}:${operation}`;
  }
}

/** Whether an allow list grants `action` (IAM wildcards: `*` matches any run of characters). */
export function allows(allow: readonly string[] | undefined, action: string): boolean {
  if (allow === undefined) return true;
  return allow.some((pattern) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "i",
    ).test(action),
  );
}

/**
 * The error each service returns when the caller's policy does not allow the action. A DryRun
 * call without permission is `UnauthorizedOperation` (EC2, Migration Hub), as their docs say.
 */
export function accessDenied(
  service: string,
  action: string,
  principal: string,
  dryRun: boolean,
): ServiceError {
  const message = `User: ${principal} is not authorized to perform: ${action}`;
  switch (service) {
    case "ads":
      return new ServiceError("AuthorizationErrorException", message, 400);
    case "mgn":
      return new ServiceError("AccessDeniedException", message, 403, {
        code: "AccessDeniedException",
      });
    case "migrationhub":
    case "migrationhub-config":
      return dryRun
        ? new ServiceError("UnauthorizedOperation", message, 400)
        : new ServiceError("AccessDeniedException", message, 400);
    case "ec2":
      return new ServiceError(
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
        403,
      );
    default:
      return new ServiceError("AccessDenied", "Access Denied", 403);
  }
}
