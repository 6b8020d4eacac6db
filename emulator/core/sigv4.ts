import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { EmulatorRequest } from "./http";

/**
 * Server-side SigV4 verification, written from the AWS Signature Version 4 specification (not from
 * the SDK's signer, so a bug in either side shows up as a failed request).
 */
export interface Credential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /**
   * IAM actions this key may call, as in a policy's Allow statement: "discovery:StartImportTask",
   * "mgn:List*", "ec2:*", "*". Omitted: every action (the default local key pair).
   */
  readonly allow?: readonly string[];
  /**
   * The X-Amz-Security-Token every request signed with this key must carry: set for temporary
   * credentials (STS AssumeRole) and for a configured key pair that names one.
   */
  readonly sessionToken?: string;
  /** Emulated epoch ms from which the key is refused as expired (temporary credentials). */
  readonly expiresMs?: number;
  /** The role session temporary credentials act as (GetCallerIdentity, IAM error messages). */
  readonly assumedRole?: AssumedRole;
}

/** An assumed-role session, as STS names it in `AssumedRoleUser`. */
export interface AssumedRole {
  readonly roleArn: string;
  readonly roleName: string;
  /** The role's unique ID (`AROA…`); `AssumedRoleId` is `<roleId>:<sessionName>`. */
  readonly roleId: string;
  readonly sessionName: string;
}

/** Where verification finds a key: the configured pairs, then the sessions STS has issued. */
export interface CredentialLookup {
  get(accessKeyId: string): Credential | undefined;
}

/**
 * `expired`: a presigned URL past its X-Amz-Expires; `skewed`: a signed request more than 15
 * minutes off; `badToken`: the session token of temporary credentials missing or wrong;
 * `expiredToken`: temporary credentials past their Expiration (on the emulated clock).
 */
export type AuthFailureKind =
  | "missing"
  | "unknownKey"
  | "badSignature"
  | "expired"
  | "skewed"
  | "malformed"
  | "badToken"
  | "expiredToken";

export type AuthResult =
  | { ok: true; credential: Credential; region: string; service: string }
  | { ok: false; kind: AuthFailureKind; detail: string; service?: string; region?: string };

interface ParsedAuth {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  presigned: boolean;
  expiresSeconds?: number;
}

/** RFC 3986 encoding, as SigV4 requires (encodeURIComponent leaves !'()* alone). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** Reads the signing scope without verifying anything: routing needs the service name first. */
export function peekScope(
  req: EmulatorRequest,
): { service: string; region: string; accessKeyId: string } | undefined {
  const parsed = parseAuth(req);
  if (!parsed || "error" in parsed) return undefined;
  return { service: parsed.service, region: parsed.region, accessKeyId: parsed.accessKeyId };
}

function parseAuth(req: EmulatorRequest): ParsedAuth | { error: string } | undefined {
  const header = req.headers["authorization"];
  if (header) {
    const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
    if (!m?.[1]) return { error: "Authorization header requires the AWS4-HMAC-SHA256 algorithm" };
    const parts: Record<string, string> = {};
    for (const piece of m[1].split(",")) {
      const eq = piece.indexOf("=");
      if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
    }
    const cred = parts["Credential"]?.split("/");
    if (
      !cred ||
      cred.length !== 5 ||
      cred[4] !== "aws4_request" ||
      !parts["SignedHeaders"] ||
      !parts["Signature"]
    ) {
      return {
        error:
          "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters",
      };
    }
    const amzDate = req.headers["x-amz-date"] ?? "";
    return {
      accessKeyId: cred[0] ?? "",
      date: cred[1] ?? "",
      region: cred[2] ?? "",
      service: cred[3] ?? "",
      signedHeaders: parts["SignedHeaders"].split(";"),
      signature: parts["Signature"],
      amzDate,
      presigned: false,
    };
  }
  const q = req.query;
  if (q.get("X-Amz-Algorithm") === "AWS4-HMAC-SHA256") {
    const cred = (q.get("X-Amz-Credential") ?? "").split("/");
    if (cred.length !== 5) return { error: "X-Amz-Credential is malformed" };
    // SigV4 allows 1..604800 seconds; anything else would otherwise make a URL that never expires.
    const expires = q.get("X-Amz-Expires") ?? "900";
    if (!/^\d{1,6}$/.test(expires) || Number(expires) < 1 || Number(expires) > 604800) {
      return { error: "X-Amz-Expires must be a number of seconds between 1 and 604800" };
    }
    return {
      accessKeyId: cred[0] ?? "",
      date: cred[1] ?? "",
      region: cred[2] ?? "",
      service: cred[3] ?? "",
      signedHeaders: (q.get("X-Amz-SignedHeaders") ?? "host").split(";"),
      signature: q.get("X-Amz-Signature") ?? "",
      amzDate: q.get("X-Amz-Date") ?? "",
      presigned: true,
      expiresSeconds: Number(expires),
    };
  }
  return undefined;
}

