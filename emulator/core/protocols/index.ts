import type { EmulatorResponse, ServiceError } from "../http";
import type { FrontDoorErrors, ServiceDefinition } from "../service";
import type { AuthFailureKind } from "../sigv4";
import { awsJson1_1 } from "./awsJson";
import { ec2Query } from "./ec2Query";
import type { ProtocolName, RequestErrorKind, WireProtocol } from "./protocol";
import { restJson1 } from "./restJson";
import { s3 } from "./s3";

export type { PreparedCall, ProtocolName, RequestErrorKind, RouteDetails } from "./protocol";

/**
 * Every wire protocol, keyed by name: how requests are parsed and answered, and the wire shapes of
 * errors. A service names its protocol in its descriptor (core/service.ts); the front door looks
 * the protocol up here rather than switching on it.
 */
const PROTOCOLS: {
  readonly [P in ProtocolName]: WireProtocol<Extract<ServiceDefinition, { protocol: P }>>;
} = { awsJson1_1, restJson1, ec2Query, s3 };

/** The protocol a service speaks. */
export function protocolOf(svc: ServiceDefinition): WireProtocol {
  return PROTOCOLS[svc.protocol];
}

export function renderError(
  protocol: ProtocolName,
  err: ServiceError,
  requestId: string,
  messageKey: "message" | "Message" = "message",
): EmulatorResponse {
  return PROTOCOLS[protocol].renderError(err, requestId, messageKey);
}

/** The authentication error each protocol's front end returns. */
export function authError(
  protocol: ProtocolName,
  kind: AuthFailureKind,
  detail: string,
): ServiceError {
  return PROTOCOLS[protocol].authError(kind, detail);
}

/** Malformed body, unknown operation, oversized or wrongly typed request, per protocol. */
export function requestError(
  protocol: ProtocolName,
  kind: RequestErrorKind,
  detail: string,
): ServiceError {
  return PROTOCOLS[protocol].requestError(kind, detail);
}

/** A service's throttling, internal and authorization errors: its own, else its protocol's. */
export function frontDoorErrors(svc: ServiceDefinition): FrontDoorErrors {
  return { ...protocolOf(svc).errors, ...svc.errors };
}

/**
 * The IAM action a call needs: the service's signing name (its IAM prefix, for every service
 * here) and the operation, unless the descriptor maps it (S3's HeadObject needs s3:GetObject).
 */
export function iamAction(svc: ServiceDefinition, operation: string): string {
  const prefix = svc.signingNames[0] ?? svc.key;
  const actions = svc.iamActions ?? {};
  return `${prefix}:${Object.hasOwn(actions, operation) ? actions[operation] : operation}`;
}

/** Whether an allow list grants `action` (IAM wildcards: `*` matches any run of characters). */
export function allows(allow: readonly string[] | undefined, action: string): boolean {
  if (allow === undefined) return true;
  return allow.some((pattern) =>
    new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
      "i",
    ).test(action),
  );
}
