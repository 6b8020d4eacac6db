/**
 * A resource's target: a region, and optionally a role assumed through STS, its credentials only
 * in memory. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
import type * as Sts from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { type CheckFailure, checkFields, checkObject, type Fields, isPlainObject } from "./check";
import { toAwsApiError } from "./classify";
import { systemClock, type Clock } from "./clock";
import { withAdvice } from "./errors";

export interface AssumeRole {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
}

/** A resolved target: what one set of SDK clients, shared rounds and limiters serve. */
export type Target = { region?: string; assumeRole?: AssumeRole };

export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** `arn:aws:iam::<account>:role/[<path>/]<name>` in any partition (aws, aws-cn, aws-us-gov). */
const ROLE_ARN_RE = /^arn:aws[-a-z]*:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;

/** AssumeRole's own constraints on each member (the API reference's Request Parameters). */
const ASSUME_ROLE_FIELDS: Fields = {
  roleArn: [
    "string",
    {
      required: true,
      pattern: ROLE_ARN_RE,
      patternText: "arn:aws:iam::<12-digit account>:role/<name>",
      fix: "use the ARN of the role to assume, e.g. arn:aws:iam::222222222222:role/migration",
    },
  ],
  externalId: [
    "string",
    {
      minLength: 2,
      maxLength: 1224,
      pattern: /^[\w+=,.@:/-]+$/,
      patternText: "[\\w+=,.@:/-]+",
      fix: "use the sts:ExternalId the role's trust policy requires",
    },
  ],
  sessionName: [
    "string",
    {
      minLength: 2,
      maxLength: 64,
      pattern: /^[\w+=,.@-]+$/,
      patternText: "[\\w+=,.@-]+",
      fix: "use 2 to 64 letters, digits or +=,.@_- (it names the session in CloudTrail)",
    },
  ],
  durationSeconds: [
    "integer",
    {
      min: 900,
      max: 43_200,
      fix: "use 900 to 43200 seconds, at most the role's MaxSessionDuration (credentials are refreshed anyway)",
    },
  ],
};

/** The failures of `assumeRole` at `path` in `inputs`: an object of ASSUME_ROLE_FIELDS only. */
export function checkAssumeRole(inputs: Record<string, unknown>, path: string): CheckFailure[] {
  const failures: CheckFailure[] = [];
  checkObject(inputs, path, { fix: `set ${path} to { roleArn, externalId? }` }, failures);
  const value = inputs[path];
  if (!isPlainObject(value)) return failures;
  checkFields(inputs, path, ASSUME_ROLE_FIELDS, failures);
  const members = Object.keys(ASSUME_ROLE_FIELDS);
  const reason = `is not a member of ${path}. Fix: use only ${members.join(", ")}`;
  for (const key of Object.keys(value).filter((k) => !members.includes(k))) {
    failures.push({ property: `${path}.${key}`, reason });
  }
  return failures;
}

/** What keys a role's session: one session per role, external ID, session name and duration. */
function roleKey({ roleArn, externalId, sessionName, durationSeconds }: AssumeRole): string {
  return JSON.stringify([roleArn, externalId, sessionName, durationSeconds]);
}

/** Key of a target's service: account (the role's, else "default"), region and role. */
export function targetKey({ region, assumeRole }: Target): string {
  const account = ROLE_ARN_RE.exec(assumeRole?.roleArn ?? "")?.[1] ?? "default";
  const role = assumeRole === undefined ? "" : ` ${roleKey(assumeRole)}`;
  return `${account}/${region ?? "default"}${role}`;
}

export function isExpiredCredentials(err: unknown): boolean {
  return /^(ExpiredToken(Exception)?|RequestExpired)$/.test(toAwsApiError("", "", err).code);
}

export type TemporaryCredentials = Required<
  Pick<AwsCredentialIdentity, "accessKeyId" | "secretAccessKey" | "sessionToken" | "expiration">
>;

/** Where STS is: the region and endpoint of the first target that asked for a role. */
type StsWhere = { region?: string; endpoint?: string };

export type AssumeRoleCall = (
  role: AssumeRole & { sessionName: string },
  where: StsWhere,
) => Promise<TemporaryCredentials>;

/** One role's temporary credentials: cached, refreshed before expiry, replaced on demand. */
export class RoleSession {
  private cached: { credentials: TemporaryCredentials; refreshAt: number } | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;
  /** Which credentials are current; `expire(generation)` replaces only those. */
  generation = 0;

