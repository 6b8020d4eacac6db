import type * as pulumi from "@pulumi/pulumi";
import { resourceClass } from "../core/resourceClass";
import type { CreatedArtifact, ResourceAttribute } from "./api";
import { type InitialState, migrationTaskSpec as spec, type WaitTarget } from "./migrationTaskSpec";
import type { TargetArgs } from "../core/task/targetArgs";

/** Arguments of {@link MigrationTask}. */
export interface MigrationTaskArgs extends TargetArgs {
  /**
   * Name of the progress update stream the task belongs to (it must exist). 1–50 characters,
   * pattern `[^/:|\000-\037]+`. A change replaces the task.
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_ImportMigrationTask.html
   */
  progressUpdateStream: pulumi.Input<string>;
  /**
   * Unique name of the task within its stream (no personal data). 1–256 characters, pattern `[^:|]+`.
   * A change replaces the task.
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_ImportMigrationTask.html
   */
  migrationTaskName: pulumi.Input<string>;
  /**
   * Identifiers of the server being migrated, used to match it in Application Discovery Service.
   * 1–100 `{type, value}` pairs; value 1–256 characters in the type's format (IPV4 `x.x.x.x`, IPV6
   * eight groups, MAC `^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$`, FQDN without `<>{}\/?,=`); any
   * `VM_*` type requires a `VM_MANAGER_ID`. Sent whole (each call overwrites); AWS cannot clear
   * them. Updates in place.
   * @default no attributes
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_PutResourceAttributes.html
   */
  resourceAttributes?: pulumi.Input<pulumi.Input<ResourceAttribute>[]>;
  /**
   * AWS resources the migration created, associated with the task. `name` is an ARN (1–1600
   * characters), `description` at most 500; each name once. Updates in place (removed entries are
   * disassociated).
   * @default no artifacts
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_AssociateCreatedArtifact.html
   */
  createdArtifacts?: pulumi.Input<pulumi.Input<CreatedArtifact>[]>;
  /**
   * State notified with NotifyMigrationTaskState when the task is registered: `status`
   * (NOT_STARTED | IN_PROGRESS | FAILED | COMPLETED), `statusDetail` (≤ 2500 characters),
   * `progressPercent` (0–100), `nextUpdateSeconds` (≥ 0, default 86400: after that long without an
   * update Migration Hub marks the task stale). UpdateDateTime is the time of the call. An adopted
   * task that already has a reported state keeps it. A change notifies the new state (in place).
   * @default no notification
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_NotifyMigrationTaskState.html
   */
  initialState?: pulumi.Input<InitialState>;
  /**
   * Wait until the task reaches this status (or a later one; FAILED fails the wait). Only a
   * migration tool moves a task's status, so waiting is opt-in. Updates in place.
   * @default no wait
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_DescribeMigrationTask.html
   */
  waitForStatus?: pulumi.Input<WaitTarget>;
  /**
   * Minutes to wait for `waitForStatus` (1–10080); only with `waitForStatus`. Updates in place.
   * @default stack config awsMigration:waitTimeoutMinutes, else 60
   */
  waitTimeoutMinutes?: pulumi.Input<number>;
}

/** Outputs of {@link MigrationTask}: the task's identity and attributes read back, and its state. */
export interface MigrationTaskOutputs extends Pick<
  pulumi.Unwrap<MigrationTaskArgs>,
  "progressUpdateStream" | "migrationTaskName" | "resourceAttributes" | "createdArtifacts"
> {
  /** NOT_STARTED | IN_PROGRESS | FAILED | COMPLETED, or NOT_REPORTED before any notification. */
  status: string;
  statusDetail?: string;
  progressPercent?: number;
  /** Time of the last state update, ISO 8601. */
  updateDateTime?: string;
}

/**
 * A Migration Hub migration task: registers (ImportMigrationTask) a server, database etc. being
 * migrated by a migration tool, with optional resource attributes, created artifacts and an
 * initial state. ID: `<progressUpdateStream>/<migrationTaskName>`. A re-run of an interrupted
 * create adopts the task the first run registered.
 *
 * Delete policy: Migration Hub has no API to delete one migration task, so deleting this resource
 * only forgets it (and says so in the log). The task disappears when its progress update stream is
 * deleted (see {@link ProgressUpdateStream}).
 */
export const MigrationTask = resourceClass<MigrationTaskArgs, MigrationTaskOutputs>(
  spec,
  undefined,
  ["resourceAttributes", "createdArtifacts"],
);
export type MigrationTask = InstanceType<typeof MigrationTask>;
