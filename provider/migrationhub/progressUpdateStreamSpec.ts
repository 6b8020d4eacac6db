/**
 * `migrationhub.ProgressUpdateStream` as a spec (STYLE.md §2): its property table, the listing
 * that serves as its batched describe, the delete-wait acceptors, outputs and messages. A stream
 * has no start-and-wait of its own: create is CreateProgressUpdateStream (adopting a listed
 * stream), delete is DeleteProgressUpdateStream waiting until the stream is no longer listed.
 */
import type { CheckFailure } from "../core/check";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import type { PropertyTable } from "../core/task/properties";
import type { DescribeSpec, PollDelays } from "../core/task/spec";
import { containsUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
import type { MigrationHubApi } from "./api";
import { STREAM_NAME_PATTERN, STREAM_NAME_PATTERN_TEXT } from "./shared";

export const RESOURCE = "migrationhub.ProgressUpdateStream";

/** @default 30 — DeleteProgressUpdateStream is asynchronous and removes every task of the stream. */
export const DEFAULT_DELETE_TIMEOUT_MINUTES = 30;
export const MAX_DELETE_TIMEOUT_MINUTES = 1440;

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
      minLength: 1,
      maxLength: 50,
      pattern: STREAM_NAME_PATTERN,
      patternText: STREAM_NAME_PATTERN_TEXT,
      fix: "use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name",
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
      max: MAX_DELETE_TIMEOUT_MINUTES,
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

/**
 * Migration Hub has no describe for a stream, only ListProgressUpdateStreams: one listing answers
 * for any number of streams, so the batch is bounded only to keep maps small. A listed stream maps
 * to its own name; an unlisted one is gone.
 */
export const STREAM_DESCRIBE: DescribeSpec<string, MigrationHubApi> = {
  operation: "ListProgressUpdateStreams",
  batchSize: 1_000,
  async call(api, names) {
    const listed = new Set(await api.listProgressUpdateStreams());
    return new Map(names.filter((n) => listed.has(n)).map((n) => [n, n]));
  },
};

/** Delete-wait delays when stack config sets none: deletion takes seconds to minutes. */
export const STREAM_POLL: PollDelays = { minDelayMs: 2_000, maxDelayMs: 30_000, gridMs: 1 };

/** What one poll of the delete wait saw: the stream still listed, or gone. */
export type StreamPresence = "DELETING" | "GONE";

/** A stream has no status; only the delete wait asks, and there a listed stream is still DELETING. */
export function streamStatus(listed: string | undefined): StreamPresence {
  return listed === undefined ? "GONE" : "DELETING";
}

export const DELETE_ACCEPTORS: readonly Acceptor<StreamPresence>[] = [
  {
    verdict: "success",
    matches: (p) => p === "GONE",
    description: "the stream is no longer listed",
  },
];

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

export function label(name: string): string {
  return `${RESOURCE} "${name}"`;
}

export const ADOPT_MESSAGE =
  "the stream already exists and is adopted; deleting this resource deletes the stream and every migration task in it (set retainOnDelete: true to keep them)";
export const RETAIN_MESSAGE =
  "retainOnDelete is true: the stream and its migration tasks are kept in Migration Hub";
export const DELETE_ADVICE =
  "Migration Hub is still deleting the stream and its tasks; run `pulumi destroy` (or `up`) again to keep waiting, or raise deleteTimeoutMinutes.";
