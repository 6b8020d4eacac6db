import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeImportImageTasksCommand,
  EC2Client,
  ImportImageCommand,
} from "@aws-sdk/client-ec2";
import { ListImportsCommand, MgnClient, StartImportCommand } from "@aws-sdk/client-mgn";
import {
  CreateProgressUpdateStreamCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
} from "@aws-sdk/client-migration-hub";
import {
  CreateHomeRegionControlCommand,
  GetHomeRegionCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Discovery } from "aws-sdk";
import { type Emulator, startEmulator } from "../../emulator";
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
      assert.deepEqual(JSON.parse(res.text), {
        __type: "MissingAuthenticationTokenException",
        message: "Missing Authentication Token",
      });
    });

    it("refuses an unsigned REST-JSON request with 403", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "mgn",
        sign: false,
        path: "/ListImports",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
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
      assert.match(
        res.text,
        /<Response><Errors><Error><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>/,
      );
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
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSPoseidonService_V2015_11_01.NoSuchThing",
        },
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
      const res = await sendRaw(ctx.emulator.url, {
        service: "mgn",
        path: "/NoSuchOperation",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
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
      assert.deepEqual(err, {
        name: "SlowDown",
        message: "Please reduce your request rate.",
        status: 503,
      });
      assert.deepEqual(ctx.emulator.stats().throttled, { "s3:CreateBucket": 1 });
      ctx.emulator.configure({ rateLimits: false });
    });

    it("injects a 5xx once and then answers normally", async () => {
      ctx.emulator.configure({
        faults: [
          { service: "s3", operation: "CreateBucket", kind: "5xx", probability: 1, maxCount: 1 },
        ],
      });
      const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
      assert.equal(
        (await errorOf(s3.send(new CreateBucketCommand({ Bucket: "bk1" })))).name,
        "InternalError",
      );
      await s3.send(new CreateBucketCommand({ Bucket: "bk1" }));
      assert.deepEqual(ctx.emulator.stats().faults, { "s3:CreateBucket:5xx": 1 });
      ctx.emulator.configure({ faults: [] });
    });

    it("resets the connection when told to", async () => {
      ctx.emulator.configure({
        faults: [{ service: "s3", kind: "reset", probability: 1, maxCount: 1 }],
      });
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
      const stats = (await (await fetch(`${ctx.emulator.url}/_emulator/stats`)).json()) as {
        requests: Record<string, number>;
        totalRequests: number;
      };
      assert.deepEqual(stats.requests, { "s3:CreateBucket": 1, "s3:PutObject": 1 });
      assert.equal(stats.totalRequests, 2);
      const reset = await fetch(`${ctx.emulator.url}/_emulator/reset`, { method: "POST" });
      assert.deepEqual(await reset.json(), { reset: true });
      assert.deepEqual(ctx.emulator.stats().requests, {});
      assert.equal(
        (await errorOf(s3.send(new GetObjectCommand({ Bucket: "bk1", Key: "k" })))).name,
        "NoSuchBucket",
      );
    });

    it("moves emulated time forward through POST /_emulator/config", async () => {
      const before = ctx.emulator.now();
      const res = await fetch(`${ctx.emulator.url}/_emulator/config`, {
        method: "POST",
        body: JSON.stringify({ advanceSeconds: 86400 }),
      });
      assert.equal(res.status, 200);
      assert.ok(ctx.emulator.now() - before >= 86400_000);
    });

    it("rejects a bad config patch with 400 and its reason", async () => {
      const res = await fetch(`${ctx.emulator.url}/_emulator/config`, {
        method: "POST",
        body: JSON.stringify({ timeScale: -1 }),
      });
      assert.equal(res.status, 400);
      assert.deepEqual(await res.json(), {
        message: "timeScale must be a positive number, got -1",
      });
    });
  });
});