  constructor(
    readonly role: AssumeRole & { sessionName: string },
    private readonly where: StsWhere,
    private readonly call: AssumeRoleCall,
    private readonly clock: Clock,
  ) {}

  credentials(): Promise<TemporaryCredentials> {
    const now = this.clock.now();
    if (this.cached !== undefined && now < this.cached.refreshAt) {
      return Promise.resolve(this.cached.credentials);
    }
    // Concurrent callers share one AssumeRole; a failure is not cached (the next call asks again).
    this.pending ??= this.call(this.role, this.where)
      .then((credentials) => {
        // Counted on our clock too (an emulated STS may run ahead), refreshed 5 min early as the SDK
        // does (memoizeIdentityProvider), or a quarter of a short session.
        const lifetimeMs = (this.role.durationSeconds ?? 3600) * 1000;
        const expiresAt = Math.min(credentials.expiration.getTime(), now + lifetimeMs);
        this.cached = { credentials, refreshAt: expiresAt - Math.min(300_000, lifetimeMs / 4) };
        this.generation++;
        return credentials;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** AWS refused `generation` as expired; later ones are kept (a burst costs one AssumeRole). */
  expire(generation: number): void {
    if (generation === this.generation) this.cached = undefined;
  }

  /** Expiring at once: clients then ask the session each time (MGN's SDK ignores `memoized`). */
  provider(): AwsCredentialIdentityProvider {
    const provide = async (): Promise<AwsCredentialIdentity> => ({
      ...(await this.credentials()),
      expiration: new Date(Date.now()),
    });
    return Object.assign(provide, { memoized: true });
  }
}

/** What AssumeRole refusals mean for the resource, and the fix (AccessDenied covers both). */
const STS_ADVICE: Readonly<Record<string, string>> = {
  AccessDenied:
    "Fix: let this principal assume the role (the role's trust policy must name its account) and set assumeRole.externalId to the sts:ExternalId that policy requires.",
  ValidationError:
    "Fix: check assumeRole (durationSeconds may not pass the role's MaxSessionDuration, nor 3600 when the source credentials are themselves a role's).",
  RegionDisabledException:
    "Fix: activate STS in this region (IAM account settings) or set the resource's region to one where it is active.",
};

/** AssumeRole through the AWS SDK; its client's default credential chain is the source. */
function sdkAssumeRole(): AssumeRoleCall {
  const clients = new Map<string, Sts.STSClient>();
  return async (role, where) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-sts") as typeof Sts;
    const key = `${where.region ?? ""} ${where.endpoint ?? ""}`;
    // The global endpoint's region when none is set: STS answers there for every account.
    const client =
      clients.get(key) ?? new sdk.STSClient({ region: "us-east-1", ...where, maxAttempts: 1 });
    clients.set(key, client);
    try {
      const { Credentials: c } = await client.send(
        new sdk.AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.sessionName,
          ExternalId: role.externalId,
          DurationSeconds: role.durationSeconds,
        }),
      );
      if (
        c?.AccessKeyId !== undefined &&
        c.SecretAccessKey !== undefined &&
        c.SessionToken !== undefined &&
        c.Expiration !== undefined
      ) {
        return {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
      }
      const malformed = new Error("the response has no complete Credentials");
      throw Object.assign(malformed, { name: "MalformedResponse" });
    } catch (err) {
      const e = toAwsApiError("sts", "AssumeRole", err);
      const advice = e.retryable ? undefined : STS_ADVICE[e.code];
      throw advice === undefined ? e : withAdvice(e, advice);
    }
  };
}

/** The role sessions of one provider process, by role (tests pass their own clock and STS). */
export class RoleSessions {
  private readonly sessions = new Map<string, RoleSession>();
  private readonly clock: Clock;
  private readonly call: AssumeRoleCall;

  constructor(options: { clock?: Clock; assumeRole?: AssumeRoleCall } = {}) {
    this.clock = options.clock ?? systemClock;
    this.call = options.assumeRole ?? sdkAssumeRole();
  }

  /** The session of `role`, shared by every target that names it (whatever its region). */
  session(role: AssumeRole, where: StsWhere): RoleSession {
    const full = { ...role, sessionName: role.sessionName ?? "pulumi-aws-migration" };
    const key = `${where.endpoint ?? ""} ${roleKey(full)}`;
    const session = this.sessions.get(key) ?? new RoleSession(full, where, this.call, this.clock);
    this.sessions.set(key, session);
    return session;
  }
}

/** The host loads this module once for every resource type: they all share these sessions. */
export const sharedRoleSessions = new RoleSessions();
