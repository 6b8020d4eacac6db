import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdsApi } from "../../../../provider/ads/api";
import { isAwsApiError } from "../../../../provider/core/errors";

const A = "import-task-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const B = "import-task-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const C = "import-task-cccccccccccccccccccccccccccccccc";

/** Answers each request with the next body (HTTP 200) and records target and body. */
async function scripted(
  bodies: unknown[],
): Promise<{ url: string; seen: { target: string; body: unknown }[]; server: Server }> {
  const seen: { target: string; body: unknown }[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d.toString()));
    req.on("end", () => {
      seen.push({ target: String(req.headers["x-amz-target"]), body: JSON.parse(text) as unknown });
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(bodies.shift() ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe("ads api (the provider's only network I/O)", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it("describeImportTasks filters by IMPORT_TASK_ID, follows nextToken, and keeps only the IDs asked for", async () => {
    const s = await scripted([
      {
        tasks: [{ importTaskId: A, status: "IMPORT_COMPLETE", importRequestTime: 1700000000 }],
        nextToken: "p2",
      },
      {
        tasks: [
          { importTaskId: B, status: "IMPORT_IN_PROGRESS" },
          { importTaskId: C, status: "IMPORT_COMPLETE" },
        ],
      },
    ]);
    server = s.server;
    const api = createAdsApi({ region: "us-west-2", endpoint: s.url, endpoints: {} });
    const found = await api.describeImportTasks([A, B]);
    assert.deepEqual(s.seen, [
      {
        target: "AWSPoseidonService_V2015_11_01.DescribeImportTasks",
        body: { filters: [{ name: "IMPORT_TASK_ID", values: [A, B] }], maxResults: 100 },
      },
      {
        target: "AWSPoseidonService_V2015_11_01.DescribeImportTasks",
        body: {
          filters: [{ name: "IMPORT_TASK_ID", values: [A, B] }],
          maxResults: 100,
          nextToken: "p2",
        },
      },
    ]);
    assert.deepEqual(
      [...found.entries()],
      [
        [
          A,
          {
            importTaskId: A,
            status: "IMPORT_COMPLETE",
            importRequestTime: new Date(1700000000000),
          },
        ],
        [B, { importTaskId: B, status: "IMPORT_IN_PROGRESS" }],
      ],
    );
  });

  it("describeImportTasks drops a task without an ID or a status (ADS always sends both)", async () => {
    const s = await scripted([
      {
        tasks: [{ importTaskId: A }, { status: "IMPORT_COMPLETE" }, { importTaskId: B, status: 7 }],
      },
    ]);
    server = s.server;
    const api = createAdsApi({ region: "us-west-2", endpoint: s.url, endpoints: {} });
    assert.deepEqual([...(await api.describeImportTasks([A, B])).entries()], []);
  });

  it("describeImportTasks of no IDs makes no call", async () => {
    const s = await scripted([]);
    server = s.server;
    const api = createAdsApi({ region: "us-west-2", endpoint: s.url, endpoints: {} });
    assert.equal((await api.describeImportTasks([])).size, 0);
    assert.deepEqual(s.seen, []);
  });

  it("batchDeleteImportData reports each ID: the ones in `errors` refused, the rest accepted", async () => {
    const s = await scripted([
      { errors: [{ importTaskId: B, errorCode: "OVER_LIMIT", errorDescription: "daily limit" }] },
    ]);
    server = s.server;
    const api = createAdsApi({ region: "us-west-2", endpoints: { ads: s.url } });
    const outcomes = await api.batchDeleteImportData([A, B], true);
    assert.deepEqual(s.seen, [
      {
        target: "AWSPoseidonService_V2015_11_01.BatchDeleteImportData",
        body: { importTaskIds: [A, B], deleteHistory: true },
      },
    ]);
    assert.deepEqual(
      [...outcomes.entries()],
      [
        [A, { accepted: true }],
        [B, { accepted: false, errorCode: "OVER_LIMIT", errorDescription: "daily limit" }],
      ],
    );
  });

  it("startImportTask sends the token and fails with a non-retryable MalformedResponse when the answer has no task", async () => {
    const s = await scripted([{}]);
    server = s.server;
    const api = createAdsApi({ region: "us-west-2", endpoint: s.url, endpoints: {} });
    const err = await api
      .startImportTask({ name: "n", importUrl: "s3://b-b/k.csv", clientRequestToken: "pam-1" })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(isAwsApiError(err));
    assert.deepEqual(
      { code: err.code, retryable: err.retryable, message: err.message },
      {
        code: "MalformedResponse",
        retryable: false,
        message: "ads StartImportTask failed: MalformedResponse: the response has no task",
      },
    );
    assert.deepEqual(s.seen[0]!.body, {
      name: "n",
      importUrl: "s3://b-b/k.csv",
      clientRequestToken: "pam-1",
    });
  });
});
