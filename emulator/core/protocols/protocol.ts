import type { EmulatorRequest, EmulatorResponse, ServiceError } from "../http";
import type { FrontDoorErrors, OperationContext, ServiceDefinition } from "../service";
import type { AuthFailureKind } from "../sigv4";

/** The wire protocols the emulator speaks; each has one entry in the table in ./index.ts. */
export type ProtocolName = "awsJson1_1" | "restJson1" | "ec2Query" | "s3";

export type RequestErrorKind = "malformed" | "unknownOperation" | "tooLarge" | "contentType";

/** What the router learned about a request that the protocol needs again. */
export interface RouteDetails {
  readonly bucketFromHost?: string;
  /** EC2 parameters, parsed once by the router. */
  readonly ec2Params?: ReadonlyMap<string, string>;
}

/** An operation call, parsed and ready to run once the caller is authorized. */
export interface PreparedCall {
  /** The request's DryRun flag (an unauthorized DryRun is refused differently by some services). */
  readonly dryRun: boolean;
  run(ctx: OperationContext): Promise<EmulatorResponse>;
}

/**
 * One wire protocol: how a request is parsed and answered, and the shapes of the errors the front
 * door raises. Service-agnostic; what differs per service comes from its descriptor.
 */
export interface WireProtocol<S extends ServiceDefinition = ServiceDefinition> {
  /** An error in this protocol's wire shape. */
  renderError(
    err: ServiceError,
    requestId: string,
    messageKey: "message" | "Message",
  ): EmulatorResponse;
  /** The authentication error this protocol's front end returns. */
  authError(kind: AuthFailureKind, detail: string): ServiceError;
  /** Malformed body, unknown operation, oversized or wrongly typed request. */
  requestError(kind: RequestErrorKind, detail: string): ServiceError;
  /** The member of a JSON error body that holds the message, for this service. */
  messageKey(svc: S): "message" | "Message";
  /** Largest body read before the operation is known; undefined leaves it to the service (S3). */
  readonly bodyLimit: number | undefined;
  /**
   * Front-door errors of a service whose descriptor names none of its own: those of this
   * emulator's reference service for the protocol.
   */
  readonly errors: FrontDoorErrors;
  /** Operation names a service implements, for COVERAGE.md. */
  operationNames(svc: S): string[];
  /** Parses the operation's input; throws the protocol's ServiceError when it cannot. */
  prepare(svc: S, operation: string, req: EmulatorRequest, route: RouteDetails): PreparedCall;
}

/** Largest JSON or query body the AWS front ends accept. */
export const BODY_LIMIT = 1024 * 1024;

export const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
