/**
 * What every resource class hands `pulumi.dynamic.Resource`, read from its spec: the provider
 * shim, the props with a slot for each output (and for the inputs named in `slots`, so programs can
 * read them back) and the resource's own URN as `__urn`, the spec's secret outputs, and the module and type of the type token. Only
 * resource classes import this file (it loads `@pulumi/pulumi`).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "./shim";
import { outputSlots, secretOutputs, shimPath } from "./task/resource";
import { deriveToken } from "./tokens";

type Spec = Parameters<typeof shimPath>[0];

export function registration(
  spec: Spec,
  name: string,
  props: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions | undefined,
  slots: readonly string[] = [],
): [
  pulumi.dynamic.ResourceProvider,
  string,
  Record<string, unknown>,
  pulumi.CustomResourceOptions | undefined,
  string,
  string,
] {
  const secrets = secretOutputs(spec, opts?.additionalSecretOutputs);
  return [
    providerShim(shimPath(spec)),
    name,
    {
      ...Object.fromEntries(slots.map((k) => [k, undefined])),
      ...props,
      ...outputSlots(spec),
      // The engine's URN for this resource, so the provider can log on it (core/engine.ts).
      __urn: pulumi.createUrn(
        name,
        `pulumi-nodejs:dynamic/${spec.service}:${spec.className}`,
        opts?.parent,
      ),
    },
    secrets.length === 0 ? opts : { ...opts, additionalSecretOutputs: secrets },
    spec.service,
    spec.className,
  ];
}

/**
 * The idempotency token a resource sends when the program gives none: derived from the stack,
 * project, resource name and the inputs that identify the task, so a re-run of an interrupted
 * create gets the task the first run started.
 */
export function derivedToken(
  given: pulumi.Input<string> | undefined,
  spec: Spec,
  name: string,
  inputs: Record<string, unknown>,
  maxLength: number,
): pulumi.Input<string> {
  if (given !== undefined) return given;
  const type = `${spec.service}:${spec.className}`;
  return pulumi
    .output(inputs)
    .apply((resolved) =>
      deriveToken(
        { stack: pulumi.getStack(), project: pulumi.getProject(), type, name, inputs: resolved },
        { maxLength },
      ),
    );
}
