/**
 * `migrationhub.MigrationTask` as a spec (STYLE.md §2): its property table, the describe the core
 * polls, poll delays, and the writes that make this resource differ from an import task —
 * ImportMigrationTask is synchronous and the task is then described with PutResourceAttributes,
 * AssociateCreatedArtifact and NotifyMigrationTaskState, on create and again on update.
 *
 * Polling choice. Migration Hub has no batch describe. `ListMigrationTasks` lists every task of
 * the account (no stream filter; `ResourceName` filters by discovered resource only), 100 per page,
 * and needs the discovery policy (`PolicyErrorException`): one poll round would cost
 * ceil(all tasks in the account / 100) calls however few tasks this stack waits on, and it returns
 * no resource attributes. Waiting is opt-in here (only a migration tool moves a task), so few
 * tasks wait at once. We therefore describe per task — `DescribeMigrationTask` with batch size 1,
 * which merges same-turn polls of one ID — at most POLL_CONCURRENCY at once, behind the shared
 * throttle, so N waiting tasks cost N calls per round at a bounded rate.
 */
import type { PropertyTable } from "../core/task/properties";
import type { DescribeSpec, PollDelays, TaskContext } from "../core/task/spec";
import { isAwsApiError } from "../core/errors";
import type { MigrationHubApi } from "./api";
import {
  DEFAULT_NEXT_UPDATE_SECONDS,
  label,
  MAX_WAIT_TIMEOUT_MINUTES,
  type MigrationTaskInputs,
  type MigrationTaskRecord,
  parseTaskId,
  planArtifacts,
  sameAttributes,
  sameState,
  WAIT_TARGETS,
} from "./migrationTaskLogic";
import {
  STREAM_NAME_PATTERN,
  STREAM_NAME_PATTERN_TEXT,
  TASK_NAME_PATTERN,
  TASK_NAME_PATTERN_TEXT,
} from "./shared";

/** Each input once; `custom` lists are checked by checkTaskMore (migrationTaskChecks.ts). */
export const TASK_PROPERTIES: PropertyTable<MigrationTaskInputs> = {
  progressUpdateStream: {
    rule: {
      kind: "string",
      required: true,
      minLength: 1,
      maxLength: 50,
      pattern: STREAM_NAME_PATTERN,
      patternText: STREAM_NAME_PATTERN_TEXT,
      fix: "name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
    },
    change: "replace",
    awsName: "ProgressUpdateStream",
  },
  migrationTaskName: {
    rule: {
      kind: "string",
      required: true,
      minLength: 1,
      maxLength: 256,
      pattern: TASK_NAME_PATTERN,
      patternText: TASK_NAME_PATTERN_TEXT,
      fix: "use 1–256 characters without ':' or '|'",
    },
    change: "replace",
    awsName: "MigrationTaskName",
  },
  // AWS does not promise an order for either list, so a reorder is not a change.
  resourceAttributes: {
    rule: { kind: "custom" },
    change: "update",
    unordered: true,
    awsName: "ResourceAttributeList",
  },
  createdArtifacts: {
    rule: { kind: "custom" },
    change: "update",
    unordered: true,
    awsName: "CreatedArtifact",
  },
  initialState: {
    rule: { kind: "object", fix: "give {status, statusDetail?, progressPercent?}" },
    change: "update",
    awsName: "Task",
  },
  waitForStatus: {
    rule: {
      kind: "string",
      oneOf: WAIT_TARGETS,
      fix: "wait for IN_PROGRESS or COMPLETED, or omit waitForStatus to not wait",
    },
    change: "update",
  },
  // No table default: the effective value comes from stack config, so omitting it is a change.
  waitTimeoutMinutes: {
    rule: {
      kind: "integer",
      min: 1,
      max: MAX_WAIT_TIMEOUT_MINUTES,
      fix: "give whole minutes from 1 to 10080 (one week)",
    },
    change: "update",
  },
};

/** At most this many DescribeMigrationTask polls in flight per provider process. */
export const POLL_CONCURRENCY = 10;

export const TASK_DESCRIBE: DescribeSpec<MigrationTaskRecord, MigrationHubApi> = {
  operation: "DescribeMigrationTask",
  batchSize: 1,
  async call(api, ids) {
    const found = new Map<string, MigrationTaskRecord>();
    for (const id of ids) {
      const key = parseTaskId(id);
      if (key === undefined) continue;
      const record = await api.describeMigrationTask(
        key.progressUpdateStream,
        key.migrationTaskName,
      );
      if (record !== undefined) found.set(id, record);
    }
    return found;
  },
};