/** One call per service through its real client, with the key pair and clock the test chooses. */
interface CallOptions {
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** Added to the client's clock (the SDKs' systemClockOffset), to sign at a skewed time. */
  readonly clockOffsetMs?: number;
}
type ServiceCall = (em: Emulator, o: CallOptions) => Promise<unknown>;
const v3 = (em: Emulator, o: CallOptions) => ({
  ...clientConfig(em),
  credentials: {
    accessKeyId: o.accessKeyId ?? "test",
    secretAccessKey: o.secretAccessKey ?? "test",
  },
  systemClockOffset: o.clockOffsetMs ?? 0,
});
const SERVICE_CALLS: Record<string, ServiceCall> = {
  ads: (em, o) =>
    new Discovery({
      endpoint: em.url,
      region: "us-west-2",
      credentials: {
        accessKeyId: o.accessKeyId ?? "test",
        secretAccessKey: o.secretAccessKey ?? "test",
      },
      systemClockOffset: o.clockOffsetMs ?? 0,
      maxRetries: 0,
    })
      .describeImportTasks({})
      .promise(),
  mgn: (em, o) => new MgnClient(v3(em, o)).send(new ListImportsCommand({})),
  migrationhub: (em, o) =>
    new MigrationHubClient(v3(em, o)).send(new ListProgressUpdateStreamsCommand({})),
  "migrationhub-config": (em, o) =>
    new MigrationHubConfigClient(v3(em, o)).send(new GetHomeRegionCommand({})),
  ec2: (em, o) => new EC2Client(v3(em, o)).send(new DescribeImportImageTasksCommand({})),
  s3: (em, o) =>
    new S3Client({ ...v3(em, o), forcePathStyle: true }).send(
      new ListObjectsV2Command({ Bucket: "nothing-here" }),
    ),
};

