import { strict as assert } from "node:assert";
import { type PropertyTable } from "../../../../provider/core/task/properties";
import { createTaskProvider } from "../../../../provider/core/task/provider";
import type { PollDelays, TaskSpec } from "../../../../provider/core/task/spec";
import { configSource, manualClock, recordingLogger } from "../../../support/harness";

/** A job that is done once the clock reaches `doneAt`. */
interface Job {
  jobId: string;
  state: string;
}

interface Inputs {
  label?: string;
}

const properties: PropertyTable<Inputs> = {
  label: { rule: { kind: "string", required: true }, change: "replace" },
};

/** The task core with a fake API whose jobs end at given times; every describe is recorded. */
function setup(poll: PollDelays, doneAt: Record<string, number>) {
  const clock = manualClock(0, false);
  const describes: Array<[number, string[]]> = [];
  const state = (id: string): string => (clock.now() >= (doneAt[id] ?? 0) ? "DONE" : "RUNNING");
  const api = {
    describe(ids: readonly string[]): Promise<ReadonlyMap<string, Job>> {
      describes.push([clock.now(), [...ids]]);
      return Promise.resolve(new Map(ids.map((id) => [id, { jobId: id, state: state(id) }])));
    },
  };
  const spec: TaskSpec<Inputs, Job, typeof api> = {
    service: "ads",
    className: "PollJob",
    properties,
    createApi: () => {
      throw new Error("the test injects the api");
    },
    describe: { operation: "DescribeJobs", batchSize: 100, call: (a, ids) => a.describe(ids) },
    poll,
    idOf: (j) => j.jobId,
    statusOf: (j) => j?.state ?? "GONE",
    classify: (s) => (s === "DONE" ? "success" : s === "RUNNING" ? "pending" : "failure"),
    acceptors: () => [{ verdict: "success", matches: (j) => j?.state === "DONE" }],
    fallbackToken: (inputs) => inputs.label ?? "",
    successorToken: (token, failed) => `${token}+${failed}`,
    start: (_ctx, inputs) => Promise.resolve({ jobId: inputs.label ?? "", state: "RUNNING" }),
    toOutputs: (_raw, job) => ({ jobId: job.jobId, status: job.state }),
    outputs: ["jobId", "status"],
    name: (inputs, id) => inputs.label ?? id ?? "(new)",
    failureMessage: (inputs) => `job ${inputs.label ?? ""} failed`,
  };
  // random 0.5 would halve every jittered delay: the waits must not use it.
  const provider = createTaskProvider(spec, {
    clock,
    random: () => 0.5,
    logger: recordingLogger().logger,
    api: () => api,
    env: {},
  });
  return { provider, clock, describes };
}

async function createAll(
  setupResult: ReturnType<typeof setup>,
  labels: readonly string[],
  untilMs: number,
): Promise<void> {
  const { provider, clock } = setupResult;
  await provider.configure(configSource({ "aws:region": "eu-west-1" }));
  const creates = Promise.all(labels.map((label) => provider.create({ label })));
  await clock.advance(untilMs);
  await creates;
}

describe("core/task poll schedule (waitTask over the shared rounds)", () => {
  it("a lone wait sleeps its backoff's ceiling, min · 2^k up to max, without jitter", async () => {
    const s = setup({ minDelayMs: 1000, maxDelayMs: 4000, gridMs: 1000 }, { a: 12_000 });
    await createAll(s, ["a"], 20_000);
    // Polls at 0, then after 1, 2, 4, 4, 4 s: at 1, 3, 7, 11 and 15 s (done at 12 s).
    assert.deepEqual(
      s.describes.map(([at]) => at),
      [0, 1000, 3000, 7000, 11_000, 15_000],
    );
  });

  it("three waits share a round every shareMs / 3 once their own delays have grown past it", async () => {
    const s = setup(
      { minDelayMs: 1000, maxDelayMs: 60_000, gridMs: 1000, shareMs: 9000 },
      { a: 20_000, b: 20_000, c: 20_000 },
    );
    await createAll(s, ["a", "b", "c"], 30_000);
    // First polls together at 0; own delays 1, 2 s (rounds at 1 and 3 s), then the shared rounds
    // every 9 s / 3 = 3 s (before the own 4 s delay): at 6, 9 ... 21 s, where all three are done.
    assert.deepEqual(s.describes, [
      [0, ["a", "b", "c"]],
      [1000, ["a", "b", "c"]],
      [3000, ["a", "b", "c"]],
      [6000, ["a", "b", "c"]],
      [9000, ["a", "b", "c"]],
      [12_000, ["a", "b", "c"]],
      [15_000, ["a", "b", "c"]],
      [18_000, ["a", "b", "c"]],
      [21_000, ["a", "b", "c"]],
    ]);
  });
});
