/** The one class every resource is: a `pulumi.dynamic.Resource` registered from its spec. */
import * as pulumi from "@pulumi/pulumi";
import { registration } from "./register";

export { givenOrDerived } from "./register";

/** `new X(name, args, opts)`; each output a read-only `pulumi.Output` (of `T | undefined` if optional). */
export type ResourceClass<A, O> = new (
  name: string,
  args: A,
  opts?: pulumi.CustomResourceOptions,
) => pulumi.dynamic.Resource & { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

/**
 * The class of the resource `spec` describes. `props` turns the program's args into the props it
 * registers (derived tokens, inputs kept secret); `slots` are the inputs also read back as outputs.
 */
export function resourceClass<A extends object, O>(
  spec: Parameters<typeof registration>[0],
  props: (name: string, args: A) => object = (_name, args) => args,
  slots: readonly string[] = [],
): ResourceClass<A, O> {
  class TaskResource extends pulumi.dynamic.Resource {
    constructor(name: string, args: A, opts?: pulumi.CustomResourceOptions) {
      super(...registration(spec, name, { ...props(name, args) }, opts, slots));
    }
  }
  // Stack traces and `constructor.name` say `ImportTask`, as the hand-written classes did.
  Object.defineProperty(TaskResource, "name", { value: spec.className });
  // Pulumi sets the outputs at registration (a slot each, register.ts): the type can only claim them.
  return TaskResource as unknown as ResourceClass<A, O>;
}
