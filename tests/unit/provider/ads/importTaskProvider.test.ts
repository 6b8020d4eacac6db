import { strict as assert } from "node:assert";
import { createProvider } from "../../../../provider/ads/importTaskProvider";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import {
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
} from "../../../../provider/core/errors";
import {
  configured,
  type Line,
  type ManualClock,
  manualClock,
  recordingLogger,
} from "../../../support/harness";
import { rejection } from "../../../support/rejection";
import { FakeAds } from "./fakeAds";

const ID = "import-task-00000000000000000000000000000001";
const ID2 = "import-task-00000000000000000000000000000002";
const ZIP =
  "https://bucket.s3.amazonaws.com/errors.zip?X-Amz-Credential=AKIAXXXX&X-Amz-Signature=deadbeef";
const INPUTS = {
  name: "servers-q3",
  importUrl: "s3://migration-data/servers.csv",
  clientRequestToken: "pam-token-1",
  __provider: "serialized-shim",
};

async function setup(config: Record<string, string> = {}): Promise<{
  provider: ProviderImplementation;
  ads: FakeAds;
  clock: ManualClock;
  lines: Line[];
}> {
  const ads = new FakeAds();
  const clock = manualClock();
  const { logger, lines } = recordingLogger();
  const provider = createProvider({ clock, random: () => 0.5, logger, api: () => ads, env: {} });
  await configured(provider, config);
  return { provider, ads, clock, lines };
}

