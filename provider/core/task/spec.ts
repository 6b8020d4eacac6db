/**
 * What a resource tells the lifecycle core about itself (STYLE.md §2): facts, a property table and
 * a few functions. The core (provider.ts) owns configure, the one AWS caller, the one poll
 * scheduler, adopt, start with successor tokens, settle, update-resumes-the-wait,
 * read-drops-a-gone-task, the retain guard and the failure report. A spec never waits, retries or
 * batches by itself.
 */
import type { CheckFailure } from "../check";
import type { Clock } from "../clock";
import type { ProviderSettings, ServiceKey } from "../config";
import type { BatchPoller } from "../limiter";
import type { Logger } from "../log";
import type { ServiceRuntime } from "../runtime";
import type { Acceptor, WaitResult } from "../waiter";
import type { PropertyTable } from "./properties";

/** The four service folders; each resource belongs to one. */
export type ServiceName = "ads" | "mgn" | "migrationhub" | "ec2";

/** One AWS call through the shared throttle with classified retries (core/retry callAws). */
export type AwsCaller = <R>(operation: string, fn: () => Promise<R>) => Promise<R>;

/** What the core hands a spec's functions: the configured runtime and the service's callers. */
export interface TaskContext<A> {
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
  readonly state: unknown;
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
}

/** The one batched describe the core polls with. */
export interface DescribeSpec<T, A> {
  /** The AWS operation, for errors and logs (e.g. "DescribeImportTasks"). */
  operation: string;
  /** IDs per call (the API's documented maximum). */
  batchSize: number;
  /** One call for up to `batchSize` IDs; IDs absent from the map are gone. */
  call(api: A, ids: readonly string[]): Promise<ReadonlyMap<string, T>>;
}

export interface PollDelays {
  minDelayMs: number;
  maxDelayMs: number;
  /** Polls land on multiples of min(minDelayMs, gridMs) so concurrent waits share rounds. */
  gridMs: number;
}

/** What a wait in one phase looks for. */
export type Phase = "create" | "cancel" | "delete";

/**
 * One resource: `type` is e.g. "ads.ImportTask" (service + class name); from it derive the type
 * token `pulumi-nodejs:dynamic/ads:ImportTask`, the shim path and every log label.
 *
 * `I` is the typed inputs (`asInputs` of the property table), `T` the task as the api returns it,
 * `A` the service's api.
 */
export interface TaskSpec<I extends object, T, A> {
  readonly service: ServiceName;
  readonly className: string;
  /** Endpoint key for `settings.endpoints` when it differs from `service`. */
  readonly endpointKey?: ServiceKey;
  /** Each input: rule, replace-or-update, default, secret, AWS name. Drives check/asInputs/diff. */
  readonly properties: PropertyTable<I>;
  /** Cross-field rules and rules a table cannot say (URL parsing); values unknown in preview skip. */
  checkMore?(news: Record<string, unknown>, ctx: { settings: ProviderSettings }): CheckFailure[];
  /** Extra diff facts: e.g. a recorded failed status forces a replace ("status"). */
  diffMore?(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): { replaces?: string[]; changes?: boolean };

  /** The api the core builds at configure (the real one; tests inject theirs through Deps). */
  createApi(settings: ProviderSettings, call: AwsCaller): A;
  /** Service-specific state built once per configure (e.g. MGN's CapacityGate). */
  state?(ctx: Omit<TaskContext<A>, "state">): unknown;

  readonly describe: DescribeSpec<T, A>;
  readonly poll: PollDelays;
  idOf(task: T): string;
  /** The status of an observation; `undefined` (gone) has a status too, e.g. "GONE". */
  statusOf(task: T | undefined): string;
  /** How a status counts for a create-phase wait, given the inputs (e.g. failOnRowErrors). */
  classify(status: string, inputs: I): "pending" | "success" | "failure";
  /** Acceptors as data, per phase. */
  acceptors(phase: Phase, inputs: I): readonly Acceptor<T | undefined>[];

  /** The adopt input (`adoptImportTaskId`), when the resource can manage an existing task. */
  readonly adoptProperty?: keyof I & string;
  /** The idempotency-token input (`clientRequestToken`), when the start API takes one. */
  readonly tokenProperty?: keyof I & string;
  /** Token when the caller gave none (provider used without the resource class). */
  fallbackToken(inputs: I, raw: Record<string, unknown>): string;
  /** Successor of `token` after the task it returned ended in failure (deterministic). */
  successorToken(token: string, failedTaskId: string): string;
  /** The start call (through ctx.aws / ctx.awsOnce); returns the task AWS reports. */
  start(ctx: TaskContext<A>, inputs: I, token: string, raw: Record<string, unknown>): Promise<T>;

  /** Outputs: inputs echoed (diff reads them back) + the task's fields. */
  toOutputs(
    raw: Record<string, unknown>,
    task: T,
    extra?: Record<string, unknown>,
  ): Record<string, unknown>;

  /** `ads.ImportTask "servers-q3"` / log label `ads.ImportTask servers-q3`. */
  name(inputs: I, id?: string): string;
  /** The failure report of a wait that ended in failure (or a gone task). */
  failureMessage(
    inputs: I,
    last: T | undefined,
    wait: Pick<WaitResult<T | undefined>, "polls" | "observed">,
    id: string,
  ): string;
  /** Adds the known fix to a service error (home region, quota, …); return it unchanged if none. */
  explain?(err: unknown, settings: ProviderSettings): unknown;

  /** Hooks for what truly differs; the core's default applies when a hook is absent. */
  readonly hooks?: TaskHooks<I, T, A>;
}

export interface TaskHooks<I extends object, T, A> {
  /** After a successful wait: extra reads for the outputs (MGN row errors, EC2's AMI), warnings. */
  settled?(
    ctx: TaskContext<A>,
    inputs: I,
    task: T,
    wait: Pick<WaitResult<T | undefined>, "polls" | "observed">,
    previous: Record<string, unknown>,
  ): Promise<{ extra?: Record<string, unknown>; failure?: string; warning?: string }>;
  /** A gate around create/update (MGN's quota): returns the release. */
  hold?(ctx: TaskContext<A>, inputs: I, phase: "start" | "adopt" | "resume"): Promise<() => void>;
  /** Read when the describe no longer returns the task (EC2: the AMI outlives the record). */
  readGone?(
    ctx: TaskContext<A>,
    id: string,
    props: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined>;
  /** Delete: what to do with a task that exists (cancel, BatchDeleteImportData, remove artifacts). */
  delete(ctx: TaskContext<A>, id: string, inputs: I, props: Record<string, unknown>): Promise<void>;
}
