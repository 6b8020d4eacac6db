import { strict as assert } from "node:assert";
import fc from "fast-check";
import { AwsApiError } from "../../../../provider/core/errors";
import { UNKNOWN } from "../../../../provider/core/unknown";
import type { ImportErrors, Inventory, MgnImport } from "../../../../provider/mgn/api";
import {
  classify,
  errorLine,
  failureMessage,
  importTaskSpec,
} from "../../../../provider/mgn/importTaskSpec";
import { planInventoryRemoval } from "../../../../provider/mgn/inventory";
import {
  asInputs as asTableInputs,
  checkProperties,
  waitTimeoutMs as tableWaitTimeoutMs,
} from "../../../../provider/core/task/properties";
import { diffTask } from "../../../../provider/core/task/provider";

const { properties } = importTaskSpec;
const toOutputs = (
  raw: Record<string, unknown>,
  task: MgnImport,
  errors?: ImportErrors,
  previous?: Record<string, unknown>,
) => importTaskSpec.toOutputs(raw, task, errors && { errors }, previous);

// check, diff and inputs normalisation moved to the core's property table (core/task): these
// adapters keep the assertions below in the shape they were first written in.
const settings = { endpoints: {} };
const checkInputs = (news: Record<string, unknown>) => [
  ...checkProperties(properties, news, { settings }),
  ...(importTaskSpec.checkMore?.(news, { settings }) ?? []),
];
const diffInputs = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
  diffTask(
    importTaskSpec,
    typeof olds["importId"] === "string" ? olds["importId"] : undefined,
    olds,
    news,
  );
/** The table's inputs without the keys left unset (the shape these assertions were first written against). */
const asInputs = (raw: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(asTableInputs(properties, raw)).filter(([, v]) => v !== undefined),
  );
const waitTimeoutMs = (inputs: Record<string, unknown>, configMinutes: number | undefined) =>
  tableWaitTimeoutMs(properties, inputs, configMinutes);

