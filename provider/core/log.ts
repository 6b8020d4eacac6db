/**
 * The one logger (STYLE.md §11). The dynamic-provider host has no engine connection, so lines go
 * to stderr and Pulumi shows them as plain output: short, prefixed, tied to a resource, redacted,
 * and progress rate-limited so a two-hour wait does not print 500 lines.
 */
import { systemClock, type Clock } from "./clock";
import { redact } from "./redact";

export interface Logger {
  info(resource: string, message: string): void;
  warn(resource: string, message: string): void;
  /** At most one line per resource per interval; the rest are dropped. */
  progress(resource: string, message: string): void;
}

export interface LoggerOptions {
  /** @default process.stderr.write(line + "\n") */
  sink?: (line: string) => void;
  clock?: Clock;
  /** @default 30_000 */
  minIntervalMs?: number;
}

export const LOG_PREFIX = "[aws-migration]";

export function createLogger(options?: LoggerOptions): Logger {
  const sink = options?.sink ?? ((line: string): void => void process.stderr.write(line + "\n"));
  const clock = options?.clock ?? systemClock;
  const minIntervalMs = options?.minIntervalMs ?? 30_000;
  const lastProgress = new Map<string, number>();
  // One line shape for every level: Pulumi shows host output as plain text either way.
  const emit = (resource: string, message: string): void => {
    sink(redact(`${LOG_PREFIX} ${resource}: ${message}`));
  };
  return {
    info: emit,
    warn: emit,
    progress(resource, message) {
      const now = clock.now();
      const last = lastProgress.get(resource);
      if (last !== undefined && now - last < minIntervalMs) return;
      lastProgress.set(resource, now);
      emit(resource, message);
    },
  };
}
