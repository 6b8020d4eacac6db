/**
 * The dynamic provider of `ec2.ImportImageTask`: each method a short orchestration of the pure
 * logic, the EC2 api and core (limiter, retries, batched polling, waiter). One instance serves every
 * ec2.ImportImageTask of a deployment (the host caches it per serialized shim), so the BatchPoller
 * turns N waiting imports into ceil(N / 100) DescribeImportImageTasks calls per round.
 */
import type { CheckFailure } from "../core/check";
import type { ConfigSource } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import {
  AwsApiError,
  ImportTaskFailedError,
  InputValidationError,
  isAwsApiError,
} from "../core/errors";
import type { BatchPoller } from "../core/limiter";
import type { Acceptor, WaitResult } from "../core/waiter";
import {
  asInputs,
  cancelAcceptors,
  checkInputs,
  classifyStatus,
  createAcceptors,
  DEFAULTS,
  diffInputs,
  type Ec2Image,
  failureMessage,
  fallbackToken,
  type ImageTask,
  type ImportImageTaskInputs,
  importImageRequest,
  inputsOf,
  logLabel,
  type Observation,
  progressLine,
  recordedTask,
  snapshotIdsOf,
  statusOf,
  subject,
  successorToken,
  toOutputs,
  waitTimeoutMs,
} from "./importImageTaskLogic";
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
import { CANNOT_CANCEL_CODE, IMAGE_NOT_FOUND_CODES, SNAPSHOT_NOT_FOUND_CODES } from "./shared";

export type { Deps };

/** How many failed tasks create steps past (each via a successor token) before giving up. */
const MAX_SUCCESSORS = 10;

interface Service extends Ec2Service {
  tasks: BatchPoller<ImageTask>;
  images: BatchPoller<Ec2Image>;
}

