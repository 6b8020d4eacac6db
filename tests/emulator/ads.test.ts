import { strict as assert } from "node:assert";
import { inflateRawSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateHomeRegionControlCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import { Discovery } from "aws-sdk";
import type { Emulator } from "../../emulator";
import { presignEmulatorUrl } from "../../emulator/core/sigv4";
import { clientConfig, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";

const ACCOUNT = "123456789012";
const HOME = "us-west-2";
const BUCKET = "imports";

// ---- A sample CSV builder for the Migration Hub import template --------------------------------

type Row = Readonly<Record<string, string>>;

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
const field = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * Builds an import file. The header is the union of the rows' columns in first-seen order unless
 * given; a missing cell is empty. Lines end with CRLF, as spreadsheet exports do.
 */
function importCsv(rows: readonly Row[], header?: readonly string[]): string {
  const columns = header ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns, ...rows.map((r) => columns.map((c) => r[c] ?? ""))]
    .map((cells) => cells.map(field).join(",") + "\r\n")
    .join("");
}

/** `n` servers with distinct host names (`host-0001`…), optionally with extra columns. */
function servers(n: number, extra: (i: number) => Row = () => ({})): Row[] {
  return Array.from({ length: n }, (_, i) => ({
    HostName: `host-${String(i + 1).padStart(5, "0")}`,
    ...extra(i + 1),
  }));
}

// ---- Unzipping the errors file with node:zlib -----------------------------------------------------

/** Independent bitwise CRC-32 (no table), to check the emulator's table-driven one. */
function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Reads every entry through the central directory, inflates it and checks its CRC and size. */
function unzip(zip: Buffer): Record<string, string> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, "end of central directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50);
    const dataStart =
      localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    assert.equal(method, 8, "deflate");
    const data = inflateRawSync(zip.subarray(dataStart, dataStart + compressedSize));
    assert.equal(data.length, size);
    assert.equal(crc32(data), crc);
    out[name] = data.toString("utf8");
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

// ---- Clients and helpers --------------------------------------------------------------------------

interface AdsError {
  name: string;
  message: string;
  status: number | undefined;
}

/** Code, message and HTTP status of a failed SDK v2 call, for exact negative assertions. */
async function adsError(promise: Promise<unknown>): Promise<AdsError> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; message: string; statusCode?: number };
    return { name: e.code, message: e.message, status: e.statusCode };
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const HOME_NOT_SET: AdsError = {
  name: "HomeRegionNotSetException",
  message: "The home region is not set. Set the home region to continue.",
  status: 400,
};

const invalidValue = (value: string, member: string, constraint: string): AdsError => ({
  name: "InvalidParameterValueException",
  message: `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`,
  status: 400,
});

const ALL_STATUSES = "IMPORT_TASK_ID, STATUS, NAME, FILE_CLASSIFICATION";

function discovery(
  emulator: Emulator,
  region = HOME,
  credentials = { accessKeyId: "test", secretAccessKey: "test" },
): Discovery {
  // paramValidation off: the emulator, not the SDK, must reject bad input.
  return new Discovery({
    endpoint: emulator.url,
    region,
    credentials,
    maxRetries: 0,
    paramValidation: false,
  });
}

