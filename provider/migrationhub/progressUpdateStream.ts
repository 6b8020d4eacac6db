import * as pulumi from "@pulumi/pulumi";
import { registration } from "../core/register";
import { progressUpdateStreamSpec as spec } from "./progressUpdateStreamSpec";

/** Arguments of {@link ProgressUpdateStream}. */
export interface ProgressUpdateStreamArgs {
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

/**
 * A Migration Hub progress update stream: the namespace and access scope in which a migration tool
 * registers its migration tasks. Works only in the account's Migration Hub home region.
 *
 * Create adopts a stream that already exists under the name (with a warning). Delete calls
 * DeleteProgressUpdateStream — which removes every migration task in the stream — and waits until
 * the stream is gone, unless `retainOnDelete` is set.
 */
export class ProgressUpdateStream extends pulumi.dynamic.Resource {
  declare readonly progressUpdateStreamName: pulumi.Output<string>;
  declare readonly retainOnDelete: pulumi.Output<boolean>;
  declare readonly deleteTimeoutMinutes: pulumi.Output<number | undefined>;

  constructor(name: string, args: ProgressUpdateStreamArgs, opts?: pulumi.CustomResourceOptions) {
    const slots = ["retainOnDelete", "deleteTimeoutMinutes"];
    super(...registration(spec, name, { ...args }, opts, slots));
  }
}
