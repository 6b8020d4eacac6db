/**
 * `migrationhub.ProgressUpdateStream` as a spec (STYLE.md §2): its property table, the listing
 * that serves as its batched describe, the delete-wait acceptors, outputs, messages, and its
 * lifecycle over the core's context — a stream is no start-and-wait task: create is
 * CreateProgressUpdateStream (adopting a listed stream), delete is DeleteProgressUpdateStream
 * waiting until the stream is no longer listed (it removes every task of the stream with it).
 */
import type { CheckFailure } from "../core/check";
import { isAwsApiError, isWaiterTimeoutError, WaiterTimeoutError } from "../core/errors";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { type Lifecycle, specRules } from "../core/task/lifecycle";
import { asInputs, type PropertyTable } from "../core/task/properties";
import type { PollDelays, ServiceSpec } from "../core/task/spec";
import { containsUnknown } from "../core/unknown";
import { waitFor } from "../core/waiter";
import { createMigrationHubApi, type MigrationHubApi } from "./api";
import { explain, streamNameRule } from "./shared";

/** @default 30 — DeleteProgressUpdateStream is asynchronous and removes every task of the stream. */
export const DEFAULT_DELETE_TIMEOUT_MINUTES = 30;

export interface ProgressUpdateStreamInputs {
  progressUpdateStreamName: string;
  retainOnDelete?: boolean;
  deleteTimeoutMinutes?: number;
}

export const STREAM_PROPERTIES: PropertyTable<ProgressUpdateStreamInputs> = {
  progressUpdateStreamName: {
    rule: {
      kind: "string",
      required: true,
      ...streamNameRule(
        "CreateProgressUpdateStreamRequest",
        "ProgressUpdateStreamName",
        "use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name",
      ),
    },
    change: "replace",
    awsName: "ProgressUpdateStreamName",
  },
  retainOnDelete: {
    rule: { kind: "boolean", fix: "give true to keep the stream when the resource is deleted" },
    change: "update",
    // Outputs record it with its default, so an omitted input equals a recorded false.
    default: false,
  },
  deleteTimeoutMinutes: {
    rule: {
      kind: "integer",
      min: 1,
      max: 1440,
      fix: "give whole minutes from 1 to 1440",
    },
    change: "update",
  },
};

/** The cross-field rule the table cannot say; an unknown timeout is checked again at `up`. */
export function checkStreamMore(news: Record<string, unknown>): CheckFailure[] {
  const timeout = news.deleteTimeoutMinutes;
  if (news.retainOnDelete !== true || timeout === undefined || timeout === null) return [];
  if (containsUnknown(timeout)) return [];
  return [
    {
      property: "deleteTimeoutMinutes",
      reason:
        "has no effect: retainOnDelete is true, so delete never waits. Fix: remove deleteTimeoutMinutes or set retainOnDelete to false",
    },
  ];
}

/** Delete-wait delays when stack config sets none: deletion takes seconds to minutes. */
const STREAM_POLL: PollDelays = { minDelayMs: 2_000, maxDelayMs: 30_000, gridMs: 1 };

/** A stream has no status; only the delete wait asks, and there a listed stream is still DELETING. */
const streamStatus = (listed: string | undefined): string =>
  listed === undefined ? "GONE" : "DELETING";

export function deleteTimeoutMs(inputs: Record<string, unknown>): number {
  const m = inputs.deleteTimeoutMinutes;
  return (typeof m === "number" ? m : DEFAULT_DELETE_TIMEOUT_MINUTES) * 60_000;
}

export function toOutputs(inputs: ProgressUpdateStreamInputs): Record<string, OutputValue> {
  return normalizeOutputs({
    progressUpdateStreamName: inputs.progressUpdateStreamName,
    retainOnDelete: inputs.retainOnDelete ?? false,
    deleteTimeoutMinutes: inputs.deleteTimeoutMinutes,
  });
}

export const progressUpdateStreamSpec: ServiceSpec<
  ProgressUpdateStreamInputs,
  string,
  MigrationHubApi
