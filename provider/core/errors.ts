/**
 * The error classes. One class may exist twice in a process (serialized copies): checks go by a
 * `Symbol.for` brand and a string `kind`, never `instanceof`.
 */
const MIGRATION_ERROR_BRAND: unique symbol = Symbol.for("pulumi-aws-migration.error");

type KindMap = {
  InputValidationError: InputValidationError;
  AwsApiError: AwsApiError;
  ImportTaskFailedError: ImportTaskFailedError;
  WaiterTimeoutError: WaiterTimeoutError;
  WaitAbortedError: WaitAbortedError;
};

export type MigrationErrorKind = keyof KindMap;

export abstract class MigrationError extends Error {
  readonly [MIGRATION_ERROR_BRAND] = true as const;
  abstract readonly kind: MigrationErrorKind;

  protected constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    // `name` is what Node prints before the message; the subclass name is the useful one.
    this.name = new.target.name;
  }
}

export function isMigrationError(e: unknown): e is MigrationError;
export function isMigrationError<K extends MigrationErrorKind>(
  e: unknown,
  kind: K,
): e is KindMap[K];
export function isMigrationError(e: unknown, kind?: MigrationErrorKind): boolean {
  if (typeof e !== "object" || e === null) return false;
  const rec = e as { [MIGRATION_ERROR_BRAND]?: unknown; kind?: unknown };
  if (rec[MIGRATION_ERROR_BRAND] !== true) return false;
  return kind === undefined || rec.kind === kind;
}

/** An input (or provider config value) breaks a documented rule. Raised before any AWS call. */
export class InputValidationError extends MigrationError {
  readonly kind = "InputValidationError" as const;
  readonly property: string;
  readonly reason: string;

  /** Message: `<property> <reason>` — the reason already names the rule and the fix. */
  constructor(args: { property: string; reason: string; message?: string }) {
    super(args.message ?? `${args.property} ${args.reason}`);
    this.property = args.property;
    this.reason = args.reason;
  }
}

/** Throws an InputValidationError unless `ok`: the guard of one documented rule. */
export function assertInput(ok: boolean, property: string, reason: string): void {
  if (!ok) throw new InputValidationError({ property, reason });
}

/** Codes AWS front ends answer when the key, the signature or the session token is wrong. */
const REJECTED_CREDENTIAL_CODES: ReadonlySet<string> = new Set([
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidAccessKeyId",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "AuthFailure",
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "MissingAuthenticationToken",
  "MissingAuthenticationTokenException",
]);

export const REJECTED_CREDENTIALS_ADVICE =
  "AWS rejected the credentials: set a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), plus a current AWS_SESSION_TOKEN for temporary credentials, check that the clock is right, then run again.";

export const NO_CREDENTIALS_ADVICE =
  "No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) where `pulumi up` runs, then run again.";

type AwsApiErrorArgs = Pick<
  AwsApiError,
  "service" | "operation" | "code" | "retryable" | "throttling"
> & {
  message: string;
  httpStatus?: number;
  requestId?: string;
  advice?: string;
  cause?: unknown;
};

function defaultAdvice(a: AwsApiErrorArgs): string | undefined {
  if (a.throttling) {
    return "AWS throttled the calls; lower awsMigration:maxConcurrentStarts or raise the service quota, then run again.";
  }
  if (a.retryable) return "The error is transient; run again.";
  // Before the permission rule: EC2's AuthFailure means the credentials, not the policy.
  if (a.code === "CredentialsProviderError") return NO_CREDENTIALS_ADVICE;
  if (REJECTED_CREDENTIAL_CODES.has(a.code)) return REJECTED_CREDENTIALS_ADVICE;
  if (/AccessDenied|Unauthorized|NotAuthorized|AuthFailure/i.test(a.code)) {
    return `Grant the calling identity permission for ${a.operation} on ${a.service}, then run again.`;
  }
  return undefined;
}

/** An AWS call failed (after our retries, if it was retryable). */
export class AwsApiError extends MigrationError {
  readonly kind = "AwsApiError" as const;
  readonly service: string;
  readonly operation: string;
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;
  readonly retryable: boolean;
  readonly throttling: boolean;
  /** The service's own message, redacted, without our prefix. */
  readonly awsMessage: string;

