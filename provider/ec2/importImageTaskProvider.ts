/** What `ec2.ImportImageTask`'s shim requires at call time (core/shim.ts): state names this path. */
import type { ProviderImplementation } from "../core/dynamic";
import type { Deps } from "../core/task/spec";
import { createTaskProvider } from "../core/task/provider";
import type { Ec2Api } from "./api";
import { importImageTaskSpec } from "./importImageTaskSpec";

export function createProvider(deps?: Partial<Deps<Ec2Api>>): ProviderImplementation {
  return createTaskProvider(importImageTaskSpec, deps);
}
