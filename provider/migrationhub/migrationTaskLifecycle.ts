/**
 * The lifecycle of `migrationhub.MigrationTask` over the core's context (core/task/lifecycle.ts):
 * ImportMigrationTask is synchronous, so create registers the task — or adopts it when its one
 * describe finds it, as a re-run of an interrupted create does — then writes what describes it
 * (attributes, artifacts, initial state). Update re-applies the writes in place. With
 * `waitForStatus`, both then wait until a migration tool moves the task there.
 */
import { ImportTaskFailedError, isAwsApiError, isWaiterTimeoutError } from "../core/errors";
import type { Lifecycle } from "../core/task/lifecycle";
import { taskFailure } from "../core/task/service";
import type { TaskContext } from "../core/task/spec";
import { canonicalJson } from "../core/tokens";
import { summarizeObserved, waitFor } from "../core/waiter";
import type { MigrationHubApi } from "./api";
import {
  DEFAULT_NEXT_UPDATE_SECONDS,
  DELETE_POLICY_MESSAGE,
  label,
  type MigrationTaskInputs,
  type MigrationTaskRecord,
  parseInputs,
  parseTaskId,
  planArtifacts,
  RESOURCE,
  statusOf,
  taskId,
  toOutputs,
  waitFailedMessage,
  waitTimeoutMs,
} from "./migrationTaskLogic";
import { asSet, migrationTaskSpec, TASK_POLL } from "./migrationTaskSpec";

type Ctx = TaskContext<MigrationHubApi, unknown, MigrationTaskRecord>;
type Notified = Pick<MigrationTaskRecord, "task" | "updateDateTime">;

/** Whether an input is unchanged as diff compares it (lists as sets). */
function same(a: unknown, b: unknown): boolean {
  return canonicalJson(asSet(a ?? null)) === canonicalJson(asSet(b ?? null));
}

/** The inputs minus the parts that need an AWS write (each is added once its write succeeds). */
function withoutWrites(args: MigrationTaskInputs): MigrationTaskInputs {
  const { resourceAttributes: _a, createdArtifacts: _c, initialState: _s, ...rest } = args;
  return rest;
}

/**
 * The writes that describe the task, in AWS's order: PutResourceAttributes (it overwrites the
 * whole list; AWS has no call to clear it), the artifact changes (an association is keyed by ARN,
 * so a new description is a re-association), NotifyMigrationTaskState. On create (`prev`
 * undefined) the artifacts are planned against what the task has — none, or an adopted task's —
 * and the initial state is notified only to a task with no reported state, so an adopted task a
 * tool already moved is never set back. On update each write runs when its input changed. `done`
 * follows each write: what the task has, as far as we know. Returns the state it notified.
 */
