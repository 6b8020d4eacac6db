import { type EmulatorResponse, parseJsonObject, ServiceError } from "../http";
import { validateInput } from "../modelValidation";
import type { RestJsonService } from "../service";
import { jsonAuthError } from "./json";
import { BODY_LIMIT, type RequestErrorKind, type WireProtocol } from "./protocol";

function requestError(kind: RequestErrorKind, detail: string): ServiceError {
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
}

/** restJson1: an HTTP method and path per operation, JSON bodies (MGN). */
export const restJson1: WireProtocol<RestJsonService> = {
  renderError: (err, requestId) => ({
    status: err.status,
    headers: {
      "content-type": "application/json",
      "x-amzn-errortype": err.code,
      "x-amzn-requestid": requestId,
      ...err.headers,
    },
    body: JSON.stringify({ message: err.message, ...err.fields }),
  }),
  authError: (kind, detail) => jsonAuthError(kind, detail, 403),
  requestError,
  messageKey: () => "message",
  bodyLimit: BODY_LIMIT,
  // MGN's names, without the members MGN adds (mgn/errors.ts).
  errors: {
    throttling: () => new ServiceError("ThrottlingException", "Rate exceeded", 429),
    internal: () => new ServiceError("InternalServerException", "An internal error occurred.", 500),
    accessDenied: (message) => new ServiceError("AccessDeniedException", message, 403),
  },
  operationNames: (svc) => Object.keys(svc.operations).sort(),
  prepare(svc, operation, req) {
    const input = parseJsonObject(req.body);
    if (!input) throw requestError("malformed", "Could not parse the request body as JSON.");
    return {
      dryRun: false,
      async run(ctx): Promise<EmulatorResponse> {
        // Every operation served here binds its whole input to the body (no URI or header members).
        const problems = validateInput(svc.validation.model, operation, input);
        if (problems.length > 0) throw svc.validation.refuse(problems, operation);
        const op = svc.operations[operation]!;
        const out = await op.handler(ctx, input);
        const status = op.successStatus ?? 200;
        return status === 204
          ? { status, headers: { "x-amzn-requestid": ctx.requestId }, body: "" }
          : {
              status,
              headers: { "content-type": "application/json", "x-amzn-requestid": ctx.requestId },
              body: JSON.stringify(out),
            };
      },
    };
  },
};
