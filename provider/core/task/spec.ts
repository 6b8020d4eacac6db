/**
 * What a resource tells the lifecycle core about itself (STYLE.md §2): facts, a property table and
 * a few functions; it never waits, retries or batches by itself. The core reads the inputs
 * `waitForCompletion` (default true), `waitTimeoutMinutes` and `retainOnDelete` by name.
 */
import type { CheckFailure } from "../check";
import type { Clock } from "../clock";
import type { ProviderSettings } from "../config";
import type { RoleSessions } from "../credentials";
import type { BatchPoller } from "../limiter";
import type { Logger } from "../log";
import type { ServiceRuntime } from "../runtime";
import type { Acceptor, WaitResult } from "../waiter";
import type { PropertyTable } from "./properties";

export type ServiceName = "ads" | "mgn" | "migrationhub" | "ec2";

/** One AWS call through the shared throttle with classified retries (core/retry callAws). */
export type AwsCaller = <R>(operation: string, fn: () => Promise<R>) => Promise<R>;

/** What a start may use beyond its token: the create's budget, and a slot to keep until it ends. */
export interface StartScope {
  /** Epoch ms the create's wait budget ends (a start that queues gives up by then). */
  readonly deadline: number;
  /** Runs `release` once the create ends, however it ends (MGN's quota slot). */
  keep(release: () => void): void;
}

export type WaitSummary<T> = Pick<
  WaitResult<T | undefined>,
  "verdict" | "last" | "polls" | "observed"
>;

export interface WaitOptions {
  /** Epoch ms the wait ends; default now + the wait limit (input, stack config, table default). */
  deadline?: number;
  /** Recorded with the ID when the wait itself fails (timeout, 4xx): `__provider` is added. */
  properties: Record<string, unknown>;
}

/** What `TaskContext.waitOn` waits for on an object other than the task. */
export interface WatchSpec<R> {
  /** The resource's own ID: it labels the progress lines and a failure records it. */
  resourceId: string;
  acceptors: readonly Acceptor<R | undefined>[];
  status(o: R | undefined): string;
  operation: string;
  /** Names the wait in timeout messages, e.g. `ec2.ImportInstanceTask "web": terminating i-…`. */
  subject: string;
  /** Progress text of one observation; `undefined` shows its status. */
  progress?(o: R | undefined): string | undefined;
}

/** A hook's verdict that nothing is left to manage: the engine drops the resource. */
export interface Dropped {
  /** The log line saying why (e.g. `AMI ami-… of import-ami-… no longer exists; …`). */
  readonly dropped: string;
}

/** What the core hands a spec's functions: the configured runtime and the service's callers. */
export interface TaskContext<A, S = unknown, T = unknown> {
  readonly runtime: ServiceRuntime;
  readonly api: A;
  /** Retries throttling, 5xx and network errors (errors pass the spec's `explain` first). */
  readonly aws: AwsCaller;
  /** Attempted once: for a call that is not idempotent, whose retry the caller decides. */
  readonly awsOnce: AwsCaller;
  /** A batched describer sharing rounds across every resource of this kind in the process. */
  batcher<R>(
    operation: string,
    batchSize: number,
    describe: (ids: readonly string[]) => Promise<ReadonlyMap<string, R>>,
  ): BatchPoller<R>;
  /** The service's own state (gates, extra pollers) built once per configure by `spec.state`. */
  readonly state: S;
  /** The spec's describe through the shared batched poller; `undefined` when gone. */
  describe(id: string): Promise<T | undefined>;
  /** Waits in the shared rounds; failing to finish throws ImportTaskFailedError with the ID. */
  wait(id: string, phase: Phase, inputs: object, options: WaitOptions): Promise<WaitSummary<T>>;
  /** Waits on another object in the same scheduler (EC2: the instance, until terminated). */
  waitOn<R>(
    poller: BatchPoller<R>,
    id: string,
    watch: WatchSpec<R>,
    inputs: object,
    options: WaitOptions,
  ): Promise<WaitSummary<R>>;
  /** `ads.ImportTask "servers-q3"`: how messages name the resource. */
  subject(inputs: object, id?: string): string;
  /** `ads.ImportTask servers-q3`: how log lines name it. */
  label(inputs: object, id?: string): string;
}

