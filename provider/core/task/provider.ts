/**
 * The one start-and-wait lifecycle (STYLE.md §2): adopt or start (idempotency token, successor
 * token after a failure) → wait in shared batched rounds → settle into outputs or a recorded
 * failure → resume on update → drop a vanished task on read → delete or retain.
 */
import type { ProviderImplementation } from "../dynamic";
import { urnOf } from "../engine";
import { ImportTaskFailedError, InputValidationError } from "../errors";
import { createLifecycleProvider, type Lifecycle } from "./lifecycle";
import {
  asInputs,
  type DetailedDiff,
  type DiffResult,
  diffProperties,
  effective,
  type Inputs,
  inputsOf,
  waitTimeoutMs,
} from "./properties";
import { named, taskFailure, trackStart } from "./service";
import type { Deps, Dropped, StartScope, TaskContext, TaskSpec, WaitSummary } from "./spec";

/** How many failed tasks create steps past (each via a successor token) before giving up. */
const MAX_SUCCESSORS = 10;

const noop = (): void => {};

function taskLifecycle<I extends object, T, A, S>(spec: TaskSpec<I, T, A, S>): Lifecycle<A, S, T> {
  return {
    diff: (id, olds, news, detailedDiff) => diffTask(spec, id, olds, news, detailedDiff),

    create: async (ctx, raw) => {
      const inputs = asInputs(spec.properties, raw);
      const deadline = deadlineOf(spec, ctx, inputs);
      const adoptId = spec.adoptProperty === undefined ? undefined : inputs[spec.adoptProperty];
      const adopting = typeof adoptId === "string";
      const release = (await spec.hooks?.hold?.(ctx, inputs, adopting ? "adopt" : "start")) ?? noop;
      const kept: (() => void)[] = [];
      const scope: StartScope = { deadline, keep: (r) => void kept.push(r) };
      try {
        const task = adopting
          ? await adopt(spec, ctx, inputs, adoptId)
          : await start(spec, ctx, raw, inputs, scope);
        return {
          id: spec.idOf(task),
          outs: await settle(spec, ctx, raw, inputs, task, {}, deadline),
        };
      } finally {
        for (const r of kept) r();
        release();
      }
    },

    read: async (ctx, id, props) => {
      const inputs = asInputs(spec.properties, props);
      const task = await ctx.describe(id);
      if (task === undefined || spec.vanished?.(task) === true) {
        const kept = task === undefined ? await spec.hooks?.readGone?.(ctx, id, props) : undefined;
        if (kept !== undefined && !isDropped(kept)) return { id, props: kept };
        // Nothing is left for the stack to manage, so the engine drops it.
        ctx.runtime.log.info(
          ctx.label(inputs, id),
          kept?.dropped ??
            `${id} no longer exists (${spec.statusOf(task)}); dropping it from the stack`,
        );
        return {};
      }
      const extra = await spec.hooks?.refresh?.(ctx, inputs, task, props);
      if (isDropped(extra)) {
        ctx.runtime.log.info(ctx.label(inputs, id), extra.dropped);
        return {};
      }
      return { id, props: spec.toOutputs(inputsOf(spec.properties, props), task, extra, props) };
    },

    update: async (ctx, id, olds, news) => {
      const inputs = asInputs(spec.properties, news);
      const deadline = deadlineOf(spec, ctx, inputs);
      const task = await ctx.describe(id);
      if (task === undefined) {
        const given = inputsOf(spec.properties, news);
        // readGone builds outputs from these: new inputs replace the old (a dropped one is gone).
        const recorded = Object.entries(olds).filter(([key]) => !(key in spec.properties));
        const current = { ...Object.fromEntries(recorded), ...given };
        const kept = await spec.hooks?.readGone?.(ctx, id, current);
        if (kept !== undefined && !isDropped(kept)) return { outs: kept };
        const gone = { polls: 1, observed: [spec.statusOf(undefined)] };
        throw new ImportTaskFailedError({
          id,
          properties: { ...olds, ...given, __provider: news["__provider"] },
          reasons: [spec.failureMessage(inputs, undefined, gone, id)],
        });
      }
      // Resumes a wait that a timeout or an interrupted `pulumi up` left unfinished.
      const release = (await spec.hooks?.hold?.(ctx, inputs, "resume", task)) ?? noop;
      try {
        return { outs: await settle(spec, ctx, news, inputs, task, olds, deadline) };
      } finally {
        release();
      }
    },

    delete: async (ctx, id, props) => {
      const inputs = asInputs(spec.properties, props);
      if (effective(spec.properties, inputs, "retainOnDelete") === true) {
        const message =
          spec.retainedMessage?.(id, inputs) ?? `retainOnDelete is true: leaving ${id}`;
        ctx.runtime.log.info(ctx.label(inputs, id), message);
        return;
      }
      await spec.hooks?.delete?.(ctx, id, inputs, props);
    },
  };
}