/** Poll delays when stack config sets none: a migration tool reports every few minutes at best. */
export const TASK_POLL: PollDelays = { minDelayMs: 5_000, maxDelayMs: 60_000, gridMs: 1 };

/** The inputs minus the parts that need an AWS write (each is added once its write succeeds). */
export function withoutWrites(args: MigrationTaskInputs): MigrationTaskInputs {
  const out: MigrationTaskInputs = {
    progressUpdateStream: args.progressUpdateStream,
    migrationTaskName: args.migrationTaskName,
  };
  if (args.waitForStatus !== undefined) out.waitForStatus = args.waitForStatus;
  if (args.waitTimeoutMinutes !== undefined) out.waitTimeoutMinutes = args.waitTimeoutMinutes;
  return out;
}

async function notify(ctx: TaskContext<MigrationHubApi>, args: MigrationTaskInputs): Promise<void> {
  const state = args.initialState;
  if (state === undefined) return;
  const { nextUpdateSeconds, ...task } = state;
  await ctx.api.notifyMigrationTaskState(
    args.progressUpdateStream,
    args.migrationTaskName,
    task,
    new Date(ctx.runtime.clock.now()),
    nextUpdateSeconds ?? DEFAULT_NEXT_UPDATE_SECONDS,
  );
}

/**
 * After ImportMigrationTask (or adopting `existing`): puts the attributes, associates the
 * artifacts and notifies the initial state — only when the task has no reported state, so an
 * adopted task a tool already moved is never set back. Records each success in `done`.
 */
export async function describeTask(
  ctx: TaskContext<MigrationHubApi>,
  args: MigrationTaskInputs,
  existing: MigrationTaskRecord | undefined,
  done: MigrationTaskInputs,
): Promise<void> {
  const { progressUpdateStream: stream, migrationTaskName: name } = args;
  if (args.resourceAttributes !== undefined) {
    await ctx.api.putResourceAttributes(stream, name, args.resourceAttributes);
    done.resourceAttributes = args.resourceAttributes;
  }
  if (args.createdArtifacts !== undefined) {
    const current = existing === undefined ? [] : await ctx.api.listCreatedArtifacts(stream, name);
    for (const a of planArtifacts(current, args.createdArtifacts).associate) {
      await ctx.api.associateCreatedArtifact(stream, name, a);
    }
    done.createdArtifacts = args.createdArtifacts;
  }
  if (args.initialState !== undefined) {
    if (existing?.task === undefined) await notify(ctx, args);
    else {
      ctx.runtime.log.info(
        label(`${stream}/${name}`),
        `keeps its reported state ${existing.task.status}; initialState applies only to a task with no reported state`,
      );
    }
    done.initialState = args.initialState;
  }
}

/**
 * Update: applies what changed from `prev` in place. `done` starts as what the task has as far as
 * we know (the previous lists and state) and follows each write.
 */
export async function redescribeTask(
  ctx: TaskContext<MigrationHubApi>,
  prev: MigrationTaskInputs,
  args: MigrationTaskInputs,
  done: MigrationTaskInputs,
): Promise<void> {
  const { progressUpdateStream: stream, migrationTaskName: name } = args;
  if (args.resourceAttributes === undefined) {
    if (prev.resourceAttributes !== undefined) {
      ctx.runtime.log.warn(
        label(`${stream}/${name}`),
        "resourceAttributes was removed, but Migration Hub has no API to clear them; the last list stays on the task",
      );
    }
    delete done.resourceAttributes;
  } else if (!sameAttributes(prev.resourceAttributes, args.resourceAttributes)) {
    // PutResourceAttributes overwrites the whole list, so the new list is sent whole.
    await ctx.api.putResourceAttributes(stream, name, args.resourceAttributes);
    done.resourceAttributes = args.resourceAttributes;
  }
  const plan = planArtifacts(prev.createdArtifacts ?? [], args.createdArtifacts ?? []);
  for (const artifactName of plan.disassociate) {
    await ctx.api.disassociateCreatedArtifact(stream, name, artifactName).catch((err: unknown) => {
      // Already disassociated (e.g. by an earlier, interrupted update): the goal is reached.
      if (!(isAwsApiError(err) && err.code === "ResourceNotFoundException")) throw err;
    });
  }
  for (const a of plan.associate) await ctx.api.associateCreatedArtifact(stream, name, a);
  if (args.createdArtifacts === undefined) delete done.createdArtifacts;
  else done.createdArtifacts = args.createdArtifacts;
  if (args.initialState !== undefined && !sameState(prev.initialState, args.initialState)) {
    // An explicit change of the desired state is the user's intent: it is notified again.
    await notify(ctx, args);
  }
  if (args.initialState === undefined) delete done.initialState;
  else done.initialState = args.initialState;
}
