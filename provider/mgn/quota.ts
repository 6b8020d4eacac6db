/**
 * MGN limits the imports in progress per account (StartImport answers
 * ServiceQuotaExceededException): one CapacityGate per provider instance (core/limiter.ts) holds a
 * slot for each import this process runs, so once MGN refuses a start, later starts queue for a
 * slot instead of being refused again. A quota held by imports this process does not run frees no
 * slot here: those starts back off and retry until the wait deadline.
 */
import { AwsApiError, WaiterTimeoutError } from "../core/errors";
import type { CapacityGate, ReleaseSlot } from "../core/limiter";
import { backoffDelay } from "../core/retry";
import type { StartScope, TaskContext } from "../core/task/spec";
import type { MgnApi, MgnImport } from "./api";
import type { ImportTaskInputs } from "./importTaskInputs";

export const QUOTA_ADVICE =
  "MGN refused the start for lack of quota (imports in progress). Wait for running imports to finish or request a quota increase, then run `pulumi up` again.";

/** StartImport in a gate slot kept until the create ends; only the call holds a limiter seat. */
export async function startWithinQuota(
  ctx: TaskContext<MgnApi, { gate: CapacityGate }, MgnImport>,
  inputs: ImportTaskInputs,
  token: string,
  scope: StartScope,
): Promise<MgnImport> {
  const { api, runtime, state } = ctx;
  const { clock } = runtime;
  const { gate } = state;
  const subject = ctx.subject(inputs);
  const s3BucketSource = inputs.s3BucketSource ?? { s3Bucket: "", s3Key: "" };
  const request = { s3BucketSource, clientToken: token, tags: inputs.tags };
  const slot = async (): Promise<ReleaseSlot> => {
    if (!gate.full) return gate.acquire();
    const started = clock.now();
    const limitMs = Math.max(0, scope.deadline - started);
    // One signal: the deadline aborts the queued acquire, an acquired slot cancels the timer.
    const stop = new AbortController();
    clock.sleep(limitMs, stop.signal).then(
      () =>
        stop.abort(
          new WaiterTimeoutError({
            elapsedMs: clock.now() - started,
            limitMs,
            observed: ["QUEUED_FOR_IMPORT_QUOTA"],
            subject: `${subject}: the start`,
            advice: `No import was started: ${gate.inUse} import(s) of this deployment held MGN's imports-in-progress quota the whole time. Raise waitTimeoutMinutes (or split the imports over several \`pulumi up\` runs), then run \`pulumi up\` again.`,
          }),
        ),
      () => undefined,
    );
    try {
      return await gate.acquire(stop.signal);
    } finally {
      stop.abort();
    }
  };
  for (let refusals = 0; ;) {
    const release = await slot();
    // Slots taken before MGN first refused may exceed the quota now known: step back.
    const outcome = await runtime.startLimiter
      .run(() => (gate.over ? Promise.resolve(undefined) : api.startImport(request)))
      .catch((err: unknown) => {
        release();
        throw err;
      });
    if (outcome !== undefined && "started" in outcome) {
      gate.started();
      const task = outcome.started;
      // A failed import holds no quota (the core steps past it with a successor token).
      if (task.status === "FAILED") release();
      else scope.keep(release);
      return task;
    }
    release();
    if (outcome === undefined) continue;
    const { message, quotaValue } = outcome.quotaExceeded;
    gate.saturated(quotaValue);
    refusals++;
    runtime.log.info(
      ctx.label(inputs),
      `MGN import quota full (${message}); queued behind ${gate.inUse} running import(s)`,
    );
    // Imports of ours free slots as they end; a quota held elsewhere needs back-off and retries.
    if (gate.inUse > 0) continue;
    const delay = backoffDelay(refusals, 5_000, 60_000, () => Math.max(0.2, runtime.random()));
    if (clock.now() + delay >= scope.deadline) {
      throw new AwsApiError({
        service: "mgn",
        operation: "StartImport",
        code: "ServiceQuotaExceededException",
        message,
        httpStatus: 402,
        retryable: false,
        throttling: false,
        advice: `${subject}: still refused after ${refusals} attempt(s) within waitTimeoutMinutes. ${QUOTA_ADVICE}`,
      });
    }
    await clock.sleep(delay);
  }
}
