import { ServiceError } from "../http";
import type { S3Service } from "../service";
import { xmlChildren } from "../xml";
import { SIGNATURE_MISMATCH, type WireProtocol } from "./protocol";

/** S3 REST-XML: the service routes and answers each request itself (S3). */
export const s3: WireProtocol<S3Service> = {
  renderError: (err, requestId) => ({
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
  }),
  authError(kind, detail) {
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
  },
  requestError(kind, detail) {
    if (kind === "unknownOperation") return new ServiceError("NotImplemented", detail, 501);
    if (kind === "tooLarge") return new ServiceError("EntityTooLarge", detail, 400);
    return new ServiceError("MalformedXML", detail, 400);
  },
  messageKey: () => "message",
  // PutObject bodies are limited by EmulatorOptions.maxObjectBytes instead.
  bodyLimit: undefined,
  // S3's.
  errors: {
    throttling: () => new ServiceError("SlowDown", "Please reduce your request rate.", 503),
    internal: () =>
      new ServiceError("InternalError", "We encountered an internal error. Please try again.", 500),
    accessDenied: () => new ServiceError("AccessDenied", "Access Denied", 403),
  },
  operationNames: (svc) => [...svc.operationNames],
  prepare: (svc, _operation, req, route) => ({
    dryRun: false,
    run: async (ctx) => svc.handle(ctx, req, route.bucketFromHost),
  }),
};
