/**
 * Scenario 6 — hostile wire input: seeded random and malformed requests (methods, paths, headers,
 * bodies, signatures right and wrong, oversized payloads, raw garbage on the socket) against the
 * emulator. Every answer is the error the protocol's front end sends (JSON `__type`, REST-JSON
 * `x-amzn-errortype`, EC2 `<Response><Errors>`, S3 `<Error>`), never a 500 AWS would not send; the
 * emulator stays up, and its memory stays bounded.
 */
import { strict as assert } from "node:assert";
import { request } from "node:http";
import { connect } from "node:net";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { type Emulator, startEmulator } from "../../emulator";
import { record } from "./summary";
import { REGION, seeded } from "./support";

const SCENARIO = "6 hostile wire input";
const CASES = 1500;
const RAW_CASES = 150;

type Protocol = "awsJson" | "restJson" | "ec2" | "s3";
interface Profile {
  signingName: string;
  protocol: Protocol;
  target?: string;
  names: string[];
}
const PROFILES: Profile[] = [
  {
    signingName: "discovery",
    protocol: "awsJson",
    target: "AWSPoseidonService_V2015_11_01",
    names: ["StartImportTask", "DescribeImportTasks", "BatchDeleteImportData", "Nope"],
  },
  {
    signingName: "mgh",
    protocol: "awsJson",
    target: "AWSMigrationHub",
    names: ["ImportMigrationTask", "NotifyMigrationTaskState", "DescribeMigrationTask", "X"],
  },
  {
    signingName: "mgn",
    protocol: "restJson",
    names: ["/StartImport", "/ListImports", "/ListImportErrors", "/Nope", "/"],
  },
  {
    signingName: "ec2",
    protocol: "ec2",
    names: [
      "ImportImage",
      "DescribeImportImageTasks",
      "ImportInstance",
      "CancelImportTask",
      "Bogus",
    ],
  },
  {
    signingName: "s3",
    protocol: "s3",
    names: ["/migration-data", "/migration-data/servers.csv", "/", "/a/b/../c"],
  },
];

interface Case {
  profile: Profile;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  auth: "good" | "unsigned" | "wrongSecret";
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(
  url: string,
  c: { method: string; path: string; headers: Record<string, string>; body: Buffer },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // An explicit length: node sends DELETE/OPTIONS bodies unframed otherwise.
    const headers = { ...c.headers, "content-length": String(c.body.length) };
    const req = request(`${url}${c.path}`, { method: c.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(c.body.length > 0 ? c.body : undefined);
  });
}

async function signed(
  url: string,
  c: Case,
): Promise<{ method: string; path: string; headers: Record<string, string>; body: Buffer }> {
  const u = new URL(url);
  const [path, query] = c.path.split("?", 2) as [string, string | undefined];
  const q: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query ?? "")) q[k] = v;
  const req = new HttpRequest({
    method: c.method,
    protocol: "http:",
    hostname: u.hostname,
    port: Number(u.port),
    path,
    query: q,
    headers: { host: u.host, ...c.headers },
    body: c.body,
  });
  if (c.auth === "unsigned") return { ...c, headers: { host: u.host, ...c.headers } };
  const out = await new SignatureV4({
    service: c.profile.signingName,
    region: REGION,
    credentials: {
      accessKeyId: "test",
      secretAccessKey: c.auth === "good" ? "test" : "wrong-secret",
    },
    sha256: Hash.bind(null, "sha256"),
  }).sign(req);
  return { method: c.method, path: c.path, headers: out.headers, body: c.body };
}

