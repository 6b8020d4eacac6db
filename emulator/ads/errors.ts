import { ServiceError } from "../core/http";
import { firstPerMember, type Problem } from "../core/modelValidation";
import { coralMessage, memberPath, typePhrase } from "../core/validationMessages";

/**
 * Application Discovery Service errors (aws-apis.md §1.6): every client fault is HTTP 400 and the
 * body member is the lowercase `message`.
 *
 * Which of the two validation errors a constraint raises is not spelled out by AWS. We follow the
 * documented meanings: a value that breaks a length, pattern, range or enum constraint is
 * "invalid or out of range" (InvalidParameterValueException); a member that is missing, of the
 * wrong JSON type, or a request that cannot be read is "not valid" (InvalidParameterException).
 */
export const invalidParameter = (message: string): ServiceError =>
  new ServiceError("InvalidParameterException", message, 400);

export const invalidParameterValue = (message: string): ServiceError =>
  new ServiceError("InvalidParameterValueException", message, 400);

/** The seed document's wording (API_StartImportTask "Errors"). */
export const homeRegionNotSet = (): ServiceError =>
  new ServiceError(
    "HomeRegionNotSetException",
    "The home region is not set. Set the home region to continue.",
    400,
  );

/**
 * A write outside the home region. The Discovery model declares no InvalidInputException (that is
 * Migration Hub's answer); the home-region API reference says a write made outside the home region
 * gets HomeRegionNotSetException: "You must make API calls for write actions (create, notify,
 * associate, disassociate, import, or put) while in your home region, or a
 * HomeRegionNotSetException error is returned."
 * https://docs.aws.amazon.com/migrationhub-home-region/latest/APIReference/Welcome.html
 */
export const wrongRegion = (region: string, home: string): ServiceError =>
  new ServiceError(
    "HomeRegionNotSetException",
    `This API can only be called in the home region ${home}; the request was sent to ${region}.`,
    400,
  );

/** §1.2: the same clientRequestToken with different parameters. Status 400 is assumed (§1.6). */
export const tokenInUse = (token: string): ServiceError =>
  new ServiceError(
    "ResourceInUseException",
    `The clientRequestToken ${token} was already used with different parameters. Use a different clientRequestToken for a different import task.`,
    400,
  );

export const missingMember = (member: string): ServiceError =>
  invalidParameter(`The parameter ${member} is required.`);

export const wrongType = (member: string, type: string): ServiceError =>
  invalidParameter(`The parameter ${member} must be ${type}.`);

/**
 * A request that breaks the Discovery model (core/modelValidation). A member that is missing, of
 * the wrong JSON type or unknown makes the request "not valid" (InvalidParameterException, the
 * first such member); values that break a length, pattern, range or enum constraint are "invalid
 * or out of range" (InvalidParameterValueException, every such member in one Coral message).
 */
export function refuseRequest(problems: readonly Problem[]): ServiceError {
  const first = firstPerMember(problems);
  const structural = first.find((p) => ["required", "type", "unknown"].includes(p.kind));
  if (structural !== undefined) {
    const name = memberPath(structural.segments, "coral");
    if (structural.kind === "required") return missingMember(name);
    if (structural.kind === "type") return wrongType(name, typePhrase(structural.shape.type));
    return invalidParameter(`The parameter ${name} is not recognized.`);
  }
  return invalidParameterValue(coralMessage(first));
}
