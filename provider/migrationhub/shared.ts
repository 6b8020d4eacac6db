/**
 * Pure facts and helpers shared by the two Migration Hub resources: the documented name rules and
 * the home-region advice every error gets. No I/O here.
 */
import { type AwsApiError, isAwsApiError, withAdvice } from "../core/errors";
import { type ModelRule, modelRule } from "../core/awsModel";
import type { ProviderSettings } from "../core/config";
import { MODEL } from "./model.generated";

/** The `service` name used in logs, errors and the core's per-service settings. */
export const SERVICE = "migrationhub";

/** A progress update stream's name as the model has it (1–50, `[^/:|\000-\037]+`), with our fix. */
export const streamNameRule = (structure: string, member: string, fix: string): ModelRule =>
  modelRule(MODEL, structure, member, {
    patternText: "[^/:|\\000-\\037]+ (no '/', ':', '|' or control characters)",
    fix,
  });

/**
 * Write operations: AWS accepts them only in the account's home region. Reads (list, describe) and
 * DeleteProgressUpdateStream are allowed outside it [MGH-UG home-region.md].
 */
export const WRITE_OPERATIONS: ReadonlySet<string> = new Set([
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

/** The same AwsApiError with home-region advice in its message, or `err` itself when none applies. */
export function withHomeRegionAdvice(err: AwsApiError, region: string | undefined): AwsApiError {
  const advice = homeRegionAdvice(err.code, err.operation, region);
  if (advice === undefined) return err;
  return withAdvice(err, advice);
}

/**
 * The spec's `explain` for both resources: every Migration Hub error passes here (through the
 * core's one AWS caller) and gains the home-region or missing-stream fix when one applies.
 */
export function explain(err: unknown, settings: ProviderSettings): unknown {
  return isAwsApiError(err) ? withHomeRegionAdvice(err, settings.region) : err;
}
