/**
 * What every resource class hands `pulumi.dynamic.Resource`, read from its spec: the provider
 * shim, the props with a slot for each output (and for the inputs named in `slots`, so programs can
 * read them back) with the table's secret leaves marked and the resource's own URN as `__urn`, the
 * spec's secret outputs, and the module and type of the type token. Only resource classes import
 * this file (it loads `@pulumi/pulumi`).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "./shim";
import type { PropertySpec } from "./task/properties";
import { outputSlots, secretOutputs, shimPath } from "./task/resource";
import { deriveToken } from "./tokens";

type Spec = Parameters<typeof shimPath>[0] & {
  readonly properties?: Readonly<Record<string, PropertySpec>>;
};

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
      ...withSecretLeaves(spec, props),
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
 * `props` with the table's secret leaves marked: what registration sends, and what a class
 * derives its token from (a token derived from a secret stays secret, as it always was).
 */
export function withSecretLeaves<P extends object>(spec: Spec, props: P): P {
  const marked = Object.entries(props).map(([key, value]: [string, unknown]) => {
    const leaf = spec.properties?.[key]?.secretLeaf;
    return [key, leaf === undefined ? value : secretLeaf(value, leaf.path, leaf.when)];
  });
  return Object.fromEntries(marked) as P;
}

/**
 * `value` with its leaves at `path` secret (`[]` steps into each element), those `when` accepts,
 * so the rest stays readable in state and `preview --diff` (the engine keeps a nested secret
 * nested). A level that is an Output or a promise cannot be split before it resolves: it becomes
 * secret as a whole when it holds such a leaf.
 */
export function secretLeaf(
  value: unknown,
  path: readonly string[],
  when: (leaf: string) => boolean = () => true,
): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) {
    const resolved = pulumi.output(value) as pulumi.Output<unknown>;
    return resolved.apply((v) => (hasLeaf(v, path, when) ? pulumi.secret(v) : v));
  }
  const [head, ...rest] = path;
  if (head === undefined) return hasLeaf(value, path, when) ? pulumi.secret(value) : value;
  if (head === "[]") {
    return Array.isArray(value) ? value.map((v: unknown) => secretLeaf(v, rest, when)) : value;
  }
  if (typeof value !== "object" || value === null || !(head in value)) return value;
  const record = value as Record<string, unknown>;
  return { ...record, [head]: secretLeaf(record[head], rest, when) };
}

function hasLeaf(
  value: unknown,
  path: readonly string[],
  when: (leaf: string) => boolean,
): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return typeof value === "string" && when(value);
  if (head === "[]") return Array.isArray(value) && value.some((v) => hasLeaf(v, rest, when));
  if (typeof value !== "object" || value === null) return false;
  return hasLeaf((value as Record<string, unknown>)[head], rest, when);
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
