/**
 * The module the `migrationhub.ProgressUpdateStream` shim requires (existing stacks' state names
 * `pulumi-aws-migration/internal/migrationhub/progressUpdateStreamProvider`): the core's provider
 * over this resource's spec and lifecycle.
 */
import type { ProviderImplementation } from "../core/dynamic";
import { createLifecycleProvider } from "../core/task/lifecycle";
import type { Deps } from "../core/task/spec";
import type { MigrationHubApi } from "./api";
import {
  progressUpdateStreamLifecycle,
  progressUpdateStreamSpec,
} from "./progressUpdateStreamSpec";

export function createProvider(deps?: Partial<Deps<MigrationHubApi>>): ProviderImplementation {
  return createLifecycleProvider(progressUpdateStreamSpec, progressUpdateStreamLifecycle, deps);
}
