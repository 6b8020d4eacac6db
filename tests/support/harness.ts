/**
 * The provider harness every unit-tier provider test shares: a manual clock, a log recorder, the
 * poll config, configure(), and SDK errors shaped as each protocol's client throws them.
 */
import { ManualClock } from "./manualClock";
import type { ConfigSource } from "../../provider/core/config";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import type { Logger } from "../../provider/core/log";

export { ManualClock };

/** The epoch the unit tier starts its clocks at. */
export const T0 = Date.UTC(2026, 0, 1);

/** A manual clock at `start`; each sleep advances it at once unless `autoAdvance` is false. */
export function manualClock(start = T0, autoAdvance = true): ManualClock {
  return new ManualClock({ start, autoAdvance });
}

export interface Line {
  level: "info" | "warn" | "progress";
  resource: string;
  message: string;
}

/** A Logger (provider/core/log.ts) that records every line, progress included (no rate limit). */
export function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const push =
    (level: Line["level"]) =>
    (resource: string, message: string): void => {
      lines.push({ level, resource, message });
    };
  return { lines, logger: { info: push("info"), warn: push("warn"), progress: push("progress") } };
}

/** The messages of the info lines, in order. */
export const infoLines = (lines: readonly Line[]): string[] =>
  lines.filter((l) => l.level === "info").map((l) => l.message);

export const REGION = "us-west-2";

/** Region and a fixed 1 s poll: sleeps in the unit tier are exact. */
export const POLL_CONFIG: Readonly<Record<string, string>> = {
  "aws:region": REGION,
  "awsMigration:pollMinDelayMs": "1000",
  "awsMigration:pollMaxDelayMs": "1000",
};

/** A stack config as configure() reads it. */
export function configSource(values: Readonly<Record<string, string>>): { config: ConfigSource } {
  return { config: { get: (k: string) => values[k] } };
}

/** Configures `provider` with POLL_CONFIG and `extra` on top; returns it. */
export async function configured<P extends ProviderImplementation>(
  provider: P,
  extra: Readonly<Record<string, string>> = {},
): Promise<P> {
  await provider.configure(configSource({ ...POLL_CONFIG, ...extra }));
  return provider;
}

/** An error shaped like an AWS SDK v3 service exception; `requestId` null leaves it out. */
export function sdkError(
  name: string,
  status: number,
  message = name,
  requestId: string | null = "r-1",
): Error {
  const $metadata = { httpStatusCode: status, ...(requestId === null ? {} : { requestId }) };
  return Object.assign(new Error(message), { name, $metadata });
}

/**
 * The wire protocols of the four services: ADS and Migration Hub speak awsJson1_1, MGN restJson1,
 * EC2 the ec2Query protocol; each names throttling and server faults its own way.
 */
export type Protocol = "awsJson1_1" | "restJson1" | "ec2Query";

const SHAPES: Record<
  Protocol,
  { throttling: [string, number]; server: [string, number]; client: [string, number] }
> = {
  awsJson1_1: {
    throttling: ["ThrottlingException", 400],
    server: ["InternalServerErrorException", 500],
    client: ["InvalidParameterValueException", 400],
  },
  restJson1: {
    throttling: ["ThrottlingException", 429],
    server: ["InternalServerException", 500],
    client: ["ValidationException", 400],
  },
  ec2Query: {
    throttling: ["RequestLimitExceeded", 503],
    server: ["InternalError", 500],
    client: ["InvalidParameterValue", 400],
  },
};

/** Throttling as `protocol` reports it (retried, and slows the shared throttle). */
export function throttlingError(protocol: Protocol, message = "Rate exceeded"): Error {
  const [name, status] = SHAPES[protocol].throttling;
  return sdkError(name, status, message);
}

/** A 5xx as `protocol` reports it (retried: the call may have reached AWS). */
export function serverError(
  protocol: Protocol,
  message = "We encountered an internal error",
): Error {
  const [name, status] = SHAPES[protocol].server;
  return sdkError(name, status, message);
}

/** A 4xx as `protocol` reports it (not retried), or `code` with that protocol's 4xx status. */
export function clientError(protocol: Protocol, code?: string, message?: string): Error {
  const [name, status] = SHAPES[protocol].client;
  return sdkError(code ?? name, status, message ?? code ?? name);
}
