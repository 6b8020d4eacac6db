/** What the `migrationhub.ProgressUpdateStream` shim requires (stacks' state names its path). */
import type { ProviderImplementation } from "../core/dynamic";
import { isAwsApiError, isWaiterTimeoutError, WaiterTimeoutError } from "../core/errors";
import { createLifecycleProvider, type Lifecycle } from "../core/task/lifecycle";
import { asInputs } from "../core/task/properties";
import type { Deps } from "../core/task/spec";
import type { MigrationHubApi } from "./api";
import {
  progressUpdateStreamSpec as spec,
  STREAM_PROPERTIES,
  toOutputs,
} from "./progressUpdateStreamSpec";
import { waitOn } from "./shared";

const inputs = (raw: Record<string, unknown>) => asInputs(STREAM_PROPERTIES, raw);

const lifecycle: Lifecycle<MigrationHubApi, unknown, string> = {
  // The docs do not say what CreateProgressUpdateStream does for an existing name: adopt it.
  async create(ctx, raw) {
    const args = inputs(raw);
    const name = args.progressUpdateStreamName;
    const res = ctx.subject(args);
    if ((await ctx.describe(name)) !== undefined) {
      ctx.runtime.log.warn(
        res,
        "the stream already exists and is adopted; deleting this resource deletes the stream and every migration task in it (set retainOnDelete: true to keep them)",
      );
    } else {
      await ctx.runtime.startLimiter.run(() => ctx.api.createProgressUpdateStream(name));
      ctx.runtime.log.info(res, "created (CreateProgressUpdateStream)");
    }
    return { id: name, outs: toOutputs(args) };
  },

  /** In-place changes touch only the delete options, which live in state: no AWS call. */
  update: (_ctx, _id, _olds, news) => Promise.resolve({ outs: toOutputs(inputs(news)) }),

  /** Listed → current outputs; not listed → no ID, so the engine drops the resource. */
  async read(ctx, id, props) {
    if ((await ctx.describe(id)) === undefined) return {};
    return { id, props: toOutputs(inputs({ ...props, progressUpdateStreamName: id })) };
  },

  async delete(ctx, id, props) {
    const { log, startLimiter } = ctx.runtime;
    const args = inputs(props);
    const res = ctx.subject(args, id);
    if (args.retainOnDelete === true) {
      return log.info(
        res,
        "retainOnDelete is true: the stream and its migration tasks are kept in Migration Hub",
      );
    }
    try {
      await startLimiter.run(() => ctx.api.deleteProgressUpdateStream(id));
    } catch (err) {
      const code = isAwsApiError(err) ? err.code : undefined;
      if (code === "ResourceNotFoundException") return log.info(res, "already gone");
      // A repeated delete of a stream AWS is still deleting: keep waiting instead of failing.
      if (code !== "InvalidInputException" || (await ctx.describe(id)) === undefined) throw err;
    }
    log.info(res, "deleting the stream and its migration tasks; waiting until it is gone");
    try {
      const result = await waitOn(ctx, spec, id, {
        acceptors: spec.acceptors("delete", args),
        // Deletion is asynchronous and removes every task of the stream.
        timeoutMs: (args.deleteTimeoutMinutes ?? 30) * 60_000,
        subject: res,
        onObservation: (s, poll) => log.progress(res, `${spec.statusOf(s)} (poll ${poll})`),
      });
      log.info(res, `deleted after ${result.polls} polls`);
    } catch (err) {
      if (!isWaiterTimeoutError(err)) throw err;
      const { elapsedMs, limitMs, observed } = err;
      const advice =
        "Migration Hub is still deleting the stream and its tasks; run `pulumi destroy` (or `up`) again to keep waiting, or raise deleteTimeoutMinutes.";
      throw new WaiterTimeoutError({ elapsedMs, limitMs, observed, subject: res, advice });
    }
  },
};

export function createProvider(deps?: Partial<Deps<MigrationHubApi>>): ProviderImplementation {
  return createLifecycleProvider(spec, lifecycle, deps);
}
