import { strict as assert } from "node:assert";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApplicationDiscoveryServiceClient,
  BatchDeleteImportDataCommand,
  DescribeImportTasksCommand,
  StartImportTaskCommand,
} from "../../../../provider/ads/client";

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/** A scripted awsJson1_1 endpoint: answers each request with the next reply, records what came. */
async function scriptedServer(
  replies: Reply[],
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const reply = replies.shift() ?? { status: 500, body: "{}" };
      res.writeHead(reply.status, {
        "content-type": "application/x-amz-json-1.1",
        "x-amzn-requestid": `req-${seen.length}`,
        ...reply.headers,
      });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, server };
}

const TASK_WIRE = {
  importTaskId: "import-task-0123456789abcdef0123456789abcdef",
  clientRequestToken: "pam-abc",
  name: "servers-q3",
  importUrl: "s3://bucket/servers.csv",
  status: "IMPORT_IN_PROGRESS",
  importRequestTime: 1547682819.801,
  serverImportSuccess: 0,
};

function client(url: string, maxAttempts = 1): ApplicationDiscoveryServiceClient {
  return new ApplicationDiscoveryServiceClient({
    region: "us-west-2",
    endpoint: url,
    credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    maxAttempts,
  });
}

describe("ads client (ApplicationDiscoveryServiceClient)", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  describe("StartImportTask", () => {
    it("posts a SigV4-signed awsJson1_1 request with the Poseidon target and revives epoch-second timestamps as Dates", async () => {
      const s = await scriptedServer([{ status: 200, body: JSON.stringify({ task: TASK_WIRE }) }]);
      server = s.server;
      const out = await client(s.url).send(
        new StartImportTaskCommand({
          name: "servers-q3",
          importUrl: "s3://bucket/servers.csv",
          clientRequestToken: "pam-abc",
        }),
      );
      assert.equal(s.seen.length, 1);
      const req = s.seen[0]!;
      assert.equal(req.method, "POST");
      assert.equal(req.url, "/");
      assert.equal(req.headers["content-type"], "application/x-amz-json-1.1");
      assert.equal(req.headers["x-amz-target"], "AWSPoseidonService_V2015_11_01.StartImportTask");
      assert.match(
        req.headers["authorization"] ?? "",
        /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-west-2\/discovery\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
      );
      assert.deepEqual(JSON.parse(req.body), {
        name: "servers-q3",
        importUrl: "s3://bucket/servers.csv",
        clientRequestToken: "pam-abc",
      });
      assert.deepEqual(out, {
        task: { ...TASK_WIRE, importRequestTime: new Date(1547682819801) },
        $metadata: { httpStatusCode: 200, requestId: "req-1", attempts: 1 },
      });
    });

    it("fills in a UUID clientRequestToken when none is given, like a generated client (idempotencyToken)", async () => {
      const s = await scriptedServer([{ status: 200, body: JSON.stringify({ task: TASK_WIRE }) }]);
      server = s.server;
      await client(s.url).send(
        new StartImportTaskCommand({ name: "n", importUrl: "s3://b/k.csv" }),
      );
      const sent = JSON.parse(s.seen[0]!.body) as Record<string, unknown>;
      assert.match(
        String(sent["clientRequestToken"]),
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    });

    it("reuses the same generated token when it retries a 5xx, so one send never starts two tasks", async () => {
      const s = await scriptedServer([
        {
          status: 500,
          body: JSON.stringify({ __type: "ServerInternalErrorException", message: "try again" }),
        },
        { status: 200, body: JSON.stringify({ task: TASK_WIRE }) },
      ]);
      server = s.server;
      const out = await client(s.url, 2).send(
        new StartImportTaskCommand({ name: "n", importUrl: "s3://b/k.csv" }),
      );
      assert.equal(s.seen.length, 2);
      const first = JSON.parse(s.seen[0]!.body) as Record<string, unknown>;
      const second = JSON.parse(s.seen[1]!.body) as Record<string, unknown>;
      assert.equal(first["clientRequestToken"], second["clientRequestToken"]);
      assert.deepEqual(out.$metadata, { httpStatusCode: 200, requestId: "req-2", attempts: 2 });
    });
  });

  describe("DescribeImportTasks", () => {
    it("sends the filters and returns tasks (Dates revived) and the nextToken", async () => {
      const s = await scriptedServer([
        {
          status: 200,
          body: JSON.stringify({
            tasks: [{ ...TASK_WIRE, status: "IMPORT_COMPLETE", importCompletionTime: 1547683000 }],
            nextToken: "t2",
          }),
        },
      ]);
      server = s.server;
      const out = await client(s.url).send(
        new DescribeImportTasksCommand({
          filters: [{ name: "IMPORT_TASK_ID", values: [TASK_WIRE.importTaskId] }],
          maxResults: 100,
        }),
      );
      assert.equal(
        s.seen[0]!.headers["x-amz-target"],
        "AWSPoseidonService_V2015_11_01.DescribeImportTasks",
      );
      assert.deepEqual(JSON.parse(s.seen[0]!.body), {
        filters: [{ name: "IMPORT_TASK_ID", values: [TASK_WIRE.importTaskId] }],
        maxResults: 100,
      });
      assert.deepEqual(out, {
        tasks: [
          {
            ...TASK_WIRE,
            status: "IMPORT_COMPLETE",
            importRequestTime: new Date(1547682819801),
            importCompletionTime: new Date(1547683000000),
          },
        ],
        nextToken: "t2",
        $metadata: { httpStatusCode: 200, requestId: "req-1", attempts: 1 },
      });
    });

    it("keeps only the modeled members of their documented type, so no wire null reaches the outputs", async () => {
      const wire = {
        importTaskId: TASK_WIRE.importTaskId,
        status: "IMPORT_IN_PROGRESS",
        serverImportSuccess: null,
        serverImportFailure: "2",
        name: 5,
        importCompletionTime: 1e300,
        importDeletedTime: "yesterday",
        unmodeled: "x",
      };
      const s = await scriptedServer([
        { status: 200, body: JSON.stringify({ tasks: [wire, {}] }) },
      ]);
      server = s.server;
      const out = await client(s.url).send(new DescribeImportTasksCommand({}));
      assert.deepEqual(out.tasks, [
        { importTaskId: TASK_WIRE.importTaskId, status: "IMPORT_IN_PROGRESS" },
        {},
      ]);
    });

    it("returns an empty task list when the response has none", async () => {
      const s = await scriptedServer([{ status: 200, body: "{}" }]);
      server = s.server;
      const out = await client(s.url).send(new DescribeImportTasksCommand({}));
      assert.deepEqual(out, {
        tasks: [],
        $metadata: { httpStatusCode: 200, requestId: "req-1", attempts: 1 },
      });
    });
  });

  describe("BatchDeleteImportData", () => {
    it("sends the IDs and deleteHistory and returns the per-ID errors of a partial failure", async () => {
      const errors = [
        { importTaskId: "import-task-x", errorCode: "NOT_FOUND", errorDescription: "no such task" },
      ];
      const s = await scriptedServer([{ status: 200, body: JSON.stringify({ errors }) }]);
      server = s.server;
      const out = await client(s.url).send(
        new BatchDeleteImportDataCommand({ importTaskIds: ["import-task-x"], deleteHistory: true }),
      );
      assert.equal(
        s.seen[0]!.headers["x-amz-target"],
        "AWSPoseidonService_V2015_11_01.BatchDeleteImportData",
      );
      assert.deepEqual(JSON.parse(s.seen[0]!.body), {
        importTaskIds: ["import-task-x"],
        deleteHistory: true,
      });
      assert.deepEqual(out, {
        errors,
        $metadata: { httpStatusCode: 200, requestId: "req-1", attempts: 1 },
      });
    });
  });

  describe("errors", () => {
    async function failure(
      reply: Reply,
      maxAttempts = 1,
    ): Promise<{ err: Record<string, unknown>; requests: number }> {
      const s = await scriptedServer([reply, reply, reply]);
      server = s.server;
      try {
        await client(s.url, maxAttempts).send(new DescribeImportTasksCommand({}));
      } catch (e) {
        const err = e as Error & { $fault: string; $metadata: unknown };
        return {
          err: {
            name: err.name,
            message: err.message,
            $fault: err.$fault,
            $metadata: err.$metadata,
          },
          requests: s.seen.length,
        };
      }
      throw new assert.AssertionError({ message: "expected the call to fail" });
    }

    it("names the error after the body's __type (namespace stripped) with the lowercase message member", async () => {
      const r = await failure({
        status: 400,
        body: JSON.stringify({
          __type: "com.amazonaws.discovery#HomeRegionNotSetException",
          message: "The home region is not set.",
        }),
      });
      assert.deepEqual(r, {
        err: {
          name: "HomeRegionNotSetException",
          message: "The home region is not set.",
          $fault: "client",
          $metadata: { httpStatusCode: 400, requestId: "req-1" },
        },
        requests: 1,
      });
    });

    it("falls back to the x-amzn-errortype header when the body is not JSON", async () => {
      const r = await failure({
        status: 400,
        body: "<html>denied</html>",
        headers: { "x-amzn-errortype": "AuthorizationErrorException:http://internal.amazon.com/" },
      });
      assert.deepEqual(r, {
        err: {
          name: "AuthorizationErrorException",
          message: "HTTP 400",
          $fault: "client",
          $metadata: { httpStatusCode: 400, requestId: "req-1" },
        },
        requests: 1,
      });
    });

    it("does not retry a 4xx client error even with attempts to spare", async () => {
      const r = await failure(
        {
          status: 400,
          body: JSON.stringify({ __type: "InvalidParameterValueException", message: "bad url" }),
        },
        3,
      );
      assert.deepEqual(r, {
        err: {
          name: "InvalidParameterValueException",
          message: "bad url",
          $fault: "client",
          $metadata: { httpStatusCode: 400, requestId: "req-1" },
        },
        requests: 1,
      });
    });

    it("makes exactly maxAttempts requests for a persistent 5xx and throws the last error as a server fault", async () => {
      const r = await failure(
        {
          status: 500,
          body: JSON.stringify({ __type: "ServerInternalErrorException", message: "boom" }),
        },
        2,
      );
      assert.deepEqual(r, {
        err: {
          name: "ServerInternalErrorException",
          message: "boom",
          $fault: "server",
          $metadata: { httpStatusCode: 500, requestId: "req-2" },
        },
        requests: 2,
      });
    });

    it("with maxAttempts 1 (how the provider builds it) sends a throttled call once and leaves retrying to the caller", async () => {
      const r = await failure(
        {
          status: 400,
          body: JSON.stringify({ __type: "ThrottlingException", message: "slow down" }),
        },
        1,
      );
      assert.deepEqual(r, {
        err: {
          name: "ThrottlingException",
          message: "slow down",
          $fault: "client",
          $metadata: { httpStatusCode: 400, requestId: "req-1" },
        },
        requests: 1,
      });
    });

    it("fails with ConfigError before any request when no region is configured", async () => {
      const saved = { r: process.env["AWS_REGION"], d: process.env["AWS_DEFAULT_REGION"] };
      delete process.env["AWS_REGION"];
      delete process.env["AWS_DEFAULT_REGION"];
      try {
        const c = new ApplicationDiscoveryServiceClient({ endpoint: "http://127.0.0.1:1" });
        await assert.rejects(c.send(new DescribeImportTasksCommand({})), {
          name: "ConfigError",
          message: "Region is missing",
        });
      } finally {
        if (saved.r !== undefined) process.env["AWS_REGION"] = saved.r;
        if (saved.d !== undefined) process.env["AWS_DEFAULT_REGION"] = saved.d;
      }
    });

    it("surfaces a refused connection as ECONNREFUSED after its attempts", async () => {
      const c = new ApplicationDiscoveryServiceClient({
        region: "us-west-2",
        endpoint: "http://127.0.0.1:1",
        credentials: { accessKeyId: "a", secretAccessKey: "b" },
        maxAttempts: 1,
      });
      await assert.rejects(c.send(new DescribeImportTasksCommand({})), { code: "ECONNREFUSED" });
    });
  });
});