async function applyWrites(
  ctx: Ctx,
  args: MigrationTaskInputs,
  prev: MigrationTaskInputs | undefined,
  existing: MigrationTaskRecord | undefined,
  done: MigrationTaskInputs,
): Promise<Notified | undefined> {
  const { progressUpdateStream: stream, migrationTaskName: name } = args;
  const { log } = ctx.runtime;
  const res = label(taskId(stream, name));
  if (args.resourceAttributes === undefined) {
    if (prev?.resourceAttributes !== undefined) {
      log.warn(
        res,
        "resourceAttributes was removed, but Migration Hub has no API to clear them; the last list stays on the task",
      );
    }
    delete done.resourceAttributes;
  } else if (!same(prev?.resourceAttributes, args.resourceAttributes)) {
    await ctx.api.putResourceAttributes(stream, name, args.resourceAttributes);
    done.resourceAttributes = args.resourceAttributes;
  }
  if (prev !== undefined || args.createdArtifacts !== undefined) {
    const current =
      prev?.createdArtifacts ??
      (existing === undefined ? [] : await ctx.api.listCreatedArtifacts(stream, name));
    const plan = planArtifacts(current, args.createdArtifacts ?? []);
    // Create leaves alone what an adopted task already has beyond the inputs (a tool's own).
    for (const artifactName of prev === undefined ? [] : plan.disassociate) {
      await ctx.api
        .disassociateCreatedArtifact(stream, name, artifactName)
        .catch((err: unknown) => {
          // Already disassociated (e.g. by an earlier, interrupted update): the goal is reached.
          if (!(isAwsApiError(err) && err.code === "ResourceNotFoundException")) throw err;
        });
    }
    for (const a of plan.associate) await ctx.api.associateCreatedArtifact(stream, name, a);
  }
  if (args.createdArtifacts === undefined) delete done.createdArtifacts;
  else done.createdArtifacts = args.createdArtifacts;
  const state = args.initialState;
  let notified: Notified | undefined;
  if (state !== undefined && !same(prev?.initialState, state)) {
    if (prev === undefined && existing?.task !== undefined) {
      log.info(
        res,
        `keeps its reported state ${existing.task.status}; initialState applies only to a task with no reported state`,
      );
    } else {
      // On update, an explicit change of the desired state is the user's intent: notified again.
      const { nextUpdateSeconds, ...task } = state;
      // The wire carries whole epoch seconds (the SDK rounds): this is the time AWS keeps.
      const at = new Date(Math.round(ctx.runtime.clock.now() / 1000) * 1000);
      const next = nextUpdateSeconds ?? DEFAULT_NEXT_UPDATE_SECONDS;
      await ctx.api.notifyMigrationTaskState(stream, name, task, at, next);
      notified = { task, updateDateTime: at };
    }
  }
  if (state === undefined) delete done.initialState;
  else done.initialState = state;
  return notified;
}

/**
 * Waits for `waitForStatus` when set, else (update only) describes once; `seen` gets each record.
 * Returns why the task failed, or undefined.
 */
async function settle(
  ctx: Ctx,
  id: string,
  args: MigrationTaskInputs,
  seen: (r: MigrationTaskRecord | undefined) => void,
): Promise<string | undefined> {
  const { settings, clock, log, random } = ctx.runtime;
  const target = args.waitForStatus;
  const res = label(id);
  if (target === undefined) {
    const record = await ctx.describe(id);
    seen(record);
    if (record !== undefined) return undefined;
    return `${res}: the task is gone right after its update; its progress update stream is probably being deleted. Recreate the stream and run \`pulumi up\` again.`;
  }
  const minDelayMs = settings.pollMinDelayMs ?? TASK_POLL.minDelayMs;
  const result = await waitFor<MigrationTaskRecord | undefined>({
    poll: () => ctx.describe(id),
    status: statusOf,
    acceptors: migrationTaskSpec.acceptors("create", args),
    minDelayMs,
    maxDelayMs: Math.max(minDelayMs, settings.pollMaxDelayMs ?? TASK_POLL.maxDelayMs),
    timeoutMs: waitTimeoutMs(args, settings.waitTimeoutMinutes),
    clock,
    random,
    service: migrationTaskSpec.service,
    operation: migrationTaskSpec.describe.operation,
    subject: res,
    onObservation: (o, poll) => {
      seen(o);
      const pct = o?.task?.progressPercent;
      const shown = `${statusOf(o)}${pct === undefined ? "" : ` ${pct}%`}`;
      log.progress(res, `${shown} (poll ${poll}, waiting for ${target})`);
    },
  });
  if (result.verdict === "failure") {
    const observed = summarizeObserved(result.observed);
    return waitFailedMessage(id, target, result.last, result.polls, observed);
  }
  log.info(res, `reached ${statusOf(result.last)} after ${result.polls} polls`);
  return undefined;
}

/**
 * Applies the writes, then settles (update, or a wait) or returns what create's one describe and
 * the writes tell. From here the task exists: any failure reaches Pulumi as an
 * ImportTaskFailedError with the ID and what was applied (`done`), so the next update retries it.
 */