describe("ads.ImportTask provider (fake ADS, manual clock)", () => {
  describe("create", () => {
    it("starts once with the resource's token, polls until IMPORT_COMPLETE and returns full outputs", async () => {
      const { provider, ads, clock } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS", "IMPORT_IN_PROGRESS", "IMPORT_COMPLETE"]);
      const result = await provider.create(INPUTS);
      assert.deepEqual(ads.calls, [
        {
          op: "start",
          name: "servers-q3",
          importUrl: "s3://migration-data/servers.csv",
          clientRequestToken: "pam-token-1",
        },
        { op: "describe", ids: [ID] },
        { op: "describe", ids: [ID] },
        { op: "describe", ids: [ID] },
      ]);
      // 20 ms: the shared AdaptiveThrottle spaces calls at its starting 50 calls/s, which puts poll 1
      // off the 1 s grid; its 1 s back-off is stretched to the grid (1980 ms); then 1 s.
      assert.deepEqual(clock.sleeps, [20, 1980, 1000]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          importTaskId: ID,
          status: "IMPORT_COMPLETE",
          importRequestTime: "2026-01-01T00:00:00.000Z",
        },
      });
    });

    it("with waitForCompletion false starts and returns without polling", async () => {
      const { provider, ads } = await setup();
      const result = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.deepEqual(
        ads.calls.map((c) => c.op),
        ["start"],
      );
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          waitForCompletion: false,
          importTaskId: ID,
          status: "IMPORT_IN_PROGRESS",
          importRequestTime: "2026-01-01T00:00:00.000Z",
        },
      });
    });

    it("re-running an interrupted create with the same token adopts the first task instead of starting another", async () => {
      const { provider, ads } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS"]);
      await provider.create({ ...INPUTS, waitForCompletion: false });
      ads.tasks.get(ID)!.steps = ["IMPORT_COMPLETE"];
      const again = await provider.create(INPUTS);
      assert.equal(again.id, ID);
      assert.equal(ads.tasks.size, 1);
      assert.deepEqual(
        ads.calls
          .filter((c) => c.op === "start")
          .map((c) => (c as { clientRequestToken: string }).clientRequestToken),
        ["pam-token-1", "pam-token-1"],
      );
    });

    it("steps past a task that already failed under this token with a deterministic successor token", async () => {
      const { provider, ads, lines } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS", "IMPORT_FAILED"], ["IMPORT_COMPLETE"]);
      await rejection(provider.create(INPUTS));
      // A second run (the replacement after fixing the file) reuses the token: ADS returns the failed task.
      const result = await provider.create(INPUTS);
      const starts = ads.calls.filter((c) => c.op === "start") as { clientRequestToken: string }[];
      assert.equal(starts.length, 3);
      assert.equal(starts[0]!.clientRequestToken, "pam-token-1");
      assert.equal(starts[1]!.clientRequestToken, "pam-token-1");
      assert.match(starts[2]!.clientRequestToken, /^pam-[0-9a-f]{64}$/);
      assert.equal(result.id, ID2);
      assert.deepEqual(
        lines.filter((l) => l.level === "info").map((l) => l.message),
        [
          `started ${ID} (IMPORT_IN_PROGRESS)`,
          `${ID} for this token already ended in IMPORT_FAILED; starting a new import`,
          `started ${ID2} (IMPORT_COMPLETE)`,
          `${ID2} IMPORT_COMPLETE`,
        ],
      );
    });

    it("throws ImportTaskFailedError with the ID, full properties incl. __provider, and the reason when the import fails", async () => {
      const { provider, ads } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS", "IMPORT_FAILED"]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.properties, {
        ...INPUTS,
        importTaskId: ID,
        status: "IMPORT_FAILED",
        importRequestTime: "2026-01-01T00:00:00.000Z",
      });
      const reason = `ads.ImportTask "servers-q3": import ${ID} ended in IMPORT_FAILED after 2 polls (IMPORT_IN_PROGRESS); servers ? imported / ? failed, applications ? imported / ? failed. Nothing was imported. Download errorsAndFailedEntriesZip (a secret output) for the rejected rows. Fix the file, then run \`pulumi up\` again (a failed task is replaced).`;
      assert.deepEqual(err.reasons, [reason]);
      assert.equal(err.message, reason);
    });

    it("accepts IMPORT_COMPLETE_WITH_ERRORS with a warning naming the counts, never the presigned URL", async () => {
      const { provider, ads, lines } = await setup();
      ads.scripts.push(["IMPORT_COMPLETE_WITH_ERRORS"]);
      await provider.create({ ...INPUTS, waitForCompletion: false });
      const t = ads.tasks.get(ID)!;
      Object.assign(t.data, {
        serverImportSuccess: 40,
        serverImportFailure: 2,
        applicationImportSuccess: 3,
        applicationImportFailure: 0,
        errorsAndFailedEntriesZip: ZIP,
      });
      const result = await provider.create(INPUTS);
      assert.equal(result.outs["errorsAndFailedEntriesZip"], ZIP);
      assert.deepEqual(
        lines.filter((l) => l.level === "warn"),
        [
          {
            level: "warn",
            resource: "ads.ImportTask servers-q3",
            message: `import ${ID} finished IMPORT_COMPLETE_WITH_ERRORS with rejected rows (servers 40 imported / 2 failed, applications 3 imported / 0 failed). Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.`,
          },
        ],
      );
      assert.ok(lines.every((l) => !l.message.includes("deadbeef")));
    });

    it("with failOnRowErrors treats IMPORT_COMPLETE_WITH_ERRORS as a failure", async () => {
      const { provider, ads } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS", "IMPORT_COMPLETE_WITH_ERRORS"]);
      const err = await rejection(provider.create({ ...INPUTS, failOnRowErrors: true }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.properties["status"], "IMPORT_COMPLETE_WITH_ERRORS");
      assert.match(err.reasons[0]!, /Some rows were rejected and failOnRowErrors is true\./);
    });

    it("records a timeout as ImportTaskFailedError with the ID, and update() resumes the wait to completion", async () => {
      const { provider, ads, clock } = await setup();
      ads.scripts.push(["IMPORT_IN_PROGRESS"]);
      const err = await rejection(provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["status"], "IMPORT_IN_PROGRESS");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(
        err.reasons[0],
        `ads.ImportTask "servers-q3": import ${ID} is still IMPORT_IN_PROGRESS after 60s (limit 60s; observed IMPORT_IN_PROGRESS×60). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting.`,
      );
      // Poll 1 at 20 ms (throttle spacing), its back-off stretched to the 1 s grid, then polls every
      // second until the one that lands exactly on the 60 s deadline.
      assert.deepEqual(clock.sleeps, [20, 1980, ...Array<number>(58).fill(1000)]);

      ads.tasks.get(ID)!.steps = ["IMPORT_IN_PROGRESS", "IMPORT_COMPLETE"];
      const olds = err.properties;
      const { outs } = await provider.update(ID, olds, { ...INPUTS, waitTimeoutMinutes: 1 });
      assert.deepEqual(outs, {
        ...INPUTS,
        waitTimeoutMinutes: 1,
        importTaskId: ID,
        status: "IMPORT_COMPLETE",
        importRequestTime: "2026-01-01T00:00:00.000Z",
      });
      assert.equal(ads.calls.filter((c) => c.op === "start").length, 1);
    });

    it("adopts an existing task by ID without starting one", async () => {
      const { provider, ads } = await setup();
      ads.add(ID2, ["IMPORT_COMPLETE"], { name: "servers-q3" });
      const result = await provider.create({ adoptImportTaskId: ID2, __provider: "p" });
      assert.deepEqual(ads.calls, [
        { op: "describe", ids: [ID2] },
        { op: "describe", ids: [ID2] },
      ]);
      assert.deepEqual(result, {
        id: ID2,
        outs: {
          adoptImportTaskId: ID2,
          __provider: "p",
          importTaskId: ID2,
          status: "IMPORT_COMPLETE",
        },
      });
    });

    it("fails adoption of an unknown ID with InputValidationError naming the property and the fix", async () => {
      const { provider } = await setup();
      const err = await rejection(provider.create({ adoptImportTaskId: ID2 }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptImportTaskId");
      assert.equal(
        err.message,
        `ads.ImportTask "${ID2}": adoptImportTaskId ${ID2} was not found in us-west-2. Fix: check the ID (aws discovery describe-import-tasks) and that aws:region is the account's Migration Hub home region.`,
      );
    });

    it("fails at once on HomeRegionNotSetException with the home-region fix, without retrying", async () => {
      const { provider, ads } = await setup();
      ads.failures.start = [
        Object.assign(new Error("The home region is not set. Set the home region to continue."), {
          name: "HomeRegionNotSetException",
          $metadata: { httpStatusCode: 400, requestId: "r-1" },
        }),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isAwsApiError(err));
      assert.equal(err.code, "HomeRegionNotSetException");
      assert.equal(
        err.message,
        "ads StartImportTask failed: HomeRegionNotSetException (HTTP 400, request r-1): The home region is not set. Set the home region to continue. ADS keeps its data in the Migration Hub home region, and this account has none. Fix: set it once with `aws migrationhub-config create-home-region-control --home-region us-west-2 --target Type=ACCOUNT,Id=<account-id>` (or in the Migration Hub console), then run `pulumi up` again with aws:region set to that region.",
      );
      assert.equal(ads.calls.length, 1);
    });

    it("retries a throttled StartImportTask (same token) and a 5xx poll, then completes", async () => {
      const { provider, ads } = await setup();
      ads.failures.start = [
        Object.assign(new Error("Rate exceeded"), {
          name: "ThrottlingException",
          $metadata: { httpStatusCode: 400 },
        }),
      ];
      ads.failures.describe = [
        Object.assign(new Error("boom"), {
          name: "ServerInternalErrorException",
          $metadata: { httpStatusCode: 500 },
        }),
      ];
      const result = await provider.create(INPUTS);
      assert.equal(result.outs["status"], "IMPORT_COMPLETE");
      assert.deepEqual(
        ads.calls.map((c) => c.op),
        ["start", "start", "describe", "describe", "describe"],
      );
    });

    it("fails at once with the API's message on a non-retryable 4xx while polling, keeping the ID", async () => {
      const { provider, ads } = await setup();
      ads.failures.describe = [
        Object.assign(new Error("User is not authorized"), {
          name: "AuthorizationErrorException",
          $metadata: { httpStatusCode: 400 },
        }),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.reasons, [
        "ads DescribeImportTasks failed: AuthorizationErrorException (HTTP 400): User is not authorized",
      ]);
      assert.equal(ads.calls.length, 2);
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"], { serverImportSuccess: 5 });
      assert.deepEqual(
        await provider.read(ID, { ...INPUTS, importTaskId: ID, status: "IMPORT_IN_PROGRESS" }),
        {
          id: ID,
          props: { ...INPUTS, importTaskId: ID, status: "IMPORT_COMPLETE", serverImportSuccess: 5 },
        },
      );
    });

    it("returns no ID when the task is gone or its data was deleted, so the engine drops it", async () => {
      const { provider, ads } = await setup();
      ads.add(ID2, ["DELETE_COMPLETE"]);
      assert.deepEqual(await provider.read(ID, INPUTS), {});
      assert.deepEqual(await provider.read(ID2, INPUTS), {});
    });

    it("describes 150 tasks read at once in ceil(150 / 100) = 2 calls", async () => {
      const { provider, ads } = await setup();
      const ids = Array.from(
        { length: 150 },
        (_, i) => `import-task-${String(i).padStart(32, "a")}`,
      );
      for (const id of ids) ads.add(id, ["IMPORT_COMPLETE"]);
      const results = await Promise.all(ids.map((id) => provider.read(id, INPUTS)));
      assert.deepEqual(
        results.map((r) => r.id),
        ids,
      );
      assert.deepEqual(
        ads.calls.map((c) => (c.op === "describe" ? c.ids.length : -1)),
        [100, 50],
      );
    });
  });

  describe("update", () => {
    it("applies in-place changes and returns full outputs, not only __provider", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      const olds = { ...INPUTS, importTaskId: ID, status: "IMPORT_COMPLETE" };
      const { outs } = await provider.update(ID, olds, { ...INPUTS, retainOnDelete: true });
      assert.deepEqual(outs, {
        ...INPUTS,
        retainOnDelete: true,
        importTaskId: ID,
        status: "IMPORT_COMPLETE",
      });
    });
  });

  describe("delete", () => {
    it("leaves the task alone with retainOnDelete", async () => {
      const { provider, ads, lines } = await setup();
      await provider.delete(ID, { ...INPUTS, retainOnDelete: true });
      assert.deepEqual(ads.calls, []);
      assert.deepEqual(lines, [
        {
          level: "info",
          resource: "ads.ImportTask servers-q3",
          message: `retainOnDelete is true: leaving ${ID} and its imported data in ADS`,
        },
      ]);
    });

    it("runs BatchDeleteImportData (deleteHistory false) and waits for DELETE_COMPLETE", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ads.calls, [
        { op: "describe", ids: [ID] },
        { op: "delete", ids: [ID], deleteHistory: false },
        { op: "describe", ids: [ID] },
        { op: "describe", ids: [ID] },
      ]);
    });

    it("with deleteHistoryOnDelete treats the task vanishing as deleted", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      await provider.delete(ID, { ...INPUTS, deleteHistoryOnDelete: true });
      assert.deepEqual(ads.calls, [
        { op: "describe", ids: [ID] },
        { op: "delete", ids: [ID], deleteHistory: true },
        { op: "describe", ids: [ID] },
        { op: "describe", ids: [ID] },
      ]);
      assert.equal(ads.tasks.size, 0);
    });

    it("does nothing for a task already gone", async () => {
      const { provider, ads } = await setup();
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ads.calls, [{ op: "describe", ids: [ID] }]);
    });

    it("deletes 25 tasks at once in ceil(25 / 10) = 3 BatchDeleteImportData calls", async () => {
      const { provider, ads } = await setup();
      const ids = Array.from(
        { length: 25 },
        (_, i) => `import-task-${String(i).padStart(32, "b")}`,
      );
      for (const id of ids) ads.add(id, ["IMPORT_COMPLETE"]);
      await Promise.all(ids.map((id) => provider.delete(id, INPUTS)));
      assert.deepEqual(
        ads.calls.filter((c) => c.op === "delete").map((c) => (c as { ids: string[] }).ids.length),
        [10, 10, 5],
      );
    });

    it("fails with the daily-quota advice when BatchDeleteImportData answers OVER_LIMIT", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      ads.deleteOutcomes.set(ID, {
        accepted: false,
        errorCode: "OVER_LIMIT",
        errorDescription: "Daily limit reached",
      });
      const err = await rejection(provider.delete(ID, INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(
        err.message,
        `ads.ImportTask "servers-q3": BatchDeleteImportData refused ${ID} with OVER_LIMIT: Daily limit reached. ADS deletes at most 25,000 import records per day: run \`pulumi destroy\` again tomorrow, or set retainOnDelete to true to leave the data.`,
      );
    });

    it("treats a per-ID NOT_FOUND from BatchDeleteImportData as already deleted", async () => {
      const { provider, ads } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      ads.deleteOutcomes.set(ID, {
        accepted: false,
        errorCode: "NOT_FOUND",
        errorDescription: "gone",
      });
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ads.calls, [
        { op: "describe", ids: [ID] },
        { op: "delete", ids: [ID], deleteHistory: false },
      ]);
    });

    it("retries a per-ID INTERNAL_SERVER_ERROR after a back-off, then waits for DELETE_COMPLETE", async () => {
      const { provider, ads, clock } = await setup();
      ads.add(ID, ["IMPORT_COMPLETE"]);
      ads.deleteOutcomes.set(ID, { accepted: false, errorCode: "INTERNAL_SERVER_ERROR" });
      const original = ads.batchDeleteImportData.bind(ads);
      ads.batchDeleteImportData = async (ids, h) => {
        const r = await original(ids, h);
        ads.deleteOutcomes.delete(ID);
        return r;
      };
      await provider.delete(ID, INPUTS);
      assert.deepEqual(
        ads.calls.map((c) => c.op),
        ["describe", "delete", "delete", "describe", "describe"],
      );
      // 20 ms throttle spacing; random() 0.5 × 1000 × 2^1 = 1000 ms before the second
      // BatchDeleteImportData; 20 ms throttle spacing before the first poll; its 1 s poll interval
      // stretched to the 1 s grid (1960 ms).
      assert.deepEqual(clock.sleeps, [20, 1000, 20, 1960]);
    });

    const deleteFailures: [string, string][] = [
      ["DELETE_FAILED", "Run `pulumi destroy` again to retry"],
      [
        "DELETE_FAILED_LIMIT_EXCEEDED",
        "ADS deletes at most 25,000 import records per day: run `pulumi destroy` again tomorrow",
      ],
    ];
    for (const [status, advice] of deleteFailures) {
      it(`fails when the delete ends in ${status}`, async () => {
        const { provider, ads } = await setup();
        ads.add(ID, ["IMPORT_COMPLETE"]);
        const original = ads.batchDeleteImportData.bind(ads);
        ads.batchDeleteImportData = async (ids, h) => {
          const r = await original(ids, h);
          ads.tasks.get(ID)!.steps = ["DELETE_IN_PROGRESS", status];
          return r;
        };
        const err = await rejection(provider.delete(ID, INPUTS));
        assert.ok(isImportTaskFailedError(err));
        assert.equal(
          err.message,
          `ads.ImportTask "servers-q3": deleting import ${ID} ended in ${status} after 2 polls. ${advice}, or set retainOnDelete to true to leave the data.`,
        );
      });
    }
  });

  describe("check and diff", () => {
    it("accepts an object URL on the configured endpoint and rejects a bad name before any AWS call", async () => {
      const { provider, ads } = await setup({ "awsMigration:endpoint": "http://127.0.0.1:4566" });
      assert.deepEqual(
        await provider.check(
          {},
          { ...INPUTS, importUrl: "http://127.0.0.1:4566/migration-data/servers.csv" },
        ),
        {
          inputs: { ...INPUTS, importUrl: "http://127.0.0.1:4566/migration-data/servers.csv" },
          failures: [],
        },
      );
      const bad = await provider.check({}, { ...INPUTS, name: "" });
      assert.deepEqual(bad.failures, [
        {
          property: "name",
          reason:
            "must be 1–255 characters (got 0). Fix: give the import a descriptive name of 1–255 characters",
        },
      ]);
      assert.deepEqual(ads.calls, []);
    });

    it("diff reports __provider alone as no change", async () => {
      const { provider } = await setup();
      assert.deepEqual(
        await provider.diff(
          ID,
          { ...INPUTS, importTaskId: ID, status: "IMPORT_COMPLETE" },
          { ...INPUTS, __provider: "new" },
        ),
        { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} },
      );
    });
  });
});
