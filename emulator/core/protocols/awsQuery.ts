import { ServiceError } from "../http";
import type { AwsQueryService } from "../service";
import { xmlDocument } from "../xml";
import { BODY_LIMIT, SIGNATURE_MISMATCH, type WireProtocol } from "./protocol";

/**
 * awsQuery: `Action=<Operation>&Version=...` form parameters (POST body or GET query), answered
 * with `<Operation>Response><Operation>Result>…</…><ResponseMetadata>` XML and errors as
 * `<ErrorResponse><Error><Type>…` (STS). The shapes follow the STS API reference
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html, its examples) and
 * botocore's query parser. STS's outputs have no lists, so none is rendered as `<member>`.
 */
export const awsQuery: WireProtocol<AwsQueryService> = {
  renderError: (err, requestId, _messageKey, svc) => ({
    status: err.status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId, ...err.headers },
    body: xmlDocument("ErrorResponse", svc ? `xmlns="${svc.xmlNamespace}"` : "", {
      // Sender: the caller's fault (4xx); Receiver: the service's (5xx).
      Error: {
        Type: err.status >= 500 ? "Receiver" : "Sender",
        Code: err.code,
        Message: err.message,
      },
      RequestId: requestId,
    }),
  }),
  authError(kind, detail) {
    switch (kind) {
      case "missing":
        return new ServiceError(
          "MissingAuthenticationToken",
          "Request is missing Authentication Token",
          403,
        );
      case "unknownKey":
      case "badToken":
        return new ServiceError(
          "InvalidClientTokenId",
          "The security token included in the request is invalid.",
          403,
        );
      case "badSignature":
        return new ServiceError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
      case "expired":
      case "skewed":
        return new ServiceError("SignatureDoesNotMatch", detail, 403);
      case "malformed":
        return new ServiceError("IncompleteSignature", detail, 400);
      case "expiredToken":
        return new ServiceError(
          "ExpiredToken",
          "The security token included in the request is expired",
          400,
        );
    }
  },
  requestError(kind, detail) {
    if (kind === "unknownOperation") return new ServiceError("InvalidAction", detail, 400);
    if (kind === "tooLarge") return new ServiceError("RequestEntityTooLarge", detail, 413);
    return new ServiceError("MalformedQueryString", detail, 400);
  },
  messageKey: () => "message",
  bodyLimit: BODY_LIMIT,
  // STS's (https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html; STS throttles
  // with the code "Throttling").
  errors: {
    throttling: () => new ServiceError("Throttling", "Rate exceeded", 400),
    internal: () => new ServiceError("InternalFailure", "An internal error has occurred", 500),
    accessDenied: (message) => new ServiceError("AccessDenied", message, 403),
  },
  operationNames: (svc) => Object.keys(svc.operations).sort(),
  prepare(svc, operation, _req, route) {
    const params = route.queryParams ?? new Map<string, string>();
    return {
      dryRun: false,
      async run(ctx) {
        const out = await svc.operations[operation]!.handler(ctx, params);
        return {
          status: 200,
          headers: { "content-type": "text/xml", "x-amzn-requestid": ctx.requestId },
          body: xmlDocument(`${operation}Response`, `xmlns="${svc.xmlNamespace}"`, {
            [`${operation}Result`]: out,
            ResponseMetadata: { RequestId: ctx.requestId },
          }),
        };
      },
    };
  },
};
