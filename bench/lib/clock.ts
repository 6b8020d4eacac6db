import { type Clock, systemClock } from "../../provider/core/clock";

/**
 * Emulated time for code under test: `now()` is the emulator's clock and a sleep of `ms` emulated
 * milliseconds takes `ms / timeScale` real ones, so providers, peers and the emulator agree on time.
 */
export class EmulatedClock implements Clock {
  constructor(
    private readonly emulatorNow: () => number,
    readonly timeScale: number,
  ) {}

  now(): number {
    return this.emulatorNow();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms / this.timeScale, signal);
  }
}
