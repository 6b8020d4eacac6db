/** Pulumi's dynamic-provider contract without importing `@pulumi/pulumi` (shim.ts checks it). */
import type { CheckFailure } from "./check";
import type { ConfigSource } from "./config";

export interface ProviderImplementation {
  configure(req: { config: ConfigSource }): Promise<void>;
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }>;
  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;
  create(inputs: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }>;
  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }>;
  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }>;
  delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** A copy whose methods are bound to `impl`: the host calls them detached from their object. */
export function bindProvider(impl: ProviderImplementation): ProviderImplementation {
  return {
    configure: impl.configure.bind(impl),
    check: impl.check.bind(impl),
    diff: impl.diff.bind(impl),
    create: impl.create.bind(impl),
    read: impl.read.bind(impl),
    update: impl.update.bind(impl),
    delete: impl.delete.bind(impl),
  };
}
