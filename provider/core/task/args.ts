/**
 * Inputs shared by the start-and-wait resources, documented once: each resource's Args extends
 * them; its class TSDoc names its default wait and what delete removes. The lifecycle core reads
 * the wait and retain inputs by name (spec.ts).
 */
import type { Input } from "@pulumi/pulumi";

export interface WaitArgs {
  /**
   * Wait until the task reaches a terminal status; `false` starts it and returns.
   * @default true. A change updates in place (and resumes a wait left unfinished).
   */
  waitForCompletion?: Input<boolean>;
  /**
   * How long create/update/delete wait, whole minutes 1–10080; the task keeps running past it and
   * the next `pulumi up` resumes the wait.
   * @default stack config `awsMigration:waitTimeoutMinutes`, else the resource's default wait
   * (its class documentation names it). A change updates in place.
   */
  waitTimeoutMinutes?: Input<number>;
}

export interface RetainingWaitArgs extends WaitArgs {
  /**
   * On delete leave everything in AWS: a running task keeps running, what it made stays.
   * @default false: delete removes what the task made (its class documentation says how).
   * Updates in place.
   */
  retainOnDelete?: Input<boolean>;
}

export interface RowErrorArgs {
  /**
   * Treat an import that ends with rejected rows as a failure: ADS `IMPORT_COMPLETE_WITH_ERRORS`,
   * MGN a SUCCEEDED import with ListImportErrors rows. Judged when a wait sees the import end.
   * @default false: it succeeds with a warning naming the row errors. A change updates in place.
   */
  failOnRowErrors?: Input<boolean>;
}
