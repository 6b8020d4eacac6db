/* eslint-disable @typescript-eslint/no-require-imports -- the shim loads its implementation at call time */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderImplementation } from "./dynamic";

/** Compile-time proof that our contract (dynamic.ts) is a Pulumi dynamic ResourceProvider. */
type Fits<T extends pulumi.dynamic.ResourceProvider> = T;
export type CheckedProviderImplementation = Fits<ProviderImplementation>;

/**
 * The provider object a resource class hands Pulumi, serialized into every resource's state: it
 * holds only a module name and `require()`s the implementation at load time, so state stays ~1 KB,
 * a new package version fixes old resources, and no client or credential is captured. The host
 * calls `configure()` before any other method and caches the configured object per serialized
 * text, so `configure` installs the implementation's methods on it: all resources of a kind share
 * one implementation (and one batching poller). `implementation` names a module under the
 * package's "./internal/*" export with `createProvider(): ProviderImplementation`.
 */
export function providerShim(implementation: string): pulumi.dynamic.ResourceProvider {
  const shim = {
    // The body below is serialized as source text, comments included, into every resource's state:
    // it holds only `require` (never captured by Pulumi) and the string, and no comments.
    configure(this: Record<string, unknown>, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const mod = "pulumi-aws-migration/internal/" + implementation;
      const impl = (require(mod) as { createProvider(): ProviderImplementation }).createProvider();
      Object.assign(this, impl);
      return impl.configure(req);
    },
  };
  // The other methods appear on first configure(); the host never calls one before it.
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}