async function applyAndSettle(
  ctx: Ctx,
  id: string,
  args: MigrationTaskInputs,
  raw: Record<string, unknown>,
  prev: MigrationTaskInputs | undefined,
  existing: MigrationTaskRecord | undefined,
  done: MigrationTaskInputs,
): Promise<Record<string, unknown>> {
  const { __provider } = raw;
  let last = existing;
  try {
    const notified = await ctx.runtime.startLimiter.run(() =>
      applyWrites(ctx, args, prev, existing, done),
    );
    if (prev === undefined && args.waitForStatus === undefined) {
      // One DescribeMigrationTask per create (issue 10: its 20/s limit paces a fleet): the
      // describe before the writes plus the state we notified is what a second one would report.
      const { progressUpdateStream, migrationTaskName } = args;
      const base = existing ?? { progressUpdateStream, migrationTaskName, resourceAttributes: [] };
      return toOutputs(args, { ...base, ...notified });
    }
    const reason = await settle(ctx, id, args, (r) => (last = r));
    const outs = toOutputs(args, last);
    if (reason === undefined) return outs;
    throw new ImportTaskFailedError({ id, properties: { ...outs, __provider }, reasons: [reason] });
  } catch (err) {
    const properties = { ...toOutputs(done, last), __provider };
    if (!isWaiterTimeoutError(err)) {
      throw taskFailure(err, id, properties, { type: RESOURCE, subject: label(id) });
    }
    // The waiter's message names the resource; only a tool moves the task, so say which.
    const reason = `${err.message} Only a migration tool moves a Migration Hub task (NotifyMigrationTaskState); check that it is running.`;
    throw new ImportTaskFailedError({ id, properties, reasons: [reason], cause: err });
  }
}

export const migrationTaskLifecycle: Lifecycle<MigrationHubApi, unknown, MigrationTaskRecord> = {
  async create(ctx, raw) {
    const args = parseInputs(raw);
    const { progressUpdateStream: stream, migrationTaskName: name } = args;
    const id = taskId(stream, name);
    const { log, startLimiter } = ctx.runtime;
    // Create's one describe: it finds a task to adopt (an interrupted create's) and feeds the outputs.
    const existing = await ctx.describe(id);
    if (existing === undefined) {
      await startLimiter.run(() => ctx.api.importMigrationTask(stream, name));
      log.info(label(id), "registered (ImportMigrationTask)");
    } else {
      log.info(label(id), `adopting the existing task (status ${statusOf(existing)})`);
    }
    const done = withoutWrites(args);
    return { id, outs: await applyAndSettle(ctx, id, args, raw, undefined, existing, done) };
  },

  async update(ctx, id, olds, news) {
    const args = parseInputs(news);
    const prev = parseInputs(olds);
    // What the task has as far as we know: the previous lists and state until a write replaces them.
    const { resourceAttributes, createdArtifacts, initialState } = prev;
    const done = { ...withoutWrites(args), resourceAttributes, createdArtifacts, initialState };
    return { outs: await applyAndSettle(ctx, id, args, news, prev, undefined, done) };
  },

  /** Gone (ResourceNotFoundException) → no ID, so the engine drops it. */
  async read(ctx, id, props) {
    const key = parseTaskId(id);
    if (key === undefined) return {};
    const record = await ctx.describe(id);
    if (record === undefined) return {};
    const args = parseInputs({ ...props, ...key });
    // Only lists the user manages are refreshed from AWS: a tool's own artifacts or attributes
    // must not turn into a diff that removes them.
    const observed: Parameters<typeof toOutputs>[2] = {};
    if (args.resourceAttributes !== undefined && record.resourceAttributes.length > 0) {
      observed.resourceAttributes = record.resourceAttributes;
    }
    if (args.createdArtifacts !== undefined) {
      const { progressUpdateStream: stream, migrationTaskName: name } = key;
      observed.createdArtifacts = await ctx.api.listCreatedArtifacts(stream, name);
    }
    return { id, props: toOutputs(args, record, observed) };
  },

  /**
   * Migration Hub has no per-task delete API: deleting this resource only forgets the task. The
   * task is removed with its progress update stream (DeleteProgressUpdateStream).
   */
  delete(ctx, id) {
    ctx.runtime.log.info(label(id), DELETE_POLICY_MESSAGE);
    return Promise.resolve();
  },
};
