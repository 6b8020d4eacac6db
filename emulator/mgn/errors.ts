import { ServiceError } from "../core/http";
import { firstPerMember, type Problem } from "../core/modelValidation";
import { constraintText, memberPath, typePhrase } from "../core/validationMessages";
import type { FrontDoorErrors } from "../core/service";

/**
 * MGN (restJson1) errors. Every MGN error body carries a `code` member; the SDK reads the
 * `x-amzn-errortype` header first, so the header (set by the protocol layer) names the error.
 */
export interface FieldError {
  readonly name: string;
  readonly message: string;
}

export const uninitializedAccount = (): ServiceError =>
  new ServiceError(
    "UninitializedAccountException",
    "Account is not initialized. Call InitializeService first.",
    400,
    { code: "UninitializedAccountException" },
  );

/** One ValidationException for all the fields that failed, as Smithy validation reports them. */
export function validationFailed(fields: readonly FieldError[]): ServiceError {
  const count = fields.length;
  const head = `${count} validation error${count === 1 ? "" : "s"} detected: `;
  return new ServiceError(
    "ValidationException",
    head + fields.map((f) => `'${f.name}': ${f.message}`).join("; "),
    400,
    { code: "ValidationException", reason: "fieldValidationFailed", fieldList: fields },
  );
}

/** A request that breaks the MGN model: one ValidationException listing every failing member. */
export function refuseRequest(problems: readonly Problem[]): ServiceError {
  return validationFailed(
    firstPerMember(problems).map((p) => ({
      name: memberPath(p.segments, "member"),
      message:
        constraintText(p) ??
        (p.kind === "type"
          ? `Member must be ${typePhrase(p.shape.type)}`
          : "Member is not a member of this operation's input"),
    })),
  );
}

export const resourceNotFound = (resourceType: string, resourceId: string): ServiceError =>
  new ServiceError("ResourceNotFoundException", `${resourceType} ${resourceId} not found.`, 404, {
    code: "ResourceNotFoundException",
    resourceId,
    resourceType,
  });

export const conflict = (message: string, resourceType: string, resourceId: string): ServiceError =>
  new ServiceError("ConflictException", message, 409, {
    code: "ConflictException",
    resourceId,
    resourceType,
  });

/** MGN publishes no import quota; the emulator's value is reported in the error body. */
export const importQuotaExceeded = (quotaValue: number): ServiceError =>
  new ServiceError(
    "ServiceQuotaExceededException",
    `You have reached the limit of ${quotaValue} imports in progress. Wait for an import to finish.`,
    402,
    {
      code: "ServiceQuotaExceededException",
      resourceType: "IMPORT",
      serviceCode: "mgn",
      quotaCode: "ConcurrentImports",
      quotaValue,
    },
  );

/** Where MGN's front-door errors differ from restJson1's defaults (core/protocols/restJson.ts). */
export const mgnFrontDoorErrors: Partial<FrontDoorErrors> = {
  // MGN binds retryAfterSeconds to the Retry-After header, which the SDK honours.
  throttling: () =>
    new ServiceError(
      "ThrottlingException",
      "Rate exceeded",
      429,
      { serviceCode: "mgn" },
      { "retry-after": "1" },
    ),
  accessDenied: (message) =>
    new ServiceError("AccessDeniedException", message, 403, { code: "AccessDeniedException" }),
};
