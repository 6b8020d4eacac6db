/**
 * The one scripted-task store behind the unit tier's fake APIs (ADS, MGN, EC2, the core's fake
 * jobs): each task walks its scripted steps one per describe (the last step sticks), a step the
 * store's `gone` rule matches removes the task (gone after N describes), a start with a known token
 * returns that token's task (idempotency), and faults are queued per operation. A fake maps steps
 * to its service's wire shape; the store holds no service knowledge.
 */

export interface ScriptedTask<S, D> {
  /** Sequence number of the task (a fake derives related IDs from it). */
  readonly n: number;
  /** Steps still to walk; the first is the current one, the last sticks. */
  steps: S[];
  /** What the fake keeps beside the steps (the start request's fields). */
  data: D;
}

export interface ScriptedTasksOptions<S> {
  /** The ID of the n-th task started. */
  idFor(n: number): string;
  /** Steps of a started task when no script is queued. */
  script(): S[];
  /** Steps that mean the task is gone: a describe that reaches one removes the task. */
  gone?(step: S): boolean;
}

export class ScriptedTasks<S, D = undefined, Op extends string = string> {
  readonly tasks = new Map<string, ScriptedTask<S, D>>();
  /** Idempotency token → task ID, as AWS remembers it. */
  readonly tokens = new Map<string, string>();
  /** Step lists of the next started tasks. */
  readonly scripts: S[][] = [];
  /** Operation → errors its next calls throw (`fail(op)`). */
  readonly failures: Partial<Record<Op, unknown[]>> = {};
  /**
   * Errors the next starts throw *after* starting their task: the start reached AWS and its
   * answer was lost on the way back, so a retry with the same token finds the task.
   */
  readonly lostAnswers: unknown[] = [];
  private next = 1;

  constructor(private readonly options: ScriptedTasksOptions<S>) {}

  /** Throws the next queued fault of `op`, if any. */
  fail(op: Op): void {
    const queue = this.failures[op];
    if (queue !== undefined && queue.length > 0) throw queue.shift();
  }

  /** Puts a task with `steps` in place (one started elsewhere, or a known state); returns its n. */
  add(id: string, steps: S[], data: D, n = this.next++): ScriptedTask<S, D> {
    const task: ScriptedTask<S, D> = { n, steps: [...steps], data };
    this.tasks.set(id, task);
    return task;
  }

  /**
   * A start: the task an earlier start with `token` made, else a new one walking the next script.
   * `data(n)` builds the new task's data. A queued lost answer is thrown after the task exists.
   */
  start(token: string | undefined, data: (n: number) => D, steps?: S[]): StartResult {
    const known = token === undefined ? undefined : this.tokens.get(token);
    if (known !== undefined && this.tasks.has(known)) return { id: known, created: false };
    const n = this.next++;
    const id = this.options.idFor(n);
    this.add(id, steps ?? this.scripts.shift() ?? this.options.script(), data(n), n);
    if (token !== undefined) this.tokens.set(token, id);
    if (this.lostAnswers.length > 0) throw this.lostAnswers.shift();
    return { id, created: true };
  }

  /** The current step of `id` without advancing it. */
  current(id: string): S | undefined {
    return this.tasks.get(id)?.steps[0];
  }

  /**
   * What a describe of `id` sees: its current step, then the task moves one step on. A gone step
   * removes the task and reads as undefined.
   */
  describe(id: string): S | undefined {
    const task = this.tasks.get(id);
    if (task === undefined) return undefined;
    const step = task.steps[0]!;
    if (task.steps.length > 1) task.steps.shift();
    if (this.options.gone?.(step) === true) {
      this.tasks.delete(id);
      return undefined;
    }
    return step;
  }

  /** IDs whose task is known, each with the step a describe sees (advancing each). */
  describeAll(ids: readonly string[]): Map<string, S> {
    const out = new Map<string, S>();
    for (const id of ids) {
      const step = this.describe(id);
      if (step !== undefined) out.set(id, step);
    }
    return out;
  }
}

export interface StartResult {
  readonly id: string;
  /** False when the token's earlier task was returned. */
  readonly created: boolean;
}
