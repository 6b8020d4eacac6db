/**
 * A small typed client for the Application Discovery Service import operations, built on the AWS
 * SDK v3's own building blocks (SigV4 signer, node credential chain, node HTTP handler, standard
 * retry strategy); api.ts requires it only when a provider is configured. `@aws-sdk/client-application-discovery-service` is not installable here; this
 * file mirrors its surface (`new XCommand(input)`, `client.send(command)`, Date timestamps, errors
 * named after the AWS code with `$metadata`) so the official package can replace it in one file.
 */
import { randomUUID } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { StandardRetryStrategy } from "@smithy/util-retry";

export interface ImportTask {
  importTaskId?: string;
  clientRequestToken?: string;
  name?: string;
  importUrl?: string;
  /**
   * IMPORT_IN_PROGRESS, IMPORT_COMPLETE[_WITH_ERRORS], IMPORT_FAILED[_SERVER_LIMIT_EXCEEDED |
   * _RECORD_LIMIT_EXCEEDED | _UNSUPPORTED_FILE_TYPE], DELETE_IN_PROGRESS, DELETE_COMPLETE,
   * DELETE_FAILED[_LIMIT_EXCEEDED], INTERNAL_ERROR; newer values arrive as other strings.
   */
  status?: string;
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

export interface DescribeImportTasksCommandInput {
  filters?: {
    name: "IMPORT_TASK_ID" | "STATUS" | "NAME" | "FILE_CLASSIFICATION";
    values: string[];
  }[];
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

type Json = Record<string, unknown>;

/** ADS timestamps are epoch seconds on the wire; generated clients hand out Dates. */
function reviveTask(raw: Json): ImportTask {
  const task: Json = { ...raw };
  for (const field of ["importRequestTime", "importCompletionTime", "importDeletedTime"]) {
    const v = raw[field];
    if (typeof v === "number") task[field] = new Date(Math.round(v * 1000));
  }
  return task;
}

abstract class AdsCommand<I, O> {
  abstract readonly operation: "StartImportTask" | "DescribeImportTasks" | "BatchDeleteImportData";
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

/** Each operation's output from its response JSON (without `$metadata`). */
const OUTPUT: Record<AdsCommand<unknown, unknown>["operation"], (json: Json) => Json> = {
  StartImportTask: (json) => (json["task"] ? { task: reviveTask(json["task"] as Json) } : {}),
  DescribeImportTasks: (json) => ({
    tasks: ((json["tasks"] as Json[] | undefined) ?? []).map(reviveTask),
    ...(typeof json["nextToken"] === "string" ? { nextToken: json["nextToken"] } : {}),
  }),
  BatchDeleteImportData: (json) => ({ errors: json["errors"] ?? [] }),
};

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

export class ApplicationDiscoveryServiceClient {
  /** The default chain, built once per client: it caches what it resolves until expiry. */
  private defaultCredentials: AwsCredentialIdentityProvider | undefined;

  constructor(readonly config: ApplicationDiscoveryServiceClientConfig = {}) {}

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

  async send<I, O>(command: AdsCommand<I, O>): Promise<O> {
    const input = { ...command.input } as Json;
    // `clientRequestToken` is an idempotencyToken in the model: generated clients fill in a UUID
    // once per send (before their retry loop), so retries of one call can never start a second task.
    if (command.operation === "StartImportTask" && input["clientRequestToken"] === undefined) {
      input["clientRequestToken"] = randomUUID();
    }
    const { json, $metadata } = await this.call(command.operation, input);
    return { ...OUTPUT[command.operation](json), $metadata } as O;
  }

  private async call(
    operation: string,
    input: object,
  ): Promise<{ json: Json; $metadata: ResponseMetadata }> {
    const env = process.env;
    const region = this.config.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
    if (!region) {
      throw new ApplicationDiscoveryServiceException(
        "ConfigError",
        "Region is missing",
        400,
        undefined,
      );
    }
    const endpoint = new URL(
      this.config.endpoint ??
        env["AWS_ENDPOINT_URL_APPLICATION_DISCOVERY_SERVICE"] ??
        env["AWS_ENDPOINT_URL"] ??
        `https://discovery.${region}.amazonaws.com`,
    );
    const payload = JSON.stringify(input);
    const request = new HttpRequest({
      method: "POST",
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path: endpoint.pathname || "/",
      headers: {
        host: endpoint.host,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": `AWSPoseidonService_V2015_11_01.${operation}`,
        "content-length": String(Buffer.byteLength(payload)),
      },
      body: payload,
    });
    const signer = new SignatureV4({
      service: "discovery",
      region,
      credentials: () => this.credentials(),
      sha256: Hash.bind(null, "sha256"),
    });
    const handler = new NodeHttpHandler({ requestTimeout: this.config.requestTimeoutMs ?? 30_000 });
    const retry = new StandardRetryStrategy(this.config.maxAttempts ?? 3);
    let token = await retry.acquireInitialRetryToken(operation);
    try {
      for (let attempt = 1; ; attempt++) {
        let failure: { error: unknown; type: "THROTTLING" | "TRANSIENT" | "CLIENT_ERROR" };
        try {
          const signed = await signer.sign(request);
          const { response } = await handler.handle(signed as typeof request);
          const status = response.statusCode;
          const requestId = response.headers["x-amzn-requestid"];
          const text = await readStream(response.body);
          if (status < 300) {
            retry.recordSuccess(token);
            return {
              json: text ? (JSON.parse(text) as Json) : {},
              $metadata: { httpStatusCode: status, requestId, attempts: attempt },
            };
          }
          const error = parseError(text, status, requestId, response.headers["x-amzn-errortype"]);
          const throttled = status === 429 || THROTTLING.has(error.name);
          failure = {
            error,
            type: throttled ? "THROTTLING" : status >= 500 ? "TRANSIENT" : "CLIENT_ERROR",
          };
        } catch (err) {
          // Network errors and timeouts: retried as transient, like the SDK does.
          if (!isNetworkError(err)) throw err;
          failure = { error: err, type: "TRANSIENT" };
        }
        if (failure.type === "CLIENT_ERROR") throw failure.error;
        try {
          token = await retry.refreshRetryTokenForRetry(token, { errorType: failure.type });
        } catch {
          throw failure.error;
        }
        await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
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
    const body = JSON.parse(text) as Json;
    // awsJson1_1: the body's __type (or code) wins over the header, as in current SDK protocols.
    const bodyCode = [body["__type"], body["code"]].find((v) => typeof v === "string");
    if (typeof bodyCode === "string" && bodyCode) code = sanitizeErrorCode(bodyCode);
    const bodyMessage = typeof body["message"] === "string" ? body["message"] : body["Message"];
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

async function readStream(body: unknown): Promise<string> {
  if (!body) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
