import { ServiceError } from "../http";
import type { AuthFailureKind } from "../sigv4";
import { SIGNATURE_MISMATCH } from "./protocol";

/**
 * The authentication errors of the JSON protocols: JSON services answer them with 400, REST-JSON
 * (API Gateway fronted) services with 403.
 */
export function jsonAuthError(kind: AuthFailureKind, detail: string, status: number): ServiceError {
  switch (kind) {
    case "missing":
      return new ServiceError(
        "MissingAuthenticationTokenException",
        "Missing Authentication Token",
        status,
      );
    case "unknownKey":
      return new ServiceError(
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        status,
      );
    case "badSignature":
      return new ServiceError("InvalidSignatureException", SIGNATURE_MISMATCH, status);
    case "expired":
    case "skewed":
      return new ServiceError("InvalidSignatureException", detail, status);
    case "malformed":
      return new ServiceError("IncompleteSignatureException", detail, status);
  }
}
