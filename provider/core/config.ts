/**
 * Provider settings from stack config (delivered by the host's `configure()`) and the standard AWS
 * environment — never from captured variables, which would land in state (STYLE.md §3).
 */
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { type AssumeRole, checkAssumeRole, REGION_RE } from "./credentials";
import { InputValidationError } from "./errors";
import { redactUrl } from "./redact";

export type ServiceKey =
  "ads" | "mgn" | "migrationhub" | "migrationhub-config" | "ec2" | "s3" | "sts";

export const SERVICE_KEYS: readonly ServiceKey[] = [
  "ads",
  "mgn",
  "migrationhub",
  "migrationhub-config",
  "ec2",
  "s3",
  "sts",
];

/** The `config` of Pulumi's dynamic ConfigureRequest; keys are namespaced (`aws:region`). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

export interface ProviderSettings {
  region?: string;
  /** One endpoint for every service (e.g. the emulator). */
  endpoint?: string;
  /** Per-service endpoints; win over `endpoint`. */
  endpoints: Partial<Record<ServiceKey, string>>;
  waitTimeoutMinutes?: number;
  maxConcurrentStarts?: number;
  pollMinDelayMs?: number;
  pollMaxDelayMs?: number;
  /**
   * Describe calls per second the shared poll rounds of one resource type may spend in all
   * (core/task/service.ts waitTask). @default 2
   */
  pollBudgetCallsPerSecond?: number;
  /** The role every resource without its own `assumeRole` runs as (`awsMigration:assumeRole`). */
  assumeRole?: AssumeRole;
  /** A target's assumed-role credentials (core/credentials.ts); unset: the standard AWS chain. */
  credentials?: AwsCredentialIdentityProvider;
}

export const CONFIG_KEYS = {
  region: "aws:region",
  endpoint: "awsMigration:endpoint",
  endpoints: "awsMigration:endpoints",
  waitTimeoutMinutes: "awsMigration:waitTimeoutMinutes",
  maxConcurrentStarts: "awsMigration:maxConcurrentStarts",
  pollMinDelayMs: "awsMigration:pollMinDelayMs",
  pollMaxDelayMs: "awsMigration:pollMaxDelayMs",
  pollBudgetCallsPerSecond: "awsMigration:pollBudgetCallsPerSecond",
  assumeRole: "awsMigration:assumeRole",
} as const;

function bad(key: string, reason: string, fix: string): InputValidationError {
  return new InputValidationError({ property: key, reason: `${reason}. Fix: ${fix}` });
}

