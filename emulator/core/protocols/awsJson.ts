import { parseJsonObject, ServiceError } from "../http";
import { validateInput } from "../modelValidation";
import type { AwsJsonService } from "../service";
import { jsonAuthError } from "./json";
import { BODY_LIMIT, type RequestErrorKind, type WireProtocol } from "./protocol";

function requestError(kind: RequestErrorKind, detail: string): ServiceError {
  if (kind === "unknownOperation")
    return new ServiceError("UnknownOperationException", detail, 400);
  if (kind === "tooLarge") return new ServiceError("SerializationException", detail, 413);
  return new ServiceError("SerializationException", detail, 400);
}

/** awsJson1_1: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body (ADS, Migration Hub). */
export const awsJson1_1: WireProtocol<AwsJsonService> = {
  renderError: (err, requestId, messageKey) => ({
    status: err.status,
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amzn-errortype": err.code,
      "x-amzn-requestid": requestId,
      ...err.headers,
    },
    body: JSON.stringify({ __type: err.code, [messageKey]: err.message, ...err.fields }),
  }),
  authError: (kind, detail) => jsonAuthError(kind, detail, 400),
  requestError,
  messageKey: (svc) => svc.messageKey,
  bodyLimit: BODY_LIMIT,
  // ADS's: it models no throttling error, but the service throttles with this name.
  errors: {
    throttling: () => new ServiceError("ThrottlingException", "Rate exceeded", 400),
    internal: () =>
      new ServiceError(
        "ServerInternalErrorException",
        "The server experienced an internal error. Try again.",
        500,
      ),
    accessDenied: (message) => new ServiceError("AuthorizationErrorException", message, 400),
  },
  operationNames: (svc) => Object.keys(svc.operations).sort(),
  prepare(svc, operation, req) {
    const ct = req.headers["content-type"] ?? "";
    if (
      !ct.startsWith("application/x-amz-json-1.1") &&
      !ct.startsWith("application/x-amz-json-1.0")
    ) {
      throw requestError("contentType", `Unsupported content type: ${ct || "(none)"}`);
    }
    const input = parseJsonObject(req.body);
    if (!input)
      throw requestError("malformed", "Start of structure or map found where not expected.");
    return {
      dryRun: input["DryRun"] === true,
      async run(ctx) {
        const problems = validateInput(svc.validation.model, operation, input);
        if (problems.length > 0) throw svc.validation.refuse(problems, operation);
        const out = await svc.operations[operation]!.handler(ctx, input);
        return {
          status: 200,
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amzn-requestid": ctx.requestId,
          },
          body: JSON.stringify(out),
        };
      },
    };
  },
};
