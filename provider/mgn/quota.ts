/**
 * MGN limits the imports in progress per account (StartImport answers
 * ServiceQuotaExceededException): one CapacityGate per provider instance (core/limiter.ts) holds a
 * slot for each import this process runs, so once MGN refuses a start, later starts queue for a
 * slot instead of being refused again. A quota held by imports this process does not run frees no
 * slot here: those starts back off and retry until the wait deadline.
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_StartImport.html
 */
import type { Clock } from "../core/clock";
import { AwsApiError, WaiterTimeoutError } from "../core/errors";
import type { CapacityGate, ReleaseSlot } from "../core/limiter";
import { backoffDelay } from "../core/retry";
import type { StartScope, TaskContext } from "../core/task/spec";
import type { MgnApi } from "./api";
import { classify, type ImportTaskInputs, type MgnImport, QUOTA_ADVICE } from "./importTaskLogic";

/** What a start waiting for a CapacityGate slot reports in a timeout. */
const QUEUED = "QUEUED_FOR_IMPORT_QUOTA";
/** Back-off while MGN's import quota is held by imports this process does not run. */
const QUOTA_BACKOFF = { baseMs: 5_000, maxMs: 60_000 } as const;

/**
 * StartImport with `token` inside a gate slot, queueing while the quota is full and retrying
 * refusals until the scope's deadline. Only the StartImport call holds a start-limiter seat. The
 * slot is kept until the create ends (a failed import holds no quota: it is released at once, and
 * the core steps past it with a successor token).
 */
export async function startWithinQuota(
  ctx: TaskContext<MgnApi, { gate: CapacityGate }, MgnImport>,
  inputs: ImportTaskInputs,
  token: string,
  scope: StartScope,
): Promise<MgnImport> {
  const { api, runtime } = ctx;
  const { gate } = ctx.state;
  const { clock, log } = runtime;
  const { deadline } = scope;
  const subject = ctx.subject(inputs);
  const src = inputs.s3BucketSource ?? { s3Bucket: "", s3Key: "" };
  for (let refusals = 0; ;) {
    const release = await slot(gate, clock, deadline, subject);
    let outcome;
    try {
      outcome = await runtime.startLimiter.run(() =>
        // Slots taken before MGN first refused may exceed the quota now known: step back.
        gate.over
          ? Promise.resolve(undefined)
          : api.startImport({
              s3BucketSource: src,
              clientToken: token,
              ...(inputs.tags === undefined ? {} : { tags: inputs.tags }),
            }),
      );
    } catch (err) {
      release();
      throw err;
    }
    if (outcome === undefined) {
      release();
      continue;
    }
    if ("started" in outcome) {
      gate.started();
      const task = outcome.started;
      if (classify(task.status) === "failure") release();
      else scope.keep(release);
      return task;
    }
    release();
    gate.saturated(outcome.quotaExceeded.quotaValue);
    refusals++;
    log.info(
      ctx.label(inputs),
      `MGN import quota full (${outcome.quotaExceeded.message}); queued behind ${gate.inUse} running import(s)`,
    );
    // Nothing of ours will free a slot: the quota is held elsewhere, so back off and retry.
    if (gate.inUse > 0) continue;
    const delay = backoffDelay(refusals, QUOTA_BACKOFF.baseMs, QUOTA_BACKOFF.maxMs, () =>
      Math.max(0.2, runtime.random()),
    );
    if (clock.now() + delay >= deadline) {
      throw new AwsApiError({
        service: "mgn",
        operation: "StartImport",
        code: "ServiceQuotaExceededException",
        message: outcome.quotaExceeded.message,
        httpStatus: 402,
        retryable: false,
        throttling: false,
        advice: `${subject}: still refused after ${refusals} attempt(s) within waitTimeoutMinutes. ${QUOTA_ADVICE}`,
      });
    }
    await clock.sleep(delay);
  }
}

/** A gate slot, queueing (until the deadline) while the import quota is full. */
async function slot(
  gate: CapacityGate,
  clock: Clock,
  deadline: number,
  subject: string,
): Promise<ReleaseSlot> {
  if (!gate.full) return gate.acquire();
  const started = clock.now();
  const limitMs = Math.max(0, deadline - started);
  const timer = new AbortController();
  const queue = new AbortController();
  clock.sleep(limitMs, timer.signal).then(
    () =>
      queue.abort(
        new WaiterTimeoutError({
          elapsedMs: clock.now() - started,
          limitMs,
          observed: [QUEUED],
          subject: `${subject}: the start`,
          advice: `No import was started: ${gate.inUse} import(s) of this deployment held MGN's imports-in-progress quota the whole time. Raise waitTimeoutMinutes (or split the imports over several \`pulumi up\` runs), then run \`pulumi up\` again.`,
        }),
      ),
    () => undefined,
  );
  try {
    return await gate.acquire(queue.signal);
  } finally {
    timer.abort();
  }
}
