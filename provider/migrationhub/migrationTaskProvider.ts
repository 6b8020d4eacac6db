/** The module the `migrationhub.MigrationTask` shim requires (stacks' state names its path). */
import type { ProviderImplementation } from "../core/dynamic";
import { ImportTaskFailedError, isAwsApiError, isWaiterTimeoutError } from "../core/errors";
import { createLifecycleProvider, type Lifecycle } from "../core/task/lifecycle";
import { asInputs, type Inputs } from "../core/task/properties";
import { taskFailure } from "../core/task/service";
import type { Deps, TaskContext } from "../core/task/spec";
import { canonicalJson } from "../core/tokens";
import { summarizeObserved } from "../core/waiter";
import type { MigrationHubApi, MigrationTaskRecord } from "./api";
import {
  asSet,
  migrationTaskSpec as spec,
  type MigrationTaskInputs,
  parseTaskId,
  planArtifacts,
  statusOf,
  TASK_PROPERTIES,
  taskId,
  toOutputs,
} from "./migrationTaskSpec";
import { waitOn } from "./shared";

type Ctx = TaskContext<MigrationHubApi, unknown, MigrationTaskRecord>;
type Notified = Pick<MigrationTaskRecord, "task" | "updateDateTime">;

const inputs = (raw: Record<string, unknown>) => asInputs(TASK_PROPERTIES, raw);

/** Whether an input is unchanged as diff compares it (lists as sets). */
const same = (a: unknown, b: unknown): boolean =>
  canonicalJson(asSet(a ?? null)) === canonicalJson(asSet(b ?? null));

/**
 * The writes that describe the task, in AWS's order; on update each runs when its input changed.
 * On create (`prev` undefined) an adopted task a tool already moved is never set back. `done`
 * follows the writes: what the task has, as far as we know.
 */
async function applyWrites(
  ctx: Ctx,
  args: MigrationTaskInputs,
  prev: MigrationTaskInputs | undefined,
  existing: MigrationTaskRecord | undefined,
  done: MigrationTaskInputs,
): Promise<Notified | undefined> {
  const { api, runtime } = ctx;
  const res = ctx.subject(args);
  const attributes = args.resourceAttributes;
  // PutResourceAttributes overwrites the whole list; AWS has no call to clear it.
  if (attributes === undefined && prev?.resourceAttributes !== undefined) {
    runtime.log.warn(
      res,
      "resourceAttributes was removed, but Migration Hub has no API to clear them; the last list stays on the task",
    );
  } else if (attributes !== undefined && !same(prev?.resourceAttributes, attributes)) {
    await api.putResourceAttributes(args, attributes);
  }
  done.resourceAttributes = attributes;
  if (prev !== undefined || args.createdArtifacts !== undefined) {
    const current =
      prev?.createdArtifacts ??
      (existing === undefined ? [] : await api.listCreatedArtifacts(args));
    const plan = planArtifacts(current, args.createdArtifacts ?? []);
    // Create leaves alone what an adopted task already has beyond the inputs (a tool's own).
    for (const artifact of prev === undefined ? [] : plan.disassociate) {
      await api.disassociateCreatedArtifact(args, artifact).catch((err: unknown) => {
        // Already disassociated (e.g. by an earlier, interrupted update): the goal is reached.
        if (!(isAwsApiError(err) && err.code === "ResourceNotFoundException")) throw err;
      });
    }
    for (const a of plan.associate) await api.associateCreatedArtifact(args, a);
  }
  done.createdArtifacts = args.createdArtifacts;
  const state = args.initialState;
  let notified: Notified | undefined;
  if (state !== undefined && !same(prev?.initialState, state)) {
    if (prev === undefined && existing?.task !== undefined) {
      runtime.log.info(
        res,
        `keeps its reported state ${existing.task.status}; initialState applies only to a task with no reported state`,
      );
    } else {
      // On update, an explicit change of the desired state is the user's intent: notified again.
      const { nextUpdateSeconds = 86_400, ...task } = state;
      // The wire carries whole epoch seconds (the SDK rounds): this is the time AWS keeps.
      const at = new Date(Math.round(runtime.clock.now() / 1000) * 1000);
      await api.notifyMigrationTaskState(args, task, at, nextUpdateSeconds);
      notified = { task, updateDateTime: at };
    }
  }
  done.initialState = state;
  return notified;
}

/**
 * Applies the writes, then waits for `waitForStatus` or (update only) describes once. A failure
 * records the ID and what was applied (ImportTaskFailedError), so the next update retries it.
 */
