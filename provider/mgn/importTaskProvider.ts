/**
 * The dynamic provider of `mgn.ImportTask`: each method a short orchestration of the pure logic,
 * the MGN api and core (limiter, capacity gate, retries, batched polling, waiter). One instance
 * serves every mgn.ImportTask of a deployment (the host caches it per serialized shim), so the
 * BatchPoller turns N waiting imports into ceil(N / 10) ListImports calls per round, and the
 * CapacityGate queues starts once MGN reports its imports-in-progress quota full.
 */
import type { CheckFailure } from "../core/check";
import type { Clock } from "../core/clock";
import { type ConfigSource, type ProviderSettings, readProviderSettings } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import {
  AwsApiError,
  ImportTaskFailedError,
  InputValidationError,
  isAwsApiError,
  isMigrationError,
  WaiterTimeoutError,
  withAdvice,
} from "../core/errors";
import { BatchPoller, CapacityGate, type ReleaseSlot } from "../core/limiter";
import type { Logger } from "../core/log";
import { backoffDelay, callAws } from "../core/retry";
import { createRuntime, type ServiceRuntime } from "../core/runtime";
import { waitFor, type WaitResult } from "../core/waiter";
import { type ApiFactory, type AwsCaller, createMgnApi, type MgnApi } from "./api";
import {
  asInputs,
  checkInputs,
  classifyImportStatus,
  DEFAULTS,
  diffInputs,
  errorAdvice,
  failureMessage,
  fallbackToken,
  finalVerdict,
  type ImportErrors,
  type ImportTaskInputs,
  type Inventory,
  importAcceptors,
  inputsOf,
  LIMITS,
  logLabel,
  type MgnImport,
  type MgnImportError,
  nextToken,
  type Observation,
  planInventoryRemoval,
  POLL,
  RESOURCE_TYPE,
  rowErrorsWarning,
  statusOf,
  subject,
  toOutputs,
  waitTimeoutMs,
} from "./importTaskLogic";

export interface Deps {
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Builds the api from the configured settings (tests pass a fake). */
  api: ApiFactory;
  /** Environment for region fallbacks (tests pass their own). */
  env: NodeJS.ProcessEnv;
}

/** How many failed imports create steps past (each via a successor token) before giving up. */
const MAX_SUCCESSORS = 10;
/** What a start waiting for a CapacityGate slot reports in a timeout. */
const QUEUED = "QUEUED_FOR_IMPORT_QUOTA";
/** Back-off while MGN's import quota is held by imports this process does not run. */
const QUOTA_BACKOFF = { baseMs: 5_000, maxMs: 60_000 } as const;

interface Service {
  runtime: ServiceRuntime;
  api: MgnApi;
  poller: BatchPoller<MgnImport>;
  /** Imports in progress that this process started or waits on (MGN limits them per account). */
  gate: CapacityGate;
  /** The inventory listing in flight, if any (see `inventory()`). */
  inventoryListing?: Promise<Inventory> | undefined;
}

class MgnImportTaskProvider implements ProviderImplementation {
  private service: Service | undefined;

  constructor(private readonly deps: Partial<Deps>) {}

  configure(req: { config: ConfigSource }): Promise<void> {
    this.service = this.build(readProviderSettings(req.config, this.deps.env ?? process.env));
    return Promise.resolve();
  }

