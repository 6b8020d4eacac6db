/**
 * The dynamic provider of `ec2.ImportInstanceTask` (legacy ImportInstance). ImportInstance takes no
 * ClientToken, so before starting, create lists the conversion tasks (DescribeConversionTasks, all
 * of the last 7 days) and adopts the one whose Description carries this resource's marker: a re-run
 * after a crash never starts a second conversion. Waits batch DescribeConversionTasks per tick.
 */
import type { CheckFailure } from "../core/check";
import type { ConfigSource } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import { ImportTaskFailedError, InputValidationError, isAwsApiError } from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import { backoffDelay } from "../core/retry";
import type { Acceptor, WaitResult } from "../core/waiter";
import {
  asInputs,
  cancelAcceptors,
  checkInputs,
  classifyState,
  type ConversionTask,
  createAcceptors,
  DEFAULTS,
  diffInputs,
  type Ec2Instance,
  failureMessage,
  fallbackMarker,
  findByMarker,
  importInstanceRequest,
  type ImportInstanceTaskInputs,
  inputsOf,
  LEGACY_WARNING,
  logLabel,
  type Observation,
  progressLine,
  recordedTask,
  stateOf,
  subject,
  successorMarker,
  terminatedAcceptors,
  toOutputs,
  waitTimeoutMs,
} from "./importInstanceTaskLogic";
import {
  asTaskFailure,
  buildService,
  type Deps,
  type Ec2Service,
  endpointOrigins,
  ignore,
  pollUntil,
  settingsOf,
} from "./service";
import { CANNOT_CANCEL_CODE, INSTANCE_NOT_FOUND_CODES, VOLUME_NOT_FOUND_CODES } from "./shared";

export type { Deps };

/** How many failed tasks create steps past (each via a successor marker) before giving up. */
const MAX_SUCCESSORS = 10;
/** ImportInstance attempts after retryable errors, each preceded by a marker lookup. */
const START_ATTEMPTS = 5;
/** The one key of the listing batcher: concurrent marker lookups share one listing call. */
const ALL = "*";

interface Service extends Ec2Service {
  tasks: BatchPoller<ConversionTask>;
  listing: BatchPoller<ConversionTask[]>;
  instances: BatchPoller<Ec2Instance>;
}

class ImportInstanceTaskProvider implements ProviderImplementation {
  private service: Service | undefined;

  constructor(private readonly deps: Partial<Deps>) {}

  configure(req: { config: ConfigSource }): Promise<void> {
    this.service = this.build(req.config);
    return Promise.resolve();
  }

  private build(config: ConfigSource | undefined): Service {
    const svc = buildService(settingsOf(config, this.deps), this.deps);
    const { api } = svc;
    return {
      ...svc,
      tasks: svc.batcher("DescribeConversionTasks", (ids) => api.describeConversionTasks(ids)),
      listing: svc.batcher(
        "DescribeConversionTasks",
        async () => new Map([[ALL, await api.listConversionTasks()]]),
      ),
      instances: svc.batcher("DescribeInstances", (ids) => api.describeInstances(ids)),
    };
  }

  private svc(): Service {
    this.service ??= this.build(undefined);
    return this.service;
  }

