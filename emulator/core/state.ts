import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * All service state, as plain JSON, persisted to `<dataDir>/state.json` so that an emulator
 * restarted on the same data dir resumes every task where it was (AWS keeps running while a
 * client is away, and so does the emulated clock: see `savedClock`).
 */
export interface PersistedState {
  readonly version: 1;
  readonly savedRealMs: number;
  readonly savedEmulatedMs: number;
  readonly timeScale: number;
  readonly randomState: number;
  readonly scopes: Record<string, Record<string, unknown>>;
}

export class StateStore {
  private scopes: Record<string, Record<string, unknown>> = {};
  private timer: NodeJS.Timeout | undefined;
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly snapshot: () => Omit<PersistedState, "version" | "scopes" | "savedRealMs">,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, "state.json");
  }

  /** Loads a previous run's state; returns it so the caller can restore the clock and seed. */
  load(): PersistedState | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as PersistedState;
      if (parsed.version !== 1) return undefined;
      this.scopes = parsed.scopes;
      return parsed;
    } catch {
      return undefined; // a torn or foreign file: start empty rather than refuse to start
    }
  }

  get<T>(scope: string, key: string, init: () => T): T {
    const bag = (this.scopes[scope] ??= {});
    if (!(key in bag)) {
      bag[key] = init();
      this.markDirty();
    }
    return bag[key] as T;
  }

  /** Every value stored under `key` in scopes whose name starts with `prefix`. */
  entries(prefix: string): [string, Record<string, unknown>][] {
    return Object.entries(this.scopes).filter(([scope]) => scope.startsWith(prefix));
  }

  markDirty(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 25);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const state: PersistedState = {
      version: 1,
      savedRealMs: Date.now(),
      ...this.snapshot(),
      scopes: this.scopes,
    };
    // Write-then-rename: a crash mid-write never leaves a torn state file.
    writeFileSync(this.file + ".tmp", JSON.stringify(state));
    renameSync(this.file + ".tmp", this.file);
  }

  clear(): void {
    this.scopes = {};
    this.flush();
  }
}
