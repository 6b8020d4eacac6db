/**
 * What a resource class reads from its spec, without importing `@pulumi/pulumi` here: the shim's
 * implementation path, the output slots to declare and the secret outputs.
 */

interface Described {
  readonly service: string;
  readonly className: string;
  readonly outputs?: readonly string[];
  readonly secretOutputs?: readonly string[];
}

/**
 * `ads/importTaskProvider`: the module under the package's "./internal/*" export that the shim
 * requires. Frozen like the type token: every existing stack's state names it.
 */
export function shimPath(spec: Described): string {
  return `${spec.service}/${spec.className.charAt(0).toLowerCase()}${spec.className.slice(1)}Provider`;
}

/** Every output as `undefined`: Pulumi shows only the outputs a resource registers. */
export function outputSlots(spec: Described): Record<string, undefined> {
  return Object.fromEntries((spec.outputs ?? []).map((key) => [key, undefined]));
}

/** The spec's secret outputs plus the caller's `additionalSecretOutputs`. */
export function secretOutputs(spec: Described, extra: readonly string[] = []): string[] {
  return [...(spec.secretOutputs ?? []), ...extra];
}
