import type { EmulatorClock } from "./clock";
import type { SeededRandom } from "./random";
import type { S3Store } from "./s3store";
import type { OperationContext, StateScope } from "./service";
import type { Credential } from "./sigv4";
import type { StateStore } from "./state";
import { chooseTaskDuration, type TaskDuration, type TaskDurationOption } from "./taskDuration";

/** What every operation context shares: the emulator's clock, seeded random, stores and options. */
export interface ContextDeps {
  readonly store: StateStore;
  readonly clock: EmulatorClock;
  readonly random: SeededRandom;
  readonly s3: S3Store;
  readonly taskDurationMs: TaskDurationOption | undefined;
}

/** One call: which service and operation, who made it, where, and its request ID. */
export interface CallInfo {
  readonly service: string;
  readonly operation: string;
  readonly credential: Credential;
  readonly region: string;
  readonly requestId: string;
  readonly baseUrl: string;
}

/** The OperationContext a handler gets for one call. */
export function operationContext(deps: ContextDeps, call: CallInfo): OperationContext {
  const { store, clock, taskDurationMs: option } = deps;
  const { service, credential, region } = call;
  const taskDuration = (id: string, seededMs: number): TaskDuration =>
    chooseTaskDuration(option, { service, id, startedMs: clock.now() }, seededMs);
  return {
    service,
    operation: call.operation,
    region,
    accountId: credential.accountId,
    credential,
    requestId: call.requestId,
    baseUrl: call.baseUrl,
    clock,
    random: deps.random,
    s3: deps.s3,
    realNow: () => Date.now(),
    state<T>(key: string, init: () => T, scope: StateScope = "region"): T {
      const scopeKey =
        scope === "global"
          ? "global"
          : scope === "account"
            ? `account:${credential.accountId}`
            : `region:${credential.accountId}:${region}`;
      const fullKey = scope === "region" ? `${service}:${key}` : key;
      return store.get(scopeKey, fullKey, init);
    },
    markDirty: () => store.markDirty(),
    taskDuration,
    durationsChosen: option !== undefined,
  };
}
