import { strict as assert } from "node:assert";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { Agent } from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { checksum } from "../../emulator/s3/checksums";
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

  describe("what Pulumi's DIY state backend (gocloud.dev s3blob) uses", () => {
    const PRECONDITION = {
      name: "PreconditionFailed",
      message: "At least one of the pre-conditions you specified did not hold",
      status: 412,
    };
    const put = (s3: S3Client, key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: "state", Key: key, Body: body }));

    it("lists one level with a delimiter, rolling deeper keys into CommonPrefixes, across pages", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      for (const key of [
        ".pulumi/meta.yaml",
        ".pulumi/stacks/p/dev.json",
        ".pulumi/stacks/p/dev.json.bak",
        ".pulumi/history/p/dev/dev-1.history.json",
        ".pulumi/locks/organization/p/dev/1b2c.json",
        "outside.txt",
      ])
        await put(s3, key, "{}");
      const level = await s3.send(
        new ListObjectsV2Command({ Bucket: "state", Prefix: ".pulumi/", Delimiter: "/" }),
      );
      assert.deepEqual(
        {
          keys: level.Contents?.map((c) => c.Key),
          prefixes: level.CommonPrefixes?.map((c) => c.Prefix),
          count: level.KeyCount,
          truncated: level.IsTruncated,
          delimiter: level.Delimiter,
        },
        {
          keys: [".pulumi/meta.yaml"],
          prefixes: [".pulumi/history/", ".pulumi/locks/", ".pulumi/stacks/"],
          count: 4,
          truncated: false,
          delimiter: "/",
        },
      );
      // Keys and prefixes share max-keys; a page ending on a prefix does not repeat it.
      const first = await s3.send(
        new ListObjectsV2Command({
          Bucket: "state",
          Prefix: ".pulumi/",
          Delimiter: "/",
          MaxKeys: 2,
        }),
      );
      const second = await s3.send(
        new ListObjectsV2Command({
          Bucket: "state",
          Prefix: ".pulumi/",
          Delimiter: "/",
          MaxKeys: 2,
          ContinuationToken: first.NextContinuationToken,
        }),
      );
      assert.deepEqual(
        [first, second].map((p) => ({
          keys: p.Contents?.map((c) => c.Key),
          prefixes: p.CommonPrefixes?.map((c) => c.Prefix),
          truncated: p.IsTruncated,
        })),
        [
          { keys: undefined, prefixes: [".pulumi/history/", ".pulumi/locks/"], truncated: true },
          { keys: [".pulumi/meta.yaml"], prefixes: [".pulumi/stacks/"], truncated: false },
        ],
      );
      const stacks = await s3.send(
        new ListObjectsV2Command({
          Bucket: "state",
          Prefix: ".pulumi/stacks/p/",
          Delimiter: "/",
          StartAfter: ".pulumi/stacks/p/dev.json",
        }),
      );
      assert.deepEqual(
        stacks.Contents?.map((c) => c.Key),
        [".pulumi/stacks/p/dev.json.bak"],
      );
      assert.deepEqual(
        await errorOf(
          s3.send(new ListObjectsV2Command({ Bucket: "state", ContinuationToken: "not a token" })),
        ),
        {
          name: "InvalidArgument",
          message: "The continuation token provided is incorrect",
          status: 400,
        },
      );
    });

    it("URL-encodes keys and prefixes in listings when asked with encoding-type=url", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      await put(s3, "wave 1/servers+apps.csv", "x");
      // The JS SDK hands the encoded values through; botocore decodes them with unquote_plus.
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: "state", EncodingType: "url", Delimiter: "/" }),
      );
      assert.deepEqual(
        listed.CommonPrefixes?.map((c) => c.Prefix),
        ["wave+1/"],
      );
      const deep = await s3.send(
        new ListObjectsV2Command({ Bucket: "state", EncodingType: "url", Prefix: "wave 1/" }),
      );
      assert.deepEqual(
        deep.Contents?.map((c) => c.Key),
        ["wave+1/servers%2Bapps.csv"],
      );
    });

    it("copies an object with its content type and metadata, and refuses a copy onto itself", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      await s3.send(
        new PutObjectCommand({
          Bucket: "state",
          Key: ".pulumi/stacks/p/dev 1.json",
          Body: '{"version":3}',
          ContentType: "application/json",
          Metadata: { team: "wave-1" },
          CacheControl: "no-cache",
        }),
      );
      // gocloud escapes each segment and keeps the "/" separators (pkg/backend/diy/bucket.go).
      const copied = await s3.send(
        new CopyObjectCommand({
          Bucket: "state",
          Key: ".pulumi/stacks/p/dev 1.json.bak",
          CopySource: "state/.pulumi/stacks/p/dev%201.json",
        }),
      );
      const source = await s3.send(
        new HeadObjectCommand({ Bucket: "state", Key: ".pulumi/stacks/p/dev 1.json" }),
      );
      assert.equal(copied.CopyObjectResult?.ETag, source.ETag);
      const got = await s3.send(
        new GetObjectCommand({ Bucket: "state", Key: ".pulumi/stacks/p/dev 1.json.bak" }),
      );
      assert.deepEqual(
        {
          body: await got.Body!.transformToString(),
          type: got.ContentType,
          metadata: got.Metadata,
          cache: got.CacheControl,
        },
        {
          body: '{"version":3}',
          type: "application/json",
          metadata: { team: "wave-1" },
          cache: "no-cache",
        },
      );
      assert.deepEqual(
        await errorOf(
          s3.send(
            new CopyObjectCommand({
              Bucket: "state",
              Key: "missing-copy",
              CopySource: "/state/missing",
            }),
          ),
        ),
        { name: "NoSuchKey", message: "The specified key does not exist.", status: 404 },
      );
      assert.deepEqual(
        await errorOf(
          s3.send(
            new CopyObjectCommand({
              Bucket: "state",
              Key: ".pulumi/stacks/p/dev 1.json",
              CopySource: "state/.pulumi/stacks/p/dev%201.json",
            }),
          ),
        ),
        {
          name: "InvalidRequest",
          message:
            "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
          status: 400,
        },
      );
      assert.deepEqual(
        await errorOf(
          s3.send(
            new CopyObjectCommand({
              Bucket: "state",
              Key: "copy",
              CopySource: "state/.pulumi/stacks/p/dev%201.json",
              CopySourceIfMatch: '"0123"',
            }),
          ),
        ),
        PRECONDITION,
      );
    });

    it("answers conditional reads: 304 for If-None-Match / If-Modified-Since, 412 for If-Match / If-Unmodified-Since", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      const { ETag } = await put(s3, "lock.json", '{"pid":1}');
      const stored = await s3.send(new HeadObjectCommand({ Bucket: "state", Key: "lock.json" }));
      const modified = stored.LastModified!;
      const later = new Date(modified.getTime() + 60_000);
      const earlier = new Date(modified.getTime() - 60_000);
      const get = (extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]>) =>
        s3.send(new GetObjectCommand({ Bucket: "state", Key: "lock.json", ...extra }));
      // Bodiless answers: the SDK knows them by status only.
      const notModified = { name: "Unknown", message: "UnknownError", status: 304 };
      assert.deepEqual(await errorOf(get({ IfNoneMatch: ETag })), notModified);
      assert.deepEqual(await errorOf(get({ IfModifiedSince: later })), notModified);
      assert.deepEqual(await errorOf(get({ IfMatch: '"0123"' })), PRECONDITION);
      assert.deepEqual(await errorOf(get({ IfUnmodifiedSince: earlier })), PRECONDITION);
      // A true If-Match wins over a false If-Unmodified-Since; a false If-None-Match over
      // a true If-Modified-Since.
      const wins = await get({ IfMatch: ETag, IfUnmodifiedSince: earlier });
      assert.equal(await wins.Body!.transformToString(), '{"pid":1}');
      const fresh = await get({ IfNoneMatch: '"0123"', IfModifiedSince: later });
      assert.equal(await fresh.Body!.transformToString(), '{"pid":1}');
      assert.equal((await get({ IfMatch: `"x", ${ETag!}` })).ETag, ETag);
      // HEAD answers carry no body: the same conditions as bare statuses.
      const head = (extra: Partial<ConstructorParameters<typeof HeadObjectCommand>[0]>) =>
        errorOf(s3.send(new HeadObjectCommand({ Bucket: "state", Key: "lock.json", ...extra })));
      assert.deepEqual(await head({ IfNoneMatch: ETag }), notModified);
      assert.deepEqual(await head({ IfMatch: '"0123"' }), {
        name: "Unknown",
        message: "UnknownError",
        status: 412,
      });
    });

    it("makes conditional writes: If-None-Match: * only creates, If-Match only replaces that version", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      const create = (body: string) =>
        s3.send(
          new PutObjectCommand({ Bucket: "state", Key: "meta.yaml", Body: body, IfNoneMatch: "*" }),
        );
      const first = await create("version: 1\n");
      assert.deepEqual(await errorOf(create("version: 2\n")), PRECONDITION);
      const replace = (body: string, etag: string) =>
        s3.send(
          new PutObjectCommand({ Bucket: "state", Key: "meta.yaml", Body: body, IfMatch: etag }),
        );
      const second = await replace("version: 2\n", first.ETag!);
      assert.notEqual(second.ETag, first.ETag);
      assert.deepEqual(await errorOf(replace("version: 3\n", first.ETag!)), PRECONDITION);
      const got = await s3.send(new GetObjectCommand({ Bucket: "state", Key: "meta.yaml" }));
      assert.equal(await got.Body!.transformToString(), "version: 2\n");
      assert.deepEqual(
        await errorOf(
          s3.send(
            new PutObjectCommand({
              Bucket: "state",
              Key: "absent",
              Body: "x",
              IfMatch: first.ETag,
            }),
          ),
        ),
        { name: "NoSuchKey", message: "The specified key does not exist.", status: 404 },
      );
    });

    it("serves byte ranges with 206 and refuses an unsatisfiable one with InvalidRange", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      await put(s3, "f", "0123456789");
      const part = async (range: string) => {
        const r = await s3.send(new GetObjectCommand({ Bucket: "state", Key: "f", Range: range }));
        return [await r.Body!.transformToString(), r.ContentRange, r.$metadata.httpStatusCode];
      };
      assert.deepEqual(await part("bytes=2-4"), ["234", "bytes 2-4/10", 206]);
      assert.deepEqual(await part("bytes=7-"), ["789", "bytes 7-9/10", 206]);
      assert.deepEqual(await part("bytes=-2"), ["89", "bytes 8-9/10", 206]);
      assert.deepEqual(
        await errorOf(
          s3.send(new GetObjectCommand({ Bucket: "state", Key: "f", Range: "bytes=10-" })),
        ),
        { name: "InvalidRange", message: "The requested range is not satisfiable", status: 416 },
      );
    });

    it("verifies and returns checksums: the client's CRC32, else a CRC64NVME of its own", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      const body = Buffer.from('{"checkpoint":{}}');
      // The SDK (like the Go SDK under when_supported) sends a CRC32 with every PutObject.
      const sent = await s3.send(new PutObjectCommand({ Bucket: "state", Key: "a", Body: body }));
      assert.equal(sent.ChecksumCRC32, checksum("crc32", body));
      const plain = new S3Client({
        ...clientConfig(ctx.emulator),
        forcePathStyle: true,
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
      await plain.send(new PutObjectCommand({ Bucket: "state", Key: "b", Body: body }));
      const head = (key: string) =>
        s3.send(new HeadObjectCommand({ Bucket: "state", Key: key, ChecksumMode: "ENABLED" }));
      const [a, b] = [await head("a"), await head("b")];
      assert.deepEqual(
        [a.ChecksumCRC32, a.ChecksumCRC64NVME, a.ChecksumType],
        [checksum("crc32", body), undefined, "FULL_OBJECT"],
      );
      assert.deepEqual(
        [b.ChecksumCRC32, b.ChecksumCRC64NVME],
        [undefined, checksum("crc64nvme", body)],
      );
      // Not asked, not sent.
      const quiet = await plain.send(new HeadObjectCommand({ Bucket: "state", Key: "b" }));
      assert.equal(quiet.ChecksumCRC64NVME, undefined);
      assert.deepEqual(
        await errorOf(
          s3.send(
            new PutObjectCommand({
              Bucket: "state",
              Key: "c",
              Body: body,
              ChecksumCRC32: "AAAAAA==",
            }),
          ),
        ),
        {
          name: "BadDigest",
          message: "The CRC32 you specified did not match the calculated checksum.",
          status: 400,
        },
      );
      plain.destroy();
    });

    it("answers HeadBucket, and refuses to delete a bucket that still holds objects", async () => {
      const s3 = client();
      assert.equal(
        (await errorOf(s3.send(new HeadBucketCommand({ Bucket: "state" })))).status,
        404,
      );
      await s3.send(
        new CreateBucketCommand({
          Bucket: "state",
          CreateBucketConfiguration: { LocationConstraint: "us-west-2" },
        }),
      );
      assert.equal(
        (await s3.send(new HeadBucketCommand({ Bucket: "state" }))).BucketRegion,
        "us-west-2",
      );
      await put(s3, "x", "1");
      assert.deepEqual(await errorOf(s3.send(new DeleteBucketCommand({ Bucket: "state" }))), {
        name: "BucketNotEmpty",
        message: "The bucket you tried to delete is not empty",
        status: 409,
      });
      await s3.send(new DeleteObjectCommand({ Bucket: "state", Key: "x" }));
      await s3.send(new DeleteBucketCommand({ Bucket: "state" }));
      assert.equal(
        (await errorOf(s3.send(new HeadBucketCommand({ Bucket: "state" })))).status,
        404,
      );
    });

    it("joins a multipart upload into one object with S3's multipart ETag, and refuses bad part lists", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      const Key = ".pulumi/stacks/p/big.json";
      const first = Buffer.alloc(5 * 1024 * 1024, "a");
      const last = Buffer.from("tail");
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: "state", Key, ContentType: "application/json" }),
      );
      const part = (n: number, body: Buffer) =>
        s3.send(
          new UploadPartCommand({ Bucket: "state", Key, UploadId, PartNumber: n, Body: body }),
        );
      const p1 = await part(1, first);
      const p2 = await part(2, last);
      // Parts are not objects until the upload completes.
      assert.deepEqual((await s3.send(new ListObjectsV2Command({ Bucket: "state" }))).KeyCount, 0);
      const complete = (parts: { PartNumber: number; ETag: string | undefined }[]) =>
        s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: "state",
            Key,
            UploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      assert.deepEqual(
        await errorOf(
          complete([
            { PartNumber: 2, ETag: p2.ETag },
            { PartNumber: 1, ETag: p1.ETag },
          ]),
        ),
        {
          name: "InvalidPartOrder",
          message:
            "The list of parts was not in ascending order. Parts must be ordered by part number.",
          status: 400,
        },
      );
      assert.deepEqual(await errorOf(complete([{ PartNumber: 1, ETag: '"0123"' }])), {
        name: "InvalidPart",
        message:
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        status: 400,
      });
      const done = await complete([
        { PartNumber: 1, ETag: p1.ETag },
        { PartNumber: 2, ETag: p2.ETag },
      ]);
      const md5 = (b: Buffer) => createHash("md5").update(b).digest();
      const etag = `"${createHash("md5")
        .update(Buffer.concat([md5(first), md5(last)]))
        .digest("hex")}-2"`;
      assert.equal(done.ETag, etag);
      const got = await s3.send(
        new GetObjectCommand({ Bucket: "state", Key, ChecksumMode: "ENABLED" }),
      );
      const body = Buffer.from(await got.Body!.transformToByteArray());
      assert.deepEqual(
        [
          body.equals(Buffer.concat([first, last])),
          got.ETag,
          got.ContentType,
          got.ChecksumCRC64NVME,
        ],
        [true, etag, "application/json", checksum("crc64nvme", Buffer.concat([first, last]))],
      );
      // A completed upload is gone, and so are its parts.
      assert.equal(
        (await errorOf(complete([{ PartNumber: 1, ETag: p1.ETag }]))).name,
        "NoSuchUpload",
      );
      assert.deepEqual(
        (await s3.send(new ListObjectsV2Command({ Bucket: "state" }))).Contents?.map((c) => c.Key),
        [Key],
      );
    });

    it("refuses parts under 5 MiB but the last, and forgets an aborted upload", async () => {
      const s3 = client();
      await s3.send(new CreateBucketCommand({ Bucket: "state" }));
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: "state", Key: "k" }),
      );
      const etags = [];
      for (const n of [1, 2])
        etags.push(
          (
            await s3.send(
              new UploadPartCommand({
                Bucket: "state",
                Key: "k",
                UploadId,
                PartNumber: n,
                Body: "x",
              }),
            )
          ).ETag,
        );
      assert.deepEqual(
        await errorOf(
          s3.send(
            new CompleteMultipartUploadCommand({
              Bucket: "state",
              Key: "k",
              UploadId,
              MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
            }),
          ),
        ),
        {
          name: "EntityTooSmall",
          message: "Your proposed upload is smaller than the minimum allowed object size.",
          status: 400,
        },
      );
      await s3.send(new AbortMultipartUploadCommand({ Bucket: "state", Key: "k", UploadId }));
      assert.deepEqual(
        await errorOf(
          s3.send(
            new UploadPartCommand({
              Bucket: "state",
              Key: "k",
              UploadId,
              PartNumber: 3,
              Body: "x",
            }),
          ),
        ),
        {
          name: "NoSuchUpload",
          message:
            "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
          status: 404,
        },
      );
      // No part is left behind to keep the bucket from being deleted.
      await s3.send(new DeleteBucketCommand({ Bucket: "state" }));
    });
  });
});
