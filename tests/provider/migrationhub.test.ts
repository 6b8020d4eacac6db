/**
 * createProvider() CRUD of the Migration Hub resources against the real emulator, over HTTP with
 * the real AWS SDK client. A test SDK client plays the migration tool (NotifyMigrationTaskState).
 */
import { strict as assert } from "node:assert";
import {
  DescribeMigrationTaskCommand,
  ListCreatedArtifactsCommand,
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
  CreateProgressUpdateStreamCommand,
  DeleteProgressUpdateStreamCommand,
  ImportMigrationTaskCommand,
} from "@aws-sdk/client-migration-hub";
import { startEmulator, type Emulator } from "../../emulator";
import {
  type AwsApiError,
  type ImportTaskFailedError,
  isAwsApiError,
  isImportTaskFailedError,
} from "../../provider/core/errors";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { createLogger } from "../../provider/core/log";
import { createProvider as taskProvider } from "../../provider/migrationhub/migrationTaskProvider";
import { createProvider as streamProvider } from "../../provider/migrationhub/progressUpdateStreamProvider";
import { clientConfig, TEST_REGION, useEmulator } from "../support/emulator";
import { rejection } from "../support/rejection";

const ami = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc";

function configFor(emulator: Emulator, extra: Record<string, string> = {}) {
  const values: Record<string, string> = {
    "aws:region": TEST_REGION,
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "20",
    "awsMigration:pollMaxDelayMs": "100",
    ...extra,
  };
  return { config: { get: (k: string) => values[k] } };
}

async function configured(
  make: typeof taskProvider | typeof streamProvider,
  emulator: Emulator,
  extra: Record<string, string> = {},
  lines: string[] = [],
): Promise<ProviderImplementation> {
  const p = make({ logger: createLogger({ sink: (l) => lines.push(l), minIntervalMs: 0 }) });
  await p.configure(configFor(emulator, extra));
  return p;
}

function sum(map: Record<string, number>, prefix: string): number {
  return Object.entries(map)
    .filter(([k]) => k.startsWith(prefix))
    .reduce((n, [, v]) => n + v, 0);
}