function parseAmzDate(amzDate: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) return undefined;
  return Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}

/** Percent-decoding that keeps a broken escape as sent (it then fails the signature check, as in AWS). */
function decodeLoose(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function canonicalQuery(rawQuery: string, dropSignature: boolean): string {
  if (!rawQuery) return "";
  const pairs: [string, string][] = [];
  for (const piece of rawQuery.split("&")) {
    if (!piece) continue;
    const eq = piece.indexOf("=");
    const k = decodeLoose((eq < 0 ? piece : piece.slice(0, eq)).replace(/\+/g, "%20"));
    const v = eq < 0 ? "" : decodeLoose(piece.slice(eq + 1).replace(/\+/g, "%20"));
    if (dropSignature && k === "X-Amz-Signature") continue;
    pairs.push([uriEncode(k), uriEncode(v)]);
  }
  pairs.sort((a, b) =>
    a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0,
  );
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

function canonicalPath(rawPath: string, service: string): string {
  if (service === "s3") return rawPath || "/"; // S3 signs the path as sent, encoded once
  // Every other service double-encodes: the path as sent is encoded again, segment by segment.
  return (rawPath || "/")
    .split("/")
    .map((seg) => uriEncode(seg))
    .join("/");
}

export interface VerifyOptions {
  readonly credentials: CredentialLookup;
  /** Real epoch ms, for the 15-minute skew window. */
  readonly now: number;
  /** Emulated epoch ms, for the expiry of temporary credentials (STS durations are emulated). */
  readonly emulatedNow: number;
}

/**
 * The session token check AWS makes before the signature: temporary credentials need their own
 * token and are refused once expired; a configured key pair without a token ignores one that a
 * client sends anyway (a stray AWS_SESSION_TOKEN), where AWS would refuse it, so that local
 * set-ups with leftover environment variables keep working.
 */
function checkToken(
  credential: Credential,
  token: string | undefined,
  emulatedNow: number,
): { kind: "badToken" | "expiredToken"; detail: string } | undefined {
  if (credential.sessionToken === undefined) return undefined;
  if (token !== credential.sessionToken) {
    return {
      kind: "badToken",
      detail: token === undefined ? "the session token is missing" : "the session token is wrong",
    };
  }
  if (credential.expiresMs !== undefined && emulatedNow >= credential.expiresMs)
    return { kind: "expiredToken", detail: "the session token has expired" };
  return undefined;
}

export function verifySigV4(req: EmulatorRequest, opts: VerifyOptions): AuthResult {
  const parsed = parseAuth(req);
  if (!parsed) return { ok: false, kind: "missing", detail: "Missing Authentication Token" };
  if ("error" in parsed) return { ok: false, kind: "malformed", detail: parsed.error };
  const scope = { service: parsed.service, region: parsed.region };
  const credential = opts.credentials.get(parsed.accessKeyId);
  if (!credential)
    return {
      ok: false,
      kind: "unknownKey",
      detail: `unknown access key ${parsed.accessKeyId}`,
      ...scope,
    };
  const token = parsed.presigned
    ? (req.query.get("X-Amz-Security-Token") ?? undefined)
    : req.headers["x-amz-security-token"];
  const tokenProblem = checkToken(credential, token, opts.emulatedNow);
  if (tokenProblem) return { ok: false, ...tokenProblem, ...scope };

  const signedAt = parseAmzDate(parsed.amzDate);
  if (signedAt === undefined)
    return { ok: false, kind: "malformed", detail: "X-Amz-Date is missing or malformed", ...scope };
  if (parsed.presigned) {
    if (opts.now > signedAt + (parsed.expiresSeconds ?? 900) * 1000) {
      return { ok: false, kind: "expired", detail: "Request has expired", ...scope };
    }
  } else if (Math.abs(opts.now - signedAt) > 15 * 60 * 1000) {
    return {
      ok: false,
      kind: "skewed",
      detail: `Signature expired: ${parsed.amzDate} is now earlier or later than the 15 minute window`,
      ...scope,
    };
  }

  const headerLines = parsed.signedHeaders.map((name) => {
    const value = name === "host" ? (req.headers["host"] ?? "") : (req.headers[name] ?? "");
    return `${name}:${value.trim().replace(/\s+/g, " ")}\n`;
  });
  const payloadHash = parsed.presigned
    ? "UNSIGNED-PAYLOAD"
    : (req.headers["x-amz-content-sha256"] ?? sha256Hex(req.body));
  const canonicalRequest = [
    req.method,
    canonicalPath(req.rawPath, parsed.service),
    canonicalQuery(req.rawQuery, parsed.presigned),
    headerLines.join(""),
    parsed.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scopeString = `${parsed.date}/${parsed.region}/${parsed.service}/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    parsed.amzDate,
    scopeString,
    sha256Hex(canonicalRequest),
  ].join("\n");
  const kDate = hmac("AWS4" + credential.secretAccessKey, parsed.date);
  const kRegion = hmac(kDate, parsed.region);
  const kService = hmac(kRegion, parsed.service);
  const kSigning = hmac(kService, "aws4_request");
  const expected = Buffer.from(hmac(kSigning, stringToSign).toString("hex"));
  const given = Buffer.from(parsed.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, kind: "badSignature", detail: "signature mismatch", ...scope };
  }
  // A body hash the client declared must match what arrived (S3 sends it; others may).
  const declared = req.headers["x-amz-content-sha256"];
  if (declared && /^[0-9a-f]{64}$/.test(declared) && declared !== sha256Hex(req.body)) {
    return {
      ok: false,
      kind: "badSignature",
      detail: "x-amz-content-sha256 does not match the body",
      ...scope,
    };
  }
  return { ok: true, credential, ...scope };
}

/** Produces a presigned-style query string for URLs the emulator hands out (e.g. ADS error zips). */
export function presignEmulatorUrl(
  baseUrl: string,
  path: string,
  credential: Credential,
  region: string,
  service: string,
  realNow: number,
  expiresSeconds: number,
): string {
  const d = new Date(realNow)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const date = d.slice(0, 8);
  const host = new URL(baseUrl).host;
  const params: [string, string][] = [
    ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
    ["X-Amz-Credential", `${credential.accessKeyId}/${date}/${region}/${service}/aws4_request`],
    ["X-Amz-Date", d],
    ["X-Amz-Expires", String(expiresSeconds)],
    ["X-Amz-SignedHeaders", "host"],
    // A URL signed with temporary credentials carries their token, as AWS presigned URLs do.
    ...(credential.sessionToken === undefined
      ? []
      : ([["X-Amz-Security-Token", credential.sessionToken]] as [string, string][])),
  ];
  const rawQuery = params.map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).join("&");
  const canonicalRequest = [
    "GET",
    path,
    canonicalQuery(rawQuery, false),
    `host:${host}\n`,
    "host",
    "UNSIGNED-PAYLOAD",
  ].join("\n");
  const scopeString = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", d, scopeString, sha256Hex(canonicalRequest)].join("\n");
  const kSigning = hmac(
    hmac(hmac(hmac("AWS4" + credential.secretAccessKey, date), region), service),
    "aws4_request",
  );
  const signature = hmac(kSigning, stringToSign).toString("hex");
  return `${baseUrl}${path}?${rawQuery}&X-Amz-Signature=${signature}`;
}