async function adopt<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  ctx: TaskContext<A, S, T>,
  inputs: Inputs<I>,
  adoptId: string,
): Promise<T> {
  const task = await ctx.describe(adoptId);
  if (task === undefined) {
    const where = ctx.runtime.settings.region ?? "the configured region";
    const property = spec.adoptProperty ?? "adopt";
    const missing = spec.adoptMissing?.(adoptId, inputs, where) ?? {
      reason: `names ${adoptId}, which ${spec.describe.operation} does not return in ${where}. Fix: check the ID and aws:region.`,
      message: `${ctx.subject(inputs, adoptId)}: ${property} ${adoptId} was not found in ${where}. Fix: check the ID and aws:region.`,
    };
    throw new InputValidationError({ property, ...missing });
  }
  const label = ctx.label(inputs, adoptId);
  for (const warning of spec.adoptWarnings?.(inputs, task) ?? [])
    ctx.runtime.log.warn(label, warning);
  ctx.runtime.log.info(label, `adopted ${spec.idOf(task)} (${spec.statusOf(task)})`);
  return task;
}

/**
 * The spec's start with the resource's token, through the start limiter: the same token returns
 * the task an interrupted run started; one that already failed is stepped past with a successor
 * token — unless the start call was retried (trackStart): then it may be this create's own.
 */
async function start<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  ctx: TaskContext<A, S, T>,
  raw: Record<string, unknown>,
  inputs: Inputs<I>,
  scope: StartScope,
): Promise<T> {
  const { runtime } = ctx;
  const label = ctx.label(inputs);
  const given = spec.tokenProperty === undefined ? undefined : inputs[spec.tokenProperty];
  let token = typeof given === "string" ? given : spec.fallbackToken(inputs, raw);
  // A sourceEtag chains the token (as a failed ID does): a changed file is imported anew.
  const etag = (inputs as Record<string, unknown>)["sourceEtag"];
  if (typeof etag === "string") token = spec.successorToken(token, `sourceEtag:${etag}`);
  for (let hop = 0; ; hop++) {
    const attempt = token;
    const found = await spec.hooks?.findStarted?.(ctx, inputs, attempt);
    const run = (): Promise<{ value: T; retried: boolean }> =>
      trackStart(() => spec.start(ctx, inputs, attempt, raw, scope));
    // A start that queues for a quota must not hold a limiter seat while it waits.
    const started =
      found === undefined
        ? spec.queuesStart === true
          ? await run()
          : await runtime.startLimiter.run(run)
        : { value: found, retried: false };
    const task = started.value;
    const id = spec.idOf(task);
    const status = spec.statusOf(task);
    // Only a task an earlier run started is stepped past: after a retried start call, a failed
    // task may be this create's own (its answer was lost); settle() reports it with its ID.
    if (spec.classify(status, inputs) !== "failure" || started.retried) {
      const under = `started earlier under ${spec.tokenProperty ?? "token"} ${attempt}`;
      const line =
        found === undefined
          ? (spec.startedMessage?.(task) ?? `started ${id} (${status})`)
          : `found ${id} (${status}) ${under}`;
      const urn = urnOf(raw);
      const recover = urn === undefined ? "" : `; if this run dies: ${recoveryCommand(urn, id)}`;
      runtime.log.info(ctx.label(inputs, id), line + recover);
      return task;
    }
    if (hop >= MAX_SUCCESSORS) {
      const attempts = MAX_SUCCESSORS + 1;
      throw new ImportTaskFailedError({
        id,
        properties: { ...spec.toOutputs(raw, task), __provider: inputs.__provider },
        reasons: [
          spec.exhaustedMessage?.(inputs, task, attempts) ??
            `${ctx.subject(inputs)}: ${attempts} tasks for this resource's token ended in failure (last ${id}: ${status}). Fix the inputs, then run \`pulumi up\` again.`,
        ],
      });
    }
    const line = `${id} for this token already ended in ${status}; starting a new import`;
    runtime.log.info(label, line);
    token = spec.successorToken(token, id);
  }
}

