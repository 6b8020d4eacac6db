import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  CreateHomeRegionControlCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import { Discovery } from "aws-sdk";
import { type Emulator, startEmulator } from "../../emulator";
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

const ALL_FILTERS = "IMPORT_TASK_ID, STATUS, NAME, FILE_CLASSIFICATION";

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
  const { status, json, errorType } = await adsRawCall(emulator, operation, body);
  const parsed = json as { __type: string; message: string };
  assert.equal(errorType, parsed.__type);
  return { name: parsed.__type, message: parsed.message, status };
}

/** The raw JSON answer, for members the v2 SDK model predates (fileClassification). */
async function adsRawCall(
  emulator: Emulator,
  operation: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: unknown; errorType: string | null }> {
  const res = await sendRaw(emulator.url, {
    service: "discovery",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSPoseidonService_V2015_11_01.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    json: JSON.parse(res.text) as unknown,
    errorType: res.headers.get("x-amzn-errortype"),
  };
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

/** Steps emulated time one second at a time while the task shows `status`; returns it after. */
async function advanceWhile(
  emulator: Emulator,
  ads: Discovery,
  id: string,
  status: string,
): Promise<Task> {
  for (let step = 0; step < 300; step++) {
    const task = await describeOne(ads, id);
    if (task.status !== status) return task;
    advance(emulator, 1);
  }
  throw new Error(`task ${id} stayed ${status} for 300 emulated seconds`);
}

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
          name: "HomeRegionNotSetException",
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
      assert.equal((await describeOne(ads, task.importTaskId!)).status, "IMPORT_IN_PROGRESS");
      advance(ctx.emulator, 12);
      const done = await describeOne(ads, task.importTaskId!);
      const completed = assertTimeBetween(
        done.importCompletionTime,
        requested + 10_000,
        requested + 20_100,
      );
      assert.deepEqual(done, {
        importTaskId: task.importTaskId,
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

  describe("import outcomes", () => {
    const SECRET = "ads-caller-secret-0123456789";
    const ctx = useEmulator({
      timeScale: 1,
      credentials: [
        { accessKeyId: "test", secretAccessKey: "test" },
        { accessKeyId: "AKIDADSCALLER", secretAccessKey: SECRET },
      ],
    });
    beforeEach(() => setHomeRegion(ctx.emulator));

    /** Starts an import of `body` and returns the task once emulated time has moved past it. */
    async function importAndWait(
      ads: Discovery,
      key: string,
      body: string | Buffer,
      seconds = 130,
    ): Promise<Task> {
      const url = await upload(ctx.emulator, key, body);
      const { task } = await ads.startImportTask({ name: key, importUrl: url }).promise();
      advance(ctx.emulator, seconds);
      return describeOne(ads, task!.importTaskId!);
    }

    const BAD_ROWS: Row[] = [
      { HostName: "ok-1", Applications: "Shop", Notes: "ignored column" },
      { "OS.Name": "Linux" },
      { "VMware.MoRefId": "vm-1" },
      { HostName: "ok-2", "CPU.NumberOfCores": "four" },
      { IPAddress: "10.0.0.9", Tags: "nocolon" },
    ];
    // HostName,Applications,Notes,OS.Name,VMware.MoRefId,CPU.NumberOfCores,IPAddress,Tags + a row
    // with one field too many.
    const BAD_CSV = importCsv(BAD_ROWS) + "wide,a,b,c,d,e,f,g,h\r\n";

    it("ends IMPORT_COMPLETE_WITH_ERRORS with exact counts and a real zip of errors and failed entries", async () => {
      const ads = discovery(ctx.emulator, HOME, {
        accessKeyId: "AKIDADSCALLER",
        secretAccessKey: SECRET,
      });
      const task = await importAndWait(ads, "bad.csv", BAD_CSV);
      const zipUrl = task.errorsAndFailedEntriesZip!;
      assert.deepEqual(
        { ...task, importRequestTime: undefined, importCompletionTime: undefined },
        {
          importTaskId: task.importTaskId,
          clientRequestToken: task.clientRequestToken,
          name: "bad.csv",
          importUrl: `s3://${BUCKET}/bad.csv`,
          status: "IMPORT_COMPLETE_WITH_ERRORS",
          importRequestTime: undefined,
          importCompletionTime: undefined,
          serverImportSuccess: 1,
          serverImportFailure: 5,
          applicationImportSuccess: 1,
          applicationImportFailure: 0,
          errorsAndFailedEntriesZip: zipUrl,
        },
      );
      const path = `/_emulator/files/ads/${ACCOUNT}/${HOME}/${task.importTaskId}/errors-and-failed-entries.zip`;
      assert.ok(zipUrl.startsWith(`${ctx.emulator.url}${path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&`));
      assert.match(
        zipUrl,
        /X-Amz-Credential=AKIDADSCALLER%2F\d{8}%2Fus-west-2%2Fs3%2Faws4_request/,
      );
      assert.match(zipUrl, /&X-Amz-Expires=3600&/);
      assert.ok(!zipUrl.includes(SECRET), "the URL must not carry the secret key");

      const res = await fetch(zipUrl);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("content-type"), "application/zip");
      const entries = unzip(Buffer.from(await res.arrayBuffer()));
      assert.deepEqual(entries, {
        "errors-file.csv":
          "RowNumber,Error\r\n" +
          '3,"The record must have at least one of these fields: ExternalId, IPAddress, MACAddress, HostName, or VMware.MoRefId together with VMware.VCenterId."\r\n' +
          "4,VMware.MoRefId must be provided together with VMware.VCenterId.\r\n" +
          "5,The value 'four' of CPU.NumberOfCores must be a non-negative number.\r\n" +
          "6,The tag 'nocolon' must have the form name:value.\r\n" +
          '7,"The record has 9 fields, but the header has 8."\r\n',
        "failed-entries-file.csv":
          "HostName,Applications,Notes,OS.Name,VMware.MoRefId,CPU.NumberOfCores,IPAddress,Tags\r\n" +
          ",,,Linux,,,,\r\n" +
          ",,,,vm-1,,,\r\n" +
          "ok-2,,,,,four,,\r\n" +
          ",,,,,,10.0.0.9,nocolon\r\n" +
          "wide,a,b,c,d,e,f,g,h\r\n",
      });
    });

    it("answers 403 for an expired, a tampered or an unsigned zip URL", async () => {
      const ads = discovery(ctx.emulator);
      const task = await importAndWait(ads, "bad.csv", BAD_CSV);
      const url = new URL(task.errorsAndFailedEntriesZip!);
      const s3Error = async (href: string): Promise<[number, string, string]> => {
        const res = await fetch(href);
        const text = await res.text();
        const [, code] = /<Code>([^<]*)<\/Code>/.exec(text) ?? [];
        const [, message] = /<Message>([^<]*)<\/Message>/.exec(text) ?? [];
        return [res.status, code ?? "", message ?? ""];
      };
      const credential = { accessKeyId: "test", secretAccessKey: "test", accountId: ACCOUNT };
      // Signed correctly, two hours ago, for one hour.
      const expired = presignEmulatorUrl(
        ctx.emulator.url,
        url.pathname,
        credential,
        HOME,
        "s3",
        Date.now() - 2 * 3600_000,
        3600,
      );
      assert.deepEqual(await s3Error(expired), [403, "AccessDenied", "Request has expired"]);
      // The same URL signed now works, so only the age made the difference.
      const fresh = presignEmulatorUrl(
        ctx.emulator.url,
        url.pathname,
        credential,
        HOME,
        "s3",
        Date.now(),
        3600,
      );
      assert.equal((await fetch(fresh)).status, 200);

      const signature = url.searchParams.get("X-Amz-Signature")!;
      const flipped = (signature[0] === "0" ? "1" : "0") + signature.slice(1);
      const tampered = url.href.replace(signature, flipped);
      assert.equal((await s3Error(tampered))[0], 403);
      assert.equal((await s3Error(tampered))[1], "SignatureDoesNotMatch");
      const otherTask = url.href.replace(task.importTaskId!, `import-task-${"0".repeat(32)}`);
      assert.equal((await s3Error(otherTask))[1], "SignatureDoesNotMatch");
      assert.deepEqual(await s3Error(`${url.origin}${url.pathname}`), [
        403,
        "AccessDenied",
        "Access Denied",
      ]);
    });

    const failures: {
      title: string;
      key: string;
      body?: string | Buffer;
      importUrl?: string;
      status: string;
      classified: boolean;
    }[] = [
      {
        title: "a missing bucket",
        key: "x.csv",
        importUrl: "s3://no-such-bucket/x.csv",
        status: "IMPORT_FAILED",
        classified: false,
      },
      {
        title: "a missing object",
        key: "x.csv",
        importUrl: `s3://${BUCKET}/missing.csv`,
        status: "IMPORT_FAILED",
        classified: false,
      },
      {
        title: "a URL that is not S3",
        key: "x.csv",
        importUrl: "ftp://files.example.com/x.csv",
        status: "IMPORT_FAILED",
        classified: false,
      },
      {
        title: "a file over the 10 MB quota",
        key: "big.csv",
        body: Buffer.concat([Buffer.from("HostName\r\n"), Buffer.alloc(10 * 1024 * 1024 - 9, "a")]),
        status: "IMPORT_FAILED",
        classified: false,
      },
      {
        title: "a binary file",
        key: "disk.vmdk",
        body: Buffer.from([0x4b, 0x44, 0x4d, 0x56, 0, 1, 2, 3]),
        status: "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE",
        classified: false,
      },
      {
        title: "a CSV without template columns",
        key: "other.csv",
        body: "name,size\r\nx,1\r\n",
        status: "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE",
        classified: false,
      },
      {
        title: "a CSV whose quotes never close",
        key: "q.csv",
        body: 'HostName,OS.Name\r\nweb,"Linux\r\n',
        status: "IMPORT_FAILED",
        classified: true,
      },
    ];
    for (const f of failures) {
      it(`ends ${f.status} for ${f.title}, with nothing imported`, async () => {
        const ads = discovery(ctx.emulator);
        const importUrl =
          f.body !== undefined ? await upload(ctx.emulator, f.key, f.body) : f.importUrl!;
        if (f.body === undefined)
          await upload(ctx.emulator, "unrelated.csv", importCsv(servers(1)));
        const before = ctx.emulator.now();
        const { task } = await ads.startImportTask({ name: f.key, importUrl }).promise();
        assert.equal(task!.status, "IMPORT_IN_PROGRESS");
        advance(ctx.emulator, 21);
        const done = await describeOne(ads, task!.importTaskId!);
        const requested = assertTimeBetween(done.importRequestTime, before - 1, before + 5000);
        const completed = assertTimeBetween(
          done.importCompletionTime,
          requested + 10_000,
          requested + 20_001,
        );
        assert.deepEqual(done, {
          importTaskId: task!.importTaskId,
          clientRequestToken: task!.clientRequestToken,
          name: f.key,
          importUrl,
          status: f.status,
          importRequestTime: new Date(requested),
          importCompletionTime: new Date(completed),
          serverImportSuccess: 0,
          serverImportFailure: 0,
          applicationImportSuccess: 0,
          applicationImportFailure: 0,
        });
        // fileClassification is newer than the v2 SDK's model, which drops it; read it raw.
        const raw = await adsRawCall(ctx.emulator, "DescribeImportTasks", {});
        const tasks = (raw.json as { tasks: { fileClassification?: string }[] }).tasks;
        assert.deepEqual(
          tasks.map((t) => t.fileClassification),
          [f.classified ? "IMPORT_TEMPLATE" : undefined],
        );
      });
    }

    it("ends IMPORT_FAILED with the zip when every row is rejected", async () => {
      const ads = discovery(ctx.emulator);
      const task = await importAndWait(
        ads,
        "none.csv",
        importCsv([{ "OS.Name": "Linux" }, { "VMware.VCenterId": "vc-1" }]),
      );
      assert.deepEqual(
        [task.status, task.serverImportSuccess, task.serverImportFailure],
        ["IMPORT_FAILED", 0, 2],
      );
      const entries = unzip(
        Buffer.from(await (await fetch(task.errorsAndFailedEntriesZip!)).arrayBuffer()),
      );
      assert.equal(
        entries["errors-file.csv"],
        "RowNumber,Error\r\n" +
          '2,"The record must have at least one of these fields: ExternalId, IPAddress, MACAddress, HostName, or VMware.MoRefId together with VMware.VCenterId."\r\n' +
          "3,VMware.VCenterId must be provided together with VMware.MoRefId.\r\n",
      );
    });

    it("matches template columns case-insensitively, reads quoted fields with line breaks and merges servers", async () => {
      const ads = discovery(ctx.emulator);
      const csv =
        "hostname,IPADDRESS,os.name,applications\r\n" +
        'a.example.com,"10.0.0.1, 10.0.0.2","Linux\nRHEL","Shop, Billing"\r\n' +
        "\r\n" +
        'b.example.com,10.0.0.3,"Windows ""Server""",Shop\r\n' +
        // Same IP as the first row: merges with it, still one successful record.
        ",10.0.0.2,,Billing\r\n";
      const task = await importAndWait(ads, "mixed.csv", csv);
      assert.deepEqual(
        [
          task.status,
          task.serverImportSuccess,
          task.serverImportFailure,
          task.applicationImportSuccess,
          task.applicationImportFailure,
        ],
        ["IMPORT_COMPLETE", 3, 0, 2, 0],
      );
    });
  });

  describe("quotas", () => {
    const ctx = useEmulator({ timeScale: 1 });
    beforeEach(() => setHomeRegion(ctx.emulator));

    async function run(ads: Discovery, key: string, rows: readonly Row[]): Promise<Task> {
      const url = await upload(ctx.emulator, key, importCsv(rows));
      const { task } = await ads.startImportTask({ name: key, importUrl: url }).promise();
      advance(ctx.emulator, 130);
      return describeOne(ads, task!.importTaskId!);
    }
    const summary = (t: Task): unknown[] => [
      t.status,
      t.serverImportSuccess,
      t.serverImportFailure,
      t.applicationImportSuccess,
      t.applicationImportFailure,
    ];

    it("fails an import that would pass 10,000 servers with IMPORT_FAILED_SERVER_LIMIT_EXCEEDED", async () => {
      const ads = discovery(ctx.emulator);
      assert.deepEqual(summary(await run(ads, "over.csv", servers(10_001))), [
        "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED",
        0,
        0,
        0,
        0,
      ]);
      assert.deepEqual(summary(await run(ads, "all.csv", servers(10_000))), [
        "IMPORT_COMPLETE",
        10_000,
        0,
        0,
        0,
      ]);
      assert.deepEqual(summary(await run(ads, "new.csv", [{ HostName: "one-more" }])), [
        "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED",
        0,
        0,
        0,
        0,
      ]);
      // A record that matches a known server adds no server.
      assert.deepEqual(summary(await run(ads, "known.csv", [{ HostName: "HOST-00001" }])), [
        "IMPORT_COMPLETE",
        1,
        0,
        0,
        0,
      ]);
    });

    it("fails an import that would pass 25,000 records with IMPORT_FAILED_RECORD_LIMIT_EXCEEDED", async () => {
      const ads = discovery(ctx.emulator);
      const same = (n: number): Row[] =>
        Array.from({ length: n }, () => ({ ExternalId: "cmdb-1" }));
      assert.deepEqual(summary(await run(ads, "over.csv", same(25_001))), [
        "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED",
        0,
        0,
        0,
        0,
      ]);
      assert.deepEqual(summary(await run(ads, "full.csv", same(25_000))), [
        "IMPORT_COMPLETE",
        25_000,
        0,
        0,
        0,
      ]);
      assert.deepEqual(summary(await run(ads, "one.csv", same(1))), [
        "IMPORT_FAILED_RECORD_LIMIT_EXCEEDED",
        0,
        0,
        0,
        0,
      ]);
    });

    it("creates at most 1,000 applications and puts at most 400 servers in one", async () => {
      const ads = discovery(ctx.emulator);
      const apps = await run(
        ads,
        "apps.csv",
        servers(1_001, (i) => ({ Applications: `app-${i}` })),
      );
      assert.deepEqual(summary(apps), ["IMPORT_COMPLETE_WITH_ERRORS", 1_001, 0, 1_000, 1]);
      const entries = unzip(
        Buffer.from(await (await fetch(apps.errorsAndFailedEntriesZip!)).arrayBuffer()),
      );
      assert.deepEqual(entries, {
        "errors-file.csv":
          "RowNumber,Error\r\n1002,Application app-1001 was not created: the account already has 1000 applications.\r\n",
        "failed-entries-file.csv": "HostName,Applications\r\n",
      });
      ctx.emulator.reset();
      await setHomeRegion(ctx.emulator);
      const big = await run(
        ads,
        "big.csv",
        servers(401, () => ({ Applications: "Big" })),
      );
      assert.deepEqual(summary(big), ["IMPORT_COMPLETE_WITH_ERRORS", 401, 0, 0, 1]);
    });

    it("processes imports one after another", async () => {
      const ads = discovery(ctx.emulator);
      const url = await upload(ctx.emulator, "a.csv", importCsv(servers(1)));
      const a = (await ads.startImportTask({ name: "a", importUrl: url }).promise()).task!;
      const b = (await ads.startImportTask({ name: "b", importUrl: url }).promise()).task!;
      // Step to the moment A ends: B, which needs at least 10 s of its own, must still be running.
      await advanceWhile(ctx.emulator, ads, a.importTaskId!, "IMPORT_IN_PROGRESS");
      const [doneA, waitingB] = await describeAll(ads);
      assert.deepEqual(
        [doneA!.status, waitingB!.status],
        ["IMPORT_COMPLETE", "IMPORT_IN_PROGRESS"],
      );
      advance(ctx.emulator, 20);
      const doneB = await describeOne(ads, b.importTaskId!);
      assert.equal(doneB.status, "IMPORT_COMPLETE");
      const gap = doneB.importCompletionTime!.getTime() - doneA!.importCompletionTime!.getTime();
      assert.ok(gap >= 10_000 && gap <= 20_000, `B ran after A: ${gap} ms`);
      assert.equal(doneA!.importTaskId, a.importTaskId);
    });

    it("deletes at most 25,000 records a day: DELETE_FAILED_LIMIT_EXCEEDED, then a retry the next day", async () => {
      const ads = discovery(ctx.emulator);
      const same = (n: number): Row[] =>
        Array.from({ length: n }, () => ({ ExternalId: "cmdb-1" }));
      const first = await run(ads, "one.csv", same(20_000));
      await ads.batchDeleteImportData({ importTaskIds: [first.importTaskId!] }).promise();
      advance(ctx.emulator, 80);
      assert.equal((await describeOne(ads, first.importTaskId!)).status, "DELETE_COMPLETE");
      const second = await run(ads, "two.csv", same(20_000));
      await ads.batchDeleteImportData({ importTaskIds: [second.importTaskId!] }).promise();
      advance(ctx.emulator, 80);
      assert.equal(
        (await describeOne(ads, second.importTaskId!)).status,
        "DELETE_FAILED_LIMIT_EXCEEDED",
      );
      advance(ctx.emulator, 24 * 3600);
      await ads.batchDeleteImportData({ importTaskIds: [second.importTaskId!] }).promise();
      assert.equal((await describeOne(ads, second.importTaskId!)).status, "DELETE_IN_PROGRESS");
      advance(ctx.emulator, 80);
      assert.equal((await describeOne(ads, second.importTaskId!)).status, "DELETE_COMPLETE");
    });
  });

  describe("DescribeImportTasks", () => {
    const ctx = useEmulator({ timeScale: 1 });
    beforeEach(() => setHomeRegion(ctx.emulator));

    /** Five tasks a…e; c reads a missing object. Returns their IDs in order. */
    async function fiveTasks(ads: Discovery): Promise<string[]> {
      const url = await upload(ctx.emulator, "a.csv", importCsv(servers(2)));
      const ids: string[] = [];
      for (const name of ["a", "b", "c", "d", "e"]) {
        const importUrl = name === "c" ? `s3://${BUCKET}/missing.csv` : url;
        ids.push((await ads.startImportTask({ name, importUrl }).promise()).task!.importTaskId!);
      }
      return ids;
    }
    const names = (tasks: Task[]): (string | undefined)[] => tasks.map((t) => t.name);

    it("filters by IMPORT_TASK_ID, NAME, STATUS and FILE_CLASSIFICATION: values of a filter OR, filters AND", async () => {
      const ads = discovery(ctx.emulator);
      const ids = await fiveTasks(ads);
      assert.deepEqual(
        names(
          await describeAll(ads, {
            filters: [{ name: "IMPORT_TASK_ID", values: [ids[3]!, ids[0]!] }],
          }),
        ),
        ["a", "d"],
      );
      assert.deepEqual(
        names(await describeAll(ads, { filters: [{ name: "NAME", values: ["b", "e", "zzz"] }] })),
        ["b", "e"],
      );
      // No wildcards.
      assert.deepEqual(
        names(await describeAll(ads, { filters: [{ name: "NAME", values: ["*"] }] })),
        [],
      );
      assert.deepEqual(
        names(
          await describeAll(ads, { filters: [{ name: "STATUS", values: ["IMPORT_IN_PROGRESS"] }] }),
        ),
        ["a", "b", "c", "d", "e"],
      );
      advance(ctx.emulator, 200);
      assert.deepEqual(
        names(await describeAll(ads, { filters: [{ name: "STATUS", values: ["IMPORT_FAILED"] }] })),
        ["c"],
      );
      assert.deepEqual(
        names(
          await describeAll(ads, {
            filters: [{ name: "FILE_CLASSIFICATION", values: ["IMPORT_TEMPLATE"] }],
          }),
        ),
        ["a", "b", "d", "e"],
      );
      assert.deepEqual(
        names(
          await describeAll(ads, {
            filters: [
              { name: "STATUS", values: ["IMPORT_COMPLETE", "IMPORT_FAILED"] },
              { name: "NAME", values: ["c", "d"] },
            ],
          }),
        ),
        ["c", "d"],
      );
    });

    it("pages with maxResults and an opaque nextToken, in a stable order", async () => {
      const ads = discovery(ctx.emulator);
      await fiveTasks(ads);
      const p1 = await ads.describeImportTasks({ maxResults: 2 }).promise();
      assert.deepEqual(names(p1.tasks!), ["a", "b"]);
      assert.ok(p1.nextToken && !p1.nextToken.includes("2"));
      const p2 = await ads
        .describeImportTasks({ maxResults: 2, nextToken: p1.nextToken })
        .promise();
      assert.deepEqual(names(p2.tasks!), ["c", "d"]);
      const p3 = await ads
        .describeImportTasks({ maxResults: 2, nextToken: p2.nextToken })
        .promise();
      assert.deepEqual([names(p3.tasks!), p3.nextToken], [["e"], undefined]);
      const exact = await ads.describeImportTasks({ maxResults: 5 }).promise();
      assert.deepEqual([exact.tasks!.length, exact.nextToken], [5, undefined]);
      // Filters apply before paging.
      const filtered = await ads
        .describeImportTasks({ maxResults: 1, filters: [{ name: "NAME", values: ["b", "d"] }] })
        .promise();
      assert.deepEqual(names(filtered.tasks!), ["b"]);
      const filtered2 = await ads
        .describeImportTasks({
          maxResults: 1,
          nextToken: filtered.nextToken,
          filters: [{ name: "NAME", values: ["b", "d"] }],
        })
        .promise();
      assert.deepEqual([names(filtered2.tasks!), filtered2.nextToken], [["d"], undefined]);
    });

    it("keeps a page boundary when an earlier task vanishes with deleteHistory", async () => {
      const ads = discovery(ctx.emulator);
      const ids = await fiveTasks(ads);
      const p1 = await ads.describeImportTasks({ maxResults: 2 }).promise();
      await ads.batchDeleteImportData({ importTaskIds: [ids[0]!], deleteHistory: true }).promise();
      advance(ctx.emulator, 300);
      const p2 = await ads
        .describeImportTasks({ maxResults: 2, nextToken: p1.nextToken })
        .promise();
      assert.deepEqual(names(p2.tasks!), ["c", "d"]);
      assert.deepEqual(names(await describeAll(ads)), ["b", "c", "d", "e"]);
    });

    const invalid: { title: string; params: Record<string, unknown>; error: AdsError }[] = [
      {
        title: "an unknown filter name",
        params: { filters: [{ name: "OWNER", values: ["x"] }] },
        error: invalidValue(
          "'OWNER'",
          "filters.1.member.name",
          `Member must satisfy enum value set: [${ALL_FILTERS}]`,
        ),
      },
      {
        title: "a filter without values",
        params: { filters: [{ name: "NAME", values: [] }] },
        error: invalidValue(
          "'[]'",
          "filters.1.member.values",
          "Member must have length greater than or equal to 1",
        ),
      },
      {
        title: "a filter with 101 values",
        params: {
          filters: [{ name: "NAME", values: Array.from({ length: 101 }, (_, i) => `n${i}`) }],
        },
        error: invalidValue(
          `'${JSON.stringify(Array.from({ length: 101 }, (_, i) => `n${i}`))}'`,
          "filters.1.member.values",
          "Member must have length less than or equal to 100",
        ),
      },
      {
        title: "an empty filter value",
        params: { filters: [{ name: "NAME", values: ["ok", ""] }] },
        error: invalidValue(
          "''",
          "filters.1.member.values.2.member",
          "Member must have length greater than or equal to 1",
        ),
      },
      {
        title: "a filter value over 255 characters",
        params: { filters: [{ name: "NAME", values: ["v".repeat(256)] }] },
        error: invalidValue(
          `'${"v".repeat(256)}'`,
          "filters.1.member.values.1.member",
          "Member must have length less than or equal to 255",
        ),
      },
      {
        title: "a filter without a name",
        params: { filters: [{ values: ["x"] }] },
        error: {
          name: "InvalidParameterException",
          message: "The parameter filters.1.member.name is required.",
          status: 400,
        },
      },
      {
        title: "maxResults 0",
        params: { maxResults: 0 },
        error: invalidValue(
          "'0'",
          "maxResults",
          "Member must have value greater than or equal to 1",
        ),
      },
      {
        title: "maxResults 101",
        params: { maxResults: 101 },
        error: invalidValue(
          "'101'",
          "maxResults",
          "Member must have value less than or equal to 100",
        ),
      },
      {
        title: "a nextToken it did not issue",
        params: { nextToken: "bm90LWEtdG9rZW4=" },
        error: {
          name: "InvalidParameterValueException",
          message: "The value of nextToken is not valid.",
          status: 400,
        },
      },
    ];
    for (const c of invalid) {
      it(`rejects ${c.title}`, async () => {
        const ads = discovery(ctx.emulator);
        assert.deepEqual(
          await adsError(
            ads.describeImportTasks(c.params as Discovery.DescribeImportTasksRequest).promise(),
          ),
          c.error,
        );
      });
    }
  });

  describe("BatchDeleteImportData", () => {
    const ctx = useEmulator({ timeScale: 1 });
    beforeEach(() => setHomeRegion(ctx.emulator));

    async function imported(ads: Discovery, rows: readonly Row[], key = "a.csv"): Promise<Task> {
      const url = await upload(ctx.emulator, key, importCsv(rows));
      const { task } = await ads.startImportTask({ name: key, importUrl: url }).promise();
      advance(ctx.emulator, 130);
      return describeOne(ads, task!.importTaskId!);
    }

    it("moves the task DELETE_IN_PROGRESS, then DELETE_COMPLETE with importDeletedTime", async () => {
      const ads = discovery(ctx.emulator);
      const task = await imported(ads, [
        { HostName: "a", Applications: "Shop" },
        { "OS.Name": "no id" },
      ]);
      assert.equal(task.status, "IMPORT_COMPLETE_WITH_ERRORS");
      const before = ctx.emulator.now();
      assert.deepEqual(
        await ads.batchDeleteImportData({ importTaskIds: [task.importTaskId!] }).promise(),
        {},
      );
      const { errorsAndFailedEntriesZip: _zip, ...kept } = task;
      assert.deepEqual(
        { ...(await describeOne(ads, task.importTaskId!)), errorsAndFailedEntriesZip: undefined },
        { ...task, status: "DELETE_IN_PROGRESS", errorsAndFailedEntriesZip: undefined },
      );
      advance(ctx.emulator, 16);
      const deleted = await describeOne(ads, task.importTaskId!);
      const at = assertTimeBetween(deleted.importDeletedTime, before + 5_000, before + 16_000);
      assert.deepEqual(deleted, {
        ...kept,
        status: "DELETE_COMPLETE",
        importDeletedTime: new Date(at),
      });
      // Asking again changes nothing.
      assert.deepEqual(
        await ads.batchDeleteImportData({ importTaskIds: [task.importTaskId!] }).promise(),
        {},
      );
      assert.deepEqual(await describeOne(ads, task.importTaskId!), deleted);
    });

    it("removes the task from DescribeImportTasks once deleted with deleteHistory", async () => {
      const ads = discovery(ctx.emulator);
      const task = await imported(ads, servers(2));
      await ads
        .batchDeleteImportData({ importTaskIds: [task.importTaskId!], deleteHistory: true })
        .promise();
      assert.equal((await describeOne(ads, task.importTaskId!)).status, "DELETE_IN_PROGRESS");
      advance(ctx.emulator, 16);
      assert.deepEqual(await describeAll(ads), []);
      assert.deepEqual(
        await ads.batchDeleteImportData({ importTaskIds: [task.importTaskId!] }).promise(),
        {
          errors: [
            {
              importTaskId: task.importTaskId,
              errorCode: "NOT_FOUND",
              errorDescription: `The import task ${task.importTaskId} was not found.`,
            },
          ],
        },
      );
    });

    it("lists unknown IDs in errors with NOT_FOUND and deletes the known ones", async () => {
      const ads = discovery(ctx.emulator);
      const task = await imported(ads, servers(1));
      const unknown = `import-task-${"ab".repeat(16)}`;
      const upper = `import-task-${"CD".repeat(16)}`;
      assert.deepEqual(
        await ads
          .batchDeleteImportData({ importTaskIds: [unknown, task.importTaskId!, upper] })
          .promise(),
        {
          errors: [
            {
              importTaskId: unknown,
              errorCode: "NOT_FOUND",
              errorDescription: `The import task ${unknown} was not found.`,
            },
            {
              importTaskId: upper,
              errorCode: "NOT_FOUND",
              errorDescription: `The import task ${upper} was not found.`,
            },
          ],
        },
      );
      assert.equal((await describeOne(ads, task.importTaskId!)).status, "DELETE_IN_PROGRESS");
    });

    it("queues the deletion of an import still in progress until the import ends", async () => {
      const ads = discovery(ctx.emulator);
      const url = await upload(ctx.emulator, "a.csv", importCsv(servers(1)));
      const { task } = await ads.startImportTask({ name: "a", importUrl: url }).promise();
      await ads.batchDeleteImportData({ importTaskIds: [task!.importTaskId!] }).promise();
      assert.equal((await describeOne(ads, task!.importTaskId!)).status, "IMPORT_IN_PROGRESS");
      // The deletion starts when the import ends and takes at least 5 s.
      const deleting = await advanceWhile(
        ctx.emulator,
        ads,
        task!.importTaskId!,
        "IMPORT_IN_PROGRESS",
      );
      assert.deepEqual([deleting.status, deleting.serverImportSuccess], ["DELETE_IN_PROGRESS", 1]);
      advance(ctx.emulator, 16);
      assert.equal((await describeOne(ads, task!.importTaskId!)).status, "DELETE_COMPLETE");
    });

    it("removes the import's servers and applications once the deletion completes", async () => {
      const ads = discovery(ctx.emulator);
      const first = await imported(
        ads,
        servers(10_000, (i) => ({ Applications: `app-${i % 1000}` })),
        "first.csv",
      );
      assert.deepEqual([first.status, first.applicationImportSuccess], ["IMPORT_COMPLETE", 1000]);
      await ads.batchDeleteImportData({ importTaskIds: [first.importTaskId!] }).promise();
      const fresh = (i: number): Row => ({ HostName: `new-${i}`, Applications: `other-${i}` });
      // Still counted while the deletion runs.
      const early = await imported(ads, [fresh(1)], "early.csv");
      assert.equal(early.status, "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED");
      advance(ctx.emulator, 80);
      assert.equal((await describeOne(ads, first.importTaskId!)).status, "DELETE_COMPLETE");
      const after = await imported(
        ads,
        Array.from({ length: 1000 }, (_, i) => fresh(i)),
        "after.csv",
      );
      assert.deepEqual(
        [
          after.status,
          after.serverImportSuccess,
          after.applicationImportSuccess,
          after.applicationImportFailure,
        ],
        ["IMPORT_COMPLETE", 1000, 1000, 0],
      );
    });

    const invalid: { title: string; params: Record<string, unknown>; error: AdsError }[] = [
      {
        title: "a missing importTaskIds",
        params: {},
        error: {
          name: "InvalidParameterException",
          message: "The parameter importTaskIds is required.",
          status: 400,
        },
      },
      {
        title: "an empty importTaskIds",
        params: { importTaskIds: [] },
        error: invalidValue(
          "'[]'",
          "importTaskIds",
          "Member must have length greater than or equal to 1",
        ),
      },
      {
        title: "11 importTaskIds",
        params: {
          importTaskIds: Array.from(
            { length: 11 },
            (_, i) => `import-task-${String(i).padStart(32, "0")}`,
          ),
        },
        error: invalidValue(
          `'${JSON.stringify(Array.from({ length: 11 }, (_, i) => `import-task-${String(i).padStart(32, "0")}`))}'`,
          "importTaskIds",
          "Member must have length less than or equal to 10",
        ),
      },
      {
        title: "an ID that is not an import task ID",
        params: { importTaskIds: ["task-1"] },
        error: invalidValue(
          "'task-1'",
          "importTaskIds.1.member",
          "Member must satisfy regular expression pattern: ^import-task-[a-fA-F0-9]{32}$",
        ),
      },
      {
        title: "an ID over 200 characters",
        params: { importTaskIds: [`import-task-${"a".repeat(190)}`] },
        error: invalidValue(
          `'import-task-${"a".repeat(190)}'`,
          "importTaskIds.1.member",
          "Member must have length less than or equal to 200",
        ),
      },
    ];
    for (const c of invalid) {
      it(`rejects ${c.title}`, async () => {
        const ads = discovery(ctx.emulator);
        assert.deepEqual(
          await adsError(
            ads
              .batchDeleteImportData(c.params as unknown as Discovery.BatchDeleteImportDataRequest)
              .promise(),
          ),
          c.error,
        );
      });
    }
  });

  describe("persistence", () => {
    it("keeps tasks, their progress and the errors zip across an emulator restart", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "ads-emulator-"));
      const options = { dataDir, timeScale: 1, rateLimits: false as const };
      try {
        let emulator = await startEmulator(options);
        await setHomeRegion(emulator);
        const url = await upload(
          emulator,
          "bad.csv",
          importCsv([{ HostName: "a" }, { "OS.Name": "no id" }]),
        );
        const { task } = await discovery(emulator)
          .startImportTask({ name: "p", importUrl: url, clientRequestToken: "keep" })
          .promise();
        await emulator.stop();

        emulator = await startEmulator(options);
        try {
          const ads = discovery(emulator);
          assert.equal((await describeOne(ads, task!.importTaskId!)).status, "IMPORT_IN_PROGRESS");
          advance(emulator, 30);
          const done = await describeOne(ads, task!.importTaskId!);
          assert.deepEqual(
            [done.status, done.serverImportSuccess, done.serverImportFailure],
            ["IMPORT_COMPLETE_WITH_ERRORS", 1, 1],
          );
          const zip = await fetch(done.errorsAndFailedEntriesZip!);
          assert.equal(zip.status, 200);
          assert.deepEqual(Object.keys(unzip(Buffer.from(await zip.arrayBuffer()))), [
            "errors-file.csv",
            "failed-entries-file.csv",
          ]);
          // The idempotency token survived too.
          const again = await ads
            .startImportTask({ name: "p", importUrl: url, clientRequestToken: "keep" })
            .promise();
          assert.equal(again.task!.importTaskId, task!.importTaskId);
        } finally {
          await emulator.stop();
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