describe("migrationhub resources against the emulator", function () {
  this.timeout(60_000);
  const em = useEmulator({ homeRegion: TEST_REGION });
  let tool: MigrationHubClient;
  beforeEach(() => {
    tool = new MigrationHubClient(clientConfig(em.emulator));
  });

  const listStreams = async (): Promise<string[]> =>
    (
      (await tool.send(new ListProgressUpdateStreamsCommand({}))).ProgressUpdateStreamSummaryList ??
      []
    ).map((s) => s.ProgressUpdateStreamName ?? "");

  describe("migrationhub.ProgressUpdateStream", () => {
    it("creates the stream, and a re-create of the same name adopts it (one stream)", async () => {
      const p = await configured(streamProvider, em.emulator);
      const first = await p.create({ progressUpdateStreamName: "tool" });
      const again = await p.create({ progressUpdateStreamName: "tool" });
      assert.deepEqual(
        [first, again],
        [
          { id: "tool", outs: { progressUpdateStreamName: "tool", retainOnDelete: false } },
          { id: "tool", outs: { progressUpdateStreamName: "tool", retainOnDelete: false } },
        ],
      );
      assert.deepEqual(await listStreams(), ["tool"]);
      assert.equal(em.emulator.stats().requests["migrationhub:CreateProgressUpdateStream"], 1);
    });

    it("reads the stream, and returns no ID after it was deleted out of band", async () => {
      const p = await configured(streamProvider, em.emulator);
      await p.create({ progressUpdateStreamName: "tool" });
      assert.deepEqual(
        await p.read("tool", { progressUpdateStreamName: "tool", retainOnDelete: false }),
        {
          id: "tool",
          props: { progressUpdateStreamName: "tool", retainOnDelete: false },
        },
      );
      await tool.send(new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
      // The deletion is asynchronous: read keeps the stream while AWS still lists it.
      for (let i = 0; i < 100 && (await listStreams()).includes("tool"); i++)
        await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(await p.read("tool", { progressUpdateStreamName: "tool" }), {});
    });

    it("deletes the stream with its tasks and waits until it is gone", async () => {
      const p = await configured(streamProvider, em.emulator);
      await p.create({ progressUpdateStreamName: "tool" });
      await tool.send(
        new ImportMigrationTaskCommand({ ProgressUpdateStream: "tool", MigrationTaskName: "web" }),
      );
      await p.delete("tool", { progressUpdateStreamName: "tool", retainOnDelete: false });
      assert.deepEqual(await listStreams(), []);
      const err = (await rejection(
        tool.send(
          new DescribeMigrationTaskCommand({
            ProgressUpdateStream: "tool",
            MigrationTaskName: "web",
          }),
        ),
      )) as { name: string };
      assert.equal(err.name, "ResourceNotFoundException");
    });

    it("finds a stream beyond the first page of ListProgressUpdateStreams", async () => {
      for (let i = 0; i < 120; i++) {
        await tool.send(
          new CreateProgressUpdateStreamCommand({
            ProgressUpdateStreamName: `s-${String(i).padStart(3, "0")}`,
          }),
        );
      }
      const p = await configured(streamProvider, em.emulator);
      const found = await Promise.all(["s-000", "s-119", "missing"].map((n) => p.read(n, {})));
      assert.deepEqual(
        found.map((r) => r.id),
        ["s-000", "s-119", undefined],
      );
      // One listing of two pages answered all three reads.
      assert.equal(em.emulator.stats().requests["migrationhub:ListProgressUpdateStreams"], 2);
    });

    it("keeps the stream when retainOnDelete is set", async () => {
      const p = await configured(streamProvider, em.emulator);
      await p.create({ progressUpdateStreamName: "tool", retainOnDelete: true });
      await p.delete("tool", { progressUpdateStreamName: "tool", retainOnDelete: true });
      assert.deepEqual(await listStreams(), ["tool"]);
      assert.equal(
        em.emulator.stats().requests["migrationhub:DeleteProgressUpdateStream"],
        undefined,
      );
    });

    it("says to point aws:region to the home region when a write runs elsewhere", async () => {
      const p = await configured(streamProvider, em.emulator, { "aws:region": "us-east-1" });
      const err = (await rejection(p.create({ progressUpdateStreamName: "tool" }))) as AwsApiError;
      assert.equal(isAwsApiError(err), true);
      assert.deepEqual(
        {
          code: err.code,
          httpStatus: err.httpStatus,
          advice: err.message.slice(err.message.indexOf(" Migration Hub accepts")),
        },
        {
          code: "InvalidInputException",
          httpStatus: 400,
          advice:
            " Migration Hub accepts CreateProgressUpdateStream only in the account's home region (aws:region is us-east-1): if that is not the home region, point aws:region to it (Migration Hub Config GetHomeRegion shows it). If the progress update stream is being deleted, wait until the deletion finishes, then run again.",
        },
      );
    });

    it("says to set a home region when the account has none", async () => {
      const bare = await startEmulator({ rateLimits: false });
      try {
        const p = await configured(streamProvider, bare);
        const err = (await rejection(
          p.create({ progressUpdateStreamName: "tool" }),
        )) as AwsApiError;
        assert.deepEqual(
          {
            code: err.code,
            httpStatus: err.httpStatus,
            tail: err.message.slice(err.message.indexOf(" Migration Hub has no home region")),
          },
          {
            code: "HomeRegionNotSetException",
            httpStatus: 400,
            tail: " Migration Hub has no home region for this account (aws:region is us-west-2). Set one with Migration Hub Config CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again.",
          },
        );
      } finally {
        await bare.stop();
      }
    });
  });

  describe("migrationhub.MigrationTask", () => {
    beforeEach(async () => {
      await tool.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
    });

    it("registers the task with attributes, artifacts and the initial state", async () => {
      const p = await configured(taskProvider, em.emulator);
      const inputs = {
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.12" }],
        createdArtifacts: [{ name: ami, description: "the AMI" }],
        initialState: { status: "IN_PROGRESS", statusDetail: "copying", progressPercent: 30 },
      };
      const { id, outs } = await p.create({ ...inputs, __provider: "P" });
      assert.equal(id, "tool/web-01");
      assert.deepEqual(
        { ...outs, updateDateTime: typeof outs.updateDateTime },
        {
          ...inputs,
          status: "IN_PROGRESS",
          statusDetail: "copying",
          progressPercent: 30,
          updateDateTime: "string",
        },
      );
      // One DescribeMigrationTask per create: the outputs come from it and the writes.
      assert.equal(em.emulator.stats().requests["migrationhub:DescribeMigrationTask"], 1);
      const described = await tool.send(
        new DescribeMigrationTaskCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.deepEqual(described.MigrationTask?.Task, {
        Status: "IN_PROGRESS",
        StatusDetail: "copying",
        ProgressPercent: 30,
      });
      assert.equal(outs.updateDateTime, described.MigrationTask?.UpdateDateTime?.toISOString());
      const artifacts = await tool.send(
        new ListCreatedArtifactsCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.deepEqual(artifacts.CreatedArtifactList, [{ Name: ami, Description: "the AMI" }]);
    });

    it("adopts the task on a re-create with the same name: exactly one task and one import", async () => {
      const p = await configured(taskProvider, em.emulator);
      const inputs = {
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        initialState: { status: "NOT_STARTED" },
      };
      await p.create(inputs);
      await tool.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
          Task: { Status: "IN_PROGRESS", ProgressPercent: 40 },
          UpdateDateTime: new Date(),
          NextUpdateSeconds: 60,
        }),
      );
      const again = await p.create(inputs);
      assert.equal(again.outs.status, "IN_PROGRESS");
      const listed = await tool.send(new ListMigrationTasksCommand({}));
      assert.deepEqual(
        (listed.MigrationTaskSummaryList ?? []).map(
          (t) => `${t.ProgressUpdateStream}/${t.MigrationTaskName} ${t.Status}`,
        ),
        ["tool/web-01 IN_PROGRESS"],
      );
      const stats = em.emulator.stats();
      assert.deepEqual(
        [
          stats.requests["migrationhub:ImportMigrationTask"],
          stats.requests["migrationhub:NotifyMigrationTaskState"],
          stats.requests["migrationhub:DescribeMigrationTask"],
        ],
        [1, 2, 2],
      );
    });

    it("waits until the migration tool reports COMPLETED", async () => {
      const p = await configured(taskProvider, em.emulator);
      const notify = (status: "IN_PROGRESS" | "COMPLETED", pct: number) =>
        tool.send(
          new NotifyMigrationTaskStateCommand({
            ProgressUpdateStream: "tool",
            MigrationTaskName: "web-01",
            Task: { Status: status, ProgressPercent: pct },
            UpdateDateTime: new Date(),
            NextUpdateSeconds: 60,
          }),
        );
      const created = p.create({
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        waitForStatus: "COMPLETED",
      });
      await new Promise((r) => setTimeout(r, 150));
      await notify("IN_PROGRESS", 50);
      await new Promise((r) => setTimeout(r, 150));
      await notify("COMPLETED", 100);
      const { outs } = await created;
      assert.deepEqual(
        { status: outs.status, progressPercent: outs.progressPercent },
        { status: "COMPLETED", progressPercent: 100 },
      );
    });

    it("fails with ImportTaskFailedError (ID, outputs with __provider, reason) when the tool reports FAILED", async () => {
      const p = await configured(taskProvider, em.emulator);
      const created = rejection(
        p.create({
          progressUpdateStream: "tool",
          migrationTaskName: "web-01",
          waitForStatus: "COMPLETED",
          __provider: "P",
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      await tool.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
          Task: { Status: "FAILED", StatusDetail: "disk copy failed" },
          UpdateDateTime: new Date(),
          NextUpdateSeconds: 60,
        }),
      );
      const err = (await created) as ImportTaskFailedError;
      assert.equal(isImportTaskFailedError(err), true);
      assert.equal(err.id, "tool/web-01");
      assert.deepEqual(
        { ...err.properties, updateDateTime: typeof err.properties.updateDateTime },
        {
          progressUpdateStream: "tool",
          migrationTaskName: "web-01",
          waitForStatus: "COMPLETED",
          status: "FAILED",
          statusDetail: "disk copy failed",
          updateDateTime: "string",
          __provider: "P",
        },
      );
      assert.match(
        err.reasons[0] ?? "",
        /^migrationhub\.MigrationTask "tool\/web-01": a migration tool reported FAILED: disk copy failed after \d+ polls \((?:NOT_REPORTED(×\d+)?, )?FAILED\) while waiting for COMPLETED\. Fix the migration in the tool; the next `pulumi up` waits again once the tool reports progress\.$/,
      );
    });

    it("records a timed-out wait, and update() resumes it to completion", async () => {
      // 0.01 minutes = 600 ms: a timeout the test can afford.
      const p = await configured(taskProvider, em.emulator, {
        "awsMigration:waitTimeoutMinutes": "0.01",
      });
      const inputs = {
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        waitForStatus: "IN_PROGRESS",
        __provider: "P",
      };
      const err = (await rejection(p.create(inputs))) as ImportTaskFailedError;
      assert.deepEqual(
        { id: err.id, properties: err.properties },
        {
          id: "tool/web-01",
          properties: {
            progressUpdateStream: "tool",
            migrationTaskName: "web-01",
            waitForStatus: "IN_PROGRESS",
            status: "NOT_REPORTED",
            __provider: "P",
          },
        },
      );
      assert.match(err.reasons[0] ?? "", /is still NOT_REPORTED after /);
      const resumed = p.update("tool/web-01", err.properties, inputs);
      await new Promise((r) => setTimeout(r, 100));
      await tool.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
          Task: { Status: "IN_PROGRESS", ProgressPercent: 5 },
          UpdateDateTime: new Date(),
          NextUpdateSeconds: 60,
        }),
      );
      const { outs } = await resumed;
      assert.deepEqual(
        { status: outs.status, progressPercent: outs.progressPercent },
        { status: "IN_PROGRESS", progressPercent: 5 },
      );
      assert.equal(em.emulator.stats().requests["migrationhub:ImportMigrationTask"], 1);
    });

    // Removing an artifact calls DisassociateCreatedArtifact, which the emulator does not implement
    // (emulator/COVERAGE.md); removals are covered by the unit tests against the scripted api.
    it("updates attributes and adds artifacts in place", async () => {
      const p = await configured(taskProvider, em.emulator);
      const olds = (
        await p.create({
          progressUpdateStream: "tool",
          migrationTaskName: "web-01",
          createdArtifacts: [{ name: ami }],
        })
      ).outs;
      const inst = "arn:aws:ec2:us-west-2:123456789012:instance/i-0abc";
      const news = {
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        resourceAttributes: [
          { type: "VM_MANAGER_ID", value: "vc-1" },
          { type: "VM_NAME", value: "web-01" },
        ],
        createdArtifacts: [{ name: ami }, { name: inst, description: "the instance" }],
      };
      const { outs } = await p.update("tool/web-01", olds, news);
      assert.deepEqual(outs, { ...news, status: "NOT_REPORTED" });
      const artifacts = await tool.send(
        new ListCreatedArtifactsCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.deepEqual(artifacts.CreatedArtifactList, [
        { Name: ami },
        { Name: inst, Description: "the instance" },
      ]);
      assert.deepEqual(
        [
          em.emulator.stats().requests["migrationhub:AssociateCreatedArtifact"],
          em.emulator.stats().requests["migrationhub:PutResourceAttributes"],
        ],
        [2, 1],
      );
      const described = await tool.send(
        new DescribeMigrationTaskCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.deepEqual(described.MigrationTask?.ResourceAttributeList, [
        { Type: "VM_MANAGER_ID", Value: "vc-1" },
        { Type: "VM_NAME", Value: "web-01" },
      ]);
    });

    it("removes an artifact dropped from createdArtifacts with DisassociateCreatedArtifact", async () => {
      const p = await configured(taskProvider, em.emulator);
      const inst = "arn:aws:ec2:us-west-2:123456789012:instance/i-0abc";
      const base = { progressUpdateStream: "tool", migrationTaskName: "web-01" };
      const olds = (await p.create({ ...base, createdArtifacts: [{ name: ami }, { name: inst }] }))
        .outs;
      const news = { ...base, createdArtifacts: [{ name: inst }] };
      const { outs } = await p.update("tool/web-01", olds, news);
      assert.deepEqual(outs, { ...news, status: "NOT_REPORTED" });
      const artifacts = await tool.send(
        new ListCreatedArtifactsCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.deepEqual(artifacts.CreatedArtifactList, [{ Name: inst }]);
      assert.equal(em.emulator.stats().requests["migrationhub:DisassociateCreatedArtifact"], 1);
    });

    it("refreshes a managed artifact list across ListCreatedArtifacts pages of 10", async () => {
      const p = await configured(taskProvider, em.emulator);
      const artifacts = Array.from({ length: 12 }, (_, i) => ({
        name: `arn:aws:ec2:us-west-2:123456789012:volume/vol-${i}`,
      }));
      const { outs } = await p.create({
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        createdArtifacts: artifacts,
      });
      const read = await p.read("tool/web-01", outs);
      assert.deepEqual(read.props?.createdArtifacts, artifacts);
      assert.equal(em.emulator.stats().requests["migrationhub:ListCreatedArtifacts"], 2);
    });

    it("reads the task, and returns no ID once its stream was deleted out of band", async () => {
      const p = await configured(taskProvider, em.emulator);
      await p.create({ progressUpdateStream: "tool", migrationTaskName: "web-01" });
      assert.deepEqual(await p.read("tool/web-01", {}), {
        id: "tool/web-01",
        props: {
          progressUpdateStream: "tool",
          migrationTaskName: "web-01",
          status: "NOT_REPORTED",
        },
      });
      await tool.send(new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
      let read = await p.read("tool/web-01", {});
      for (let i = 0; i < 100 && read.id !== undefined; i++) {
        await new Promise((r) => setTimeout(r, 20));
        read = await p.read("tool/web-01", {});
      }
      assert.deepEqual(read, {});
    });

    it("delete only forgets the task: no AWS call, and it says so", async () => {
      const lines: string[] = [];
      const p = await configured(taskProvider, em.emulator, {}, lines);
      await p.create({ progressUpdateStream: "tool", migrationTaskName: "web-01" });
      const before = em.emulator.stats().totalRequests;
      await p.delete("tool/web-01", { progressUpdateStream: "tool", migrationTaskName: "web-01" });
      assert.equal(em.emulator.stats().totalRequests, before);
      assert.equal(
        lines[lines.length - 1],
        '[aws-migration] migrationhub.MigrationTask "tool/web-01": Migration Hub has no API to delete one migration task, so deleting this resource only forgets it; the task is removed with its progress update stream (delete the migrationhub.ProgressUpdateStream to remove it)',
      );
      const described = await tool.send(
        new DescribeMigrationTaskCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "web-01",
        }),
      );
      assert.equal(described.MigrationTask?.MigrationTaskName, "web-01");
    });

    it("polls N waiting tasks with one DescribeMigrationTask each per round (batch size 1)", async () => {
      const n = 10;
      const delayMs = 300;
      const p = await configured(taskProvider, em.emulator, {
        "awsMigration:pollMinDelayMs": String(delayMs),
        "awsMigration:pollMaxDelayMs": String(delayMs),
      });
      const names = Array.from({ length: n }, (_, i) => `web-${i}`);
      const waits = names.map((name) =>
        p.create({
          progressUpdateStream: "tool",
          migrationTaskName: name,
          waitForStatus: "COMPLETED",
        }),
      );
      const describes = (): number =>
        em.emulator.stats().requests["migrationhub:DescribeMigrationTask"] ?? 0;
      for (
        let i = 0;
        i < 200 && (em.emulator.stats().requests["migrationhub:ImportMigrationTask"] ?? 0) < n;
        i++
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      const d0 = describes();
      const windowMs = 3 * delayMs;
      await new Promise((r) => setTimeout(r, windowMs));
      const perRound = ((describes() - d0) * delayMs) / windowMs;
      console.log(
        `      ${n} waiting tasks, batch size 1: ${perRound.toFixed(1)} DescribeMigrationTask calls per ${delayMs} ms poll round`,
      );
      await Promise.all(
        names.map((name) =>
          tool.send(
            new NotifyMigrationTaskStateCommand({
              ProgressUpdateStream: "tool",
              MigrationTaskName: name,
              Task: { Status: "COMPLETED", ProgressPercent: 100 },
              UpdateDateTime: new Date(),
              NextUpdateSeconds: 60,
            }),
          ),
        ),
      );
      const results = await Promise.all(waits);
      assert.deepEqual(new Set(results.map((r) => r.outs.status)), new Set(["COMPLETED"]));
      // ceil(n / 1) = n per round, give or take the rounds that straddle the window's edges.
      assert.ok(perRound >= n * 0.6 && perRound <= n * 1.4, `per round ${perRound}`);
    });
  });
});

