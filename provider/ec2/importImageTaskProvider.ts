/**
 * The module `ec2.ImportImageTask`'s shim requires at call time (core/shim.ts): existing stacks'
 * state names this path, so it stays; the lifecycle is the core's, the resource its spec.
 */
import type { ProviderImplementation } from "../core/dynamic";
import type { Deps as TaskDeps } from "../core/task/spec";
import { createTaskProvider } from "../core/task/provider";
import type { Ec2Api } from "./api";
import { importImageTaskSpec } from "./importImageTaskSpec";

export function createProvider(deps?: Partial<Deps>): ProviderImplementation {
  return createTaskProvider(importImageTaskSpec, deps);
}

/** The seams a test or an embedding passes (clock, random, logger, api, env). */
export type Deps = TaskDeps<Ec2Api>;