const ID = "import-0123456789abcdefA";
const SRC = { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" };
const VALID = { s3BucketSource: SRC };

describe("mgn.ImportTask spec", () => {
  describe("checkInputs", () => {
    const cases: {
      title: string;
      inputs: Record<string, unknown>;
      failures: { property: string; reason: string }[];
    }[] = [
      { title: "accepts the minimal valid inputs", inputs: VALID, failures: [] },
      {
        title: "accepts every option set to a valid value",
        inputs: {
          s3BucketSource: { ...SRC, s3BucketOwner: "123456789012" },
          clientToken: "t".repeat(64),
          tags: { team: "ops", empty: "" },
          waitForCompletion: true,
          waitTimeoutMinutes: 10080,
          failOnRowErrors: true,
          deleteInventoryOnDelete: {
            tag: { key: "stack", value: "prod" },
            userProvidedIds: ["srv-001"],
            applicationNames: ["billing system"],
            waveNames: ["wave 1"],
          },
        },
        failures: [],
      },
      { title: "accepts adoption without a source", inputs: { adoptImportId: ID }, failures: [] },
      {
        title: "requires s3BucketSource unless adopting",
        inputs: {},
        failures: [
          {
            property: "s3BucketSource",
            reason:
              'is required. Fix: give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId',
          },
        ],
      },
      {
        title: "requires s3Bucket and s3Key inside s3BucketSource",
        inputs: { s3BucketSource: {} },
        failures: [
          {
            property: "s3BucketSource.s3Bucket",
            reason: 'is required. Fix: give the bucket name alone, e.g. "migration-data"',
          },
          {
            property: "s3BucketSource.s3Key",
            reason: 'is required. Fix: give the key of the CSV object, e.g. "inventory/wave-1.csv"',
          },
        ],
      },
      {
        title: "rejects an s3:// URL as the bucket, a key not ending in .csv and a short owner",
        inputs: {
          s3BucketSource: { s3Bucket: "s3://data", s3Key: "inventory.xlsx", s3BucketOwner: "1234" },
        },
        failures: [
          {
            property: "s3BucketSource.s3Bucket",
            reason:
              'must match [a-zA-Z0-9.-_]{1,255} (a bucket name, not an s3:// URL) (got "s3://data"). Fix: give the bucket name alone, e.g. "migration-data"',
          },
          {
            property: "s3BucketSource.s3Key",
            reason:
              'must match an object key ending in .csv (MGN imports CSV files only) (got "inventory.xlsx"). Fix: give the key of the CSV object, e.g. "inventory/wave-1.csv"',
          },
          {
            property: "s3BucketSource.s3BucketOwner",
            reason:
              "must be 12 characters (got 4). Fix: give the bucket owner's account ID (the bucket must grant s3:GetObject to the caller), or omit it for a bucket in this account",
          },
        ],
      },
      {
        title: "rejects a bucket over 255 characters and a key over 1024",
        inputs: { s3BucketSource: { s3Bucket: "b".repeat(256), s3Key: `${"k".repeat(1021)}.csv` } },
        failures: [
          {
            property: "s3BucketSource.s3Bucket",
            reason:
              'must be 1–255 characters (got 256). Fix: give the bucket name alone, e.g. "migration-data"',
          },
          {
            property: "s3BucketSource.s3Key",
            reason:
              'must be 5–1024 characters (got 1025). Fix: give the key of the CSV object, e.g. "inventory/wave-1.csv"',
          },
        ],
      },
      {
        title: "rejects a non-object source",
        inputs: { s3BucketSource: "s3://migration-data/a.csv" },
        failures: [
          {
            property: "s3BucketSource",
            reason:
              'must be an object (got string). Fix: give the CSV\'s location as { s3Bucket, s3Key } (e.g. { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" }), or set adoptImportId',
          },
        ],
      },
      {
        title: "rejects an empty, long or space-bearing clientToken",
        inputs: { ...VALID, clientToken: "a b" },
        failures: [
          {
            property: "clientToken",
            reason:
              'must match printable ASCII without spaces (got "a b"). Fix: use 1–64 printable characters, or omit it and let the provider derive one from the stack, the URN and s3BucketSource/tags',
          },
        ],
      },
      {
        title: "rejects a 65-character clientToken",
        inputs: { ...VALID, clientToken: "t".repeat(65) },
        failures: [
          {
            property: "clientToken",
            reason:
              "must be 1–64 characters (got 65). Fix: use 1–64 printable characters, or omit it and let the provider derive one from the stack, the URN and s3BucketSource/tags",
          },
        ],
      },
      {
        title: "rejects more than 50 tags, an aws: key, a long value and a non-string value",
        inputs: {
          ...VALID,
          tags: {
            ...Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, "v"])),
            "aws:team": "x",
            long: "v".repeat(257),
            n: 5,
          },
        },
        failures: [
          {
            property: "tags",
            reason: "must have at most 50 entries (got 52). Fix: drop some tags",
          },
          {
            property: "tags.aws:team",
            reason: 'key must not start with "aws:" (reserved for AWS). Fix: choose another key',
          },
          {
            property: "tags.long",
            reason: "must be at most 256 characters (got 257). Fix: shorten the value",
          },
          { property: "tags.n", reason: "must be a string (got number). Fix: quote the value" },
        ],
      },
      {
        title: "rejects a malformed adoptImportId",
        inputs: { adoptImportId: "import-123" },
        failures: [
          {
            property: "adoptImportId",
            reason:
              'must match import- followed by 17 letters or digits (got "import-123"). Fix: copy importID from `aws mgn list-imports`',
          },
        ],
      },
      {
        title: "rejects waiting options of the wrong type or range",
        inputs: { ...VALID, waitForCompletion: "yes", waitTimeoutMinutes: 0.5, failOnRowErrors: 1 },
        failures: [
          {
            property: "waitForCompletion",
            reason: "must be a boolean (got string). Fix: use true or false",
          },
          {
            property: "failOnRowErrors",
            reason: "must be a boolean (got number). Fix: use true or false",
          },
          {
            property: "waitTimeoutMinutes",
            reason:
              "must be an integer (got 0.5). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
          },
        ],
      },
      {
        title: "rejects failOnRowErrors with waitForCompletion false (cross-field)",
        inputs: { ...VALID, waitForCompletion: false, failOnRowErrors: true },
        failures: [
          {
            property: "failOnRowErrors",
            reason:
              "has no effect when waitForCompletion is false (the import is not awaited, so its row errors are never judged). Fix: remove failOnRowErrors or set waitForCompletion to true.",
          },
        ],
      },
      {
        title: "rejects a deleteInventoryOnDelete that selects nothing (cross-field)",
        inputs: { ...VALID, deleteInventoryOnDelete: { userProvidedIds: [] } },
        failures: [
          {
            property: "deleteInventoryOnDelete",
            reason:
              "selects nothing. Fix: give tag and/or userProvidedIds, applicationNames, waveNames — or remove deleteInventoryOnDelete to retain the inventory on delete (the default)",
          },
        ],
      },
      {
        title: "rejects a selector tag without a key and names with stray spaces",
        inputs: {
          ...VALID,
          deleteInventoryOnDelete: { tag: { value: "prod" }, waveNames: [" wave"] },
        },
        failures: [
          {
            property: "deleteInventoryOnDelete.tag.key",
            reason:
              "is required. Fix: give the tag key the CSV sets with mgn:server:tag:<key>, mgn:app:tag:<key> or mgn:wave:tag:<key>",
          },
          {
            property: "deleteInventoryOnDelete.waveNames[0]",
            reason:
              "must match no leading, trailing or repeated whitespace (got \" wave\"). Fix: give the waves' names as the CSV's mgn:wave:name column has them",
          },
        ],
      },
      {
        title: "skips every value unknown during preview",
        inputs: {
          s3BucketSource: { s3Bucket: UNKNOWN, s3Key: UNKNOWN },
          clientToken: UNKNOWN,
          tags: { team: UNKNOWN },
          waitTimeoutMinutes: UNKNOWN,
          deleteInventoryOnDelete: { tag: UNKNOWN },
        },
        failures: [],
      },
      { title: "skips a wholly unknown source", inputs: { s3BucketSource: UNKNOWN }, failures: [] },
    ];
    for (const c of cases) {
      it(c.title, () => assert.deepEqual(checkInputs(c.inputs), c.failures));
    }
  });

  describe("status and acceptors", () => {
    it("classifies SUCCEEDED as success, FAILED and gone as failure, the rest as pending", () => {
      assert.deepEqual(
        ["SUCCEEDED", "FAILED", "GONE", "PENDING", "STARTED", "SOMETHING_NEW"].map((status) =>
          classify(status),
        ),
        ["success", "failure", "failure", "pending", "pending", "pending"],
      );
    });

    it("fails a SUCCEEDED import with row errors only under failOnRowErrors", () => {
      assert.equal(classify("SUCCEEDED", 2, false), "success");
      assert.equal(classify("SUCCEEDED", 2, true), "failure");
      assert.equal(classify("SUCCEEDED", 0, true), "success");
      assert.equal(classify("FAILED", 0, false), "failure");
    });

    it("ends the wait at SUCCEEDED, FAILED or gone", () => {
      const verdict = (o: MgnImport | undefined): string | undefined =>
        importTaskSpec.acceptors("create", {}).find((a) => a.matches(o))?.verdict;
      assert.deepEqual(
        [
          verdict({ importID: ID, status: "SUCCEEDED" }),
          verdict({ importID: ID, status: "FAILED" }),
          verdict(undefined),
          verdict({ importID: ID, status: "STARTED" }),
        ],
        ["success", "failure", "failure", undefined],
      );
    });
  });

  describe("diffInputs", () => {
    const olds = {
      ...VALID,
      clientToken: "pam-1",
      __provider: "old",
      importId: ID,
      status: "SUCCEEDED",
      importErrorCount: 0,
    };
    const news = { ...VALID, clientToken: "pam-1", __provider: "new" };
    const cases: {
      title: string;
      olds?: Record<string, unknown>;
      news: Record<string, unknown>;
      expect: { changes: boolean; replaces: string[] };
    }[] = [
      {
        title: "a provider code change alone is no change",
        news,
        expect: { changes: false, replaces: [] },
      },
      {
        title: "spelling out a default is no change",
        news: { ...news, waitForCompletion: true, waitTimeoutMinutes: 180, failOnRowErrors: false },
        expect: { changes: false, replaces: [] },
      },
      {
        title: "a new key replaces (deep comparison, key order ignored)",
        news: { ...news, s3BucketSource: { ...SRC, s3Key: "inventory/wave-2.csv" } },
        expect: { changes: true, replaces: ["s3BucketSource"] },
      },
      {
        title: "the same source in another key order is no change",
        news: { ...news, s3BucketSource: { s3Key: SRC.s3Key, s3Bucket: SRC.s3Bucket } },
        expect: { changes: false, replaces: [] },
      },
      {
        title: "new tags replace",
        news: { ...news, tags: { team: "ops" } },
        expect: { changes: true, replaces: ["tags"] },
      },
      {
        title: "waiting and delete options update in place",
        news: {
          ...news,
          waitTimeoutMinutes: 30,
          deleteInventoryOnDelete: { tag: { key: "stack", value: "prod" } },
        },
        expect: { changes: true, replaces: [] },
      },
      {
        title: "an unknown source counts as a replacing change",
        news: { ...news, s3BucketSource: { ...SRC, s3Key: UNKNOWN } },
        expect: { changes: true, replaces: ["s3BucketSource"] },
      },
      {
        title: "an unknown waiting option counts as a change",
        news: { ...news, waitTimeoutMinutes: UNKNOWN },
        expect: { changes: true, replaces: [] },
      },
      {
        title: "an import that ended FAILED is replaced",
        olds: { ...olds, status: "FAILED" },
        news,
        expect: { changes: true, replaces: ["status"] },
      },
      {
        title: "a SUCCEEDED import with row errors is replaced when failOnRowErrors is now true",
        olds: { ...olds, importErrorCount: 3 },
        news: { ...news, failOnRowErrors: true },
        expect: { changes: true, replaces: ["status"] },
      },
      {
        title: "an import still running is an update (the wait resumes)",
        olds: { ...olds, status: "STARTED" },
        news,
        expect: { changes: true, replaces: [] },
      },
      {
        title: "a running import with waitForCompletion false is no change",
        olds: { ...olds, status: "STARTED", waitForCompletion: false },
        news: { ...news, waitForCompletion: false },
        expect: { changes: false, replaces: [] },
      },
      {
        title: "adopting the import the resource already manages is no change",
        olds: { ...olds, adoptImportId: ID, tags: { team: "ops" } },
        news: { ...news, adoptImportId: ID },
        expect: { changes: false, replaces: [] },
      },
    ];
    for (const c of cases) {
      it(c.title, () =>
        assert.deepEqual(diffInputs(c.olds ?? olds, c.news), {
          ...c.expect,
          deleteBeforeReplace: false,
        }),
      );
    }
  });

  describe("toOutputs", () => {
    const task: MgnImport = {
      importID: ID,
      status: "SUCCEEDED",
      arn: `arn:aws:mgn:us-west-2:123456789012:import/${ID}`,
      creationDateTime: "2026-01-01T00:00:00.000Z",
      endDateTime: "2026-01-01T00:02:00.000Z",
      progressPercentage: 100,
      summary: { servers: { createdCount: 4, modifiedCount: 1 } },
      tags: { team: "ops" },
    };

    it("echoes the inputs, normalizes the summary, and keeps the first 20 row errors with a message", () => {
      const errors = Array.from({ length: 25 }, (_, i) => ({
        errorType: "VALIDATION_ERROR",
        rowNumber: i + 2,
        rawError: "bad row",
      }));
      const outs = toOutputs({ ...VALID, clientToken: "t", __provider: "p", ignored: 1 }, task, {
        items: errors,
        total: 25,
      });
      assert.deepEqual(outs, {
        ...VALID,
        clientToken: "t",
        __provider: "p",
        importId: ID,
        arn: task.arn,
        status: "SUCCEEDED",
        progressPercentage: 100,
        creationDateTime: "2026-01-01T00:00:00.000Z",
        endDateTime: "2026-01-01T00:02:00.000Z",
        summary: {
          waves: { createdCount: 0, modifiedCount: 0 },
          applications: { createdCount: 0, modifiedCount: 0 },
          servers: { createdCount: 4, modifiedCount: 1 },
        },
        tags: { team: "ops" },
        importErrors: errors.slice(0, 20).map((e) => ({
          ...e,
          message: `row ${e.rowNumber}: VALIDATION_ERROR: bad row`,
        })),
        importErrorCount: 25,
      });
    });

    it("keeps recorded errors when none were read, and drops what is unknown", () => {
      const outs = toOutputs(
        { adoptImportId: ID },
        { importID: ID, status: "STARTED" },
        undefined,
        {
          importErrors: [],
          importErrorCount: 0,
        },
      );
      assert.deepEqual(outs, {
        adoptImportId: ID,
        importId: ID,
        status: "STARTED",
        importErrors: [],
        importErrorCount: 0,
      });
    });

    it("redacts and clips a raw error", () => {
      const line = errorLine({
        errorType: "PROCESSING_ERROR",
        rawError: `see https://b.s3.amazonaws.com/x?X-Amz-Signature=deadbeef ${"x".repeat(2000)}`,
        sourceServerID: "s-0123456789abcdefa",
      });
      assert.ok(!line.includes("deadbeef"));
      assert.ok(line.startsWith("file: PROCESSING_ERROR [s-0123456789abcdefa]: see https://"));
      assert.ok(line.endsWith("..."));
      assert.equal(line.length, "file: PROCESSING_ERROR [s-0123456789abcdefa]: ".length + 1000);
    });
  });

  describe("messages", () => {
    const task: MgnImport = {
      importID: ID,
      status: "FAILED",
      summary: {},
    };
    it("names the import, the status history, the counts, the first errors and the fix", () => {
      assert.equal(
        failureMessage(
          { s3BucketSource: SRC },
          task,
          { polls: 3, observed: ["PENDING", "STARTED", "FAILED"] },
          ID,
          {
            items: [
              { errorType: "VALIDATION_ERROR", rowNumber: 1, rawError: "Unknown column mgn:foo" },
            ],
            total: 1,
          },
        ),
        `mgn.ImportTask "${ID}": import ${ID} ended in FAILED after 3 polls (PENDING, STARTED); waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 1 row error: row 1: VALIDATION_ERROR: Unknown column mgn:foo. Fix s3://migration-data/inventory/wave-1.csv (see the importErrors output and \`aws mgn list-import-errors --import-id ${ID}\`), then run \`pulumi up\` again (a failed import is replaced).`,
      );
    });

    it("says how to accept a partial import when failOnRowErrors failed it", async () => {
      const errs = {
        items: [1, 2, 3, 4].map((n) => ({
          errorType: "VALIDATION_ERROR",
          rowNumber: n,
          rawError: "x",
        })),
        total: 9,
      };
      const ok: MgnImport = { importID: ID, status: "SUCCEEDED" };
      assert.equal(
        failureMessage(
          { s3BucketSource: SRC },
          ok,
          { polls: 1, observed: ["SUCCEEDED"] },
          ID,
          errs,
        ),
        `mgn.ImportTask "${ID}": import ${ID} ended in SUCCEEDED after 1 poll; waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 9 row errors: row 1: VALIDATION_ERROR: x; row 2: VALIDATION_ERROR: x; row 3: VALIDATION_ERROR: x; 6 more. Some rows were rejected and failOnRowErrors is true. Fix those rows in s3://migration-data/inventory/wave-1.csv (see the importErrors output), or set failOnRowErrors to false to accept a partial import; then run \`pulumi up\` again.`,
      );
      // Without failOnRowErrors the same import settles with a warning (its recorded errors are
      // reused, so the hook reads nothing).
      const one = { items: errs.items.slice(0, 1), total: 1 };
      const previous = { status: "SUCCEEDED", importErrors: one.items, importErrorCount: 1 };
      const wait = { verdict: "success" as const, polls: 1, observed: ["SUCCEEDED"] };
      assert.deepEqual(await importTaskSpec.hooks?.settled?.({} as never, {}, ok, wait, previous), {
        extra: { errors: one },
        warning: `import ${ID} SUCCEEDED with rejected rows (waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 1 row error: row 1: VALIDATION_ERROR: x). See the importErrors output.`,
      });
    });

    it("explains an import that vanished from ListImports", () => {
      assert.equal(
        failureMessage({}, undefined, { polls: 1, observed: ["GONE"] }, ID),
        `mgn.ImportTask "${ID}": import ${ID} ended in GONE after 1 poll. ListImports no longer returns the import (MGN keeps import history for a limited time). Run \`pulumi refresh\`, then \`pulumi up\` to import again.`,
      );
    });

    it("gives the InitializeService fix for an uninitialized account, and nothing for unknown codes", () => {
      const explain = (code: string, operation = "ListImports", region?: string) => {
        const err = new AwsApiError({
          service: "mgn",
          operation,
          code,
          message: "refused",
          httpStatus: 400,
          retryable: false,
          throttling: false,
        });
        const explained = importTaskSpec.explain?.(err, { endpoints: {}, region });
        return explained === err ? "unchanged" : (explained as Error).message;
      };
      assert.equal(
        explain("UninitializedAccountException", "ListImports", "eu-west-1"),
        "mgn ListImports failed: UninitializedAccountException (HTTP 400): refused. Application Migration Service is not initialized in this account and region (eu-west-1). Fix: run `aws mgn initialize-service --region eu-west-1` once (or open the Application Migration Service console in eu-west-1 and choose Get started; it creates MGN's service roles), then run `pulumi up` again.",
      );
      assert.match(
        explain("UninitializedAccountException"),
        /region \(<region>\)\. Fix: run `aws mgn initialize-service --region <region>`/,
      );
      assert.equal(explain("ValidationException"), "unchanged");
      assert.equal(
        explain("ConflictException", "StartImport"),
        "mgn StartImport failed: ConflictException (HTTP 400): refused. MGN already used this clientToken for an import with other parameters (s3BucketSource or tags). Fix: remove clientToken (the provider derives one from the inputs) or set a new one, then run `pulumi up` again.",
      );
      assert.equal(explain("ConflictException", "DeleteWave"), "unchanged");
    });
  });

  describe("tokens and inputs", () => {
    it("derives a stable 64-character fallback token from source and tags, and a distinct successor", () => {
      const fallbackToken = (inputs: Record<string, unknown>) =>
        importTaskSpec.fallbackToken(inputs, {});
      const nextToken = importTaskSpec.successorToken;
      const a = fallbackToken({ s3BucketSource: SRC, tags: { b: "2", a: "1" } });
      assert.equal(a, fallbackToken({ s3BucketSource: SRC, tags: { a: "1", b: "2" } }));
      assert.match(a, /^pam-[0-9a-f]{60}$/);
      assert.notEqual(a, fallbackToken({ s3BucketSource: { ...SRC, s3Key: "x.csv" } }));
      const next = nextToken(a, ID);
      assert.match(next, /^pam-[0-9a-f]{60}$/);
      assert.notEqual(next, a);
      assert.equal(next, nextToken(a, ID));
    });

    it("takes the wait limit from the input, then stack config, then 180 minutes", () => {
      assert.equal(waitTimeoutMs({ waitTimeoutMinutes: 5 }, 10), 300_000);
      assert.equal(waitTimeoutMs({}, 10), 600_000);
      assert.equal(waitTimeoutMs({}, undefined), 10_800_000);
    });

    it("narrows untyped inputs, dropping values of the wrong type", () => {
      assert.deepEqual(
        asInputs({
          s3BucketSource: { s3Bucket: "b", s3Key: "k.csv", s3BucketOwner: 5 },
          clientToken: 7,
          tags: { a: "1", b: 2 },
          waitForCompletion: false,
          waitTimeoutMinutes: "9",
          deleteInventoryOnDelete: { tag: { key: "k", value: "v" }, waveNames: ["w", 1] },
          __provider: "p",
        }),
        {
          s3BucketSource: { s3Bucket: "b", s3Key: "k.csv" },
          tags: { a: "1" },
          waitForCompletion: false,
          deleteInventoryOnDelete: { tag: { key: "k", value: "v" }, waveNames: ["w"] },
          __provider: "p",
        },
      );
    });
  });

  describe("planInventoryRemoval", () => {
    const inventory: Inventory = {
      servers: [
        {
          sourceServerID: "s-1",
          userProvidedID: "srv-001",
          applicationID: "app-1",
          tags: { stack: "prod" },
        },
        { sourceServerID: "s-2", userProvidedID: "srv-002", applicationID: "app-1", tags: {} },
        { sourceServerID: "s-3", applicationID: "app-2", tags: { stack: "dev" } },
        { sourceServerID: "s-4", tags: { stack: "prod" } },
      ],
      applications: [
        { applicationID: "app-1", name: "billing", waveID: "wave-1", tags: { stack: "prod" } },
        { applicationID: "app-2", name: "crm", waveID: "wave-1", tags: {} },
      ],
      waves: [{ waveID: "wave-1", name: "wave 1", tags: { stack: "prod" } }],
    };

    it("selects by tag and keeps parents that still hold unselected members", () => {
      assert.deepEqual(planInventoryRemoval(inventory, { tag: { key: "stack", value: "prod" } }), {
        servers: ["s-1", "s-4"],
        applications: [],
        waves: [],
        kept: [
          {
            id: "app-1",
            reason:
              "application billing (app-1) still has 1 source server(s) the selector does not match",
          },
          {
            id: "wave-1",
            reason: "wave wave 1 (wave-1) still has 2 application(s) the selector does not match",
          },
        ],
      });
    });

    it("selects by alternate keys (user-provided ID, application and wave names)", () => {
      assert.deepEqual(
        planInventoryRemoval(inventory, {
          tag: { key: "stack", value: "prod" },
          userProvidedIds: ["srv-002"],
          applicationNames: ["crm"],
        }),
        {
          servers: ["s-1", "s-2", "s-4"],
          applications: ["app-1"],
          waves: [],
          kept: [
            {
              id: "app-2",
              reason:
                "application crm (app-2) still has 1 source server(s) the selector does not match",
            },
            {
              id: "wave-1",
              reason: "wave wave 1 (wave-1) still has 1 application(s) the selector does not match",
            },
          ],
        },
      );
    });
  });
});

