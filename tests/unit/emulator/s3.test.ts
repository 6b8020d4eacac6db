import { strict as assert } from "node:assert";
import { ServiceError } from "../../../emulator/core/http";
import type { ObjectMeta } from "../../../emulator/core/s3store";
import { checksum, uploadChecksum } from "../../../emulator/s3/checksums";
import {
  copySourceCondition,
  etagListMatches,
  readCondition,
  writeCondition,
} from "../../../emulator/s3/conditions";
import { listObjectsV2, listParams } from "../../../emulator/s3/list";
import { xmlText } from "../../../emulator/s3/multipart";
import {
  byteRange,
  copySource,
  decodeAwsChunked,
  storedHeaders,
} from "../../../emulator/s3/objects";

const META: ObjectMeta = {
  key: "k",
  size: 3,
  etag: '"abc"',
  // Thu, 01 Jan 2026 00:00:00.500 GMT: compared at whole seconds, as HTTP dates are.
  lastModifiedMs: Date.UTC(2026, 0, 1) + 500,
  contentType: "text/plain",
};
const AT = "Thu, 01 Jan 2026 00:00:00 GMT";
const BEFORE = "Wed, 31 Dec 2025 23:59:59 GMT";

/** The S3 error code and <Condition> a call throws, or its result. */
function outcome<T>(fn: () => T): T | string {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    const condition = err.fields.Condition;
    return `${err.status} ${err.code}${typeof condition === "string" ? ` ${condition}` : ""}`;
  }
}

