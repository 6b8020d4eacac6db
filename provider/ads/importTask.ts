import type * as pulumi from "@pulumi/pulumi";
import { derivedToken } from "../core/register";
import { resourceClass } from "../core/resourceClass";
import type { RetainingWaitArgs, RowErrorArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type { ImportTask as AdsImportTask } from "./client";
import { importTask as spec } from "./importTaskSpec";
import type { TargetArgs } from "../core/task/targetArgs";

/**
 * Inputs of {@link ImportTask}.
 * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_StartImportTask.html
 */
export interface ImportTaskArgs extends RetainingWaitArgs, RowErrorArgs, SourceArgs, TargetArgs {
  /**
   * A descriptive name for the import; 1–255 characters with at least one non-whitespace one.
   * Required unless `adoptImportTaskId` is set. A change replaces the resource.
   * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_StartImportTask.html
   */
  name?: pulumi.Input<string>;
  /**
   * The CSV file in S3: `s3://BucketName/ImportFileName.CSV` or the object URL (https); 1–4000
   * characters, no presigned/credential-bearing URLs. Required unless `adoptImportTaskId` is set.
   * A change replaces the resource.
   */
  importUrl?: pulumi.Input<string>;
  /**
   * StartImportTask idempotency token, 1–100 characters. Resending it returns the original task.
   * @default derived from the stack, project, resource name, `name` and `importUrl`, so a re-run of
   * an interrupted create adopts the task the first run started. A change updates in place.
   */
  clientRequestToken?: pulumi.Input<string>;
  /**
   * Manage an existing import task instead of starting one: `import-task-` + 32 hex digits (the
   * stand-in for `pulumi import`, which dynamic resources lack). A change replaces the resource.
   * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_DescribeImportTasks.html
   */
  adoptImportTaskId?: pulumi.Input<string>;
  /**
   * On delete, also remove the task from DescribeImportTasks history (`deleteHistory`); not allowed
   * with `retainOnDelete: true`.
   * @default false. A change updates in place.
   * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_BatchDeleteImportData.html
   */
  deleteHistoryOnDelete?: pulumi.Input<boolean>;
}

/** Outputs of {@link ImportTask}, besides its inputs; the row counts are as ADS reports them. */
export interface ImportTaskOutputs extends Pick<
  AdsImportTask,
  | "serverImportSuccess"
  | "serverImportFailure"
  | "applicationImportSuccess"
  | "applicationImportFailure"
> {
  /** `import-task-` + 32 hex digits. */
  importTaskId: string;
  /** The ImportStatus last observed, e.g. IMPORT_COMPLETE. */
  status: string;
  /** ISO 8601. */
  importRequestTime: string;
  /** ISO 8601; absent until the import ends. */
  importCompletionTime?: string;
  /** ISO 8601; absent unless the import data was deleted. */
  importDeletedTime?: string;
  /** MODELIZEIT_EXPORT | RVTOOLS_EXPORT | VMWARE_NSX_EXPORT | IMPORT_TEMPLATE, when ADS reports it. */
  fileClassification?: string;
  /** Presigned S3 URL of the ZIP of rejected rows and errors: a secret output; it expires. */
  errorsAndFailedEntriesZip?: string;
}

/**
 * An AWS Application Discovery Service (Migration Hub) import: StartImportTask, then wait for a
 * terminal status through a shared, batched DescribeImportTasks poller. Delete, unless
 * `retainOnDelete`, runs BatchDeleteImportData and waits for DELETE_COMPLETE: it also deletes the
 * data the records contributed to matched servers, and ADS allows 25,000 record deletions a day
 * (https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_BatchDeleteImportData.html).
 * Waits up to 120 minutes by default (`waitTimeoutMinutes`). Type token
 * `pulumi-nodejs:dynamic/ads:ImportTask`.
 */
export const ImportTask = resourceClass<ImportTaskArgs, ImportTaskOutputs>(spec, (name, args) => {
  const identity = { name: args.name, importUrl: args.importUrl };
  const clientRequestToken = derivedToken(args.clientRequestToken, spec, name, identity, 100);
  return { ...args, clientRequestToken };
});
export type ImportTask = InstanceType<typeof ImportTask>;
