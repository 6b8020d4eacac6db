/**
 * A small typed client for the Application Discovery Service import operations, built on the AWS
 * SDK v3's own building blocks (SigV4 signer, node credential chain, node HTTP handler, standard
 * retry strategy). `@aws-sdk/client-application-discovery-service` is not installable here; this
 * file mirrors its surface (`new XCommand(input)`, `client.send(command)`, Date timestamps, errors
 * named after the AWS code with `$metadata`) so the official package can replace it in one file.
 */
import { randomUUID } from "node:crypto";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";

export type ImportStatus =
  | "IMPORT_IN_PROGRESS"
  | "IMPORT_COMPLETE"
  | "IMPORT_COMPLETE_WITH_ERRORS"
  | "IMPORT_FAILED"
  | "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED"
  | "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE"
  | "DELETE_IN_PROGRESS"
  | "DELETE_COMPLETE"
  | "DELETE_FAILED"
  | "DELETE_FAILED_LIMIT_EXCEEDED"
  | "INTERNAL_ERROR"
  // Newer values arrive as plain strings; code must not reject them.
  | (string & {});

export interface ImportTask {
  importTaskId?: string;
  clientRequestToken?: string;
  name?: string;
  importUrl?: string;
  status?: ImportStatus;
  importRequestTime?: Date;
  importCompletionTime?: Date;
  importDeletedTime?: Date;
  fileClassification?: string;
  serverImportSuccess?: number;
  serverImportFailure?: number;
  applicationImportSuccess?: number;
  applicationImportFailure?: number;
  errorsAndFailedEntriesZip?: string;
}

export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

export interface StartImportTaskCommandInput {
  clientRequestToken?: string;
  name: string;
  importUrl: string;
}
export interface StartImportTaskCommandOutput {
  task?: ImportTask;
  $metadata: ResponseMetadata;
}

export type ImportTaskFilterName = "IMPORT_TASK_ID" | "STATUS" | "NAME" | "FILE_CLASSIFICATION";
export interface DescribeImportTasksCommandInput {
  filters?: { name: ImportTaskFilterName; values: string[] }[];
  maxResults?: number;
  nextToken?: string;
}
export interface DescribeImportTasksCommandOutput {
  nextToken?: string;
  tasks?: ImportTask[];
  $metadata: ResponseMetadata;
}

export interface BatchDeleteImportDataCommandInput {
  importTaskIds: string[];
  deleteHistory?: boolean;
}
export interface BatchDeleteImportDataCommandOutput {
  errors?: {
    importTaskId?: string;
    errorCode?: "NOT_FOUND" | "INTERNAL_SERVER_ERROR" | "OVER_LIMIT" | (string & {});
    errorDescription?: string;
  }[];
  $metadata: ResponseMetadata;
}

abstract class AdsCommand<I, O> {
  abstract readonly operation: string;
  constructor(readonly input: I) {}
  /** Phantom member so `send()` infers the output type. */
  declare readonly _output?: O;
}

export class StartImportTaskCommand extends AdsCommand<
  StartImportTaskCommandInput,
  StartImportTaskCommandOutput
> {
  readonly operation = "StartImportTask";
}
export class DescribeImportTasksCommand extends AdsCommand<
  DescribeImportTasksCommandInput,
  DescribeImportTasksCommandOutput
> {
  readonly operation = "DescribeImportTasks";
}
export class BatchDeleteImportDataCommand extends AdsCommand<
  BatchDeleteImportDataCommandInput,
  BatchDeleteImportDataCommandOutput
> {
  readonly operation = "BatchDeleteImportData";
}

/** Error thrown for any ADS error response, named after its AWS code like SDK service exceptions. */
export class ApplicationDiscoveryServiceException extends Error {
  readonly $fault: "client" | "server";
  readonly $metadata: ResponseMetadata;
  constructor(code: string, message: string, status: number, requestId: string | undefined) {
    super(message);
    this.name = code;
    this.$fault = status >= 500 ? "server" : "client";
    this.$metadata = { httpStatusCode: status, ...(requestId ? { requestId } : {}) };
  }
}

