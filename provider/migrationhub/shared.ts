/** What the two Migration Hub resources share: the stream name input, error advice, waits. */
import { modelRule } from "../core/awsModel";
import { explainWith } from "../core/task/helpers";
import type { PropertySpec } from "../core/task/properties";
import type { ServiceSpec, TaskContext } from "../core/task/spec";
import { containsUnknown } from "../core/unknown";
import { waitFor, type WaitResult, type WaitSpec } from "../core/waiter";
import type { MigrationHubApi } from "./api";
import { MODEL } from "./model.generated";

/** A value a cross-field rule can judge: set, and known (an unknown is checked again at `up`). */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null && !containsUnknown(v);

/** The input naming a stream: required, as the model has it, sent as `member`; a change replaces. */
export function streamNameProperty(structure: string, member: string, fix: string): PropertySpec {
  const patternText = "[^/:|\\000-\\037]+ (no '/', ':', '|' or control characters)";
  const rule = modelRule(MODEL, structure, member, { patternText, fix });
  return { rule: { kind: "string", required: true, ...rule }, change: "replace", awsName: member };
}

/**
 * Both specs' `explain`: the fix of an error about the home region or a missing stream. AWS answers
 * a plain InvalidInputException to a write outside the home region or to a stream being deleted.
 */
export const explain = explainWith(({ code, operation }, { region }) => {
  const where = region === undefined ? "aws:region is not set" : `aws:region is ${region}`;
  // Writes run only in the home region; reads and DeleteProgressUpdateStream run anywhere.
  const write = !/^(List|Describe|Delete)/.test(operation);
  if (code === "HomeRegionNotSetException")
    return `Migration Hub has no home region for this account (${where}). Set one with Migration Hub Config CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again.`;
  if (code === "InvalidInputException" && write)
    return `Migration Hub accepts ${operation} only in the account's home region (${where}): if that is not the home region, point aws:region to it (Migration Hub Config GetHomeRegion shows it). If the progress update stream is being deleted, wait until the deletion finishes, then run again.`;
  if (code === "ResourceNotFoundException" && operation === "ImportMigrationTask")
    return "The progress update stream does not exist (in this account and region). Create it first — e.g. a migrationhub.ProgressUpdateStream whose progressUpdateStreamName you pass as progressUpdateStream.";
  return undefined;
});

/** The core waiter over the spec's describe and delays (not ctx.wait: own subject and limit). */
export function waitOn<I extends object, T>(
  ctx: TaskContext<MigrationHubApi, unknown, T>,
  spec: ServiceSpec<I, T, MigrationHubApi>,
  id: string,
  wait: Pick<WaitSpec<T | undefined>, "acceptors" | "timeoutMs" | "subject" | "onObservation">,
): Promise<WaitResult<T | undefined>> {
  const { settings, clock, random } = ctx.runtime;
  const minDelayMs = settings.pollMinDelayMs ?? spec.poll.minDelayMs;
  return waitFor<T | undefined>({
    ...wait,
    poll: () => ctx.describe(id),
    status: (o) => spec.statusOf(o),
    minDelayMs,
    maxDelayMs: Math.max(minDelayMs, settings.pollMaxDelayMs ?? spec.poll.maxDelayMs),
    clock,
    random,
    service: spec.service,
    operation: spec.describe.operation,
  });
}
