import { strict as assert } from "node:assert";
import { ManualClock } from "../../../support/manualClock";
import { bindProvider, type ProviderImplementation } from "../../../../provider/core/dynamic";
import { createRuntime } from "../../../../provider/core/runtime";

class Impl implements ProviderImplementation {
  region = "unset";
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    this.region = req.config.get("aws:region") ?? "none";
    return Promise.resolve();
  }
  check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    return Promise.resolve({ inputs: news, failures: [] });
  }
  diff() {
    return Promise.resolve({ changes: false });
  }
  create(inputs: Record<string, unknown>) {
    return Promise.resolve({ id: `id-${this.region}`, outs: inputs });
  }
  read(id: string, props: Record<string, unknown>) {
    return Promise.resolve({ id, props });
  }
  update(_id: string, _olds: Record<string, unknown>, news: Record<string, unknown>) {
    return Promise.resolve({ outs: news });
  }
  delete() {
    return Promise.resolve();
  }
}

describe("core dynamic", () => {
  it("binds every method so the host can call them detached", async () => {
    const bound = bindProvider(new Impl());
    const { configure, create } = bound;
    await configure({ config: { get: () => "eu-west-1" } });
    assert.deepEqual(await create({ a: 1 }), { id: "id-eu-west-1", outs: { a: 1 } });
    assert.deepEqual(Object.keys(bound).sort(), [
      "check",
      "configure",
      "create",
      "delete",
      "diff",
      "read",
      "update",
    ]);
  });
});

describe("core runtime", () => {
  it("defaults to 5 concurrent starts and a fresh throttle", () => {
    const rt = createRuntime();
    assert.equal(rt.startLimiter.max, 5);
    assert.equal(rt.throttle.rate, 50);
    assert.deepEqual(rt.settings, { endpoints: {} });
    assert.equal(rt.random, Math.random);
  });

  it("sizes the start limiter from settings and keeps overrides", () => {
    const clock = new ManualClock();
    const rt = createRuntime({ settings: { endpoints: {}, maxConcurrentStarts: 2 }, clock });
    assert.equal(rt.startLimiter.max, 2);
    assert.equal(rt.clock, clock);
  });
});
