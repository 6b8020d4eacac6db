/**
 * Emulated time. AWS import jobs take minutes to hours; tests and demos cannot wait that long, so
 * every duration the emulator models runs on this clock, which advances `timeScale` times faster
 * than real time and can be pushed forward by hand (`advance`).
 */
export interface ClockSnapshot {
  readonly emulatedMs: number;
  readonly timeScale: number;
}

export class EmulatorClock {
  private baseEmulated: number;
  private baseReal: number;
  private scale: number;

  constructor(
    timeScale: number,
    private readonly realNow: () => number = Date.now,
    startEmulatedMs?: number,
  ) {
    this.scale = checkScale(timeScale);
    this.baseReal = realNow();
    this.baseEmulated = startEmulatedMs ?? this.baseReal;
  }

  /** Emulated epoch milliseconds. */
  now(): number {
    return this.baseEmulated + (this.realNow() - this.baseReal) * this.scale;
  }

  get timeScale(): number {
    return this.scale;
  }

  /** Changes the speed from now on without a jump in emulated time. */
  setTimeScale(timeScale: number): void {
    this.rebase();
    this.scale = checkScale(timeScale);
  }

  /** Jumps emulated time forward (tests use it to age tasks out, e.g. EC2's 7-day retention). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError("advance() takes a finite, non-negative number of ms");
    this.rebase();
    this.baseEmulated += ms;
  }

  /** Real milliseconds until `emulatedMs` is reached (0 when already past). */
  realDelayUntil(emulatedMs: number): number {
    return Math.max(0, (emulatedMs - this.now()) / this.scale);
  }

  snapshot(): ClockSnapshot {
    return { emulatedMs: this.now(), timeScale: this.scale };
  }

  private rebase(): void {
    const now = this.now();
    this.baseReal = this.realNow();
    this.baseEmulated = now;
  }
}

function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`timeScale must be a positive number, got ${scale}`);
  return scale;
}
