import { strict as assert } from "node:assert";
import {
  type AwsApiError,
  type ImportTaskFailedError,
  isAwsApiError,
  isImportTaskFailedError,
} from "../../../../provider/core/errors";
import { createProvider } from "../../../../provider/migrationhub/migrationTaskProvider";
import { awsError, FakeMigrationHub, hubProvider } from "./fakeApi";
import { rejection } from "../../../support/rejection";

const START = 1_700_000_000_000;
const START_ISO = "2023-11-14T22:13:20.000Z";
/**
 * The shared AdaptiveThrottle (50 calls/s at start) spaces calls 20 ms apart on the manual clock,
 * so NotifyMigrationTaskState goes at START + 20 ms per call made before it; its UpdateDateTime is
 * that time rounded to the whole second, as the SDK sends it and AWS keeps it.
 */
const at = (calls: number): string =>
  new Date(Math.round((START + 20 * calls) / 1000) * 1000).toISOString();
const ami = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc";
const inst = "arn:aws:ec2:us-west-2:123456789012:instance/i-0abc";
const base = { progressUpdateStream: "tool", migrationTaskName: "web-01" };

async function setup(values: Record<string, string> = {}) {
  const hub = new FakeMigrationHub();
  hub.streams.add("tool");
  return hubProvider(createProvider, hub, START, {
    "awsMigration:pollMinDelayMs": "1000",
    "awsMigration:pollMaxDelayMs": "8000",
    ...values,
  });
}