function text(config: ConfigSource, key: string): string | undefined {
  const v = config.get(key);
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function parseUrl(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(
      key,
      `must be an http(s) URL (got ${JSON.stringify(redactUrl(value))})`,
      `pulumi config set ${key} http://127.0.0.1:4566`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad(
      key,
      `must be an http(s) URL (got ${JSON.stringify(redactUrl(value))})`,
      `pulumi config set ${key} https://<host>`,
    );
  }
  if (url.username !== "" || url.password !== "") {
    // Stack config is stored in plain text; credentials belong in the AWS credential chain.
    throw bad(
      key,
      `must not contain a user name or password (got ${JSON.stringify(redactUrl(value))})`,
      "remove the user:password@ part and use the standard AWS credentials",
    );
  }
  return value;
}

type NumberSetting =
  | "waitTimeoutMinutes"
  | "maxConcurrentStarts"
  | "pollMinDelayMs"
  | "pollMaxDelayMs"
  | "pollBudgetCallsPerSecond";

interface NumberRule {
  integer: boolean;
  min: number;
  max?: number;
  example: string;
}

function parseNumber(key: string, value: string, rule: NumberRule): number {
  const n = Number(value);
  const kind = rule.integer ? "an integer" : "a number";
  const range = rule.max === undefined ? `>= ${rule.min}` : `between ${rule.min} and ${rule.max}`;
  if (
    value === "" ||
    !Number.isFinite(n) ||
    (rule.integer && !Number.isInteger(n)) ||
    n < rule.min ||
    (rule.max !== undefined && n > rule.max)
  ) {
    throw bad(
      key,
      `must be ${kind} ${range} (got ${JSON.stringify(value)})`,
      `pulumi config set ${key} ${rule.example}`,
    );
  }
  return n;
}

function parseEndpoints(key: string, value: string): Partial<Record<ServiceKey, string>> {
  const fix = `pulumi config set ${key} '{"mgn":"http://127.0.0.1:4566"}' (keys: ${SERVICE_KEYS.join(", ")})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw bad(key, "must be a JSON object of service → URL (got text that is not JSON)", fix);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw bad(
      key,
      `must be a JSON object of service → URL (got ${Array.isArray(parsed) ? "array" : parsed === null ? "null" : typeof parsed})`,
      fix,
    );
  }
  const out: Partial<Record<ServiceKey, string>> = {};
  for (const [service, url] of Object.entries(parsed)) {
    if (!(SERVICE_KEYS as readonly string[]).includes(service)) {
      throw bad(
        key,
        `has an unknown service ${JSON.stringify(service)}; must be one of ${SERVICE_KEYS.join(", ")}`,
        fix,
      );
    }
    if (typeof url !== "string") {
      throw bad(`${key}.${service}`, `must be a URL string (got ${typeof url})`, fix);
    }
    out[service as ServiceKey] = parseUrl(`${key}.${service}`, url);
  }
  return out;
}

/** `awsMigration:assumeRole`: a JSON object checked with the rules of the `assumeRole` input. */
function parseAssumeRole(key: string, value: string): AssumeRole {
  const fix = `pulumi config set --path '${key}.roleArn' arn:aws:iam::<account>:role/<name>`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw bad(
      key,
      "must be an object { roleArn, externalId?, sessionName?, durationSeconds? } (got text that is not JSON)",
      fix,
    );
  }
  const failure = checkAssumeRole({ [key]: parsed }, key)[0];
  if (failure !== undefined) throw new InputValidationError(failure);
  return parsed as AssumeRole;
}

/**
 * Reads and validates the provider settings. A bad value throws InputValidationError naming the
 * config key, the rule and the fix; unset keys stay undefined (callers apply their defaults).
 */
export function readProviderSettings(
  config: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const settings: ProviderSettings = { endpoints: {} };

  const fromConfig = text(config, CONFIG_KEYS.region);
  const envKey =
    env.AWS_REGION !== undefined && env.AWS_REGION !== ""
      ? "AWS_REGION"
      : env.AWS_DEFAULT_REGION !== undefined && env.AWS_DEFAULT_REGION !== ""
        ? "AWS_DEFAULT_REGION"
        : undefined;
  const region = fromConfig ?? (envKey === undefined ? undefined : env[envKey]?.trim());
  if (region !== undefined) {
    const key = fromConfig !== undefined ? CONFIG_KEYS.region : (envKey as string);
    if (!REGION_RE.test(region)) {
      throw bad(
        key,
        `must be an AWS Region name like us-east-1 (got ${JSON.stringify(region)})`,
        fromConfig !== undefined ? `pulumi config set ${key} us-east-1` : `export ${key}=us-east-1`,
      );
    }
    settings.region = region;
  }

  const endpoint = text(config, CONFIG_KEYS.endpoint);
  if (endpoint !== undefined) settings.endpoint = parseUrl(CONFIG_KEYS.endpoint, endpoint);

  const endpoints = text(config, CONFIG_KEYS.endpoints);
  if (endpoints !== undefined)
    settings.endpoints = parseEndpoints(CONFIG_KEYS.endpoints, endpoints);

  // In this order: pollMaxDelayMs's floor is the pollMinDelayMs read before it.
  const numbers: [NumberSetting, () => NumberRule][] = [
    ["waitTimeoutMinutes", () => ({ integer: false, min: 0, example: "120" })],
    ["maxConcurrentStarts", () => ({ integer: true, min: 1, max: 100, example: "5" })],
    ["pollMinDelayMs", () => ({ integer: true, min: 0, example: "15000" })],
    [
      "pollMaxDelayMs",
      () => ({
        integer: true,
        min: settings.pollMinDelayMs ?? 0,
        example: String(Math.max(120_000, settings.pollMinDelayMs ?? 0)),
      }),
    ],
    ["pollBudgetCallsPerSecond", () => ({ integer: false, min: 0.01, example: "2" })],
  ];
  for (const [name, rule] of numbers) {
    const value = text(config, CONFIG_KEYS[name]);
    if (value !== undefined) settings[name] = parseNumber(CONFIG_KEYS[name], value, rule());
  }
  const role = text(config, CONFIG_KEYS.assumeRole);
  if (role !== undefined) settings.assumeRole = parseAssumeRole(CONFIG_KEYS.assumeRole, role);
  return settings;
}

/**
 * Options for an SDK client. `maxAttempts: 1` because callAws does all retrying; `credentials`
 * only for a target that assumes a role. Endpoint precedence: endpoints[service] > endpoint >
 * none (the SDK then honours AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL itself).
 */
export function clientConfig(
  settings: ProviderSettings,
  service: ServiceKey,
): Pick<ProviderSettings, "region" | "endpoint" | "credentials"> & { maxAttempts: 1 } {
  const endpoint = settings.endpoints[service] ?? settings.endpoint;
  return {
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: 1,
  };
}

/**
 * Origins (`http://127.0.0.1:4566`) of the configured S3 and `service` endpoint overrides: an
 * object URL there counts as an S3 URL, so stacks work against a local emulator.
 */
export function endpointOrigins(settings: ProviderSettings, service: ServiceKey): string[] {
  return [settings.endpoints.s3, settings.endpoints[service], settings.endpoint]
    .filter((u): u is string => u !== undefined)
    .map((u) => new URL(u).origin);
}