/** Waits (unless waitForCompletion is false) and returns full outputs, or throws with the ID. */
async function settle<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  ctx: TaskContext<A, S, T>,
  raw: Record<string, unknown>,
  inputs: Inputs<I>,
  task: T,
  previous: Record<string, unknown>,
  deadline: number,
): Promise<Record<string, unknown>> {
  const { runtime } = ctx;
  const id = spec.idOf(task);
  const provider = { __provider: inputs.__provider };
  const verdict = spec.classify(spec.statusOf(task), inputs, previous);
  const settled = spec.trustStartStatus === true && verdict !== "pending";
  if (effective(spec.properties, inputs, "waitForCompletion") === false && !settled) {
    return spec.toOutputs(raw, task, undefined, previous);
  }
  const result: WaitSummary<T> = settled
    ? { verdict, last: task, polls: 1, observed: [spec.statusOf(task)] }
    : await ctx.wait(id, "create", inputs, {
        deadline,
        properties: spec.toOutputs(raw, task, undefined, previous),
      });
  // The last known task, marked gone, is what a failure records when the describe lost it.
  const gone = { [spec.statusOutput ?? "status"]: spec.statusOf(undefined) };
  const last = result.last ?? { ...task, ...gone };
  const hooks = spec.hooks;
  // A task that ended (in success or failure) may have more to read; a gone one has not.
  const done =
    hooks?.settled === undefined || result.last === undefined
      ? {}
      : await hooks.settled(ctx, inputs, last, result, previous).catch((err: unknown) => {
          const outs = { ...spec.toOutputs(raw, last, undefined, previous), ...provider };
          throw taskFailure(err, id, outs, named(spec, ctx.subject(inputs, id)));
        });
  const outs = spec.toOutputs(raw, last, done.extra, previous);
  if (result.verdict === "failure" || done.failure !== undefined) {
    throw new ImportTaskFailedError({
      id,
      properties: { ...outs, ...provider },
      reasons: [done.failure ?? spec.failureMessage(inputs, result.last, result, id)],
    });
  }
  const label = ctx.label(inputs, id);
  if (done.warning !== undefined) runtime.log.warn(label, done.warning);
  else runtime.log.info(label, done.info ?? `${id} ${spec.statusOf(last)}`);
  return outs;
}

/** Records a task whose run died, after `pulumi cancel` (README "An interrupted `pulumi up`"). */
export function recoveryCommand(urn: string, id: string): string {
  const quote = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
  return `pulumi refresh --import-pending-creates ${quote(urn)} --import-pending-creates ${quote(id)}`;
}

/** The wait budget of one create/update counts from its start (a start may queue first). */
function deadlineOf<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  ctx: TaskContext<A, S, T>,
  inputs: Inputs<I>,
): number {
  const { settings, clock } = ctx.runtime;
  return clock.now() + waitTimeoutMs(spec.properties, inputs, settings.waitTimeoutMinutes);
}

/** A hook's Dropped verdict (spec.ts), told apart from outputs by its one string member. */
function isDropped(v: Record<string, unknown> | Dropped | undefined): v is Dropped {
  return v !== undefined && typeof v["dropped"] === "string" && Object.keys(v).length === 1;
}

/**
 * The table's diff plus the lifecycle's rule: a failed task is replaced (a re-run starts anew); one
 * still running is an update that resumes the wait (unless waitForCompletion is false).
 */
export function diffTask<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  id: string | undefined,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  detailedDiff: DetailedDiff = {},
): DiffResult {
  const statusKey = spec.statusOutput ?? "status";
  const more = spec.diffMore?.(olds, news);
  const options = { id, adoptProperty: spec.adoptProperty, more, statusKey };
  const result = diffProperties(spec.properties, olds, news, options, detailedDiff);
  const status = olds[statusKey];
  if (typeof status === "string") {
    const verdict = spec.classify(status, asInputs(spec.properties, news), olds);
    const wait = effective(spec.properties, news, "waitForCompletion") !== false;
    if (verdict === "failure") {
      result.replaces.push(statusKey);
      detailedDiff[statusKey] = { kind: "update-replace", inputDiff: false };
    } else if (verdict === "pending" && wait) {
      result.changes = true;
      detailedDiff[statusKey] ??= { kind: "update", inputDiff: false };
    }
  }
  result.changes ||= result.replaces.length > 0;
  return result;
}

export function createTaskProvider<I extends object, T, A, S>(
  spec: TaskSpec<I, T, A, S>,
  deps?: Partial<Deps<A>>,
): ProviderImplementation {
  return createLifecycleProvider(spec, taskLifecycle(spec), deps);
}
