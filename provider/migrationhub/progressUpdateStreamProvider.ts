/**
 * The dynamic provider of `migrationhub.ProgressUpdateStream`. Migration Hub has no describe for a
 * stream, only ListProgressUpdateStreams; every read and delete-wait goes through one BatchPoller
 * whose single "describe" is a full listing, so N streams checked in the same turn cost one listing.
 */
import { systemClock, type Clock } from "../core/clock";
import { readProviderSettings, type ProviderSettings } from "../core/config";
import { bindProvider, type ProviderImplementation } from "../core/dynamic";
import { isAwsApiError, isWaiterTimeoutError, WaiterTimeoutError } from "../core/errors";
import { BatchPoller } from "../core/limiter";
import { createLogger, type Logger } from "../core/log";
import { createRuntime, type ServiceRuntime } from "../core/runtime";
import { waitFor } from "../core/waiter";
import { type ApiFactory, createMigrationHubApi, type MigrationHubApi } from "./api";
import {
  ADOPT_MESSAGE,
  checkProgressUpdateStream,
  DELETE_ACCEPTORS,
  DELETE_ADVICE,
  deleteTimeoutMs,
  diffProgressUpdateStream,
  label,
  parseInputs,
  RETAIN_MESSAGE,
  type StreamPresence,
  toOutputs,
} from "./progressUpdateStreamLogic";
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

/** Delete-wait poll delays when stack config sets none: deletion takes seconds to minutes. */
export const DEFAULT_POLL_MIN_DELAY_MS = 2_000;
export const DEFAULT_POLL_MAX_DELAY_MS = 30_000;
/** One listing answers for any number of streams; the batch is only bounded to keep maps small. */
export const LIST_BATCH_SIZE = 1_000;

interface Runtime extends ServiceRuntime {
  api: MigrationHubApi;
  streams: BatchPoller<true>;
}

class ProgressUpdateStreamProvider implements ProviderImplementation {
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
    const streams = new BatchPoller<true>({
      batchSize: LIST_BATCH_SIZE,
      describe: async (names) => {
        const listed = new Set(await api.listProgressUpdateStreams());
        return new Map(names.filter((n) => listed.has(n)).map((n) => [n, true as const]));
      },
    });
    return { ...base, api, streams };
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
    return Promise.resolve({ inputs: news, failures: checkProgressUpdateStream(news) });
  }

  diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces?: string[] }> {
    return Promise.resolve(diffProgressUpdateStream(olds, news));
  }

  /**
   * Lists first: the docs do not say what CreateProgressUpdateStream does for an existing name, so
   * an existing stream (a re-run of an interrupted create, or one made outside Pulumi) is adopted
   * explicitly, with a warning about what deleting it would remove. ID = the stream name.
   */
  async create(
    inputs: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }> {
    const rt = this.runtime();
    const args = parseInputs(inputs);
    const name = args.progressUpdateStreamName;
    if ((await rt.streams.get(name)) === true) {
      rt.log.warn(label(name), ADOPT_MESSAGE);
    } else {
      await rt.startLimiter.run(() => rt.api.createProgressUpdateStream(name));
      rt.log.info(label(name), "created (CreateProgressUpdateStream)");
    }
    return { id: name, outs: toOutputs(args) };
  }

  /** In-place changes touch only the delete options, which live in state: no AWS call. */
  update(
    _id: string,
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    return Promise.resolve({ outs: toOutputs(parseInputs(news)) });
  }

  /** Listed → current outputs; not listed → no ID, so the engine drops the resource. */
  async read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    const rt = this.runtime();
    if ((await rt.streams.get(id)) !== true) return {};
    return { id, props: toOutputs(parseInputs({ ...props, progressUpdateStreamName: id })) };
  }

  /**
   * DeleteProgressUpdateStream (unless retainOnDelete), then waits until the stream is no longer
   * listed: the deletion is asynchronous and removes every task of the stream with it.
   */
  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const rt = this.runtime();
    const res = label(id);
    if (props.retainOnDelete === true) {
      rt.log.info(res, RETAIN_MESSAGE);
      return;
    }
    try {
      await rt.startLimiter.run(() => rt.api.deleteProgressUpdateStream(id));
    } catch (err) {
      if (isAwsApiError(err) && err.code === "ResourceNotFoundException") {
        rt.log.info(res, "already gone");
        return;
      }
      // A repeated delete of a stream AWS is still deleting: keep waiting instead of failing.
      const deleting =
        isAwsApiError(err) &&
        err.code === "InvalidInputException" &&
        (await rt.streams.get(id)) === true;
      if (!deleting) throw err;
    }
    rt.log.info(res, "deleting the stream and its migration tasks; waiting until it is gone");
    try {
      const result = await waitFor<StreamPresence>({
        poll: async () => ((await rt.streams.get(id)) === true ? "DELETING" : "GONE"),
        status: (p) => p,
        acceptors: DELETE_ACCEPTORS,
        minDelayMs: rt.settings.pollMinDelayMs ?? DEFAULT_POLL_MIN_DELAY_MS,
        maxDelayMs: Math.max(
          rt.settings.pollMinDelayMs ?? DEFAULT_POLL_MIN_DELAY_MS,
          rt.settings.pollMaxDelayMs ?? DEFAULT_POLL_MAX_DELAY_MS,
        ),
        timeoutMs: deleteTimeoutMs(props),
        clock: rt.clock,
        random: rt.random,
        service: "migrationhub",
        operation: "ListProgressUpdateStreams",
        subject: res,
        onObservation: (p, poll) => rt.log.progress(res, `${p} (poll ${poll})`),
      });
      rt.log.info(res, `deleted after ${result.polls} polls`);
    } catch (err) {
      if (isWaiterTimeoutError(err)) {
        throw new WaiterTimeoutError({
          elapsedMs: err.elapsedMs,
          limitMs: err.limitMs,
          observed: err.observed,
          subject: res,
          advice: DELETE_ADVICE,
        });
      }
      throw err;
    }
  }
}

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return bindProvider(new ProgressUpdateStreamProvider(deps ?? {}));
}
