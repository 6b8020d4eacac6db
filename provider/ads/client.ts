/**
 * The Application Discovery Service import operations on the AWS SDK v3's building blocks (SigV4
 * signer, credential chain, node HTTP handler, standard retry strategy).
 * `@aws-sdk/client-application-discovery-service` is not installable here; this mirrors its surface
 * (`client.send(new XCommand(input))`, Date timestamps, errors named after the AWS code with
 * `$metadata`) so the official package can replace it in one file.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Hash } from "@smithy/hash-node";
import { NodeHttpHandler, streamCollector } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  ResponseMetadata,
} from "@smithy/types";
import { StandardRetryStrategy } from "@smithy/util-retry";
import { TASK_MEMBERS } from "./api";

/** ImportTask members by wire type (status: IMPORT_COMPLETE, IMPORT_FAILED_*, DELETE_*, …). */
const STRINGS = [...TASK_MEMBERS.strings, "clientRequestToken", "name", "importUrl"] as const;
const { counts: COUNTS, times: TIMES } = TASK_MEMBERS;

export type ImportTask = Partial<
  Record<(typeof STRINGS)[number], string> &
    Record<(typeof COUNTS)[number], number> &
    Record<(typeof TIMES)[number], Date>
>;

export interface StartImportTaskCommandInput {
  clientRequestToken?: string;
  name: string;
  importUrl: string;
}
export interface DescribeImportTasksCommandInput {
  filters?: {
    name: "IMPORT_TASK_ID" | "STATUS" | "NAME" | "FILE_CLASSIFICATION";
    values: string[];
  }[];
  maxResults?: number;
  nextToken?: string;
}

export interface BatchDeleteImportDataCommandInput {
  importTaskIds: string[];
  deleteHistory?: boolean;
}
export interface BatchDeleteImportDataError {
  importTaskId?: string;
  errorCode?: "NOT_FOUND" | "INTERNAL_SERVER_ERROR" | "OVER_LIMIT" | (string & {});
  errorDescription?: string;
}

type Json = Record<string, unknown>;

/**
 * The modeled members that have their documented type (so a wire `null` never reaches outputs);
 * timestamps are epoch seconds on the wire and Dates in generated clients.
 */
function toImportTask(raw: unknown): ImportTask {
  const wire = (typeof raw === "object" && raw !== null ? raw : {}) as Json;
  const task: Json = {};
  for (const key of STRINGS) if (typeof wire[key] === "string") task[key] = wire[key];
  for (const key of COUNTS) if (Number.isFinite(wire[key])) task[key] = wire[key];
  for (const key of TIMES) {
    const v = wire[key];
    const date = typeof v === "number" ? new Date(Math.round(v * 1000)) : undefined;
    if (date !== undefined && !Number.isNaN(date.getTime())) task[key] = date;
  }
  return task;
}

type Operation = "StartImportTask" | "DescribeImportTasks" | "BatchDeleteImportData";

abstract class AdsCommand<I, O> {
  abstract readonly operation: Operation;
  constructor(readonly input: I) {}
  /** Phantom member so `send()` infers the output type (without `$metadata`). */
  declare readonly _output?: O;
}

export class StartImportTaskCommand extends AdsCommand<
  StartImportTaskCommandInput,
  { task?: ImportTask }
> {
  readonly operation = "StartImportTask";
}
export class DescribeImportTasksCommand extends AdsCommand<
  DescribeImportTasksCommandInput,
  { tasks?: ImportTask[]; nextToken?: string }
> {
  readonly operation = "DescribeImportTasks";
}
export class BatchDeleteImportDataCommand extends AdsCommand<
  BatchDeleteImportDataCommandInput,
  { errors?: BatchDeleteImportDataError[] }
> {
  readonly operation = "BatchDeleteImportData";
}

/** Each operation's output from its response JSON (without `$metadata`). */
const OUTPUT: Record<Operation, (json: Json) => Json> = {
  StartImportTask: (json) => (json["task"] ? { task: toImportTask(json["task"]) } : {}),
  DescribeImportTasks: (json) => ({
    tasks: ((json["tasks"] as unknown[] | undefined) ?? []).map(toImportTask),
    ...(typeof json["nextToken"] === "string" ? { nextToken: json["nextToken"] } : {}),
  }),
  BatchDeleteImportData: (json) => ({ errors: json["errors"] ?? [] }),
};

/** Error thrown for any ADS error response, named after its AWS code like SDK service exceptions. */
export class ApplicationDiscoveryServiceException extends Error {
  readonly $fault: "client" | "server";
  constructor(
    code: string,
    message: string,
    readonly $metadata: ResponseMetadata,
  ) {
    super(message);
    this.name = code;
    this.$fault = ($metadata.httpStatusCode ?? 0) >= 500 ? "server" : "client";
  }
}

