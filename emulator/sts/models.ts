import {
  type IssuedSessions,
  principalArn,
  type RoleDefinition,
  SESSIONS_KEY,
  userIdOf,
} from "../core/identity";
import { allows } from "../core/protocols";
import type { OperationContext, QueryParams } from "../core/service";
import type { Credential } from "../core/sigv4";
import type { XmlObject } from "../core/xml";
import { assumeRoleDenied, durationTooLong, invalidArn } from "./errors";
import { assumeRoleInput } from "./validate";

/**
 * STS: AssumeRole issues temporary credentials that act in the role's account; GetCallerIdentity
 * says who a key belongs to. Sessions live in global state (core/identity.ts SESSIONS_KEY), where
 * the front door finds them to authenticate every later request; their expiry runs on the
 * emulated clock, so a fast time scale ages them as it ages import tasks.
 */

/** STS's default session length: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
const DEFAULT_DURATION_SECONDS = 3600;
/** Role chaining caps a session at one hour, whatever the role's MaxSessionDuration. */
const CHAINED_MAX_SECONDS = 3600;
/**
 * Sessions kept, newest expiry first; older ones are forgotten (their keys then fail as unknown
 * rather than expired). Bounds the state file of a long run at a fast time scale.
 */
const MAX_SESSIONS = 1000;

const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;
const KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function sessions(ctx: OperationContext): IssuedSessions {
  return ctx.state<IssuedSessions>(SESSIONS_KEY, () => ({}), "global");
}

/** ISO 8601 to the second, as STS writes `Expiration`. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Whether the role's trust policy, its ExternalId condition and the caller's own policy admit the call. */
function admitted(
  caller: Credential,
  role: RoleDefinition | undefined,
  externalId?: string,
): boolean {
  return (
    role !== undefined &&
    role.trustedAccounts.includes(caller.accountId) &&
    (role.externalId === undefined || role.externalId === externalId) &&
    allows(caller.allow, "sts:AssumeRole")
  );
}

function newAccessKeyId(ctx: OperationContext, issued: IssuedSessions): string {
  for (;;) {
    const id = `ASIA${ctx.random.chars(KEY_ALPHABET, 16)}`;
    if (!Object.hasOwn(issued, id)) return id;
  }
}

function forgetOldest(issued: IssuedSessions): void {
  const ids = Object.keys(issued);
  if (ids.length <= MAX_SESSIONS) return;
  ids
    .sort((a, b) => (issued[a]?.expiresMs ?? 0) - (issued[b]?.expiresMs ?? 0))
    .slice(0, ids.length - MAX_SESSIONS)
    .forEach((id) => delete issued[id]);
}

export function assumeRole(ctx: OperationContext, params: QueryParams): XmlObject {
  const input = assumeRoleInput(params);
  const arn = ROLE_ARN.exec(input.roleArn);
  if (!arn) throw invalidArn();
  const caller = ctx.credential;
  const role = ctx.roles.get(input.roleArn);
  if (!role || !admitted(caller, role, input.externalId))
    throw assumeRoleDenied(principalArn(caller), input.roleArn);
  const seconds = input.durationSeconds ?? DEFAULT_DURATION_SECONDS;
  const chained = caller.assumedRole !== undefined;
  if (chained && seconds > CHAINED_MAX_SECONDS) throw durationTooLong(true);
  if (seconds > role.maxSessionDurationSeconds) throw durationTooLong(false);

  const issued = sessions(ctx);
  const accessKeyId = newAccessKeyId(ctx, issued);
  // Whole seconds, so that the Expiration a client reads is the instant the key stops working.
  const expiresMs = Math.floor((ctx.clock.now() + seconds * 1000) / 1000) * 1000;
  const credential: Credential = {
    accessKeyId,
    secretAccessKey: ctx.random.chars(SECRET_ALPHABET, 40),
    accountId: role.accountId,
    ...(role.allow === undefined ? {} : { allow: role.allow }),
    sessionToken: `IQoJb3JpZ2luX2Vj${ctx.random.chars(SECRET_ALPHABET, 300)}`,
    expiresMs,
    assumedRole: {
      roleArn: role.roleArn,
      roleName: role.roleName,
      roleId: role.roleId,
      sessionName: input.roleSessionName,
    },
  };
  issued[accessKeyId] = credential;
  forgetOldest(issued);
  ctx.markDirty();
  return {
    Credentials: {
      AccessKeyId: credential.accessKeyId,
      SecretAccessKey: credential.secretAccessKey,
      SessionToken: credential.sessionToken,
      Expiration: isoSeconds(expiresMs),
    },
    AssumedRoleUser: { AssumedRoleId: userIdOf(credential), Arn: principalArn(credential) },
    SourceIdentity: input.sourceIdentity,
  };
}

/** Needs no permission: https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html */
export function getCallerIdentity(ctx: OperationContext): XmlObject {
  return {
    UserId: userIdOf(ctx.credential),
    Account: ctx.credential.accountId,
    Arn: principalArn(ctx.credential),
  };
}