describe("migrationhub.MigrationTask at scale with AWS-like rate limits", function () {
  this.timeout(180_000);
  const em = useEmulator({ rateLimits: undefined /* defaults on */, homeRegion: TEST_REGION });

  it("creates 200 tasks concurrently without a throttling failure", async () => {
    const tool = new MigrationHubClient(clientConfig(em.emulator));
    await tool.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "bulk" }));
    const p = await configured(taskProvider, em.emulator);
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        p.create({
          progressUpdateStream: "bulk",
          migrationTaskName: `server-${i}`,
          resourceAttributes: [{ type: "FQDN", value: `server-${i}.example.com` }],
          initialState: { status: "NOT_STARTED" },
        }),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    const stats = em.emulator.stats();
    const throttled = sum(stats.throttled, "migrationhub:");
    console.log(
      `      200 tasks in ${seconds.toFixed(1)} s; throttling errors seen: ${throttled} ${JSON.stringify(stats.throttled)}; requests ${JSON.stringify(stats.requests)}`,
    );
    const failed = results.filter((r) => r.status === "rejected").map((r) => String(r.reason));
    assert.deepEqual(failed, []);
    let listed = 0;
    let token: string | undefined;
    do {
      const page = await tool.send(
        new ListMigrationTasksCommand({ MaxResults: 100, NextToken: token }),
      );
      listed += page.MigrationTaskSummaryList?.length ?? 0;
      token = page.NextToken;
    } while (token);
    assert.equal(listed, 200);
    assert.equal(
      stats.requests["migrationhub:ImportMigrationTask"],
      200 + (stats.throttled["migrationhub:ImportMigrationTask"] ?? 0),
    );
  });
});