export interface ApplicationDiscoveryServiceClientConfig {
  region?: string;
  /** Overrides the endpoint; otherwise AWS_ENDPOINT_URL_APPLICATION_DISCOVERY_SERVICE, then AWS_ENDPOINT_URL. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, the first included (SDK default 3). */
  maxAttempts?: number;
}

export class ApplicationDiscoveryServiceClient {
  /** The config's, else the default chain: resolved at call time, cached until expiry, never stored. */
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;

  constructor(readonly config: ApplicationDiscoveryServiceClientConfig = {}) {
    this.credentials = config.credentials ?? defaultProvider();
  }

  async send<I, O>(command: AdsCommand<I, O>): Promise<O & { $metadata: ResponseMetadata }> {
    const { operation } = command;
    const env = process.env;
    const region = this.config.region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"];
    if (!region) {
      throw new ApplicationDiscoveryServiceException("ConfigError", "Region is missing", {
        httpStatusCode: 400,
      });
    }
    const input = { ...command.input } as Json;
    // `clientRequestToken` is an idempotencyToken in the model: generated clients fill in a UUID
    // once per send (before their retry loop), so retries of one call can never start a second task.
    if (operation === "StartImportTask" && input["clientRequestToken"] === undefined) {
      input["clientRequestToken"] = randomUUID();
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
      credentials: this.credentials,
      sha256: Hash.bind(null, "sha256"),
    });
    const handler = new NodeHttpHandler({ requestTimeout: 30_000 });
    const retry = new StandardRetryStrategy(this.config.maxAttempts ?? 3);
    let token = await retry.acquireInitialRetryToken(operation);
    try {
      for (let attempts = 1; ; attempts++) {
        try {
          const { response } = await handler.handle((await signer.sign(request)) as HttpRequest);
          const text = new TextDecoder().decode(await streamCollector(response.body as Readable));
          const requestId = response.headers["x-amzn-requestid"];
          const meta = { httpStatusCode: response.statusCode, ...(requestId ? { requestId } : {}) };
          if (response.statusCode >= 300) {
            throw parseError(text, meta, response.headers["x-amzn-errortype"]);
          }
          retry.recordSuccess(token);
          const json = text ? (JSON.parse(text) as Json) : {};
          const $metadata = { ...meta, attempts };
          return { ...OUTPUT[operation](json), $metadata } as O & { $metadata: ResponseMetadata };
        } catch (error) {
          const errorType = retryType(error);
          if (errorType === undefined) throw error;
          try {
            token = await retry.refreshRetryTokenForRetry(token, { errorType });
          } catch {
            throw error;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, token.getRetryDelay()));
      }
    } finally {
      // One handler per call, released once: destroying it between attempts would drop its agent.
      handler.destroy();
    }
  }
}

/** awsJson1_1: the body's __type (or code) wins over the x-amzn-errortype header, as in current SDK protocols. */
function parseError(
  text: string,
  meta: ResponseMetadata & { httpStatusCode: number },
  errorTypeHeader: string | undefined,
): ApplicationDiscoveryServiceException {
  let code = errorTypeHeader || "UnknownError";
  let message = `HTTP ${meta.httpStatusCode}`;
  try {
    const body = JSON.parse(text) as Json;
    const bodyCode = [body["__type"], body["code"]].find((v) => typeof v === "string");
    if (typeof bodyCode === "string" && bodyCode) code = bodyCode;
    const bodyMessage = typeof body["message"] === "string" ? body["message"] : body["Message"];
    if (typeof bodyMessage === "string") message = bodyMessage;
  } catch {
    // A non-JSON error body (a proxy, say): keep the header's or the status-based name.
  }
  // The SDK's cleanup of an error type: keep the text after `#`, drop anything after `:` or `,`.
  code = code.slice(code.lastIndexOf("#") + 1).replace(/[:,][\s\S]*$/, "");
  return new ApplicationDiscoveryServiceException(code, message, meta);
}

const THROTTLING =
  /^(?:Throttling(?:Exception)?|TooManyRequestsException|RequestThrottled(?:Exception)?)$/;
const NETWORK_CODES =
  /^E(?:CONNRESET|CONNREFUSED|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|NOTFOUND|AI_AGAIN)$/;

/** How the retry strategy sees a failure, as the SDK classifies it; undefined: not retried. */
function retryType(err: unknown): "THROTTLING" | "TRANSIENT" | undefined {
  if (err instanceof ApplicationDiscoveryServiceException) {
    if (err.$metadata.httpStatusCode === 429 || THROTTLING.test(err.name)) return "THROTTLING";
    return err.$fault === "server" ? "TRANSIENT" : undefined;
  }
  // Network errors and timeouts (the node handler's TimeoutError has no code).
  const { code, name } = (err ?? {}) as { code?: unknown; name?: unknown };
  return NETWORK_CODES.test(String(code)) || name === "TimeoutError" ? "TRANSIENT" : undefined;
}