/** Test and embedding seams; unset members fall back to the system clock, Math.random, stderr. */
export interface Deps<A> {
  clock: Clock;
  random: () => number;
  logger: Logger;
  /** Builds the api from the configured settings (tests pass a fake). */
  api: (settings: ProviderSettings, call: AwsCaller) => A;
  /** Environment for region fallbacks (tests pass their own). */
  env: NodeJS.ProcessEnv;
  /** Assumed-role sessions (issue 11). @default the process's shared ones, STS through the SDK */
  roleSessions: RoleSessions;
}

export interface DescribeSpec<T, A> {
  /** The AWS operation, for errors and logs (e.g. "DescribeImportTasks"). */
  operation: string;
  /** IDs per call (the API's documented maximum). */
  batchSize: number;
  /** One call for up to `batchSize` IDs; IDs absent from the map are gone. */
  call(api: A, ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
  /** True when `call` already goes through the api's AwsCaller (do not wrap it again). */
  viaCaller?: boolean;
  /** At most this many `call`s in flight (an API without batch describe). @default unbounded */
  concurrency?: number;
}

export interface PollDelays {
  minDelayMs: number;
  maxDelayMs: number;
  /** Polls land on multiples of min(minDelayMs, gridMs) so concurrent waits share rounds. */
  gridMs: number;
  /** The first poll waits for the grid too, so throttle-spaced starts share it. @default false */
  alignFirstPoll?: boolean;
  /** W waits share a round every shareMs / W (core/limiter.ts SharedRounds). @default maxDelayMs */
  shareMs?: number;
  /** Calls/s the shared rounds may spend unless configured (service.ts sharedRounds). @default 2 */
  budgetCallsPerSecond?: number;
}

export type Phase = "create" | "cancel" | "delete";

/**
 * What check, diff and the service builder read: all a resource with its own Lifecycle
 * (lifecycle.ts) needs. Service + class name give the type token, the shim path and every log
 * label. `I` is the typed inputs, `T` the task as the api returns it, `A` the api, `S` `state()`'s.
 */
export interface ServiceSpec<I extends object, T, A, S = unknown> {
  readonly service: ServiceName;
  readonly className: string;
  /** Each input: rule, replace-or-update, default, secret, AWS name. Drives check/asInputs/diff. */
  readonly properties: PropertyTable<I>;
  /** Cross-field rules and rules a table cannot say (URL parsing); values unknown in preview skip. */
  checkMore?(news: Record<string, unknown>, ctx: { settings: ProviderSettings }): CheckFailure[];
  /** Warnings check() logs for these inputs (EC2 ImportInstance: the API is legacy). */
  checkWarnings?(news: Record<string, unknown>): string[];
  /** Extra diff facts, merged into the table's: e.g. `replaces: ["tags"]`. */
  diffMore?(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): { replaces?: string[]; changes?: boolean };
  /** The adopt input (`adoptImportTaskId`), when the resource can manage an existing task. */
  readonly adoptProperty?: keyof I & string;

  /** The api the core builds at configure (tests inject theirs through Deps). */
  createApi(settings: ProviderSettings, call: AwsCaller): A;
  /** Service-specific state built once per configure (e.g. MGN's CapacityGate). */
  state?(ctx: Omit<TaskContext<A, S, T>, "state">): S;

  readonly describe: DescribeSpec<T, A>;
  readonly poll: PollDelays;
  /** `undefined` (gone) has a status too, e.g. "GONE". */
  statusOf(task: T | undefined): string;
  acceptors(phase: Phase, inputs: I): readonly Acceptor<T | undefined>[];
  /** Word for the waited thing in timeout messages. @default create "import", else the phase */
  readonly phaseWords?: Partial<Record<Phase, string>>;
  /** Progress text of one observation (before "(poll N, Ts)"). @default statusOf */
  progress?(task: T | undefined): string;

  /** The bare label of the resource: its task name, else `id`, else a placeholder. */
  name(inputs: I, id?: string): string;
  /** A failure reason that does not name the resource gets its subject first. @default false */
  readonly subjectInReasons?: boolean;
  /** Adds the known fix to a service error (home region, quota, …); return it unchanged if none. */
  explain?(err: unknown, settings: ProviderSettings): unknown;
  /** Output property names the resource class declares (inputs echoed are not listed). */
  readonly outputs?: readonly string[];
  /** Outputs kept secret in state (presigned URLs). */
  readonly secretOutputs?: readonly string[];
}

/** A start-and-wait resource (provider.ts): the facts and functions of its one lifecycle. */
export interface TaskSpec<I extends object, T, A, S = unknown> extends ServiceSpec<I, T, A, S> {
  idOf(task: T): string;
  /** The output holding the status, read by diff (a failed task is replaced). @default "status" */
  readonly statusOutput?: string;
  /** A status's verdict for a create-phase wait; diff also passes the recorded outputs. */
  classify(
    status: string,
    inputs: I,
    recorded?: Record<string, unknown>,
  ): "pending" | "success" | "failure";
  /** A task the describe still returns that read() treats as gone (ADS DELETE_COMPLETE). */
  vanished?(task: T): boolean;
  /** Settle a task start/adopt/update sees terminal without a describe (MGN). @default false */
  readonly trustStartStatus?: boolean;

