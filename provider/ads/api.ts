/**
 * The only network I/O of the ADS resources. One client per provider instance, built from
 * `clientConfig(settings, "ads")` (maxAttempts 1: callAws in the provider does all retrying). The
 * client module is required inside the factory so nothing network-bound loads with the resource
 * class, and swapping in `@aws-sdk/client-application-discovery-service` touches one import.
 */
import { clientConfig, type ProviderSettings } from "../core/config";
import { AwsApiError } from "../core/errors";
import type * as AdsClient from "./client";

/** The task as this package sees it: the client's ImportTask, with an ID and a status. */
export type AdsTask = Omit<AdsClient.ImportTask, "importTaskId" | "status"> & {
  importTaskId: string;
  status: string;
};

/** Outcome of one ID in BatchDeleteImportData (a partial-failure API: HTTP 200 can carry errors). */
export type DeleteOutcome =
  { accepted: true } | { accepted: false; errorCode: string; errorDescription?: string };

export interface AdsApi {
  /** StartImportTask; with a token already used for the same inputs ADS returns the original task. */
  startImportTask(input: {
    name: string;
    importUrl: string;
    clientRequestToken: string;
  }): Promise<AdsTask>;
  /** DescribeImportTasks filtered by IMPORT_TASK_ID (at most 100 IDs, the filter's documented maximum). */
  describeImportTasks(ids: readonly string[]): Promise<ReadonlyMap<string, AdsTask>>;
  /** BatchDeleteImportData for at most 10 IDs; every ID gets an outcome. */
  batchDeleteImportData(
    ids: readonly string[],
    deleteHistory: boolean,
  ): Promise<ReadonlyMap<string, DeleteOutcome>>;
}

/**
 * A wire task with an ID and a status; anything else is dropped (ADS always sends both). Fields are
 * copied only when they have the documented type, so a `null` never reaches the outputs.
 */
export function toAdsTask(t: AdsClient.ImportTask): AdsTask | undefined {
  if (typeof t.importTaskId !== "string" || typeof t.status !== "string") return undefined;
  const task: AdsTask = { importTaskId: t.importTaskId, status: t.status };
  for (const key of [
    "clientRequestToken",
    "name",
    "importUrl",
    "fileClassification",
    "errorsAndFailedEntriesZip",
  ] as const) {
    const v = t[key];
    if (typeof v === "string") task[key] = v;
  }
  for (const key of ["importRequestTime", "importCompletionTime", "importDeletedTime"] as const) {
    const v = t[key];
    if (v instanceof Date && !Number.isNaN(v.getTime())) task[key] = v;
  }
  for (const key of [
    "serverImportSuccess",
    "serverImportFailure",
    "applicationImportSuccess",
    "applicationImportFailure",
  ] as const) {
    const v = t[key];
    if (typeof v === "number" && Number.isFinite(v)) task[key] = v;
  }
  return task;
}

/** A 200 response that lacks what the API promises; not retryable (the same call would repeat it). */
function malformed(operation: string, what: string): AwsApiError {
  return new AwsApiError({
    service: "ads",
    operation,
    code: "MalformedResponse",
    message: `the response has no ${what}`,
    retryable: false,
    throttling: false,
  });
}

export function createAdsApi(settings: ProviderSettings): AdsApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("./client") as typeof AdsClient;
  const client = new sdk.ApplicationDiscoveryServiceClient(clientConfig(settings, "ads"));
  return {
    async startImportTask(input) {
      const out = await client.send(new sdk.StartImportTaskCommand(input));
      const task = out.task === undefined ? undefined : toAdsTask(out.task);
      if (task === undefined) throw malformed("StartImportTask", "task");
      return task;
    },
    async describeImportTasks(ids) {
      const found = new Map<string, AdsTask>();
      if (ids.length === 0) return found;
      let nextToken: string | undefined;
      // A page holds at most maxResults (100) tasks; follow nextToken so no asked-for ID is missed.
      do {
        const out = await client.send(
          new sdk.DescribeImportTasksCommand({
            filters: [{ name: "IMPORT_TASK_ID", values: [...ids] }],
            maxResults: 100,
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
        for (const raw of out.tasks ?? []) {
          const task = toAdsTask(raw);
          if (task !== undefined && ids.includes(task.importTaskId))
            found.set(task.importTaskId, task);
        }
        nextToken = out.nextToken;
      } while (nextToken !== undefined && nextToken !== "");
      return found;
    },
    async batchDeleteImportData(ids, deleteHistory) {
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