const jsonish = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    "}",
    "[]",
    "null",
    "1",
    '"x"',
    '{"name":',
    '{"name": 1}',
    '{"a":"\\ud800"}',
    "\u0000",
    '{"__proto__": {"x": 1}}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => "[".repeat(n) + "]".repeat(n)),
  fc.string({ unit: "binary", maxLength: 200 }),
);
const formish = fc.oneof(
  fc.constantFrom(
    "Action=ImportImage",
    "Action=ImportImage&Version=2016-11-15&DiskContainer.1.Url=%zz",
    "Action=&&&==",
    "Action=DescribeImportImageTasks&ImportTaskId.1=import-ami-x&MaxResults=-1",
    "%",
    "Action=ImportInstance&Platform=Linux",
  ),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 5 })
    .map((d) => new URLSearchParams(d).toString()),
);
const bytes = fc.uint8Array({ maxLength: 4000 }).map((a) => Buffer.from(a));
const HEADER_NAMES = [
  "content-type",
  "content-encoding",
  "x-amz-content-sha256",
  "x-amz-date",
  "accept",
  "x-amz-security-token",
  "x-forwarded-for",
  "expect-not",
  "range",
  "x-amz-user-agent",
];
const headerValue = fc.oneof(
  fc.constantFrom(
    "",
    "application/x-amz-json-1.1",
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "gzip",
    "0".repeat(64),
    "UNSIGNED-PAYLOAD",
    "bytes=0-0",
    "20991231T000000Z",
  ),
  fc.string({ unit: fc.constantFrom(..."abcXYZ019-_ ;=/.:,"), maxLength: 60 }),
);

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    profile: fc.constantFrom(...PROFILES),
    nameIndex: fc.nat(),
    method: fc.oneof(
      { weight: 3, arbitrary: fc.constant("POST") },
      fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PROPFIND"),
    ),
    pathKind: fc.constantFrom("native", "native", "root", "random", "encoded", "emulator", "long"),
    randomPath: fc.string({ unit: fc.constantFrom(..."abc/%.?&=_~-+ü"), maxLength: 40 }),
    bodyKind: fc.constantFrom("native", "json", "form", "bytes", "empty", "big"),
    body: fc.oneof(jsonish, formish),
    rawBody: bytes,
    headers: fc.dictionary(fc.constantFrom(...HEADER_NAMES), headerValue, { maxKeys: 4 }),
    target: fc.constantFrom("good", "good", "good", "badOp", "garbage", "none"),
    auth: fc.constantFrom<Case["auth"]>("good", "good", "good", "good", "unsigned", "wrongSecret"),
  })
  .map((r) => {
    const p = r.profile;
    const name = p.names[r.nameIndex % p.names.length]!;
    const headers: Record<string, string> = { ...r.headers };
    let path = "/";
    if (p.protocol === "restJson" || p.protocol === "s3") path = name;
    if (r.pathKind === "random") path = "/" + r.randomPath;
    if (r.pathKind === "encoded") path = "/%E0%A4%A%zz/..%2f..%2f";
    if (r.pathKind === "emulator") path = "/_emulator/" + r.randomPath.replace(/^config/, "");
    if (r.pathKind === "long") path = "/" + "a".repeat(8000);
    if (p.protocol === "awsJson" && r.target !== "none") {
      headers["x-amz-target"] =
        r.target === "good"
          ? `${p.target}.${name}`
          : r.target === "badOp"
            ? `${p.target}.${name}Nope`
            : "Nope.%%%";
      headers["content-type"] ??= "application/x-amz-json-1.1";
    }
    let body: Buffer;
    switch (r.bodyKind) {
      case "native":
        body = Buffer.from(
          p.protocol === "ec2" ? `Action=${name}&Version=2016-11-15&${r.body}` : r.body,
        );
        if (p.protocol === "ec2") headers["content-type"] ??= "application/x-www-form-urlencoded";
        break;
      case "json":
      case "form":
        body = Buffer.from(r.body);
        break;
      case "bytes":
        body = r.rawBody;
        break;
      case "empty":
        body = Buffer.alloc(0);
        break;
      case "big":
        body = Buffer.from(JSON.stringify({ name: "x".repeat(1_200_000) }));
        break;
    }
    const method = r.method === "GET" || r.method === "HEAD" ? r.method : r.method;
    return {
      profile: p,
      method,
      path,
      headers,
      body: method === "GET" || method === "HEAD" ? Buffer.alloc(0) : body,
      auth: r.auth,
    };
  });

