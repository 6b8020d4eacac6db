import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../../../provider/core/unknown";
import type { AdsTask } from "../../../../provider/ads/api";
import { importTask } from "../../../../provider/ads/importTaskSpec";
import type { ProviderSettings } from "../../../../provider/core/config";
import { AwsApiError } from "../../../../provider/core/errors";
import {
  asInputs as asTableInputs,
  checkProperties,
  inputsOf as tableInputsOf,
  waitTimeoutMs as tableWaitTimeoutMs,
} from "../../../../provider/core/task/properties";
import { diffTask } from "../../../../provider/core/task/provider";

// These adapters reach check, diff, classify and the messages through the spec and the core's
// property table (core/task), so the assertions read as they were first written.
const { properties, toOutputs } = importTask;
const classifyImportStatus = (status: string, failOnRowErrors: boolean) =>
  importTask.classify(status, { failOnRowErrors });
const failureMessage = (
  name: string,
  task: AdsTask | undefined,
  wait: { polls: number; observed: string[] },
  id = "",
) => importTask.failureMessage({ name }, task, wait, id);
/** The warning the settled hook logs for a successful import. */
const rowErrorsWarning = async (task: AdsTask) => {
  const wait = { verdict: "success" as const, polls: 1, observed: [task.status] };
  return (await importTask.hooks?.settled?.(undefined as never, {}, task, wait, {}))?.warning;
};
/** The message of an ADS error after the spec's explain: its advice replaces the default. */
function explained(code: string, message: string, region: string): string {
  const err = new AwsApiError({
    service: "ads",
    operation: "StartImportTask",
    code,
    message,
    retryable: false,
    throttling: false,
  });
  return (importTask.explain?.(err, { region, endpoints: {} }) as Error).message;
}

function checkInputs(news: Record<string, unknown>, options: { extraS3Origins?: string[] } = {}) {
  const [endpoint, ...more] = options.extraS3Origins ?? [];
  const settings: ProviderSettings = {
    endpoints: {},
    ...(endpoint === undefined ? {} : { endpoint }),
  };
  assert.equal(more.length, 0, "the adapter configures one endpoint");
  const ctx = { settings };
  return [...checkProperties(properties, news, ctx), ...(importTask.checkMore?.(news, ctx) ?? [])];
}
const diffInputs = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
  diffTask(
    importTask,
    typeof olds["importTaskId"] === "string" ? olds["importTaskId"] : undefined,
    olds,
    news,
  );
const inputsOf = (props: Record<string, unknown>) => tableInputsOf(properties, props);
const asInputs = (raw: Record<string, unknown>) => asTableInputs(properties, raw);
const waitTimeoutMs = (inputs: Record<string, unknown>, configMinutes: number | undefined) =>
  tableWaitTimeoutMs(properties, inputs, configMinutes);

const ID = "import-task-0123456789abcdef0123456789abcdef";
const VALID = { name: "servers-q3", importUrl: "s3://migration-data/servers.csv" };
const URL_FIX =
  "Fix: upload the CSV to S3 and use s3://BucketName/ImportFileName.CSV (CLI form) or the object URL https://BucketName.s3.Region.amazonaws.com/ImportFileName.CSV.";