async function applyAndSettle(
  ctx: Ctx,
  id: string,
  args: Inputs<MigrationTaskInputs>,
  prev: MigrationTaskInputs | undefined,
  existing?: MigrationTaskRecord,
): Promise<Record<string, unknown>> {
  const { __provider, waitForStatus: target } = args;
  const res = ctx.subject(args, id);
  const { resourceAttributes, createdArtifacts, initialState } = prev ?? {};
  const done = { ...args, resourceAttributes, createdArtifacts, initialState };
  let last = existing;
  let reason: string;
  try {
    const notified = await ctx.runtime.startLimiter.run(() =>
      applyWrites(ctx, args, prev, existing, done),
    );
    // One DescribeMigrationTask per create (issue 10: its 20/s limit paces a fleet): the
    // describe before the writes plus the state notified is what a second one would report.
    if (target === undefined && prev === undefined) {
      return toOutputs(args, { ...existing, ...notified });
    } else if (target === undefined) {
      last = await ctx.describe(id);
      if (last !== undefined) return toOutputs(args, last);
      reason = `${res}: the task is gone right after its update; its progress update stream is probably being deleted. Recreate the stream and run \`pulumi up\` again.`;
    } else {
      const result = await waitOn(ctx, spec, id, {
        acceptors: spec.acceptors("create", args),
        timeoutMs:
          (args.waitTimeoutMinutes ?? ctx.runtime.settings.waitTimeoutMinutes ?? 60) * 60_000,
        subject: res,
        onObservation: (o, poll) => {
          last = o;
          const pct = o?.task?.progressPercent === undefined ? "" : ` ${o.task.progressPercent}%`;
          ctx.runtime.log.progress(
            res,
            `${statusOf(o)}${pct} (poll ${poll}, waiting for ${target})`,
          );
        },
      });
      if (result.verdict === "success") {
        ctx.runtime.log.info(res, `reached ${statusOf(result.last)} after ${result.polls} polls`);
        return toOutputs(args, last);
      }
      const seen = `${result.polls} polls (${summarizeObserved(result.observed)})`;
      const detail = result.last?.task?.statusDetail;
      reason =
        result.last === undefined
          ? `${res}: the task disappeared while waiting for ${target} after ${seen}. Its progress update stream was deleted; recreate the stream and run \`pulumi up\` again.`
          : `${res}: a migration tool reported FAILED${detail ? `: ${detail}` : ""} after ${seen} while waiting for ${target}. Fix the migration in the tool; the next \`pulumi up\` waits again once the tool reports progress.`;
    }
  } catch (err) {
    const properties = { ...toOutputs(done, last), __provider };
    if (!isWaiterTimeoutError(err)) {
      throw taskFailure(err, id, properties, { type: "migrationhub.MigrationTask", subject: res });
    }
    // The waiter's message names the resource; only a tool moves the task, so say which.
    const why = `${err.message} Only a migration tool moves a Migration Hub task (NotifyMigrationTaskState); check that it is running.`;
    throw new ImportTaskFailedError({ id, properties, reasons: [why], cause: err });
  }
  const properties = { ...toOutputs(args, last), __provider };
  throw new ImportTaskFailedError({ id, properties, reasons: [reason] });
}

const lifecycle: Lifecycle<MigrationHubApi, unknown, MigrationTaskRecord> = {
  async create(ctx, raw) {
    const args = inputs(raw);
    const id = taskId(args);
    // Create's one describe: it finds a task to adopt (an interrupted create's) and feeds the outputs.
    const existing = await ctx.describe(id);
    if (existing === undefined) {
      await ctx.runtime.startLimiter.run(() => ctx.api.importMigrationTask(args));
      ctx.runtime.log.info(ctx.subject(args), "registered (ImportMigrationTask)");
    } else {
      const line = `adopting the existing task (status ${statusOf(existing)})`;
      ctx.runtime.log.info(ctx.subject(args), line);
    }
    return { id, outs: await applyAndSettle(ctx, id, args, undefined, existing) };
  },

  update: async (ctx, id, olds, news) => ({
    outs: await applyAndSettle(ctx, id, inputs(news), inputs(olds)),
  }),

  /** Gone (ResourceNotFoundException) → no ID, so the engine drops it. */
  async read(ctx, id, props) {
    const key = parseTaskId(id);
    const record = key && (await ctx.describe(id));
    if (key === undefined || record === undefined) return {};
    const args = inputs({ ...props, ...key });
    // Only lists the user manages are refreshed: a tool's own must not become a diff removing them.
    if (args.resourceAttributes !== undefined && record.resourceAttributes.length > 0) {
      args.resourceAttributes = record.resourceAttributes;
    }
    if (args.createdArtifacts !== undefined) {
      args.createdArtifacts = await ctx.api.listCreatedArtifacts(key);
    }
    return { id, props: toOutputs(args, record) };
  },

  delete(ctx, id) {
    ctx.runtime.log.info(
      ctx.subject({}, id),
      "Migration Hub has no API to delete one migration task, so deleting this resource only forgets it; the task is removed with its progress update stream (delete the migrationhub.ProgressUpdateStream to remove it)",
    );
    return Promise.resolve();
  },
};

export function createProvider(deps?: Partial<Deps<MigrationHubApi>>): ProviderImplementation {
  return createLifecycleProvider(spec, lifecycle, deps);
}