/** Name, message, HTTP status and the throttling hints of an error from either SDK generation. */
async function failureOf(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    const e = err as Record<string, unknown> & {
      $metadata?: { httpStatusCode?: number };
      $response?: { headers?: Record<string, string> };
    };
    const out: Record<string, unknown> = {
      name: e["code"] ?? e["name"], // aws-sdk v2 names the error in `code`
      message: e["message"],
      status: e.$metadata?.httpStatusCode ?? e["statusCode"],
    };
    if (e["retryAfterSeconds"] !== undefined) out["retryAfterSeconds"] = e["retryAfterSeconds"];
    if (e["RetryAfterSeconds"] !== undefined) out["RetryAfterSeconds"] = e["RetryAfterSeconds"];
    return out;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const TOKEN_INVALID = "The security token included in the request is invalid.";
const SKEWED =
  /^Signature expired: \d{8}T\d{6}Z is now earlier or later than the 15 minute window$/;

describe("each service's own authentication, throttling and 5xx errors, through its real client", () => {
  const ctx = useEmulator();
  const expected: Record<
    string,
    Record<
      "unknownKey" | "badSignature" | "skewed" | "throttled" | "fault",
      Record<string, unknown>
    >
  > = {
    ads: {
      unknownKey: { name: "UnrecognizedClientException", message: TOKEN_INVALID, status: 400 },
      badSignature: { name: "InvalidSignatureException", message: MISMATCH, status: 400 },
      skewed: { name: "InvalidSignatureException", message: SKEWED, status: 400 },
      throttled: { name: "ThrottlingException", message: "Rate exceeded", status: 400 },
      fault: {
        name: "ServerInternalErrorException",
        message: "The server experienced an internal error. Try again.",
        status: 500,
      },
    },
    mgn: {
      unknownKey: { name: "UnrecognizedClientException", message: TOKEN_INVALID, status: 403 },
      badSignature: { name: "InvalidSignatureException", message: MISMATCH, status: 403 },
      skewed: { name: "InvalidSignatureException", message: SKEWED, status: 403 },
      // MGN binds retryAfterSeconds to the Retry-After header, which the SDK honours.
      throttled: {
        name: "ThrottlingException",
        message: "Rate exceeded",
        status: 429,
        retryAfterSeconds: "1",
      },
      fault: {
        name: "InternalServerException",
        message: "An internal error occurred.",
        status: 500,
      },
    },
    migrationhub: {
      unknownKey: { name: "UnrecognizedClientException", message: TOKEN_INVALID, status: 400 },
      badSignature: { name: "InvalidSignatureException", message: MISMATCH, status: 400 },
      skewed: { name: "InvalidSignatureException", message: SKEWED, status: 400 },
      throttled: {
        name: "ThrottlingException",
        message: "Rate exceeded",
        status: 400,
        RetryAfterSeconds: 1,
      },
      fault: {
        name: "ServiceUnavailableException",
        message: "The service is unavailable. Try again.",
        status: 500,
      },
    },
    "migrationhub-config": {
      unknownKey: { name: "UnrecognizedClientException", message: TOKEN_INVALID, status: 400 },
      badSignature: { name: "InvalidSignatureException", message: MISMATCH, status: 400 },
      skewed: { name: "InvalidSignatureException", message: SKEWED, status: 400 },
      throttled: {
        name: "ThrottlingException",
        message: "Rate exceeded",
        status: 400,
        RetryAfterSeconds: 1,
      },
      fault: {
        name: "ServiceUnavailableException",
        message: "The service is unavailable. Try again.",
        status: 500,
      },
    },
    ec2: {
      unknownKey: {
        name: "AuthFailure",
        message: "AWS was not able to validate the provided access credentials",
        status: 401,
      },
      badSignature: { name: "SignatureDoesNotMatch", message: MISMATCH, status: 403 },
      skewed: { name: "RequestExpired", message: "Request has expired.", status: 400 },
      throttled: { name: "RequestLimitExceeded", message: "Request limit exceeded.", status: 503 },
      fault: {
        name: "Unavailable",
        message: "The server is overloaded and cannot handle the request.",
        status: 503,
      },
    },
    s3: {
      unknownKey: {
        name: "InvalidAccessKeyId",
        message: "The AWS Access Key Id you provided does not exist in our records.",
        status: 403,
      },
      badSignature: { name: "SignatureDoesNotMatch", message: MISMATCH, status: 403 },
      skewed: {
        name: "RequestTimeTooSkewed",
        message: "The difference between the request time and the current time is too large.",
        status: 403,
      },
      throttled: { name: "SlowDown", message: "Please reduce your request rate.", status: 503 },
      fault: {
        name: "InternalError",
        message: "We encountered an internal error. Please try again.",
        status: 500,
      },
    },
  };
  const matches = (actual: Record<string, unknown>, want: Record<string, unknown>): void => {
    const { message, ...rest } = want;
    const { message: got, ...actualRest } = actual;
    assert.deepEqual(actualRest, rest);
    if (message instanceof RegExp) assert.match(String(got), message);
    else assert.equal(got, message);
  };

  for (const [service, call] of Object.entries(SERVICE_CALLS)) {
    describe(service, () => {
      it("refuses an unknown key, a wrong secret and a clock 20 minutes off, and counts each", async () => {
        const em = ctx.emulator;
        matches(
          await failureOf(call(em, { accessKeyId: "AKIDUNKNOWN", secretAccessKey: "x" })),
          expected[service]!.unknownKey,
        );
        matches(
          await failureOf(call(em, { secretAccessKey: "wrong" })),
          expected[service]!.badSignature,
        );
        matches(
          await failureOf(call(em, { clockOffsetMs: -20 * 60 * 1000 })),
          expected[service]!.skewed,
        );
        assert.deepEqual(em.stats().authFailures, {
          [`${service}:unknownKey`]: 1,
          [`${service}:badSignature`]: 1,
          [`${service}:skewed`]: 1,
        });
        assert.equal(em.stats().totalRequests, 0, "refused before any operation ran");
      });

      it("answers its own throttling error past the bucket and its own 5xx when one is injected", async () => {
        const em = ctx.emulator;
        em.configure({ rateLimits: { [`${service}:*`]: { ratePerSecond: 0.001, burst: 1 } } });
        try {
          await call(em, {}).catch(() => undefined); // takes the one token (the operation may fail on its own)
          matches(await failureOf(call(em, {})), expected[service]!.throttled);
        } finally {
          em.configure({ rateLimits: false });
        }
        em.configure({ faults: [{ service, kind: "5xx", probability: 1, maxCount: 1 }] });
        matches(await failureOf(call(em, {})), expected[service]!.fault);
        em.configure({ faults: [] });
        assert.equal(
          Object.values(em.stats().throttled).reduce((a, b) => a + b, 0),
          1,
        );
        assert.equal(
          Object.values(em.stats().faults).reduce((a, b) => a + b, 0),
          1,
        );
      });
    });
  }
});

describe("authorization: a key pair limited to read actions (IAM-style allow list)", () => {
  const READ_ONLY = { accessKeyId: "AKIDREADONLY", secretAccessKey: "ro" };
  const ctx = useEmulator({
    homeRegion: "us-west-2",
    credentials: [
      { accessKeyId: "test", secretAccessKey: "test" },
      {
        ...READ_ONLY,
        allow: [
          "discovery:Describe*",
          "mgn:List*",
          "mgh:List*",
          "mgh:Get*",
          "ec2:Describe*",
          "s3:GetObject",
          "s3:ListBucket",
        ],
      },
    ],
  });
  const denied = (action: string): string =>
    `User: arn:aws:iam::123456789012:user/AKIDREADONLY is not authorized to perform: ${action}`;
  const ro = (em: Emulator) => ({ ...clientConfig(em), credentials: READ_ONLY });

  it("answers each service's authorization error for an action outside the list, and serves the ones in it", async () => {
    const em = ctx.emulator;
    const ads = new Discovery({
      endpoint: em.url,
      region: "us-west-2",
      credentials: READ_ONLY,
      maxRetries: 0,
    });
    assert.deepEqual(
      await failureOf(ads.startImportTask({ name: "n", importUrl: "s3://b/k.csv" }).promise()),
      {
        name: "AuthorizationErrorException",
        message: denied("discovery:StartImportTask"),
        status: 400,
      },
    );
    assert.deepEqual((await ads.describeImportTasks({}).promise()).tasks, []);
    assert.deepEqual(
      await failureOf(
        new MgnClient(ro(em)).send(
          new StartImportCommand({ s3BucketSource: { s3Bucket: "b", s3Key: "k.csv" } }),
        ),
      ),
      {
        name: "AccessDeniedException",
        message: denied("mgn:StartImport"),
        status: 403,
      },
    );
    assert.equal(
      (await failureOf(new MgnClient(ro(em)).send(new ListImportsCommand({})))).name,
      "UninitializedAccountException",
    );
    assert.deepEqual(
      await failureOf(
        new MigrationHubClient(ro(em)).send(
          new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
        ),
      ),
      {
        name: "AccessDeniedException",
        message: denied("mgh:CreateProgressUpdateStream"),
        status: 400,
      },
    );
    assert.deepEqual(
      (await new MigrationHubClient(ro(em)).send(new ListProgressUpdateStreamsCommand({})))
        .ProgressUpdateStreamSummaryList,
      [],
    );
    assert.deepEqual(
      await failureOf(
        new MigrationHubConfigClient(ro(em)).send(
          new CreateHomeRegionControlCommand({
            HomeRegion: "us-west-2",
            Target: { Type: "ACCOUNT" },
          }),
        ),
      ),
      {
        name: "AccessDeniedException",
        message: denied("mgh:CreateHomeRegionControl"),
        status: 400,
      },
    );
    assert.equal(
      (await new MigrationHubConfigClient(ro(em)).send(new GetHomeRegionCommand({}))).HomeRegion,
      "us-west-2",
    );
    const image = {
      DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: "b", S3Key: "d.vmdk" } }],
    };
    assert.deepEqual(await failureOf(new EC2Client(ro(em)).send(new ImportImageCommand(image))), {
      name: "UnauthorizedOperation",
      message: "You are not authorized to perform this operation.",
      status: 403,
    });
    assert.deepEqual(
      (await new EC2Client(ro(em)).send(new DescribeImportImageTasksCommand({}))).ImportImageTasks,
      [],
    );
    const s3 = new S3Client({ ...ro(em), forcePathStyle: true });
    assert.deepEqual(await failureOf(s3.send(new CreateBucketCommand({ Bucket: "bk1" }))), {
      name: "AccessDenied",
      message: "Access Denied",
      status: 403,
    });
    assert.equal(
      (await failureOf(s3.send(new ListObjectsV2Command({ Bucket: "bk1" })))).name,
      "NoSuchBucket",
    );
    assert.deepEqual(em.stats().errors, {
      "ads:StartImportTask:AuthorizationErrorException": 1,
      "mgn:StartImport:AccessDeniedException": 1,
      "mgn:ListImports:UninitializedAccountException": 1,
      "migrationhub:CreateProgressUpdateStream:AccessDeniedException": 1,
      "migrationhub-config:CreateHomeRegionControl:AccessDeniedException": 1,
      "ec2:ImportImage:UnauthorizedOperation": 1,
      "s3:CreateBucket:AccessDenied": 1,
      "s3:ListObjectsV2:NoSuchBucket": 1,
    });
  });

  it("answers a DryRun with UnauthorizedOperation without the permission and DryRunOperation with it", async () => {
    const em = ctx.emulator;
    const image = {
      DryRun: true,
      DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: "b", S3Key: "d.vmdk" } }],
    };
    assert.equal(
      (await failureOf(new EC2Client(ro(em)).send(new ImportImageCommand(image)))).name,
      "UnauthorizedOperation",
    );
    assert.deepEqual(
      await failureOf(new EC2Client(clientConfig(em)).send(new ImportImageCommand(image))),
      {
        name: "DryRunOperation",
        message: "Request would have succeeded, but DryRun flag is set.",
        status: 412,
      },
    );
    const stream = { ProgressUpdateStreamName: "tool", DryRun: true };
    assert.deepEqual(
      await failureOf(
        new MigrationHubClient(ro(em)).send(new CreateProgressUpdateStreamCommand(stream)),
      ),
      {
        name: "UnauthorizedOperation",
        message: denied("mgh:CreateProgressUpdateStream"),
        status: 400,
      },
    );
    assert.equal(
      (
        await failureOf(
          new MigrationHubClient(clientConfig(em)).send(
            new CreateProgressUpdateStreamCommand(stream),
          ),
        )
      ).name,
      "DryRunOperation",
    );
  });

  it("refuses an allow list of the wrong shape when the emulator starts", async () => {
    await assert.rejects(
      startEmulator({
        credentials: [
          { accessKeyId: "k", secretAccessKey: "s", allow: "ec2:*" as unknown as string[] },
        ],
      }),
      {
        name: "TypeError",
        message: 'credentials["k"].allow must be a list of IAM actions like "ec2:Describe*"',
      },
    );
  });
});

describe("emulator persistence", () => {
  it("keeps S3 objects and state across a restart on the same data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-persist-"));
    try {
      const first = await startEmulator({ dataDir, rateLimits: false });
      const s3a = new S3Client({ ...clientConfig(first), forcePathStyle: true });
      await s3a.send(new CreateBucketCommand({ Bucket: "keep" }));
      await s3a.send(
        new PutObjectCommand({ Bucket: "keep", Key: "servers.csv", Body: "HostName\nweb-1\n" }),
      );
      const emulatedBefore = first.now();
      await first.stop();
      const second = await startEmulator({ dataDir, rateLimits: false });
      const s3b = new S3Client({ ...clientConfig(second), forcePathStyle: true });
      const got = await s3b.send(new GetObjectCommand({ Bucket: "keep", Key: "servers.csv" }));
      assert.equal(await got.Body!.transformToString(), "HostName\nweb-1\n");
      assert.ok(
        second.now() >= emulatedBefore,
        "emulated time never goes backwards across a restart",
      );
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
