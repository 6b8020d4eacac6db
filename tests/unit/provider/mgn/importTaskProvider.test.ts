import { strict as assert } from "node:assert";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import {
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
  isMigrationError,
} from "../../../../provider/core/errors";
import { createProvider } from "../../../../provider/mgn/importTaskProvider";
import {
  configured,
  type Line,
  type ManualClock,
  manualClock,
  recordingLogger,
  sdkError,
  T0,
} from "../../../support/harness";
import { rejection } from "../../../support/rejection";
import { FakeMgn, mgnIdFor as idOf } from "./fakeMgn";

const SRC = { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" };
const INPUTS = { s3BucketSource: SRC, clientToken: "pam-token-1", __provider: "serialized-shim" };
const ID = idOf(1);
const ID2 = idOf(2);

async function setup(
  config: Record<string, string> = {},
  autoAdvance = true,
): Promise<{
  provider: ProviderImplementation;
  mgn: FakeMgn;
  clock: ManualClock;
  lines: Line[];
}> {
  const mgn = new FakeMgn();
  const clock = manualClock(T0, autoAdvance);
  const { logger, lines } = recordingLogger();
  const provider = createProvider({
    clock,
    random: () => 0.5,
    logger,
    api: (_settings, call) => mgn.api(call),
    env: {},
  });
  await configured(provider, config);
  return { provider, mgn, clock, lines };
}

const ZERO = { createdCount: 0, modifiedCount: 0 };
const SUMMARY = { waves: ZERO, applications: ZERO, servers: ZERO };

describe("mgn.ImportTask provider (fake MGN, manual clock)", () => {
  describe("create", () => {
    it("starts once with the resource's token, polls until SUCCEEDED, reads row errors and returns full outputs", async () => {
      const { provider, mgn, clock } = await setup();
      mgn.scripts.push(["PENDING", "STARTED", "SUCCEEDED"]);
      const result = await provider.create({ ...INPUTS, tags: { team: "ops" } });
      assert.deepEqual(mgn.calls, [
        { op: "start", clientToken: "pam-token-1", tags: { team: "ops" } },
        { op: "list", ids: [ID] },
        { op: "list", ids: [ID] },
        { op: "list", ids: [ID] },
        { op: "errors", id: ID },
      ]);
      // 20 ms: throttle spacing delays poll 1; its 1 s back-off ends on the next 1 s grid tick
      // (1980 ms); then 1 s. The last 20 ms spaces ListImportErrors after the final poll.
      assert.deepEqual(clock.sleeps, [20, 1980, 1000, 20]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          tags: { team: "ops" },
          importId: ID,
          status: "SUCCEEDED",
          s3BucketSource: SRC,
          creationDateTime: "2026-01-01T00:00:00.000Z",
          importErrors: [],
          importErrorCount: 0,
        },
      });
    });

    it("with waitForCompletion false starts and returns without polling", async () => {
      const { provider, mgn } = await setup();
      const result = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.deepEqual(mgn.calls, [{ op: "start", clientToken: "pam-token-1" }]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          waitForCompletion: false,
          importId: ID,
          status: "PENDING",
          creationDateTime: "2026-01-01T00:00:00.000Z",
        },
      });
    });

    it("re-running an interrupted create with the same token adopts the first import instead of starting another", async () => {
      const { provider, mgn } = await setup();
      mgn.scripts.push(["STARTED"]);
      await provider.create({ ...INPUTS, waitForCompletion: false });
      mgn.imports.get(ID)!.steps = ["STARTED", "SUCCEEDED"];
      const again = await provider.create(INPUTS);
      assert.equal(again.id, ID);
      assert.equal(again.outs["status"], "SUCCEEDED");
      assert.equal(mgn.imports.size, 1);
      assert.deepEqual(
        mgn.calls.filter((c) => c.op === "start"),
        [
          { op: "start", clientToken: "pam-token-1" },
          { op: "start", clientToken: "pam-token-1" },
        ],
      );
    });

    it("throws ImportTaskFailedError with the ID, full properties incl. __provider, and the row errors when the import fails", async () => {
      const { provider, mgn } = await setup();
      mgn.scripts.push(["PENDING", "FAILED"]);
      mgn.errors.set(ID, [
        { errorType: "VALIDATION_ERROR", rowNumber: 1, rawError: "Unknown column mgn:foo" },
      ]);
      mgn.imports.clear();
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      const message = `mgn.ImportTask "${ID}": import ${ID} ended in FAILED after 2 polls (PENDING); waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 1 row error: row 1: VALIDATION_ERROR: Unknown column mgn:foo. Fix s3://migration-data/inventory/wave-1.csv (see the importErrors output and \`aws mgn list-import-errors --import-id ${ID}\`), then run \`pulumi up\` again (a failed import is replaced).`;
      assert.deepEqual(err.reasons, [message]);
      assert.deepEqual(err.properties, {
        ...INPUTS,
        importId: ID,
        status: "FAILED",
        creationDateTime: "2026-01-01T00:00:00.000Z",
        importErrors: [
          {
            errorType: "VALIDATION_ERROR",
            rowNumber: 1,
            rawError: "Unknown column mgn:foo",
            message: "row 1: VALIDATION_ERROR: Unknown column mgn:foo",
          },
        ],
        importErrorCount: 1,
      });
    });

    it("steps past an import that already failed under this token with a deterministic successor token", async () => {
      const { provider, mgn, lines } = await setup();
      mgn.scripts.push(["PENDING", "FAILED"], ["SUCCEEDED"]);
      await rejection(provider.create(INPUTS));
      const result = await provider.create(INPUTS);
      const starts = mgn.calls.filter((c) => c.op === "start") as { clientToken: string }[];
      assert.equal(starts.length, 3);
      assert.equal(starts[1]!.clientToken, "pam-token-1");
      assert.match(starts[2]!.clientToken, /^pam-[0-9a-f]{60}$/);
      assert.equal(result.id, ID2);
      assert.deepEqual(
        lines.filter((l) => l.level === "info").map((l) => `${l.resource}: ${l.message}`),
        [
          `mgn.ImportTask ${ID}: started (PENDING)`,
          `mgn.ImportTask s3://migration-data/inventory/wave-1.csv: ${ID} for this token already ended in FAILED; starting a new import`,
          `mgn.ImportTask ${ID2}: started (SUCCEEDED)`,
          `mgn.ImportTask ${ID2}: SUCCEEDED (1 poll(s))`,
        ],
      );
    });

    it("succeeds with a warning on row errors, and fails with failOnRowErrors", async () => {
      const { provider, mgn, lines } = await setup();
      mgn.scripts.push(["SUCCEEDED"]);
      mgn.errors.set(ID, [
        { errorType: "VALIDATION_ERROR", rowNumber: 3, rawError: "needs an FQDN" },
      ]);
      const ok = await provider.create(INPUTS);
      assert.equal(ok.outs["importErrorCount"], 1);
      assert.deepEqual(
        lines.filter((l) => l.level === "warn").map((l) => l.message),
        [
          `import ${ID} SUCCEEDED with rejected rows (waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 1 row error: row 3: VALIDATION_ERROR: needs an FQDN). See the importErrors output.`,
        ],
      );
      const err = await rejection(provider.create({ ...INPUTS, failOnRowErrors: true }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.match(err.reasons[0]!, /Some rows were rejected and failOnRowErrors is true\./);
    });

    it("records a timeout as ImportTaskFailedError with the ID, and update() resumes the wait to completion", async () => {
      const { provider, mgn, clock } = await setup();
      mgn.scripts.push(["STARTED"]);
      const err = await rejection(provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["status"], "STARTED");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.deepEqual(err.reasons, [
        `mgn.ImportTask "${ID}": import ${ID} is still STARTED after 60s (limit 60s; observed STARTED×60). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting.`,
      ]);
      assert.deepEqual(clock.sleeps, [20, 1980, ...Array<number>(58).fill(1000)]);

      mgn.imports.get(ID)!.steps = ["STARTED", "SUCCEEDED"];
      const { outs } = await provider.update(ID, err.properties, {
        ...INPUTS,
        waitTimeoutMinutes: 1,
      });
      assert.deepEqual(outs, {
        ...INPUTS,
        waitTimeoutMinutes: 1,
        importId: ID,
        status: "SUCCEEDED",
        s3BucketSource: SRC,
        creationDateTime: "2026-01-01T00:00:00.000Z",
        importErrors: [],
        importErrorCount: 0,
      });
      assert.equal(mgn.calls.filter((c) => c.op === "start").length, 1);
    });

    it("keeps the ID when a poll fails with a non-retryable 4xx, and retries a 5xx poll", async () => {
      const { provider, mgn } = await setup();
      mgn.failures.list = [
        sdkError("InternalServerException", 500),
        sdkError("AccessDeniedException", 403, "not allowed"),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.reasons, [
        `mgn.ImportTask "${ID}": mgn ListImports failed: AccessDeniedException (HTTP 403, request r-1): not allowed. Grant the calling identity permission for ListImports on mgn, then run again.`,
      ]);
      assert.deepEqual(
        mgn.calls.map((c) => c.op),
        ["start", "list", "list"],
      );
    });

    it("adopts an existing import by ID without starting one", async () => {
      const { provider, mgn } = await setup();
      mgn.add(ID2, ["SUCCEEDED"], { tags: { team: "ops" }, summary: {} });
      const result = await provider.create({ adoptImportId: ID2, __provider: "p" });
      // One ListImports: the adopted import has already ended, so there is nothing to wait for.
      assert.deepEqual(mgn.calls, [
        { op: "list", ids: [ID2] },
        { op: "errors", id: ID2 },
      ]);
      assert.deepEqual(result, {
        id: ID2,
        outs: {
          adoptImportId: ID2,
          __provider: "p",
          importId: ID2,
          status: "SUCCEEDED",
          summary: SUMMARY,
          tags: { team: "ops" },
          importErrors: [],
          importErrorCount: 0,
        },
      });
    });

    it("fails adoption of an unknown ID with InputValidationError naming the property and the fix", async () => {
      const { provider } = await setup();
      const err = await rejection(provider.create({ adoptImportId: ID2 }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptImportId");
      assert.equal(
        err.message,
        `mgn.ImportTask "${ID2}": adoptImportId ${ID2} was not found in us-west-2. Fix: check the ID (aws mgn list-imports) and aws:region.`,
      );
    });

    it("fails at once on UninitializedAccountException with the InitializeService fix", async () => {
      const { provider, mgn } = await setup();
      mgn.failures.start = [
        sdkError("UninitializedAccountException", 400, "Account is not initialized."),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isAwsApiError(err));
      assert.equal(
        err.message,
        "mgn StartImport failed: UninitializedAccountException (HTTP 400, request r-1): Account is not initialized. Application Migration Service is not initialized in this account and region (us-west-2). Fix: run `aws mgn initialize-service --region us-west-2` once (or open the Application Migration Service console in us-west-2 and choose Get started; it creates MGN's service roles), then run `pulumi up` again.",
      );
      assert.equal(mgn.calls.length, 1);
    });

    it("retries a throttled StartImport with the same token", async () => {
      const { provider, mgn } = await setup();
      mgn.failures.start = [sdkError("ThrottlingException", 429)];
      const result = await provider.create(INPUTS);
      assert.equal(result.outs["status"], "SUCCEEDED");
      assert.deepEqual(
        mgn.calls
          .filter((c) => c.op === "start")
          .map((c) => (c as { clientToken: string }).clientToken),
        ["pam-token-1", "pam-token-1"],
      );
    });
  });

  describe("many imports", () => {
    it("polls 25 waiting imports with ceil(25 / 10) = 3 ListImports calls per round", async () => {
      const { provider, mgn } = await setup();
      for (let i = 0; i < 25; i++) mgn.scripts.push(["PENDING", "STARTED", "SUCCEEDED"]);
      const results = await Promise.all(
        Array.from({ length: 25 }, (_, i) => provider.create({ ...INPUTS, clientToken: `t-${i}` })),
      );
      assert.deepEqual(
        results.map((r) => r.outs["status"]),
        Array<string>(25).fill("SUCCEEDED"),
      );
      const lists = mgn.calls.filter((c) => c.op === "list") as { ids: string[] }[];
      // Three rounds (PENDING, STARTED, SUCCEEDED), each 10 + 10 + 5 IDs.
      assert.deepEqual(
        lists.map((c) => c.ids.length),
        [10, 10, 5, 10, 10, 5, 10, 10, 5],
      );
      assert.equal(new Set(lists.flatMap((c) => c.ids)).size, 25);
    });

    it("update() of 25 finished imports with recorded row errors costs ceil(25 / 10) = 3 ListImports calls and no ListImportErrors", async () => {
      const { provider, mgn } = await setup();
      const ids = Array.from({ length: 25 }, (_, i) => idOf(100 + i));
      for (const id of ids) mgn.add(id, ["SUCCEEDED"]);
      const olds = (id: string): Record<string, unknown> => ({
        ...INPUTS,
        importId: id,
        status: "SUCCEEDED",
        importErrors: [],
        importErrorCount: 0,
      });
      const done = await Promise.all(
        ids.map((id) => provider.update(id, olds(id), { ...INPUTS, waitTimeoutMinutes: 30 })),
      );
      assert.deepEqual(
        done.map((d) => d.outs),
        ids.map((id) => ({ ...olds(id), waitTimeoutMinutes: 30 })),
      );
      assert.deepEqual(
        mgn.calls.map((c) => (c.op === "list" ? c.ids.length : c.op)),
        [10, 10, 5],
      );
    });

    it("queues starts once MGN reports its import quota full, so every import runs and none is refused twice in a row", async () => {
      // Time moves only by advance(), so the queue's deadline timer cannot jump ahead.
      const { provider, mgn, clock } = await setup({}, false);
      mgn.quota = 3;
      for (let i = 0; i < 8; i++) mgn.scripts.push(["STARTED", "STARTED", "SUCCEEDED"]);
      let settled = false;
      const all = Promise.all(
        Array.from({ length: 8 }, (_, i) => provider.create({ ...INPUTS, clientToken: `t-${i}` })),
      ).finally(() => {
        settled = true;
      });
      for (let s = 0; s < 600 && !settled; s++) await clock.advance(1000);
      const results = await all;
      assert.deepEqual(
        results.map((r) => r.outs["status"]),
        Array<string>(8).fill("SUCCEEDED"),
      );
      assert.equal(mgn.imports.size, 8);
      const starts = mgn.calls.filter((c) => c.op === "start") as { clientToken: string }[];
      // 8 started; the 4th and 5th (concurrent with the first three) were refused once each, then queued.
      // 8 started. The starts already in flight (the start limiter admits 5 at a time) when MGN
      // first refused were refused once each; after that they queued for a slot, and none was
      // refused again.
      assert.deepEqual(
        starts.map((s) => s.clientToken),
        ["t-0", "t-1", "t-2", "t-3", "t-4", "t-5", "t-6", "t-7", "t-3", "t-4", "t-5", "t-6", "t-7"],
      );
      assert.equal(mgn.maxRunning, 3);
    });

    it("a start queued behind this deployment's own imports gives up at its wait deadline, before any import exists", async () => {
      const { provider, mgn, clock } = await setup({}, false);
      mgn.quota = 1;
      mgn.scripts.push([...Array<string>(100).fill("STARTED"), "SUCCEEDED"]);
      // The first import holds the only slot for longer than the second may wait.
      const first = provider.create({ ...INPUTS, clientToken: "t-long" });
      const second = provider
        .create({ ...INPUTS, clientToken: "t-queued", waitTimeoutMinutes: 1 })
        .catch((e: unknown) => e);
      for (let s = 0; s < 70; s++) await clock.advance(1000);
      const err = await second;
      assert.ok(isMigrationError(err, "WaiterTimeoutError"), String(err));
      assert.equal(
        err.message,
        'mgn.ImportTask "s3://migration-data/inventory/wave-1.csv": the start is still QUEUED_FOR_IMPORT_QUOTA after 60s (limit 60s; observed QUEUED_FOR_IMPORT_QUOTA). No import was started: 1 import(s) of this deployment held MGN\'s imports-in-progress quota the whole time. Raise waitTimeoutMinutes (or split the imports over several `pulumi up` runs), then run `pulumi up` again.',
      );
      // t-queued was refused once (it was in flight with t-long), then queued; it never started.
      assert.deepEqual(
        mgn.calls
          .filter((c) => c.op === "start")
          .map((c) => (c as { clientToken: string }).clientToken),
        ["t-long", "t-queued"],
      );
      assert.equal(mgn.imports.size, 1);
      for (let s = 0; s < 60; s++) await clock.advance(1000);
      assert.equal((await first).outs["status"], "SUCCEEDED");
    });

    it("gives up on a quota held elsewhere at the wait deadline, before any import exists", async () => {
      const { provider, mgn, clock } = await setup();
      mgn.quota = 0;
      const err = await rejection(provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isAwsApiError(err));
      assert.equal(err.code, "ServiceQuotaExceededException");
      assert.equal(mgn.imports.size, 0);
      // Back-off 5 s × 2^n × 0.5, capped at 60 s × 0.5, until the next would pass the 60 s deadline.
      assert.deepEqual(clock.sleeps, [5000, 10000, 20000]);
      assert.match(err.message, /still refused after 4 attempt\(s\) within waitTimeoutMinutes/);
    });
  });

  describe("read", () => {
    it("refreshes a live import and reads row errors once it has ended", async () => {
      const { provider, mgn } = await setup();
      mgn.add(ID, ["SUCCEEDED"], { progressPercentage: 100 });
      mgn.errors.set(ID, [{ errorType: "PROCESSING_ERROR", rawError: "x" }]);
      const props = { ...INPUTS, importId: ID, status: "STARTED" };
      const read = await provider.read(ID, props);
      assert.deepEqual(read, {
        id: ID,
        props: {
          ...INPUTS,
          importId: ID,
          status: "SUCCEEDED",
          progressPercentage: 100,
          importErrors: [
            { errorType: "PROCESSING_ERROR", rawError: "x", message: "file: PROCESSING_ERROR: x" },
          ],
          importErrorCount: 1,
        },
      });
      // A second refresh keeps the recorded errors: no ListImportErrors call.
      await provider.read(ID, read.props);
      assert.deepEqual(
        mgn.calls.map((c) => c.op),
        ["list", "errors", "list"],
      );
    });

    it("returns no ID for an import ListImports no longer returns", async () => {
      const { provider } = await setup();
      assert.deepEqual(await provider.read(ID, INPUTS), {});
    });
  });

  describe("update", () => {
    it("fails with the ID when the import is gone", async () => {
      const { provider } = await setup();
      const err = await rejection(provider.update(ID, { ...INPUTS, importId: ID }, INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["__provider"], "serialized-shim");
    });
  });

  describe("delete", () => {
    it("retains the import and its inventory by default, without any call", async () => {
      const { provider, mgn, lines } = await setup();
      await provider.delete(ID, INPUTS);
      assert.deepEqual(mgn.calls, []);
      assert.deepEqual(lines, [
        {
          level: "info",
          resource: `mgn.ImportTask ${ID}`,
          message:
            "MGN has no API to delete an import: leaving it, and the inventory it created, in MGN (set deleteInventoryOnDelete to remove that inventory)",
        },
      ]);
    });

    it("removes the selected servers, then applications, then waves", async () => {
      const { provider, mgn, lines } = await setup();
      mgn.add(ID, ["SUCCEEDED"]);
      mgn.inventory = {
        servers: [
          { sourceServerID: "s-1", applicationID: "app-1", tags: { stack: "prod" } },
          { sourceServerID: "s-2", tags: {} },
        ],
        applications: [
          { applicationID: "app-1", name: "billing", waveID: "wave-1", tags: { stack: "prod" } },
        ],
        waves: [{ waveID: "wave-1", name: "w", tags: { stack: "prod" } }],
      };
      mgn.failures.delete = [undefined, sdkError("ResourceNotFoundException", 404)].filter(Boolean);
      await provider.delete(ID, {
        ...INPUTS,
        deleteInventoryOnDelete: { tag: { key: "stack", value: "prod" } },
      });
      assert.deepEqual(mgn.calls, [
        { op: "list", ids: [ID] },
        { op: "inventory" },
        { op: "delete", kind: "server", id: "s-1" },
        { op: "delete", kind: "application", id: "app-1" },
        { op: "delete", kind: "wave", id: "wave-1" },
      ]);
      assert.deepEqual(
        lines.map((l) => l.message),
        [
          "removed 0 source server(s), 1 application(s), 1 wave(s) selected by deleteInventoryOnDelete",
        ],
      );
    });

    it("five deletes at once share one inventory listing, each removing what its selector names", async () => {
      const { provider, mgn } = await setup();
      const ids = [1, 2, 3, 4, 5].map((n) => idOf(200 + n));
      for (const id of ids) mgn.add(id, ["SUCCEEDED"]);
      mgn.inventory = {
        servers: ids.map((_, i) => ({ sourceServerID: `s-${i}`, tags: { wave: String(i) } })),
        applications: [],
        waves: [],
      };
      await Promise.all(
        ids.map((id, i) =>
          provider.delete(id, {
            ...INPUTS,
            deleteInventoryOnDelete: { tag: { key: "wave", value: String(i) } },
          }),
        ),
      );
      assert.deepEqual(
        mgn.calls.filter((c) => c.op !== "list"),
        [
          { op: "inventory" },
          ...ids.map((_, i) => ({ op: "delete", kind: "server", id: `s-${i}` })),
        ],
      );
    });

    it("waits for a running import to end before removing inventory, and reports refusals with the ID", async () => {
      const { provider, mgn } = await setup();
      mgn.add(ID, ["STARTED", "SUCCEEDED"]);
      mgn.inventory = {
        servers: [{ sourceServerID: "s-1", tags: { stack: "prod" } }],
        applications: [],
        waves: [],
      };
      mgn.failures.delete = [sdkError("ConflictException", 409, "Source server is replicating")];
      const props = {
        ...INPUTS,
        deleteInventoryOnDelete: { tag: { key: "stack", value: "prod" } },
      };
      const err = await rejection(provider.delete(ID, props));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.properties, props);
      assert.deepEqual(err.reasons, [
        `mgn.ImportTask "${ID}": could not remove 1 inventory item(s): source server s-1: mgn Delete server failed: ConflictException (HTTP 409, request r-1): Source server is replicating. Fix the cause (a source server with a replicating agent must be disconnected first), then run \`pulumi destroy\` again, or remove deleteInventoryOnDelete to leave the inventory.`,
      ]);
      assert.deepEqual(
        mgn.calls.map((c) => c.op),
        ["list", "list", "inventory", "delete"],
      );
    });
  });

  describe("check and diff", () => {
    it("rejects bad inputs before any AWS call", async () => {
      const { provider, mgn } = await setup();
      const bad = await provider.check(
        {},
        { ...INPUTS, s3BucketSource: { ...SRC, s3Key: "a.txt" } },
      );
      assert.deepEqual(
        bad.failures.map((f) => f.property),
        ["s3BucketSource.s3Key"],
      );
      assert.deepEqual(mgn.calls, []);
    });

    it("reports __provider alone as no change", async () => {
      const { provider } = await setup();
      assert.deepEqual(
        await provider.diff(
          ID,
          { ...INPUTS, importId: ID, status: "SUCCEEDED" },
          { ...INPUTS, __provider: "new" },
        ),
        { changes: false, replaces: [], deleteBeforeReplace: false, detailedDiff: {} },
      );
    });
  });
});