> = {
  service: "migrationhub",
  className: "ProgressUpdateStream",
  properties: STREAM_PROPERTIES,
  checkMore: checkStreamMore,
  createApi: createMigrationHubApi,
  // No describe for a stream, only ListProgressUpdateStreams: one listing answers for any number
  // of streams (the batch is bounded only to keep maps small); a listed stream maps to its name.
  describe: {
    operation: "ListProgressUpdateStreams",
    batchSize: 1_000,
    // The listing already goes through the core's caller, page by page.
    viaCaller: true,
    async call(api, names) {
      const listed = new Set(await api.listProgressUpdateStreams());
      return new Map(names.filter((n) => listed.has(n)).map((n) => [n, n]));
    },
  },
  poll: STREAM_POLL,
  statusOf: streamStatus,
  // Only delete waits: until the stream is no longer listed.
  acceptors: () => [
    {
      verdict: "success",
      matches: (listed) => listed === undefined,
      description: "the stream is no longer listed",
    },
  ],
  name: (inputs, id) => id ?? inputs.progressUpdateStreamName,
  explain,
};

/** What check() and diff() answer: the table's rules and diff, then the spec's own. */
export const { check: checkProgressUpdateStream, diff: diffProgressUpdateStream } =
  specRules(progressUpdateStreamSpec);

const inputs = (raw: Record<string, unknown>): ProgressUpdateStreamInputs =>
  asInputs(STREAM_PROPERTIES, raw);

export const progressUpdateStreamLifecycle: Lifecycle<MigrationHubApi, unknown, string> = {
  /**
   * Lists first: the docs do not say what CreateProgressUpdateStream does for an existing name, so
   * an existing stream (a re-run of an interrupted create, or one made outside Pulumi) is adopted
   * explicitly, with a warning about what deleting it would remove. ID = the stream name.
   */
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
    const { settings, clock, random, log, startLimiter } = ctx.runtime;
    const res = ctx.subject(props, id);
    if (props.retainOnDelete === true) {
      return log.info(
        res,
        "retainOnDelete is true: the stream and its migration tasks are kept in Migration Hub",
      );
    }
    try {
      await startLimiter.run(() => ctx.api.deleteProgressUpdateStream(id));
    } catch (err) {
      if (isAwsApiError(err) && err.code === "ResourceNotFoundException") {
        return log.info(res, "already gone");
      }
      // A repeated delete of a stream AWS is still deleting: keep waiting instead of failing.
      const deleting =
        isAwsApiError(err) &&
        err.code === "InvalidInputException" &&
        (await ctx.describe(id)) !== undefined;
      if (!deleting) throw err;
    }
    log.info(res, "deleting the stream and its migration tasks; waiting until it is gone");
    const minDelayMs = settings.pollMinDelayMs ?? STREAM_POLL.minDelayMs;
    try {
      const result = await waitFor<string | undefined>({
        poll: () => ctx.describe(id),
        status: streamStatus,
        acceptors: progressUpdateStreamSpec.acceptors("delete", inputs(props)),
        minDelayMs,
        maxDelayMs: Math.max(minDelayMs, settings.pollMaxDelayMs ?? STREAM_POLL.maxDelayMs),
        timeoutMs: deleteTimeoutMs(props),
        clock,
        random,
        service: "migrationhub",
        operation: progressUpdateStreamSpec.describe.operation,
        subject: res,
        onObservation: (s, poll) => log.progress(res, `${streamStatus(s)} (poll ${poll})`),
      });
      log.info(res, `deleted after ${result.polls} polls`);
    } catch (err) {
      if (!isWaiterTimeoutError(err)) throw err;
      const { elapsedMs, limitMs, observed } = err;
      throw new WaiterTimeoutError({
        elapsedMs,
        limitMs,
        observed,
        subject: res,
        advice:
          "Migration Hub is still deleting the stream and its tasks; run `pulumi destroy` (or `up`) again to keep waiting, or raise deleteTimeoutMinutes.",
      });
    }
  },
};
