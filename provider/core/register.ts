/**
 * What every resource class hands `pulumi.dynamic.Resource`, read from its spec: the shim, props
 * with output slots, secret leaves marked and `__urn`, the secret outputs, the type token's parts.
 * Only resource classes import this file (it loads `@pulumi/pulumi`).
 */
import * as pulumi from "@pulumi/pulumi";
import { providerShim } from "./shim";
import type { PropertySpec } from "./task/properties";
import { deriveToken } from "./tokens";

interface Spec {
  readonly service: string;
  readonly className: string;
  readonly outputs?: readonly string[];
  readonly secretOutputs?: readonly string[];
  readonly properties?: Readonly<Record<string, PropertySpec>>;
}

/**
 * `ads/importTaskProvider`: the module under the package's "./internal/*" export that the shim
 * requires. Frozen like the type token: every existing stack's state names it.
 */
export function shimPath(spec: Spec): string {
  return `${spec.service}/${spec.className.charAt(0).toLowerCase()}${spec.className.slice(1)}Provider`;
}

export function registration(
  spec: Spec,
  name: string,
  props: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions | undefined,
  slots: readonly string[] = [],
): ConstructorParameters<typeof pulumi.dynamic.Resource> {
  const secrets = [...(spec.secretOutputs ?? []), ...(opts?.additionalSecretOutputs ?? [])];
  return [
    providerShim(shimPath(spec)),
    name,
    {
      ...Object.fromEntries(slots.map((k) => [k, undefined])),
      ...withSecretLeaves(spec, props),
      // Every output as `undefined`: Pulumi shows only the outputs a resource registers.
      ...Object.fromEntries((spec.outputs ?? []).map((key) => [key, undefined])),
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
 * `value` with its leaves at `path` (`[]`: each element) that `when` accepts secret, the rest
 * readable in state and `preview --diff`. An Output or promise level, unsplittable before it
 * resolves, becomes secret whole when it holds such a leaf.
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

/** `given`, else derived: a re-run of an interrupted create gets the task the first run started. */
export function givenOrDerived(
  given: pulumi.Input<string> | undefined,
  name: string,
  identity: Record<string, unknown>,
  derive: (stack: string, project: string, name: string, inputs: Record<string, unknown>) => string,
): pulumi.Input<string> {
  return (
    given ??
    pulumi
      .output(identity)
      .apply((resolved) => derive(pulumi.getStack(), pulumi.getProject(), name, resolved))
  );
}

/** givenOrDerived with the token derived from the stack, project, name and identifying inputs. */
export function derivedToken(
  given: pulumi.Input<string> | undefined,
  spec: Spec,
  name: string,
  inputs: Record<string, unknown>,
  maxLength: number,
): pulumi.Input<string> {
  const type = `${spec.service}:${spec.className}`;
  return givenOrDerived(given, name, inputs, (stack, project, resource, resolved) =>
    deriveToken({ stack, project, type, name: resource, inputs: resolved }, { maxLength }),
  );
}
