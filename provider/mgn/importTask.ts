import type * as pulumi from "@pulumi/pulumi";
import { derivedToken } from "../core/register";
import { resourceClass } from "../core/resourceClass";
import type { RowErrorArgs, WaitArgs } from "../core/task/args";
import type { SourceArgs } from "../core/task/sourceArgs";
import type { TargetArgs } from "../core/task/targetArgs";
import type { MgnImportError } from "./api";
import { importTaskSpec as spec, TOKEN_MAX_LENGTH } from "./importTaskSpec";

/** Where the import CSV is (StartImport's `s3BucketSource`). */
export interface S3BucketSourceArgs {
  /** Bucket name (not a URL): `[a-zA-Z0-9.-_]{1,255}`. */
  s3Bucket: pulumi.Input<string>;
  /** Object key; must end in `.csv` (`[^\x00]{1,1020}\.csv`). */
  s3Key: pulumi.Input<string>;
  /**
   * The bucket owner's 12-digit account ID, for a bucket in another account (it must grant
   * `s3:GetObject` to the caller). @default the caller's account.
   */
  s3BucketOwner?: pulumi.Input<string>;
}

/** What `deleteInventoryOnDelete` removes: inventory found by tag or MGN's alternate keys. */
export interface InventorySelectorArgs {
  /** Source servers, applications and waves whose tag `key` equals `value` (the CSV's `mgn:*:tag:<key>` columns). */
  tag?: pulumi.Input<{ key: pulumi.Input<string>; value: pulumi.Input<string> }>;
  /** Source servers by `mgn:server:user-provided-id`. */
  userProvidedIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Applications by `mgn:app:name`. */
  applicationNames?: pulumi.Input<pulumi.Input<string>[]>;
  /** Waves by `mgn:wave:name`. */
  waveNames?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Inputs of {@link ImportTask}. */
export interface ImportTaskArgs extends WaitArgs, RowErrorArgs, SourceArgs, TargetArgs {
  /**
   * The inventory CSV in S3 (columns are the `mgn:*` import parameters). Required unless
   * `adoptImportId` is set. A change replaces the resource (a new import runs).
   * @see https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
   */
  s3BucketSource?: pulumi.Input<S3BucketSourceArgs>;
  /**
   * StartImport idempotency token, 1–64 printable characters. Resending it returns the original
   * import. @default derived from the stack, project, resource name, `s3BucketSource` and `tags`,
   * so a re-run of an interrupted create adopts the import the first run started. A change
   * updates in place.
   * @see https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
   */
  clientToken?: pulumi.Input<string>;
  /**
   * Tags of the import task: at most 50; keys 1–256 characters (not `aws:`), values 0–256. MGN
   * marks them sensitive, so the `tags` output is secret. A change replaces the resource (only
   * StartImport sets them). @default none.
   * @see https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
   */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Manage an existing import instead of starting one: `import-` + 17 letters or digits (the
   * stand-in for `pulumi import`, which dynamic resources lack). A change replaces the resource.
   * @see https://docs.aws.amazon.com/mgn/latest/APIReference/API_ListImports.html
   */
  adoptImportId?: pulumi.Input<string>;
  /**
   * MGN has no API to delete or undo an import. By default delete leaves the import and the
   * inventory it created. With this set, delete removes the source servers, applications and
   * waves it selects (DeleteSourceServer, DeleteApplication, DeleteWave; in that order), keeping
   * any application or wave that still holds inventory it does not select.
   * @default undefined (retain). A change updates in place.
   * @see https://docs.aws.amazon.com/mgn/latest/APIReference/API_DeleteSourceServer.html
   */
  deleteInventoryOnDelete?: pulumi.Input<InventorySelectorArgs>;
}

/** Counts of one inventory kind in an import summary (created / modified). */
export type ImportCounts = { createdCount: number; modifiedCount: number };

/** One row error from ListImportErrors (errorData flattened), with a readable `message`. */
export type ImportError = MgnImportError & { message: string };

/** Outputs of {@link ImportTask}: its inputs read back (undefined when not given), and the import's fields. */
export interface ImportTaskOutputs extends Pick<
  pulumi.Unwrap<ImportTaskArgs>,
  | "s3BucketSource"
  | "adoptImportId"
  | "waitForCompletion"
  | "waitTimeoutMinutes"
  | "failOnRowErrors"
  | "deleteInventoryOnDelete"
> {
  clientToken: string;
  /** `import-` + 17 letters or digits. */
  importId: string;
  /** `arn:<partition>:mgn:<region>:<account>:import/<importId>`, when MGN reports it. */
  arn?: string;
  /** PENDING | STARTED | FAILED | SUCCEEDED, as last observed. */
  status: string;
  progressPercentage?: number;
  /** ISO 8601. */
  creationDateTime?: string;
  /** ISO 8601; absent until the import ends. */
  endDateTime?: string;
  /** Waves, applications and servers created / modified. */
  summary?: { waves: ImportCounts; applications: ImportCounts; servers: ImportCounts };
  /** The first 20 row errors (ListImportErrors), once the import has ended. */
  importErrors?: ImportError[];
  /** How many row errors the import has in all, once it has ended. */
  importErrorCount?: number;
  /** Tags of the import (sensitive in MGN's model): a secret output. */
  tags?: Record<string, string>;
}

/**
 * An AWS Application Migration Service (MGN) inventory import: StartImport, then wait for
 * SUCCEEDED or FAILED through a shared, batched ListImports poller; row errors from
 * ListImportErrors. Delete retains by default (MGN has no delete API for imports); see
 * `deleteInventoryOnDelete`. Type token `pulumi-nodejs:dynamic/mgn:ImportTask`.
 *
 * MGN must be initialized once per account and region (`aws mgn initialize-service`). The
 * provider does not do it for you: InitializeService creates MGN's IAM service roles, an
 * account-wide change a stack of imports should not make implicitly; until then every call fails
 * with UninitializedAccountException, reported with that command. Starts queue in the provider
 * once MGN reports its imports-in-progress quota full (ServiceQuotaExceededException); the wait,
 * 180 minutes by default (`waitTimeoutMinutes`), includes that queueing.
 */
export const ImportTask = resourceClass<ImportTaskArgs, ImportTaskOutputs>(
  spec,
  (name, args) => {
    const identity = { s3BucketSource: args.s3BucketSource, tags: args.tags };
    const token = derivedToken(args.clientToken, spec, name, identity, TOKEN_MAX_LENGTH);
    return { ...args, clientToken: token };
  },
  // Every input is an output too (unset ones as undefined), so programs can read them back.
  Object.keys(spec.properties),
);
export type ImportTask = InstanceType<typeof ImportTask>;
