import type { EmulatorClock } from "./clock";
import type { EmulatorRequest, EmulatorResponse, ServiceError } from "./http";
import { protocolOf } from "./protocols";
import type { SeededRandom } from "./random";
import type { Credential } from "./sigv4";
import type { S3Store } from "./s3store";
import type { TaskDuration } from "./taskDuration";
import type { XmlObject } from "./xml";

/** JSON values as they cross the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

export type StateScope = "region" | "account" | "global";

/** Everything an operation handler may touch. Handlers get no HTTP objects: models stay testable. */
export interface OperationContext {
  /** Service key, e.g. "ads". */
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly accountId: string;
  readonly credential: Credential;
  readonly requestId: string;
  /** Base URL clients reach the emulator at (for URLs the emulator hands out). */
  readonly baseUrl: string;
  readonly clock: EmulatorClock;
  readonly random: SeededRandom;
  readonly s3: S3Store;
  /** Real epoch ms (for signatures and URL expiry, which AWS measures in real time). */
  realNow(): number;
  /**
   * Mutable, JSON-serializable state for this service, created by `init` on first use. `region`
   * state is per account and region (most AWS resources), `account` is per account (the Migration
   * Hub home region), `global` is shared. Everything returned here is persisted in the data dir.
   */
  state<T>(key: string, init: () => T, scope?: StateScope): T;
  /** Tells the store to persist soon; call after every mutation. */
  markDirty(): void;
  /**
   * How long the new task `id` runs, in emulated ms from its start request to its terminal status:
   * the duration EmulatorOptions.taskDurationMs chose for it (validated), else `seededMs`, the
   * model's own. `chosen` says which (ADS runs a chosen task at once, outside its queue).
   */
  taskDuration(id: string, seededMs: number): TaskDuration;
  /** Whether EmulatorOptions.taskDurationMs is set (MGN lifts its imports-in-progress cap then). */
  readonly durationsChosen: boolean;
}

export interface JsonOperation {
  handler(ctx: OperationContext, input: JsonObject): JsonObject | Promise<JsonObject>;
  /** HTTP status of success (restJson: StartImport 202, Delete* 204). Default 200. */
  readonly successStatus?: number;
}

export interface RestJsonOperation extends JsonOperation {
  readonly method: string;
  readonly path: string;
}

/** EC2 query parameters, flattened (`DiskImage.1.Image.Format`). */
export type QueryParams = ReadonlyMap<string, string>;

export interface Ec2Operation {
  handler(ctx: OperationContext, params: QueryParams): XmlObject | Promise<XmlObject>;
}

/** Raw routes the emulator serves outside the AWS protocols (e.g. presigned downloads). */
export interface RawRoute {
  readonly prefix: string;
  handle(ctx: RawContext, req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse>;
}

export interface RawContext {
  readonly clock: EmulatorClock;
  readonly credentials: ReadonlyMap<string, Credential>;
  readonly baseUrl: string;
  realNow(): number;
  stateFor<T>(accountId: string, region: string, service: string, key: string, init: () => T): T;
}

/** The errors a service's front end raises before an operation runs, in the service's own names. */
export interface FrontDoorErrors {
  /** Too many requests (the rate limiter, or an injected "throttle" fault). */
  throttling(): ServiceError;
  /** A transient server error (an injected "5xx" fault, or an operation that threw unexpectedly). */
  internal(): ServiceError;
  /**
   * The caller's allow list does not grant the action. `message` is IAM's ("User: arn:... is not
   * authorized to perform: ..."); `dryRun` is the request's DryRun flag.
   */
  accessDenied(message: string, dryRun: boolean): ServiceError;
}

/**
 * A service descriptor: everything the front door needs to route, authenticate, authorize and
 * answer a service, beside its operation table. Adding a service is one descriptor and its entry
 * in emulator/services.ts.
 */
interface ServiceBase {
  /** Key used in counters, rate limits and fault rules: "ads", "mgn", "migrationhub", "migrationhub-config", "ec2", "s3". */
  readonly key: string;
  /** SigV4 service names this service accepts; the first is also its IAM action prefix. */
  readonly signingNames: readonly string[];
  /** Operations whose IAM action has another name (S3: HeadObject needs GetObject). */
  readonly iamActions?: Readonly<Record<string, string>>;
  /** Front-door errors where this service's differ from its protocol's defaults (core/protocols). */
  readonly errors?: Partial<FrontDoorErrors>;
  readonly rawRoutes?: readonly RawRoute[];
}

export interface AwsJsonService extends ServiceBase {
  readonly protocol: "awsJson1_1";
  readonly targetPrefix: string;
  /** ADS error shapes use `message`, Migration Hub's use `Message`. */
  readonly messageKey: "message" | "Message";
  readonly operations: Readonly<Record<string, JsonOperation>>;
}

export interface RestJsonService extends ServiceBase {
  readonly protocol: "restJson1";
  readonly operations: Readonly<Record<string, RestJsonOperation>>;
}

export interface Ec2QueryService extends ServiceBase {
  readonly protocol: "ec2Query";
  readonly version: string;
  readonly operations: Readonly<Record<string, Ec2Operation>>;
}

export interface S3Service extends ServiceBase {
  readonly protocol: "s3";
  /** The operations `operationOf` can name, as COVERAGE.md lists them. */
  readonly operationNames: readonly string[];
  /** Returns the operation name for counters, or undefined when no route matches. */
  operationOf(req: EmulatorRequest, bucketFromHost: string | undefined): string | undefined;
  handle(
    ctx: OperationContext,
    req: EmulatorRequest,
    bucketFromHost: string | undefined,
  ): EmulatorResponse | Promise<EmulatorResponse>;
}

export type ServiceDefinition = AwsJsonService | RestJsonService | Ec2QueryService | S3Service;

/** Operation names a service implements, for COVERAGE.md. */
export function operationNames(svc: ServiceDefinition): string[] {
  return protocolOf(svc).operationNames(svc);
}