describe("migrationhub.MigrationTask provider", () => {
  describe("create", () => {
    it("registers the task, describes it once and returns its ID and outputs", async () => {
      const { hub, provider, lines } = await setup();
      const result = await provider.create({ ...base, __provider: "P" });
      assert.deepEqual(result, { id: "tool/web-01", outs: { ...base, status: "NOT_REPORTED" } });
      // The adopt check is the only describe: its answer and the writes make the outputs.
      assert.deepEqual(hub.calls, [
        "DescribeMigrationTask tool/web-01",
        "ImportMigrationTask tool/web-01",
      ]);
      assert.deepEqual(lines, [
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": registered (ImportMigrationTask)',
      ]);
    });

    it("puts attributes, associates artifacts and notifies the initial state in that order", async () => {
      const { hub, provider } = await setup();
      const inputs = {
        ...base,
        resourceAttributes: [
          { type: "IPV4_ADDRESS", value: "10.0.0.12" },
          { type: "FQDN", value: "web-01.example.com" },
        ],
        createdArtifacts: [{ name: ami, description: "the AMI" }, { name: inst }],
        initialState: { status: "IN_PROGRESS", progressPercent: 25 },
      };
      const result = await provider.create(inputs);
      assert.deepEqual(hub.calls, [
        "DescribeMigrationTask tool/web-01",
        "ImportMigrationTask tool/web-01",
        "PutResourceAttributes tool/web-01 IPV4_ADDRESS=10.0.0.12,FQDN=web-01.example.com",
        `AssociateCreatedArtifact tool/web-01 ${ami}`,
        `AssociateCreatedArtifact tool/web-01 ${inst}`,
        `NotifyMigrationTaskState tool/web-01 IN_PROGRESS 25 ${at(4)} 86400`,
      ]);
      assert.deepEqual(result.outs, {
        ...inputs,
        status: "IN_PROGRESS",
        progressPercent: 25,
        updateDateTime: at(4),
      });
    });

    it("adopts a task an interrupted run registered: no second import, no state set back", async () => {
      const { hub, provider, lines } = await setup();
      hub.tasks.set("tool/web-01", {
        task: { status: "IN_PROGRESS", progressPercent: 60 },
        resourceAttributes: [],
        artifacts: [{ name: ami, description: "the AMI" }],
      });
      const result = await provider.create({
        ...base,
        createdArtifacts: [{ name: ami, description: "the AMI" }, { name: inst }],
        initialState: { status: "NOT_STARTED", nextUpdateSeconds: 60 },
      });
      assert.deepEqual(hub.calls, [
        "DescribeMigrationTask tool/web-01",
        "ListCreatedArtifacts tool/web-01",
        `AssociateCreatedArtifact tool/web-01 ${inst}`,
      ]);
      assert.deepEqual(result.outs, {
        ...base,
        createdArtifacts: [{ name: ami, description: "the AMI" }, { name: inst }],
        initialState: { status: "NOT_STARTED", nextUpdateSeconds: 60 },
        status: "IN_PROGRESS",
        progressPercent: 60,
      });
      assert.deepEqual(lines, [
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": adopting the existing task (status IN_PROGRESS)',
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": keeps its reported state IN_PROGRESS; initialState applies only to a task with no reported state',
      ]);
    });

    it("waits for COMPLETED with jittered delays and returns the final state", async () => {
      const { hub, provider, clock } = await setup();
      hub.script.set("tool/web-01", [
        { status: "NOT_STARTED" },
        { status: "IN_PROGRESS", progressPercent: 50 },
        { status: "IN_PROGRESS", progressPercent: 90 },
        { status: "COMPLETED", progressPercent: 100 },
      ]);
      // The first describe is the adopt check (the task does not exist yet, so the script is not consumed).
      const result = await provider.create({ ...base, waitForStatus: "COMPLETED" });
      assert.deepEqual(result.outs, {
        ...base,
        waitForStatus: "COMPLETED",
        status: "COMPLETED",
        progressPercent: 100,
      });
      assert.deepEqual(
        hub.calls.filter((c) => c.startsWith("DescribeMigrationTask")).length,
        5, // adopt check + 4 polls
      );
      // random() = 0: every wait delay is the minimum; no retry back-off happened.
      assert.deepEqual(
        clock.sleeps.filter((ms) => ms >= 1000),
        [1000, 1000, 1000],
      );
    });

    it("describes each task exactly once when a fleet is created in one turn", async () => {
      const { hub, provider } = await setup();
      const names = Array.from({ length: 25 }, (_, i) => `server-${i}`);
      const created = await Promise.all(
        names.map((n) =>
          provider.create({
            progressUpdateStream: "tool",
            migrationTaskName: n,
            initialState: { status: "NOT_STARTED" },
          }),
        ),
      );
      assert.deepEqual(
        created.map((c) => [c.id, c.outs.status]),
        names.map((n) => [`tool/${n}`, "NOT_STARTED"]),
      );
      const count = (op: string) => hub.calls.filter((c) => c.startsWith(`${op} `)).length;
      assert.deepEqual(
        ["DescribeMigrationTask", "ImportMigrationTask", "NotifyMigrationTaskState"].map(count),
        [25, 25, 25],
      );
      assert.deepEqual(
        names.map((n) => hub.calls.filter((c) => c === `DescribeMigrationTask tool/${n}`).length),
        names.map(() => 1),
      );
    });

    it("fails with ImportTaskFailedError carrying the ID, outputs with __provider and the tool's reason", async () => {
      const { hub, provider } = await setup();
      hub.script.set("tool/web-01", [
        { status: "IN_PROGRESS" },
        { status: "FAILED", statusDetail: "disk copy failed" },
      ]);
      const err = (await rejection(
        provider.create({ ...base, waitForStatus: "COMPLETED", __provider: "P" }),
      )) as ImportTaskFailedError;
      assert.equal(isImportTaskFailedError(err), true);
      assert.deepEqual(
        { id: err.id, properties: err.properties, reasons: err.reasons },
        {
          id: "tool/web-01",
          properties: {
            ...base,
            waitForStatus: "COMPLETED",
            status: "FAILED",
            statusDetail: "disk copy failed",
            __provider: "P",
          },
          reasons: [
            'migrationhub.MigrationTask "tool/web-01": a migration tool reported FAILED: disk copy failed after 2 polls (IN_PROGRESS, FAILED) while waiting for COMPLETED. Fix the migration in the tool; the next `pulumi up` waits again once the tool reports progress.',
          ],
        },
      );
    });

    it("records a timed-out wait, and update() resumes it to completion", async () => {
      const { hub, provider } = await setup();
      hub.script.set(
        "tool/web-01",
        Array.from({ length: 200 }, () => ({ status: "IN_PROGRESS" as const })),
      );
      const inputs = {
        ...base,
        waitForStatus: "COMPLETED",
        waitTimeoutMinutes: 1,
        __provider: "P",
      };
      const err = (await rejection(provider.create(inputs))) as ImportTaskFailedError;
      assert.equal(isImportTaskFailedError(err), true);
      assert.equal(err.id, "tool/web-01");
      assert.deepEqual(err.properties, {
        ...base,
        waitForStatus: "COMPLETED",
        waitTimeoutMinutes: 1,
        status: "IN_PROGRESS",
        __provider: "P",
      });
      assert.match(
        err.reasons[0] ?? "",
        /^migrationhub\.MigrationTask "tool\/web-01" is still IN_PROGRESS after 60s \(limit 60s; observed IN_PROGRESS×61\)\. The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run `pulumi up` again to resume waiting\. Only a migration tool moves a Migration Hub task \(NotifyMigrationTaskState\); check that it is running\.$/,
      );
      hub.script.set("tool/web-01", [
        { status: "IN_PROGRESS" },
        { status: "COMPLETED", progressPercent: 100 },
      ]);
      const before = hub.calls.length;
      const updated = await provider.update("tool/web-01", err.properties, inputs);
      assert.deepEqual(updated.outs, {
        ...base,
        waitForStatus: "COMPLETED",
        waitTimeoutMinutes: 1,
        status: "COMPLETED",
        progressPercent: 100,
      });
      assert.deepEqual(hub.calls.slice(before), [
        "DescribeMigrationTask tool/web-01",
        "DescribeMigrationTask tool/web-01",
      ]);
    });

    it("fails with the ID when the task vanishes while waiting (its stream was deleted)", async () => {
      const { hub, provider } = await setup();
      hub.script.set("tool/web-01", [{ status: "NOT_STARTED" }, "GONE"]);
      const err = (await rejection(
        provider.create({ ...base, waitForStatus: "IN_PROGRESS", __provider: "P" }),
      )) as ImportTaskFailedError;
      assert.deepEqual(
        { id: err.id, properties: err.properties, reasons: err.reasons },
        {
          id: "tool/web-01",
          properties: { ...base, waitForStatus: "IN_PROGRESS", __provider: "P" },
          reasons: [
            'migrationhub.MigrationTask "tool/web-01": the task disappeared while waiting for IN_PROGRESS after 2 polls (NOT_STARTED, GONE). Its progress update stream was deleted; recreate the stream and run `pulumi up` again.',
          ],
        },
      );
    });

    for (const [title, values, limit] of [
      [
        "the stack config's awsMigration:waitTimeoutMinutes",
        { "awsMigration:waitTimeoutMinutes": "3" },
        "3 min",
      ],
      ["60 minutes when neither the input nor stack config sets it", {}, "60 min"],
    ] as const) {
      it(`waits ${title}`, async () => {
        const { hub, provider } = await setup(values);
        hub.script.set("tool/web-01", [{ status: "IN_PROGRESS" }]);
        const err = (await rejection(
          provider.create({ ...base, waitForStatus: "COMPLETED" }),
        )) as ImportTaskFailedError;
        assert.match(err.reasons[0] ?? "", new RegExp(`^[^(]+ after ${limit} \\(limit ${limit};`));
      });
    }

    it("fails without an ID when the stream does not exist (nothing was created)", async () => {
      const { hub, provider } = await setup();
      const err = (await rejection(
        provider.create({ progressUpdateStream: "nostream", migrationTaskName: "a" }),
      )) as AwsApiError;
      assert.equal(isAwsApiError(err), true);
      assert.deepEqual(
        { code: err.code, httpStatus: err.httpStatus, message: err.message },
        {
          code: "ResourceNotFoundException",
          httpStatus: 400,
          message:
            "migrationhub ImportMigrationTask failed: ResourceNotFoundException (HTTP 400, request req-1): Progress update stream nostream was not found. The progress update stream does not exist (in this account and region). Create it first — e.g. a migrationhub.ProgressUpdateStream whose progressUpdateStreamName you pass as progressUpdateStream.",
        },
      );
      assert.deepEqual(hub.calls, [
        "DescribeMigrationTask nostream/a",
        "ImportMigrationTask nostream/a",
      ]);
    });

    it("records what was applied when a later write fails, so the next update retries it", async () => {
      const { hub, provider } = await setup();
      hub.failures.set("PutResourceAttributes", [awsError("AccessDeniedException", "not allowed")]);
      const inputs = {
        ...base,
        resourceAttributes: [{ type: "BIOS_ID", value: "b-1" }],
        __provider: "P",
      };
      const err = (await rejection(provider.create(inputs))) as ImportTaskFailedError;
      assert.deepEqual(
        { id: err.id, properties: err.properties, reasons: err.reasons },
        {
          id: "tool/web-01",
          properties: { ...base, __provider: "P" },
          reasons: [
            'migrationhub.MigrationTask "tool/web-01": migrationhub PutResourceAttributes failed: AccessDeniedException (HTTP 400, request req-1): not allowed. Grant the calling identity permission for PutResourceAttributes on migrationhub, then run again.',
          ],
        },
      );
      const before = hub.calls.length;
      const updated = await provider.update("tool/web-01", err.properties, inputs);
      assert.deepEqual(hub.calls.slice(before), [
        "PutResourceAttributes tool/web-01 BIOS_ID=b-1",
        "DescribeMigrationTask tool/web-01",
      ]);
      assert.deepEqual(updated.outs, {
        ...base,
        resourceAttributes: [{ type: "BIOS_ID", value: "b-1" }],
        status: "NOT_REPORTED",
      });
    });

    it("retries a throttled import with back-off and starts the task once", async () => {
      const { hub, provider, clock } = await setup();
      hub.failures.set("ImportMigrationTask", [
        awsError("ThrottlingException", "Rate exceeded"),
        awsError("ThrottlingException", "Rate exceeded"),
      ]);
      await provider.create(base);
      assert.deepEqual(hub.calls, [
        "DescribeMigrationTask tool/web-01",
        "ImportMigrationTask tool/web-01",
        "ImportMigrationTask tool/web-01",
        "ImportMigrationTask tool/web-01",
      ]);
      assert.equal(hub.tasks.size, 1);
      // random() = 0 makes both back-offs 0 ms; the throttle then spaces calls at its halved rate.
      assert.deepEqual(clock.sleeps.filter((ms) => ms === 0).length >= 2, true);
    });
  });

  describe("update", () => {
    it("applies changed attributes, artifacts and state in place and returns full outputs", async () => {
      const { hub, provider, clock } = await setup();
      // 440 ms + 3 throttled calls × 20 ms: the notification goes at START + 0.5 s, which rounds up.
      await clock.advance(440);
      const olds = {
        ...base,
        resourceAttributes: [{ type: "FQDN", value: "a" }],
        createdArtifacts: [{ name: ami }, { name: inst, description: "old" }],
        initialState: { status: "NOT_STARTED" },
        status: "NOT_STARTED",
      };
      hub.tasks.set("tool/web-01", {
        task: { status: "NOT_STARTED" },
        resourceAttributes: [{ type: "FQDN", value: "a" }],
        artifacts: [{ name: ami }, { name: inst, description: "old" }],
      });
      const news = {
        ...base,
        resourceAttributes: [{ type: "FQDN", value: "b" }],
        createdArtifacts: [{ name: inst, description: "new" }],
        initialState: { status: "IN_PROGRESS", progressPercent: 10, nextUpdateSeconds: 600 },
      };
      const result = await provider.update("tool/web-01", olds, news);
      assert.deepEqual(hub.calls, [
        "PutResourceAttributes tool/web-01 FQDN=b",
        `DisassociateCreatedArtifact tool/web-01 ${ami}`,
        `DisassociateCreatedArtifact tool/web-01 ${inst}`,
        `AssociateCreatedArtifact tool/web-01 ${inst}`,
        `NotifyMigrationTaskState tool/web-01 IN_PROGRESS 10 ${at(25)} 600`,
        "DescribeMigrationTask tool/web-01",
      ]);
      assert.deepEqual(result.outs, {
        ...news,
        status: "IN_PROGRESS",
        progressPercent: 10,
        updateDateTime: at(25),
      });
    });

    it("disassociates an artifact removed from the inputs, and counts one already gone as removed", async () => {
      const { hub, provider } = await setup();
      hub.tasks.set("tool/web-01", { resourceAttributes: [], artifacts: [{ name: inst }] });
      hub.failures.set("DisassociateCreatedArtifact", [
        awsError("ResourceNotFoundException", `Created artifact ${ami} was not found.`),
      ]);
      const olds = {
        ...base,
        createdArtifacts: [{ name: ami }, { name: inst }],
        status: "NOT_REPORTED",
      };
      const news = { ...base, createdArtifacts: [] };
      const result = await provider.update("tool/web-01", olds, news);
      assert.deepEqual(hub.calls, [
        `DisassociateCreatedArtifact tool/web-01 ${ami}`,
        `DisassociateCreatedArtifact tool/web-01 ${inst}`,
        "DescribeMigrationTask tool/web-01",
      ]);
      assert.deepEqual(hub.tasks.get("tool/web-01")?.artifacts, []);
      assert.deepEqual(result.outs, { ...news, status: "NOT_REPORTED" });
    });

    it("fails with the ID and the outputs when the task is gone after the update", async () => {
      const { hub, provider } = await setup();
      const err = (await rejection(
        provider.update(
          "tool/web-01",
          { ...base, status: "NOT_STARTED" },
          { ...base, __provider: "P" },
        ),
      )) as ImportTaskFailedError;
      assert.deepEqual(hub.calls, ["DescribeMigrationTask tool/web-01"]);
      assert.deepEqual(
        { id: err.id, properties: err.properties, reasons: err.reasons },
        {
          id: "tool/web-01",
          properties: { ...base, __provider: "P" },
          reasons: [
            'migrationhub.MigrationTask "tool/web-01": the task is gone right after its update; its progress update stream is probably being deleted. Recreate the stream and run `pulumi up` again.',
          ],
        },
      );
    });

    it("warns that removed attributes stay on the task and makes no call for them", async () => {
      const { hub, provider, lines } = await setup();
      hub.tasks.set("tool/web-01", {
        resourceAttributes: [{ type: "FQDN", value: "a" }],
        artifacts: [],
      });
      const result = await provider.update(
        "tool/web-01",
        { ...base, resourceAttributes: [{ type: "FQDN", value: "a" }] },
        base,
      );
      assert.deepEqual(hub.calls, ["DescribeMigrationTask tool/web-01"]);
      assert.deepEqual(result.outs, { ...base, status: "NOT_REPORTED" });
      assert.deepEqual(lines, [
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": resourceAttributes was removed, but Migration Hub has no API to clear them; the last list stays on the task',
      ]);
    });
  });

  describe("read", () => {
    it("returns no ID when the task is gone", async () => {
      const { provider } = await setup();
      assert.deepEqual(await provider.read("tool/web-01", { ...base, status: "IN_PROGRESS" }), {});
    });

    it("refreshes state and the lists the user manages from AWS", async () => {
      const { hub, provider } = await setup();
      hub.tasks.set("tool/web-01", {
        task: { status: "COMPLETED", progressPercent: 100 },
        updateDateTime: new Date(START),
        resourceAttributes: [{ type: "FQDN", value: "x" }],
        artifacts: [{ name: inst }],
      });
      const managed = await provider.read("tool/web-01", {
        ...base,
        createdArtifacts: [{ name: ami }],
        resourceAttributes: [{ type: "FQDN", value: "a" }],
        __provider: "P",
      });
      assert.deepEqual(managed, {
        id: "tool/web-01",
        props: {
          ...base,
          resourceAttributes: [{ type: "FQDN", value: "x" }],
          createdArtifacts: [{ name: inst }],
          status: "COMPLETED",
          progressPercent: 100,
          updateDateTime: START_ISO,
        },
      });
      const unmanaged = await provider.read("tool/web-01", {});
      assert.deepEqual(unmanaged, {
        id: "tool/web-01",
        props: { ...base, status: "COMPLETED", progressPercent: 100, updateDateTime: START_ISO },
      });
    });

    it("merges same-turn reads of one task into one describe call", async () => {
      const { hub, provider } = await setup();
      hub.tasks.set("tool/web-01", { resourceAttributes: [], artifacts: [] });
      await Promise.all([provider.read("tool/web-01", {}), provider.read("tool/web-01", {})]);
      assert.deepEqual(hub.calls, ["DescribeMigrationTask tool/web-01"]);
    });
  });

  describe("delete", () => {
    it("makes no AWS call and logs that the task is only forgotten", async () => {
      const { hub, provider, lines } = await setup();
      await provider.delete("tool/web-01", { ...base, status: "COMPLETED" });
      assert.deepEqual(hub.calls, []);
      assert.deepEqual(lines, [
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": Migration Hub has no API to delete one migration task, so deleting this resource only forgets it; the task is removed with its progress update stream (delete the migrationhub.ProgressUpdateStream to remove it)',
      ]);
    });
  });

  describe("check and diff", () => {
    it("passes inputs through and reports failures", async () => {
      const { provider } = await setup();
      assert.deepEqual(await provider.check({}, { ...base, waitTimeoutMinutes: 5 }), {
        inputs: { ...base, waitTimeoutMinutes: 5 },
        failures: [
          {
            property: "waitTimeoutMinutes",
            reason:
              "applies only to a wait, and waitForStatus is not set. Fix: set waitForStatus (IN_PROGRESS or COMPLETED) or remove waitTimeoutMinutes",
          },
        ],
      });
      assert.deepEqual(
        await provider.diff(
          "tool/web-01",
          { ...base, __provider: "a" },
          { ...base, __provider: "b" },
        ),
        { changes: false, replaces: [], detailedDiff: {} },
      );
    });
  });
});
