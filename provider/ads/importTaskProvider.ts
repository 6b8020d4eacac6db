/**
 * The module the `ads.ImportTask` shim requires at run time: keep this path, every existing
 * stack's state holds `require("pulumi-aws-migration/internal/ads/importTaskProvider")`.
 */
import type { ProviderImplementation } from "../core/dynamic";
import { createTaskProvider } from "../core/task/provider";
import type { Deps } from "../core/task/spec";
import type { AdsApi } from "./api";
import { importTask } from "./importTaskSpec";

export function createProvider(deps?: Partial<Deps<AdsApi>>): ProviderImplementation {
  return createTaskProvider(importTask, deps);
}