  /** Message: `<service> <op> failed: <code> (HTTP <status>, request <id>): <message>. <advice>` */
  constructor(args: AwsApiErrorArgs) {
    const meta: string[] = [];
    if (args.httpStatus !== undefined) meta.push(`HTTP ${args.httpStatus}`);
    if (args.requestId !== undefined) meta.push(`request ${args.requestId}`);
    const head = `${args.service} ${args.operation} failed: ${args.code}${meta.length > 0 ? ` (${meta.join(", ")})` : ""}`;
    const advice = args.advice ?? defaultAdvice(args);
    const text = args.message.length > 0 ? `${head}: ${args.message}` : head;
    const end = /[.!?]$/.test(text) ? "" : ".";
    super(advice === undefined ? text : `${text}${end} ${advice}`, args.cause);
    this.service = args.service;
    this.operation = args.operation;
    this.code = args.code;
    this.httpStatus = args.httpStatus;
    this.requestId = args.requestId;
    this.retryable = args.retryable;
    this.throttling = args.throttling;
    this.awsMessage = args.message;
  }
}

/** A copy of `err` (its `cause`) ending with `advice` instead: what a provider knows of a code. */
export function withAdvice(err: AwsApiError, advice: string): AwsApiError {
  return new AwsApiError({ ...err, message: err.awsMessage, advice, cause: err });
}

/**
 * The task was created but failed (or its wait did). Pulumi's dynamic host packs these fields into
 * ErrorResourceInitFailed; `properties` needs `__provider` or a later delete/refresh fails.
 */
export class ImportTaskFailedError extends MigrationError {
  readonly kind = "ImportTaskFailedError" as const;
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  /** Message: `message` when given, else the reasons joined with "; ". */
  constructor(
    args: Pick<ImportTaskFailedError, "id" | "properties" | "reasons"> & {
      message?: string;
      cause?: unknown;
    },
  ) {
    super(args.message ?? args.reasons.join("; "), args.cause);
    this.id = args.id;
    this.properties = args.properties;
    this.reasons = [...args.reasons];
  }
}

/** Collapses a status sequence: `["A","A","A","B"]` → `"A×3, B"`. */
export function summarizeObserved(observed: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const status of observed) {
    const last = runs[runs.length - 1];
    if (last?.[0] === status) last[1]++;
    else runs.push([status, 1]);
  }
  return runs.map(([status, n]) => (n > 1 ? `${status}×${n}` : status)).join(", ");
}

/** `850ms`, `20s`, `2.5 min`, `60 min` — precise for short test waits, short for long ones. */
function formatDuration(ms: number): string {
  const round1 = (n: number): string => String(Math.round(n * 10) / 10);
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 120_000) return `${round1(ms / 1000)}s`;
  return `${round1(ms / 60_000)} min`;
}

/** The waiter reached its deadline with no acceptor matched. */
export class WaiterTimeoutError extends MigrationError {
  readonly kind = "WaiterTimeoutError" as const;
  readonly elapsedMs: number;
  readonly limitMs: number;
  readonly observed: string[];

  /** Message: `<subject> is still <last> after <t> (limit <t>; observed A×3, B). <advice>` */
  constructor(
    args: Pick<WaiterTimeoutError, "elapsedMs" | "limitMs" | "observed"> & {
      subject?: string;
      advice?: string;
    },
  ) {
    const subject = args.subject ?? "the task";
    const last = args.observed[args.observed.length - 1];
    const state = last === undefined ? "was never observed" : `is still ${last}`;
    const seen = args.observed.length > 0 ? `; observed ${summarizeObserved(args.observed)}` : "";
    const advice =
      args.advice ??
      "The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting.";
    super(
      `${subject} ${state} after ${formatDuration(args.elapsedMs)} (limit ${formatDuration(args.limitMs)}${seen}). ${advice}`,
    );
    this.elapsedMs = args.elapsedMs;
    this.limitMs = args.limitMs;
    this.observed = [...args.observed];
  }
}

/** A wait (or a retry back-off) was aborted through its AbortSignal. */
export class WaitAbortedError extends MigrationError {
  readonly kind = "WaitAbortedError" as const;
  readonly observed: string[];

  constructor(args?: { subject?: string; observed?: string[]; reason?: string }) {
    const subject = args?.subject ?? "the wait";
    const observed = args?.observed ?? [];
    const seen = observed.length > 0 ? ` (observed ${summarizeObserved(observed)})` : "";
    const reason = args?.reason === undefined ? "" : `: ${args.reason}`;
    super(
      `${subject} was aborted${reason}${seen}. The AWS task, if started, keeps running; run \`pulumi up\` again to resume waiting.`,
    );
    this.observed = [...observed];
  }
}

const guard =
  <K extends MigrationErrorKind>(kind: K) =>
  (e: unknown): e is KindMap[K] =>
    isMigrationError(e, kind);

export const isInputValidationError = guard("InputValidationError");
export const isAwsApiError = guard("AwsApiError");
export const isImportTaskFailedError = guard("ImportTaskFailedError");
export const isWaiterTimeoutError = guard("WaiterTimeoutError");
export const isWaitAbortedError = guard("WaitAbortedError");