class ImportImageTaskProvider implements ProviderImplementation {
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
      tasks: svc.batcher("DescribeImportImageTasks", (ids) => api.describeImportImageTasks(ids)),
      images: svc.batcher("DescribeImages", (ids) => api.describeImages(ids)),
    };
  }

  /** The configured service; the host always configures first, direct callers get env defaults. */
  private svc(): Service {
    this.service ??= this.build(undefined);
    return this.service;
  }

  check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const origins = endpointOrigins(this.svc().runtime.settings);
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
    let task: ImageTask;
    if (inputs.adoptImportTaskId !== undefined) {
      task = await this.adopt(inputs, inputs.adoptImportTaskId);
      this.svc().runtime.log.info(
        logLabel(inputs.description, task.importTaskId),
        `adopted ${task.importTaskId} (${task.status})`,
      );
    } else {
      task = await this.start(raw, inputs);
    }
    return { id: task.importTaskId, outs: await this.settle(raw, inputs, task) };
  }

  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const { runtime, tasks, images } = this.svc();
    const label = logLabel(props["description"], id);
    const current = await tasks.get(id);
    // EC2 forgets task records 7 days after they end: then the AMI is what is left to refresh.
    const task = current ?? recordedTask(id, props);
    const image = task.imageId === undefined ? undefined : await images.get(task.imageId);
    if (task.imageId !== undefined && image === undefined) {
      runtime.log.info(
        label,
        `AMI ${task.imageId} of ${id} no longer exists; dropping it from the stack`,
      );
      return {};
    }
    if (current === undefined && image === undefined) {
      runtime.log.info(
        label,
        `${id} no longer exists (${statusOf(undefined)}); dropping it from the stack`,
      );
      return {};
    }
    return { id, props: toOutputs(inputsOf(props), task, image) };
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
      const image =
        recorded.imageId === undefined ? undefined : await this.svc().images.get(recorded.imageId);
      // A finished import past the 7-day retention: nothing to wait for, the AMI is still there.
      if (image !== undefined) return { outs: toOutputs(news, recorded, image) };
      throw new ImportTaskFailedError({
        id,
        properties: { ...olds, ...inputsOf(news), __provider: news["__provider"] },
        reasons: [
          failureMessage(inputs.description, undefined, { polls: 1, observed: ["GONE"] }, id),
        ],
      });
    }
    // Resumes a wait that a timeout or an interrupted `pulumi up` left unfinished.
    return { outs: await this.settle(news, inputs, current) };
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const inputs = asInputs(props);
    const { runtime, tasks, api, aws } = this.svc();
    const label = logLabel(inputs.description, id);
    if (inputs.retainOnDelete ?? DEFAULTS.retainOnDelete) {
      runtime.log.info(
        label,
        `retainOnDelete is true: leaving ${id}, its AMI and snapshots in EC2`,
      );
      return;
    }
    let task = (await tasks.get(id)) ?? recordedTask(id, props);
    if (classifyStatus(task.status) === "pending") {
      try {
        await aws("CancelImportTask", () => api.cancelImportTask(id, "pulumi destroy"));
        runtime.log.info(label, `cancelled ${id} (was ${task.status})`);
      } catch (err) {
        // It finished between the describe and the cancel: clean up what it left instead.
        if (!(isAwsApiError(err) && err.code === CANNOT_CANCEL_CODE)) throw err;
      }
      const result = await this.waitOn(id, inputs, cancelAcceptors, "cancel");
      task = result.last ?? { ...task, status: statusOf(undefined) };
    }
    if (task.status === "deleting") {
      await this.waitOn(id, inputs, cancelAcceptors, "cancel");
      return;
    }
    if (task.status !== "completed" && task.imageId === undefined) return;
    await this.removeArtifacts(id, inputs, task);
  }

  // ---------------------------------------------------------------------------------------------

  /** Deregisters the AMI and deletes its snapshots, as far as the retain options allow. */
  private async removeArtifacts(
    id: string,
    inputs: ImportImageTaskInputs,
    task: ImageTask,
  ): Promise<void> {
    const { runtime, api, aws, images } = this.svc();
    const label = logLabel(inputs.description, id);
    if (inputs.retainImageOnDelete ?? DEFAULTS.retainImageOnDelete) {
      runtime.log.info(
        label,
        `retainImageOnDelete is true: keeping AMI ${task.imageId ?? "(none)"} and its snapshots`,
      );
      return;
    }
    const image = task.imageId === undefined ? undefined : await images.get(task.imageId);
    const snapshotIds = snapshotIdsOf(task, image);
    if (image !== undefined) {
      await aws("DeregisterImage", () => api.deregisterImage(image.imageId)).catch(
        ignore(IMAGE_NOT_FOUND_CODES),
      );
      runtime.log.info(label, `deregistered AMI ${image.imageId}`);
    }
    if (inputs.retainSnapshotsOnDelete ?? DEFAULTS.retainSnapshotsOnDelete) {
      runtime.log.info(label, `retainSnapshotsOnDelete is true: keeping ${snapshotIds.join(", ")}`);
      return;
    }
    for (const snapshotId of snapshotIds) {
      await aws("DeleteSnapshot", () => api.deleteSnapshot(snapshotId)).catch(
        ignore(SNAPSHOT_NOT_FOUND_CODES),
      );
    }
    if (snapshotIds.length > 0) runtime.log.info(label, `deleted ${snapshotIds.join(", ")}`);
  }

  private async adopt(inputs: ImportImageTaskInputs, adoptId: string): Promise<ImageTask> {
    const task = await this.svc().tasks.get(adoptId);
    if (task === undefined) {
      const region = this.svc().runtime.settings.region ?? "the configured region";
      throw new InputValidationError({
        property: "adoptImportTaskId",
        reason: `names ${adoptId}, which DescribeImportImageTasks does not return in ${region}. Fix: check the ID and aws:region; EC2 keeps task records only 7 days after they end`,
        message: `${subject(inputs.description, adoptId)}: adoptImportTaskId ${adoptId} was not found in ${region}. Fix: check the ID (aws ec2 describe-import-image-tasks) and aws:region; EC2 keeps task records only 7 days after they end.`,
      });
    }
    return task;
  }

  /**
   * ImportImage with the resource's ClientToken through the start limiter. The same token returns
   * the task an interrupted run started; a task that already failed is stepped past with a
   * deterministic successor token, so a re-run after a failure imports again.
   */
  private async start(
    raw: Record<string, unknown>,
    inputs: ImportImageTaskInputs,
  ): Promise<ImageTask> {
    const { runtime, api, aws } = this.svc();
    const label = logLabel(inputs.description);
    let token = inputs.clientToken ?? fallbackToken(raw);
    for (let hop = 0; ; hop++) {
      const request = importImageRequest(inputs, token);
      let task: ImageTask;
      try {
        task = await runtime.startLimiter.run(() =>
          aws("ImportImage", () => api.importImage(request)),
        );
      } catch (err) {
        throw explain(err);
      }
      if (classifyStatus(task.status) !== "failure") {
        runtime.log.info(label, `started ${task.importTaskId} (${task.status})`);
        return task;
      }
      if (hop >= MAX_SUCCESSORS) {
        throw new ImportTaskFailedError({
          id: task.importTaskId,
          properties: { ...toOutputs(raw, task), __provider: inputs.__provider },
          reasons: [
            `${subject(inputs.description)}: ${MAX_SUCCESSORS + 1} import tasks for this resource's token ended in failure (last ${task.importTaskId}: ${task.status} ${task.statusMessage ?? ""}). Fix the disks, then run \`pulumi up\` again.`,
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
    inputs: ImportImageTaskInputs,
    task: ImageTask,
  ): Promise<Record<string, unknown>> {
    const { runtime, images } = this.svc();
    const id = task.importTaskId;
    const fail = (err: unknown, last: ImageTask): ImportTaskFailedError =>
      asTaskFailure(err, id, toOutputs(raw, last), inputs.__provider);
    if (!(inputs.waitForCompletion ?? DEFAULTS.waitForCompletion)) {
      return toOutputs(raw, task);
    }
    let result: WaitResult<Observation>;
    try {
      result = await this.waitOn(id, inputs, createAcceptors, "import");
    } catch (err) {
      throw fail(err, task);
    }
    const last = result.last ?? { ...task, status: statusOf(undefined) };
    if (result.verdict === "failure") {
      throw new ImportTaskFailedError({
        id,
        properties: { ...toOutputs(raw, last), __provider: inputs.__provider },
        reasons: [failureMessage(inputs.description, result.last, result, id)],
      });
    }
    let image: Ec2Image | undefined;
    if (last.imageId !== undefined) {
      try {
        image = await images.get(last.imageId);
      } catch (err) {
        throw fail(err, last);
      }
    }
    runtime.log.info(
      logLabel(inputs.description, id),
      `${id} completed: AMI ${last.imageId ?? "(none)"} (${result.polls} poll${result.polls === 1 ? "" : "s"})`,
    );
    return toOutputs(raw, last, image);
  }

  private waitOn(
    id: string,
    inputs: ImportImageTaskInputs,
    acceptors: readonly Acceptor<Observation>[],
    phase: "import" | "cancel",
  ): Promise<WaitResult<Observation>> {
    const svc = this.svc();
    return pollUntil<Observation>(svc, {
      get: () => svc.tasks.get(id),
      status: statusOf,
      acceptors,
      timeoutMs: waitTimeoutMs(inputs, svc.runtime.settings.waitTimeoutMinutes),
      operation: "DescribeImportImageTasks",
      subject: `${subject(inputs.description, id)}: ${phase} ${id}`,
      label: logLabel(inputs.description, id),
      progress: progressLine,
    });
  }
}

/** Adds the fix to the start errors whose AWS message does not say what to do. */
function explain(err: unknown): unknown {
  if (!isAwsApiError(err) || err.code !== "IdempotentParameterMismatch") return err;
  return new AwsApiError({
    service: err.service,
    operation: err.operation,
    code: err.code,
    message: err.awsMessage,
    ...(err.httpStatus === undefined ? {} : { httpStatus: err.httpStatus }),
    ...(err.requestId === undefined ? {} : { requestId: err.requestId }),
    retryable: err.retryable,
    throttling: err.throttling,
    advice:
      "An import was already started with this clientToken and other parameters (a presigned URL re-signed with another host or path?). Fix: set adoptImportTaskId to that task's ID (aws ec2 describe-import-image-tasks), or set a new clientToken.",
    cause: err,
  });
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new ImportImageTaskProvider(deps ?? {}));
}
