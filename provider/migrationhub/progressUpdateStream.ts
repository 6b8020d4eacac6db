import type * as pulumi from "@pulumi/pulumi";
import { resourceClass } from "../core/resourceClass";
import { progressUpdateStreamSpec as spec } from "./progressUpdateStreamSpec";
import type { TargetArgs } from "../core/task/targetArgs";

/** Arguments of {@link ProgressUpdateStream}. */
export interface ProgressUpdateStreamArgs extends TargetArgs {
  /**
   * Name of the progress update stream, usually the migration tool's name; also the resource ID.
   * 1–50 characters, pattern `[^/:|\000-\037]+`. Scoped to the account. A change replaces the stream.
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_CreateProgressUpdateStream.html
   */
  progressUpdateStreamName: pulumi.Input<string>;
  /**
   * Keep the stream (and every migration task in it) in Migration Hub when this resource is deleted.
   * Updates in place.
   * @default false
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_DeleteProgressUpdateStream.html
   */
  retainOnDelete?: pulumi.Input<boolean>;
  /**
   * Minutes to wait on delete until the stream is no longer listed (deletion is asynchronous and
   * removes all its tasks). 1–1440; not allowed with `retainOnDelete: true`. Updates in place.
   * @default 30
   * @see https://docs.aws.amazon.com/migrationhub/latest/ug/API_ListProgressUpdateStreams.html
   */
  deleteTimeoutMinutes?: pulumi.Input<number>;
}

/** Outputs of {@link ProgressUpdateStream}: its inputs read back. */
export interface ProgressUpdateStreamOutputs extends Required<
  Pick<pulumi.Unwrap<ProgressUpdateStreamArgs>, "progressUpdateStreamName" | "retainOnDelete">
> {
  deleteTimeoutMinutes?: number;
}

/**
 * A Migration Hub progress update stream: the namespace and access scope in which a migration tool
 * registers its migration tasks. Works only in the account's Migration Hub home region.
 *
 * Create adopts a stream that already exists under the name (with a warning). Delete calls
 * DeleteProgressUpdateStream — which removes every migration task in the stream — and waits until
 * the stream is gone, unless `retainOnDelete` is set.
 */
export const ProgressUpdateStream = resourceClass<
  ProgressUpdateStreamArgs,
  ProgressUpdateStreamOutputs
>(spec, undefined, ["retainOnDelete", "deleteTimeoutMinutes"]);
export type ProgressUpdateStream = InstanceType<typeof ProgressUpdateStream>;
