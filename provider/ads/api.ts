/**
 * The only network I/O of the ADS resources. One client per provider instance, built from
 * `clientConfig(settings, "ads")` (maxAttempts 1: callAws in the provider does all retrying). The
 * client module is required inside the factory so nothing network-bound loads with the resource
 * class, and swapping in `@aws-sdk/client-application-discovery-service` touches one import.
 */
import { clientConfig, type ProviderSettings } from "../core/config";
import { AwsApiError } from "../core/errors";
import { paginate } from "../core/task/helpers";
import type * as AdsClient from "./client";

/** ImportTask members by wire type that the outputs carry; client.ts adds the echoed inputs. */
export const TASK_MEMBERS = {
  strings: ["importTaskId", "status", "fileClassification", "errorsAndFailedEntriesZip"],
  counts: [
    "serverImportSuccess",
    "serverImportFailure",
    "applicationImportSuccess",
    "applicationImportFailure",
  ],
  times: ["importRequestTime", "importCompletionTime", "importDeletedTime"],
} as const;

/** The task as this package sees it: the client's ImportTask, with an ID and a status. */
export type AdsTask = AdsClient.ImportTask & { importTaskId: string; status: string };

/** Outcome of one ID in BatchDeleteImportData (a partial-failure API: HTTP 200 can carry errors). */
export type DeleteOutcome =
  { accepted: true } | { accepted: false; errorCode: string; errorDescription?: string };

export type AdsApi = ReturnType<typeof createAdsApi>;

/** A task with an ID and a status (the client keeps only well-typed members); else dropped. */
const isAdsTask = (t: AdsClient.ImportTask | undefined): t is AdsTask =>
  t?.importTaskId !== undefined && t.status !== undefined;

export function createAdsApi(settings: ProviderSettings) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("./client") as typeof AdsClient;
  const client = new sdk.ApplicationDiscoveryServiceClient(clientConfig(settings, "ads"));
  return {
    /** StartImportTask; with a token already used for the same inputs ADS returns the original task. */
    async startImportTask(
      input: Required<AdsClient.StartImportTaskCommandInput>,
    ): Promise<AdsTask> {
      const { task } = await client.send(new sdk.StartImportTaskCommand(input));
      if (isAdsTask(task)) return task;
      // Not retryable: the same call would get the same answer.
      throw new AwsApiError({
        service: "ads",
        operation: "StartImportTask",
        code: "MalformedResponse",
        message: "the response has no task",
        retryable: false,
        throttling: false,
      });
    },
    /** DescribeImportTasks filtered by IMPORT_TASK_ID (at most 100 IDs, the filter's documented maximum). */
    async describeImportTasks(ids: readonly string[]): Promise<ReadonlyMap<string, AdsTask>> {
      const found = new Map<string, AdsTask>();
      if (ids.length === 0) return found;
      const filters = [{ name: "IMPORT_TASK_ID" as const, values: [...ids] }];
      // JSON drops an undefined nextToken, so the first page sends none.
      const page = async (nextToken: string | undefined) => {
        const input = { filters, maxResults: 100, nextToken };
        const out = await client.send(new sdk.DescribeImportTasksCommand(input));
        return { items: out.tasks, nextToken: out.nextToken };
      };
      await paginate(page, (task) => {
        if (isAdsTask(task) && ids.includes(task.importTaskId)) found.set(task.importTaskId, task);
      });
      return found;
    },
    /** BatchDeleteImportData for at most 10 IDs; every ID gets an outcome. */
    async batchDeleteImportData(
      ids: readonly string[],
      deleteHistory: boolean,
    ): Promise<ReadonlyMap<string, DeleteOutcome>> {
      const out = await client.send(
        new sdk.BatchDeleteImportDataCommand({ importTaskIds: [...ids], deleteHistory }),
      );
      const outcomes = new Map<string, DeleteOutcome>(ids.map((id) => [id, { accepted: true }]));
      for (const e of out.errors ?? []) {
        if (e.importTaskId === undefined) continue;
        outcomes.set(e.importTaskId, {
          accepted: false,
          errorCode: e.errorCode ?? "UNKNOWN",
          ...(e.errorDescription === undefined ? {} : { errorDescription: e.errorDescription }),
        });
      }
      return outcomes;
    },
  };
}
