/**
 * The module the `migrationhub.MigrationTask` shim requires (existing stacks' state names
 * `pulumi-aws-migration/internal/migrationhub/migrationTaskProvider`): the core's provider over
 * this resource's spec and lifecycle.
 */
import type { ProviderImplementation } from "../core/dynamic";
import { createLifecycleProvider } from "../core/task/lifecycle";
import type { Deps } from "../core/task/spec";
import type { MigrationHubApi } from "./api";
import { migrationTaskLifecycle } from "./migrationTaskLifecycle";
import { migrationTaskSpec } from "./migrationTaskSpec";

export function createProvider(deps?: Partial<Deps<MigrationHubApi>>): ProviderImplementation {
  return createLifecycleProvider(migrationTaskSpec, migrationTaskLifecycle, deps);
}