/** The AWS error shape of a reply, or why it is none. */
function errorShape(
  reply: Reply,
  method: string,
): { protocol: Protocol | "control"; code: string } | string {
  const ct = String(reply.headers["content-type"] ?? "");
  const typeHeader = reply.headers["x-amzn-errortype"];
  if (method === "HEAD") return { protocol: "s3", code: `HEAD ${reply.status}` }; // no body by definition
  if (ct.startsWith("application/x-amz-json-1.1")) {
    const body = JSON.parse(reply.body) as { __type?: unknown };
    if (typeof body.__type !== "string" || body.__type !== typeHeader)
      return `awsJson without a matching __type: ${reply.body.slice(0, 200)}`;
    return { protocol: "awsJson", code: body.__type };
  }
  if (ct.startsWith("application/json")) {
    const body = JSON.parse(reply.body) as { message?: unknown };
    if (typeof body.message !== "string")
      return `JSON error without message: ${reply.body.slice(0, 200)}`;
    if (typeof typeHeader === "string") return { protocol: "restJson", code: typeHeader };
    return { protocol: "control", code: String(reply.status) };
  }
  if (ct.startsWith("text/xml")) {
    const m =
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<Response><Errors><Error><Code>([A-Za-z.]+)<\/Code><Message>[^<]*<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]+<\/RequestID><\/Response>$/.exec(
        reply.body,
      );
    return m
      ? { protocol: "ec2", code: m[1]! }
      : `EC2 error not in <Response><Errors> shape: ${reply.body.slice(0, 200)}`;
  }
  if (ct.startsWith("application/xml")) {
    const m =
      /<Error><Code>([A-Za-z]+)<\/Code><Message>[^<]*<\/Message>.*<RequestId>[^<]+<\/RequestId><\/Error>$/s.exec(
        reply.body,
      );
    return m
      ? { protocol: "s3", code: m[1]! }
      : `S3 error not in <Error> shape: ${reply.body.slice(0, 200)}`;
  }
  return `no AWS error shape (content-type ${JSON.stringify(ct)}): ${reply.body.slice(0, 200)}`;
}

/** Writes `head`, then `mibChunks` 1 MiB chunks (chunked encoding); returns what came back. */
function rawExchange(port: number, head: string, mibChunks: number): Promise<string> {
  return new Promise((resolve) => {
    let got = "";
    const s = connect(port, "127.0.0.1", () => {
      s.write(head);
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let i = 0;
      const pump = (): void => {
        while (i < mibChunks && !s.destroyed) {
          i++;
          s.write(`${chunk.length.toString(16)}\r\n`);
          s.write(chunk);
          const more = s.write("\r\n");
          if (!more) return void s.once("drain", pump);
        }
        if (mibChunks > 0 && !s.destroyed) s.write("0\r\n\r\n");
      };
      pump();
    });
    s.on("data", (d: Buffer) => (got += d.toString("latin1")));
    s.on("error", () => resolve(got));
    s.on("close", () => resolve(got));
    s.setTimeout(20_000, () => s.destroy());
  });
}