export interface ApplicationDiscoveryServiceClientConfig {
  region?: string;
  /** Overrides the endpoint; otherwise AWS_ENDPOINT_URL_APPLICATION_DISCOVERY_SERVICE, then AWS_ENDPOINT_URL. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, the first included (SDK default 3). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
}

const TARGET_PREFIX = "AWSPoseidonService_V2015_11_01";
const TIMESTAMP_FIELDS = [
  "importRequestTime",
  "importCompletionTime",
  "importDeletedTime",
] as const;

/** ADS timestamps are epoch seconds on the wire; generated clients hand out Dates. */
function reviveTask(raw: Record<string, unknown>): ImportTask {
  const task: Record<string, unknown> = { ...raw };
  for (const field of TIMESTAMP_FIELDS) {
    const v = raw[field];
    if (typeof v === "number") task[field] = new Date(Math.round(v * 1000));
  }
  return task;
}

export class ApplicationDiscoveryServiceClient {
  /** The default chain, built once per client: it caches what it resolves until expiry. */
  private defaultCredentials: AwsCredentialIdentityProvider | undefined;

  constructor(readonly config: ApplicationDiscoveryServiceClientConfig = {}) {}

  private resolveEndpoint(region: string): URL {
    const env = process.env;
    const url =
      this.config.endpoint ??
      env["AWS_ENDPOINT_URL_APPLICATION_DISCOVERY_SERVICE"] ??
      env["AWS_ENDPOINT_URL"] ??
      `https://discovery.${region}.amazonaws.com`;
    return new URL(url);
  }

  private async credentials(): Promise<AwsCredentialIdentity> {
    const c = this.config.credentials;
    if (typeof c === "function") return c();
    if (c) return c;
    // Resolved at call time from the standard chain; never stored by this package.
    if (!this.defaultCredentials) {
      const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
      this.defaultCredentials = defaultProvider();
    }
    return this.defaultCredentials();
  }

  send(command: StartImportTaskCommand): Promise<StartImportTaskCommandOutput>;
  send(command: DescribeImportTasksCommand): Promise<DescribeImportTasksCommandOutput>;
  send(command: BatchDeleteImportDataCommand): Promise<BatchDeleteImportDataCommandOutput>;
  async send(
    command: StartImportTaskCommand | DescribeImportTasksCommand | BatchDeleteImportDataCommand,
  ): Promise<
    | StartImportTaskCommandOutput
    | DescribeImportTasksCommandOutput
    | BatchDeleteImportDataCommandOutput
  > {
    const input = { ...(command.input as unknown as Record<string, unknown>) };
    // `clientRequestToken` is an idempotencyToken in the model: generated clients fill in a UUID once
    // per send (before their retry loop), so retries of one call can never start a second task.
    if (command.operation === "StartImportTask" && input["clientRequestToken"] === undefined) {
      input["clientRequestToken"] = randomUUID();
    }
    const body = await this.call(command.operation, input);
    const $metadata = body.$metadata;
    switch (command.operation) {
      case "StartImportTask": {
        const task = body.json["task"];
        return {
          ...(task ? { task: reviveTask(task as Record<string, unknown>) } : {}),
          $metadata,
        };
      }
      case "DescribeImportTasks": {
        const tasks = (body.json["tasks"] as Record<string, unknown>[] | undefined) ?? [];
        const nextToken = body.json["nextToken"];
        return {
          tasks: tasks.map(reviveTask),
          ...(typeof nextToken === "string" ? { nextToken } : {}),
          $metadata,
        };
      }
      case "BatchDeleteImportData":
        return {
          errors: (body.json["errors"] as BatchDeleteImportDataCommandOutput["errors"]) ?? [],
          $metadata,
        };
    }
  }

