/* eslint-disable @typescript-eslint/no-require-imports -- the shim loads its implementation at call time */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderImplementation } from "./dynamic";

/** Compile-time proof that our contract (dynamic.ts) is a Pulumi dynamic ResourceProvider. */
type Fits<T extends pulumi.dynamic.ResourceProvider> = T;
export type CheckedProviderImplementation = Fits<ProviderImplementation>;

/**
 * The provider object a resource class hands Pulumi. Pulumi serializes it into the state of every
 * resource (twice), so it holds nothing but a module name: at load time it `require()`s the
 * implementation from this package. State stays ~1 KB per resource, a new package version fixes
 * old resources, and no client, credential or closure is ever captured.
 *
 * Pulumi's dynamic-provider host deserializes a provider and always calls `configure()` before any
 * other method (and caches the configured object per serialized text), so `configure` is the only
 * method the shim needs: it installs the implementation's methods on the cached object. All
 * resources of a kind thereby share one implementation instance — and one batching poller — per
 * deployment.
 *
 * `implementation` names a module under the package's "./internal/*" export that exports
 * `createProvider(): ProviderImplementation` with bound methods (see `bindProvider`).
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
