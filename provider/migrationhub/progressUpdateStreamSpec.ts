/** `migrationhub.ProgressUpdateStream` as a spec (STYLE.md §2); its lifecycle is its provider's. */
import type { CheckFailure } from "../core/check";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import type { PropertyTable } from "../core/task/properties";
import type { ServiceSpec } from "../core/task/spec";
import { createMigrationHubApi, type MigrationHubApi } from "./api";
import { explain, isSet, streamNameProperty } from "./shared";

export interface ProgressUpdateStreamInputs {
  progressUpdateStreamName: string;
  retainOnDelete?: boolean;
  deleteTimeoutMinutes?: number;
}

export const STREAM_PROPERTIES: PropertyTable<ProgressUpdateStreamInputs> = {
  progressUpdateStreamName: streamNameProperty(
    "CreateProgressUpdateStreamRequest",
    "ProgressUpdateStreamName",
    "use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name",
  ),
  retainOnDelete: {
    rule: { kind: "boolean", fix: "give true to keep the stream when the resource is deleted" },
    change: "update",
    // Outputs record it with its default, so an omitted input equals a recorded false.
    default: false,
  },
  deleteTimeoutMinutes: {
    rule: { kind: "integer", min: 1, max: 1440, fix: "give whole minutes from 1 to 1440" },
    change: "update",
  },
};

/** The cross-field rule the table cannot say; an unknown timeout is checked again at `up`. */
function checkStreamMore(news: Record<string, unknown>): CheckFailure[] {
  const timeout = news.deleteTimeoutMinutes;
  if (news.retainOnDelete !== true || !isSet(timeout)) return [];
  const reason =
    "has no effect: retainOnDelete is true, so delete never waits. Fix: remove deleteTimeoutMinutes or set retainOnDelete to false";
  return [{ property: "deleteTimeoutMinutes", reason }];
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
    viaCaller: true,
    async call(api, names) {
      const listed = new Set(await api.listProgressUpdateStreams());
      return new Map(names.filter((n) => listed.has(n)).map((n) => [n, n]));
    },
  },
  // Delete-wait delays when stack config sets none: deletion takes seconds to minutes.
  poll: { minDelayMs: 2_000, maxDelayMs: 30_000, gridMs: 1 },
  // A stream has no status; only the delete wait asks, and there a listed stream is DELETING.
  statusOf: (listed) => (listed === undefined ? "GONE" : "DELETING"),
  acceptors: () => [{ verdict: "success", matches: (listed) => listed === undefined }],
  name: (inputs, id) => id ?? inputs.progressUpdateStreamName,
  explain,
};
