import type * as pulumi from "@pulumi/pulumi";

/** The inputs every import of a file in S3 takes beside its own (README: "Re-importing a changed file"). */
export interface SourceArgs {
  /**
   * The source object's ETag, e.g. `aws.s3.BucketObjectv2`'s `etag`: 1–1024 printable ASCII
   * characters (quotes allowed). Not sent to AWS; a change replaces the resource, and the new
   * resource's start token is chained with it, so exactly one new import starts even though the
   * bucket and key are the same. For several disks, join their ETags (e.g. with `,`) in disk order.
   * @default none: a changed file at the same key is not noticed.
   */
  sourceEtag?: pulumi.Input<string>;
}