function memory(): number {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe(SCENARIO, function () {
  this.timeout(300_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ homeRegion: REGION, rateLimits: false, timeScale: 1000 });
  });
  after(() => emulator?.stop());

  it(`${CASES} seeded malformed requests: the protocol's own error every time, no 500, no crash, memory bounded`, async () => {
    const cases = fc.sample(caseArb, { numRuns: CASES, seed: 6 });
    const before = memory();
    const problems: string[] = [];
    const codes: Record<string, number> = {};
    for (const c of cases) {
      const wire = await signed(emulator.url, c);
      const reply = await send(emulator.url, wire);
      const where = `${c.method} ${c.path.slice(0, 60)} (${c.profile.signingName}, ${c.auth}, ${c.body.length} bytes)`;
      // S3 answers methods and sub-resources it does not implement with 501 NotImplemented.
      const s3NotImplemented =
        reply.status === 501 &&
        (/<Code>NotImplemented<\/Code>/.test(reply.body) ||
          (c.method === "HEAD" && c.profile.protocol === "s3"));
      if (reply.status >= 500 && !s3NotImplemented) {
        problems.push(`${where}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
        continue;
      }
      if (reply.status < 400) continue; // a hostile request that happens to be valid
      const shape = errorShape(reply, c.method);
      if (typeof shape === "string") {
        problems.push(`${where}: ${shape}`);
        continue;
      }
      const targeted = c.headers["x-amz-target"]?.startsWith(c.profile.target ?? "\u0000") === true;
      // /_emulator/ is the emulator's control API, with JSON errors of its own.
      const expected: Protocol | "control" | undefined = c.path.startsWith("/_emulator/")
        ? "control"
        : c.profile.protocol === "awsJson"
          ? targeted
            ? "awsJson"
            : undefined
          : c.auth === "good"
            ? c.profile.protocol
            : undefined;
      if (expected !== undefined && c.method !== "HEAD" && shape.protocol !== expected) {
        problems.push(
          `${where}: ${shape.protocol} error ${shape.code}, expected the ${expected} shape`,
        );
      }
      codes[`${shape.protocol}:${shape.code}`] =
        (codes[`${shape.protocol}:${shape.code}`] ?? 0) + 1;
    }

    // Raw garbage on the socket: node's parser answers 400 or closes; the emulator stays up.
    const random = seeded(66);
    const port = Number(new URL(emulator.url).port);
    for (let i = 0; i < RAW_CASES; i++) {
      const junk = Buffer.from(
        Array.from({ length: 1 + Math.floor(random() * 3000) }, () => Math.floor(random() * 256)),
      );
      const prefix = [
        "",
        "POST / HTTP/1.1\r\n",
        "GET /\u0000 HTTP/1.1\r\nHost: x\r\n",
        "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      ][i % 5]!;
      await new Promise<void>((resolve) => {
        const s = connect(port, "127.0.0.1", () =>
          s.end(Buffer.concat([Buffer.from(prefix), junk])),
        );
        s.on("data", (d: Buffer) => {
          const status = /^HTTP\/1\.1 (\d{3})/.exec(d.toString("latin1"))?.[1];
          if (status !== undefined && status.startsWith("5"))
            problems.push(`raw case ${i}: HTTP ${status}`);
        });
        s.on("error", () => resolve());
        s.on("close", () => resolve());
        s.setTimeout(2000, () => s.destroy());
      });
    }

    const grown = memory() - before;

    // Oversized: a 2 MB JSON body to a JSON service; a PutObject declaring 65 MiB (over the 64 MiB
    // limit), refused before its body is read; the same streamed chunked, read but never kept.
    const big = await send(
      emulator.url,
      await signed(emulator.url, {
        profile: PROFILES[0]!,
        method: "POST",
        path: "/",
        headers: {
          "x-amz-target": `${PROFILES[0]!.target}.StartImportTask`,
          "content-type": "application/x-amz-json-1.1",
        },
        body: Buffer.alloc(2 * 1024 * 1024, 0x20),
        auth: "good",
      }),
    );
    assert.deepEqual(
      [big.status, errorShape(big, "POST")],
      [413, { protocol: "awsJson", code: "SerializationException" }],
    );
    const declared = await rawExchange(
      port,
      `PUT /migration-data/huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${65 * 1024 * 1024}\r\n\r\n`,
      0,
    );
    assert.match(declared, /^HTTP\/1\.1 400 [\s\S]*<Error><Code>EntityTooLarge<\/Code>/);
    const beforeChunked = memory();
    const chunked = await rawExchange(
      port,
      "PUT /migration-data/huge.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
      66,
    );
    assert.match(chunked, /^HTTP\/1\.1 400 [\s\S]*<Error><Code>EntityTooLarge<\/Code>/);
    const grownChunked = memory() - beforeChunked;

    const health = await send(emulator.url, {
      method: "GET",
      path: "/_emulator/health",
      headers: {},
      body: Buffer.alloc(0),
    });
    assert.deepEqual([health.status, health.body], [200, '{"ok":true}']);
    const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
    console.log(
      `      heap+buffers grew ${mib(grown)} MiB over ${CASES + RAW_CASES} requests, ${mib(grownChunked)} MiB after a 66 MiB chunked upload; ${Object.keys(codes).length} distinct errors`,
    );
    const total = CASES + RAW_CASES + 3;
    record(SCENARIO, { runs: total, faults: total, resources: PROFILES.length });
    assert.deepEqual(problems, []);
    assert.ok(grown < 32 * 1024 * 1024, `memory grew ${grown} bytes`);
    assert.ok(
      grownChunked < 16 * 1024 * 1024,
      `memory grew ${grownChunked} bytes after the chunked upload`,
    );
  });
});
