import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Discovery } from "aws-sdk";
import { type Emulator, startEmulator } from "../../emulator";
import { ServiceError } from "../../emulator/core/http";
import { EmulatorServer } from "../../emulator/server";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";
import { type RawResponse, sendRaw } from "../support/signed";

/**
 * What a client that is not an AWS SDK can send: broken bodies, wrong types, wrong content types,
 * oversized payloads, bursts of concurrent calls. Each gets the protocol's own error, never a 5xx
 * AWS would not send, a crash or a hang.
 */
const json11 = (
  target: string,
  body: string,
  service = "discovery",
): Parameters<typeof sendRaw>[1] => ({
  service,
  headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
  body,
});
const form = (body: string): Parameters<typeof sendRaw>[1] => ({
  service: "ec2",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body,
});
const ec2ErrorOf = (res: RawResponse): { status: number; code: string; message: string } => {
  const m =
    /<Response><Errors><Error><Code>([^<]*)<\/Code><Message>([^<]*)<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/.exec(
      res.text,
    );
  assert.ok(m, `not an EC2 error document: ${res.text}`);
  return { status: res.status, code: m[1]!, message: m[2]! };
};
const s3ErrorCode = (res: RawResponse): string =>
  /<Error><Code>([^<]*)<\/Code>/.exec(res.text)?.[1] ?? `(no S3 error in ${res.text})`;

