import * as pulumi from "@pulumi/pulumi";

export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/**
 * Runs `program` under pulumi.runtime.setMocks and returns what each resource registered — for
 * dynamic resources that includes the serialized `__provider` text the engine would store.
 */
export async function registrations(
  program: () => void,
  project = "migration",
  stack = "test",
): Promise<Registered[]> {
  const seen: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): {
        id: string;
        state: Record<string, unknown>;
      } {
        seen.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
        });
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call(): Record<string, unknown> {
        return {};
      },
    },
    project,
    stack,
    false,
  );
  program();
  // Serialization of dynamic providers is asynchronous: wait until registrations settle.
  for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  return seen;
}
