/** Provider settings from stack config and the AWS environment, never captured (STYLE.md §3). */
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import { type AssumeRole, checkAssumeRole, REGION_RE } from "./credentials";
import { InputValidationError } from "./errors";
import { redactUrl } from "./redact";

const SERVICE_KEYS = [
  "ads",
  "mgn",
  "migrationhub",
  "migrationhub-config",
  "ec2",
  "s3",
  "sts",
] as const;
export type ServiceKey = (typeof SERVICE_KEYS)[number];

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
  /** Describe calls/s the shared poll rounds of one resource type may spend. @default 2 */
  pollBudgetCallsPerSecond?: number;
  /** The role every resource without its own `assumeRole` runs as (`awsMigration:assumeRole`). */
  assumeRole?: AssumeRole;
  /** A target's assumed-role credentials (core/credentials.ts); unset: the standard AWS chain. */
  credentials?: AwsCredentialIdentityProvider;
}

function bad(key: string, reason: string, fix: string): InputValidationError {
  return new InputValidationError({ property: key, reason: `${reason}. Fix: ${fix}` });
}

function text(config: ConfigSource, key: string): string | undefined {
  // Blank counts as unset.
  return config.get(key)?.trim() || undefined;
}

function parseUrl(key: string, value: string): string {
  const got = `(got ${JSON.stringify(redactUrl(value))})`;
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    const example = url === undefined ? "http://127.0.0.1:4566" : "https://<host>";
    throw bad(key, `must be an http(s) URL ${got}`, `pulumi config set ${key} ${example}`);
  }
  // Stack config is stored in plain text; credentials belong in the AWS credential chain.
  if (url.username !== "" || url.password !== "") {
    const fix = "remove the user:password@ part and use the standard AWS credentials";
    throw bad(key, `must not contain a user name or password ${got}`, fix);
  }
  return value;
}

function parseJson(key: string, value: string, shape: string, fix: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw bad(key, `must be ${shape} (got text that is not JSON)`, fix);
  }
}

interface NumberRule {
  integer: boolean;
  min: number;
  max?: number;
  example: string;
}

function parseNumber(rule: NumberRule): (key: string, value: string) => number {
  return (key, value) => {
    const n = Number(value);
    const kind = rule.integer ? "an integer" : "a number";
    const range = rule.max === undefined ? `>= ${rule.min}` : `between ${rule.min} and ${rule.max}`;
    const whole = !rule.integer || Number.isInteger(n);
    const inRange = n >= rule.min && n <= (rule.max ?? Infinity);
    if (value === "" || !Number.isFinite(n) || !whole || !inRange) {
      const got = `(got ${JSON.stringify(value)})`;
      throw bad(key, `must be ${kind} ${range} ${got}`, `pulumi config set ${key} ${rule.example}`);
    }
    return n;
  };
}

function parseEndpoints(key: string, value: string): Partial<Record<ServiceKey, string>> {
  const keys = SERVICE_KEYS.join(", ");
  const fix = `pulumi config set ${key} '{"mgn":"http://127.0.0.1:4566"}' (keys: ${keys})`;
  const shape = "a JSON object of service → URL";
  const parsed = parseJson(key, value, shape, fix);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const got = Array.isArray(parsed) ? "array" : parsed === null ? "null" : typeof parsed;
    throw bad(key, `must be ${shape} (got ${got})`, fix);
  }
  const out: Partial<Record<ServiceKey, string>> = {};
  for (const [service, url] of Object.entries(parsed)) {
    if (!(SERVICE_KEYS as readonly string[]).includes(service)) {
      throw bad(
        key,
        `has an unknown service ${JSON.stringify(service)}; must be one of ${keys}`,
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
  const shape = "an object { roleArn, externalId?, sessionName?, durationSeconds? }";
  const fix = `pulumi config set --path '${key}.roleArn' arn:aws:iam::<account>:role/<name>`;
  const parsed = parseJson(key, value, shape, fix);
  const failure = checkAssumeRole({ [key]: parsed }, key)[0];
  if (failure !== undefined) throw new InputValidationError(failure);
  return parsed as AssumeRole;
}

/** The provider settings; a bad value throws InputValidationError naming key, rule and fix. */
export function readProviderSettings(
  config: ConfigSource,
  env: NodeJS.ProcessEnv = process.env,
): ProviderSettings {
  const settings: ProviderSettings = { endpoints: {} };
  const regionInConfig = text(config, "aws:region");
  const regionKey =
    regionInConfig !== undefined
      ? "aws:region"
      : ["AWS_REGION", "AWS_DEFAULT_REGION"].find((k) => (env[k] ?? "") !== "");
  if (regionKey !== undefined) {
    const region = regionInConfig ?? (env[regionKey] ?? "").trim();
    if (!REGION_RE.test(region)) {
      throw bad(
        regionKey,
        `must be an AWS Region name like us-east-1 (got ${JSON.stringify(region)})`,
        regionInConfig === undefined
          ? `export ${regionKey}=us-east-1`
          : `pulumi config set ${regionKey} us-east-1`,
      );
    }
    settings.region = region;
  }
  // Every other key is `awsMigration:<setting>`.
  const read = <K extends keyof ProviderSettings>(
    name: K,
    parse: (key: string, value: string) => ProviderSettings[K],
  ): void => {
    const value = text(config, `awsMigration:${name}`);
    if (value !== undefined) settings[name] = parse(`awsMigration:${name}`, value);
  };
  read("endpoint", parseUrl);
  read("endpoints", parseEndpoints);
  read("waitTimeoutMinutes", parseNumber({ integer: false, min: 0, example: "120" }));
  read("maxConcurrentStarts", parseNumber({ integer: true, min: 1, max: 100, example: "5" }));
  read("pollMinDelayMs", parseNumber({ integer: true, min: 0, example: "15000" }));
  // Its floor is the pollMinDelayMs just read.
  const floor = settings.pollMinDelayMs ?? 0;
  const example = String(Math.max(120_000, floor));
  read("pollMaxDelayMs", parseNumber({ integer: true, min: floor, example }));
  read("pollBudgetCallsPerSecond", parseNumber({ integer: false, min: 0.01, example: "2" }));
  read("assumeRole", parseAssumeRole);
  return settings;
}

/**
 * An SDK client's options: `maxAttempts: 1` (callAws retries); endpoints[service], else endpoint,
 * else none (the SDK then honours AWS_ENDPOINT_URL_<SERVICE> and AWS_ENDPOINT_URL).
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

/** Origins of the S3 and `service` endpoint overrides: object URLs there count as S3 URLs. */
export function endpointOrigins(settings: ProviderSettings, service: ServiceKey): string[] {
  return [settings.endpoints.s3, settings.endpoints[service], settings.endpoint]
    .filter((u): u is string => u !== undefined)
    .map((u) => new URL(u).origin);
}
