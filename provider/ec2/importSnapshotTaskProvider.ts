/**
 * The module `ec2.ImportSnapshotTask`'s shim requires at call time (core/shim.ts): every stack's
 * state names this path, so it stays; the lifecycle is the core's, the resource its spec.
 */
import type { ProviderImplementation } from "../core/dynamic";
import type { Deps } from "../core/task/spec";
import { createTaskProvider } from "../core/task/provider";
import type { Ec2Api } from "./api";
import { importSnapshotTaskSpec } from "./importSnapshotTaskSpec";

export function createProvider(deps?: Partial<Deps<Ec2Api>>): ProviderImplementation {
  return createTaskProvider(importSnapshotTaskSpec, deps);
}
