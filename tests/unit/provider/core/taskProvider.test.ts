import { strict as assert } from "node:assert";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import {
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
  withAdvice,
} from "../../../../provider/core/errors";
import { echoOutputs, type PropertyTable } from "../../../../provider/core/task/properties";
import { createTaskProvider, diffTask } from "../../../../provider/core/task/provider";
import { registration, shimPath } from "../../../../provider/core/register";
import type { Acceptor } from "../../../../provider/core/waiter";
import type { TaskHooks, TaskSpec } from "../../../../provider/core/task/spec";
import {
  configSource,
  infoLines,
  type Line,
  type ManualClock,
  manualClock,
  recordingLogger,
  serverError,
  throttlingError,
} from "../../../support/harness";
import { rejection } from "../../../support/rejection";
import { ScriptedTasks } from "../../../support/scriptedTasks";

/** A fake service's job: `state` walks RUNNING → DONE (or FAILED). */
interface Job {
  jobId: string;
  state: string;
  label?: string;
}

interface JobInputs {
  label?: string;
  token?: string;
  adoptJobId?: string;
  waitForCompletion?: boolean;
  waitTimeoutMinutes?: number;
  retainOnDelete?: boolean;
}

type Call = { op: "start"; token: string } | { op: "describe"; ids: string[] };

/** A fake service on the shared task store: jobs walk their states one per describe. */
class FakeJobs {
  readonly calls: Call[] = [];
  readonly store = new ScriptedTasks<string>({
    idFor: (n) => `job-${n}`,
    script: () => ["RUNNING", "DONE"],
    gone: (state) => state === "GONE",
  });
  /** States the next started jobs walk. */
  readonly scripts = this.store.scripts;
  readonly startErrors: Error[] = [];
  readonly jobs = {
    set: (id: string, states: string[]): unknown => this.store.add(id, states, undefined),
  };

  start(label: string, token: string): Promise<Job> {
    this.calls.push({ op: "start", token });
    const err = this.startErrors.shift();
    if (err !== undefined) return Promise.reject(err);
    const { id } = this.store.start(token, () => undefined);
    return Promise.resolve({ jobId: id, state: this.store.current(id)!, label });
  }

  describe(ids: readonly string[]): Promise<ReadonlyMap<string, Job>> {
    this.calls.push({ op: "describe", ids: [...ids] });
    const out = new Map<string, Job>();
    for (const [id, state] of this.store.describeAll(ids)) out.set(id, { jobId: id, state });
    return Promise.resolve(out);
  }
}

const BOOLEAN = { kind: "boolean" } as const;
const properties: PropertyTable<JobInputs> = {
  label: {
    rule: { kind: "string", required: true },
    requiredUnless: "adoptJobId",
    change: "replace",
  },
  token: { rule: { kind: "string" }, change: "update" },
  adoptJobId: { rule: { kind: "string" }, change: "replace" },
  waitForCompletion: { rule: BOOLEAN, change: "update", default: true },
  waitTimeoutMinutes: { rule: { kind: "integer", min: 1 }, change: "update", default: 1 },
  retainOnDelete: { rule: BOOLEAN, change: "update", default: false },
};

const classify = (state: string): "pending" | "success" | "failure" =>
  state === "DONE" ? "success" : state === "RUNNING" ? "pending" : "failure";

function fakeSpec(
  hooks: TaskHooks<JobInputs, Job, FakeJobs> = {},
): TaskSpec<JobInputs, Job, FakeJobs> {
  const createAcceptors: Acceptor<Job | undefined>[] = [
    { verdict: "success", matches: (j) => j?.state === "DONE" },
    { verdict: "failure", matches: (j) => classify(j?.state ?? "GONE") === "failure" },
  ];
  return {
    service: "ads",
    className: "FakeJob",
    properties,
    checkMore: (news) => (news["label"] === "bad" ? [{ property: "label", reason: "is bad" }] : []),
    createApi: () => {
      throw new Error("tests inject the api");
    },
    describe: { operation: "DescribeJobs", batchSize: 2, call: (api, ids) => api.describe(ids) },
    poll: { minDelayMs: 1000, maxDelayMs: 1000, gridMs: 1000 },
    idOf: (j) => j.jobId,
    statusOf: (j) => j?.state ?? "GONE",
    statusOutput: "state",
    classify,
    acceptors: (phase) =>
      phase === "create"
        ? createAcceptors
        : [{ verdict: "success", matches: (j) => j === undefined }],
    adoptProperty: "adoptJobId",
    adoptWarnings: (inputs, job) =>
      inputs.label !== undefined && job.label !== inputs.label ? ["label differs"] : [],
    tokenProperty: "token",
    fallbackToken: (inputs) => `fallback-${inputs.label ?? ""}`,
    successorToken: (token, failed) => `${token}+${failed}`,
    start: (ctx, inputs, token) =>
      ctx.aws("StartJob", () => ctx.api.start(inputs.label ?? "", token)),
    toOutputs: (raw, job, extra) => ({
      ...echoOutputs(properties, raw, job, ["jobId", "state"]),
      ...extra,
    }),
    outputs: ["jobId", "state"],
    secretOutputs: ["state"],
    name: (inputs, id) => inputs.label ?? id ?? "(new)",
    failureMessage: (inputs, last, wait, id) =>
      `job ${inputs.label ?? id} ended ${last?.state ?? "GONE"} after ${wait.polls} polls`,
    explain: (err) =>
      isAwsApiError(err) && err.code === "NoHomeException" ? withAdvice(err, "Set a home.") : err,
    hooks,
  };
}

