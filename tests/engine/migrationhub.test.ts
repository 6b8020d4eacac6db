/**
 * migrationhub.ProgressUpdateStream and migrationhub.MigrationTask through Pulumi's real
 * dynamic-provider host over gRPC: the resource classes run under setMocks to produce the real
 * serialized `__provider` and inputs, then the host loads that text and serves configure / check /
 * diff / create / read / update / delete against the emulator.
 * Needs a build (`npx tsc -p tsconfig.build.json`): the shim requires dist/provider/migrationhub/*.
 */
import { strict as assert } from "node:assert";
import {
  ImportMigrationTaskCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
} from "@aws-sdk/client-migration-hub";
import { MigrationTask } from "../../provider/migrationhub/migrationTask";
import { ProgressUpdateStream } from "../../provider/migrationhub/progressUpdateStream";
import { hostError, type Props, UNKNOWN, useDynamicHost } from "../support/dynamicHost";
import { clientConfig, TEST_REGION, useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const STREAM_TYPE = "pulumi-nodejs:dynamic/migrationhub:ProgressUpdateStream";
const TASK_TYPE = "pulumi-nodejs:dynamic/migrationhub:MigrationTask";
const STREAM_URN = `urn:pulumi:test::migration::${STREAM_TYPE}::tool`;
const TASK_URN = `urn:pulumi:test::migration::${TASK_TYPE}::web-01`;
const ami = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc";

describe("migrationhub resources through the Pulumi dynamic-provider host", function () {
  this.timeout(60_000);
  const ctx = useEmulator({ homeRegion: TEST_REGION });
  const host = useDynamicHost(ctx, { region: TEST_REGION });
  let streamInputs: Props;
  let taskInputs: Props;
  let objects: { stream: ProgressUpdateStream; task: MigrationTask } | undefined;

  before(async () => {
    const seen = await registrations(() => {
      const stream = new ProgressUpdateStream("tool", { progressUpdateStreamName: "tool" });
      const task = new MigrationTask("web-01", {
        progressUpdateStream: "tool",
        migrationTaskName: "web-01",
        resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.12" }],
        createdArtifacts: [{ name: ami, description: "the AMI" }],
        initialState: { status: "NOT_STARTED" },
      });
      objects = { stream, task };
    });
    assert.deepEqual(
      seen.map((s) => s.type),
      [STREAM_TYPE, TASK_TYPE],
    );
    streamInputs = seen[0]!.inputs;
    taskInputs = seen[1]!.inputs;
  });

  it("registers the inputs and a __provider under 2 KB for each class", () => {
    const sizes = [streamInputs, taskInputs].map((i) => Buffer.byteLength(String(i["__provider"])));
    console.log(
      `      __provider: ProgressUpdateStream ${sizes[0]} bytes, MigrationTask ${sizes[1]} bytes`,
    );
    for (const s of sizes) assert.ok(s < 2048, `__provider is ${s} bytes`);
    assert.match(String(streamInputs["__provider"]), /migrationhub\/progressUpdateStreamProvider/);
    assert.match(String(taskInputs["__provider"]), /migrationhub\/migrationTaskProvider/);
    const { __provider: _s, __urn: streamUrn, ...stream } = streamInputs;
    const { __provider: _t, __urn: taskUrn, ...task } = taskInputs;
    assert.deepEqual([streamUrn, taskUrn], [STREAM_URN, TASK_URN]);
    assert.deepEqual(stream, { progressUpdateStreamName: "tool" });
    assert.deepEqual(task, {
      progressUpdateStream: "tool",
      migrationTaskName: "web-01",
      resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.12" }],
      createdArtifacts: [{ name: ami, description: "the AMI" }],
      initialState: { status: "NOT_STARTED" },
    });
  });

  it("exposes every declared output to programs", () => {
    const { stream, task } = objects!;
    const names = (o: object, keys: string[]): string[] =>
      keys.filter((k) => (o as Record<string, unknown>)[k] === undefined);
    assert.deepEqual(
      names(stream, ["progressUpdateStreamName", "retainOnDelete", "deleteTimeoutMinutes"]),
      [],
    );
    assert.deepEqual(
      names(task, [
        "progressUpdateStream",
        "migrationTaskName",
        "status",
        "statusDetail",
        "progressPercent",
        "updateDateTime",
        "resourceAttributes",
        "createdArtifacts",
      ]),
      [],
    );
  });

  it("check passes valid inputs, skips values unknown in preview, and names each broken rule", async () => {
    assert.deepEqual(await host.check(STREAM_URN, {}, streamInputs), {
      inputs: streamInputs,
      failures: [],
    });
    assert.deepEqual(await host.check(TASK_URN, {}, taskInputs), {
      inputs: taskInputs,
      failures: [],
    });
    const preview = {
      ...taskInputs,
      progressUpdateStream: UNKNOWN,
      createdArtifacts: [{ name: UNKNOWN }],
    };
    assert.deepEqual(await host.check(TASK_URN, {}, preview), { inputs: preview, failures: [] });
    assert.deepEqual(
      (await host.check(STREAM_URN, {}, { ...streamInputs, progressUpdateStreamName: "a:b" }))
        .failures,
      [
        {
          property: "progressUpdateStreamName",
          reason:
            "must match [^/:|\\000-\\037]+ (no '/', ':', '|' or control characters) (got \"a:b\"). Fix: use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name",
        },
      ],
    );
    assert.deepEqual(
      (await host.check(TASK_URN, {}, { ...taskInputs, initialState: { status: "DONE" } }))
        .failures,
      [
        {
          property: "initialState.status",
          reason:
            'must be one of NOT_STARTED, IN_PROGRESS, FAILED, COMPLETED (got "DONE"). Fix: use one of the Migration Hub task statuses',
        },
      ],
    );
  });

  it("create → read → diff → update → delete for the stream and its task, with full outputs", async () => {
    const stream = await host.create(STREAM_URN, streamInputs);
    assert.deepEqual(stream, {
      id: "tool",
      outs: {
        progressUpdateStreamName: "tool",
        retainOnDelete: false,
        __provider: streamInputs["__provider"],
        __urn: STREAM_URN,
      },
    });
    const task = await host.create(TASK_URN, taskInputs);
    assert.equal(task.id, "tool/web-01");
    const { updateDateTime, ...rest } = task.outs;
    assert.match(String(updateDateTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(rest, { ...taskInputs, status: "NOT_STARTED" });

    const read = await host.read(task.id, TASK_URN, task.outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id: task.id, props: task.outs });

    assert.deepEqual(
      await host.diff(task.id, TASK_URN, task.outs, {
        ...taskInputs,
        __provider: `${String(taskInputs["__provider"])}\n// new`,
      }),
      { changes: "NONE", replaces: [], deleteBeforeReplace: false },
    );
    assert.deepEqual(
      await host.diff(task.id, TASK_URN, task.outs, { ...taskInputs, migrationTaskName: UNKNOWN }),
      {
        changes: "SOME",
        replaces: ["migrationTaskName"],
        deleteBeforeReplace: false,
      },
    );
    const news = {
      ...taskInputs,
      resourceAttributes: [{ type: "FQDN", value: "web-01.example.com" }],
    };
    assert.deepEqual(await host.diff(task.id, TASK_URN, task.outs, news), {
      changes: "SOME",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await host.update(task.id, TASK_URN, task.outs, news);
    assert.deepEqual(updated, {
      ...task.outs,
      resourceAttributes: [{ type: "FQDN", value: "web-01.example.com" }],
    });

    const before = ctx.emulator.stats().totalRequests;
    await host.delete(task.id, TASK_URN, updated);
    assert.equal(ctx.emulator.stats().totalRequests, before, "deleting a task makes no AWS call");

    await host.delete(stream.id, STREAM_URN, stream.outs);
    assert.equal(ctx.emulator.stats().requests["migrationhub:DeleteProgressUpdateStream"], 1);
    assert.deepEqual(await host.read(stream.id, STREAM_URN, stream.outs), {
      id: "",
      props: { __provider: streamInputs["__provider"] },
      inputs: {},
    });
    assert.deepEqual(await host.read(task.id, TASK_URN, updated), {
      id: "",
      props: { __provider: taskInputs["__provider"] },
      inputs: {},
    });
  });

  it("a wait that sees FAILED arrives as an init failure carrying the ID, properties with __provider, and the reason", async () => {
    await host.create(STREAM_URN, streamInputs);
    const tool = new MigrationHubClient(clientConfig(ctx.emulator));
    await tool.send(
      new ImportMigrationTaskCommand({ ProgressUpdateStream: "tool", MigrationTaskName: "web-01" }),
    );
    await tool.send(
      new NotifyMigrationTaskStateCommand({
        ProgressUpdateStream: "tool",
        MigrationTaskName: "web-01",
        Task: { Status: "FAILED", StatusDetail: "disk copy failed" },
        UpdateDateTime: new Date(),
        NextUpdateSeconds: 60,
      }),
    );
    const inputs = {
      progressUpdateStream: "tool",
      migrationTaskName: "web-01",
      waitForStatus: "COMPLETED",
      __provider: taskInputs["__provider"],
    };
    const err = await hostError(host.create(TASK_URN, inputs));
    assert.ok(err.initFailure, err.message);
    const { id, properties, reasons } = err.initFailure;
    assert.equal(id, "tool/web-01");
    const { updateDateTime, ...rest } = properties;
    assert.equal(typeof updateDateTime, "string");
    assert.deepEqual(rest, { ...inputs, status: "FAILED", statusDetail: "disk copy failed" });
    assert.deepEqual(reasons, [
      'migrationhub.MigrationTask "tool/web-01": a migration tool reported FAILED: disk copy failed after 1 polls (FAILED) while waiting for COMPLETED. Fix the migration in the tool; the next `pulumi up` waits again once the tool reports progress.',
    ]);
    assert.equal(err.initFailure.message, reasons[0]);
    // The next `pulumi up` updates (re-checks the wait) instead of replacing the same-named task.
    assert.deepEqual(await host.diff(id, TASK_URN, properties, inputs), {
      changes: "SOME",
      replaces: [],
      deleteBeforeReplace: false,
    });
    await host.delete(id, TASK_URN, properties);
  });
});
