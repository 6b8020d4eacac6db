/**
 * The module the serialized shim requires (`pulumi-aws-migration/internal/mgn/importTaskProvider`):
 * existing stacks' state names this path, so it stays.
 */
import type { ProviderImplementation } from "../core/dynamic";
import { createTaskProvider } from "../core/task/provider";
import type { Deps } from "../core/task/spec";
import type { MgnApi } from "./api";
import { importTaskSpec } from "./importTaskSpec";

export function createProvider(deps?: Partial<Deps<MgnApi>>): ProviderImplementation {
  return createTaskProvider(importTaskSpec, deps);
}