async function setup(
  spec = fakeSpec(),
): Promise<{ provider: ProviderImplementation; api: FakeJobs; clock: ManualClock; lines: Line[] }> {
  const api = new FakeJobs();
  const clock = manualClock(0);
  const { logger, lines } = recordingLogger();
  const provider = createTaskProvider(spec, {
    clock,
    random: () => 0.5,
    logger,
    api: () => api,
    env: {},
  });
  await provider.configure(configSource({ "aws:region": "eu-west-1" }));
  return { provider, api, clock, lines };
}

const INPUTS = { label: "one", token: "t-1", __provider: "shim" };
const info = infoLines;

describe("core/task lifecycle (fake spec, manual clock)", () => {
  describe("create", () => {
    it("starts with the token, waits on the shared poller and returns the spec's outputs", async () => {
      const { provider, api, clock, lines } = await setup();
      api.scripts.push(["RUNNING", "RUNNING", "DONE"]);
      const result = await provider.create(INPUTS);
      assert.deepEqual(result, { id: "job-1", outs: { ...INPUTS, jobId: "job-1", state: "DONE" } });
      assert.deepEqual(api.calls, [
        { op: "start", token: "t-1" },
        { op: "describe", ids: ["job-1"] },
        { op: "describe", ids: ["job-1"] },
        { op: "describe", ids: ["job-1"] },
      ]);
      // 20 ms throttle spacing puts poll 1 off the 1 s grid; its back-off is stretched to it.
      assert.deepEqual(clock.sleeps, [20, 1980, 1000]);
      assert.deepEqual(info(lines), ["started job-1 (RUNNING)", "job-1 DONE"]);
    });

    it("without a token input uses the spec's fallback token", async () => {
      const { provider, api } = await setup();
      await provider.create({ label: "x" });
      assert.deepEqual(api.calls[0], { op: "start", token: "fallback-x" });
    });

    it("with waitForCompletion false returns after the start", async () => {
      const { provider, api } = await setup();
      const result = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.equal(result.outs["state"], "RUNNING");
      assert.deepEqual(
        api.calls.map((c) => c.op),
        ["start"],
      );
    });

    it("steps past a failed task with successor tokens, and gives up after 11 with the ID", async () => {
      const { provider, api, lines } = await setup();
      api.scripts.push(["FAILED"], ["DONE"]);
      const ok = await provider.create(INPUTS);
      assert.equal(ok.id, "job-2");
      assert.deepEqual(info(lines).slice(0, 2), [
        "job-1 for this token already ended in FAILED; starting a new import",
        "started job-2 (DONE)",
      ]);
      const again = await setup();
      for (let i = 0; i < 11; i++) again.api.scripts.push(["FAILED"]);
      const err = await rejection(again.provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, "job-11");
      assert.deepEqual(err.properties, { ...INPUTS, jobId: "job-11", state: "FAILED" });
      assert.equal(
        err.message,
        `ads.FakeJob "one": 11 tasks for this resource's token ended in failure (last job-11: FAILED). Fix the inputs, then run \`pulumi up\` again.`,
      );
    });

    it("after a retried start, reports the failed task the token returns as this create's own; a throttled retry still steps past an earlier run's", async () => {
      const { provider, api, lines } = await setup();
      // The first attempt started job-1, which failed at once; a 5xx lost the answer.
      api.scripts.push(["FAILED"]);
      api.store.lostAnswers.push(serverError("awsJson1_1"));
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, "job-1");
      assert.deepEqual(err.properties, { ...INPUTS, jobId: "job-1", state: "FAILED" });
      assert.deepEqual(err.reasons, ["job one ended FAILED after 1 polls"]);
      assert.deepEqual(info(lines), ["started job-1 (FAILED)"]);
      // A throttled attempt never reached AWS: job-1 is then an earlier run's failure.
      api.startErrors.push(throttlingError("awsJson1_1"));
      const again = await provider.create(INPUTS);
      assert.equal(again.id, "job-2");
      assert.deepEqual(
        api.calls.filter((c) => c.op === "start").map((c) => (c as { token: string }).token),
        ["t-1", "t-1", "t-1", "t-1", "t-1+job-1"],
      );
    });

    it("records a failed wait with the ID, outputs, __provider and the spec's failure report", async () => {
      const { provider, api } = await setup();
      api.scripts.push(["RUNNING", "BROKEN"]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, "job-1");
      assert.deepEqual(err.properties, { ...INPUTS, jobId: "job-1", state: "BROKEN" });
      assert.deepEqual(err.reasons, ["job one ended BROKEN after 2 polls"]);
    });

    it("marks a task that vanished mid-wait as gone in the recorded outputs (statusOutput)", async () => {
      const { provider, api } = await setup();
      api.scripts.push(["RUNNING", "GONE"]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.properties["state"], "GONE");
      assert.deepEqual(err.reasons, ["job one ended GONE after 2 polls"]);
    });

    it("times out with the ID recorded; update() resumes the wait without a second start", async () => {
      const { provider, api } = await setup();
      api.scripts.push(["RUNNING"]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, "job-1");
      assert.equal(err.properties["__provider"], "shim");
      assert.match(
        err.reasons[0]!,
        /^ads\.FakeJob "one": import job-1 is still RUNNING after 60s \(limit 60s;/,
      );
      api.jobs.set("job-1", ["RUNNING", "DONE"]);
      const { outs } = await provider.update("job-1", err.properties, INPUTS);
      assert.deepEqual(outs, { ...INPUTS, jobId: "job-1", state: "DONE" });
      assert.equal(api.calls.filter((c) => c.op === "start").length, 1);
    });

    it("shares describe rounds between concurrent waits, batchSize IDs per call", async () => {
      const { provider, api } = await setup();
      for (let i = 0; i < 3; i++) api.scripts.push(["RUNNING", "RUNNING", "DONE"]);
      await Promise.all(
        ["a", "b", "c"].map((label) => provider.create({ label, token: `t-${label}` })),
      );
      // Three rounds of ceil(3 / 2) = 2 calls each, instead of one call per poll.
      assert.deepEqual(
        api.calls.filter((c) => c.op === "describe").map((c) => (c as { ids: string[] }).ids),
        [
          ["job-1", "job-2"],
          ["job-3"],
          ["job-1", "job-2"],
          ["job-3"],
          ["job-1", "job-2"],
          ["job-3"],
        ],
      );
    });

    it("adopts by ID with the spec's warnings, or fails with InputValidationError when missing", async () => {
      const { provider, api, lines } = await setup();
      api.jobs.set("job-9", ["DONE"]);
      const result = await provider.create({
        label: "other",
        adoptJobId: "job-9",
        __provider: "p",
      });
      assert.equal(result.id, "job-9");
      assert.deepEqual(
        lines.filter((l) => l.level !== "progress"),
        [
          { level: "warn", resource: "ads.FakeJob other", message: "label differs" },
          { level: "info", resource: "ads.FakeJob other", message: "adopted job-9 (DONE)" },
          { level: "info", resource: "ads.FakeJob other", message: "job-9 DONE" },
        ],
      );
      const err = await rejection(provider.create({ adoptJobId: "job-404" }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptJobId");
      assert.equal(
        err.message,
        'ads.FakeJob "job-404": adoptJobId job-404 was not found in eu-west-1. Fix: check the ID and aws:region.',
      );
    });

    it("passes AWS errors through the spec's explain once, without retrying a 4xx", async () => {
      const { provider, api } = await setup();
      api.startErrors.push(
        Object.assign(new Error("no home"), {
          name: "NoHomeException",
          $metadata: { httpStatusCode: 400 },
        }),
      );
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isAwsApiError(err));
      assert.equal(
        err.message,
        "ads StartJob failed: NoHomeException (HTTP 400): no home. Set a home.",
      );
      assert.equal(api.calls.length, 1);
    });
  });

  describe("hooks", () => {
    it("hold wraps start and resume and is released; settled adds outputs, warns or fails", async () => {
      const holds: string[] = [];
      let settledCalls = 0;
      const spec = fakeSpec({
        hold: (_ctx, _inputs, phase, task) => {
          holds.push(`${phase}${task === undefined ? "" : `:${task.state}`}`);
          return Promise.resolve(() => holds.push(`release ${phase}`));
        },
        settled: (_ctx, inputs) => {
          settledCalls++;
          if (inputs.label === "warn") return Promise.resolve({ warning: "rows rejected" });
          if (inputs.label === "fail")
            return Promise.resolve({ failure: "too many rows rejected" });
          return Promise.resolve({ extra: { rows: 3 }, info: "done with 3 rows" });
        },
      });
      const { provider, api, lines } = await setup(spec);
      api.scripts.push(["DONE"], ["DONE"], ["DONE"]);
      const ok = await provider.create(INPUTS);
      assert.equal(ok.outs["rows"], 3);
      assert.ok(info(lines).includes("done with 3 rows"));
      await provider.create({ label: "warn", token: "w" });
      assert.ok(lines.some((l) => l.level === "warn" && l.message === "rows rejected"));
      const err = await rejection(provider.create({ label: "fail", token: "f" }));
      assert.ok(isImportTaskFailedError(err));
      assert.deepEqual(err.reasons, ["too many rows rejected"]);
      assert.equal(err.properties["__provider"], undefined);
      await provider.update("job-1", ok.outs, INPUTS);
      assert.equal(settledCalls, 4);
      assert.deepEqual(holds, [
        "start",
        "release start",
        "start",
        "release start",
        "start",
        "release start",
        "resume:DONE",
        "release resume",
      ]);
    });

    it("trustStartStatus settles a task already terminal without another describe", async () => {
      const { provider, api } = await setup({ ...fakeSpec(), trustStartStatus: true });
      api.scripts.push(["DONE"]);
      await provider.create(INPUTS);
      assert.deepEqual(
        api.calls.map((c) => c.op),
        ["start"],
      );
    });
  });

  describe("read", () => {
    it("returns the outputs of a live task, with the refresh hook's extras", async () => {
      const spec = fakeSpec({ refresh: () => Promise.resolve({ rows: 7 }) });
      const { provider, api } = await setup(spec);
      api.jobs.set("job-1", ["DONE"]);
      assert.deepEqual(
        await provider.read("job-1", { ...INPUTS, jobId: "job-1", state: "RUNNING" }),
        {
          id: "job-1",
          props: { ...INPUTS, jobId: "job-1", state: "DONE", rows: 7 },
        },
      );
    });

    it("drops a gone or vanished task, unless readGone keeps it", async () => {
      const { provider, api, lines } = await setup({
        ...fakeSpec(),
        vanished: (j) => j.state === "PURGED",
      });
      api.jobs.set("job-2", ["PURGED"]);
      assert.deepEqual(await provider.read("job-1", INPUTS), {});
      assert.deepEqual(await provider.read("job-2", INPUTS), {});
      assert.deepEqual(info(lines), [
        "job-1 no longer exists (GONE); dropping it from the stack",
        "job-2 no longer exists (PURGED); dropping it from the stack",
      ]);
      const kept = await setup(
        fakeSpec({ readGone: (_ctx, id) => Promise.resolve({ jobId: id, image: "ami-1" }) }),
      );
      assert.deepEqual(await kept.provider.read("job-1", INPUTS), {
        id: "job-1",
        props: { jobId: "job-1", image: "ami-1" },
      });
    });
  });

  describe("update", () => {
    it("fails with the ID and the merged properties when the task is gone", async () => {
      const { provider } = await setup();
      const err = await rejection(
        provider.update(
          "job-1",
          { ...INPUTS, jobId: "job-1", state: "RUNNING" },
          { ...INPUTS, __provider: "new" },
        ),
      );
      assert.ok(isImportTaskFailedError(err));
      assert.deepEqual(err.properties, {
        ...INPUTS,
        jobId: "job-1",
        state: "RUNNING",
        __provider: "new",
      });
      assert.deepEqual(err.reasons, ["job one ended GONE after 1 polls"]);
    });
  });

  describe("delete", () => {
    it("retainOnDelete leaves the task without any call; otherwise the delete hook runs", async () => {
      const deleted: string[] = [];
      const { provider, api, lines } = await setup(
        fakeSpec({
          delete: async (ctx, id, inputs, props) => {
            const result = await ctx.wait(id, "delete", inputs, { properties: props });
            deleted.push(`${id} ${result.verdict} after ${result.polls}`);
          },
        }),
      );
      await provider.delete("job-1", { ...INPUTS, retainOnDelete: true });
      assert.deepEqual(api.calls, []);
      assert.deepEqual(info(lines), ["retainOnDelete is true: leaving job-1"]);
      await provider.delete("job-1", INPUTS);
      assert.deepEqual(deleted, ["job-1 success after 1"]);
    });

    it("without a delete hook does nothing", async () => {
      const { provider, api } = await setup();
      await provider.delete("job-1", INPUTS);
      assert.deepEqual(api.calls, []);
    });
  });

  describe("check and diff", () => {
    it("check runs the table, then checkMore, and returns the inputs unchanged", async () => {
      const { provider } = await setup();
      assert.deepEqual(await provider.check({}, { token: 3 }), {
        inputs: { token: 3 },
        failures: [
          { property: "label", reason: "is required" },
          { property: "token", reason: "must be a string (got number)" },
        ],
      });
      assert.deepEqual((await provider.check({}, { label: "bad" })).failures, [
        { property: "label", reason: "is bad" },
      ]);
    });

    it("diff replaces a failed task, resumes a running one, merges diffMore", () => {
      const olds = { ...INPUTS, jobId: "job-1" };
      const spec = { ...fakeSpec(), diffMore: () => ({ replaces: ["label"] }) };
      assert.deepEqual(diffTask(fakeSpec(), "job-1", { ...olds, state: "DONE" }, INPUTS), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(diffTask(fakeSpec(), "job-1", { ...olds, state: "FAILED" }, INPUTS), {
        changes: true,
        replaces: ["state"],
        deleteBeforeReplace: false,
      });
      assert.equal(
        diffTask(fakeSpec(), "job-1", { ...olds, state: "RUNNING" }, INPUTS).changes,
        true,
      );
      const noWait = { ...INPUTS, waitForCompletion: false };
      assert.equal(
        diffTask(fakeSpec(), "job-1", { ...olds, ...noWait, state: "RUNNING" }, noWait).changes,
        false,
      );
      assert.deepEqual(diffTask(spec, "job-1", { ...olds, state: "DONE" }, INPUTS).replaces, [
        "label",
      ]);
    });
  });

  describe("what the ports added", () => {
    it("findStarted: a task an earlier run started under the token is taken without a start", async () => {
      const { provider, api, lines } = await setup(
        fakeSpec({
          findStarted: (ctx, _inputs, token) =>
            token === "t-1" ? ctx.describe("job-7") : Promise.resolve(undefined),
        }),
      );
      api.jobs.set("job-7", ["RUNNING", "DONE"]);
      const result = await provider.create(INPUTS);
      assert.equal(result.id, "job-7");
      assert.equal(api.calls.filter((c) => c.op === "start").length, 0);
      assert.equal(info(lines)[0], "found job-7 (RUNNING) started earlier under token t-1");
    });

    it("queuesStart and StartScope: no limiter seat around the start, and kept releases run when the create ends", async () => {
      const events: string[] = [];
      let deadline = -1;
      const base = fakeSpec();
      const spec: TaskSpec<JobInputs, Job, FakeJobs> = {
        ...base,
        queuesStart: true,
        startedMessage: (job) => `queued start gave ${job.jobId}`,
        start: async (ctx, inputs, token, raw, scope) => {
          deadline = scope.deadline;
          events.push(`limiter active ${ctx.runtime.startLimiter.active}`);
          scope.keep(() => events.push("released"));
          return base.start(ctx, inputs, token, raw, scope);
        },
      };
      const { provider, api, lines } = await setup(spec);
      api.scripts.push(["RUNNING", "BROKEN"]);
      await rejection(provider.create(INPUTS));
      assert.deepEqual(events, ["limiter active 0", "released"]);
      // The create began at 0 with waitTimeoutMinutes' default of 1.
      assert.equal(deadline, 60_000);
      assert.equal(info(lines)[0], "queued start gave job-1");
    });

    it("subjectInReasons prefixes an AWS error's reason with the subject; settled's failure wins after a failed wait", async () => {
      const spec: TaskSpec<JobInputs, Job, FakeJobs> = {
        ...fakeSpec({
          settled: (_ctx, _inputs, job, wait) =>
            Promise.resolve(
              wait.verdict === "failure" ? { failure: `read rows of ${job.state}` } : {},
            ),
        }),
        subjectInReasons: true,
      };
      const { provider, api } = await setup(spec);
      api.scripts.push(["RUNNING", "BROKEN"]);
      const failed = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(failed));
      assert.deepEqual(failed.reasons, ["read rows of BROKEN"]);
      const denied = Object.assign(new Error("denied"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      });
      api.describe = () => Promise.reject(denied);
      const err = await rejection(provider.update("job-1", { ...INPUTS, jobId: "job-1" }, INPUTS));
      assert.ok(isAwsApiError(err), "update's own describe error passes through unwrapped");
      api.describe = (ids) => {
        api.describe = () => Promise.reject(denied);
        return FakeJobs.prototype.describe.call(api, ids);
      };
      api.jobs.set("job-1", ["RUNNING"]);
      const waitErr = await rejection(
        provider.update("job-1", { ...INPUTS, jobId: "job-1" }, INPUTS),
      );
      assert.ok(isImportTaskFailedError(waitErr));
      assert.deepEqual(waitErr.reasons, [
        'ads.FakeJob "one": ads DescribeJobs failed: AccessDeniedException (HTTP 400): denied. Grant the calling identity permission for DescribeJobs on ads, then run again.',
      ]);
    });

    it("readGone and refresh may answer Dropped: read drops the resource with their line", async () => {
      const dropped = { dropped: "its image is gone too; dropping it from the stack" };
      const gone = await setup(fakeSpec({ readGone: () => Promise.resolve(dropped) }));
      assert.deepEqual(await gone.provider.read("job-1", INPUTS), {});
      assert.deepEqual(info(gone.lines), [dropped.dropped]);
      const live = await setup(fakeSpec({ refresh: () => Promise.resolve(dropped) }));
      live.api.jobs.set("job-1", ["DONE"]);
      assert.deepEqual(await live.provider.read("job-1", INPUTS), {});
      assert.deepEqual(info(live.lines), [dropped.dropped]);
    });

    it("waitOn waits on another object in the same scheduler, labelled and recorded with the resource's ID", async () => {
      const polls: number[] = [];
      const { provider, api, lines } = await setup(
        fakeSpec({
          delete: async (ctx, id, inputs, props) => {
            const other = ctx.batcher("DescribeJobs", 2, (ids) => ctx.api.describe(ids));
            const result = await ctx.waitOn(
              other,
              "job-2",
              {
                resourceId: id,
                acceptors: [{ verdict: "success", matches: (j) => j?.state === "DONE" }],
                status: (j) => j?.state ?? "GONE",
                operation: "DescribeJobs",
                subject: `${ctx.subject(inputs, id)}: waiting on job-2`,
              },
              inputs,
              { properties: props },
            );
            polls.push(result.polls);
          },
        }),
      );
      api.jobs.set("job-2", ["RUNNING", "DONE"]);
      await provider.delete("job-1", INPUTS);
      assert.deepEqual(polls, [2]);
      assert.ok(lines.some((l) => l.level === "progress" && l.resource === "ads.FakeJob one"));
      api.jobs.set("job-2", ["RUNNING"]);
      const err = await rejection(provider.delete("job-1", INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, "job-1");
      assert.match(
        err.reasons[0]!,
        /^ads\.FakeJob "one": waiting on job-2 is still RUNNING after 60s/,
      );
    });
  });

  describe("resource facts", () => {
    it("registers the shim path, output slots, secret outputs and type token parts from the spec", () => {
      const spec = fakeSpec();
      assert.equal(shimPath(spec), "ads/fakeJobProvider");
      assert.equal(
        shimPath({ service: "migrationhub", className: "ProgressUpdateStream" }),
        "migrationhub/progressUpdateStreamProvider",
      );
      const [, name, props, opts, module, type] = registration(
        spec,
        "one",
        { label: "a" },
        { additionalSecretOutputs: ["x"] },
      );
      assert.deepEqual([name, module, type], ["one", "ads", "FakeJob"]);
      assert.deepEqual(Object.keys(props ?? {}), ["label", "jobId", "state", "__urn"]);
      assert.deepEqual([props?.["jobId"], props?.["state"]], [undefined, undefined]);
      assert.deepEqual(opts, { additionalSecretOutputs: ["state", "x"] });
    });
  });
});
