import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { isAwsApiError, withAdvice } from "../../../../provider/core/errors";
import type { Logger } from "../../../../provider/core/log";
import {
  createLifecycleProvider,
  type Lifecycle,
  specRules,
} from "../../../../provider/core/task/lifecycle";
import type { PropertyTable } from "../../../../provider/core/task/properties";
import type { AwsCaller, ServiceSpec } from "../../../../provider/core/task/spec";
import { rejection } from "../../../support/rejection";

interface ThingInputs {
  name: string;
  tags?: string[];
  size?: number;
  keep?: boolean;
}

/** A fake api: each describe waits for `release()` so a test can count calls in flight. */
class FakeThings {
  readonly described: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private waiting: Array<() => void> = [];
  constructor(
    readonly call: AwsCaller,
    readonly hold = false,
  ) {}

  async describe(id: string): Promise<string | undefined> {
    this.described.push(id);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.hold) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.inFlight--;
    return id.startsWith("gone") ? undefined : `thing ${id}`;
  }

  release(): void {
    const all = this.waiting;
    this.waiting = [];
    for (const r of all) r();
  }

  fail(code: string): Promise<void> {
    return this.call("PutThing", () => {
      const err = new Error("nope") as Error & { $metadata: { httpStatusCode: number } };
      err.name = code;
      err.$metadata = { httpStatusCode: 400 };
      return Promise.reject(err);
    });
  }
}

const properties: PropertyTable<ThingInputs> = {
  name: { rule: { kind: "string", required: true, fix: "name it" }, change: "replace" },
  tags: {
    rule: { kind: "custom" },
    checkNested: (news) => (news["tags"] === "x" ? [{ property: "tags[0]", reason: "is x" }] : []),
    change: "update",
  },
  size: { rule: { kind: "integer", min: 1 }, change: "update" },
  keep: { rule: { kind: "boolean" }, change: "update", default: false },
};

function spec(concurrency?: number): ServiceSpec<ThingInputs, string, FakeThings> {
  return {
    service: "migrationhub",
    className: "Thing",
    properties,
    checkMore: (news) =>
      news["keep"] === true && news["size"] !== undefined
        ? [{ property: "size", reason: "has no effect with keep" }]
        : [],
    diffMore: (olds) => (olds["state"] === "STUCK" ? { changes: true } : {}),
    createApi: (_settings, call) => new FakeThings(call),
    describe: {
      operation: "DescribeThing",
      batchSize: 1,
      viaCaller: true,
      ...(concurrency === undefined ? {} : { concurrency }),
      async call(api, ids) {
        const out = new Map<string, string>();
        for (const id of ids) {
          const found = await api.describe(id);
          if (found !== undefined) out.set(id, found);
        }
        return out;
      },
    },
    poll: { minDelayMs: 1000, maxDelayMs: 1000, gridMs: 1 },
    statusOf: (t) => (t === undefined ? "GONE" : "THERE"),
    acceptors: () => [{ verdict: "success", matches: (t) => t === undefined }],
    name: (inputs, id) => id ?? inputs.name,
    explain: (err) => (isAwsApiError(err) ? withAdvice(err, "Try the other region.") : err),
  };
}

/** Echoes what it was called with, so tests see the context the core handed it. */
const lifecycle: Lifecycle<FakeThings, unknown, string> = {
  async create(ctx, raw) {
    const name = String(raw["name"]);
    return { id: name, outs: { name, found: (await ctx.describe(name)) ?? "none" } };
  },
  async read(ctx, id) {
    const found = await ctx.describe(id);
    return found === undefined ? {} : { id, props: { found } };
  },
  update: (ctx, id, _olds, news) =>
    Promise.resolve({ outs: { ...news, subject: ctx.subject(news, id) } }),
  delete: (ctx) => ctx.api.fail("AccessDeniedException"),
};

