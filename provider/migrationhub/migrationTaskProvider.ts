/**
 * The dynamic provider of `migrationhub.MigrationTask`: each CRUD method is a short orchestration
 * of the pure logic, the api and the core.
 *
 * Polling choice. Migration Hub has no batch describe. `ListMigrationTasks` lists every task of
 * the account (no stream filter; `ResourceName` filters by discovered resource only), 100 per page,
 * and needs the discovery policy (`PolicyErrorException`): one poll round would cost
 * ceil(all tasks in the account / 100) calls however few tasks this stack waits on, and it returns
 * no resource attributes. Waiting is opt-in here (only a migration tool moves a task), so few
 * tasks wait at once. We therefore describe per task — `DescribeMigrationTask` through the
 * BatchPoller with batchSize 1, which merges same-turn polls of one ID — behind a
 * ConcurrencyLimiter and the shared AdaptiveThrottle, so N waiting tasks cost N calls per round
 * at a bounded rate.
 */
import { systemClock, type Clock } from "../core/clock";
import { readProviderSettings, type ProviderSettings } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import {
  ImportTaskFailedError,
  isAwsApiError,
  isImportTaskFailedError,
  isWaiterTimeoutError,
} from "../core/errors";
import { BatchPoller, ConcurrencyLimiter } from "../core/limiter";
import { createLogger, type Logger } from "../core/log";
import { createRuntime, type ServiceRuntime } from "../core/runtime";
import { summarizeObserved, waitFor } from "../core/waiter";
import { type ApiFactory, createMigrationHubApi, type MigrationHubApi } from "./api";
import {
  checkMigrationTask,
  DEFAULT_NEXT_UPDATE_SECONDS,
  DELETE_POLICY_MESSAGE,
  diffMigrationTask,
  label,
  type MigrationTaskInputs,
  type MigrationTaskRecord,
  parseInputs,
  parseTaskId,
  planArtifacts,
  sameAttributes,
  sameState,
  statusOf,
  taskId,
  toOutputs,
  waitAcceptors,
  waitFailedMessage,
  waitTimeoutMs,
} from "./migrationTaskLogic";
import { createCaller } from "./shared";

export interface Deps {
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Builds the api from the settings and the retrying caller (tests pass a fake). */
  api: ApiFactory;
  /** Environment for readProviderSettings (region fallback). @default process.env */
  env: NodeJS.ProcessEnv;
}

/** At most this many DescribeMigrationTask polls in flight per provider process. */
export const POLL_CONCURRENCY = 10;
/** Poll delays when stack config sets none: a migration tool reports every few minutes at best. */
export const DEFAULT_POLL_MIN_DELAY_MS = 5_000;
export const DEFAULT_POLL_MAX_DELAY_MS = 60_000;

interface Runtime extends ServiceRuntime {
  api: MigrationHubApi;
  poller: BatchPoller<MigrationTaskRecord>;
  pollLimiter: ConcurrencyLimiter;
}

class MigrationTaskProvider implements ProviderImplementation {
  private rt: Runtime | undefined;