  private async call(
    operation: string,
    input: Record<string, unknown>,
  ): Promise<{ json: Record<string, unknown>; $metadata: ResponseMetadata }> {
    const region =
      this.config.region ?? process.env["AWS_REGION"] ?? process.env["AWS_DEFAULT_REGION"];
    if (!region)
      throw new ApplicationDiscoveryServiceException(
        "ConfigError",
        "Region is missing",
        400,
        undefined,
      );
    const [
      { SignatureV4 },
      { HttpRequest },
      { NodeHttpHandler },
      { Hash },
      { StandardRetryStrategy },
    ] = await Promise.all([
      import("@smithy/signature-v4"),
      import("@smithy/protocol-http"),
      import("@smithy/node-http-handler"),
      import("@smithy/hash-node"),
      import("@smithy/util-retry"),
    ]);
    const endpoint = this.resolveEndpoint(region);
    const handler = new NodeHttpHandler({ requestTimeout: this.config.requestTimeoutMs ?? 30_000 });
    const signer = new SignatureV4({
      service: "discovery",
      region,
      credentials: () => this.credentials(),
      sha256: Hash.bind(null, "sha256"),
    });
    const retry = new StandardRetryStrategy(this.config.maxAttempts ?? 3);
    let token = await retry.acquireInitialRetryToken(operation);
    const payload = JSON.stringify(input);
    try {
      for (let attempt = 1; ; attempt++) {
        const request = new HttpRequest({
          method: "POST",
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
          path: endpoint.pathname || "/",
          headers: {
            host: endpoint.host,
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": `${TARGET_PREFIX}.${operation}`,
            "content-length": String(Buffer.byteLength(payload)),
          },
          body: payload,
        });
        let status: number;
        let text: string;
        let requestId: string | undefined;
        let errorTypeHeader: string | undefined;
        try {
          const signed = await signer.sign(request);
          const { response } = await handler.handle(signed as InstanceType<typeof HttpRequest>);
          status = response.statusCode;
          requestId = response.headers["x-amzn-requestid"];
          errorTypeHeader = response.headers["x-amzn-errortype"];
          text = await readStream(response.body);
        } catch (err) {
          // Network errors and timeouts: retried as transient, like the SDK does.
          if (!isNetworkError(err)) throw err;
          try {
            token = await retry.refreshRetryTokenForRetry(token, { errorType: "TRANSIENT" });
          } catch {
            throw err;
          }
          await sleep(token.getRetryDelay());
          continue;
        }
        if (status < 300) {
          retry.recordSuccess(token);
          return {
            json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            $metadata: { httpStatusCode: status, requestId, attempts: attempt },
          };
        }
        const error = parseError(text, status, requestId, errorTypeHeader);
        const errorType = classify(error.name, status);
        if (errorType === "CLIENT_ERROR") throw error;
        try {
          token = await retry.refreshRetryTokenForRetry(token, { errorType });
        } catch {
          throw error;
        }
        await sleep(token.getRetryDelay());
      }
    } finally {
      // One handler per call, released once: destroying it between attempts would drop its agent.
      handler.destroy();
    }
  }

  destroy(): void {
    // Each call owns and closes its handler; nothing to release. Present for SDK parity.
  }
}

/** The SDK's cleanup of an error type: keep the text after `#`, drop anything after `:` or `,`. */
function sanitizeErrorCode(raw: string): string {
  const afterHash = raw.slice(raw.lastIndexOf("#") + 1);
  return afterHash.split(/[:,]/)[0] ?? afterHash;
}

function parseError(
  text: string,
  status: number,
  requestId: string | undefined,
  errorTypeHeader: string | undefined,
): ApplicationDiscoveryServiceException {
  let code = errorTypeHeader ? sanitizeErrorCode(errorTypeHeader) : "UnknownError";
  let message = `HTTP ${status}`;
  try {
    const body = JSON.parse(text) as {
      __type?: unknown;
      code?: unknown;
      message?: unknown;
      Message?: unknown;
    };
    // awsJson1_1: the body's __type (or code) wins over the header, as in current SDK protocols.
    const bodyCode =
      typeof body.__type === "string"
        ? body.__type
        : typeof body.code === "string"
          ? body.code
          : undefined;
    if (bodyCode) code = sanitizeErrorCode(bodyCode);
    const bodyMessage = typeof body.message === "string" ? body.message : body.Message;
    if (typeof bodyMessage === "string") message = bodyMessage;
  } catch {
    // A non-JSON error body (a proxy, say): keep the header's or the status-based name.
  }
  return new ApplicationDiscoveryServiceException(code, message, status, requestId);
}

const THROTTLING = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestThrottled",
  "RequestThrottledException",
]);

function classify(
  code: string,
  status: number,
): "THROTTLING" | "TRANSIENT" | "SERVER_ERROR" | "CLIENT_ERROR" {
  if (status === 429 || THROTTLING.has(code)) return "THROTTLING";
  if (status >= 500) return "TRANSIENT";
  return "CLIENT_ERROR";
}

const NETWORK_CODES = [
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
];

function isNetworkError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const { code, name } = err as { code?: unknown; name?: unknown };
  // The node handler rejects a request that exceeds requestTimeout with a TimeoutError (no code).
  return (typeof code === "string" && NETWORK_CODES.includes(code)) || name === "TimeoutError";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readStream(body: unknown): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
