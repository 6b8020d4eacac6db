/**
 * Where a resource's AWS calls go (its target): a region, and optionally a role in another account
 * that STS AssumeRole issues temporary credentials for, with the standard AWS chain as the source.
 * A RoleSession caches one role's credentials and refreshes them before they expire; every
 * resource that names the same role in a provider process shares it. Credentials live only in
 * memory here: never in state, logs or errors.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
import type * as Sts from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { type CheckFailure, checkFields, checkObject, type Fields, isPlainObject } from "./check";
import { toAwsApiError } from "./classify";
import { systemClock, type Clock } from "./clock";
import { AwsApiError, withAdvice } from "./errors";

export interface AssumeRole {
  roleArn: string;
  externalId?: string;
  sessionName?: string;
  durationSeconds?: number;
}

/** A resolved target: what one set of SDK clients, shared rounds and limiters serve. */
export interface Target {
  region?: string;
  assumeRole?: AssumeRole;
}

export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** `arn:aws:iam::<account>:role/[<path>/]<name>` in any partition (aws, aws-cn, aws-us-gov). */
const ROLE_ARN_RE = /^arn:aws[-a-z]*:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?[\w+=,.@-]{1,64}$/;

/** AssumeRole's own constraints on each member (the API reference's Request Parameters). */
export const ASSUME_ROLE_FIELDS: Fields = {
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

/** `assumeRole` at `path` in `inputs`: an object of ASSUME_ROLE_FIELDS and nothing else. */
export function checkAssumeRole(
  inputs: Record<string, unknown>,
  path: string,
  failures: CheckFailure[],
): void {
  const before = failures.length;
  checkObject(inputs, path, { fix: `set ${path} to { roleArn, externalId? }` }, failures);
  const value = inputs[path];
  if (failures.length > before || !isPlainObject(value)) return;
  checkFields(inputs, path, ASSUME_ROLE_FIELDS, failures);
  const members = Object.keys(ASSUME_ROLE_FIELDS);
  for (const key of Object.keys(value).filter((k) => !members.includes(k))) {
    failures.push({
      property: `${path}.${key}`,
      reason: `is not a member of ${path}. Fix: use only ${members.join(", ")}`,
    });
  }
}

/** The account a target acts in: the role's, else "default" (the standard chain's own). */
export function accountOf(target: Target): string {
  return target.assumeRole === undefined
    ? "default"
    : (ROLE_ARN_RE.exec(target.assumeRole.roleArn)?.[1] ?? "default");
}

/** What keys a role's session: one session per role, external ID, session name and duration. */
function roleKey(role: AssumeRole): string {
  const { roleArn, externalId, sessionName, durationSeconds } = role;
  return JSON.stringify([roleArn, externalId, sessionName, durationSeconds]);
}

/**
 * Key of a target's service (SDK clients, batched rounds, throttle, start limiter, MGN's quota
 * gate): account and region, and the role, so two roles never share clients or a round.
 */
export function targetKey(target: Target): string {
  const role = target.assumeRole === undefined ? "" : ` ${roleKey(target.assumeRole)}`;
  return `${accountOf(target)}/${target.region ?? "default"}${role}`;
}

/** The error codes of a request signed with temporary credentials that have expired. */
const EXPIRED_CODES: ReadonlySet<string> = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
]);

export function isExpiredCredentials(err: unknown): boolean {
  return EXPIRED_CODES.has(toAwsApiError("", "", err).code);
}

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** One AssumeRole call; where: the STS region and endpoint of the first target that asked. */
export type AssumeRoleCall = (
  role: AssumeRole & { sessionName: string },
  where: { region?: string; endpoint?: string },
) => Promise<TemporaryCredentials>;

const DEFAULT_SESSION_NAME = "pulumi-aws-migration";
/** The SDK's own margin (memoizeIdentityProvider): credentials are replaced 5 minutes early. */
const REFRESH_MARGIN_MS = 300_000;

/** What AssumeRole refusals mean for the resource, and the fix (AccessDenied covers both). */
function stsAdvice(code: string): string | undefined {
  if (code === "AccessDenied") {
    return "Fix: let this principal assume the role (the role's trust policy must name its account) and set assumeRole.externalId to the sts:ExternalId that policy requires.";
  }
  if (code === "ValidationError") {
    return "Fix: check assumeRole (durationSeconds may not pass the role's MaxSessionDuration, nor 3600 when the source credentials are themselves a role's).";
  }
  if (code === "RegionDisabledException") {
    return "Fix: activate STS in this region (IAM account settings) or set the resource's region to one where it is active.";
  }
  return undefined;
}

/** One role's temporary credentials: cached, refreshed before expiry, replaced on demand. */
export class RoleSession {
  private cached: { credentials: TemporaryCredentials; refreshAt: number } | undefined;
  private pending: Promise<TemporaryCredentials> | undefined;
  private generationNo = 0;

  constructor(
    readonly role: AssumeRole & { sessionName: string },
    private readonly where: { region?: string; endpoint?: string },
    private readonly call: AssumeRoleCall,
    private readonly clock: Clock,
  ) {}

