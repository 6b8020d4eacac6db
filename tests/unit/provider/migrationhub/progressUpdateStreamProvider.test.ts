import { strict as assert } from "node:assert";
import {
  type AwsApiError,
  isAwsApiError,
  isWaiterTimeoutError,
  type WaiterTimeoutError,
} from "../../../../provider/core/errors";
import { createProvider } from "../../../../provider/migrationhub/progressUpdateStreamProvider";
import { awsError, FakeMigrationHub, hubProvider } from "./fakeApi";
import { rejection } from "../../../support/rejection";

function setup() {
  return hubProvider(createProvider, new FakeMigrationHub(), 0, {
    "awsMigration:pollMinDelayMs": "1000",
    "awsMigration:pollMaxDelayMs": "4000",
  });
}

const R = '[aws-migration] migrationhub.ProgressUpdateStream "tool"';

describe("migrationhub.ProgressUpdateStream provider", () => {
  describe("create", () => {
    it("lists, creates the stream and uses its name as the ID", async () => {
      const { hub, provider, lines } = await setup();
      assert.deepEqual(
        await provider.create({ progressUpdateStreamName: "tool", __provider: "P" }),
        {
          id: "tool",
          outs: { progressUpdateStreamName: "tool", retainOnDelete: false },
        },
      );
      assert.deepEqual(hub.calls, ["ListProgressUpdateStreams", "CreateProgressUpdateStream tool"]);
      assert.deepEqual(lines, [`${R}: created (CreateProgressUpdateStream)`]);
    });

    it("adopts an existing stream with a warning and does not create it again", async () => {
      const { hub, provider, lines } = await setup();
      hub.streams.add("tool");
      const result = await provider.create({
        progressUpdateStreamName: "tool",
        retainOnDelete: true,
      });
      assert.deepEqual(result, {
        id: "tool",
        outs: { progressUpdateStreamName: "tool", retainOnDelete: true },
      });
      assert.deepEqual(hub.calls, ["ListProgressUpdateStreams"]);
      assert.deepEqual(lines, [
        `${R}: the stream already exists and is adopted; deleting this resource deletes the stream and every migration task in it (set retainOnDelete: true to keep them)`,
      ]);
    });

    it("explains a missing home region", async () => {
      const { hub, provider } = await setup();
      hub.failures.set("ListProgressUpdateStreams", [
        awsError(
          "HomeRegionNotSetException",
          "The home region is not set. Set the home region to continue.",
        ),
      ]);
      const err = (await rejection(
        provider.create({ progressUpdateStreamName: "tool" }),
      )) as AwsApiError;
      assert.equal(isAwsApiError(err), true);
      assert.deepEqual(
        { code: err.code, httpStatus: err.httpStatus, message: err.message },
        {
          code: "HomeRegionNotSetException",
          httpStatus: 400,
          message:
            "migrationhub ListProgressUpdateStreams failed: HomeRegionNotSetException (HTTP 400, request req-1): The home region is not set. Set the home region to continue. Migration Hub has no home region for this account (aws:region is us-west-2). Set one with Migration Hub Config CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again.",
        },
      );
    });
  });

  describe("read", () => {
    it("returns the outputs while the stream is listed and no ID once it is not", async () => {
      const { hub, provider } = await setup();
      hub.streams.add("tool");
      assert.deepEqual(
        await provider.read("tool", { progressUpdateStreamName: "tool", retainOnDelete: true }),
        {
          id: "tool",
          props: { progressUpdateStreamName: "tool", retainOnDelete: true },
        },
      );
      hub.streams.delete("tool");
      assert.deepEqual(await provider.read("tool", { progressUpdateStreamName: "tool" }), {});
    });

    it("answers many same-turn reads with one listing", async () => {
      const { hub, provider } = await setup();
      hub.streams.add("a");
      hub.streams.add("c");
      const results = await Promise.all(["a", "b", "c"].map((n) => provider.read(n, {})));
      assert.deepEqual(
        results.map((r) => r.id),
        ["a", undefined, "c"],
      );
      assert.deepEqual(hub.calls, ["ListProgressUpdateStreams"]);
    });
  });

  describe("update", () => {
    it("changes only the delete options and makes no AWS call", async () => {
      const { hub, provider } = await setup();
      const result = await provider.update(
        "tool",
        { progressUpdateStreamName: "tool", retainOnDelete: false },
        { progressUpdateStreamName: "tool", retainOnDelete: true },
      );
      assert.deepEqual(result, {
        outs: { progressUpdateStreamName: "tool", retainOnDelete: true },
      });
      assert.deepEqual(hub.calls, []);
    });
  });

  describe("delete", () => {
    it("deletes the stream and waits until it is no longer listed", async () => {
      const { hub, provider, clock, lines } = await setup();
      hub.streams.add("tool");
      hub.deleting.set("tool", 2);
      await provider.delete("tool", { progressUpdateStreamName: "tool", retainOnDelete: false });
      assert.deepEqual(hub.calls, [
        "DeleteProgressUpdateStream tool",
        "ListProgressUpdateStreams",
        "ListProgressUpdateStreams",
        "ListProgressUpdateStreams",
      ]);
      assert.deepEqual(
        clock.sleeps.filter((ms) => ms >= 1000),
        [1000, 1000],
      );
      assert.deepEqual(lines, [
        `${R}: deleting the stream and its migration tasks; waiting until it is gone`,
        `${R}: DELETING (poll 1)`,
        `${R}: DELETING (poll 2)`,
        `${R}: GONE (poll 3)`,
        `${R}: deleted after 3 polls`,
      ]);
    });

    it("keeps a retained stream and makes no AWS call", async () => {
      const { hub, provider, lines } = await setup();
      hub.streams.add("tool");
      await provider.delete("tool", { progressUpdateStreamName: "tool", retainOnDelete: true });
      assert.deepEqual(hub.calls, []);
      assert.deepEqual(lines, [
        `${R}: retainOnDelete is true: the stream and its migration tasks are kept in Migration Hub`,
      ]);
    });

    it("succeeds when the stream is already gone", async () => {
      const { hub, provider, lines } = await setup();
      await provider.delete("tool", { progressUpdateStreamName: "tool" });
      assert.deepEqual(hub.calls, ["DeleteProgressUpdateStream tool"]);
      assert.deepEqual(lines, [`${R}: already gone`]);
    });

    it("keeps waiting when a repeated delete finds the stream still deleting", async () => {
      const { hub, provider } = await setup();
      hub.deleting.set("tool", 2);
      hub.failures.set("DeleteProgressUpdateStream", [
        awsError("InvalidInputException", "Stream tool is being deleted."),
      ]);
      await provider.delete("tool", { progressUpdateStreamName: "tool" });
      assert.deepEqual(hub.calls, [
        "DeleteProgressUpdateStream tool",
        "ListProgressUpdateStreams",
        "ListProgressUpdateStreams",
        "ListProgressUpdateStreams",
      ]);
    });

    it("fails with a WaiterTimeoutError that says to run again when the deletion outlasts the limit", async () => {
      const { hub, provider } = await setup();
      hub.streams.add("tool");
      hub.deleting.set("tool", 1000);
      const err = (await rejection(
        provider.delete("tool", { progressUpdateStreamName: "tool", deleteTimeoutMinutes: 1 }),
      )) as WaiterTimeoutError;
      assert.equal(isWaiterTimeoutError(err), true);
      assert.deepEqual(
        { elapsedMs: err.elapsedMs, limitMs: err.limitMs, polls: err.observed.length },
        { elapsedMs: 60_000, limitMs: 60_000, polls: 61 },
      );
      assert.match(
        err.message,
        /^migrationhub\.ProgressUpdateStream "tool" is still DELETING after 60s \(limit 60s; observed DELETING×61\)\. Migration Hub is still deleting the stream and its tasks; run `pulumi destroy` \(or `up`\) again to keep waiting, or raise deleteTimeoutMinutes\.$/,
      );
    });

    it("waits 30 minutes for the deletion unless deleteTimeoutMinutes says otherwise", async () => {
      const limits: (number | false)[] = [];
      for (const deleteTimeoutMinutes of [undefined, 2]) {
        const { hub, provider } = await setup();
        hub.streams.add("tool");
        hub.deleting.set("tool", 10_000);
        const props = { progressUpdateStreamName: "tool", deleteTimeoutMinutes };
        const err = (await rejection(provider.delete("tool", props))) as WaiterTimeoutError;
        limits.push(isWaiterTimeoutError(err) && err.limitMs);
      }
      assert.deepEqual(limits, [1_800_000, 120_000]);
    });

    it("fails at once on a non-retryable error", async () => {
      const { hub, provider } = await setup();
      hub.streams.add("tool");
      hub.failures.set("DeleteProgressUpdateStream", [awsError("AccessDeniedException", "no")]);
      const err = (await rejection(
        provider.delete("tool", { progressUpdateStreamName: "tool" }),
      )) as AwsApiError;
      assert.deepEqual(
        { code: err.code, operation: err.operation },
        { code: "AccessDeniedException", operation: "DeleteProgressUpdateStream" },
      );
      assert.deepEqual(hub.calls, ["DeleteProgressUpdateStream tool"]);
    });
  });
});