describe("emulator robustness", function () {
  this.timeout(30_000);
  const ctx = useEmulator({ homeRegion: "us-west-2" });

  describe("malformed bodies", () => {
    it("answers broken or non-object JSON with SerializationException (awsJson1_1)", async () => {
      for (const body of ['{"name":', "[1,2]", '"text"', "null"]) {
        const res = await sendRaw(
          ctx.emulator.url,
          json11("AWSPoseidonService_V2015_11_01.StartImportTask", body),
        );
        assert.equal(res.status, 400, body);
        assert.equal(res.headers.get("x-amzn-errortype"), "SerializationException");
        assert.deepEqual(JSON.parse(res.text), {
          __type: "SerializationException",
          message: "Start of structure or map found where not expected.",
        });
      }
      // Migration Hub's error shapes spell the member "Message".
      const mgh = await sendRaw(
        ctx.emulator.url,
        json11("AWSMigrationHub.ListProgressUpdateStreams", "{{", "mgh"),
      );
      assert.deepEqual(
        [mgh.status, JSON.parse(mgh.text)],
        [
          400,
          {
            __type: "SerializationException",
            Message: "Start of structure or map found where not expected.",
          },
        ],
      );
    });

    it("answers a wrong or missing content type with SerializationException (awsJson1_1)", async () => {
      const target = "AWSPoseidonService_V2015_11_01.DescribeImportTasks";
      const wrong = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        headers: { "content-type": "text/plain", "x-amz-target": target },
        body: "{}",
      });
      assert.deepEqual(
        [wrong.status, JSON.parse(wrong.text)],
        [
          400,
          { __type: "SerializationException", message: "Unsupported content type: text/plain" },
        ],
      );
      const none = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        method: "GET",
        headers: { "x-amz-target": target },
      });
      assert.deepEqual(
        [none.status, JSON.parse(none.text)],
        [400, { __type: "SerializationException", message: "Unsupported content type: (none)" }],
      );
    });

    it("answers broken JSON with ValidationException reason cannotParse (restJson1)", async () => {
      for (const body of ["{{", "[1]", "<xml/>"]) {
        const res = await sendRaw(ctx.emulator.url, {
          service: "mgn",
          path: "/ListImports",
          headers: { "content-type": "application/json" },
          body,
        });
        assert.equal(res.status, 400, body);
        assert.equal(res.headers.get("x-amzn-errortype"), "ValidationException");
        assert.deepEqual(JSON.parse(res.text), {
          message: "Could not parse the request body as JSON.",
          code: "ValidationException",
          reason: "cannotParse",
        });
      }
    });

    it("answers a broken form body with MalformedQueryString, no Action with MissingAction, an unknown one with InvalidAction (EC2)", async () => {
      assert.deepEqual(
        ec2ErrorOf(
          await sendRaw(
            ctx.emulator.url,
            form("Action=DescribeImages&Version=2016-11-15&ImageId.1=%ZZ"),
          ),
        ),
        {
          status: 400,
          code: "MalformedQueryString",
          message: "The query string is malformed: it holds an invalid percent-encoding.",
        },
      );
      assert.deepEqual(ec2ErrorOf(await sendRaw(ctx.emulator.url, form("Version=2016-11-15"))), {
        status: 400,
        code: "MissingAction",
        message: "The request must contain the parameter Action.",
      });
      assert.deepEqual(
        ec2ErrorOf(await sendRaw(ctx.emulator.url, form("Action=RunInstances&Version=2016-11-15"))),
        {
          status: 400,
          code: "InvalidAction",
          message: "The action RunInstances is not valid for this web service.",
        },
      );
    });

    it("answers a broken CreateBucketConfiguration with MalformedXML and a bad region with InvalidLocationConstraint (S3)", async () => {
      const put = (bucket: string, body: string): Promise<RawResponse> =>
        sendRaw(ctx.emulator.url, { service: "s3", method: "PUT", path: `/${bucket}`, body });
      const broken = await put("bk1", "<CreateBucketConfiguration><LocationConstraint>eu-west-1");
      assert.deepEqual([broken.status, s3ErrorCode(broken)], [400, "MalformedXML"]);
      const other = await put("bk1", "<Something/>");
      assert.deepEqual([other.status, s3ErrorCode(other)], [400, "MalformedXML"]);
      const region = await put(
        "bk1",
        "<CreateBucketConfiguration><LocationConstraint>mars-1</LocationConstraint></CreateBucketConfiguration>",
      );
      assert.deepEqual([region.status, s3ErrorCode(region)], [400, "InvalidLocationConstraint"]);
      const ok = await put(
        "bk1",
        '<?xml version="1.0" encoding="UTF-8"?>\n<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
      );
      assert.deepEqual([ok.status, ok.headers.get("location")], [200, "/bk1"]);
      assert.deepEqual(ctx.emulator.stats().errors, {
        "s3:CreateBucket:MalformedXML": 2,
        "s3:CreateBucket:InvalidLocationConstraint": 1,
      });
    });

    it("keeps a broken %-escape in an import URL a client error, not a crash", async () => {
      const ads = await sendRaw(
        ctx.emulator.url,
        json11(
          "AWSPoseidonService_V2015_11_01.StartImportTask",
          JSON.stringify({ name: "n", importUrl: "https://b.s3.amazonaws.com/%ZZ.csv" }),
        ),
      );
      assert.equal(ads.status, 200); // ADS accepts any URL of the pattern and fails the import when it cannot read the file
      const image = await sendRaw(
        ctx.emulator.url,
        form(
          `Action=ImportImage&Version=2016-11-15&DiskContainer.1.Format=VMDK&DiskContainer.1.Url=${encodeURIComponent("https://x.s3.amazonaws.com/%ZZ")}`,
        ),
      );
      assert.deepEqual(ec2ErrorOf(image), {
        status: 400,
        code: "InvalidParameterValue",
        message:
          "Value (https://x.s3.amazonaws.com/%ZZ) for parameter DiskContainer.1.Url is invalid. The URL must be an https:// or s3:// URL of an Amazon S3 object.",
      });
      assert.equal(ctx.emulator.stats().errors["ec2:ImportImage:InvalidParameterValue"], 1);
    });
  });

  it("finds no task for IDs that are property names of every JavaScript object", async () => {
    const body = JSON.stringify({
      filters: [
        {
          name: "IMPORT_TASK_ID",
          values: ["constructor", "__proto__", "toString", "hasOwnProperty"],
        },
      ],
    });
    const res = await sendRaw(
      ctx.emulator.url,
      json11("AWSPoseidonService_V2015_11_01.DescribeImportTasks", body),
    );
    assert.deepEqual([res.status, JSON.parse(res.text)], [200, { tasks: [] }]);
  });

  describe("wrongly typed members", () => {
    interface ModelShape {
      type?: string;
      shape?: string;
      members?: Record<string, ModelShape>;
      member?: ModelShape;
    }
    const wrongValues = (type: string | undefined): unknown[] => {
      switch (type ?? "string") {
        case "integer":
        case "long":
          return ["x", 1.5, -1, 1e20, [], {}, true];
        case "boolean":
          return ["x", 1, [], {}];
        case "list":
          return ["x", 5, {}, [5], [null], [{}], [[]]];
        case "structure":
          return ["x", 5, [], { zz: 1 }];
        case "map":
          return ["x", 5, [], { a: 5 }];
        case "timestamp":
          return ["x", [], {}, -1, 1e20];
        default:
          return [5, true, [], {}, "x".repeat(5000), ""];
      }
    };
    /** Bodies with one member (or one member of a member) of the wrong type, from the AWS model. */
    const bodiesFor = (
      model: { shapes: Record<string, ModelShape> },
      input: ModelShape | undefined,
    ): unknown[] => {
      const resolve = (s: ModelShape | undefined): ModelShape =>
        s?.shape ? (model.shapes[s.shape] ?? {}) : (s ?? {});
      const bodies: unknown[] = [[], "x", 5, {}];
      for (const [name, ref] of Object.entries(resolve(input).members ?? {})) {
        const shape = resolve(ref);
        for (const v of wrongValues(shape.type)) bodies.push({ [name]: v });
        const nested =
          shape.type === "list"
            ? resolve(shape.member)
            : shape.type === "structure"
              ? shape
              : undefined;
        for (const [inner, innerRef] of Object.entries(nested?.members ?? {})) {
          for (const v of wrongValues(resolve(innerRef).type))
            bodies.push({ [name]: shape.type === "list" ? [{ [inner]: v }] : { [inner]: v } });
        }
      }
      return bodies;
    };
    const services = [
      {
        model: "discovery-2015-11-01",
        signing: "discovery",
        target: "AWSPoseidonService_V2015_11_01",
      },
      { model: "AWSMigrationHub-2017-05-31", signing: "mgh", target: "AWSMigrationHub" },
      {
        model: "migrationhub-config-2019-06-30",
        signing: "mgh",
        target: "AWSMigrationHubMultiAccountService",
      },
      { model: "mgn-2020-02-26", signing: "mgn", target: undefined },
    ] as const;

    it("answers every implemented JSON operation with a 4xx in the protocol's shape (never a 5xx), from the AWS models", async () => {
      const em = ctx.emulator;
      await sendRaw(em.url, {
        service: "mgn",
        path: "/InitializeService",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      const ops: Record<string, string[]> = {
        "discovery-2015-11-01": ["StartImportTask", "DescribeImportTasks", "BatchDeleteImportData"],
        "mgn-2020-02-26": [
          "StartImport",
          "ListImports",
          "ListImportErrors",
          "DescribeSourceServers",
          "ListApplications",
          "ListWaves",
          "DeleteSourceServer",
          "DeleteApplication",
          "DeleteWave",
        ],
      };
      let sent = 0;
      const serverErrors: string[] = [];
      for (const svc of services) {
        const model = JSON.parse(
          readFileSync(
            join(__dirname, "..", "..", "node_modules", "aws-sdk", "apis", `${svc.model}.min.json`),
            "utf8",
          ),
        ) as {
          operations: Record<string, { input?: ModelShape }>;
          shapes: Record<string, ModelShape>;
        };
        for (const op of ops[svc.model] ?? Object.keys(model.operations)) {
          for (const body of bodiesFor(model, model.operations[op]?.input)) {
            const text = JSON.stringify(body);
            const res = svc.target
              ? await sendRaw(em.url, json11(`${svc.target}.${op}`, text, svc.signing))
              : await sendRaw(em.url, {
                  service: "mgn",
                  path: `/${op}`,
                  headers: { "content-type": "application/json" },
                  body: text,
                });
            sent++;
            if (res.status >= 500)
              serverErrors.push(
                `${op} ${text.slice(0, 80)} → ${res.status} ${res.text.slice(0, 120)}`,
              );
            if (res.status >= 400) {
              // Every error names its code where the SDKs look for it.
              assert.ok(res.headers.get("x-amzn-errortype"), `${op} ${text}: no x-amzn-errortype`);
              if (svc.target)
                assert.equal(JSON.parse(res.text).__type, res.headers.get("x-amzn-errortype"));
            }
          }
        }
      }
      assert.deepEqual(serverErrors, []);
      assert.ok(sent > 800, `only ${sent} bodies sent`);
      const health = await fetch(`${em.url}/_emulator/health`);
      assert.equal(health.status, 200);
    });
  });

  describe("oversized bodies", () => {
    let small: Emulator;
    before(async () => {
      small = await startEmulator({ rateLimits: false, maxObjectBytes: 4096 });
    });
    after(() => small.stop());

    it("refuses an S3 object over the limit, declared or streamed, with EntityTooLarge, and stays up", async () => {
      const s3 = new S3Client({ ...clientConfig(small), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "bk1" }));
      assert.deepEqual(
        await errorOf(
          s3.send(new PutObjectCommand({ Bucket: "bk1", Key: "big", Body: Buffer.alloc(8192, 1) })),
        ),
        {
          name: "EntityTooLarge",
          message: "Request body is too large",
          status: 400,
        },
      );
      // Chunked transfer: no Content-Length, so the limit trips while reading.
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(small.url);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            method: "PUT",
            path: "/bk1/streamed",
            headers: { "transfer-encoding": "chunked" },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        for (let i = 0; i < 8; i++) req.write(Buffer.alloc(1024, 2));
        req.end();
      });
      assert.equal(status, 400);
      await s3.send(
        new PutObjectCommand({ Bucket: "bk1", Key: "fits", Body: Buffer.alloc(4096, 1) }),
      );
    });

    it("refuses EC2 and MGN bodies over 1 MiB with 413 in their own shapes", async () => {
      const pad = "x".repeat(1024 * 1024 + 1);
      const ec2 = ec2ErrorOf(
        await sendRaw(
          ctx.emulator.url,
          form(`Action=DescribeImages&Version=2016-11-15&Pad=${pad}`),
        ),
      );
      assert.deepEqual(ec2, {
        status: 413,
        code: "RequestEntityTooLarge",
        message: "Request body is too large",
      });
      const mgn = await sendRaw(ctx.emulator.url, {
        service: "mgn",
        path: "/ListImports",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ pad }),
      });
      assert.deepEqual(
        [mgn.status, mgn.headers.get("x-amzn-errortype")],
        [413, "ValidationException"],
      );
    });
  });

  describe("concurrency", () => {
    it("answers 200 interleaved calls to five services at once, starting each idempotent task once", async () => {
      const em = ctx.emulator;
      const s3 = new S3Client({ ...clientConfig(em), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "imports" }));
      await s3.send(
        new PutObjectCommand({
          Bucket: "imports",
          Key: "servers.csv",
          Body: "ExternalId,HostName\ncmdb-1,web-1\n",
        }),
      );
      const ads = new Discovery({
        endpoint: em.url,
        region: "us-west-2",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxRetries: 0,
      });
      const start = (token: string) =>
        ads
          .startImportTask({
            name: "same",
            importUrl: "s3://imports/servers.csv",
            clientRequestToken: token,
          })
          .promise();
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 40; i++) {
        calls.push(start("shared-token"));
        calls.push(start(`token-${i}`));
        calls.push(
          sendRaw(em.url, json11("AWSMigrationHub.ListProgressUpdateStreams", "{}", "mgh")),
        );
        calls.push(sendRaw(em.url, form("Action=DescribeImportImageTasks&Version=2016-11-15")));
        calls.push(
          s3.send(new PutObjectCommand({ Bucket: "imports", Key: `obj-${i % 5}`, Body: `v${i}` })),
        );
      }
      const results = await Promise.all(calls);
      const ids = (k: number) =>
        results
          .filter((_, i) => i % 5 === k)
          .map((r) => (r as { task: { importTaskId: string } }).task.importTaskId);
      assert.equal(new Set(ids(0)).size, 1, "one task for the shared token");
      assert.equal(new Set(ids(1)).size, 40);
      assert.ok(!ids(1).includes(ids(0)[0]!));
      assert.deepEqual(
        results.filter((_, i) => i % 5 === 2 || i % 5 === 3).map((r) => (r as RawResponse).status),
        Array<number>(80).fill(200),
      );
      const all = await ads.describeImportTasks({ maxResults: 100 }).promise();
      assert.equal(all.tasks?.length, 41);
      assert.deepEqual(em.stats().requests, {
        "s3:CreateBucket": 1,
        "s3:PutObject": 41,
        "ads:StartImportTask": 80,
        "ads:DescribeImportTasks": 1,
        "migrationhub:ListProgressUpdateStreams": 40,
        "ec2:DescribeImportImageTasks": 40,
      });
      assert.deepEqual(em.stats().errors, {});
    });
  });

  describe("control API", () => {
    const cases: [string, unknown, string][] = [
      [
        "an unknown field",
        { timescale: 2 },
        "unknown config field timescale: expected timeScale, faults, rateLimits, advanceSeconds, homeRegion",
      ],
      ["a non-number time scale", { timeScale: "fast" }, "timeScale must be a number"],
      ["a fault list that is not a list", { faults: "x" }, "faults must be a list of fault rules"],
      [
        "a fault of unknown kind",
        { faults: [{ kind: "explode", probability: 1 }] },
        "faults[0].kind must be one of throttle, 5xx, latency, reset",
      ],
      [
        "a fault without a probability",
        { faults: [{ kind: "5xx" }] },
        "faults[0].probability must be a number between 0 and 1",
      ],
      [
        "rate limits of the wrong shape",
        { rateLimits: 5 },
        'rateLimits must be false or an object of "service:Operation" → { ratePerSecond, burst }',
      ],
      [
        "a rate limit without a burst",
        { rateLimits: { "ads:*": { ratePerSecond: 1 } } },
        'rateLimits["ads:*"] must be { ratePerSecond: a number >= 0, burst: a number >= 1 }',
      ],
      [
        "a home region that is not a region",
        { homeRegion: 5 },
        'homeRegion must be a region name like "us-west-2"',
      ],
    ];
    for (const [title, patch, message] of cases) {
      it(`refuses ${title} with 400 and changes nothing`, async () => {
        const res = await fetch(`${ctx.emulator.url}/_emulator/config`, {
          method: "POST",
          body: JSON.stringify({ timeScale: 7, ...(patch as object) }),
        });
        assert.deepEqual([res.status, await res.json()], [400, { message }]);
        assert.equal(ctx.emulator.stats().timeScale, 1000);
      });
    }
  });
});