  constructor(private readonly deps: Partial<Deps>) {}

  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    this.rt = this.build(readProviderSettings(req.config, this.deps.env ?? process.env));
    return Promise.resolve();
  }

  private build(settings: ProviderSettings): Runtime {
    const clock = this.deps.clock ?? systemClock;
    const base = createRuntime({
      settings,
      clock,
      random: this.deps.random ?? Math.random,
      log: this.deps.logger ?? createLogger({ clock }),
    });
    const api = (this.deps.api ?? createMigrationHubApi)(settings, createCaller(base));
    const pollLimiter = new ConcurrencyLimiter(POLL_CONCURRENCY);
    const poller = new BatchPoller<MigrationTaskRecord>({
      batchSize: 1,
      describe: async (ids) => {
        const found = new Map<string, MigrationTaskRecord>();
        await Promise.all(
          ids.map((id) =>
            pollLimiter.run(async () => {
              const key = parseTaskId(id);
              if (key === undefined) return;
              const record = await api.describeMigrationTask(
                key.progressUpdateStream,
                key.migrationTaskName,
              );
              if (record !== undefined) found.set(id, record);
            }),
          ),
        );
        return found;
      },
    });
    return { ...base, api, poller, pollLimiter };
  }

  /** The host always configures first; direct callers (tests) get settings from the environment. */
  private runtime(): Runtime {
    this.rt ??= this.build(
      readProviderSettings({ get: () => undefined }, this.deps.env ?? process.env),
    );
    return this.rt;
  }

  check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{
    inputs: Record<string, unknown>;
    failures: { property: string; reason: string }[];
  }> {
    return Promise.resolve({ inputs: news, failures: checkMigrationTask(news) });
  }

  diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces?: string[] }> {
    return Promise.resolve(diffMigrationTask(olds, news));
  }

  /**
   * Registers the task (ImportMigrationTask), or adopts it when it already exists — a re-run of an
   * interrupted create finds the task the first run registered. Then puts the resource attributes,
   * associates the artifacts and notifies the initial state (only when the task has no reported
   * state, so an adopted task a tool already moved is never set back), and waits if asked.
   */
  async create(
    inputs: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }> {
    const rt = this.runtime();
    const args = parseInputs(inputs);
    const id = taskId(args.progressUpdateStream, args.migrationTaskName);
    const res = label(id);
    const { progressUpdateStream: stream, migrationTaskName: name } = args;
    const existing = await rt.poller.get(id);
    if (existing === undefined) {
      await rt.startLimiter.run(() => rt.api.importMigrationTask(stream, name));
      rt.log.info(res, "registered (ImportMigrationTask)");
    } else {
      rt.log.info(res, `adopting the existing task (status ${statusOf(existing)})`);
    }
    // From here the task exists: any failure must reach Pulumi with the ID, so it is recorded.
    const done: MigrationTaskInputs = withoutWrites(args);
    let last: MigrationTaskRecord | undefined = existing;
    try {
      await rt.startLimiter.run(async () => {
        if (args.resourceAttributes !== undefined) {
          await rt.api.putResourceAttributes(stream, name, args.resourceAttributes);
          done.resourceAttributes = args.resourceAttributes;
        }
        if (args.createdArtifacts !== undefined) {
          const current =
            existing === undefined ? [] : await rt.api.listCreatedArtifacts(stream, name);
          for (const a of planArtifacts(current, args.createdArtifacts).associate) {
            await rt.api.associateCreatedArtifact(stream, name, a);
          }
          done.createdArtifacts = args.createdArtifacts;
        }
        if (args.initialState !== undefined) {
          if (existing?.task === undefined) {
            await this.notify(rt, args);
          } else {
            rt.log.info(
              res,
              `keeps its reported state ${existing.task.status}; initialState applies only to a task with no reported state`,
            );
          }
          done.initialState = args.initialState;
        }
      });
      return { id, outs: await this.settle(rt, id, args, inputs, (r) => (last = r)) };
    } catch (err) {
      throw this.failure(id, done, last, inputs, err);
    }
  }

  /** Resumes an unfinished wait, applies in-place changes, and returns full outputs. */
  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    const rt = this.runtime();
    const args = parseInputs(news);
    const prev = parseInputs(olds);
    const res = label(id);
    const { progressUpdateStream: stream, migrationTaskName: name } = args;
    // What the task has as far as we know: the previous lists and state until a write replaces them.
    const done: MigrationTaskInputs = withoutWrites(args);
    if (prev.resourceAttributes !== undefined) done.resourceAttributes = prev.resourceAttributes;
    if (prev.createdArtifacts !== undefined) done.createdArtifacts = prev.createdArtifacts;
    if (prev.initialState !== undefined) done.initialState = prev.initialState;
    let last: MigrationTaskRecord | undefined;
    try {
      await rt.startLimiter.run(async () => {
        if (args.resourceAttributes === undefined) {
          if (prev.resourceAttributes !== undefined) {
            rt.log.warn(
              res,
              "resourceAttributes was removed, but Migration Hub has no API to clear them; the last list stays on the task",
            );
          }
          delete done.resourceAttributes;
        } else if (!sameAttributes(prev.resourceAttributes, args.resourceAttributes)) {
          // PutResourceAttributes overwrites the whole list, so the new list is sent whole.
          await rt.api.putResourceAttributes(stream, name, args.resourceAttributes);
          done.resourceAttributes = args.resourceAttributes;
        }
        const wanted = args.createdArtifacts ?? [];
        const plan = planArtifacts(prev.createdArtifacts ?? [], wanted);
        for (const artifactName of plan.disassociate) {
          try {
            await rt.api.disassociateCreatedArtifact(stream, name, artifactName);
          } catch (err) {
            // Already disassociated (e.g. by an earlier, interrupted update): the goal is reached.
            if (!(isAwsApiError(err) && err.code === "ResourceNotFoundException")) throw err;
          }
        }
        for (const a of plan.associate) await rt.api.associateCreatedArtifact(stream, name, a);
        if (args.createdArtifacts === undefined) delete done.createdArtifacts;
        else done.createdArtifacts = args.createdArtifacts;
        if (args.initialState !== undefined && !sameState(prev.initialState, args.initialState)) {
          // An explicit change of the desired state is the user's intent: it is notified again.
          await this.notify(rt, args);
        }
        if (args.initialState === undefined) delete done.initialState;
        else done.initialState = args.initialState;
      });
      return { outs: await this.settle(rt, id, args, news, (r) => (last = r)) };
    } catch (err) {
      throw this.failure(id, done, last, news, err);
    }
  }

  /** Describes the task; gone (ResourceNotFoundException) → no ID, so the engine drops it. */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const rt = this.runtime();
    const key = parseTaskId(id);
    if (key === undefined) return {};
    const record = await rt.poller.get(id);
    if (record === undefined) return {};
    const args = parseInputs({ ...props, ...key });
    // Only lists the user manages are refreshed from AWS: a tool's own artifacts or attributes
    // must not turn into a diff that removes them.
    const observed: Parameters<typeof toOutputs>[2] = {};
    if (args.resourceAttributes !== undefined && record.resourceAttributes.length > 0) {
      observed.resourceAttributes = record.resourceAttributes;
    }
    if (args.createdArtifacts !== undefined) {
      observed.createdArtifacts = await rt.api.listCreatedArtifacts(
        key.progressUpdateStream,
        key.migrationTaskName,
      );
    }
    return { id, props: toOutputs(args, record, observed) };
  }

  /**
   * Migration Hub has no per-task delete API: deleting this resource only forgets the task. The
   * task is removed with its progress update stream (DeleteProgressUpdateStream).
   */
  delete(id: string, _props: Record<string, unknown>): Promise<void> {
    this.runtime().log.info(label(id), DELETE_POLICY_MESSAGE);
    return Promise.resolve();
  }

  private async notify(rt: Runtime, args: MigrationTaskInputs): Promise<void> {
    const state = args.initialState;
    if (state === undefined) return;
    const task = {
      status: state.status,
      ...(state.statusDetail === undefined ? {} : { statusDetail: state.statusDetail }),
      ...(state.progressPercent === undefined ? {} : { progressPercent: state.progressPercent }),
    };
    await rt.api.notifyMigrationTaskState(
      args.progressUpdateStream,
      args.migrationTaskName,
      task,
      new Date(rt.clock.now()),
      state.nextUpdateSeconds ?? DEFAULT_NEXT_UPDATE_SECONDS,
    );
  }

  /** Waits for `waitForStatus` when set, else describes once; returns the full outputs. */
  private async settle(
    rt: Runtime,
    id: string,
    args: MigrationTaskInputs,
    inputs: Record<string, unknown>,
    seen: (r: MigrationTaskRecord | undefined) => void,
  ): Promise<Record<string, unknown>> {
    const target = args.waitForStatus;
    const res = label(id);
    if (target === undefined) {
      const record = await rt.poller.get(id);
      seen(record);
      if (record === undefined) {
        throw new ImportTaskFailedError({
          id,
          properties: { ...toOutputs(args, undefined), __provider: inputs.__provider },
          reasons: [
            `${res}: the task is not there right after it was registered; its progress update stream is probably being deleted. Recreate the stream and run \`pulumi up\` again.`,
          ],
        });
      }
      return toOutputs(args, record);
    }
    const result = await waitFor<MigrationTaskRecord | undefined>({
      poll: () => rt.poller.get(id),
      status: statusOf,
      acceptors: waitAcceptors(target),
      minDelayMs: rt.settings.pollMinDelayMs ?? DEFAULT_POLL_MIN_DELAY_MS,
      maxDelayMs: Math.max(
        rt.settings.pollMinDelayMs ?? DEFAULT_POLL_MIN_DELAY_MS,
        rt.settings.pollMaxDelayMs ?? DEFAULT_POLL_MAX_DELAY_MS,
      ),
      timeoutMs: waitTimeoutMs(args, rt.settings.waitTimeoutMinutes),
      clock: rt.clock,
      random: rt.random,
      service: "migrationhub",
      operation: "DescribeMigrationTask",
      subject: res,
      onObservation: (o, poll) => {
        seen(o);
        const pct = o?.task?.progressPercent;
        rt.log.progress(
          res,
          `${statusOf(o)}${pct === undefined ? "" : ` ${pct}%`} (poll ${poll}, waiting for ${target})`,
        );
      },
    });
    if (result.verdict === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: { ...toOutputs(args, result.last), __provider: inputs.__provider },
        reasons: [
          waitFailedMessage(
            id,
            target,
            result.last,
            result.polls,
            summarizeObserved(result.observed),
          ),
        ],
      });
    }
    rt.log.info(res, `reached ${statusOf(result.last)} after ${result.polls} polls`);
    return toOutputs(args, result.last);
  }

  /** Any failure once the task exists: ImportTaskFailedError with the ID and what was applied. */
  private failure(
    id: string,
    done: MigrationTaskInputs,
    last: MigrationTaskRecord | undefined,
    inputs: Record<string, unknown>,
    err: unknown,
  ): ImportTaskFailedError {
    if (isImportTaskFailedError(err)) return err;
    const message = err instanceof Error ? err.message : String(err);
    const hint = isWaiterTimeoutError(err)
      ? " Only a migration tool moves a Migration Hub task (NotifyMigrationTaskState); check that it is running."
      : "";
    // Waiter errors already name the resource (their subject); others get it as a prefix.
    const reason = `${message.startsWith(label(id)) ? "" : `${label(id)}: `}${message}${hint}`;
    return new ImportTaskFailedError({
      id,
      properties: { ...toOutputs(done, last), __provider: inputs.__provider },
      reasons: [reason],
      cause: err,
    });
  }
}

/** The inputs minus the parts that need an AWS write (they are added as each write succeeds). */
function withoutWrites(args: MigrationTaskInputs): MigrationTaskInputs {
  const out: MigrationTaskInputs = {
    progressUpdateStream: args.progressUpdateStream,
    migrationTaskName: args.migrationTaskName,
  };
  if (args.waitForStatus !== undefined) out.waitForStatus = args.waitForStatus;
  if (args.waitTimeoutMinutes !== undefined) out.waitTimeoutMinutes = args.waitTimeoutMinutes;
  return out;
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new MigrationTaskProvider(deps ?? {}));
}
