/**
 * The one logger (STYLE.md §11): prefixed, redacted lines on the resource's URN through the engine
 * (core/engine.ts), else to stderr with progress rate-limited (a 2-hour wait prints no 500 lines).
 */
import { systemClock, type Clock } from "./clock";
import { currentUrn, type EngineLink, type LogEntry, type Severity } from "./engine";
import { redact } from "./redact";

export interface Logger {
  info(resource: string, message: string): void;
  warn(resource: string, message: string): void;
  /** At most one line per resource per interval; the rest are dropped. */
  progress(resource: string, message: string): void;
  /** A wait's live status (it silences `progress`), or undefined without engine or URN. */
  watch?(resource: string, startedAt: number): WaitWatch | undefined;
}

export interface WaitWatch {
  /** The wait's clock, watched to tell when the next poll is. */
  pace(clock: Clock): Clock;
  observed(status: string, poll: number): void;
  stop(): void;
}

export interface LoggerOptions {
  /** @default process.stderr.write(line + "\n") */
  sink?: (line: string) => void;
  clock?: Clock;
  /** Between progress lines written to the sink. @default 30_000 */
  minIntervalMs?: number;
  /** The engine of the dynamic-provider host (core/engine.ts hostEngine). */
  engine?: EngineLink;
  /** The URN of the resource being served. @default the provider call's scope (engine.ts) */
  urn?: () => string | undefined;
  /** Between ephemeral status lines. @default 10_000 */
  statusIntervalMs?: number;
  /** Runs `fn` every `ms` until the returned stop. @default an unref'd setInterval */
  every?: (ms: number, fn: () => void) => () => void;
}

export const LOG_PREFIX = "[aws-migration]";

/** `ads.ImportTask discovery` for `urn:pulumi:dev::demo::pulumi-nodejs:dynamic/ads:ImportTask::discovery`. */
export function urnLabel(urn: string): string {
  const parts = urn.split("::");
  const type = (parts[2] ?? "").split("$").pop() ?? "";
  const name = parts.slice(3).join("::");
  const dynamic = /^pulumi-nodejs:dynamic\/([^:]+):(.+)$/.exec(type);
  return `${dynamic === null ? type : `${dynamic[1]}.${dynamic[2]}`} ${name}`;
}

/** The resource's Pulumi name: the URN's last part. */
function urnName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The URN's label, then the caller's if it says more: `mgn.ImportTask inventory (import-0a1b…)`. */
function named(resource: string, urn: string): string {
  const label = urnLabel(urn);
  const type = label.slice(0, label.indexOf(" ") + 1);
  const rest = resource.startsWith(type) ? resource.slice(type.length) : resource;
  return rest === "" || rest === urnName(urn) ? label : `${label} (${rest})`;
}

function elapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}

const unrefEvery = (ms: number, fn: () => void): (() => void) => {
  const timer = setInterval(fn, ms).unref();
  return () => clearInterval(timer);
};

export function createLogger(options?: LoggerOptions): Logger {
  const sink = options?.sink ?? ((line: string): void => void process.stderr.write(line + "\n"));
  const clock = options?.clock ?? systemClock;
  const minIntervalMs = options?.minIntervalMs ?? 30_000;
  const statusIntervalMs = options?.statusIntervalMs ?? 10_000;
  const every = options?.every ?? unrefEvery;
  const engine = options?.engine;
  const urnNow = options?.urn ?? currentUrn;
  const lastProgress = new Map<string, number>();
  const lastStatus = new Map<string, number>();
  const watched = new Set<string>();
  /** True (and noted) when `key`'s last line in `last` is at least `ms` old. */
  const due = (last: Map<string, number>, key: string, ms: number): boolean => {
    const now = clock.now();
    const at = last.get(key);
    if (at !== undefined && now - at < ms) return false;
    last.set(key, now);
    return true;
  };

  const line = (resource: string, message: string, urn: string | undefined): string =>
    redact(`${LOG_PREFIX} ${urn === undefined ? resource : named(resource, urn)}: ${message}`);
  const throttled = (resource: string, message: string, urn: string | undefined): void => {
    if (due(lastProgress, resource, minIntervalMs)) sink(line(resource, message, urn));
  };
  // A line the engine refuses is written as before, by `fallback`.
  const send = (entry: LogEntry, fallback: () => void): void => {
    if (engine === undefined) return fallback();
    void engine.log(entry).then((taken) => {
      if (!taken) fallback();
    });
  };
  const emit = (severity: Severity, resource: string, message: string): void => {
    const urn = urnNow();
    const text = line(resource, message, urn);
    send({ severity, message: text, urn: urn ?? "", ephemeral: false }, () => sink(text));
  };
  /** An ephemeral status line beside the resource. */
  const status = (urn: string, text: string, fallback: () => void): void =>
    send(
      { severity: "info", message: redact(`${urnName(urn)}: ${text}`), urn, ephemeral: true },
      fallback,
    );

  return {
    info: (resource, message) => emit("info", resource, message),
    warn: (resource, message) => emit("warning", resource, message),
    progress(resource, message) {
      const urn = urnNow();
      if (engine === undefined || urn === undefined) return throttled(resource, message, urn);
      if (watched.has(urn) || !due(lastStatus, urn, statusIntervalMs)) return;
      status(urn, message, () => throttled(resource, message, urn));
    },
    watch(resource, startedAt) {
      const urn = urnNow();
      if (engine === undefined || urn === undefined) return undefined;
      let seen: { status: string; poll: number } | undefined;
      let nextPollAt: number | undefined;
      let stopTicker: (() => void) | undefined;
      const show = (): void => {
        if (seen === undefined) return;
        const now = clock.now();
        const next =
          nextPollAt === undefined || nextPollAt < now
            ? ""
            : `, next poll in ${Math.ceil((nextPollAt - now) / 1000)}s`;
        const { status: last, poll } = seen;
        const plain = `${last} (poll ${poll}, ${Math.round((now - startedAt) / 1000)}s)`;
        status(urn, `${last} (poll ${poll}, ${elapsed(now - startedAt)} elapsed${next})`, () =>
          throttled(resource, plain, urn),
        );
      };
      watched.add(urn);
      return {
        pace: (inner) => ({
          now: () => inner.now(),
          sleep: (ms, signal) => {
            nextPollAt = inner.now() + ms;
            // The first line as soon as the first poll's answer and the next poll are known.
            if (seen !== undefined && stopTicker === undefined) {
              show();
              stopTicker = every(statusIntervalMs, show);
            }
            return inner.sleep(ms, signal);
          },
        }),
        observed(status, poll) {
          seen = { status, poll };
          nextPollAt = undefined;
        },
        stop() {
          stopTicker?.();
          watched.delete(urn);
        },
      };
    },
  };
}