describe("an operation that throws (an emulator bug)", () => {
  it("answers the service's own 5xx in its protocol's shape, counts it, and keeps serving", async () => {
    const broken = new EmulatorServer(
      [
        {
          key: "ads",
          protocol: "awsJson1_1",
          signingNames: ["discovery"],
          targetPrefix: "AWSPoseidonService_V2015_11_01",
          messageKey: "message",
          // A model without operations: every request reaches these handlers.
          validation: {
            model: { protocol: "json", operations: {}, shapes: {} },
            refuse: () => new ServiceError("InvalidParameterException", "unused", 400),
          },
          operations: {
            DescribeImportTasks: {
              handler: () => {
                throw new TypeError("boom");
              },
            },
            StartImportTask: { handler: () => ({ ok: true }) },
          },
        },
      ],
      { rateLimits: false },
    );
    const url = await broken.listen();
    try {
      const res = await sendRaw(
        url,
        json11("AWSPoseidonService_V2015_11_01.DescribeImportTasks", "{}"),
      );
      assert.deepEqual(
        [res.status, res.headers.get("x-amzn-errortype"), JSON.parse(res.text)],
        [
          500,
          "ServerInternalErrorException",
          { __type: "ServerInternalErrorException", message: "emulator bug: boom" },
        ],
      );
      const next = await sendRaw(
        url,
        json11("AWSPoseidonService_V2015_11_01.StartImportTask", "{}"),
      );
      assert.deepEqual([next.status, JSON.parse(next.text)], [200, { ok: true }]);
      assert.deepEqual(broken.getStats().errors, {
        "ads:DescribeImportTasks:ServerInternalErrorException": 1,
      });
    } finally {
      await broken.stop();
    }
  });
});
