import { ServiceError } from "../core/http";

/**
 * STS errors, in the codes and wording STS answers with (the API reference's error lists,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html#API_AssumeRole_Errors,
 * and the common errors page). Input constraints fail with `ValidationError` in the Coral wording
 * every AWS query service shares: "1 validation error detected: Value 'x' at 'roleSessionName'
 * failed to satisfy constraint: Member must …".
 */

/** One broken constraint: the member (lowerCamel, as STS names it), its value and the rule. */
export interface Violation {
  readonly member: string;
  /** The value as sent; undefined for a missing member ("Value null"). */
  readonly value: string | undefined;
  readonly constraint: string;
}

export const validationError = (violations: readonly Violation[]): ServiceError => {
  const n = violations.length;
  const details = violations
    .map(
      (v) =>
        `Value ${v.value === undefined ? "null" : `'${v.value}'`} at '${v.member}' failed to satisfy constraint: ${v.constraint}`,
    )
    .join("; ");
  return new ServiceError(
    "ValidationError",
    `${n} validation error${n === 1 ? "" : "s"} detected: ${details}`,
    400,
  );
};

/** A RoleArn that is not an IAM role ARN. */
export const invalidArn = (): ServiceError =>
  new ServiceError("ValidationError", "Request ARN is invalid", 400);

/**
 * A DurationSeconds over the role's MaxSessionDuration, or over one hour for a session that is
 * itself an assumed role (role chaining:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining).
 */
export const durationTooLong = (chained: boolean): ServiceError =>
  new ServiceError(
    "ValidationError",
    chained
      ? "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
      : "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    400,
  );

/**
 * An untrusted caller, a missing or wrong ExternalId, a role that does not exist, or a caller
 * whose own permissions lack sts:AssumeRole: STS says the same in every case, so as not to
 * reveal which.
 */
export const assumeRoleDenied = (principal: string, roleArn: string): ServiceError =>
  new ServiceError(
    "AccessDenied",
    `User: ${principal} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    403,
  );
