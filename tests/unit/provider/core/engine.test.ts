import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { ImportTask } from "../../../../provider/ads/importTask";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import {
  createWatchdog,
  currentUrn,
  type EngineClientLike,
  engineLink,
  hostEngineAddress,
  type LogEntry,
  scopeProvider,
  urnOf,
} from "../../../../provider/core/engine";
import { ImportTaskFailedError } from "../../../../provider/core/errors";
import { recoveryCommand } from "../../../../provider/core/task/provider";
import { registrations } from "../../../support/mocks";

const URN = "urn:pulumi:dev::demo::pulumi-nodejs:dynamic/ads:ImportTask::servers";

describe("core engine", () => {
  describe("engineLink", () => {
    /** A client whose answers the test gives, one per call, in call order. */
    function client() {
      const calls: { request: unknown; answer(err: Error | null): void }[] = [];
      const c: EngineClientLike = {
        log: (request, _options, callback) => calls.push({ request, answer: callback }),
        getChannel: () => ({ getConnectivityState: () => 0 }),
      };
      return { c, calls };
    }
    const entry = (message: string): LogEntry => ({
      severity: "info",
      message,
      urn: URN,
      ephemeral: false,
    });
    const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

    it("sends one line at a time, in order, and flush waits for the last answer", async () => {
      const { c, calls } = client();
      const link = engineLink(c, (e) => e.message);
      const taken = [link.log(entry("a")), link.log(entry("b"))];
      let flushed = false;
      void link.flush().then(() => (flushed = true));
      await settle();
      assert.deepEqual(
        calls.map((x) => x.request),
        ["a"],
      );
      calls[0]!.answer(null);
      await settle();
      assert.deepEqual(
        calls.map((x) => x.request),
        ["a", "b"],
      );
      assert.equal(flushed, false);
      calls[1]!.answer(new Error("deadline"));
      assert.deepEqual(await Promise.all(taken), [true, false]);
      await settle();
      assert.equal(flushed, true);
      // Reached once: a later refusal does not make the engine unreachable.
      void link.log(entry("c"));
      await settle();
      assert.equal(calls.length, 3);
    });

    it("refuses every line without a call once the first is refused by an engine never reached", async () => {
      const { c, calls } = client();
      const link = engineLink(c, (e) => e.message);
      const first = link.log(entry("a"));
      await settle();
      calls[0]!.answer(new Error("14 UNAVAILABLE: No connection established"));
      assert.deepEqual(await Promise.all([first, link.log(entry("b"))]), [false, false]);
      assert.equal(calls.length, 1);
    });
  });

  describe("createWatchdog", () => {
    function probe() {
      const state = { ppid: 100, ready: false };
      const check = createWatchdog(
        { parentPid: () => state.ppid, engineReady: () => state.ready },
        { graceTicks: 3 },
      );
      return { state, check };
    }

    it("stops the host when its parent process changes", () => {
      const { state, check } = probe();
      assert.equal(check(), undefined);
      state.ppid = 1;
      assert.equal(check(), "its parent process 100 is gone");
    });

    it("never stops for an engine it never reached (a test host, an older CLI)", () => {
      const { check } = probe();
      for (let i = 0; i < 10; i++) assert.equal(check(), undefined);
    });

    it("stops once an engine it reached is unreachable for 3 ticks in a row", () => {
      const { state, check } = probe();
      state.ready = true;
      assert.equal(check(), undefined);
      state.ready = false;
      assert.deepEqual([check(), check()], [undefined, undefined]);
      // A reconnect (the channel idled) starts the count again.
      state.ready = true;
      assert.equal(check(), undefined);
      state.ready = false;
      assert.deepEqual(
        [check(), check(), check()],
        [undefined, undefined, "the Pulumi engine is gone"],
      );
    });
  });

  it("hostEngineAddress reads the engine address only in Pulumi's dynamic-provider host", () => {
    const host = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider";
    assert.equal(
      hostEngineAddress(["node", `${host}/index.js`, "127.0.0.1:4242"]),
      "127.0.0.1:4242",
    );
    assert.equal(hostEngineAddress(["node", host, "127.0.0.1:4242", "x"]), "127.0.0.1:4242");
    assert.equal(hostEngineAddress(["node", `${host}/index.js`]), undefined);
    assert.equal(hostEngineAddress(["node", "/p/node_modules/.bin/mocha", "x.test.ts"]), undefined);
  });

  it("urnOf reads a URN from __urn only", () => {
    assert.equal(urnOf({ __urn: URN }), URN);
    assert.equal(urnOf({ __urn: "servers" }), undefined);
    assert.equal(urnOf({}), undefined);
    assert.equal(urnOf(undefined), undefined);
  });

  describe("scopeProvider", () => {
    /** A provider that records the URN in scope during each call. */
    function impl(fail?: Error) {
      const seen: (string | undefined)[] = [];
      const p: ProviderImplementation = {
        configure: () => Promise.resolve(),
        check: (_o, news) => (
          seen.push(currentUrn()),
          Promise.resolve({ inputs: news, failures: [] })
        ),
        diff: () => (seen.push(currentUrn()), Promise.resolve({ changes: false })),
        create: () => {
          seen.push(currentUrn());
          return fail
            ? Promise.reject(fail)
            : Promise.resolve({ id: "t-1", outs: { status: "X" } });
        },
        read: (id) => (seen.push(currentUrn()), Promise.resolve({ id, props: { status: "X" } })),
        update: () => {
          seen.push(currentUrn());
          return fail ? Promise.reject(fail) : Promise.resolve({ outs: { status: "Y" } });
        },
        delete: () => (seen.push(currentUrn()), Promise.resolve()),
      };
      return { p, seen };
    }

    it("runs each call in its resource's URN scope and keeps __urn in the outputs", async () => {
      const { p, seen } = impl();
      const flushes: string[] = [];
      const scoped = scopeProvider(p, {
        log: () => Promise.resolve(true),
        flush: () => (flushes.push(String(seen.length)), Promise.resolve()),
      });
      const news = { __urn: URN, name: "n" };
      assert.deepEqual(await scoped.check({}, news), { inputs: news, failures: [] });
      await scoped.diff("t-1", { status: "X" }, news);
      assert.deepEqual(await scoped.create(news), { id: "t-1", outs: { status: "X", __urn: URN } });
      assert.deepEqual(await scoped.read("t-1", { __urn: URN }), {
        id: "t-1",
        props: { status: "X", __urn: URN },
      });
      assert.deepEqual(await scoped.update("t-1", { status: "X" }, news), {
        outs: { status: "Y", __urn: URN },
      });
      await scoped.delete("t-1", { __urn: URN });
      assert.deepEqual(seen, [URN, URN, URN, URN, URN, URN]);
      // Every call flushed the engine's lines before it answered.
      assert.deepEqual(flushes, ["1", "2", "3", "4", "5", "6"]);
      assert.equal(currentUrn(), undefined);
    });

    it("changes nothing for state without __urn", async () => {
      const { p, seen } = impl();
      const scoped = scopeProvider(p, undefined);
      assert.deepEqual(await scoped.create({ name: "n" }), { id: "t-1", outs: { status: "X" } });
      assert.deepEqual(await scoped.read("t-1", { status: "X" }), {
        id: "t-1",
        props: { status: "X" },
      });
      assert.deepEqual(seen, [undefined, undefined]);
    });

    it("records a failed task's URN with its properties", async () => {
      const failure = new ImportTaskFailedError({
        id: "t-1",
        properties: { status: "FAILED" },
        reasons: ["import ended in FAILED"],
      });
      const scoped = scopeProvider(impl(failure).p, undefined);
      for (const call of [
        () => scoped.create({ __urn: URN }),
        () => scoped.update("t-1", {}, { __urn: URN }),
      ]) {
        await assert.rejects(call(), (err: unknown) => {
          assert.ok(err instanceof ImportTaskFailedError);
          assert.deepEqual(
            { id: err.id, properties: err.properties, reasons: err.reasons, message: err.message },
            {
              id: "t-1",
              properties: { status: "FAILED", __urn: URN },
              reasons: ["import ended in FAILED"],
              message: "import ended in FAILED",
            },
          );
          return true;
        });
      }
      const other = new Error("boom");
      await assert.rejects(scopeProvider(impl(other).p, undefined).create({ __urn: URN }), other);
    });
  });

  it("recoveryCommand gives the URN and the ID to --import-pending-creates in turn, quoted for the shell", () => {
    assert.equal(
      recoveryCommand(
        "urn:pulumi:dev::demo::my:Wave$pulumi-nodejs:dynamic/ads:ImportTask::o'brien",
        "t-1",
      ),
      "pulumi refresh --import-pending-creates 'urn:pulumi:dev::demo::my:Wave$pulumi-nodejs:dynamic/ads:ImportTask::o'\\''brien' --import-pending-creates 't-1'",
    );
  });

  it("a resource class registers the URN the engine gives it, as a child of nested components too", async () => {
    class Wave extends pulumi.ComponentResource {
      constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("my:Wave", name, {}, opts);
      }
    }
    const args = { name: "servers", importUrl: "s3://b/k.csv" };
    const seen = await registrations(
      () => {
        new ImportTask("top", args);
        const outer = new Wave("outer");
        new ImportTask("child", args, { parent: outer });
        new ImportTask("grandchild", args, { parent: new Wave("inner", { parent: outer }) });
      },
      "demo",
      "dev",
    );
    const urns = seen
      .filter((s) => s.type === "pulumi-nodejs:dynamic/ads:ImportTask")
      .map((s) => String(s.inputs["__urn"]))
      .sort();
    // The engine's rule (pkg/resource/deploy/deployment.go generateURN): the parent's whole
    // qualified type, the root stack's left out.
    assert.deepEqual(urns, [
      "urn:pulumi:dev::demo::my:Wave$my:Wave$pulumi-nodejs:dynamic/ads:ImportTask::grandchild",
      "urn:pulumi:dev::demo::my:Wave$pulumi-nodejs:dynamic/ads:ImportTask::child",
      "urn:pulumi:dev::demo::pulumi-nodejs:dynamic/ads:ImportTask::top",
    ]);
  });
});
