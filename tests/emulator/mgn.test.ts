import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DeleteApplicationCommand,
  DeleteSourceServerCommand,
  DeleteWaveCommand,
  DescribeSourceServersCommand,
  type ImportTask,
  InitializeServiceCommand,
  ListApplicationsCommand,
  ListImportErrorsCommand,
  ListImportsCommand,
  ListWavesCommand,
  MgnClient,
  StartImportCommand,
  type StartImportCommandInput,
} from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Emulator, startEmulator } from "../../emulator";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";

const ACCOUNT = "123456789012";
const REGION = "us-west-2";
const BUCKET = "mgn-imports";

/** Everything an MGN error carries: name, message, HTTP status and the shape's members. */
async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (err) {
    const e = err as Record<string, unknown> & { $metadata?: { httpStatusCode?: number } };
    const out: Record<string, unknown> = {
      name: e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode,
    };
    for (const k of [
      "code",
      "reason",
      "fieldList",
      "resourceId",
      "resourceType",
      "serviceCode",
      "quotaCode",
      "quotaValue",
    ]) {
      if (e[k] !== undefined) out[k] = e[k];
    }
    return out;
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const UNINITIALIZED = {
  name: "UninitializedAccountException",
  message: "Account is not initialized. Call InitializeService first.",
  status: 400,
  code: "UninitializedAccountException",
};

function validation(fields: { name: string; message: string }[]): Record<string, unknown> {
  const n = fields.length;
  return {
    name: "ValidationException",
    message: `${n} validation error${n === 1 ? "" : "s"} detected: ${fields.map((f) => `'${f.name}': ${f.message}`).join("; ")}`,
    status: 400,
    code: "ValidationException",
    reason: "fieldValidationFailed",
    fieldList: fields,
  };
}

const HEADER = [
  "mgn:wave:name",
  "mgn:wave:tag:stack",
  "mgn:app:name",
  "mgn:app:description",
  "mgn:app:tag:stack",
  "mgn:server:user-provided-id",
  "mgn:server:platform",
  "mgn:server:fqdn-for-action-framework",
  "mgn:server:tag:stack",
  "mgn:launch:instance-type",
  "notes",
];

function csv(rows: string[][], header: string[] = HEADER): string {
  return [header, ...rows].map((r) => r.join(",")).join("\r\n") + "\r\n";
}

/** Two waves, two applications, four servers (one in no application). */
const INVENTORY = csv([
  [
    "wave-1",
    "prod",
    "billing",
    "Billing system",
    "prod",
    "srv-001",
    "Linux",
    "db1.example.com",
    "prod",
    "m5.large",
    "primary db",
  ],
  ["wave-1", "", "billing", "", "", "srv-002", "Linux", "app1.example.com", "prod", "", ""],
  [
    "wave-2",
    "prod",
    "crm",
    "",
    "prod",
    "srv-003",
    "Windows",
    "crm1.example.com",
    "prod",
    "",
    '"quoted, note"',
  ],
  ["", "", "", "", "", "srv-004", "Linux", "web1.example.com", "prod", "", ""],
]);

const ZERO = { createdCount: 0, modifiedCount: 0 };

describe("emulator MGN", () => {
  // Real-time speed; tests move emulated time forward explicitly, so every status is predictable.
  const ctx = useEmulator({ timeScale: 1 });
  const mgn = (): MgnClient => new MgnClient(clientConfig(ctx.emulator));
  const s3 = (): S3Client => new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
  const upload = async (key: string, body: string): Promise<void> => {
    await s3().send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: "text/csv" }),
    );
  };
  const start = async (
    key: string,
    extra: Partial<StartImportCommandInput> = {},
  ): Promise<ImportTask> => {
    const out = await mgn().send(
      new StartImportCommand({ s3BucketSource: { s3Bucket: BUCKET, s3Key: key }, ...extra }),
    );
    return out.importTask!;
  };
  /** Pushes emulated time past the longest seeded import (180 s). */
  const finishAll = (): void => ctx.emulator.configure({ advanceSeconds: 200 });
  const importOf = async (importID: string): Promise<ImportTask> => {
    const out = await mgn().send(new ListImportsCommand({ filters: { importIDs: [importID] } }));
    assert.equal(out.items?.length, 1);
    return out.items[0]!;
  };
  const errorsOf = async (importID: string): Promise<unknown[]> =>
    (await mgn().send(new ListImportErrorsCommand({ importID }))).items ?? [];

  describe("before InitializeService", () => {
    it("refuses every operation with UninitializedAccountException, then accepts them once initialized", async () => {
      const client = mgn();
      const calls: (() => Promise<unknown>)[] = [
        () => client.send(new ListImportsCommand({})),
        () =>
          client.send(
            new StartImportCommand({ s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv" } }),
          ),
        () => client.send(new ListImportErrorsCommand({ importID: "import-0123456789abcdefa" })),
        () => client.send(new DescribeSourceServersCommand({})),
        () => client.send(new ListApplicationsCommand({})),
        () => client.send(new ListWavesCommand({})),
        () => client.send(new DeleteSourceServerCommand({ sourceServerID: "s-0123456789abcdefa" })),
        () => client.send(new DeleteApplicationCommand({ applicationID: "app-0123456789abcdefa" })),
        () => client.send(new DeleteWaveCommand({ waveID: "wave-0123456789abcdefa" })),
      ];
      for (const call of calls) assert.deepEqual(await failure(call()), UNINITIALIZED);

      const init = await client.send(new InitializeServiceCommand({}));
      assert.equal(init.$metadata.httpStatusCode, 204);
      // Initializing again is harmless.
      await client.send(new InitializeServiceCommand({}));
      const { $metadata: _m, ...listed } = await client.send(new ListImportsCommand({}));
      assert.deepEqual(listed, { items: [] });
    });

    it("keeps initialization per region", async () => {
      await mgn().send(new InitializeServiceCommand({}));
      const east = new MgnClient(clientConfig(ctx.emulator, "us-east-1"));
      assert.deepEqual(await failure(east.send(new ListImportsCommand({}))), UNINITIALIZED);
    });
  });

  describe("after InitializeService", () => {
    beforeEach(async () => {
      await mgn().send(new InitializeServiceCommand({}));
      await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
    });

    describe("StartImport", () => {
      it("answers 202 with a PENDING ImportTask carrying the ID, ARN and source on the wire", async () => {
        await upload("inventory.csv", INVENTORY);
        const before = ctx.emulator.now();
        const res = await sendRaw(ctx.emulator.url, {
          service: "mgn",
          path: "/StartImport",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            clientToken: "t-1",
            s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
            tags: { team: "ops" },
          }),
        });
        assert.equal(res.status, 202);
        const task = (JSON.parse(res.text) as { importTask: Record<string, unknown> }).importTask;
        const importID = task.importID as string;
        assert.match(importID, /^import-[0-9a-f]{17}$/);
        const created = Date.parse(task.creationDateTime as string);
        assert.ok(
          created >= before && created <= ctx.emulator.now(),
          "creation time is the emulated now",
        );
        assert.match(task.creationDateTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.deepEqual(task, {
          importID,
          arn: `arn:aws:mgn:${REGION}:${ACCOUNT}:import/${importID}`,
          s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
          creationDateTime: task.creationDateTime,
          status: "PENDING",
          progressPercentage: 0,
          summary: { waves: ZERO, applications: ZERO, servers: ZERO },
          tags: { team: "ops" },
        });
      });

      it("moves PENDING → STARTED with rising progress → SUCCEEDED with exact summary counts", async () => {
        await upload("inventory.csv", INVENTORY);
        const task = await start("inventory.csv");
        assert.deepEqual(
          {
            status: task.status,
            progressPercentage: task.progressPercentage,
            endDateTime: task.endDateTime,
          },
          { status: "PENDING", progressPercentage: 0, endDateTime: undefined },
        );

        ctx.emulator.configure({ advanceSeconds: 10 });
        const early = await importOf(task.importID!);
        assert.equal(early.status, "STARTED");
        assert.ok(
          early.progressPercentage! > 0 && early.progressPercentage! < 100,
          `progress ${early.progressPercentage}`,
        );
        assert.deepEqual(early.summary, { waves: ZERO, applications: ZERO, servers: ZERO });
        // The inventory appears only when the import finishes.
        assert.deepEqual((await mgn().send(new DescribeSourceServersCommand({}))).items, []);

        ctx.emulator.configure({ advanceSeconds: 3 });
        const later = await importOf(task.importID!);
        assert.equal(later.status, "STARTED");
        assert.ok(later.progressPercentage! > early.progressPercentage!, "progress rises");

        finishAll();
        const done = await importOf(task.importID!);
        const seconds = (Date.parse(done.endDateTime!) - Date.parse(done.creationDateTime!)) / 1000;
        assert.ok(seconds >= 20 && seconds <= 180, `import took ${seconds} s`);
        assert.deepEqual(done, {
          importID: task.importID,
          s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
          creationDateTime: task.creationDateTime,
          endDateTime: done.endDateTime,
          status: "SUCCEEDED",
          progressPercentage: 100,
          summary: {
            waves: { createdCount: 2, modifiedCount: 0 },
            applications: { createdCount: 2, modifiedCount: 0 },
            servers: { createdCount: 4, modifiedCount: 0 },
          },
        });
        assert.deepEqual(await errorsOf(task.importID!), []);
      });

      it("returns the original import for a repeated clientToken with the same parameters", async () => {
        await upload("inventory.csv", INVENTORY);
        const first = await start("inventory.csv", { clientToken: "retry-me" });
        const again = await start("inventory.csv", { clientToken: "retry-me" });
        assert.deepEqual(again, first);
        const listed = await mgn().send(new ListImportsCommand({}));
        assert.deepEqual(
          listed.items?.map((i) => i.importID),
          [first.importID],
        );
      });

      it("refuses a repeated clientToken with different parameters with ConflictException 409", async () => {
        await upload("inventory.csv", INVENTORY);
        await upload("other.csv", INVENTORY);
        const first = await start("inventory.csv", { clientToken: "retry-me" });
        assert.deepEqual(await failure(start("other.csv", { clientToken: "retry-me" })), {
          name: "ConflictException",
          message: `Client token retry-me was already used by import ${first.importID} with different parameters.`,
          status: 409,
          code: "ConflictException",
          resourceId: first.importID,
          resourceType: "IMPORT",
        });
      });

      it("starts a new import for every call without an explicit clientToken (the SDK fills a fresh UUID)", async () => {
        await upload("inventory.csv", INVENTORY);
        const a = await start("inventory.csv");
        const b = await start("inventory.csv");
        assert.notEqual(a.importID, b.importID);
      });

      it("refuses a fourth import in progress with ServiceQuotaExceededException 402, and accepts it once one finishes", async () => {
        await upload("inventory.csv", INVENTORY);
        for (let i = 0; i < 3; i++) await start("inventory.csv");
        assert.deepEqual(await failure(start("inventory.csv")), {
          name: "ServiceQuotaExceededException",
          message:
            "You have reached the limit of 3 imports in progress. Wait for an import to finish.",
          status: 402,
          code: "ServiceQuotaExceededException",
          resourceType: "IMPORT",
          serviceCode: "mgn",
          quotaCode: "ConcurrentImports",
          quotaValue: 3,
        });
        finishAll();
        assert.equal((await start("inventory.csv")).status, "PENDING");
      });

      const long = (n: number): string => "a".repeat(n);
      const rules: {
        title: string;
        input: Record<string, unknown>;
        fields: { name: string; message: string }[];
      }[] = [
        {
          title: "a missing s3BucketSource",
          input: {},
          fields: [{ name: "s3BucketSource", message: "Member must not be null" }],
        },
        {
          title: "a missing s3Bucket and s3Key",
          input: { s3BucketSource: {} },
          fields: [
            { name: "s3BucketSource.s3Bucket", message: "Member must not be null" },
            { name: "s3BucketSource.s3Key", message: "Member must not be null" },
          ],
        },
        {
          title: "an s3Bucket with a character outside [a-zA-Z0-9.-_]",
          input: { s3BucketSource: { s3Bucket: "my/bucket", s3Key: "a.csv" } },
          fields: [
            {
              name: "s3BucketSource.s3Bucket",
              message: "Member must satisfy regular expression pattern: [a-zA-Z0-9.\\-_]{1,255}",
            },
          ],
        },
        {
          title: "an s3Bucket longer than 255 characters",
          input: { s3BucketSource: { s3Bucket: long(256), s3Key: "a.csv" } },
          fields: [
            {
              name: "s3BucketSource.s3Bucket",
              message: "Member must satisfy regular expression pattern: [a-zA-Z0-9.\\-_]{1,255}",
            },
          ],
        },
        {
          title: "an s3Key that does not end in .csv",
          input: { s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.xlsx" } },
          fields: [
            {
              name: "s3BucketSource.s3Key",
              message: "Member must satisfy regular expression pattern: [^\\x00]{1,1020}\\.csv",
            },
          ],
        },
        {
          title: "an s3Key that is only .csv",
          input: { s3BucketSource: { s3Bucket: BUCKET, s3Key: ".csv" } },
          fields: [
            {
              name: "s3BucketSource.s3Key",
              message: "Member must satisfy regular expression pattern: [^\\x00]{1,1020}\\.csv",
            },
          ],
        },
        {
          title: "an s3Key longer than 1020 characters before .csv",
          input: { s3BucketSource: { s3Bucket: BUCKET, s3Key: long(1021) + ".csv" } },
          fields: [
            {
              name: "s3BucketSource.s3Key",
              message: "Member must satisfy regular expression pattern: [^\\x00]{1,1020}\\.csv",
            },
          ],
        },
        {
          title: "an s3BucketOwner shorter than 12 characters",
          input: { s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv", s3BucketOwner: "12345" } },
          fields: [
            {
              name: "s3BucketSource.s3BucketOwner",
              message: "Member must have length greater than or equal to 12",
            },
          ],
        },
        {
          title: "an s3BucketOwner of 12 non-digits",
          input: {
            s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv", s3BucketOwner: "abcdefghijkl" },
          },
          fields: [
            {
              name: "s3BucketSource.s3BucketOwner",
              message: "Member must satisfy regular expression pattern: .*[0-9]{12,}.*",
            },
          ],
        },
        {
          title: "a clientToken longer than 64 characters",
          input: { clientToken: long(65), s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv" } },
          fields: [
            { name: "clientToken", message: "Member must have length less than or equal to 64" },
          ],
        },
        {
          title: "more than 50 tags",
          input: {
            s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv" },
            tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])),
          },
          fields: [{ name: "tags", message: "Member must have length less than or equal to 50" }],
        },
        {
          title: "a tag value longer than 256 characters",
          input: { s3BucketSource: { s3Bucket: BUCKET, s3Key: "a.csv" }, tags: { k: long(257) } },
          fields: [
            { name: "tags.k", message: "Member must have length less than or equal to 256" },
          ],
        },
        {
          title: "two bad fields at once",
          input: { clientToken: long(65), s3BucketSource: { s3Bucket: "a b", s3Key: "a.csv" } },
          fields: [
            { name: "clientToken", message: "Member must have length less than or equal to 64" },
            {
              name: "s3BucketSource.s3Bucket",
              message: "Member must satisfy regular expression pattern: [a-zA-Z0-9.\\-_]{1,255}",
            },
          ],
        },
      ];
      for (const rule of rules) {
        it(`refuses ${rule.title} with ValidationException and its fieldList`, async () => {
          // Raw requests: the pinned SDK cannot send tags, and always fills clientToken.
          const res = await sendRaw(ctx.emulator.url, {
            service: "mgn",
            path: "/StartImport",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(rule.input),
          });
          const { name, status, ...body } = validation(rule.fields);
          assert.deepEqual(
            {
              status: res.status,
              name: res.headers.get("x-amzn-errortype"),
              ...JSON.parse(res.text),
            },
            { status, name, ...body },
          );
        });
      }

      it("reports the same ValidationException through the SDK", async () => {
        assert.deepEqual(
          await failure(
            mgn().send(
              new StartImportCommand({
                s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.txt" },
              }),
            ),
          ),
          validation([
            {
              name: "s3BucketSource.s3Key",
              message: "Member must satisfy regular expression pattern: [^\\x00]{1,1020}\\.csv",
            },
          ]),
        );
      });
    });

    describe("import outcomes", () => {
      it("fails an import whose object does not exist, with the S3 error listed", async () => {
        const task = await start("missing.csv");
        finishAll();
        const done = await importOf(task.importID!);
        assert.deepEqual(
          {
            status: done.status,
            progressPercentage: done.progressPercentage,
            summary: done.summary,
          },
          {
            status: "FAILED",
            progressPercentage: 100,
            summary: { waves: ZERO, applications: ZERO, servers: ZERO },
          },
        );
        assert.deepEqual(await errorsOf(task.importID!), [
          {
            errorDateTime: done.endDateTime,
            errorType: "PROCESSING_ERROR",
            errorData: {
              rawError: `NoSuchKey: The specified key does not exist: s3://${BUCKET}/missing.csv`,
            },
          },
        ]);
      });

      it("fails an import whose bucket does not exist", async () => {
        const out = await mgn().send(
          new StartImportCommand({
            s3BucketSource: { s3Bucket: "no-such-bucket", s3Key: "a.csv" },
          }),
        );
        finishAll();
        assert.equal((await importOf(out.importTask!.importID!)).status, "FAILED");
        assert.deepEqual(
          (await errorsOf(out.importTask!.importID!)).map(
            (e) => (e as { errorData: unknown }).errorData,
          ),
          [{ rawError: "NoSuchBucket: The specified bucket does not exist: no-such-bucket" }],
        );
      });

      it("fails an import from a bucket that another account owns", async () => {
        await upload("inventory.csv", INVENTORY);
        const task = await start("inventory.csv", {
          s3BucketSource: {
            s3Bucket: BUCKET,
            s3Key: "inventory.csv",
            s3BucketOwner: "210987654321",
          },
        });
        finishAll();
        assert.equal((await importOf(task.importID!)).status, "FAILED");
        assert.deepEqual(
          (await errorsOf(task.importID!)).map((e) => (e as { errorData: unknown }).errorData),
          [{ rawError: `AccessDenied: bucket ${BUCKET} is not owned by account 210987654321` }],
        );
      });

      const fileFailures: {
        title: string;
        body: string;
        error: { rowNumber?: number; rawError: string };
      }[] = [
        { title: "an empty file", body: "", error: { rawError: "The file is empty" } },
        {
          title: "a header without mgn: columns",
          body: "name,ip\nweb,10.0.0.1\n",
          error: { rowNumber: 1, rawError: "The header row has no mgn: columns" },
        },
        {
          title: "an unknown mgn: column",
          body: "mgn:server:user-provided-id,mgn:server:color\nsrv-1,blue\n",
          error: { rowNumber: 1, rawError: "Unknown column: mgn:server:color" },
        },
        {
          title: "a repeated column",
          body: "mgn:wave:name,mgn:wave:name\nw,w\n",
          error: { rowNumber: 1, rawError: "Duplicate column: mgn:wave:name" },
        },
        {
          title: "a header and no rows",
          body: "mgn:wave:name\n",
          error: { rawError: "The file has no data rows" },
        },
        {
          title: "an unterminated quote",
          body: 'mgn:wave:name\n"w\n',
          error: { rawError: "Unterminated quoted field starting on row 2" },
        },
      ];
      for (const f of fileFailures) {
        it(`fails an import of ${f.title} with one VALIDATION_ERROR`, async () => {
          await upload("bad.csv", f.body);
          const task = await start("bad.csv");
          finishAll();
          const done = await importOf(task.importID!);
          assert.equal(done.status, "FAILED");
          assert.deepEqual(await errorsOf(task.importID!), [
            { errorDateTime: done.endDateTime, errorType: "VALIDATION_ERROR", errorData: f.error },
          ]);
        });
      }

      it("succeeds when some rows are valid and lists each rejected row exactly", async () => {
        const header = [...HEADER, "mgn:server:id", "mgn:account-id", "mgn:region"];
        const row = (cells: Partial<Record<string, string>>): string[] =>
          header.map((h) => cells[h] ?? "");
        await upload(
          "mixed.csv",
          csv(
            [
              row({
                "mgn:server:user-provided-id": "srv-010",
                "mgn:server:platform": "Linux",
                "mgn:server:fqdn-for-action-framework": "a.example.com",
              }),
              row({
                "mgn:server:user-provided-id": "srv-011",
                "mgn:server:platform": "Solaris",
                "mgn:server:fqdn-for-action-framework": "b.example.com",
              }),
              row({
                "mgn:server:platform": "Linux",
                "mgn:server:fqdn-for-action-framework": "c.example.com",
              }),
              row({ "mgn:server:user-provided-id": "srv-012" }),
              row({ "mgn:server:user-provided-id": "srv-010", "mgn:server:platform": "Windows" }),
              row({ "mgn:app:description": "orphan" }),
              row({ "mgn:server:id": "s-0123456789abcdef0", "mgn:server:platform": "Linux" }),
              row({ "mgn:wave:name": "w", "mgn:account-id": "999999999999" }),
              row({ "mgn:wave:name": "w", "mgn:region": "eu-west-1" }),
              row({ "mgn:server:id": "s-123" }),
              row({ notes: "only a note" }),
              row({ "mgn:wave:name": "web\tfarm" }),
            ],
            header,
          ),
        );
        const task = await start("mixed.csv");
        finishAll();
        const done = await importOf(task.importID!);
        assert.deepEqual(
          { status: done.status, summary: done.summary },
          {
            status: "SUCCEEDED",
            summary: {
              waves: ZERO,
              applications: ZERO,
              servers: { createdCount: 1, modifiedCount: 0 },
            },
          },
        );
        const at = done.endDateTime;
        const v = (rowNumber: number, rawError: string): unknown => ({
          errorDateTime: at,
          errorType: "VALIDATION_ERROR",
          errorData: { rowNumber, rawError },
        });
        assert.deepEqual(await errorsOf(task.importID!), [
          v(3, "mgn:server:platform must be one of Linux, Windows; got Solaris"),
          v(
            4,
            "The row sets server properties but does not identify the server (mgn:server:id or mgn:server:user-provided-id)",
          ),
          v(
            5,
            "A new server needs an IP address or an FQDN (mgn:server:fqdn-for-action-framework)",
          ),
          v(6, "mgn:server:platform is Windows here but Linux in row 2 for the same resource"),
          v(
            7,
            "The row sets application properties but does not identify the application (mgn:app:id or mgn:app:name)",
          ),
          {
            errorDateTime: at,
            errorType: "PROCESSING_ERROR",
            errorData: {
              rowNumber: 8,
              rawError: "Source server s-0123456789abcdef0 does not exist",
            },
          },
          v(9, "mgn:account-id 999999999999 is not an account managed by 123456789012"),
          v(10, "mgn:region eu-west-1 does not match the region of the import, us-west-2"),
          v(11, "mgn:server:id s-123 does not match s-[0-9a-zA-Z]{17}"),
          v(12, "The row does not identify a wave, an application or a server"),
          v(13, "mgn:wave:name must be 1 to 256 characters without leading or trailing spaces"),
        ]);
      });

      it("fails an import whose every row is invalid", async () => {
        await upload(
          "bad.csv",
          csv([["", "", "", "", "", "srv-1", "BeOS", "x.example.com", "", "", ""]]),
        );
        const task = await start("bad.csv");
        finishAll();
        const done = await importOf(task.importID!);
        assert.deepEqual(
          { status: done.status, summary: done.summary },
          { status: "FAILED", summary: { waves: ZERO, applications: ZERO, servers: ZERO } },
        );
        assert.deepEqual(await errorsOf(task.importID!), [
          {
            errorDateTime: done.endDateTime,
            errorType: "VALIDATION_ERROR",
            errorData: {
              rowNumber: 2,
              rawError: "mgn:server:platform must be one of Linux, Windows; got BeOS",
            },
          },
        ]);
      });

      it("lists no errors while the import is in progress, and none for an unknown import", async () => {
        await upload(
          "bad.csv",
          csv([["", "", "", "", "", "srv-1", "BeOS", "x.example.com", "", "", ""]]),
        );
        const task = await start("bad.csv");
        assert.deepEqual(await errorsOf(task.importID!), []);
        assert.deepEqual(await errorsOf("import-0123456789abcdef0"), []);
      });
    });

    describe("inventory", () => {
      async function importAndFinish(key: string, body: string): Promise<ImportTask> {
        await upload(key, body);
        const task = await start(key);
        finishAll();
        return importOf(task.importID!);
      }

      it("creates waves, applications and servers with the CSV's names, tags and links", async () => {
        const done = await importAndFinish("inventory.csv", INVENTORY);
        const at = done.endDateTime;
        const waves = (await mgn().send(new ListWavesCommand({}))).items!;
        const apps = (await mgn().send(new ListApplicationsCommand({}))).items!;
        const servers = (await mgn().send(new DescribeSourceServersCommand({}))).items!;
        const [w1, w2] = waves.map((w) => w.waveID!);
        const [billing, crm] = apps.map((a) => a.applicationID!);
        const ids = servers.map((s) => s.sourceServerID!);
        for (const id of [w1, w2]) assert.match(id!, /^wave-[0-9a-f]{17}$/);
        for (const id of [billing, crm]) assert.match(id!, /^app-[0-9a-f]{17}$/);
        for (const id of ids) assert.match(id, /^s-[0-9a-f]{17}$/);
        const arn = (type: string, id: string | undefined): string =>
          `arn:aws:mgn:${REGION}:${ACCOUNT}:${type}/${id}`;
        const waveView = (id: string | undefined, name: string, apps: number): unknown => ({
          waveID: id,
          arn: arn("wave", id),
          name,
          isArchived: false,
          waveAggregatedStatus: {
            lastUpdateDateTime: at,
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalApplications: apps,
          },
          creationDateTime: at,
          lastModifiedDateTime: at,
          tags: { stack: "prod" },
        });
        assert.deepEqual(waves, [waveView(w1, "wave-1", 1), waveView(w2, "wave-2", 1)]);
        const appView = (
          id: string | undefined,
          name: string,
          waveID: string | undefined,
          servers: number,
          description?: string,
        ): unknown => ({
          applicationID: id,
          arn: arn("application", id),
          name,
          ...(description ? { description } : {}),
          isArchived: false,
          applicationAggregatedStatus: {
            lastUpdateDateTime: at,
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalSourceServers: servers,
          },
          creationDateTime: at,
          lastModifiedDateTime: at,
          tags: { stack: "prod" },
          waveID,
        });
        assert.deepEqual(apps, [
          appView(billing, "billing", w1, 2, "Billing system"),
          appView(crm, "crm", w2, 1),
        ]);
        const serverView = (
          id: string,
          upid: string,
          platform: string,
          fqdn: string,
          applicationID?: string,
        ): unknown => ({
          sourceServerID: id,
          arn: arn("source-server", id),
          isArchived: false,
          tags: { stack: "prod" },
          lifeCycle: { addedToServiceDateTime: at, state: "PENDING_INSTALLATION" },
          sourceProperties: {
            lastUpdatedDateTime: at,
            identificationHints: { fqdn },
            os: { fullString: platform },
          },
          replicationType: "AGENT_BASED",
          ...(applicationID ? { applicationID } : {}),
          userProvidedID: upid,
          fqdnForActionFramework: fqdn,
        });
        assert.deepEqual(servers, [
          serverView(ids[0]!, "srv-001", "Linux", "db1.example.com", billing),
          serverView(ids[1]!, "srv-002", "Linux", "app1.example.com", billing),
          serverView(ids[2]!, "srv-003", "Windows", "crm1.example.com", crm),
          serverView(ids[3]!, "srv-004", "Linux", "web1.example.com"),
        ]);
      });

      it("modifies what an earlier import created instead of duplicating it", async () => {
        await importAndFinish("inventory.csv", INVENTORY);
        const before = (await mgn().send(new DescribeSourceServersCommand({}))).items!.map(
          (s) => s.sourceServerID,
        );
        const again = await importAndFinish(
          "update.csv",
          csv([
            ["wave-1", "", "billing", "Billing v2", "", "srv-001", "", "", "", "", ""],
            ["wave-3", "", "", "", "", "", "", "", "", "", ""],
            ["", "", "", "", "", "srv-005", "Linux", "new.example.com", "", "", ""],
          ]),
        );
        assert.deepEqual(again.summary, {
          waves: { createdCount: 1, modifiedCount: 1 },
          applications: { createdCount: 0, modifiedCount: 1 },
          servers: { createdCount: 1, modifiedCount: 1 },
        });
        const servers = (await mgn().send(new DescribeSourceServersCommand({}))).items!;
        assert.deepEqual(servers.map((s) => s.sourceServerID).slice(0, 4), before);
        assert.deepEqual(
          servers.map((s) => s.userProvidedID),
          ["srv-001", "srv-002", "srv-003", "srv-004", "srv-005"],
        );
        const apps = (await mgn().send(new ListApplicationsCommand({}))).items!;
        assert.deepEqual(
          apps.map((a) => [a.name, a.description]),
          [
            ["billing", "Billing v2"],
            ["crm", undefined],
          ],
        );
        assert.deepEqual(
          (await mgn().send(new ListWavesCommand({}))).items!.map((w) => w.name),
          ["wave-1", "wave-2", "wave-3"],
        );
      });

      it("updates a server named by mgn:server:id and refuses to change its user-provided ID", async () => {
        await importAndFinish("inventory.csv", INVENTORY);
        const id = (await mgn().send(new DescribeSourceServersCommand({}))).items![0]!
          .sourceServerID!;
        const header = ["mgn:server:id", "mgn:server:user-provided-id", "mgn:server:tag:owner"];
        const done = await importAndFinish(
          "by-id.csv",
          csv(
            [
              [id, "", "alice"],
              [id, "renamed", ""],
            ],
            header,
          ),
        );
        assert.deepEqual(done.summary, {
          waves: ZERO,
          applications: ZERO,
          servers: { createdCount: 0, modifiedCount: 1 },
        });
        assert.deepEqual(await errorsOf(done.importID!), [
          {
            errorDateTime: done.endDateTime,
            errorType: "VALIDATION_ERROR",
            errorData: {
              rowNumber: 3,
              rawError: `mgn:server:user-provided-id of ${id} is srv-001 and cannot be changed`,
              sourceServerID: id,
            },
          },
        ]);
        const server = (
          await mgn().send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: [id] } }))
        ).items!;
        assert.deepEqual(
          server.map((s) => [s.userProvidedID, s.tags]),
          [["srv-001", { stack: "prod", owner: "alice" }]],
        );
      });

      it("reads the file when the import starts, so a later overwrite does not change it", async () => {
        await upload("inventory.csv", INVENTORY);
        const task = await start("inventory.csv");
        await upload("inventory.csv", "not,an,import\n");
        finishAll();
        assert.equal((await importOf(task.importID!)).status, "SUCCEEDED");
        assert.equal((await mgn().send(new DescribeSourceServersCommand({}))).items!.length, 4);
      });

      it("applies overlapping imports of the same rows once: the first to finish creates, the other modifies", async () => {
        await upload("inventory.csv", INVENTORY);
        const a = await start("inventory.csv");
        const b = await start("inventory.csv");
        finishAll();
        const [da, db] = [await importOf(a.importID!), await importOf(b.importID!)];
        const [first, second] =
          Date.parse(da.endDateTime!) <= Date.parse(db.endDateTime!) ? [da, db] : [db, da];
        assert.deepEqual(
          [first.summary, second.summary],
          [
            {
              waves: { createdCount: 2, modifiedCount: 0 },
              applications: { createdCount: 2, modifiedCount: 0 },
              servers: { createdCount: 4, modifiedCount: 0 },
            },
            {
              waves: { createdCount: 0, modifiedCount: 2 },
              applications: { createdCount: 0, modifiedCount: 2 },
              servers: { createdCount: 0, modifiedCount: 4 },
            },
          ],
        );
        assert.equal((await mgn().send(new DescribeSourceServersCommand({}))).items!.length, 4);
      });

      it("rejects rows that contradict an earlier row or take another resource's alternate key", async () => {
        await importAndFinish("inventory.csv", INVENTORY);
        const servers = (await mgn().send(new DescribeSourceServersCommand({}))).items!;
        const waves = (await mgn().send(new ListWavesCommand({}))).items!;
        const [s1, s2] = [servers[0]!.sourceServerID!, servers[1]!.sourceServerID!];
        const w1 = waves[0]!.waveID!;
        const header = [
          "mgn:wave:id",
          "mgn:wave:name",
          "mgn:app:name",
          "mgn:server:id",
          "mgn:server:user-provided-id",
        ];
        const done = await importAndFinish(
          "clash.csv",
          csv(
            [
              ["", "wave-9", "payroll", "", ""],
              ["", "wave-1", "payroll", "", ""],
              [w1, "wave-2", "", "", ""],
              ["", "", "", s2, "srv-001"],
              ["", "", "", s1, "srv-001"],
              ["wave-0123456789abcdef0", "", "", "", ""],
            ],
            header,
          ),
        );
        assert.deepEqual(
          { status: done.status, summary: done.summary },
          {
            status: "SUCCEEDED",
            summary: {
              waves: { createdCount: 1, modifiedCount: 0 },
              applications: { createdCount: 1, modifiedCount: 0 },
              servers: { createdCount: 0, modifiedCount: 1 },
            },
          },
        );
        const wave9 = (await mgn().send(new ListWavesCommand({}))).items!.find(
          (w) => w.name === "wave-9",
        )!.waveID!;
        const at = done.endDateTime;
        assert.deepEqual(await errorsOf(done.importID!), [
          {
            errorDateTime: at,
            errorType: "VALIDATION_ERROR",
            errorData: {
              rowNumber: 3,
              rawError: `wave of the application is ${w1} here but ${wave9} in row 2 for the same resource`,
            },
          },
          {
            errorDateTime: at,
            errorType: "VALIDATION_ERROR",
            errorData: {
              rowNumber: 4,
              rawError: `Wave name wave-2 is already used by ${waves[1]!.waveID}`,
            },
          },
          {
            errorDateTime: at,
            errorType: "VALIDATION_ERROR",
            errorData: {
              rowNumber: 5,
              rawError: `mgn:server:user-provided-id of ${s2} is srv-002 and cannot be changed`,
              sourceServerID: s2,
            },
          },
          {
            errorDateTime: at,
            errorType: "PROCESSING_ERROR",
            errorData: { rowNumber: 7, rawError: "Wave wave-0123456789abcdef0 does not exist" },
          },
        ]);
      });

      it("filters servers by ID, application, lifecycle state and archive flag", async () => {
        await importAndFinish("inventory.csv", INVENTORY);
        const all = (await mgn().send(new DescribeSourceServersCommand({}))).items!;
        const billing = (await mgn().send(new ListApplicationsCommand({}))).items![0]!
          .applicationID!;
        const ids = (filters: object): Promise<(string | undefined)[]> =>
          mgn()
            .send(new DescribeSourceServersCommand({ filters }))
            .then((o) => o.items!.map((s) => s.userProvidedID));
        assert.deepEqual(await ids({ sourceServerIDs: [all[2]!.sourceServerID!] }), ["srv-003"]);
        assert.deepEqual(await ids({ applicationIDs: [billing] }), ["srv-001", "srv-002"]);
        assert.deepEqual(await ids({ lifeCycleStates: ["PENDING_INSTALLATION"] }), [
          "srv-001",
          "srv-002",
          "srv-003",
          "srv-004",
        ]);
        assert.deepEqual(await ids({ lifeCycleStates: ["READY_FOR_TEST"] }), []);
        assert.deepEqual(await ids({ isArchived: true }), []);
        assert.deepEqual(await ids({ isArchived: false }), [
          "srv-001",
          "srv-002",
          "srv-003",
          "srv-004",
        ]);
        const other = await mgn().send(
          new DescribeSourceServersCommand({ accountID: "210987654321" }),
        );
        assert.deepEqual(other.items, []);
        assert.deepEqual(
          await failure(
            mgn().send(
              new DescribeSourceServersCommand({
                filters: { lifeCycleStates: ["GONE" as "STOPPED"] },
              }),
            ),
          ),
          validation([
            {
              name: "filters.lifeCycleStates.0",
              message:
                "Member must satisfy enum value set: [STOPPED, NOT_READY, READY_FOR_TEST, TESTING, READY_FOR_CUTOVER, CUTTING_OVER, CUTOVER, DISCONNECTED, DISCOVERED, PENDING_INSTALLATION]",
            },
          ]),
        );
      });

      it("deletes servers, then applications, then waves, refusing to orphan members", async () => {
        await importAndFinish("inventory.csv", INVENTORY);
        const waves = (await mgn().send(new ListWavesCommand({}))).items!;
        const apps = (
          await mgn().send(
            new ListApplicationsCommand({ filters: { waveIDs: [waves[0]!.waveID!] } }),
          )
        ).items!;
        assert.deepEqual(
          apps.map((a) => a.name),
          ["billing"],
        );
        const wave = waves[0]!.waveID!;
        const app = apps[0]!.applicationID!;
        assert.deepEqual(await failure(mgn().send(new DeleteWaveCommand({ waveID: wave }))), {
          name: "ConflictException",
          message: `Wave ${wave} still has 1 application(s). Delete or disassociate them first.`,
          status: 409,
          code: "ConflictException",
          resourceId: wave,
          resourceType: "WAVE",
        });
        assert.deepEqual(
          await failure(mgn().send(new DeleteApplicationCommand({ applicationID: app }))),
          {
            name: "ConflictException",
            message: `Application ${app} still has 2 source server(s). Delete or disassociate them first.`,
            status: 409,
            code: "ConflictException",
            resourceId: app,
            resourceType: "APPLICATION",
          },
        );
        const members = (
          await mgn().send(new DescribeSourceServersCommand({ filters: { applicationIDs: [app] } }))
        ).items!;
        for (const s of members) {
          const out = await mgn().send(
            new DeleteSourceServerCommand({ sourceServerID: s.sourceServerID }),
          );
          assert.equal(out.$metadata.httpStatusCode, 204);
        }
        const gone = members[0]!.sourceServerID!;
        assert.deepEqual(
          await failure(mgn().send(new DeleteSourceServerCommand({ sourceServerID: gone }))),
          {
            name: "ResourceNotFoundException",
            message: `SOURCE_SERVER ${gone} not found.`,
            status: 404,
            code: "ResourceNotFoundException",
            resourceId: gone,
            resourceType: "SOURCE_SERVER",
          },
        );
        await mgn().send(new DeleteApplicationCommand({ applicationID: app }));
        await mgn().send(new DeleteWaveCommand({ waveID: wave }));
        assert.deepEqual(
          (await mgn().send(new ListWavesCommand({}))).items!.map((w) => w.name),
          ["wave-2"],
        );
        assert.deepEqual(
          (await mgn().send(new ListApplicationsCommand({}))).items!.map((a) => a.name),
          ["crm"],
        );
        assert.deepEqual(
          (await mgn().send(new DescribeSourceServersCommand({}))).items!.map(
            (s) => s.userProvidedID,
          ),
          ["srv-003", "srv-004"],
        );
        assert.deepEqual(await failure(mgn().send(new DeleteWaveCommand({ waveID: wave }))), {
          name: "ResourceNotFoundException",
          message: `WAVE ${wave} not found.`,
          status: 404,
          code: "ResourceNotFoundException",
          resourceId: wave,
          resourceType: "WAVE",
        });
        assert.deepEqual(
          await failure(mgn().send(new DeleteApplicationCommand({ applicationID: "bad" }))),
          validation([
            {
              name: "applicationID",
              message: "Member must have length greater than or equal to 21",
            },
          ]),
        );
      });
    });

    describe("ListImports and ListImportErrors", () => {
      it("pages imports in creation order and filters by importIDs", async () => {
        await upload("inventory.csv", INVENTORY);
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          ids.push((await start("inventory.csv")).importID!);
          finishAll();
        }
        const seen: string[] = [];
        let nextToken: string | undefined;
        let pages = 0;
        do {
          const out = await mgn().send(new ListImportsCommand({ maxResults: 2, nextToken }));
          seen.push(...out.items!.map((i) => i.importID!));
          nextToken = out.nextToken;
          pages++;
        } while (nextToken);
        assert.deepEqual({ seen, pages }, { seen: ids, pages: 3 });
        const some = await mgn().send(
          new ListImportsCommand({
            filters: { importIDs: [ids[3]!, ids[1]!, "import-0123456789abcdef0"] },
          }),
        );
        assert.deepEqual(
          some.items!.map((i) => i.importID),
          [ids[1], ids[3]],
        );
      });

      it("pages import errors", async () => {
        const rows = Array.from({ length: 5 }, (_, i) => [
          "",
          "",
          "",
          "",
          "",
          `srv-${i}`,
          "Amiga",
          "x.example.com",
          "",
          "",
          "",
        ]);
        await upload("bad.csv", csv(rows));
        const task = await start("bad.csv");
        finishAll();
        const first = await mgn().send(
          new ListImportErrorsCommand({ importID: task.importID, maxResults: 3 }),
        );
        assert.deepEqual(
          first.items!.map((e) => e.errorData!.rowNumber),
          [2, 3, 4],
        );
        const second = await mgn().send(
          new ListImportErrorsCommand({
            importID: task.importID,
            maxResults: 3,
            nextToken: first.nextToken,
          }),
        );
        assert.deepEqual(
          { rows: second.items!.map((e) => e.errorData!.rowNumber), next: second.nextToken },
          { rows: [5, 6], next: undefined },
        );
      });

      const rules: {
        title: string;
        send: (c: MgnClient) => Promise<unknown>;
        fields: { name: string; message: string }[];
      }[] = [
        {
          title: "more than 10 importIDs",
          send: (c) =>
            c.send(
              new ListImportsCommand({
                filters: {
                  importIDs: Array.from(
                    { length: 11 },
                    (_, i) => `import-0123456789abcde${i % 10}0`,
                  ),
                },
              }),
            ),
          fields: [
            {
              name: "filters.importIDs",
              message: "Member must have length less than or equal to 10",
            },
          ],
        },
        {
          title: "an importID filter that is not 24 characters",
          send: (c) => c.send(new ListImportsCommand({ filters: { importIDs: ["import-1"] } })),
          fields: [
            {
              name: "filters.importIDs.0",
              message: "Member must have length greater than or equal to 24",
            },
          ],
        },
        {
          title: "an importID filter outside the pattern",
          send: (c) =>
            c.send(
              new ListImportsCommand({ filters: { importIDs: ["import_0123456789abcdef0"] } }),
            ),
          fields: [
            {
              name: "filters.importIDs.0",
              message: "Member must satisfy regular expression pattern: import-[0-9a-zA-Z]{17}",
            },
          ],
        },
        {
          title: "maxResults 0",
          send: (c) => c.send(new ListImportsCommand({ maxResults: 0 })),
          fields: [
            { name: "maxResults", message: "Member must have value greater than or equal to 1" },
          ],
        },
        {
          title: "maxResults 1001",
          send: (c) => c.send(new ListImportsCommand({ maxResults: 1001 })),
          fields: [
            { name: "maxResults", message: "Member must have value less than or equal to 1000" },
          ],
        },
        {
          title: "a nextToken this service did not issue",
          send: (c) => c.send(new ListImportsCommand({ nextToken: "forged" })),
          fields: [{ name: "nextToken", message: "Invalid pagination token" }],
        },
        {
          title: "a nextToken longer than 2048 characters",
          send: (c) => c.send(new ListImportsCommand({ nextToken: "a".repeat(2049) })),
          fields: [
            { name: "nextToken", message: "Member must have length less than or equal to 2048" },
          ],
        },
        {
          title: "ListImportErrors without importID",
          send: (c) => c.send(new ListImportErrorsCommand({} as { importID: string })),
          fields: [{ name: "importID", message: "Member must not be null" }],
        },
        {
          title: "ListImportErrors with a malformed importID",
          send: (c) =>
            c.send(new ListImportErrorsCommand({ importID: "import-ABCDEFGHIJKLMNOP!" })),
          fields: [
            {
              name: "importID",
              message: "Member must satisfy regular expression pattern: import-[0-9a-zA-Z]{17}",
            },
          ],
        },
        {
          title: "ListImportErrors with maxResults 1001",
          send: (c) =>
            c.send(
              new ListImportErrorsCommand({
                importID: "import-0123456789abcdef0",
                maxResults: 1001,
              }),
            ),
          fields: [
            { name: "maxResults", message: "Member must have value less than or equal to 1000" },
          ],
        },
      ];
      for (const rule of rules) {
        it(`refuses ${rule.title} with ValidationException`, async () => {
          assert.deepEqual(await failure(rule.send(mgn())), validation(rule.fields));
        });
      }
    });
  });

  describe("with a data directory", () => {
    it("keeps imports and inventory across a restart", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "mgn-emulator-"));
      let emulator: Emulator | undefined;
      try {
        emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
        const client = new MgnClient(clientConfig(emulator));
        await client.send(new InitializeServiceCommand({}));
        const bucketClient = new S3Client({ ...clientConfig(emulator), forcePathStyle: true });
        await bucketClient.send(new CreateBucketCommand({ Bucket: BUCKET }));
        await bucketClient.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: "inventory.csv", Body: INVENTORY }),
        );
        const task = (
          await client.send(
            new StartImportCommand({
              s3BucketSource: { s3Bucket: BUCKET, s3Key: "inventory.csv" },
            }),
          )
        ).importTask!;
        emulator.configure({ advanceSeconds: 200 });
        const before = (await client.send(new ListImportsCommand({}))).items;
        await emulator.stop();

        emulator = await startEmulator({ dataDir, rateLimits: false, timeScale: 1 });
        const after = new MgnClient(clientConfig(emulator));
        assert.deepEqual((await after.send(new ListImportsCommand({}))).items, before);
        assert.equal(before?.[0]?.importID, task.importID);
        assert.deepEqual(
          (await after.send(new DescribeSourceServersCommand({}))).items!.map(
            (s) => s.userProvidedID,
          ),
          ["srv-001", "srv-002", "srv-003", "srv-004"],
        );
      } finally {
        await emulator?.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  it("keeps errorOf's contract for MGN errors (name, message, status)", async () => {
    assert.deepEqual(await errorOf(mgn().send(new ListImportsCommand({}))), {
      name: UNINITIALIZED.name,
      message: UNINITIALIZED.message,
      status: 400,
    });
  });
});
