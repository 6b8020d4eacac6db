import { strict as assert } from "node:assert";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Agent } from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";

describe("emulator S3", () => {
  const ctx = useEmulator();
  const client = (): S3Client =>
    new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });

  it("creates a bucket, stores, reads, lists and deletes objects", async () => {
    const s3 = client();
    await s3.send(new CreateBucketCommand({ Bucket: "imports" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "imports",
        Key: "wave 1/servers.csv",
        Body: "a,b\n1,2\n",
        ContentType: "text/csv",
      }),
    );
    await s3.send(
      new PutObjectCommand({ Bucket: "imports", Key: "disk.vmdk", Body: Buffer.alloc(1024, 7) }),
    );
    const got = await s3.send(
      new GetObjectCommand({ Bucket: "imports", Key: "wave 1/servers.csv" }),
    );
    assert.equal(await got.Body!.transformToString(), "a,b\n1,2\n");
    assert.equal(got.ContentType, "text/csv");
    const head = await s3.send(new HeadObjectCommand({ Bucket: "imports", Key: "disk.vmdk" }));
    assert.equal(head.ContentLength, 1024);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: "imports" }));
    assert.deepEqual(
      listed.Contents?.map((c) => [c.Key, c.Size]),
      [
        ["disk.vmdk", 1024],
        ["wave 1/servers.csv", 8],
      ],
    );
    const page = await s3.send(new ListObjectsV2Command({ Bucket: "imports", MaxKeys: 1 }));
    assert.equal(page.IsTruncated, true);
    const next = await s3.send(
      new ListObjectsV2Command({
        Bucket: "imports",
        MaxKeys: 1,
        ContinuationToken: page.NextContinuationToken,
      }),
    );
    assert.deepEqual(
      next.Contents?.map((c) => c.Key),
      ["wave 1/servers.csv"],
    );
    await s3.send(new DeleteObjectCommand({ Bucket: "imports", Key: "disk.vmdk" }));
    assert.equal(
      (await errorOf(s3.send(new HeadObjectCommand({ Bucket: "imports", Key: "disk.vmdk" })))).name,
      "NotFound",
    );
  });

  it("answers NoSuchBucket and NoSuchKey the way S3 does", async () => {
    const s3 = client();
    assert.deepEqual(
      await errorOf(s3.send(new GetObjectCommand({ Bucket: "missing", Key: "x.csv" }))),
      {
        name: "NoSuchBucket",
        message: "The specified bucket does not exist",
        status: 404,
      },
    );
    await s3.send(new CreateBucketCommand({ Bucket: "imports" }));
    assert.deepEqual(
      await errorOf(s3.send(new GetObjectCommand({ Bucket: "imports", Key: "x.csv" }))),
      {
        name: "NoSuchKey",
        message: "The specified key does not exist.",
        status: 404,
      },
    );
    assert.equal(
      (await errorOf(s3.send(new CreateBucketCommand({ Bucket: "imports" })))).name,
      "BucketAlreadyOwnedByYou",
    );
    assert.equal(
      (await errorOf(s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).name,
      "InvalidBucketName",
    );
  });

  it("refuses a wrong secret key with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId", async () => {
    const cfg = clientConfig(ctx.emulator);
    const wrongSecret = new S3Client({
      ...cfg,
      forcePathStyle: true,
      credentials: { accessKeyId: "test", secretAccessKey: "nope" },
    });
    assert.equal(
      (await errorOf(wrongSecret.send(new CreateBucketCommand({ Bucket: "b1" })))).name,
      "SignatureDoesNotMatch",
    );
    const unknown = new S3Client({
      ...cfg,
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" },
    });
    assert.equal(
      (await errorOf(unknown.send(new CreateBucketCommand({ Bucket: "b1" })))).name,
      "InvalidAccessKeyId",
    );
  });

  it("answers virtual-hosted requests (bucket.localhost) like path-style ones", async () => {
    // The SDK addresses http://imports.localhost:PORT/...; this agent resolves every name to loopback.
    const agent = new Agent({
      lookup: (_host, _opts, cb) => cb(null, [{ address: "127.0.0.1", family: 4 }]),
    });
    const port = new URL(ctx.emulator.url).port;
    const vhost = new S3Client({
      ...clientConfig(ctx.emulator),
      endpoint: `http://localhost:${port}`,
      forcePathStyle: false,
      requestHandler: new NodeHttpHandler({ httpAgent: agent }),
    });
    await vhost.send(new CreateBucketCommand({ Bucket: "imports" }));
    await vhost.send(
      new PutObjectCommand({
        Bucket: "imports",
        Key: "wave-1/servers.csv",
        Body: "HostName\nweb-1\n",
      }),
    );
    const got = await client().send(
      new GetObjectCommand({ Bucket: "imports", Key: "wave-1/servers.csv" }),
    );
    assert.equal(await got.Body!.transformToString(), "HostName\nweb-1\n");
    const listed = await vhost.send(new ListObjectsV2Command({ Bucket: "imports" }));
    assert.deepEqual(
      listed.Contents?.map((c) => c.Key),
      ["wave-1/servers.csv"],
    );
    await vhost.send(new DeleteObjectCommand({ Bucket: "imports", Key: "wave-1/servers.csv" }));
    assert.equal(
      (
        await errorOf(
          vhost.send(new HeadObjectCommand({ Bucket: "imports", Key: "wave-1/servers.csv" })),
        )
      ).name,
      "NotFound",
    );
    assert.equal(
      (await errorOf(vhost.send(new GetObjectCommand({ Bucket: "missing", Key: "x" })))).name,
      "NoSuchBucket",
    );
    agent.destroy();
  });
});
