/**
 * `migrationhub.MigrationTask` as a spec (STYLE.md §2): its property table, the describe the core
 * batches, poll delays, acceptors, naming and the home-region advice. What differs from an import
 * task — a synchronous register, then the writes that describe the task — is
 * migrationTaskLifecycle.ts.
 *
 * Polling choice. Migration Hub has no batch describe, and `ListMigrationTasks` pages through
 * every task of the account (no stream filter), needs the discovery policy and returns no
 * attributes. Waiting is opt-in (only a migration tool moves a task), so we describe per task
 * (batch size 1 merges same-turn polls of one ID), a bounded number at once.
 */
import { modelRule } from "../core/awsModel";
import { specRules } from "../core/task/lifecycle";
import type { PropertyTable } from "../core/task/properties";
import type { DescribeSpec, PollDelays, ServiceSpec } from "../core/task/spec";
import { canonicalJson } from "../core/tokens";
import { createMigrationHubApi, type MigrationHubApi } from "./api";
import {
  checkArtifacts,
  checkAttributes,
  checkInitialState,
  checkTaskMore,
} from "./migrationTaskChecks";
import {
  MAX_WAIT_TIMEOUT_MINUTES,
  type MigrationTaskInputs,
  type MigrationTaskRecord,
  parseTaskId,
  statusOf,
  taskId,
  WAIT_TARGETS,
  waitAcceptors,
  waitPending,
} from "./migrationTaskLogic";
import { MODEL } from "./model.generated";
import { explain, streamNameRule } from "./shared";

/** Lists compared as sets: AWS does not promise an order, and a reorder is not a change. */
export const asSet = (v: unknown): unknown =>
  Array.isArray(v) ? v.map((x) => canonicalJson(x)).sort() : v;

/** Each input once; the nested shapes' rules are in migrationTaskChecks.ts. */
export const TASK_PROPERTIES: PropertyTable<MigrationTaskInputs> = {
  progressUpdateStream: {
    rule: {
      kind: "string",
      required: true,
      ...streamNameRule(
        "ImportMigrationTaskRequest",
        "ProgressUpdateStream",
        "name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
      ),
    },
    change: "replace",
    awsName: "ProgressUpdateStream",
  },
  migrationTaskName: {
    rule: {
      kind: "string",
      required: true,
      ...modelRule(MODEL, "ImportMigrationTaskRequest", "MigrationTaskName", {
        patternText: "[^:|]+ (no ':' or '|')",
        fix: "use 1–256 characters without ':' or '|'",
      }),
    },
    change: "replace",
    awsName: "MigrationTaskName",
  },
  resourceAttributes: {
    rule: { kind: "custom" },
    checkNested: checkAttributes,
    change: "update",
    compareAs: asSet,
    awsName: "ResourceAttributeList",
  },
  createdArtifacts: {
    rule: { kind: "custom" },
    checkNested: checkArtifacts,
    change: "update",
    compareAs: asSet,
    awsName: "CreatedArtifact",
  },
  initialState: {
    rule: { kind: "object", fix: "give {status, statusDetail?, progressPercent?}" },
    checkNested: checkInitialState,
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

const TASK_DESCRIBE: DescribeSpec<MigrationTaskRecord, MigrationHubApi> = {
  operation: "DescribeMigrationTask",
  batchSize: 1,
  // At most this many polls in flight per provider process.
  concurrency: 10,
  // Each api method already goes through the core's caller.
  viaCaller: true,
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

export const migrationTaskSpec: ServiceSpec<
  MigrationTaskInputs,
  MigrationTaskRecord,
  MigrationHubApi
> = {
  service: "migrationhub",
  className: "MigrationTask",
  properties: TASK_PROPERTIES,
  checkMore: checkTaskMore,
  diffMore: (olds, news) => ({ changes: waitPending(olds, news) }),
  createApi: createMigrationHubApi,
  describe: TASK_DESCRIBE,
  poll: TASK_POLL,
  statusOf,
  // Only a wait for waitForStatus has acceptors (migrationTaskLifecycle.ts settle).
  acceptors: (_phase, { waitForStatus }) =>
    waitForStatus === undefined ? [] : waitAcceptors(waitForStatus),
  name: (inputs, id) => id ?? taskId(inputs.progressUpdateStream, inputs.migrationTaskName),
  explain,
  outputs: ["status", "statusDetail", "progressPercent", "updateDateTime"],
};

/** What check() and diff() answer: the table's rules and diff, then the spec's own. */
export const { check: checkMigrationTask, diff: diffMigrationTask } = specRules(migrationTaskSpec);