  /** Which credentials are current; `expire(generation)` replaces only those. */
  get generation(): number {
    return this.generationNo;
  }

  /** The current credentials, from STS when none are cached or they are near expiry. */
  credentials(): Promise<TemporaryCredentials> {
    const now = this.clock.now();
    if (this.cached !== undefined && now < this.cached.refreshAt) {
      return Promise.resolve(this.cached.credentials);
    }
    // Concurrent callers share one AssumeRole; a failure is not cached (the next call asks again).
    this.pending ??= this.call(this.role, this.where)
      .then((credentials) => {
        const lifetimeMs = (this.role.durationSeconds ?? 3600) * 1000;
        const expiresAt = Math.min(credentials.expiration.getTime(), now + lifetimeMs);
        const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 4);
        this.cached = { credentials, refreshAt: expiresAt - margin };
        this.generationNo++;
        return credentials;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /**
   * AWS refused the credentials of `generation` as expired (an emulated or skewed clock can run
   * ahead of ours): the next call assumes the role again. Later generations are kept, so many
   * calls refused at once cost one AssumeRole.
   */
  expire(generation: number): void {
    if (generation === this.generationNo) this.cached = undefined;
  }

  /** The credentials as an SDK client's `credentials` option. */
  provider(): AwsCredentialIdentityProvider {
    const provide = async (): Promise<AwsCredentialIdentity> => {
      const c = await this.credentials();
      // The SDK caches a provider's answer until 5 minutes before `expiration` (by Date.now);
      // the @aws-sdk/core 3.523 of the MGN and Migration Hub clients ignores `memoized`. An
      // expiration of now makes every client ask this session before each request, so a refresh
      // reaches them all at once; the session is the cache.
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        sessionToken: c.sessionToken,
        expiration: new Date(Date.now()),
      };
    };
    return Object.assign(provide, { memoized: true });
  }
}

/** AssumeRole through the AWS SDK, with the standard credential chain as the source. */
export function sdkAssumeRole(): AssumeRoleCall {
  const clients = new Map<string, Sts.STSClient>();
  return async (role, where) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-sts") as typeof Sts;
    const key = `${where.region ?? ""} ${where.endpoint ?? ""}`;
    let client = clients.get(key);
    if (client === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const source = require("@aws-sdk/credential-provider-node") as {
        defaultProvider(): AwsCredentialIdentityProvider;
      };
      client = new sdk.STSClient({
        // The global endpoint's region when none is set: STS answers there for every account.
        region: where.region ?? "us-east-1",
        ...(where.endpoint === undefined ? {} : { endpoint: where.endpoint }),
        credentials: source.defaultProvider(),
        maxAttempts: 1,
      });
      clients.set(key, client);
    }
    let out: Sts.AssumeRoleCommandOutput;
    try {
      out = await client.send(
        new sdk.AssumeRoleCommand({
          RoleArn: role.roleArn,
          RoleSessionName: role.sessionName,
          ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
          ...(role.durationSeconds === undefined ? {} : { DurationSeconds: role.durationSeconds }),
        }),
      );
    } catch (err) {
      const e = toAwsApiError("sts", "AssumeRole", err);
      const advice = e.retryable ? undefined : stsAdvice(e.code);
      throw advice === undefined ? e : withAdvice(e, advice);
    }
    const c = out.Credentials;
    if (
      c?.AccessKeyId === undefined ||
      c.SecretAccessKey === undefined ||
      c.SessionToken === undefined ||
      c.Expiration === undefined
    ) {
      throw new AwsApiError({
        service: "sts",
        operation: "AssumeRole",
        code: "MalformedResponse",
        message: "the response has no complete Credentials",
        retryable: false,
        throttling: false,
      });
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  };
}

/** The role sessions of one provider process, by role (tests pass their own clock and STS). */
export class RoleSessions {
  private readonly sessions = new Map<string, RoleSession>();
  private readonly call: AssumeRoleCall;
  private readonly clock: Clock;

  constructor(options?: { clock?: Clock; assumeRole?: AssumeRoleCall }) {
    this.clock = options?.clock ?? systemClock;
    this.call = options?.assumeRole ?? sdkAssumeRole();
  }

  /** The session of `role`, shared by every target that names it (whatever its region). */
  session(role: AssumeRole, where: { region?: string; endpoint?: string }): RoleSession {
    const full = { ...role, sessionName: role.sessionName ?? DEFAULT_SESSION_NAME };
    const key = `${where.endpoint ?? ""} ${roleKey(full)}`;
    let session = this.sessions.get(key);
    if (session === undefined) {
      session = new RoleSession(full, where, this.call, this.clock);
      this.sessions.set(key, session);
    }
    return session;
  }
}

let processSessions: RoleSessions | undefined;

/**
 * The sessions every provider in this process shares: the host loads one copy of this module for
 * all resource types, so resources of any type that name the same role share its credentials.
 */
export function sharedRoleSessions(): RoleSessions {
  processSessions ??= new RoleSessions();
  return processSessions;
}
