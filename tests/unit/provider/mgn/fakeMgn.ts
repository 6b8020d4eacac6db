/**
 * A scripted MGN on the shared task store: each import walks its status list one step per
 * ListImports call (the last sticks); `quota` imports may be in progress at once; `failures` makes
 * the next calls of an operation throw. Calls go through the provider's `call` wrapper, as the
 * real api's do.
 */
import type { AwsCaller } from "../../../../provider/core/task/spec";
import type {
  ImportErrors,
  Inventory,
  MgnApi,
  MgnImport,
  MgnImportError,
  S3BucketSource,
  StartOutcome,
} from "../../../../provider/mgn/api";
import { ScriptedTasks } from "../../../support/scriptedTasks";

export const mgnIdFor = (n: number): string => `import-${String(n).padStart(17, "0")}`;

export type Call =
  | { op: "start"; clientToken: string; tags?: Record<string, string> }
  | { op: "list"; ids: string[] }
  | { op: "errors"; id: string }
  | { op: "inventory" }
  | { op: "delete"; kind: "server" | "application" | "wave"; id: string };

type Op = "start" | "list" | "errors" | "delete";

export class FakeMgn {
  readonly calls: Call[] = [];
  readonly store = new ScriptedTasks<string, Omit<MgnImport, "status">, Op>({
    idFor: mgnIdFor,
    script: () => ["PENDING", "SUCCEEDED"],
  });
  readonly imports = this.store.tasks;
  readonly scripts = this.store.scripts;
  readonly failures = this.store.failures;
  readonly errors = new Map<string, MgnImportError[]>();
  inventory: Inventory = { servers: [], applications: [], waves: [] };
  quota = Number.POSITIVE_INFINITY;
  /** Most imports ever in progress at once. */
  maxRunning = 0;

  add(id: string, statuses: string[], extra: Partial<MgnImport> = {}): void {
    this.store.add(id, statuses, { importID: id, ...extra });
  }

  private view(id: string, status = this.store.current(id)!): MgnImport {
    return { ...this.imports.get(id)!.data, status };
  }

  running(): number {
    return [...this.imports.keys()].filter(
      (id) => !["SUCCEEDED", "FAILED"].includes(this.view(id).status),
    ).length;
  }

  api(call: AwsCaller): MgnApi {
    return {
      startImport: (input: {
        s3BucketSource: S3BucketSource;
        clientToken: string;
        tags?: Record<string, string>;
      }) =>
        call("StartImport", () => {
          this.calls.push({
            op: "start",
            clientToken: input.clientToken,
            ...(input.tags ? { tags: input.tags } : {}),
          });
          this.store.fail("start");
          const known = this.store.tokens.get(input.clientToken);
          if (known === undefined && this.running() >= this.quota) {
            return Promise.resolve<StartOutcome>({
              quotaExceeded: { message: "limit of imports in progress", quotaValue: this.quota },
            });
          }
          try {
            const { id } = this.store.start(input.clientToken, (n) => ({
              importID: mgnIdFor(n),
              s3BucketSource: input.s3BucketSource,
              creationDateTime: "2026-01-01T00:00:00.000Z",
            }));
            return Promise.resolve<StartOutcome>({ started: this.view(id) });
          } finally {
            this.maxRunning = Math.max(this.maxRunning, this.running());
          }
        }),
      listImports: (ids) =>
        call("ListImports", () => {
          this.calls.push({ op: "list", ids: [...ids] });
          this.store.fail("list");
          const out = new Map<string, MgnImport>();
          for (const [id, status] of this.store.describeAll(ids))
            out.set(id, this.view(id, status));
          return Promise.resolve(out);
        }),
      listImportErrors: (id, keep) =>
        call("ListImportErrors", () => {
          this.calls.push({ op: "errors", id });
          this.store.fail("errors");
          const all = this.errors.get(id) ?? [];
          return Promise.resolve<ImportErrors>({ items: all.slice(0, keep), total: all.length });
        }),
      listInventory: () =>
        call("DescribeSourceServers", () => {
          this.calls.push({ op: "inventory" });
          return Promise.resolve(structuredClone(this.inventory));
        }),
      deleteSourceServer: (id) => this.remove("server", id, call),
      deleteApplication: (id) => this.remove("application", id, call),
      deleteWave: (id) => this.remove("wave", id, call),
    };
  }

  private remove(
    kind: "server" | "application" | "wave",
    id: string,
    call: AwsCaller,
  ): Promise<void> {
    return call(`Delete ${kind}`, () => {
      this.calls.push({ op: "delete", kind, id });
      this.store.fail("delete");
      return Promise.resolve();
    });
  }
}
