import type { AwsModel } from "../core/awsModel";
import { ServiceError } from "../core/http";
import type { Problem } from "../core/modelValidation";
import { ec2WireKey } from "../core/queryDecode";

/**
 * EC2 errors for VM Import/Export. Codes are the ones the EC2 error reference documents; client
 * faults are HTTP 400. Messages follow the wording EC2 uses for the same code on other actions
 * (`The request must contain the parameter X`, `Value (v) for parameter X is invalid.`).
 */
export const missingParameter = (name: string): ServiceError =>
  new ServiceError("MissingParameter", `The request must contain the parameter ${name}`, 400);

export const invalidValue = (name: string, value: string, reason?: string): ServiceError =>
  new ServiceError(
    "InvalidParameterValue",
    `Value (${value}) for parameter ${name} is invalid.${reason ? ` ${reason}` : ""}`,
    400,
  );

export const invalidAvailabilityZone = (zone: string): ServiceError =>
  new ServiceError("InvalidParameterValue", `Invalid availability zone: [${zone}]`, 400);

export const invalidParameter = (message: string): ServiceError =>
  new ServiceError("InvalidParameter", message, 400);

export const invalidCombination = (message: string): ServiceError =>
  new ServiceError("InvalidParameterCombination", message, 400);

export const invalidDependency = (message: string): ServiceError =>
  new ServiceError("InvalidParameterDependency", message, 400);

export const unsupportedOperation = (message: string): ServiceError =>
  new ServiceError("UnsupportedOperation", message, 400);

export const idempotentMismatch = (): ServiceError =>
  new ServiceError(
    "IdempotentParameterMismatch",
    "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).",
    400,
  );

export const invalidFilter = (name: string): ServiceError =>
  new ServiceError("InvalidParameterValue", `The filter '${name}' is invalid`, 400);

export const invalidNextToken = (): ServiceError =>
  new ServiceError(
    "InvalidPaginationToken",
    "The specified pagination token is not valid or is expired.",
    400,
  );

export const invalidTagResourceType = (type: string): ServiceError =>
  invalidValue(
    "TagSpecification.ResourceType",
    type,
    `'${type}' is not a valid taggable resource type for this operation.`,
  );

/** A conversion or import task ID that is well formed but unknown, or no longer retained. */
export const conversionTaskNotFound = (id: string): ServiceError =>
  new ServiceError(
    "InvalidConversionTaskId",
    `The conversion task ID '${id}' does not exist.`,
    400,
  );

export const conversionTaskMalformed = (id: string, expecting: string): ServiceError =>
  new ServiceError(
    "InvalidConversionTaskId.Malformed",
    `Invalid id: "${id}" (expecting "${expecting}")`,
    400,
  );

/** The EC2 error reference's code for cancelling a finished (or already cancelled) task. */
export const cannotCancel = (): ServiceError =>
  new ServiceError("DeleteConversionTaskError", "The conversion task cannot be canceled", 400);

export const amiNotFound = (ids: readonly string[]): ServiceError =>
  new ServiceError(
    "InvalidAMIID.NotFound",
    `The image id '[${ids.join(", ")}]' does not exist`,
    400,
  );

export const amiMalformed = (id: string): ServiceError =>
  new ServiceError("InvalidAMIID.Malformed", `Invalid id: "${id}" (expecting "ami-...")`, 400);

export const snapshotNotFound = (id: string): ServiceError =>
  new ServiceError("InvalidSnapshot.NotFound", `The snapshot '${id}' does not exist.`, 400);

export const snapshotMalformed = (id: string): ServiceError =>
  new ServiceError(
    "InvalidSnapshotID.Malformed",
    `Invalid id: "${id}" (expecting "snap-...")`,
    400,
  );

export const snapshotInUse = (snapshotId: string, imageId: string): ServiceError =>
  new ServiceError(
    "InvalidSnapshot.InUse",
    `The snapshot ${snapshotId} is currently in use by ${imageId}`,
    400,
  );

export const instanceNotFound = (ids: readonly string[]): ServiceError =>
  new ServiceError(
    "InvalidInstanceID.NotFound",
    ids.length > 1
      ? `The instance IDs '${ids.join(", ")}' do not exist`
      : `The instance ID '${ids[0] ?? ""}' does not exist`,
    400,
  );

export const instanceMalformed = (id: string): ServiceError =>
  new ServiceError("InvalidInstanceID.Malformed", `Invalid id: "${id}"`, 400);

export const volumeNotFound = (id: string): ServiceError =>
  new ServiceError("InvalidVolume.NotFound", `The volume '${id}' does not exist.`, 400);

export const volumeMalformed = (id: string): ServiceError =>
  new ServiceError("InvalidVolumeID.Malformed", `Invalid id: "${id}" (expecting "vol-...")`, 400);

export const volumeInUse = (volumeId: string, instanceId: string): ServiceError =>
  new ServiceError("VolumeInUse", `Volume ${volumeId} is currently attached to ${instanceId}`, 400);

export const unknownParameter = (name: string): ServiceError =>
  new ServiceError("UnknownParameter", `The parameter ${name} is not recognized`, 400);

/** Enums longer than this (InstanceType: hundreds of values) are not listed in the message. */
const LISTED_ENUM = 20;

/**
 * A request that breaks the EC2 model, answered as EC2 does: one error, for the first problem —
 * UnknownParameter, MissingParameter, or InvalidParameterValue naming the wire parameter
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html).
 */
export function refuseRequest(
  model: AwsModel,
  problems: readonly Problem[],
  operation: string,
): ServiceError {
  const first =
    problems.find((p) => p.kind === "unknown") ??
    problems.find((p) => p.kind === "required") ??
    problems[0];
  if (first === undefined) return invalidParameter("The request is not valid.");
  if (first.kind === "unknown") return unknownParameter(first.path);
  const key = ec2WireKey(model, operation, first.segments);
  if (first.kind === "required") return missingParameter(key);
  const values = first.shape.enum;
  const shown = typeof first.value === "string" ? first.value : JSON.stringify(first.value);
  return invalidValue(
    key,
    shown,
    first.kind === "enum" && values !== undefined && values.length <= LISTED_ENUM
      ? `Valid values: ${values.join(", ")}`
      : undefined,
  );
}