  check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { settings, log } = this.svc().runtime;
    log.warn(logLabel(news["description"], news["adoptConversionTaskId"]), LEGACY_WARNING);
    return Promise.resolve({
      inputs: news,
      failures: checkInputs(news, {
        extraS3Origins: endpointOrigins(settings),
        ...(settings.region === undefined ? {} : { region: settings.region }),
      }),
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
    let task: ConversionTask;
    if (inputs.adoptConversionTaskId !== undefined) {
      task = await this.adopt(inputs, inputs.adoptConversionTaskId);
      this.svc().runtime.log.info(
        logLabel(inputs.description, task.conversionTaskId),
        `adopted ${task.conversionTaskId} (${task.state})`,
      );
    } else {
      task = await this.start(raw, inputs);
    }
    return { id: task.conversionTaskId, outs: await this.settle(raw, inputs, task) };
  }

  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const { runtime, tasks } = this.svc();
    const label = logLabel(props["description"], id);
    const current = await tasks.get(id);
    // EC2 forgets conversion tasks 7 days after they end: then the instance is what is left.
    const task = current ?? recordedTask(id, props);
    const instance = await this.instanceOf(task);
    if (task.state === "completed" && task.instanceId !== undefined && instance === undefined) {
      runtime.log.info(
        label,
        `instance ${task.instanceId} of ${id} no longer exists; dropping it from the stack`,
      );
      return {};
    }
    if (current === undefined && instance === undefined) {
      runtime.log.info(
        label,
        `${id} no longer exists (${stateOf(undefined)}); dropping it from the stack`,
      );
      return {};
    }
    return { id, props: toOutputs(inputsOf(props), task, instance) };
  }

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    const inputs = asInputs(news);
    const current = await this.svc().tasks.get(id);
    if (current === undefined) {
      const recorded = recordedTask(id, olds);
      const instance = await this.instanceOf(recorded);
      // A finished conversion past the 7-day retention: nothing to wait for, the instance is there.
      if (instance !== undefined) return { outs: toOutputs(news, recorded, instance) };
      throw new ImportTaskFailedError({
        id,
        properties: { ...olds, ...inputsOf(news), __provider: news["__provider"] },
        reasons: [
          failureMessage(inputs.description, undefined, { polls: 1, observed: ["GONE"] }, id),
        ],
      });
    }
    return { outs: await this.settle(news, inputs, current) };
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const inputs = asInputs(props);
    const { runtime, tasks, api, aws } = this.svc();
    const label = logLabel(inputs.description, id);
    if (inputs.retainOnDelete ?? DEFAULTS.retainOnDelete) {
      runtime.log.info(
        label,
        `retainOnDelete is true: leaving ${id}, its instance and volume in EC2`,
      );
      return;
    }
    let task = (await tasks.get(id)) ?? recordedTask(id, props);
    if (classifyState(task.state) === "pending") {
      try {
        // CancelConversionTask also removes a partly converted instance and volume.
        await aws("CancelConversionTask", () => api.cancelConversionTask(id, "pulumi destroy"));
        runtime.log.info(label, `cancelled ${id} (was ${task.state})`);
      } catch (err) {
        // It finished between the describe and the cancel: clean up what it left instead.
        if (!(isAwsApiError(err) && err.code === CANNOT_CANCEL_CODE)) throw err;
      }
      const result = await this.waitOn(id, inputs, cancelAcceptors, "cancel");
      task = result.last ?? { ...task, state: stateOf(undefined) };
    }
    if (task.state === "cancelling") {
      await this.waitOn(id, inputs, cancelAcceptors, "cancel");
      return;
    }
    if (task.state !== "completed") return;
    await this.removeArtifacts(id, inputs, task);
  }

  // ---------------------------------------------------------------------------------------------

  /** The imported instance while it exists (terminated counts as gone). */
  private async instanceOf(task: ConversionTask): Promise<Ec2Instance | undefined> {
    if (task.state !== "completed" || task.instanceId === undefined) return undefined;
    const instance = await this.svc().instances.get(task.instanceId);
    return instance === undefined || instance.state === "terminated" ? undefined : instance;
  }

  /** Terminates the instance and deletes its volume, as far as the retain options allow. */
  private async removeArtifacts(
    id: string,
    inputs: ImportInstanceTaskInputs,
    task: ConversionTask,
  ): Promise<void> {
    const svc = this.svc();
    const { runtime, api, aws, instances } = svc;
    const label = logLabel(inputs.description, id);
    const volumeIds = task.volumes
      .map((v) => v.volumeId)
      .filter((v): v is string => v !== undefined);
    if (inputs.retainInstanceOnDelete ?? DEFAULTS.retainInstanceOnDelete) {
      runtime.log.info(
        label,
        `retainInstanceOnDelete is true: keeping instance ${task.instanceId ?? "(none)"} and its volume`,
      );
      return;
    }
    const instanceId = task.instanceId;
    if (instanceId !== undefined) {
      await aws("TerminateInstances", () => api.terminateInstance(instanceId)).catch(
        ignore(INSTANCE_NOT_FOUND_CODES),
      );
      runtime.log.info(label, `terminating instance ${instanceId}`);
    }
    if (inputs.retainVolumesOnDelete ?? DEFAULTS.retainVolumesOnDelete) {
      runtime.log.info(label, `retainVolumesOnDelete is true: keeping ${volumeIds.join(", ")}`);
      return;
    }
    if (instanceId !== undefined && volumeIds.length > 0) {
      // A volume can be deleted only once the instance has released it.
      await pollUntil<Ec2Instance | undefined>(svc, {
        get: () => instances.get(instanceId),
        status: (o) => o?.state ?? "GONE",
        acceptors: terminatedAcceptors,
        timeoutMs: waitTimeoutMs(inputs, runtime.settings.waitTimeoutMinutes),
        operation: "DescribeInstances",
        subject: `${subject(inputs.description, id)}: terminating ${instanceId}`,
        label,
        progress: (o, poll, elapsedMs) =>
          `${o?.state ?? "GONE"} (poll ${poll}, ${Math.round(elapsedMs / 1000)}s)`,
      });
    }
    for (const volumeId of volumeIds) {
      await aws("DeleteVolume", () => api.deleteVolume(volumeId)).catch(
        ignore(VOLUME_NOT_FOUND_CODES),
      );
    }
    if (volumeIds.length > 0) runtime.log.info(label, `deleted ${volumeIds.join(", ")}`);
  }

  private async adopt(inputs: ImportInstanceTaskInputs, adoptId: string): Promise<ConversionTask> {
    const task = await this.svc().tasks.get(adoptId);
    if (task === undefined) {
      const region = this.svc().runtime.settings.region ?? "the configured region";
      throw new InputValidationError({
        property: "adoptConversionTaskId",
        reason: `names ${adoptId}, which DescribeConversionTasks does not return in ${region}. Fix: check the ID and aws:region; EC2 keeps conversion tasks only 7 days after they end`,
        message: `${subject(inputs.description, adoptId)}: adoptConversionTaskId ${adoptId} was not found in ${region}. Fix: check the ID and aws:region; EC2 keeps conversion tasks only 7 days after they end.`,
      });
    }
    return task;
  }

  /**
   * Finds the task an earlier run started under this resource's marker, else starts one through
   * the start limiter. A task under the marker that already failed is stepped past with a
   * deterministic successor marker, so a re-run after a failure converts again.
   */
  private async start(
    raw: Record<string, unknown>,
    inputs: ImportInstanceTaskInputs,
  ): Promise<ConversionTask> {
    const { runtime, listing } = this.svc();
    const label = logLabel(inputs.description);
    let marker = inputs.marker ?? fallbackMarker(raw);
    for (let hop = 0; ; hop++) {
      const found = findByMarker((await listing.get(ALL)) ?? [], marker);
      const live = found.find((t) => classifyState(t.state) !== "failure");
      if (live !== undefined) {
        runtime.log.info(
          label,
          `found ${live.conversionTaskId} (${live.state}) started earlier under marker ${marker}`,
        );
        return live;
      }
      const failed = found[0];
      if (failed === undefined) return this.startOnce(inputs, marker);
      if (hop >= MAX_SUCCESSORS) {
        throw new ImportTaskFailedError({
          id: failed.conversionTaskId,
          properties: { ...toOutputs(raw, failed), __provider: inputs.__provider },
          reasons: [
            `${subject(inputs.description)}: ${MAX_SUCCESSORS + 1} conversion tasks for this resource's marker ended in failure (last ${failed.conversionTaskId}: ${failed.state} ${failed.statusMessage ?? ""}). Fix the disk image or manifest, then run \`pulumi up\` again.`,
          ],
        });
      }
      runtime.log.info(
        label,
        `${failed.conversionTaskId} for this marker already ended in ${failed.state}; starting a new conversion`,
      );
      marker = successorMarker(marker, failed.conversionTaskId);
    }
  }

  /**
   * ImportInstance is not idempotent: a 5xx or a dropped connection may hide a conversion AWS did
   * start. So the call is never retried blindly: after a retryable error the marker lookup runs
   * again and adopts what it finds, and only when it finds nothing is ImportInstance sent again.
   */
  private async startOnce(
    inputs: ImportInstanceTaskInputs,
    marker: string,
  ): Promise<ConversionTask> {
    const { runtime, api, awsOnce, listing } = this.svc();
    const label = logLabel(inputs.description);
    const request = importInstanceRequest(inputs, marker);
    for (let attempt = 0; ; attempt++) {
      try {
        const task = await runtime.startLimiter.run(() =>
          awsOnce("ImportInstance", () => api.importInstance(request)),
        );
        runtime.log.info(label, `started ${task.conversionTaskId} (${task.state})`);
        return task;
      } catch (err) {
        if (!isAwsApiError(err) || !err.retryable || attempt + 1 >= START_ATTEMPTS) throw err;
        await runtime.clock.sleep(backoffDelay(attempt, 1000, 20_000, runtime.random));
        const started = findByMarker((await listing.get(ALL)) ?? [], marker).find(
          (t) => classifyState(t.state) !== "failure",
        );
        if (started !== undefined) {
          runtime.log.info(
            label,
            `ImportInstance answered ${err.code}, yet ${started.conversionTaskId} carries the marker: using it`,
          );
          return started;
        }
      }
    }
  }

  private async settle(
    raw: Record<string, unknown>,
    inputs: ImportInstanceTaskInputs,
    task: ConversionTask,
  ): Promise<Record<string, unknown>> {
    const { runtime } = this.svc();
    const id = task.conversionTaskId;
    if (!(inputs.waitForCompletion ?? DEFAULTS.waitForCompletion)) return toOutputs(raw, task);
    let result: WaitResult<Observation>;
    try {
      result = await this.waitOn(id, inputs, createAcceptors, "conversion");
    } catch (err) {
      throw asTaskFailure(err, id, toOutputs(raw, task), inputs.__provider);
    }
    const last = result.last ?? { ...task, state: stateOf(undefined) };
    if (result.verdict === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: { ...toOutputs(raw, last), __provider: inputs.__provider },
        reasons: [failureMessage(inputs.description, result.last, result, id)],
      });
    }
    let instance: Ec2Instance | undefined;
    try {
      instance = await this.instanceOf(last);
    } catch (err) {
      throw asTaskFailure(err, id, toOutputs(raw, last), inputs.__provider);
    }
    runtime.log.info(
      logLabel(inputs.description, id),
      `${id} completed: instance ${last.instanceId ?? "(none)"} (${result.polls} poll${result.polls === 1 ? "" : "s"})`,
    );
    return toOutputs(raw, last, instance);
  }

  private waitOn(
    id: string,
    inputs: ImportInstanceTaskInputs,
    acceptors: readonly Acceptor<Observation>[],
    phase: "conversion" | "cancel",
  ): Promise<WaitResult<Observation>> {
    const svc = this.svc();
    return pollUntil<Observation>(svc, {
      get: () => svc.tasks.get(id),
      status: stateOf,
      acceptors,
      timeoutMs: waitTimeoutMs(inputs, svc.runtime.settings.waitTimeoutMinutes),
      operation: "DescribeConversionTasks",
      subject: `${subject(inputs.description, id)}: ${phase} ${id}`,
      label: logLabel(inputs.description, id),
      progress: progressLine,
    });
  }
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new ImportInstanceTaskProvider(deps ?? {}));
}
