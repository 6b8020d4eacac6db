/**
 * A scripted ADS on the shared task store: each task walks its status list one step per describe
 * (the last sticks; "GONE" removes it); `failures` makes the next calls of an operation throw.
 */
import type { AdsApi, AdsTask, DeleteOutcome } from "../../../../provider/ads/api";
import { T0 } from "../../../support/harness";
import { ScriptedTasks } from "../../../support/scriptedTasks";

export type Call =
  | { op: "start"; name: string; importUrl: string; clientRequestToken: string }
  | { op: "describe"; ids: string[] }
  | { op: "delete"; ids: string[]; deleteHistory: boolean };

type Op = "start" | "describe" | "delete";

export const adsIdFor = (n: number): string => `import-task-${String(n).padStart(32, "0")}`;

export class FakeAds implements AdsApi {
  readonly calls: Call[] = [];
  readonly store = new ScriptedTasks<string, Omit<AdsTask, "status">, Op>({
    idFor: adsIdFor,
    script: () => ["IMPORT_IN_PROGRESS", "IMPORT_COMPLETE"],
    gone: (status) => status === "GONE",
  });
  readonly tasks = this.store.tasks;
  readonly scripts = this.store.scripts;
  readonly failures = this.store.failures;
  readonly deleteOutcomes = new Map<string, DeleteOutcome>();

  add(id: string, statuses: string[], extra: Partial<AdsTask> = {}): void {
    this.store.add(id, statuses, { importTaskId: id, ...extra });
  }

  private view(id: string, status = this.store.current(id)!): AdsTask {
    return { ...this.tasks.get(id)!.data, status };
  }

  startImportTask(input: {
    name: string;
    importUrl: string;
    clientRequestToken: string;
  }): Promise<AdsTask> {
    this.calls.push({ op: "start", ...input });
    this.store.fail("start");
    const { id } = this.store.start(input.clientRequestToken, (n) => ({
      importTaskId: adsIdFor(n),
      name: input.name,
      importUrl: input.importUrl,
      clientRequestToken: input.clientRequestToken,
      importRequestTime: new Date(T0),
    }));
    return Promise.resolve(this.view(id));
  }

  describeImportTasks(ids: readonly string[]): Promise<ReadonlyMap<string, AdsTask>> {
    this.calls.push({ op: "describe", ids: [...ids] });
    this.store.fail("describe");
    const out = new Map<string, AdsTask>();
    for (const [id, status] of this.store.describeAll(ids)) out.set(id, this.view(id, status));
    return Promise.resolve(out);
  }

  batchDeleteImportData(
    ids: readonly string[],
    deleteHistory: boolean,
  ): Promise<ReadonlyMap<string, DeleteOutcome>> {
    this.calls.push({ op: "delete", ids: [...ids], deleteHistory });
    this.store.fail("delete");
    const out = new Map<string, DeleteOutcome>();
    for (const id of ids) {
      const scripted = this.deleteOutcomes.get(id);
      if (scripted !== undefined) {
        out.set(id, scripted);
        continue;
      }
      const t = this.tasks.get(id);
      if (t === undefined) {
        out.set(id, { accepted: false, errorCode: "NOT_FOUND", errorDescription: "no such task" });
        continue;
      }
      t.steps = deleteHistory
        ? ["DELETE_IN_PROGRESS", "GONE"]
        : ["DELETE_IN_PROGRESS", "DELETE_COMPLETE"];
      out.set(id, { accepted: true });
    }
    return Promise.resolve(out);
  }
}
