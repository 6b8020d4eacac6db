/**
 * Inputs the lifecycle core reads by name (spec.ts), shared by the start-and-wait resources: each
 * resource's Args extends them; its class TSDoc names its default wait.
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
   * @default false: delete cancels a running task, else deletes what it made. Updates in place.
   */
  retainOnDelete?: Input<boolean>;
}