function setup(concurrency?: number, hold = false) {
  const clock = new ManualClock({ start: 0, autoAdvance: true });
  const silent: Logger = { info: () => {}, warn: () => {}, progress: () => {} };
  let api: FakeThings | undefined;
  const provider = createLifecycleProvider(spec(concurrency), lifecycle, {
    clock,
    random: () => 0,
    logger: silent,
    env: {},
    api: (_settings, call) => (api = new FakeThings(call, hold)),
  });
  return { provider, api: () => api as FakeThings };
}

const config = { config: { get: (k: string) => (k === "aws:region" ? "us-west-2" : undefined) } };

describe("core/task lifecycle provider", () => {
  describe("specRules", () => {
    it("checks the table's rules in table order (nested rules in their place), then checkMore", () => {
      assert.deepEqual(specRules(spec()).check({ tags: "x", size: 0, keep: true }), [
        { property: "name", reason: "is required. Fix: name it" },
        { property: "tags[0]", reason: "is x" },
        { property: "size", reason: "must be at least 1 (got 0)" },
        { property: "size", reason: "has no effect with keep" },
      ]);
    });

    it("merges diffMore into the table's diff and never reports deleteBeforeReplace", () => {
      const olds = { name: "a", keep: false, state: "OK", __provider: "x" };
      assert.deepEqual(
        [
          specRules(spec()).diff(olds, { name: "a", __provider: "y" }),
          specRules(spec()).diff(olds, { name: "b" }),
          specRules(spec()).diff({ ...olds, state: "STUCK" }, { name: "a" }),
        ],
        [
          { changes: false, replaces: [] },
          { changes: true, replaces: ["name"] },
          { changes: true, replaces: [] },
        ],
      );
    });
  });

  describe("createLifecycleProvider", () => {
    it("answers check and diff from the spec", async () => {
      const { provider } = setup();
      await provider.configure(config);
      assert.deepEqual(await provider.check({}, { name: "a", size: 2 }), {
        inputs: { name: "a", size: 2 },
        failures: [],
      });
      assert.deepEqual(await provider.diff("a", { name: "a" }, { name: "a", keep: true }), {
        changes: true,
        replaces: [],
        detailedDiff: { keep: { kind: "update", inputDiff: true } },
      });
    });

    it("hands every operation one context: the shared describe merges same-turn calls", async () => {
      const { provider, api } = setup();
      await provider.configure(config);
      const [created, read, gone] = await Promise.all([
        provider.create({ name: "a" }),
        provider.read("a", {}),
        provider.read("gone-1", {}),
      ]);
      assert.deepEqual(created, { id: "a", outs: { name: "a", found: "thing a" } });
      assert.deepEqual(read, { id: "a", props: { found: "thing a" } });
      assert.deepEqual(gone, {});
      assert.deepEqual(api().described, ["a", "gone-1"]);
      assert.deepEqual(await provider.update("a", {}, { name: "a" }), {
        outs: { name: "a", subject: 'migrationhub.Thing "a"' },
      });
    });

    it("routes the api's calls through the one caller, which adds the spec's advice", async () => {
      const { provider } = setup();
      const err = (await rejection(provider.delete("a", {}))) as Error;
      assert.equal(isAwsApiError(err), true);
      assert.equal(
        err.message,
        "migrationhub PutThing failed: AccessDeniedException (HTTP 400): nope. Try the other region.",
      );
    });

    it("keeps at most DescribeSpec.concurrency describes in flight", async () => {
      const { provider, api } = setup(2, true);
      await provider.configure(config);
      const reads = ["a", "b", "c", "d", "e"].map((id) => provider.read(id, {}));
      for (let i = 0; i < 20 && api().described.length < 5; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        api().release();
      }
      assert.deepEqual(
        (await Promise.all(reads)).map((r) => r.id),
        ["a", "b", "c", "d", "e"],
      );
      assert.equal(api().maxInFlight, 2);
    });
  });
});
