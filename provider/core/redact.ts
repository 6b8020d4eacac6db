/** Redaction of credentials in text (often a message with a URL inside) for logs, errors, state. */

export const REDACTED = "REDACTED";

/** Query parameters whose value is (part of) a credential. Lower-cased for matching. */
const CREDENTIAL_PARAMS = [
  "x-amz-signature",
  "x-amz-credential",
  "x-amz-security-token",
  "signature",
  "awsaccesskeyid",
];
const SIGNATURE_PARAMS = new Set(["x-amz-signature", "signature"]);

/** A query string: what follows `?` up to whitespace, a fragment or a quote. */
const QUERY_RE = /\?([^\s#"'<>]+)/g;
/** A credential parameter anywhere (also outside a URL), not preceded by a name character. */
const PARAM_RE = new RegExp(
  `(?<![A-Za-z0-9_-])(${CREDENTIAL_PARAMS.join("|")})=([^&#\\s"'<>;]+)`,
  "gi",
);
/** `scheme://userinfo@` — the userinfo (user, or user:password) is replaced whole. */
const USERINFO_RE = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@"'<>]+)@/gi;
/** A secret after its well-known key name: `aws_secret_access_key = x`, `"SessionToken": "x"`. */
const KEYED_SECRET_RE =
  /((?:aws_secret_access_key|secret_access_key|secretAccessKey|aws_session_token|sessionToken|aws_security_token)["']?\s*[:=]\s*["']?)([^\s"',;&}\]]+)/gi;
const ACCESS_KEY_ID = "(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}";
/** A bare 40-character secret key right after an access key ID (`AKIA… wJalr…`). */
const SECRET_AFTER_ID_RE = new RegExp(
  `\\b(${ACCESS_KEY_ID})([^A-Za-z0-9/+]{1,5})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])`,
  "g",
);
/** A bare 40-character secret key right before an access key ID. */
const SECRET_BEFORE_ID_RE = new RegExp(
  `(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}([^A-Za-z0-9/+]{1,5})(${ACCESS_KEY_ID})\\b`,
  "g",
);

function redactQuery(query: string): string {
  const pairs = query.split("&");
  const names = pairs.map((p) => decodeName(p.split("=", 1)[0] ?? ""));
  // Legacy (SigV2) presigned URLs carry Expires beside Signature; together they are the credential.
  const signed = names.some((n) => SIGNATURE_PARAMS.has(n));
  const secret = (name = ""): boolean =>
    CREDENTIAL_PARAMS.includes(name) || (signed && name === "expires");
  return pairs
    .map((pair, i) =>
      pair.includes("=") && secret(names[i]) ? `${pair.split("=", 1)[0]}=${REDACTED}` : pair,
    )
    .join("&");
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** Replaces every credential in `text` with `REDACTED`; everything else is left as it was. */
export function redact(text: string): string {
  return text
    .replace(QUERY_RE, (_m, q: string) => `?${redactQuery(q)}`)
    .replace(PARAM_RE, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(USERINFO_RE, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(KEYED_SECRET_RE, (_m, head: string) => `${head}${REDACTED}`)
    .replace(SECRET_AFTER_ID_RE, (_m, id: string, sep: string) => `${id}${sep}${REDACTED}`)
    .replace(SECRET_BEFORE_ID_RE, (_m, sep: string, id: string) => `${REDACTED}${sep}${id}`);
}

/** A URL with its signature parameters and userinfo replaced by `REDACTED`. */
export const redactUrl: (url: string) => string = redact;

/** True for a presigned URL (signature/credential query parameters) or a URL with userinfo. */
export function isCredentialBearingUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== "" || parsed.password !== "") return true;
  for (const name of parsed.searchParams.keys()) {
    if (CREDENTIAL_PARAMS.includes(name.toLowerCase())) return true;
  }
  return false;
}
