/**
 * The dynamic provider of `ads.ImportTask`: each method a short orchestration of the pure logic,
 * the ADS api and core (limiter, retries, batched polling, waiter). One instance serves every
 * ads.ImportTask of a deployment (the host caches it per serialized shim), so the BatchPoller turns
 * N waiting imports into ceil(N / 100) DescribeImportTasks calls per round.
 */
import type { CheckFailure } from "../core/check";
import type { Clock } from "../core/clock";
import { type ConfigSource, type ProviderSettings, readProviderSettings } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import {
  ImportTaskFailedError,
  InputValidationError,
  isAwsApiError,
  isMigrationError,
  withAdvice,
} from "../core/errors";
import { BatchPoller } from "../core/limiter";
import type { Logger } from "../core/log";
import { callAws } from "../core/retry";
import { createRuntime, type ServiceRuntime } from "../core/runtime";
import { type Acceptor, waitFor, type WaitResult } from "../core/waiter";
import { type AdsApi, createAdsApi, type DeleteOutcome } from "./api";
import {
  type AdsTask,
  asInputs,
  batchDeleteErrorMessage,
  checkInputs,
  classifyImportStatus,
  createAcceptors,
  deleteAcceptors,
  deleteFailureMessage,
  diffInputs,
  failureMessage,
  fallbackToken,
  hasRowErrors,
  homeRegionAdvice,
  type ImportTaskInputs,
  inputsOf,
  LIMITS,
  logLabel,
  type Observation,
  POLL,
  rowErrorsWarning,
  statusOf,
  subject,
  successorToken,
  toOutputs,
  waitTimeoutMs,
  DEFAULTS,
} from "./importTaskLogic";

export interface Deps {
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Builds the api from the configured settings (tests pass a fake). */
  api: (settings: ProviderSettings) => AdsApi;
  /** Environment for region fallbacks (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

/** How many failed tasks create steps past (each via a successor token) before giving up. */
const MAX_SUCCESSORS = 10;
/** BatchDeleteImportData per-ID INTERNAL_SERVER_ERROR: attempts before failing the delete. */
const DELETE_ATTEMPTS = 3;

interface Service {
  runtime: ServiceRuntime;
  api: AdsApi;
  poller: BatchPoller<AdsTask>;
  /** One batcher per deleteHistory value (the flag is per call, not per ID). */
  deleters: Record<"history" | "keepHistory", BatchPoller<DeleteOutcome>>;
}

class AdsImportTaskProvider implements ProviderImplementation {
  private service: Service | undefined;

  constructor(private readonly deps: Partial<Deps>) {}

  configure(req: { config: ConfigSource }): Promise<void> {
    this.service = this.build(readProviderSettings(req.config, this.deps.env ?? process.env));
    return Promise.resolve();
  }

  private build(settings: ProviderSettings): Service {
    const runtime = createRuntime({
      settings,
      ...(this.deps.clock === undefined ? {} : { clock: this.deps.clock }),
      ...(this.deps.random === undefined ? {} : { random: this.deps.random }),
      ...(this.deps.logger === undefined ? {} : { log: this.deps.logger }),
    });
    const api = (this.deps.api ?? createAdsApi)(settings);
    const aws = <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
      callAws(
        {
          service: "ads",
          operation,
          clock: runtime.clock,
          random: runtime.random,
          throttle: runtime.throttle,
        },
        fn,
      );
    const deleter = (deleteHistory: boolean): BatchPoller<DeleteOutcome> =>
      new BatchPoller<DeleteOutcome>({
        batchSize: LIMITS.deleteBatchSize,
        describe: (ids) =>
          aws("BatchDeleteImportData", () => api.batchDeleteImportData(ids, deleteHistory)),
      });
    return {
      runtime,
      api,
      poller: new BatchPoller<AdsTask>({
        batchSize: LIMITS.describeBatchSize,
        describe: (ids) => aws("DescribeImportTasks", () => api.describeImportTasks(ids)),
      }),
      deleters: { history: deleter(true), keepHistory: deleter(false) },
    };
  }

  /** The configured service; the host always configures first, direct callers get env defaults. */
  private svc(): Service {
    this.service ??= this.build(
      readProviderSettings({ get: () => undefined }, this.deps.env ?? process.env),
    );
    return this.service;
  }

  check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { settings } = this.svc().runtime;
    const origins = [settings.endpoints.s3, settings.endpoints.ads, settings.endpoint]
      .filter((u): u is string => u !== undefined)
      .map((u) => new URL(u).origin);
    return Promise.resolve({
      inputs: news,
      failures: checkInputs(news, { extraS3Origins: origins }),
    });
  }

  diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }> {
    return Promise.resolve(diffInputs(olds, news));
  }

  async create(
    raw: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }> {
    const inputs = asInputs(raw);
    const { runtime } = this.svc();
    const label = logLabel(inputs.name, inputs.adoptImportTaskId);
    let task: AdsTask;
    if (inputs.adoptImportTaskId !== undefined) {
      task = await this.adopt(inputs, inputs.adoptImportTaskId);
      runtime.log.info(label, `adopted ${task.importTaskId} (${task.status})`);
    } else {
      task = await this.start(inputs);
    }
    const outs = await this.settle(raw, inputs, task);
    return { id: task.importTaskId, outs };
  }

  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const task = await this.describe(id);
    // Gone, or deleted with its data: nothing is left for the stack to manage, so the engine drops it.
    if (task === undefined || task.status === "DELETE_COMPLETE") {
      this.svc().runtime.log.info(
        logLabel(props["name"], id),
        `${id} no longer exists (${statusOf(task)}); dropping it from the stack`,
      );
      return {};
    }
    return { id, props: toOutputs(inputsOf(props), task) };
  }

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    const inputs = asInputs(news);
    const task = await this.describe(id);
    if (task === undefined) {
      throw new ImportTaskFailedError({
        id,
        properties: { ...olds, ...inputsOf(news), __provider: news["__provider"] },
        reasons: [failureMessage(inputs.name, undefined, { polls: 1, observed: ["GONE"] }, id)],
      });
    }
    // Resumes a wait that a timeout or an interrupted `pulumi up` left unfinished.
    return { outs: await this.settle(news, inputs, task) };
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const inputs = asInputs(props);
    const { runtime, deleters } = this.svc();
    const label = logLabel(inputs.name, id);
    if (inputs.retainOnDelete ?? DEFAULTS.retainOnDelete) {
      runtime.log.info(label, `retainOnDelete is true: leaving ${id} and its imported data in ADS`);
      return;
    }
    const current = await this.describe(id);
    if (current === undefined || current.status === "DELETE_COMPLETE") return;
    if (current.status !== "DELETE_IN_PROGRESS") {
      const deleteHistory = inputs.deleteHistoryOnDelete ?? DEFAULTS.deleteHistoryOnDelete;
      const deleter = deleteHistory ? deleters.history : deleters.keepHistory;
      for (let attempt = 1; ; attempt++) {
        const outcome = (await deleter.get(id)) ?? { accepted: true };
        if (outcome.accepted) break;
        if (outcome.errorCode === "NOT_FOUND") return;
        if (outcome.errorCode !== "INTERNAL_SERVER_ERROR" || attempt >= DELETE_ATTEMPTS) {
          throw new ImportTaskFailedError({
            id,
            properties: props,
            reasons: [
              batchDeleteErrorMessage(inputs.name, id, outcome.errorCode, outcome.errorDescription),
            ],
          });
        }
        await runtime.clock.sleep(1000 * 2 ** attempt * runtime.random());
      }
      runtime.log.info(
        label,
        `BatchDeleteImportData accepted ${id} (deleteHistory: ${deleteHistory})`,
      );
    }
    const result = await this.waitOn(id, inputs, deleteAcceptors, "delete").catch(
      (err: unknown) => {
        throw this.asTaskFailure(err, id, props, inputs);
      },
    );
    if (result.verdict === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: props,
        reasons: [deleteFailureMessage(inputs.name, result.last, result, id)],
      });
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** DescribeImportTasks through the shared batch poller; home-region errors get their fix. */
  private async describe(id: string): Promise<AdsTask | undefined> {
    try {
      return await this.svc().poller.get(id);
    } catch (err) {
      throw this.explain(err);
    }
  }

  private async adopt(inputs: ImportTaskInputs, adoptId: string): Promise<AdsTask> {
    const task = await this.describe(adoptId);
    const { settings } = this.svc().runtime;
    if (task === undefined) {
      throw new InputValidationError({
        property: "adoptImportTaskId",
        reason: `names ${adoptId}, which DescribeImportTasks does not return in ${settings.region ?? "the configured region"}. Fix: check the ID and that aws:region is the account's Migration Hub home region.`,
        message: `${subject(inputs.name, adoptId)}: adoptImportTaskId ${adoptId} was not found in ${settings.region ?? "the configured region"}. Fix: check the ID (aws discovery describe-import-tasks) and that aws:region is the account's Migration Hub home region.`,
      });
    }
    const log = this.svc().runtime.log;
    for (const key of ["name", "importUrl"] as const) {
      if (inputs[key] !== undefined && task[key] !== undefined && inputs[key] !== task[key]) {
        log.warn(
          logLabel(inputs.name, adoptId),
          `adopted task's ${key} differs from the input (the task's value is kept in ADS)`,
        );
      }
    }
    return task;
  }

  /**
   * StartImportTask with the resource's token through the start limiter. The same token returns
   * the task an interrupted run started; a task that already failed is stepped past with a
   * deterministic successor token, so a re-run after a failure imports again.
   */
  private async start(inputs: ImportTaskInputs): Promise<AdsTask> {
    const { runtime, api } = this.svc();
    const name = inputs.name ?? "";
    const importUrl = inputs.importUrl ?? "";
    const label = logLabel(name);
    const failOnRowErrors = inputs.failOnRowErrors ?? DEFAULTS.failOnRowErrors;
    let token = inputs.clientRequestToken ?? fallbackToken(inputs.name, inputs.importUrl);
    for (let hop = 0; ; hop++) {
      const clientRequestToken = token;
      let task: AdsTask;
      try {
        task = await runtime.startLimiter.run(() =>
          callAws(
            {
              service: "ads",
              operation: "StartImportTask",
              clock: runtime.clock,
              random: runtime.random,
              throttle: runtime.throttle,
            },
            () => api.startImportTask({ name, importUrl, clientRequestToken }),
          ),
        );
      } catch (err) {
        throw this.explain(err);
      }
      if (classifyImportStatus(task.status, failOnRowErrors) !== "failure") {
        runtime.log.info(label, `started ${task.importTaskId} (${task.status})`);
        return task;
      }
      if (hop >= MAX_SUCCESSORS) {
        throw new ImportTaskFailedError({
          id: task.importTaskId,
          properties: { ...toOutputs({ ...inputs }, task), __provider: inputs.__provider },
          reasons: [
            `${subject(name)}: ${MAX_SUCCESSORS + 1} import tasks for this resource's token ended in failure (last ${task.importTaskId}: ${task.status}). Fix the file, then run \`pulumi up\` again.`,
          ],
        });
      }
      runtime.log.info(
        label,
        `${task.importTaskId} for this token already ended in ${task.status}; starting a new import`,
      );
      token = successorToken(token, task.importTaskId);
    }
  }

  /** Waits (unless waitForCompletion is false) and returns full outputs, or throws with the ID. */
  private async settle(
    raw: Record<string, unknown>,
    inputs: ImportTaskInputs,
    task: AdsTask,
  ): Promise<Record<string, unknown>> {
    const { runtime } = this.svc();
    const id = task.importTaskId;
    const label = logLabel(inputs.name, id);
    const failOnRowErrors = inputs.failOnRowErrors ?? DEFAULTS.failOnRowErrors;
    if (!(inputs.waitForCompletion ?? DEFAULTS.waitForCompletion)) {
      return toOutputs(raw, task);
    }
    let result: WaitResult<Observation>;
    try {
      result = await this.waitOn(id, inputs, createAcceptors(failOnRowErrors), "import");
    } catch (err) {
      throw this.asTaskFailure(err, id, toOutputs(raw, task), inputs);
    }
    const last = result.last ?? task;
    const outs = toOutputs(raw, result.last ?? { ...task, status: statusOf(result.last) });
    if (result.verdict === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: { ...outs, __provider: inputs.__provider },
        reasons: [failureMessage(inputs.name, result.last, result, id)],
      });
    }
    if (hasRowErrors(last)) runtime.log.warn(label, rowErrorsWarning(last));
    else runtime.log.info(label, `${id} ${last.status}`);
    return outs;
  }

  private waitOn(
    id: string,
    inputs: ImportTaskInputs,
    acceptors: readonly Acceptor<Observation>[],
    phase: "import" | "delete",
  ): Promise<WaitResult<Observation>> {
    const { runtime, poller } = this.svc();
    const { settings } = runtime;
    const minDelayMs = settings.pollMinDelayMs ?? POLL.minDelayMs;
    const maxDelayMs = Math.max(minDelayMs, settings.pollMaxDelayMs ?? POLL.maxDelayMs);
    const label = logLabel(inputs.name, id);
    const started = runtime.clock.now();
    // Sleeps end on a shared grid (jittered delays would scatter concurrent waits over distinct
    // ticks, and the BatchPoller merges only the gets of one tick), or early to ride along in a
    // round that other waits started and that has room for this ID.
    const clock = poller.ridingClock(runtime.clock, Math.min(minDelayMs, POLL.gridMs), maxDelayMs);
    return waitFor<Observation>({
      poll: () => poller.get(id),
      status: statusOf,
      acceptors,
      minDelayMs,
      maxDelayMs,
      timeoutMs: waitTimeoutMs(inputs, settings.waitTimeoutMinutes),
      clock,
      random: runtime.random,
      service: "ads",
      operation: "DescribeImportTasks",
      subject: `${subject(inputs.name, id)}: ${phase} ${id}`,
      onObservation: (o, poll) =>
        runtime.log.progress(
          label,
          `${statusOf(o)} (poll ${poll}, ${Math.round((runtime.clock.now() - started) / 1000)}s)`,
        ),
    });
  }

  /** Once an ID exists every failure carries it, so Pulumi records the resource (and can resume). */
  private asTaskFailure(
    err: unknown,
    id: string,
    properties: Record<string, unknown>,
    inputs: ImportTaskInputs,
  ): ImportTaskFailedError {
    if (isMigrationError(err, "ImportTaskFailedError")) return err;
    const explained = this.explain(err);
    const message = explained instanceof Error ? explained.message : String(explained);
    return new ImportTaskFailedError({
      id,
      properties: { ...properties, __provider: inputs.__provider },
      reasons: [message],
      cause: explained,
    });
  }

  /** Adds the home-region fix to ADS errors that are about the home region. */
  private explain(err: unknown): unknown {
    if (!isAwsApiError(err)) return err;
    const advice = homeRegionAdvice(err.code, err.awsMessage, this.svc().runtime.settings.region);
    if (advice === undefined) return err;
    return withAdvice(err, advice);
  }
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new AdsImportTaskProvider(deps ?? {}));
}
