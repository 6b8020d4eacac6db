import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * Sends a hand-built, correctly signed request, for the wire cases SDK clients never produce
 * (malformed bodies, unknown targets, oversized payloads).
 */
export interface RawRequest {
  readonly service: string;
  readonly region?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly sign?: boolean;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** Temporary credentials' token, sent (and signed) as X-Amz-Security-Token. */
  readonly sessionToken?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export async function sendRaw(baseUrl: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = req.body ?? "";
  const request = new HttpRequest({
    method: req.method ?? "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: req.path ?? "/",
    headers: { host: url.host, ...(req.headers ?? {}) },
    body,
  });
  const signed =
    req.sign === false
      ? request
      : await new SignatureV4({
          service: req.service,
          region: req.region ?? "us-west-2",
          credentials: {
            accessKeyId: req.accessKeyId ?? "test",
            secretAccessKey: req.secretAccessKey ?? "test",
            ...(req.sessionToken === undefined ? {} : { sessionToken: req.sessionToken }),
          },
          sha256: Hash.bind(null, "sha256"),
        }).sign(request);
  const headers = { ...signed.headers };
  delete headers["host"];
  const res = await fetch(`${baseUrl}${req.path ?? "/"}`, {
    method: signed.method,
    headers,
    ...(signed.method === "GET" || signed.method === "HEAD"
      ? {}
      : { body: typeof body === "string" ? body : new Uint8Array(body) }),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
