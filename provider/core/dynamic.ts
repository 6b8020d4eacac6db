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
