import * as pulumi from "@pulumi/pulumi";
import { derivedToken, registration } from "../core/register";
import type { WaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import { importTask as spec } from "./importTaskSpec";

/**
 * Inputs of {@link ImportTask}.
 * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_StartImportTask.html
 */
export interface ImportTaskArgs extends WaitArgs, SourceArgs {
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
   * Treat `IMPORT_COMPLETE_WITH_ERRORS` (some rows rejected) as a failure.
   * @default false: it succeeds with a warning naming the counts. A change updates in place.
   */
  failOnRowErrors?: pulumi.Input<boolean>;
  /**
   * Leave the import and its data in ADS on delete.
   * @default false: delete runs BatchDeleteImportData and waits for DELETE_COMPLETE (it also deletes
   * the data the records contributed to matched servers; ADS allows 25,000 record deletions a day).
   * A change updates in place.
   * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_BatchDeleteImportData.html
   */
  retainOnDelete?: pulumi.Input<boolean>;
  /**
   * On delete, also remove the task from DescribeImportTasks history (`deleteHistory`); not allowed
   * with `retainOnDelete: true`.
   * @default false. A change updates in place.
   * @see https://docs.aws.amazon.com/application-discovery/latest/APIReference/API_BatchDeleteImportData.html
   */
  deleteHistoryOnDelete?: pulumi.Input<boolean>;
}

/**
 * An AWS Application Discovery Service (Migration Hub) import: StartImportTask, then wait for a
 * terminal status through a shared, batched DescribeImportTasks poller; BatchDeleteImportData on
 * delete unless `retainOnDelete`. Waits up to 120 minutes by default (`waitTimeoutMinutes`).
 * Type token `pulumi-nodejs:dynamic/ads:ImportTask`.
 */
export class ImportTask extends pulumi.dynamic.Resource {
  /** `import-task-` + 32 hex digits. */
  declare readonly importTaskId: pulumi.Output<string>;
  /** The ImportStatus last observed, e.g. IMPORT_COMPLETE. */
  declare readonly status: pulumi.Output<string>;
  /** ISO 8601. */
  declare readonly importRequestTime: pulumi.Output<string>;
  /** ISO 8601; absent until the import ends. */
  declare readonly importCompletionTime: pulumi.Output<string | undefined>;
  /** ISO 8601; absent unless the import data was deleted. */
  declare readonly importDeletedTime: pulumi.Output<string | undefined>;
  /** MODELIZEIT_EXPORT | RVTOOLS_EXPORT | VMWARE_NSX_EXPORT | IMPORT_TEMPLATE, when ADS reports it. */
  declare readonly fileClassification: pulumi.Output<string | undefined>;
  declare readonly serverImportSuccess: pulumi.Output<number | undefined>;
  declare readonly serverImportFailure: pulumi.Output<number | undefined>;
  declare readonly applicationImportSuccess: pulumi.Output<number | undefined>;
  declare readonly applicationImportFailure: pulumi.Output<number | undefined>;
  /** Presigned S3 URL of the ZIP of rejected rows and errors: a secret output; it expires. */
  declare readonly errorsAndFailedEntriesZip: pulumi.Output<string | undefined>;

  constructor(name: string, args: ImportTaskArgs, opts?: pulumi.CustomResourceOptions) {
    const identity = { name: args.name, importUrl: args.importUrl };
    const clientRequestToken = derivedToken(args.clientRequestToken, spec, name, identity, 100);
    super(...registration(spec, name, { ...args, clientRequestToken }, opts));
  }
}
