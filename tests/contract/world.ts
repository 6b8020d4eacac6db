/**
 * What the contract suite (suite.ts) drives: one resource in one tier. The unit tier builds a world
 * on the resource's fake api (the shared scripted-task store) and a manual clock; the provider tier
 * on the emulator. A case says what must hold; a world says how to make the situation.
 */
import type { ProviderImplementation } from "../../provider/core/dynamic";

/** How the next task goes: completes, fails after running, keeps running, or fails at once. */
export type Course = "completes" | "fails" | "runs" | "failsAtOnce";

/** The lifecycle cases every row runs unless it says why one does not apply. */
export type CaseName =
  | "create waits"
  | "interrupted create adopts"
  | "failed create records its ID"
  | "lost start answer is this create's failure"
  | "update resumes"
  | "read drops a gone task"
  | "delete retains";

export interface World {
  /** A configured provider (one process). */
  readonly provider: ProviderImplementation;
  /** Valid inputs, with the token and `__provider`, for a task that takes `course`. */
  inputs(course: Course, extra?: Record<string, unknown>): Record<string, unknown>;
  /** A provider on the same backend whose wait budget ends while a "runs" task still runs. */
  impatient(): Promise<ProviderImplementation>;
  /**
   * Starts a create in a process that dies right after its start call reached AWS (the promise is
   * abandoned); resolves once the start call was made.
   */
  dieAfterStart(inputs: Record<string, unknown>): Promise<void>;
  /** The task `id` completes (a resumed wait then ends in success). */
  complete(id: string): Promise<void>;
  /** The task `id` vanishes out of band. */
  remove(id: string): Promise<void>;
  /** The next start reaches AWS, then a 5xx loses its answer on the way back. */
  loseNextStartAnswer(): void;
  /** Tasks that exist in AWS for this resource kind. */
  tasks(): Promise<string[]>;
  /** AWS calls made so far (any operation). */
  calls(): Promise<number>;
}

/** The migrationhub.MigrationTask both tiers register: stream "tool", waiting for COMPLETED. */
export const MIGRATION_TASK = {
  progressUpdateStream: "tool",
  migrationTaskName: "web-01",
  waitForStatus: "COMPLETED",
} as const;