  /** Reason and message when the adopted ID is not found. @default a generic "check the ID" */
  adoptMissing?(id: string, inputs: I, where: string): { reason: string; message: string };
  adoptWarnings?(inputs: I, task: T): string[];
  /** The idempotency-token input (`clientRequestToken`), when the start API takes one. */
  readonly tokenProperty?: keyof I & string;
  /** Token when the caller gave none (provider used without the resource class). */
  fallbackToken(inputs: I, raw: Record<string, unknown>): string;
  /** Successor of `token` after the task it returned ended in failure (deterministic). */
  successorToken(token: string, failedTaskId: string): string;
  /** The start call (through ctx.aws / ctx.awsOnce); returns the task AWS reports. */
  start(
    ctx: TaskContext<A, S, T>,
    inputs: I,
    token: string,
    raw: Record<string, unknown>,
    scope: StartScope,
  ): Promise<T>;
  /** `start` queues by itself through ctx.runtime.startLimiter (MGN): the core holds no seat. */
  readonly queuesStart?: boolean;
  /** The log line of a started task. @default `started <id> (<status>)` */
  startedMessage?(task: T): string;
  /** Why create gave up after `attempts` tasks for its tokens ended in failure. */
  exhaustedMessage?(inputs: I, last: T, attempts: number): string;

  /** Outputs: inputs echoed (diff reads them back) + the task's fields. */
  toOutputs(
    raw: Record<string, unknown>,
    task: T,
    extra?: Record<string, unknown>,
    previous?: Record<string, unknown>,
  ): Record<string, unknown>;
  /** The failure report of a wait that ended in failure (or a gone task). */
  failureMessage(
    inputs: I,
    last: T | undefined,
    wait: Pick<WaitResult<T | undefined>, "polls" | "observed">,
    id: string,
  ): string;
  /** The log line of the retain guard. @default `retainOnDelete is true: leaving <id>` */
  retainedMessage?(id: string, inputs: I): string;
  readonly hooks?: TaskHooks<I, T, A, S>;
}

/** Hooks for what truly differs; the core's default applies when a hook is absent. */
export interface TaskHooks<I extends object, T, A, S = unknown> {
  /** After a wait that ended with the task present (`wait.verdict`): extra reads, a failure. */
  settled?(
    ctx: TaskContext<A, S, T>,
    inputs: I,
    task: T,
    wait: Pick<WaitResult<T | undefined>, "verdict" | "polls" | "observed">,
    previous: Record<string, unknown>,
  ): Promise<{
    extra?: Record<string, unknown>;
    failure?: string;
    warning?: string;
    info?: string;
  }>;
  /** A gate around create/update (MGN's quota): returns the release. */
  hold?(
    ctx: TaskContext<A, S, T>,
    inputs: I,
    phase: "start" | "adopt" | "resume",
    task?: T,
  ): Promise<() => void>;
  /** Read/update of a task the describe lost (EC2: the AMI outlives it): outputs to keep. */
  readGone?(
    ctx: TaskContext<A, S, T>,
    id: string,
    props: Record<string, unknown>,
  ): Promise<Record<string, unknown> | Dropped | undefined>;
  /** Extra reads for read()'s outputs of a live task, or `Dropped` when what it made is gone. */
  refresh?(
    ctx: TaskContext<A, S, T>,
    inputs: I,
    task: T,
    props: Record<string, unknown>,
  ): Promise<Record<string, unknown> | Dropped | undefined>;
  /** No start token (EC2 ImportInstance): what an earlier run started under `token`, if any. */
  findStarted?(ctx: TaskContext<A, S, T>, inputs: I, token: string): Promise<T | undefined>;
  /** What delete does with a task that exists (cancel, BatchDeleteImportData, remove artifacts). */
  delete?(
    ctx: TaskContext<A, S, T>,
    id: string,
    inputs: I,
    props: Record<string, unknown>,
  ): Promise<void>;
}
