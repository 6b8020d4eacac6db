import type { QueryParams } from "../core/service";
import { type Violation, validationError } from "./errors";

/**
 * AssumeRole's input constraints, from STS's model (botocore sts/2011-06-15/service-2.json:
 * arnType, roleSessionNameType, roleDurationSecondsType, externalIdType, sourceIdentityType,
 * serialNumberType, tokenCodeType), checked in the model's member order. Session policies, policy
 * ARNs, tags and provided contexts are accepted and not applied.
 */
export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly roleSessionName: string;
  /** Seconds; undefined when not sent (STS's default is 3600). */
  readonly durationSeconds: number | undefined;
  readonly externalId: string | undefined;
  readonly sourceIdentity: string | undefined;
}

interface StringRule {
  readonly param: string;
  readonly member: string;
  readonly required?: boolean;
  readonly min: number;
  readonly max: number;
  /** The model's pattern, quoted in the message as STS does. */
  readonly pattern?: string;
}

const RULES: readonly StringRule[] = [
  { param: "RoleArn", member: "roleArn", required: true, min: 20, max: 2048 },
  {
    param: "RoleSessionName",
    member: "roleSessionName",
    required: true,
    min: 2,
    max: 64,
    pattern: "[\\w+=,.@-]*",
  },
  { param: "ExternalId", member: "externalId", min: 2, max: 1224, pattern: "[\\w+=,.@:\\/-]*" },
  { param: "SerialNumber", member: "serialNumber", min: 9, max: 256, pattern: "[\\w+=/:,.@-]*" },
  { param: "TokenCode", member: "tokenCode", min: 6, max: 6, pattern: "[\\d]*" },
  { param: "SourceIdentity", member: "sourceIdentity", min: 2, max: 64, pattern: "[\\w+=,.@-]*" },
];

const DURATION = { min: 900, max: 43200 };

function checkString(rule: StringRule, value: string | undefined): Violation | undefined {
  const at = { member: rule.member, value };
  if (value === undefined)
    return rule.required ? { ...at, constraint: "Member must not be null" } : undefined;
  // Lengths count code points, as Java's String.codePointCount does on the service side.
  const length = [...value].length;
  if (length < rule.min)
    return { ...at, constraint: `Member must have length greater than or equal to ${rule.min}` };
  if (length > rule.max)
    return { ...at, constraint: `Member must have length less than or equal to ${rule.max}` };
  if (rule.pattern !== undefined && !new RegExp(`^(?:${rule.pattern})$`).test(value))
    return { ...at, constraint: `Member must satisfy regular expression pattern: ${rule.pattern}` };
  return undefined;
}

function checkDuration(text: string | undefined): Violation | undefined {
  if (text === undefined) return undefined;
  const at = { member: "durationSeconds", value: text };
  // A non-integer cannot be read into the model's integer; STS's wording for it is not
  // documented, so the emulator names the constraint it breaks.
  if (!/^-?\d+$/.test(text)) return { ...at, constraint: "Member must be an integer" };
  const n = Number(text);
  if (n < DURATION.min)
    return { ...at, constraint: `Member must have value greater than or equal to ${DURATION.min}` };
  if (n > DURATION.max)
    return { ...at, constraint: `Member must have value less than or equal to ${DURATION.max}` };
  return undefined;
}

/** Reads AssumeRole's parameters, or throws STS's ValidationError listing every broken one. */
export function assumeRoleInput(params: QueryParams): AssumeRoleInput {
  const get = (name: string): string | undefined => params.get(name);
  const [arnRule, sessionRule, ...optional] = RULES;
  const violations = [
    checkString(arnRule!, get("RoleArn")),
    checkString(sessionRule!, get("RoleSessionName")),
    checkDuration(get("DurationSeconds")),
    ...optional.map((rule) => checkString(rule, get(rule.param))),
  ].filter((v): v is Violation => v !== undefined);
  if (violations.length > 0) throw validationError(violations);
  const duration = get("DurationSeconds");
  return {
    roleArn: get("RoleArn") ?? "",
    roleSessionName: get("RoleSessionName") ?? "",
    durationSeconds: duration === undefined ? undefined : Number(duration),
    externalId: get("ExternalId"),
    sourceIdentity: get("SourceIdentity"),
  };
}