describe("migrationhub.MigrationTask under a rate limit below the client's ceiling", function () {
  this.timeout(180_000);
  const em = useEmulator({
    rateLimits: { "migrationhub:*": { ratePerSecond: 10, burst: 20 } },
    homeRegion: TEST_REGION,
  });

  it("backs off adaptively and creates every task", async () => {
    const tool = new MigrationHubClient(clientConfig(em.emulator));
    await tool.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "bulk" }));
    const p = await configured(taskProvider, em.emulator);
    const started = Date.now();
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        p.create({
          progressUpdateStream: "bulk",
          migrationTaskName: `server-${i}`,
          initialState: { status: "NOT_STARTED" },
        }),
      ),
    );
    const stats = em.emulator.stats();
    const throttled = sum(stats.throttled, "migrationhub:");
    console.log(
      `      40 tasks at 10 calls/s per operation in ${((Date.now() - started) / 1000).toFixed(1)} s; throttling errors seen and retried: ${throttled} ${JSON.stringify(stats.throttled)}`,
    );
    assert.deepEqual(
      results.filter((r) => r.status === "rejected").map((r) => String(r.reason)),
      [],
    );
    assert.ok(
      throttled > 0,
      "the limit is below the client's starting rate, so some calls are throttled",
    );
    assert.equal(
      stats.requests["migrationhub:ImportMigrationTask"],
      40 + (stats.throttled["migrationhub:ImportMigrationTask"] ?? 0),
    );
  });
});
