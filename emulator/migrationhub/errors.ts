import { ServiceError } from "../core/http";
import { firstPerMember, type Problem } from "../core/modelValidation";
import { coralMessage, memberPath, typePhrase } from "../core/validationMessages";
import type { FrontDoorErrors } from "../core/service";

/**
 * Migration Hub and Migration Hub Config errors. Every client fault is HTTP 400 (AWS documents 400
 * even for ResourceNotFoundException); the body member is the capitalised `Message`.
 */
export const invalidInput = (message: string): ServiceError =>
  new ServiceError("InvalidInputException", message, 400);

export const resourceNotFound = (message: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", message, 400);

export const homeRegionNotSet = (): ServiceError =>
  new ServiceError(
    "HomeRegionNotSetException",
    "The home region is not set. Set the home region to continue.",
    400,
  );

export const wrongRegion = (region: string, home: string): ServiceError =>
  invalidInput(
    `This API can only be called in the home region ${home}; the request was sent to ${region}.`,
  );

export const dryRunOperation = (): ServiceError =>
  new ServiceError("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 400);

/** Migration Hub's (and Config's) front-door errors, where awsJson1_1's defaults are ADS's. */
export const migrationHubFrontDoorErrors: FrontDoorErrors = {
  // Migration Hub puts RetryAfterSeconds in the body (the SDK ignores it).
  throttling: () =>
    new ServiceError("ThrottlingException", "Rate exceeded", 400, { RetryAfterSeconds: 1 }),
  internal: () =>
    new ServiceError("ServiceUnavailableException", "The service is unavailable. Try again.", 500),
  // A DryRun call without permission is UnauthorizedOperation, as the docs say.
  accessDenied: (message, dryRun) =>
    dryRun
      ? new ServiceError("UnauthorizedOperation", message, 400)
      : new ServiceError("AccessDeniedException", message, 400),
};

/**
 * A request that breaks the Migration Hub (or Config) model: InvalidInputException, "the provided
 * input violates a policy constraint or is entered in the wrong format or data type" (the model's
 * own description). Constraint failures, missing members included, are listed in one Coral
 * message; a wrong JSON type or an unknown member is named alone.
 */
export function refuseRequest(problems: readonly Problem[]): ServiceError {
  const first = firstPerMember(problems);
  const structural = first.find((p) => p.kind === "type" || p.kind === "unknown");
  if (structural !== undefined) {
    const name = memberPath(structural.segments, "coral");
    return structural.kind === "type"
      ? invalidInput(`Value for '${name}' must be ${typePhrase(structural.shape.type)}`)
      : invalidInput(`Unknown parameter '${name}'`);
  }
  return invalidInput(coralMessage(first));
}
