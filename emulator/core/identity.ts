import { createHash } from "node:crypto";
import type { Credential } from "./sigv4";

/**
 * Who a caller is: the IAM identities behind key pairs and the role sessions STS issues. Shared by
 * the front door (authentication, IAM messages) and the STS service (emulator/sts), which issues
 * the sessions this module looks up.
 */

/** A role STS issues sessions for: EmulatorOptions.roles, validated (emulator/accounts.ts). */
export interface RoleDefinition {
  readonly roleArn: string;
  /** The account in the ARN: temporary credentials act in it. */
  readonly accountId: string;
  /** The last segment of the ARN, without its path. */
  readonly roleName: string;
  /** The role's unique ID (`AROA` + 17 characters), derived from its ARN so it is stable. */
  readonly roleId: string;
  /** Accounts whose principals the trust policy admits. */
  readonly trustedAccounts: readonly string[];
  /** The `sts:ExternalId` the trust policy's condition requires, if any. */
  readonly externalId?: string;
  /** The role's permissions, as IAM actions (as `credentials[].allow`). Omitted: every action. */
  readonly allow?: readonly string[];
  /** The role's MaxSessionDuration, in seconds (3600–43200). */
  readonly maxSessionDurationSeconds: number;
}

/**
 * The state key (global scope) of the sessions STS has issued, by access key ID. Persisted with
 * the rest of the state, so an emulator restarted on its data dir keeps honouring them.
 */
export const SESSIONS_KEY = "sts:sessions";

export type IssuedSessions = Record<string, Credential>;

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * A unique-ID-shaped string: `prefix` + 17 characters derived from `seed`. IAM unique IDs are
 * 21 characters with a type prefix (AIDA a user, AROA a role):
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
export function uniqueId(prefix: "AIDA" | "AROA", seed: string): string {
  const digest = createHash("sha256").update(seed).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += ID_ALPHABET[(digest[i] ?? 0) % ID_ALPHABET.length];
  return out;
}

/**
 * The caller's ARN, as IAM names it in "User: <arn> is not authorized" messages and STS in
 * GetCallerIdentity: an assumed-role session, or the IAM user a key pair belongs to (the emulator
 * names the user after the access key ID).
 */
export function principalArn(credential: Credential): string {
  const role = credential.assumedRole;
  return role
    ? `arn:aws:sts::${credential.accountId}:assumed-role/${role.roleName}/${role.sessionName}`
    : `arn:aws:iam::${credential.accountId}:user/${credential.accessKeyId}`;
}

/** GetCallerIdentity's UserId: `<roleId>:<sessionName>` for a session, else the user's ID. */
export function userIdOf(credential: Credential): string {
  const role = credential.assumedRole;
  return role
    ? `${role.roleId}:${role.sessionName}`
    : uniqueId("AIDA", `${credential.accountId}:${credential.accessKeyId}`);
}
