import { type RoleDefinition, uniqueId } from "./core/identity";
import type { Credential } from "./core/sigv4";
import type { EmulatorOptions } from "./options";

/**
 * The accounts an emulator serves: the key pairs it accepts and the roles STS may assume, read
 * from EmulatorOptions and checked, so that a mistake in them fails startEmulator() with a message
 * naming the field rather than surfacing later as an AccessDenied.
 */
export interface Accounts {
  readonly credentials: Map<string, Credential>;
  readonly roles: Map<string, RoleDefinition>;
  /** Every account named by a key pair or a role, sorted. */
  readonly accountIds: readonly string[];
}

export const DEFAULT_ACCOUNT = "123456789012";
const ACCOUNT = /^\d{12}$/;
// IAM role ARNs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
// (paths are "/" or /…/ of printable ASCII; names are 1–64 of [\w+=,.@-]).
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

function fail(message: string): never {
  throw new TypeError(message);
}

function checkAllow(where: string, allow: unknown): readonly string[] | undefined {
  if (allow === undefined) return undefined;
  if (!Array.isArray(allow) || !allow.every((a) => typeof a === "string"))
    fail(`${where}.allow must be a list of IAM actions like "ec2:Describe*"`);
  return allow;
}

function checkAccount(where: string, id: unknown): string {
  if (typeof id !== "string" || !ACCOUNT.test(id))
    fail(`${where} must be a 12-digit account ID like "123456789012", got ${JSON.stringify(id)}`);
  return id;
}

/** The entries of a list option, each as an object (options may come from a JSON file). */
function entries(name: string, value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) fail(`${name} must be a list`);
  return (value as unknown[]).map((item, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item))
      fail(`${name}[${i}] must be an object`);
    return item as Record<string, unknown>;
  });
}

function optionalString(where: string, value: unknown): string | undefined {
  if (value !== undefined && typeof value !== "string") fail(`${where} must be a string`);
  return value;
}

function credentialsOf(options: EmulatorOptions, defaultAccount: string): Map<string, Credential> {
  const credentials = new Map<string, Credential>();
  const given = options.credentials ?? [{ accessKeyId: "test", secretAccessKey: "test" }];
  for (const [i, c] of entries("credentials", given).entries()) {
    const where = `credentials[${i}]`;
    const accessKeyId = c["accessKeyId"];
    if (typeof accessKeyId !== "string" || accessKeyId === "")
      fail(`${where}.accessKeyId must be a non-empty string`);
    const secretAccessKey = c["secretAccessKey"];
    if (typeof secretAccessKey !== "string") fail(`${where}.secretAccessKey must be a string`);
    const sessionToken = optionalString(`${where}.sessionToken`, c["sessionToken"]);
    if (credentials.has(accessKeyId)) fail(`${where}.accessKeyId ${accessKeyId} is repeated`);
    const allow = checkAllow(`credentials["${accessKeyId}"]`, c["allow"]);
    const accountId = c["accountId"];
    credentials.set(accessKeyId, {
      accessKeyId,
      secretAccessKey,
      accountId:
        accountId === undefined ? defaultAccount : checkAccount(`${where}.accountId`, accountId),
      ...(allow === undefined ? {} : { allow }),
      ...(sessionToken === undefined ? {} : { sessionToken }),
    });
  }
  return credentials;
}

function roleOf(where: string, r: Record<string, unknown>): RoleDefinition {
  const given = r["roleArn"];
  const arn = typeof given === "string" ? ROLE_ARN.exec(given) : null;
  if (!arn)
    fail(
      `${where}.roleArn must be an IAM role ARN like "arn:aws:iam::123456789012:role/migration" (role names are 1-64 of [\\w+=,.@-])`,
    );
  const [roleArn, accountId = "", roleName = ""] = arn;
  const trusted = r["trustedAccounts"];
  if (!Array.isArray(trusted) || trusted.length === 0)
    fail(`${where}.trustedAccounts must be a non-empty list of 12-digit account IDs`);
  const trustedAccounts = (trusted as unknown[]).map((a, j) =>
    checkAccount(`${where}.trustedAccounts[${j}]`, a),
  );
  const externalId = optionalString(`${where}.externalId`, r["externalId"]);
  if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
    fail(`${where}.externalId must be 2-1224 characters of [\\w+=,.@:/-]`);
  const max = r["maxSessionDuration"] ?? 43200;
  if (typeof max !== "number" || !Number.isInteger(max) || max < 3600 || max > 43200)
    fail(`${where}.maxSessionDuration must be a whole number of seconds from 3600 to 43200`);
  const allow = checkAllow(where, r["allow"]);
  return {
    roleArn,
    accountId,
    roleName,
    roleId: uniqueId("AROA", roleArn),
    trustedAccounts,
    ...(externalId === undefined ? {} : { externalId }),
    ...(allow === undefined ? {} : { allow }),
    maxSessionDurationSeconds: max,
  };
}

function rolesOf(options: EmulatorOptions): Map<string, RoleDefinition> {
  const roles = new Map<string, RoleDefinition>();
  for (const [i, r] of entries("roles", options.roles ?? []).entries()) {
    const role = roleOf(`roles[${i}]`, r);
    if (roles.has(role.roleArn)) fail(`roles[${i}].roleArn ${role.roleArn} is repeated`);
    roles.set(role.roleArn, role);
  }
  return roles;
}

/** Reads and checks `credentials`, `accountId` and `roles`; throws a TypeError naming the field. */
export function accountsOf(options: EmulatorOptions): Accounts {
  const defaultAccount =
    options.accountId === undefined
      ? DEFAULT_ACCOUNT
      : checkAccount("accountId", options.accountId);
  const credentials = credentialsOf(options, defaultAccount);
  const roles = rolesOf(options);
  const accountIds = new Set<string>();
  for (const c of credentials.values()) accountIds.add(c.accountId);
  for (const r of roles.values()) accountIds.add(r.accountId);
  return { credentials, roles, accountIds: [...accountIds].sort() };
}
