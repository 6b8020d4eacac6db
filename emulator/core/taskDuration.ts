/**
 * EmulatorOptions.taskDurationMs, applied in one place for every service: called once per new
 * task as it is started; returns emulated ms from the start request to the terminal status, or
 * undefined to keep the model's seeded duration.
 */
export type TaskDurationOption = (task: {
  readonly service: string;
  readonly id: string;
  readonly startedMs: number;
}) => number | undefined;

/** How long a new task runs, and whether the option chose that (else it is the seeded default). */
export interface TaskDuration {
  readonly ms: number;
  readonly chosen: boolean;
}

/** The option's duration for this task (validated), or `seededMs` when it keeps the seeded one. */
export function chooseTaskDuration(
  option: TaskDurationOption | undefined,
  task: { readonly service: string; readonly id: string; readonly startedMs: number },
  seededMs: number,
): TaskDuration {
  const ms = option?.(task);
  if (ms === undefined) return { ms: seededMs, chosen: false };
  if (!(Number.isFinite(ms) && ms >= 0)) {
    throw new RangeError(
      `taskDurationMs must return a finite number >= 0 or undefined, got ${ms} for ${task.service} ${task.id}`,
    );
  }
  return { ms, chosen: true };
}
