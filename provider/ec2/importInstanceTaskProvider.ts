/** What the `ec2.ImportInstanceTask` shim requires (core/shim.ts): stacks' state names this path. */
import type { ProviderImplementation } from "../core/dynamic";
import type { Deps } from "../core/task/spec";
import { createTaskProvider } from "../core/task/provider";
import type { Ec2Api } from "./api";
import { importInstanceTaskSpec } from "./importInstanceTaskSpec";

export function createProvider(deps?: Partial<Deps<Ec2Api>>): ProviderImplementation {
  return createTaskProvider(importInstanceTaskSpec, deps);
}