describe("mgn.ImportTask checkInputs (property)", () => {
  const keys = [
    "s3BucketSource",
    "clientToken",
    "tags",
    "adoptImportId",
    "waitForCompletion",
    "waitTimeoutMinutes",
    "failOnRowErrors",
    "deleteInventoryOnDelete",
  ];
  const value = fc.oneof(
    fc.anything(),
    fc.constant(UNKNOWN),
    fc.record({ s3Bucket: fc.anything(), s3Key: fc.anything(), s3BucketOwner: fc.anything() }),
    fc.record({
      tag: fc.oneof(fc.anything(), fc.record({ key: fc.anything(), value: fc.anything() })),
      userProvidedIds: fc.anything(),
      waveNames: fc.array(fc.oneof(fc.string(), fc.constant(UNKNOWN))),
    }),
  );

  it("never throws, and every failure names an input property and says how to fix it", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value), (inputs) => {
        for (const f of checkInputs(inputs)) {
          assert.ok(keys.includes(f.property.split(/[.[]/)[0]!), f.property);
          assert.match(f.reason, /Fix: /);
        }
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it("reports nothing for a value that is wholly unknown", () => {
    fc.assert(
      fc.property(fc.subarray(keys, { minLength: 1 }), (unknownKeys) => {
        const inputs = Object.fromEntries(unknownKeys.map((k) => [k, UNKNOWN]));
        const failures = checkInputs({ s3BucketSource: SRC, ...inputs });
        assert.deepEqual(failures, []);
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
