import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startEmulator } from "../../emulator";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";

const ADS_TARGET = "AWSPoseidonService_V2015_11_01.DescribeImportTasks";

describe("emulator front door", () => {
  const ctx = useEmulator();

  describe("authentication", () => {
    it("refuses an unsigned JSON request with MissingAuthenticationTokenException (400)", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        sign: false,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": ADS_TARGET },
        body: "{}",
      });
      assert.equal(res.status, 400);
      assert.equal(res.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
      assert.deepEqual(JSON.parse(res.text), { __type: "MissingAuthenticationTokenException", message: "Missing Authentication Token" });
    });

    it("refuses an unsigned REST-JSON request with 403", async () => {
      const res = await sendRaw(ctx.emulator.url, { service: "mgn", sign: false, path: "/ListImports", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    });

    it("refuses an unsigned EC2 query with MissingAuthenticationToken in the EC2 error XML", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "ec2",
        sign: false,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=DescribeConversionTasks&Version=2016-11-15",
      });
      assert.equal(res.status, 401);
      assert.match(res.text, /<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/);
    });

    it("refuses a wrong secret key with InvalidSignatureException and counts it", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        secretAccessKey: "wrong",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": ADS_TARGET },
        body: "{}",
      });
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.text).__type, "InvalidSignatureException");
      assert.deepEqual(ctx.emulator.stats().authFailures, { "ads:badSignature": 1 });
    });

    it("refuses a signature scoped to another service", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "mgh",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": ADS_TARGET },
        body: "{}",
      });
      assert.equal(res.status, 400);
      assert.deepEqual(JSON.parse(res.text), {
        __type: "InvalidSignatureException",
        message: "Credential should be scoped to correct service: 'discovery'. ",
      });
    });
  });

  describe("malformed requests", () => {
    it("answers an unknown X-Amz-Target with UnknownOperationException", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSPoseidonService_V2015_11_01.NoSuchThing" },
        body: "{}",
      });
      assert.equal(res.status, 400);
      assert.equal(JSON.parse(res.text).__type, "UnknownOperationException");
    });

    it("answers an unknown EC2 action with InvalidAction", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "ec2",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "Action=RunInstances&Version=2016-11-15",
      });
      assert.equal(res.status, 400);
      assert.match(res.text, /<Code>InvalidAction<\/Code>/);
    });

    it("answers an unknown MGN path with 404 UnknownOperationException", async () => {
      const res = await sendRaw(ctx.emulator.url, { service: "mgn", path: "/NoSuchOperation", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(res.status, 404);
      assert.equal(res.headers.get("x-amzn-errortype"), "UnknownOperationException");
    });

    it("answers paths starting with // in the protocol's shape instead of a 500", async () => {
      for (const path of ["//", "//x?y=1", "//StartImport"]) {
        const res = await fetch(`${ctx.emulator.url}${path}`, { method: "PATCH", body: "{}" });
        const code = /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1];
        assert.deepEqual(
          [path, res.status, res.headers.get("content-type"), code],
          [path, 403, "application/xml", "AccessDenied"],
        );
      }
    });

    it("answers a body over 1 MiB with 413 in the protocol's shape, and stays up", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": ADS_TARGET },
        body: JSON.stringify({ pad: "x".repeat(1024 * 1024 + 10) }),
      });
      assert.equal(res.status, 413);
      assert.equal(JSON.parse(res.text).__type, "SerializationException");
      const health = await fetch(`${ctx.emulator.url}/_emulator/health`);
      assert.equal(health.status, 200);
    });
  });

  describe("rate limits and faults", () => {
    it("throttles past the bucket with the service's throttling error and counts it", async () => {
      ctx.emulator.configure({ rateLimits: { "s3:*": { ratePerSecond: 0.001, burst: 2 } } });
      const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "bk1" }));
      await s3.send(new CreateBucketCommand({ Bucket: "bk2" }));
      const err = await errorOf(s3.send(new CreateBucketCommand({ Bucket: "bk3" })));
      assert.deepEqual(err, { name: "SlowDown", message: "Please reduce your request rate.", status: 503 });
      assert.deepEqual(ctx.emulator.stats().throttled, { "s3:CreateBucket": 1 });
      ctx.emulator.configure({ rateLimits: false });
    });

    it("injects a 5xx once and then answers normally", async () => {
      ctx.emulator.configure({ faults: [{ service: "s3", operation: "CreateBucket", kind: "5xx", probability: 1, maxCount: 1 }] });
      const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
      assert.equal((await errorOf(s3.send(new CreateBucketCommand({ Bucket: "bk1" })))).name, "InternalError");
      await s3.send(new CreateBucketCommand({ Bucket: "bk1" }));
      assert.deepEqual(ctx.emulator.stats().faults, { "s3:CreateBucket:5xx": 1 });
      ctx.emulator.configure({ faults: [] });
    });

    it("resets the connection when told to", async () => {
      ctx.emulator.configure({ faults: [{ service: "s3", kind: "reset", probability: 1, maxCount: 1 }] });
      const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
      const err = await errorOf(s3.send(new CreateBucketCommand({ Bucket: "bk1" })));
      assert.match(`${err.name} ${err.message}`, /ECONNRESET|socket hang up/);
      ctx.emulator.configure({ faults: [] });
    });
  });

  describe("control API", () => {
    it("reports per-operation counters and resets them", async () => {
      const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "bk1" }));
      await s3.send(new PutObjectCommand({ Bucket: "bk1", Key: "k", Body: "v" }));
      const stats = (await (await fetch(`${ctx.emulator.url}/_emulator/stats`)).json()) as { requests: Record<string, number>; totalRequests: number };
      assert.deepEqual(stats.requests, { "s3:CreateBucket": 1, "s3:PutObject": 1 });
      assert.equal(stats.totalRequests, 2);
      const reset = await fetch(`${ctx.emulator.url}/_emulator/reset`, { method: "POST" });
      assert.deepEqual(await reset.json(), { reset: true });
      assert.deepEqual(ctx.emulator.stats().requests, {});
      assert.equal((await errorOf(s3.send(new GetObjectCommand({ Bucket: "bk1", Key: "k" })))).name, "NoSuchBucket");
    });

    it("moves emulated time forward through POST /_emulator/config", async () => {
      const before = ctx.emulator.now();
      const res = await fetch(`${ctx.emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ advanceSeconds: 86400 }) });
      assert.equal(res.status, 200);
      assert.ok(ctx.emulator.now() - before >= 86400_000);
    });

    it("rejects a bad config patch with 400 and its reason", async () => {
      const res = await fetch(`${ctx.emulator.url}/_emulator/config`, { method: "POST", body: JSON.stringify({ timeScale: -1 }) });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), { message: "timeScale must be a positive number, got -1" });
    });
  });
});

describe("emulator persistence", () => {
  it("keeps S3 objects and state across a restart on the same data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-persist-"));
    try {
      const first = await startEmulator({ dataDir, rateLimits: false });
      const s3a = new S3Client({ ...clientConfig(first), forcePathStyle: true });
      await s3a.send(new CreateBucketCommand({ Bucket: "keep" }));
      await s3a.send(new PutObjectCommand({ Bucket: "keep", Key: "servers.csv", Body: "HostName\nweb-1\n" }));
      const emulatedBefore = first.now();
      await first.stop();
      const second = await startEmulator({ dataDir, rateLimits: false });
      const s3b = new S3Client({ ...clientConfig(second), forcePathStyle: true });
      const got = await s3b.send(new GetObjectCommand({ Bucket: "keep", Key: "servers.csv" }));
      assert.equal(await got.Body!.transformToString(), "HostName\nweb-1\n");
      assert.ok(second.now() >= emulatedBefore, "emulated time never goes backwards across a restart");
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
