import { ServiceError } from "../http";
import { validateInput } from "../modelValidation";
import { decodeEc2Query } from "../queryDecode";
import type { Ec2QueryService } from "../service";
import { xmlChildren, xmlDocument } from "../xml";
import { BODY_LIMIT, SIGNATURE_MISMATCH, type WireProtocol } from "./protocol";

/** EC2 Query: `Action=<Operation>&Version=...` form parameters, XML responses (EC2). */
export const ec2Query: WireProtocol<Ec2QueryService> = {
  renderError: (err, requestId) => ({
    status: err.status,
    headers: { "content-type": "text/xml;charset=UTF-8", ...err.headers },
    body: xmlDocument("Response", "", {
      Errors: { Error: { Code: err.code, Message: err.message } },
      RequestID: requestId,
    }),
  }),
  authError(kind, detail) {
    switch (kind) {
      case "missing":
        return new ServiceError(
          "MissingAuthenticationToken",
          "Request is missing Authentication Token",
          401,
        );
      case "unknownKey":
      case "badToken":
        return new ServiceError(
          "AuthFailure",
          "AWS was not able to validate the provided access credentials",
          401,
        );
      case "badSignature":
        return new ServiceError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
      // EC2 names expired temporary credentials RequestExpired too:
      // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
      case "expired":
      case "skewed":
      case "expiredToken":
        return new ServiceError("RequestExpired", "Request has expired.", 400);
      case "malformed":
        return new ServiceError("IncompleteSignature", detail, 400);
    }
  },
  requestError(kind, detail) {
    if (kind === "unknownOperation") return new ServiceError("InvalidAction", detail, 400);
    if (kind === "tooLarge") return new ServiceError("RequestEntityTooLarge", detail, 413);
    return new ServiceError("MalformedQueryString", detail, 400);
  },
  messageKey: () => "message",
  bodyLimit: BODY_LIMIT,
  // EC2's.
  errors: {
    throttling: () => new ServiceError("RequestLimitExceeded", "Request limit exceeded.", 503),
    internal: () =>
      new ServiceError(
        "Unavailable",
        "The server is overloaded and cannot handle the request.",
        503,
      ),
    accessDenied: () =>
      new ServiceError(
        "UnauthorizedOperation",
        "You are not authorized to perform this operation.",
        403,
      ),
  },
  operationNames: (svc) => Object.keys(svc.operations).sort(),
  prepare(svc, operation, _req, route) {
    const params = route.ec2Params ?? new Map<string, string>();
    const dryRun = params.get("DryRun") === "true";
    return {
      dryRun,
      async run(ctx) {
        // The model's checks come first: DryRun answers "would have succeeded" only for a valid call.
        const { model } = svc.validation;
        const decoded = decodeEc2Query(model, operation, Object.fromEntries(params));
        const problems = [...decoded.problems, ...validateInput(model, operation, decoded.value)];
        if (problems.length > 0) throw svc.validation.refuse(problems, operation);
        if (dryRun) {
          throw new ServiceError(
            "DryRunOperation",
            "Request would have succeeded, but DryRun flag is set.",
            412,
          );
        }
        const out = await svc.operations[operation]!.handler(ctx, params);
        const xmlns = `xmlns="http://ec2.amazonaws.com/doc/${svc.version}/"`;
        return {
          status: 200,
          headers: { "content-type": "text/xml;charset=UTF-8" },
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response ${xmlns}><requestId>${ctx.requestId}</requestId>${xmlChildren(out)}</${operation}Response>`,
        };
      },
    };
  },
};