describe("emulator S3 wire rules", () => {
  describe("checksums", () => {
    it("computes each algorithm's standard check value of '123456789'", () => {
      const hex = (alg: Parameters<typeof checksum>[0]) =>
        Buffer.from(checksum(alg, Buffer.from("123456789")), "base64").toString("hex");
      assert.deepEqual((["crc32", "crc32c", "crc64nvme", "sha1", "sha256"] as const).map(hex), [
        "cbf43926",
        "e3069283",
        "ae8b14860a799888",
        "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
        "15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225",
      ]);
    });

    it("keeps a matching client checksum, from a trailer before a header, else stores a CRC64NVME", () => {
      const body = Buffer.from("state");
      const crc32 = checksum("crc32", body);
      assert.deepEqual(uploadChecksum({ "x-amz-checksum-crc32": crc32 }, {}, body), {
        name: "x-amz-checksum-crc32",
        value: crc32,
      });
      assert.deepEqual(uploadChecksum({}, { "x-amz-checksum-crc32": crc32 }, body), {
        name: "x-amz-checksum-crc32",
        value: crc32,
      });
      assert.deepEqual(uploadChecksum({}, {}, body), {
        name: "x-amz-checksum-crc64nvme",
        value: checksum("crc64nvme", body),
      });
      assert.equal(
        outcome(() => uploadChecksum({ "x-amz-checksum-sha256": crc32 }, {}, body)),
        "400 BadDigest",
      );
    });
  });

  it("unframes aws-chunked bodies and reads their trailers", () => {
    const framed = Buffer.from(
      "5;chunk-signature=00\r\nhello\r\n1\r\n!\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n",
    );
    assert.deepEqual(decodeAwsChunked(framed), {
      data: Buffer.from("hello!"),
      trailers: { "x-amz-checksum-crc32": "AAAA" },
    });
    assert.equal(
      outcome(() => decodeAwsChunked(Buffer.from("5\r\nhel"))),
      "400 IncompleteBody",
    );
  });

  it("keeps user metadata and representation headers, without the aws-chunked encoding", () => {
    assert.deepEqual(
      storedHeaders({
        "x-amz-meta-team": "wave-1",
        "cache-control": "no-cache",
        "content-encoding": "aws-chunked,gzip",
        authorization: "AWS4-HMAC-SHA256 …",
        "x-amz-date": "20261201T000000Z",
      }),
      { "x-amz-meta-team": "wave-1", "cache-control": "no-cache", "content-encoding": "gzip" },
    );
  });

  it("resolves byte ranges the way S3 does", () => {
    const table: [string | undefined, ReturnType<typeof byteRange> | string][] = [
      [undefined, undefined],
      ["bytes=0-0", { first: 0, last: 0 }],
      ["bytes=2-", { first: 2, last: 9 }],
      ["bytes=5-100", { first: 5, last: 9 }],
      ["bytes=-3", { first: 7, last: 9 }],
      ["bytes=-30", { first: 0, last: 9 }],
      ["bytes=4-2", undefined],
      ["items=0-1", undefined],
      ["bytes=10-", "416 InvalidRange"],
      ["bytes=-0", "416 InvalidRange"],
    ];
    for (const [header, expected] of table)
      assert.deepEqual(
        outcome(() => byteRange(header, 10)),
        expected,
        String(header),
      );
  });

  it("reads x-amz-copy-source in its encoded, slash-led and versioned forms", () => {
    const table: [string, { bucket: string; key: string } | string][] = [
      ["state/.pulumi/stacks/p/dev.json", { bucket: "state", key: ".pulumi/stacks/p/dev.json" }],
      ["/state/a%20b/c%2Bd", { bucket: "state", key: "a b/c+d" }],
      ["state%2F.pulumi%2Fmeta.yaml", { bucket: "state", key: ".pulumi/meta.yaml" }],
      ["state/k?versionId=3", { bucket: "state", key: "k" }],
      ["state", "400 InvalidArgument"],
      ["state/", "400 InvalidArgument"],
    ];
    for (const [header, expected] of table)
      assert.deepEqual(
        outcome(() => copySource(header)),
        expected,
        header,
      );
  });

  it("matches entity tags in lists, weak tags and *", () => {
    assert.deepEqual(
      ['"abc"', "abc", '"x", "abc"', 'W/"abc"', "*", '"abd"'].map((l) =>
        etagListMatches(l, '"abc"'),
      ),
      [true, true, true, true, true, false],
    );
  });

  it("evaluates read conditions in RFC 9110 order", () => {
    const table: [Record<string, string>, string][] = [
      [{}, "ok"],
      [{ "if-match": '"abc"' }, "ok"],
      [{ "if-match": '"x"' }, "412 PreconditionFailed If-Match"],
      [{ "if-unmodified-since": AT }, "ok"],
      [{ "if-unmodified-since": BEFORE }, "412 PreconditionFailed If-Unmodified-Since"],
      [{ "if-match": '"abc"', "if-unmodified-since": BEFORE }, "ok"],
      [{ "if-none-match": '"abc"' }, "notModified"],
      [{ "if-none-match": '"x"' }, "ok"],
      [{ "if-modified-since": AT }, "notModified"],
      [{ "if-modified-since": BEFORE }, "ok"],
      [{ "if-none-match": '"x"', "if-modified-since": AT }, "ok"],
      [{ "if-modified-since": "not a date" }, "ok"],
    ];
    for (const [headers, expected] of table)
      assert.equal(
        outcome(() => readCondition(headers, META)),
        expected,
        JSON.stringify(headers),
      );
  });

  it("fails every unmet copy-source condition with 412", () => {
    const table: [Record<string, string>, string | undefined][] = [
      [{ "x-amz-copy-source-if-match": '"abc"' }, undefined],
      [
        { "x-amz-copy-source-if-none-match": '"abc"' },
        "412 PreconditionFailed x-amz-copy-source-if-none-match",
      ],
      [
        { "x-amz-copy-source-if-modified-since": AT },
        "412 PreconditionFailed x-amz-copy-source-if-modified-since",
      ],
    ];
    for (const [headers, expected] of table)
      assert.equal(
        outcome(() => copySourceCondition(headers, META)),
        expected,
      );
  });

  it("allows a conditional write only to create (If-None-Match: *) or to replace one version (If-Match)", () => {
    const table: [Record<string, string>, ObjectMeta | undefined, string | undefined][] = [
      [{ "if-none-match": "*" }, undefined, undefined],
      [{ "if-none-match": "*" }, META, "412 PreconditionFailed If-None-Match"],
      [{ "if-none-match": '"abc"' }, META, "501 NotImplemented"],
      [{ "if-match": '"abc"' }, META, undefined],
      [{ "if-match": '"x"' }, META, "412 PreconditionFailed If-Match"],
      [{ "if-match": '"abc"' }, undefined, "404 NoSuchKey"],
    ];
    for (const [headers, existing, expected] of table)
      assert.equal(
        outcome(() => writeCondition(headers, existing, "k")),
        expected,
      );
  });

  it("validates list parameters as S3 does", () => {
    assert.equal(
      outcome(() => listParams(new URLSearchParams("max-keys=-1"))),
      "400 InvalidArgument",
    );
    assert.equal(
      outcome(() => listParams(new URLSearchParams("encoding-type=base64"))),
      "400 InvalidArgument",
    );
    assert.deepEqual(listParams(new URLSearchParams("list-type=2&max-keys=5000&delimiter=/")), {
      prefix: "",
      delimiter: "/",
      maxKeys: 1000,
      continuationToken: undefined,
      startAfter: "",
      encodeUrl: false,
    });
  });

  it("rolls keys into one CommonPrefixes entry each, counted once against max-keys", () => {
    const objects = ["a/1", "a/2", "b", "c/1"].map((key) => ({ ...META, key }));
    const xml = listObjectsV2(
      "bkt",
      objects,
      listParams(new URLSearchParams("list-type=2&delimiter=/&max-keys=2")),
    );
    assert.match(xml, /<KeyCount>2<\/KeyCount>/);
    assert.match(xml, /<IsTruncated>true<\/IsTruncated>/);
    assert.match(xml, /<Contents><Key>b<\/Key>/);
    assert.match(
      xml,
      /<CommonPrefixes><Prefix>a\/<\/Prefix><\/CommonPrefixes><\/ListBucketResult>$/,
    );
    assert.match(xml, new RegExp(`<NextContinuationToken>${Buffer.from("b").toString("base64")}<`));
  });

  it("reads XML character references in CompleteMultipartUpload ETags, as Go's encoder writes them", () => {
    assert.deepEqual(
      ["&#34;abc&#34;", "&quot;abc&quot;", "&#x22;a&amp;b&#x22;", "&bogus;"].map(xmlText),
      ['"abc"', '"abc"', '"a&b"', "&bogus;"],
    );
  });
});