describe("ads.ImportTask spec", () => {
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
          ...VALID,
          clientRequestToken: "t".repeat(100),
          waitForCompletion: false,
          waitTimeoutMinutes: 10080,
          failOnRowErrors: true,
          retainOnDelete: false,
          deleteHistoryOnDelete: true,
        },
        failures: [],
      },
      {
        title: "requires name and importUrl",
        inputs: {},
        failures: [
          {
            property: "name",
            reason: "is required. Fix: give the import a descriptive name of 1–255 characters",
          },
          {
            property: "importUrl",
            reason: "is required. Fix: use s3://BucketName/ImportFileName.CSV or the S3 object URL",
          },
        ],
      },
      {
        title: "lets adoptImportTaskId stand in for name and importUrl",
        inputs: { adoptImportTaskId: ID },
        failures: [],
      },
      {
        title: "rejects a blank name (the documented pattern needs one non-whitespace character)",
        inputs: { ...VALID, name: "   " },
        failures: [
          {
            property: "name",
            reason:
              'must match at least one non-whitespace character (got "   "). Fix: give the import a descriptive name of 1–255 characters',
          },
        ],
      },
      {
        title: "accepts a 255-character name (the model's ImportTaskName: 1–255)",
        inputs: { ...VALID, name: "n".repeat(255) },
        failures: [],
      },
      {
        title: "rejects a 256-character name (the model's ImportTaskName: 1–255)",
        inputs: { ...VALID, name: "n".repeat(256) },
        failures: [
          {
            property: "name",
            reason:
              "must be 1–255 characters (got 256). Fix: give the import a descriptive name of 1–255 characters",
          },
        ],
      },
      {
        title: "rejects a name that is not a string",
        inputs: { ...VALID, name: 7 },
        failures: [
          {
            property: "name",
            reason:
              "must be a string (got number). Fix: give the import a descriptive name of 1–255 characters",
          },
        ],
      },
      {
        title:
          "rejects an importUrl that breaks the documented pattern \\S+://\\S+/[\\s\\S]*\\S[\\s\\S]*",
        inputs: { ...VALID, importUrl: "servers.csv" },
        failures: [
          {
            property: "importUrl",
            reason:
              'must match <scheme>://<bucket>/<key> (got "servers.csv"). Fix: use s3://BucketName/ImportFileName.CSV or the S3 object URL',
          },
        ],
      },
      {
        title: "rejects an importUrl over 4000 characters",
        inputs: { ...VALID, importUrl: `s3://b-b/${"k".repeat(3992)}` },
        failures: [
          {
            property: "importUrl",
            reason:
              "must be 1–4000 characters (got 4001). Fix: use s3://BucketName/ImportFileName.CSV or the S3 object URL",
          },
        ],
      },
      {
        title: "rejects a non-S3 scheme",
        inputs: { ...VALID, importUrl: "ftp://host/servers.csv" },
        failures: [
          {
            property: "importUrl",
            reason: `must use the s3:// or https:// scheme (got "ftp"). ${URL_FIX}`,
          },
        ],
      },
      {
        title: "rejects an https URL outside Amazon S3",
        inputs: { ...VALID, importUrl: "https://example.com/servers.csv" },
        failures: [
          {
            property: "importUrl",
            reason: `must be an Amazon S3 URL (got host "example.com"). ${URL_FIX}`,
          },
        ],
      },
      {
        title: "rejects an invalid bucket name in an s3:// URL",
        inputs: { ...VALID, importUrl: "s3://My_Bucket/servers.csv" },
        failures: [
          {
            property: "importUrl",
            reason: `must name a valid S3 bucket (got "My_Bucket": 3–63 lowercase letters, digits, dots or hyphens). ${URL_FIX}`,
          },
        ],
      },
      {
        title: "rejects a presigned URL, which would put credentials in state",
        inputs: {
          ...VALID,
          importUrl:
            "https://b.s3.us-west-2.amazonaws.com/servers.csv?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abcdef",
        },
        failures: [
          {
            property: "importUrl",
            reason:
              "must not carry credentials (presigned query parameters or user:password@). Fix: use the plain s3://BucketName/ImportFileName.CSV or object URL; ADS reads the object with your account's access.",
          },
        ],
      },
      {
        title: "rejects an empty clientRequestToken",
        inputs: { ...VALID, clientRequestToken: "" },
        failures: [
          {
            property: "clientRequestToken",
            reason:
              "must be 1–100 characters (got 0). Fix: use 1–100 characters, or omit it and let the provider derive one from the stack, the URN and name/importUrl",
          },
        ],
      },
      {
        title: "rejects a clientRequestToken of 101 characters",
        inputs: { ...VALID, clientRequestToken: "t".repeat(101) },
        failures: [
          {
            property: "clientRequestToken",
            reason:
              "must be 1–100 characters (got 101). Fix: use 1–100 characters, or omit it and let the provider derive one from the stack, the URN and name/importUrl",
          },
        ],
      },
      {
        title: "rejects an adoptImportTaskId that is not import-task- + 32 hex digits",
        inputs: { adoptImportTaskId: "import-task-xyz" },
        failures: [
          {
            property: "adoptImportTaskId",
            reason:
              'must match import-task- followed by 32 hex digits (got "import-task-xyz"). Fix: copy importTaskId from `aws discovery describe-import-tasks`',
          },
        ],
      },
      {
        title: "rejects non-boolean flags",
        inputs: {
          ...VALID,
          waitForCompletion: "yes",
          failOnRowErrors: 1,
          retainOnDelete: null,
          deleteHistoryOnDelete: [],
        },
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
            property: "deleteHistoryOnDelete",
            reason: "must be a boolean (got array). Fix: use true or false",
          },
        ],
      },
      {
        title: "rejects waitTimeoutMinutes below 1",
        inputs: { ...VALID, waitTimeoutMinutes: 0 },
        failures: [
          {
            property: "waitTimeoutMinutes",
            reason:
              "must be between 1 and 10080 (got 0). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
          },
        ],
      },
      {
        title: "rejects a fractional waitTimeoutMinutes",
        inputs: { ...VALID, waitTimeoutMinutes: 1.5 },
        failures: [
          {
            property: "waitTimeoutMinutes",
            reason:
              "must be an integer (got 1.5). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
          },
        ],
      },
      {
        title: "rejects deleteHistoryOnDelete together with retainOnDelete (cross-field)",
        inputs: { ...VALID, retainOnDelete: true, deleteHistoryOnDelete: true },
        failures: [
          {
            property: "deleteHistoryOnDelete",
            reason:
              "has no effect when retainOnDelete is true (nothing is deleted). Fix: remove deleteHistoryOnDelete or set retainOnDelete to false.",
          },
        ],
      },
      {
        title: "skips every value unknown during preview, never rejecting it",
        inputs: {
          name: UNKNOWN,
          importUrl: UNKNOWN,
          clientRequestToken: UNKNOWN,
          adoptImportTaskId: UNKNOWN,
          waitForCompletion: UNKNOWN,
          waitTimeoutMinutes: UNKNOWN,
          failOnRowErrors: UNKNOWN,
          retainOnDelete: true,
          deleteHistoryOnDelete: UNKNOWN,
        },
        failures: [],
      },
    ];
    for (const c of cases) {
      it(c.title, () => {
        assert.deepEqual(checkInputs(c.inputs), c.failures);
      });
    }

    it("accepts an object URL on a configured endpoint (the emulator) only when that origin is configured", () => {
      const inputs = { ...VALID, importUrl: "http://127.0.0.1:4566/migration-data/servers.csv" };
      assert.deepEqual(checkInputs(inputs, { extraS3Origins: ["http://127.0.0.1:4566"] }), []);
      assert.deepEqual(checkInputs(inputs), [
        {
          property: "importUrl",
          reason: `must use the s3:// or https:// scheme (got "http"). ${URL_FIX}`,
        },
      ]);
    });
  });

  describe("the importUrl rule", () => {
    const ok: [string, { bucket: string; key: string }][] = [
      [
        "s3://migration-data/imports/servers.csv",
        { bucket: "migration-data", key: "imports/servers.csv" },
      ],
      [
        "https://migration-data.s3.us-west-2.amazonaws.com/servers.csv",
        { bucket: "migration-data", key: "servers.csv" },
      ],
      [
        "https://migration-data.s3.amazonaws.com/a%20b.csv",
        { bucket: "migration-data", key: "a b.csv" },
      ],
      [
        "https://s3.us-west-2.amazonaws.com/migration-data/servers.csv",
        { bucket: "migration-data", key: "servers.csv" },
      ],
      [
        "https://s3-us-west-2.amazonaws.com/migration-data/servers.csv",
        { bucket: "migration-data", key: "servers.csv" },
      ],
    ];
    for (const [url, expected] of ok) {
      it(`accepts ${url} (bucket ${expected.bucket}, key ${expected.key})`, () => {
        assert.deepEqual(checkInputs({ ...VALID, importUrl: url }), []);
      });
    }
    it("rejects a path-style URL without a key", () => {
      const importUrl = "https://s3.us-west-2.amazonaws.com/migration-data/";
      assert.deepEqual(checkInputs({ ...VALID, importUrl }), [
        {
          property: "importUrl",
          reason: `must name a bucket and an object key (path-style /<bucket>/<key>). ${URL_FIX}`,
        },
      ]);
    });
  });

  describe("classifyImportStatus and acceptors", () => {
    const table: [string, "success" | "failure" | "pending", "success" | "failure" | "pending"][] =
      [
        // status, failOnRowErrors=false, failOnRowErrors=true
        ["IMPORT_IN_PROGRESS", "pending", "pending"],
        ["IMPORT_COMPLETE", "success", "success"],
        ["IMPORT_COMPLETE_WITH_ERRORS", "success", "failure"],
        ["IMPORT_FAILED", "failure", "failure"],
        ["IMPORT_FAILED_SERVER_LIMIT_EXCEEDED", "failure", "failure"],
        ["IMPORT_FAILED_RECORD_LIMIT_EXCEEDED", "failure", "failure"],
        ["IMPORT_FAILED_UNSUPPORTED_FILE_TYPE", "failure", "failure"],
        ["IMPORT_FAILED_SOME_FUTURE_REASON", "failure", "failure"],
        ["DELETE_IN_PROGRESS", "failure", "failure"],
        ["DELETE_COMPLETE", "failure", "failure"],
        ["DELETE_FAILED", "failure", "failure"],
        ["DELETE_FAILED_LIMIT_EXCEEDED", "failure", "failure"],
        ["INTERNAL_ERROR", "failure", "failure"],
        ["GONE", "failure", "failure"],
        ["SOME_NEW_STATUS", "pending", "pending"],
      ];
    for (const [status, lenient, strict] of table) {
      it(`treats ${status} as ${lenient} (failOnRowErrors false) and ${strict} (true), in both the classifier and the acceptors`, () => {
        assert.equal(classifyImportStatus(status, false), lenient);
        assert.equal(classifyImportStatus(status, true), strict);
        const task: AdsTask | undefined =
          status === "GONE" ? undefined : { importTaskId: ID, status };
        for (const [fail, expected] of [
          [false, lenient],
          [true, strict],
        ] as const) {
          const acceptors = importTask.acceptors("create", { failOnRowErrors: fail });
          const match = acceptors.find((a) => a.matches(task));
          assert.equal(match?.verdict ?? "pending", expected);
        }
      });
    }

    const deleteTable: [AdsTask | undefined, "success" | "failure" | "pending"][] = [
      [undefined, "success"],
      [{ importTaskId: ID, status: "DELETE_COMPLETE" }, "success"],
      [{ importTaskId: ID, status: "DELETE_IN_PROGRESS" }, "pending"],
      [{ importTaskId: ID, status: "IMPORT_COMPLETE" }, "pending"],
      [{ importTaskId: ID, status: "DELETE_FAILED" }, "failure"],
      [{ importTaskId: ID, status: "DELETE_FAILED_LIMIT_EXCEEDED" }, "failure"],
      [{ importTaskId: ID, status: "INTERNAL_ERROR" }, "failure"],
    ];
    for (const [task, expected] of deleteTable) {
      it(`delete wait: ${task?.status ?? "gone (deleteHistory)"} is ${expected}`, () => {
        const acceptors = importTask.acceptors("delete", {});
        assert.equal(acceptors.find((a) => a.matches(task))?.verdict ?? "pending", expected);
      });
    }
  });

  describe("diffInputs", () => {
    const olds = {
      ...VALID,
      clientRequestToken: "pam-1",
      __provider: "old-code",
      importTaskId: ID,
      status: "IMPORT_COMPLETE",
    };
    const news = { ...VALID, clientRequestToken: "pam-1", __provider: "new-code" };
    const none = { changes: false, replaces: [], deleteBeforeReplace: false };
    const update = { changes: true, replaces: [], deleteBeforeReplace: false };
    const table: [string, Record<string, unknown>, Record<string, unknown>, unknown][] = [
      ["__provider alone is no change", olds, news, none],
      [
        "spelling out a default (waitForCompletion: true) is no change",
        olds,
        { ...news, waitForCompletion: true },
        none,
      ],
      [
        "a new name replaces",
        olds,
        { ...news, name: "servers-q4" },
        { changes: true, replaces: ["name"], deleteBeforeReplace: false },
      ],
      [
        "a new importUrl replaces",
        olds,
        { ...news, importUrl: "s3://migration-data/v2.csv" },
        { changes: true, replaces: ["importUrl"], deleteBeforeReplace: false },
      ],
      [
        "an unknown importUrl (preview) counts as a replacing change",
        olds,
        { ...news, importUrl: UNKNOWN },
        { changes: true, replaces: ["importUrl"], deleteBeforeReplace: false },
      ],
      [
        "adopting a different task replaces",
        olds,
        { ...news, adoptImportTaskId: "import-task-ffffffffffffffffffffffffffffffff" },
        { changes: true, replaces: ["adoptImportTaskId"], deleteBeforeReplace: false },
      ],
      [
        "adopting the task already managed is no change",
        olds,
        { ...news, adoptImportTaskId: ID },
        none,
      ],
      ["waitTimeoutMinutes updates in place", olds, { ...news, waitTimeoutMinutes: 30 }, update],
      ["retainOnDelete updates in place", olds, { ...news, retainOnDelete: true }, update],
      [
        "deleteHistoryOnDelete updates in place",
        olds,
        { ...news, deleteHistoryOnDelete: true },
        update,
      ],
      [
        "a new clientRequestToken updates in place (a resource alias must not re-import)",
        olds,
        { ...news, clientRequestToken: "pam-2" },
        update,
      ],
      [
        "an unknown clientRequestToken counts as a change",
        olds,
        { ...news, clientRequestToken: UNKNOWN },
        update,
      ],
      [
        "a task that ended IMPORT_FAILED is replaced so a re-run imports again",
        { ...olds, status: "IMPORT_FAILED" },
        news,
        { changes: true, replaces: ["status"], deleteBeforeReplace: false },
      ],
      [
        "a task deleted outside the stack (DELETE_COMPLETE) is replaced",
        { ...olds, status: "DELETE_COMPLETE" },
        news,
        { changes: true, replaces: ["status"], deleteBeforeReplace: false },
      ],
      [
        "IMPORT_COMPLETE_WITH_ERRORS is kept while failOnRowErrors is false",
        { ...olds, status: "IMPORT_COMPLETE_WITH_ERRORS" },
        news,
        none,
      ],
      [
        "IMPORT_COMPLETE_WITH_ERRORS is replaced once failOnRowErrors is true",
        { ...olds, status: "IMPORT_COMPLETE_WITH_ERRORS" },
        { ...news, failOnRowErrors: true },
        { changes: true, replaces: ["status"], deleteBeforeReplace: false },
      ],
      [
        "a task still IMPORT_IN_PROGRESS is an update, which resumes the wait",
        { ...olds, status: "IMPORT_IN_PROGRESS" },
        news,
        update,
      ],
      [
        "a task still IMPORT_IN_PROGRESS with waitForCompletion false is left alone",
        { ...olds, status: "IMPORT_IN_PROGRESS", waitForCompletion: false },
        { ...news, waitForCompletion: false },
        none,
      ],
    ];
    for (const [title, o, n, expected] of table) {
      it(title, () => {
        assert.deepEqual(diffInputs(o, n), expected);
      });
    }
  });

  describe("toOutputs", () => {
    it("echoes the inputs, converts timestamps to ISO and drops absent fields (no undefined, no Dates)", () => {
      const task: AdsTask = {
        importTaskId: ID,
        status: "IMPORT_COMPLETE_WITH_ERRORS",
        name: "servers-q3",
        importRequestTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)),
        importCompletionTime: new Date(Date.UTC(2026, 0, 2, 3, 9, 0)),
        serverImportSuccess: 40,
        serverImportFailure: 2,
        applicationImportSuccess: 3,
        applicationImportFailure: 0,
        errorsAndFailedEntriesZip: "https://b.s3.amazonaws.com/e.zip?X-Amz-Signature=abc",
      };
      const inputs = {
        ...VALID,
        clientRequestToken: "pam-1",
        waitTimeoutMinutes: undefined,
        __provider: "code",
        stray: 1,
      };
      assert.deepEqual(toOutputs(inputs, task), {
        ...VALID,
        clientRequestToken: "pam-1",
        __provider: "code",
        importTaskId: ID,
        status: "IMPORT_COMPLETE_WITH_ERRORS",
        importRequestTime: "2026-01-02T03:04:05.678Z",
        importCompletionTime: "2026-01-02T03:09:00.000Z",
        serverImportSuccess: 40,
        serverImportFailure: 2,
        applicationImportSuccess: 3,
        applicationImportFailure: 0,
        errorsAndFailedEntriesZip: "https://b.s3.amazonaws.com/e.zip?X-Amz-Signature=abc",
      });
    });

    it("inputsOf keeps only the input keys and __provider", () => {
      assert.deepEqual(
        inputsOf({ ...VALID, status: "IMPORT_COMPLETE", __provider: "p", retainOnDelete: true }),
        {
          ...VALID,
          retainOnDelete: true,
          __provider: "p",
        },
      );
    });

    it("asInputs narrows untyped values, dropping wrong types", () => {
      assert.deepEqual(
        asInputs({ name: "n", importUrl: 3, waitTimeoutMinutes: 5, waitForCompletion: "no" }),
        {
          name: "n",
          sourceEtag: undefined,
          importUrl: undefined,
          clientRequestToken: undefined,
          adoptImportTaskId: undefined,
          waitForCompletion: undefined,
          waitTimeoutMinutes: 5,
          failOnRowErrors: undefined,
          retainOnDelete: undefined,
          deleteHistoryOnDelete: undefined,
          __provider: undefined,
        },
      );
    });
  });

  describe("messages", () => {
    const failed: AdsTask = {
      importTaskId: ID,
      status: "IMPORT_FAILED",
      serverImportSuccess: 0,
      serverImportFailure: 12,
      applicationImportSuccess: 0,
      applicationImportFailure: 1,
      errorsAndFailedEntriesZip: "https://b.s3.amazonaws.com/e.zip?X-Amz-Signature=SECRET",
    };
    it("names the status, the polls, what was observed before it, the counts, and says to download errorsAndFailedEntriesZip", () => {
      const msg = failureMessage("servers-q3", failed, {
        polls: 4,
        observed: [
          "IMPORT_IN_PROGRESS",
          "IMPORT_IN_PROGRESS",
          "IMPORT_IN_PROGRESS",
          "IMPORT_FAILED",
        ],
      });
      assert.equal(
        msg,
        `ads.ImportTask "servers-q3": import ${ID} ended in IMPORT_FAILED after 4 polls (IMPORT_IN_PROGRESS×3); servers 0 imported / 12 failed, applications 0 imported / 1 failed. Nothing was imported. Download errorsAndFailedEntriesZip (a secret output) for the rejected rows. Fix the file, then run \`pulumi up\` again (a failed task is replaced).`,
      );
      assert.ok(!msg.includes("SECRET"));
    });

    it("explains the quota statuses with the documented limits", () => {
      assert.equal(
        failureMessage(
          "s",
          { importTaskId: ID, status: "IMPORT_FAILED_SERVER_LIMIT_EXCEEDED" },
          { polls: 1, observed: ["IMPORT_FAILED_SERVER_LIMIT_EXCEEDED"] },
        ),
        `ads.ImportTask "s": import ${ID} ended in IMPORT_FAILED_SERVER_LIMIT_EXCEEDED after 1 poll; servers ? imported / ? failed, applications ? imported / ? failed. The account's imported-servers quota (10,000) was hit. Download errorsAndFailedEntriesZip (a secret output) for the rejected rows. Delete older imports or request a quota increase, then run \`pulumi up\` again.`,
      );
    });

    it("says a DELETE_* status during create means the data was deleted outside the stack", () => {
      assert.equal(
        failureMessage(
          "s",
          { importTaskId: ID, status: "DELETE_COMPLETE" },
          { polls: 2, observed: ["IMPORT_IN_PROGRESS", "DELETE_COMPLETE"] },
        ),
        `ads.ImportTask "s": import ${ID} ended in DELETE_COMPLETE after 2 polls (IMPORT_IN_PROGRESS). The import data was deleted (BatchDeleteImportData) outside this stack. Run \`pulumi up\` again to import again (the task is replaced).`,
      );
    });

    it("says a vanished task is gone and how to recover", () => {
      assert.equal(
        failureMessage("s", undefined, { polls: 1, observed: ["GONE"] }, ID),
        `ads.ImportTask "s": import ${ID} ended in GONE after 1 poll. DescribeImportTasks no longer returns the task (deleted with its history outside this stack?). Run \`pulumi refresh\`, then \`pulumi up\` to import again.`,
      );
    });

    it("warns about rejected rows with the counts, without the URL", async () => {
      assert.equal(
        await rowErrorsWarning({
          ...failed,
          status: "IMPORT_COMPLETE_WITH_ERRORS",
          serverImportSuccess: 40,
          serverImportFailure: 2,
        }),
        `import ${ID} finished IMPORT_COMPLETE_WITH_ERRORS with rejected rows (servers 40 imported / 2 failed, applications 0 imported / 1 failed). Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.`,
      );
      assert.equal(
        await rowErrorsWarning({ importTaskId: ID, status: "IMPORT_COMPLETE" }),
        undefined,
      );
    });

    it("gives the home-region fix for HomeRegionNotSetException and wrong-region errors, nothing otherwise", () => {
      assert.equal(
        explained("HomeRegionNotSetException", "The home region is not set.", "us-west-2"),
        "ads StartImportTask failed: HomeRegionNotSetException: The home region is not set. ADS keeps its data in the Migration Hub home region, and this account has none. Fix: set it once with `aws migrationhub-config create-home-region-control --home-region us-west-2 --target Type=ACCOUNT,Id=<account-id>` (or in the Migration Hub console), then run `pulumi up` again with aws:region set to that region.",
      );
      assert.equal(
        explained("InvalidInputException", "not the home region", "eu-west-1"),
        "ads StartImportTask failed: InvalidInputException: not the home region. ADS imports must run in the account's Migration Hub home region (this stack uses eu-west-1). Fix: set aws:region to the home region (`aws migrationhub-config get-home-region`), then run `pulumi up` again.",
      );
      assert.equal(
        explained(
          "HomeRegionNotSetException",
          "This API can only be called in the home region us-west-2; the request was sent to eu-west-1.",
          "eu-west-1",
        ),
        "ads StartImportTask failed: HomeRegionNotSetException: This API can only be called in the home region us-west-2; the request was sent to eu-west-1. ADS imports must run in the account's Migration Hub home region (this stack uses eu-west-1). Fix: set aws:region to the home region (`aws migrationhub-config get-home-region`), then run `pulumi up` again.",
      );
      assert.equal(
        explained("AuthorizationErrorException", "denied", "us-west-2"),
        "ads StartImportTask failed: AuthorizationErrorException: denied",
      );
    });
  });

  describe("tokens and limits", () => {
    it("derives a successor token deterministically, within the 100-character limit, different per failed task", () => {
      const { successorToken } = importTask;
      const a = successorToken("pam-abc", ID);
      assert.equal(a, successorToken("pam-abc", ID));
      assert.notEqual(a, successorToken("pam-abc", "import-task-ffffffffffffffffffffffffffffffff"));
      assert.notEqual(a, "pam-abc");
      assert.match(a, /^pam-[0-9a-f]{64}$/);
      assert.ok(a.length <= 100);
    });

    it("derives a fallback token from name and importUrl", () => {
      const fallbackToken = (name: string, importUrl: string) =>
        importTask.fallbackToken({ name, importUrl }, {});
      assert.equal(fallbackToken("a", "s3://b-b/k"), fallbackToken("a", "s3://b-b/k"));
      assert.notEqual(fallbackToken("a", "s3://b-b/k"), fallbackToken("a", "s3://b-b/k2"));
    });

    it("takes the wait limit from the input, then stack config, then 120 minutes", () => {
      assert.equal(waitTimeoutMs({ waitTimeoutMinutes: 5 }, 30), 300_000);
      assert.equal(waitTimeoutMs({}, 30), 1_800_000);
      assert.equal(waitTimeoutMs({}, undefined), 7_200_000);
    });
  });
});
