/**
 * What one provider instance owns for one service in one host process; the host caches a configured
 * provider per serialized text, so every resource of a kind shares it (throttle, start limiter).
 */
import { systemClock, type Clock } from "./clock";
import type { ProviderSettings } from "./config";
import { ConcurrencyLimiter } from "./limiter";
import { hostEngine } from "./engine";
import { createLogger, type Logger } from "./log";
import { AdaptiveThrottle } from "./retry";

export interface ServiceRuntime {
  settings: ProviderSettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  throttle: AdaptiveThrottle;
  startLimiter: ConcurrencyLimiter;
}

export const DEFAULT_MAX_CONCURRENT_STARTS = 5;

export function createRuntime(overrides?: Partial<ServiceRuntime>): ServiceRuntime {
  const settings = overrides?.settings ?? { endpoints: {} };
  const clock = overrides?.clock ?? systemClock;
  return {
    settings,
    clock,
    random: overrides?.random ?? Math.random,
    log: overrides?.log ?? createLogger({ clock, engine: hostEngine() }),
    throttle: overrides?.throttle ?? new AdaptiveThrottle({ clock }),
    startLimiter:
      overrides?.startLimiter ??
      new ConcurrencyLimiter(settings.maxConcurrentStarts ?? DEFAULT_MAX_CONCURRENT_STARTS),
  };
}
