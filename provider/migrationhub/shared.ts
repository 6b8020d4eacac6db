/**
 * Facts shared by the two Migration Hub resources: the stream name rule and the home-region advice
 * every error gets. No I/O here.
 */
import { isAwsApiError, withAdvice } from "../core/errors";
import { type ModelRule, modelRule } from "../core/awsModel";
import type { ProviderSettings } from "../core/config";
import { MODEL } from "./model.generated";

/** A progress update stream's name as the model has it (1–50, `[^/:|\000-\037]+`), with our fix. */
export const streamNameRule = (structure: string, member: string, fix: string): ModelRule =>
  modelRule(MODEL, structure, member, {
    patternText: "[^/:|\\000-\\037]+ (no '/', ':', '|' or control characters)",
    fix,
  });

/** Writes AWS accepts only in the home region; reads and DeleteProgressUpdateStream run anywhere. */
const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
  "CreateProgressUpdateStream",
  "ImportMigrationTask",
  "NotifyMigrationTaskState",
  "PutResourceAttributes",
  "AssociateCreatedArtifact",
  "DisassociateCreatedArtifact",
]);

/**
 * What to do about a Migration Hub error that is really about the home region. AWS answers
 * `HomeRegionNotSetException` when no home region is set, and a plain `InvalidInputException` when a
 * write runs outside the home region (or names a stream that is being deleted), so that advice is
 * conditional. Returns undefined for every other error.
 */
export function homeRegionAdvice(
  code: string,
  operation: string,
  region: string | undefined,
): string | undefined {
  const where = region === undefined ? "aws:region is not set" : `aws:region is ${region}`;
  if (code === "HomeRegionNotSetException") {
    return (
      `Migration Hub has no home region for this account (${where}). Set one with Migration Hub Config ` +
      "CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again."
    );
  }
  if (code === "InvalidInputException" && WRITE_OPERATIONS.has(operation)) {
    return (
      `Migration Hub accepts ${operation} only in the account's home region (${where}): if that is not the ` +
      "home region, point aws:region to it (Migration Hub Config GetHomeRegion shows it). If the progress " +
      "update stream is being deleted, wait until the deletion finishes, then run again."
    );
  }
  if (code === "ResourceNotFoundException" && operation === "ImportMigrationTask") {
    return (
      "The progress update stream does not exist (in this account and region). Create it first — e.g. a " +
      "migrationhub.ProgressUpdateStream whose progressUpdateStreamName you pass as progressUpdateStream."
    );
  }
  return undefined;
}

/**
 * The spec's `explain` for both resources: every Migration Hub error passes here (through the
 * core's one AWS caller) and gains the home-region or missing-stream fix when one applies.
 */
export function explain(err: unknown, settings: ProviderSettings): unknown {
  if (!isAwsApiError(err)) return err;
  const advice = homeRegionAdvice(err.code, err.operation, settings.region);
  return advice === undefined ? err : withAdvice(err, advice);
}