  private build(settings: ProviderSettings): Service {
    // Unset deps fall back to the runtime's defaults (system clock, Math.random, stderr logger).
    const runtime = createRuntime({
      settings,
      clock: this.deps.clock,
      random: this.deps.random,
      log: this.deps.logger,
    });
    const call: AwsCaller = async (operation, fn) => {
      try {
        return await callAws(
          {
            service: "mgn",
            operation,
            clock: runtime.clock,
            random: runtime.random,
            throttle: runtime.throttle,
          },
          fn,
        );
      } catch (err) {
        throw explain(err, settings.region);
      }
    };
    const api = (this.deps.api ?? createMgnApi)(settings, call);
    return {
      runtime,
      api,
      poller: new BatchPoller<MgnImport>({
        batchSize: LIMITS.listImportsBatchSize,
        describe: (ids) => api.listImports(ids),
      }),
      gate: new CapacityGate(),
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
    return Promise.resolve({ inputs: news, failures: checkInputs(news) });
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
    const { runtime, gate } = this.svc();
    const deadline =
      runtime.clock.now() + waitTimeoutMs(inputs, runtime.settings.waitTimeoutMinutes);
    let task: MgnImport;
    let release: ReleaseSlot;
    if (inputs.adoptImportId !== undefined) {
      task = await this.adopt(inputs, inputs.adoptImportId);
      runtime.log.info(logLabel(inputs, task.importID), `adopted (${task.status})`);
      release = gate.hold();
    } else {
      ({ task, release } = await this.start(inputs, deadline));
    }
    try {
      return { id: task.importID, outs: await this.settle(raw, inputs, task, {}, deadline) };
    } finally {
      release();
    }
  }

  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const inputs = asInputs(props);
    const task = await this.svc().poller.get(id);
    if (task === undefined) {
      this.svc().runtime.log.info(
        logLabel(inputs, id),
        "ListImports no longer returns the import; dropping it from the stack",
      );
      return {};
    }
    // Row errors are fixed once an import ends: read them once, then keep the recorded ones.
    const terminal = classifyImportStatus(task.status) !== "pending";
    const known = recordedErrors(props, task.status) !== undefined;
    const errors = terminal && !known ? await this.importErrors(id) : undefined;
    return { id, props: toOutputs(inputsOf(props), task, errors, props) };
  }

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    const inputs = asInputs(news);
    const { runtime, poller, gate } = this.svc();
    const deadline =
      runtime.clock.now() + waitTimeoutMs(inputs, runtime.settings.waitTimeoutMinutes);
    const task = await poller.get(id).catch((err: unknown) => {
      throw this.asTaskFailure(err, id, { ...olds, ...inputsOf(news) }, inputs);
    });
    if (task === undefined) {
      throw new ImportTaskFailedError({
        id,
        properties: { ...olds, ...inputsOf(news), __provider: news["__provider"] },
        reasons: [failureMessage(inputs, undefined, { polls: 1, observed: ["GONE"] }, id)],
      });
    }
    // Resumes a wait that a timeout or an interrupted `pulumi up` left unfinished.
    const release = classifyImportStatus(task.status) === "pending" ? gate.hold() : () => {};
    try {
      return { outs: await this.settle(news, inputs, task, olds, deadline) };
    } finally {
      release();
    }
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const inputs = asInputs(props);
    const { runtime, api } = this.svc();
    const label = logLabel(inputs, id);
    const selector = inputs.deleteInventoryOnDelete;
    if (selector === undefined) {
      runtime.log.info(
        label,
        "MGN has no API to delete an import: leaving it, and the inventory it created, in MGN (set deleteInventoryOnDelete to remove that inventory)",
      );
      return;
    }
    const fail = (reasons: string[], cause?: unknown): ImportTaskFailedError =>
      new ImportTaskFailedError({
        id,
        properties: props,
        reasons,
        ...(cause === undefined ? {} : { cause }),
      });
    // An import still running keeps writing inventory: let it end before removing any.
    const current = await this.svc().poller.get(id);
    if (current !== undefined && classifyImportStatus(current.status) === "pending") {
      const deadline =
        runtime.clock.now() + waitTimeoutMs(inputs, runtime.settings.waitTimeoutMinutes);
      await this.waitOn(id, inputs, deadline).catch((err: unknown) => {
        throw this.asTaskFailure(err, id, props, inputs);
      });
    }
    let inventory;
    try {
      inventory = await this.inventory();
    } catch (err) {
      throw fail([errorText(err)], err);
    }
    const plan = planInventoryRemoval(inventory, selector);
    const problems: string[] = [];
    const remove = async (
      what: string,
      ids: readonly string[],
      del: (id: string) => Promise<void>,
    ): Promise<number> => {
      let removed = 0;
      for (const one of ids) {
        try {
          await del(one);
          removed++;
        } catch (err) {
          // Already gone is what delete wants; anything else is reported together below.
          if (isAwsApiError(err) && err.code === "ResourceNotFoundException") continue;
          problems.push(`${what} ${one}: ${errorText(err)}`);
        }
      }
      return removed;
    };
    const servers = await remove("source server", plan.servers, (s) => api.deleteSourceServer(s));
    const apps = await remove("application", plan.applications, (a) => api.deleteApplication(a));
    const waves = await remove("wave", plan.waves, (w) => api.deleteWave(w));
    for (const k of plan.kept) runtime.log.warn(label, `kept ${k.reason}`);
    runtime.log.info(
      label,
      `removed ${servers} source server(s), ${apps} application(s), ${waves} wave(s) selected by deleteInventoryOnDelete`,
    );
    if (problems.length > 0) {
      throw fail([
        `${subject(inputs, id)}: could not remove ${problems.length} inventory item(s): ${problems.join("; ")}. Fix the cause (a source server with a replicating agent must be disconnected first), then run \`pulumi destroy\` again, or remove deleteInventoryOnDelete to leave the inventory.`,
      ]);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The account's inventory, one listing shared by every delete that asks while it is in flight
   * (a destroy deletes many resources at once). A shared listing may name an item another delete
   * has just removed; that delete's ResourceNotFoundException counts as removed.
   */
  private inventory(): Promise<Inventory> {
    const svc = this.svc();
    svc.inventoryListing ??= svc.api.listInventory().finally(() => {
      svc.inventoryListing = undefined;
    });
    return svc.inventoryListing;
  }

  private async adopt(inputs: ImportTaskInputs, adoptId: string): Promise<MgnImport> {
    const { runtime, poller } = this.svc();
    const task = await poller.get(adoptId);
    const where = runtime.settings.region ?? "the configured region";
    if (task === undefined) {
      throw new InputValidationError({
        property: "adoptImportId",
        reason: `names ${adoptId}, which ListImports does not return in ${where}. Fix: check the ID (aws mgn list-imports) and aws:region.`,
        message: `${subject(inputs, adoptId)}: adoptImportId ${adoptId} was not found in ${where}. Fix: check the ID (aws mgn list-imports) and aws:region.`,
      });
    }
    const src = inputs.s3BucketSource;
    if (
      src !== undefined &&
      task.s3BucketSource !== undefined &&
      (src.s3Bucket !== task.s3BucketSource.s3Bucket || src.s3Key !== task.s3BucketSource.s3Key)
    ) {
      runtime.log.warn(
        logLabel(inputs, adoptId),
        `the adopted import read s3://${task.s3BucketSource.s3Bucket}/${task.s3BucketSource.s3Key}, not the s3BucketSource input`,
      );
    }
    return task;
  }

  /**
   * StartImport with the resource's token, through the capacity gate and the start limiter. The
   * same token returns the import an interrupted run started; an import that already failed is
   * stepped past with a deterministic successor token, so a re-run after a failure imports again.
   * Returns the gate slot the import holds while it runs.
   */
  private async start(
    inputs: ImportTaskInputs,
    deadline: number,
  ): Promise<{ task: MgnImport; release: ReleaseSlot }> {
    const { runtime, api, gate } = this.svc();
    const src = inputs.s3BucketSource ?? { s3Bucket: "", s3Key: "" };
    const label = logLabel(inputs);
    let token = inputs.clientToken ?? fallbackToken(inputs);
    for (let hop = 0, refusals = 0; ;) {
      const release = await this.slot(inputs, deadline);
      const clientToken = token;
      let outcome;
      try {
        outcome = await runtime.startLimiter.run(() =>
          // Slots taken before MGN first refused may exceed the quota now known: step back.
          gate.over
            ? Promise.resolve(undefined)
            : api.startImport({
                s3BucketSource: src,
                clientToken,
                ...(inputs.tags === undefined ? {} : { tags: inputs.tags }),
              }),
        );
      } catch (err) {
        release();
        throw err;
      }
      if (outcome === undefined) {
        release();
        continue;
      }
      if ("quotaExceeded" in outcome) {
        release();
        gate.saturated(outcome.quotaExceeded.quotaValue);
        refusals++;
        runtime.log.info(
          label,
          `MGN import quota full (${outcome.quotaExceeded.message}); queued behind ${gate.inUse} running import(s)`,
        );
        // Nothing of ours will free a slot: the quota is held elsewhere, so back off and retry.
        if (gate.inUse === 0) {
          const delay = backoffDelay(refusals, QUOTA_BACKOFF.baseMs, QUOTA_BACKOFF.maxMs, () =>
            Math.max(0.2, runtime.random()),
          );
          if (runtime.clock.now() + delay >= deadline) {
            throw new AwsApiError({
              service: "mgn",
              operation: "StartImport",
              code: "ServiceQuotaExceededException",
              message: outcome.quotaExceeded.message,
              httpStatus: 402,
              retryable: false,
              throttling: false,
              advice: `${subject(inputs)}: still refused after ${refusals} attempt(s) within waitTimeoutMinutes. ${errorAdvice("ServiceQuotaExceededException", undefined) ?? ""}`,
            });
          }
          await runtime.clock.sleep(delay);
        }
        continue;
      }
      gate.started();
      const task = outcome.started;
      if (task.status !== "FAILED") {
        runtime.log.info(logLabel(inputs, task.importID), `started (${task.status})`);
        return { task, release };
      }
      release();
      if (hop >= MAX_SUCCESSORS) {
        throw new ImportTaskFailedError({
          id: task.importID,
          properties: { ...toOutputs({ ...inputs }, task), __provider: inputs.__provider },
          reasons: [
            `${subject(inputs)}: ${MAX_SUCCESSORS + 1} imports for this resource's token ended in FAILED (last ${task.importID}). Fix the CSV, then run \`pulumi up\` again.`,
          ],
        });
      }
      runtime.log.info(
        label,
        `${task.importID} for this token already ended in FAILED; starting a new import`,
      );
      token = nextToken(token, task.importID);
      hop++;
    }
  }

  /** A gate slot, queueing (until the deadline) while the import quota is full. */
  private async slot(inputs: ImportTaskInputs, deadline: number): Promise<ReleaseSlot> {
    const { runtime, gate } = this.svc();
    if (!gate.full) return gate.acquire();
    const started = runtime.clock.now();
    const limitMs = Math.max(0, deadline - started);
    const timer = new AbortController();
    const queue = new AbortController();
    runtime.clock.sleep(limitMs, timer.signal).then(
      () =>
        queue.abort(
          new WaiterTimeoutError({
            elapsedMs: runtime.clock.now() - started,
            limitMs,
            observed: [QUEUED],
            subject: `${subject(inputs)}: the start`,
            advice: `No import was started: ${gate.inUse} import(s) of this deployment held MGN's imports-in-progress quota the whole time. Raise waitTimeoutMinutes (or split the imports over several \`pulumi up\` runs), then run \`pulumi up\` again.`,
          }),
        ),
      () => undefined,
    );
    try {
      return await gate.acquire(queue.signal);
    } finally {
      timer.abort();
    }
  }

  /** Waits (unless waitForCompletion is false) and returns full outputs, or throws with the ID. */
  private async settle(
    raw: Record<string, unknown>,
    inputs: ImportTaskInputs,
    task: MgnImport,
    previous: Record<string, unknown>,
    deadline: number,
  ): Promise<Record<string, unknown>> {
    const { runtime } = this.svc();
    const id = task.importID;
    const label = logLabel(inputs, id);
    const failOnRowErrors = inputs.failOnRowErrors ?? DEFAULTS.failOnRowErrors;
    const wait = inputs.waitForCompletion ?? DEFAULTS.waitForCompletion;
    if (!wait && classifyImportStatus(task.status) === "pending") {
      return toOutputs(raw, task, undefined, previous);
    }
    let result: Pick<WaitResult<Observation>, "last" | "polls" | "observed">;
    if (classifyImportStatus(task.status) !== "pending") {
      // Already ended (a finished import resumed by update, or returned again for its token).
      result = { last: task, polls: 1, observed: [task.status] };
    } else {
      try {
        result = await this.waitOn(id, inputs, deadline);
      } catch (err) {
        throw this.asTaskFailure(err, id, toOutputs(raw, task, undefined, previous), inputs);
      }
    }
    const last = result.last;
    if (last === undefined) {
      throw new ImportTaskFailedError({
        id,
        properties: {
          ...toOutputs(raw, { ...task, status: statusOf(last) }, undefined, previous),
          __provider: inputs.__provider,
        },
        reasons: [failureMessage(inputs, last, result, id)],
      });
    }
    let errors: ImportErrors;
    try {
      errors = recordedErrors(previous, last.status) ?? (await this.importErrors(id));
    } catch (err) {
      throw this.asTaskFailure(err, id, toOutputs(raw, last, undefined, previous), inputs);
    }
    const outs = toOutputs(raw, last, errors, previous);
    if (finalVerdict(last.status, errors.total, failOnRowErrors) === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: { ...outs, __provider: inputs.__provider },
        reasons: [failureMessage(inputs, last, result, id, errors)],
      });
    }
    if (errors.total > 0) runtime.log.warn(label, rowErrorsWarning(last, errors));
    else runtime.log.info(label, `${last.status} (${result.polls} poll(s))`);
    return outs;
  }

  private importErrors(id: string): Promise<ImportErrors> {
    return this.svc().api.listImportErrors(id, LIMITS.importErrorsInOutputs);
  }

  private waitOn(
    id: string,
    inputs: ImportTaskInputs,
    deadline: number,
  ): Promise<WaitResult<Observation>> {
    const { runtime, poller } = this.svc();
    const { settings } = runtime;
    const minDelayMs = settings.pollMinDelayMs ?? POLL.minDelayMs;
    const maxDelayMs = Math.max(minDelayMs, settings.pollMaxDelayMs ?? POLL.maxDelayMs);
    const label = logLabel(inputs, id);
    const started = runtime.clock.now();
    // Sleeps end on a shared grid, or early to ride along in a round other waits started that has
    // room for this ID, so concurrent waits fill each ListImports call (core BatchPoller); with
    // many waits sharing calls, shared rounds cost each about one call per maxDelayMs.
    const clock = poller.ridingClock(runtime.clock, Math.min(minDelayMs, POLL.gridMs), maxDelayMs);
    return waitFor<Observation>({
      poll: () => poller.get(id),
      status: statusOf,
      acceptors: importAcceptors,
      minDelayMs,
      maxDelayMs,
      timeoutMs: Math.max(0, deadline - started),
      // The budget began with the create (a start may have queued for the quota): report that.
      sinceMs: deadline - waitTimeoutMs(inputs, settings.waitTimeoutMinutes),
      clock,
      random: runtime.random,
      service: "mgn",
      operation: "ListImports",
      subject: `${subject(inputs, id)}: import ${id}`,
      onObservation: (o, poll) => {
        const pct = o?.progressPercentage === undefined ? "" : ` ${o.progressPercentage}%`;
        runtime.log.progress(
          label,
          `${statusOf(o)}${pct} (poll ${poll}, ${Math.round((runtime.clock.now() - started) / 1000)}s)`,
        );
      },
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
    // Waiter errors already name the resource; AWS errors do not.
    const text = errorText(err);
    const reason = text.startsWith(`${RESOURCE_TYPE} `) ? text : `${subject(inputs, id)}: ${text}`;
    return new ImportTaskFailedError({
      id,
      properties: { ...properties, __provider: inputs.__provider },
      reasons: [reason],
      cause: err,
    });
  }
}

/**
 * The row errors recorded in `props` when they belong to an import that had already ended with
 * `status` (they cannot change after that); undefined when they must be read.
 */
function recordedErrors(props: Record<string, unknown>, status: string): ImportErrors | undefined {
  const total = props["importErrorCount"];
  const items = props["importErrors"];
  if (props["status"] !== status || typeof total !== "number" || !Array.isArray(items)) {
    return undefined;
  }
  if (classifyImportStatus(status) === "pending") return undefined;
  return { items: items as MgnImportError[], total };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Adds the known fix (account not initialized, quota, token conflict) to an MGN error. */
function explain(err: unknown, region: string | undefined): unknown {
  if (!isAwsApiError(err)) return err;
  const advice = errorAdvice(err.code, region, err.operation);
  return advice === undefined ? err : withAdvice(err, advice);
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new MgnImportTaskProvider(deps ?? {}));
}
