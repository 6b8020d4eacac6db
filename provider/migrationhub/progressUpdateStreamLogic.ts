/**
 * Pure logic of `migrationhub.ProgressUpdateStream`: input checks, diff, the delete-wait acceptors,
 * outputs and messages. No I/O.
 */
import { type CheckFailure, checkBoolean, checkInteger, checkString } from "../core/check";
import { normalizeOutputs, type OutputValue } from "../core/outputs";
import { canonicalJson } from "../core/tokens";
import { containsUnknown } from "../core/unknown";
import type { Acceptor } from "../core/waiter";
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

export function checkProgressUpdateStream(inputs: Record<string, unknown>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  checkString(
    inputs,
    "progressUpdateStreamName",
    {
      required: true,
      minLength: 1,
      maxLength: 50,
      pattern: STREAM_NAME_PATTERN,
      patternText: STREAM_NAME_PATTERN_TEXT,
      fix: "use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name",
    },
    failures,
  );
  checkBoolean(
    inputs,
    "retainOnDelete",
    { fix: "give true to keep the stream when the resource is deleted" },
    failures,
  );
  checkInteger(
    inputs,
    "deleteTimeoutMinutes",
    { min: 1, max: MAX_DELETE_TIMEOUT_MINUTES, fix: "give whole minutes from 1 to 1440" },
    failures,
  );
  if (
    inputs.retainOnDelete === true &&
    inputs.deleteTimeoutMinutes !== undefined &&
    inputs.deleteTimeoutMinutes !== null &&
    !containsUnknown(inputs.deleteTimeoutMinutes)
  ) {
    failures.push({
      property: "deleteTimeoutMinutes",
      reason:
        "has no effect: retainOnDelete is true, so delete never waits. Fix: remove deleteTimeoutMinutes or set retainOnDelete to false",
    });
  }
  return failures;
}

export function parseInputs(inputs: Record<string, unknown>): ProgressUpdateStreamInputs {
  const out: ProgressUpdateStreamInputs = {
    progressUpdateStreamName: inputs.progressUpdateStreamName as string,
  };
  if (typeof inputs.retainOnDelete === "boolean") out.retainOnDelete = inputs.retainOnDelete;
  if (typeof inputs.deleteTimeoutMinutes === "number")
    out.deleteTimeoutMinutes = inputs.deleteTimeoutMinutes;
  return out;
}

/** The name → replace (it is the stream's identity); the delete options → update in place. */
export function diffProgressUpdateStream(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { changes: boolean; replaces: string[] } {
  // Outputs record retainOnDelete with its default, so an omitted input equals a recorded false.
  const value = (v: Record<string, unknown>, p: string): unknown =>
    v[p] ?? (p === "retainOnDelete" ? false : null);
  const differs = (p: string): boolean =>
    containsUnknown(news[p]) || canonicalJson(value(olds, p)) !== canonicalJson(value(news, p));
  const replaces = differs("progressUpdateStreamName") ? ["progressUpdateStreamName"] : [];
  const updates = ["retainOnDelete", "deleteTimeoutMinutes"].filter(differs);
  return { changes: replaces.length > 0 || updates.length > 0, replaces };
}

export function toOutputs(inputs: ProgressUpdateStreamInputs): Record<string, OutputValue> {
  return normalizeOutputs({
    progressUpdateStreamName: inputs.progressUpdateStreamName,
    retainOnDelete: inputs.retainOnDelete ?? false,
    deleteTimeoutMinutes: inputs.deleteTimeoutMinutes,
  });
}

/** What one poll of the delete wait saw: the stream still listed, or gone. */
export type StreamPresence = "DELETING" | "GONE";

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

export function label(name: string): string {
  return `${RESOURCE} "${name}"`;
}

export const ADOPT_MESSAGE =
  "the stream already exists and is adopted; deleting this resource deletes the stream and every migration task in it (set retainOnDelete: true to keep them)";
export const RETAIN_MESSAGE =
  "retainOnDelete is true: the stream and its migration tasks are kept in Migration Hub";
export const DELETE_ADVICE =
  "Migration Hub is still deleting the stream and its tasks; run `pulumi destroy` (or `up`) again to keep waiting, or raise deleteTimeoutMinutes.";