/** A signed ADS call with a hand-written body; returns the error it answers. */
async function adsRaw(
  emulator: Emulator,
  operation: string,
  body: Record<string, unknown>,
): Promise<AdsError> {
  const res = await sendRaw(emulator.url, {
    service: "discovery",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSPoseidonService_V2015_11_01.${operation}`,
    },
    body: JSON.stringify(body),
  });
  const parsed = JSON.parse(res.text) as { __type: string; message: string };
  assert.equal(res.headers.get("x-amzn-errortype"), parsed.__type);
  return { name: parsed.__type, message: parsed.message, status: res.status };
}

async function setHomeRegion(emulator: Emulator, region = HOME): Promise<void> {
  await new MigrationHubConfigClient(clientConfig(emulator, region)).send(
    new CreateHomeRegionControlCommand({
      HomeRegion: region,
      Target: { Type: "ACCOUNT", Id: ACCOUNT },
    }),
  );
}

async function upload(emulator: Emulator, key: string, body: string | Buffer): Promise<string> {
  const s3 = new S3Client({ ...clientConfig(emulator), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    if ((err as { name: string }).name !== "BucketAlreadyOwnedByYou") throw err;
  }
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  return `s3://${BUCKET}/${key}`;
}

type Task = Discovery.ImportTask;

async function describeAll(
  ads: Discovery,
  params: Discovery.DescribeImportTasksRequest = {},
): Promise<Task[]> {
  return (await ads.describeImportTasks(params).promise()).tasks ?? [];
}

async function describeOne(ads: Discovery, id: string): Promise<Task> {
  const tasks = await describeAll(ads, { filters: [{ name: "IMPORT_TASK_ID", values: [id] }] });
  assert.equal(tasks.length, 1);
  return tasks[0]!;
}

/** Moves emulated time forward. */
const advance = (emulator: Emulator, seconds: number): void =>
  emulator.configure({ advanceSeconds: seconds });

/** Epoch seconds as the SDK returns them (Date), within a window of emulated ms. */
function assertTimeBetween(value: Date | undefined, fromMs: number, toMs: number): number {
  assert.ok(value instanceof Date, "a timestamp");
  const ms = value.getTime();
  assert.ok(ms >= fromMs && ms <= toMs, `${value.toISOString()} not within [${fromMs}, ${toMs}]`);
  return ms;
}

describe("emulator ADS", () => {
  describe("without a home region", () => {
    const ctx = useEmulator({ timeScale: 1 });

    it("refuses StartImportTask, DescribeImportTasks and BatchDeleteImportData with HomeRegionNotSetException", async () => {
      const ads = discovery(ctx.emulator);
      assert.deepEqual(
        await adsError(ads.startImportTask({ name: "n", importUrl: "s3://b/k.csv" }).promise()),
        HOME_NOT_SET,
      );
      assert.deepEqual(await adsError(ads.describeImportTasks({}).promise()), HOME_NOT_SET);
      assert.deepEqual(
        await adsError(
          ads.batchDeleteImportData({ importTaskIds: [`import-task-${"a".repeat(32)}`] }).promise(),
        ),
        HOME_NOT_SET,
      );
    });

    it("accepts imports only in the home region and answers reads and deletes from any region", async () => {
      await setHomeRegion(ctx.emulator);
      const url = await upload(ctx.emulator, "a.csv", importCsv(servers(1)));
      const east = discovery(ctx.emulator, "us-east-1");
      assert.deepEqual(
        await adsError(east.startImportTask({ name: "n", importUrl: url }).promise()),
        {
          name: "InvalidInputException",
          message:
            "This API can only be called in the home region us-west-2; the request was sent to us-east-1.",
          status: 400,
        },
      );
      const { task } = await discovery(ctx.emulator)
        .startImportTask({ name: "n", importUrl: url })
        .promise();
      const id = task!.importTaskId!;
      assert.deepEqual(
        (await describeAll(east)).map((t) => [t.importTaskId, t.status]),
        [[id, "IMPORT_IN_PROGRESS"]],
      );
      assert.deepEqual(await east.batchDeleteImportData({ importTaskIds: [id] }).promise(), {});
    });
  });

  describe("StartImportTask", () => {
    const ctx = useEmulator({ timeScale: 1 });
    beforeEach(() => setHomeRegion(ctx.emulator));

    const long = (n: number): string => "x".repeat(n);
    const cases: {
      title: string;
      params: Record<string, unknown>;
      error: AdsError;
    }[] = [
      {
        title: "a missing name",
        params: { importUrl: "s3://b/k.csv" },
        error: {
          name: "InvalidParameterException",
          message: "The parameter name is required.",
          status: 400,
        },
      },
      {
        title: "a missing importUrl",
        params: { name: "n" },
        error: {
          name: "InvalidParameterException",
          message: "The parameter importUrl is required.",
          status: 400,
        },
      },
      {
        title: "an empty name",
        params: { name: "", importUrl: "s3://b/k.csv" },
        error: invalidValue("''", "name", "Member must have length greater than or equal to 1"),
      },
      {
        title: "a name of only whitespace",
        params: { name: " \t ", importUrl: "s3://b/k.csv" },
        error: invalidValue(
          "' \t '",
          "name",
          "Member must satisfy regular expression pattern: [\\s\\S]*\\S[\\s\\S]*",
        ),
      },
      {
        title: "a name over 255 characters",
        params: { name: long(256), importUrl: "s3://b/k.csv" },
        error: invalidValue(
          `'${long(256)}'`,
          "name",
          "Member must have length less than or equal to 255",
        ),
      },
      {
        title: "an empty importUrl",
        params: { name: "n", importUrl: "" },
        error: invalidValue(
          "''",
          "importUrl",
          "Member must have length greater than or equal to 1",
        ),
      },
      {
        title: "an importUrl without scheme",
        params: { name: "n", importUrl: "imports/servers.csv" },
        error: invalidValue(
          "'imports/servers.csv'",
          "importUrl",
          "Member must satisfy regular expression pattern: \\S+://\\S+/[\\s\\S]*\\S[\\s\\S]*",
        ),
      },
      {
        title: "an importUrl without an object key",
        params: { name: "n", importUrl: "s3://imports/ " },
        error: invalidValue(
          "'s3://imports/ '",
          "importUrl",
          "Member must satisfy regular expression pattern: \\S+://\\S+/[\\s\\S]*\\S[\\s\\S]*",
        ),
      },
      {
        title: "an importUrl over 4000 characters",
        params: { name: "n", importUrl: `s3://b/${long(3994)}` },
        error: invalidValue(
          `'s3://b/${long(3994)}'`,
          "importUrl",
          "Member must have length less than or equal to 4000",
        ),
      },
      {
        title: "a clientRequestToken over 100 characters",
        params: { name: "n", importUrl: "s3://b/k.csv", clientRequestToken: long(101) },
        error: invalidValue(
          `'${long(101)}'`,
          "clientRequestToken",
          "Member must have length less than or equal to 100",
        ),
      },
    ];
    for (const c of cases) {
      it(`rejects ${c.title}`, async () => {
        const ads = discovery(ctx.emulator);
        assert.deepEqual(
          await adsError(
            ads.startImportTask(c.params as unknown as Discovery.StartImportTaskRequest).promise(),
          ),
          c.error,
        );
        assert.deepEqual(await describeAll(ads), []);
      });
    }

    // The SDK replaces an empty idempotency token and serializes only strings, so these go raw.
    const rawCases: { title: string; body: Record<string, unknown>; error: AdsError }[] = [
      {
        title: "an empty clientRequestToken",
        body: { name: "n", importUrl: "s3://b/k.csv", clientRequestToken: "" },
        error: invalidValue(
          "''",
          "clientRequestToken",
          "Member must have length greater than or equal to 1",
        ),
      },
      {
        title: "a name that is not a string",
        body: { name: 7, importUrl: "s3://b/k.csv" },
        error: {
          name: "InvalidParameterException",
          message: "The parameter name must be a string.",
          status: 400,
        },
      },
    ];
    for (const c of rawCases) {
      it(`rejects ${c.title}`, async () => {
        const res = await adsRaw(ctx.emulator, "StartImportTask", c.body);
        assert.deepEqual(res, c.error);
      });
    }

    it("returns a task IMPORT_IN_PROGRESS, then IMPORT_COMPLETE with exact counts for a clean file", async () => {
      const rows: Row[] = [
        { ExternalId: "cmdb-1", HostName: "web-1.example.com", Applications: "Shop" },
        { IPAddress: "10.0.0.1, 10.0.0.2", "OS.Name": "Linux", Applications: "Shop, Billing" },
        { MACAddress: "00:11:22:33:44:55", "CPU.NumberOfCores": "4" },
        { "VMware.MoRefId": "vm-42", "VMware.VCenterId": "vc-1", Tags: "zone:1, critical:yes" },
      ];
      const url = await upload(ctx.emulator, "wave 1/clean.csv", importCsv(rows));
      const ads = discovery(ctx.emulator);
      const before = ctx.emulator.now();
      const { task } = await ads
        .startImportTask({ name: "wave-1", importUrl: url, clientRequestToken: "tok-1" })
        .promise();
      const after = ctx.emulator.now();
      assert.match(task!.importTaskId!, /^import-task-[a-f0-9]{32}$/);
      const requested = assertTimeBetween(task!.importRequestTime, before - 1, after + 1);
      assert.deepEqual(task, {
        importTaskId: task!.importTaskId,
        clientRequestToken: "tok-1",
        name: "wave-1",
        importUrl: url,
        status: "IMPORT_IN_PROGRESS",
        importRequestTime: new Date(requested),
      });

      advance(ctx.emulator, 9);
      assert.equal((await describeOne(ads, task!.importTaskId!)).status, "IMPORT_IN_PROGRESS");
      advance(ctx.emulator, 12);
      const done = await describeOne(ads, task!.importTaskId!);
      const completed = assertTimeBetween(
        done.importCompletionTime,
        requested + 10_000,
        requested + 20_100,
      );
      assert.deepEqual(done, {
        importTaskId: task!.importTaskId,
        clientRequestToken: "tok-1",
        name: "wave-1",
        importUrl: url,
        status: "IMPORT_COMPLETE",
        importRequestTime: new Date(requested),
        importCompletionTime: new Date(completed),
        serverImportSuccess: 4,
        serverImportFailure: 0,
        applicationImportSuccess: 2,
        applicationImportFailure: 0,
      });
    });

    it("reads https S3 object URLs, path-style and virtual-hosted", async () => {
      await upload(ctx.emulator, "h.csv", importCsv(servers(2)));
      const ads = discovery(ctx.emulator);
      const urls = [
        `https://s3.us-west-2.amazonaws.com/${BUCKET}/h.csv`,
        `https://${BUCKET}.s3.us-west-2.amazonaws.com/h.csv`,
      ];
      const ids: string[] = [];
      for (const importUrl of urls)
        ids.push(
          (await ads.startImportTask({ name: "h", importUrl }).promise()).task!.importTaskId!,
        );
      advance(ctx.emulator, 60);
      const tasks = await describeAll(ads);
      assert.deepEqual(
        tasks.map((t) => [t.importTaskId, t.importUrl, t.status, t.serverImportSuccess]),
        [
          [ids[0], urls[0], "IMPORT_COMPLETE", 2],
          [ids[1], urls[1], "IMPORT_COMPLETE", 2],
        ],
      );
    });

    describe("idempotency", () => {
      it("returns the original task for a repeated clientRequestToken", async () => {
        const url = await upload(ctx.emulator, "a.csv", importCsv(servers(3)));
        const ads = discovery(ctx.emulator);
        const params = { name: "wave", importUrl: url, clientRequestToken: "same" };
        const first = (await ads.startImportTask(params).promise()).task!;
        advance(ctx.emulator, 60);
        const again = (await ads.startImportTask(params).promise()).task!;
        assert.equal(again.importTaskId, first.importTaskId);
        assert.equal(again.status, "IMPORT_COMPLETE");
        assert.deepEqual(
          (await describeAll(ads)).map((t) => t.importTaskId),
          [first.importTaskId],
        );
      });

      it("refuses the same clientRequestToken with another importUrl or name with ResourceInUseException", async () => {
        const url = await upload(ctx.emulator, "a.csv", importCsv(servers(1)));
        const other = await upload(ctx.emulator, "b.csv", importCsv(servers(1)));
        const ads = discovery(ctx.emulator);
        await ads.startImportTask({ name: "n", importUrl: url, clientRequestToken: "t" }).promise();
        const inUse: AdsError = {
          name: "ResourceInUseException",
          message:
            "The clientRequestToken t was already used with different parameters. Use a different clientRequestToken for a different import task.",
          status: 400,
        };
        assert.deepEqual(
          await adsError(
            ads.startImportTask({ name: "n", importUrl: other, clientRequestToken: "t" }).promise(),
          ),
          inUse,
        );
        assert.deepEqual(
          await adsError(
            ads.startImportTask({ name: "n2", importUrl: url, clientRequestToken: "t" }).promise(),
          ),
          inUse,
        );
        assert.equal((await describeAll(ads)).length, 1);
      });

      it("creates a new task per call when the SDK fills in the token", async () => {
        const url = await upload(ctx.emulator, "a.csv", importCsv(servers(1)));
        const ads = discovery(ctx.emulator);
        const a = (await ads.startImportTask({ name: "n", importUrl: url }).promise()).task!;
        const b = (await ads.startImportTask({ name: "n", importUrl: url }).promise()).task!;
        assert.notEqual(a.importTaskId, b.importTaskId);
        assert.match(a.clientRequestToken!, /^[0-9a-f-]{36}$/);
        assert.notEqual(a.clientRequestToken, b.clientRequestToken);
      });
    });
  });
});
