/**
 * A scripted in-memory Migration Hub for provider orchestration tests: records every call in
 * order, lets a test script describe results per call, and injects errors per operation.
 */
import type { ConfigSource } from "../../../../provider/core/config";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import { createLogger } from "../../../../provider/core/log";
import type { Deps } from "../../../../provider/core/task/spec";
import type { AwsCaller } from "../../../../provider/core/task/spec";
import type {
  CreatedArtifact,
  MigrationHubApi,
  MigrationTaskRecord,
  ResourceAttribute,
  TaskState,
} from "../../../../provider/migrationhub/api";
import { configSource, type ManualClock, manualClock } from "../../../support/harness";

export interface FakeTask {
  task?: TaskState;
  updateDateTime?: Date;
  resourceAttributes: ResourceAttribute[];
  artifacts: CreatedArtifact[];
}

export class FakeMigrationHub {
  readonly calls: string[] = [];
  readonly streams = new Set<string>();
  readonly tasks = new Map<string, FakeTask>();
  /** Per "stream/name": statuses the next describes return, in order (then the stored state). */
  readonly script = new Map<string, Array<TaskState | "GONE">>();
  /** Operation → errors to throw on its next calls (through the caller, so they are classified). */
  readonly failures = new Map<string, Error[]>();
  /** Stream → how many more listings still show it after DeleteProgressUpdateStream. */
  readonly deleting = new Map<string, number>();
  call: AwsCaller = (_op, fn) => fn();

  private async op<T>(operation: string, detail: string, fn: () => T): Promise<T> {
    return this.call(operation, () => {
      this.calls.push(`${operation} ${detail}`.trim());
      const queued = this.failures.get(operation);
      const failure = queued?.shift();
      if (failure !== undefined) return Promise.reject(failure);
      try {
        return Promise.resolve(fn());
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private task(stream: string, name: string): FakeTask {
    const t = this.tasks.get(`${stream}/${name}`);
    if (t === undefined)
      throw awsError("ResourceNotFoundException", `Migration task ${name} was not found.`);
    return t;
  }

  readonly api: MigrationHubApi = {
    listProgressUpdateStreams: () =>
      this.op("ListProgressUpdateStreams", "", () => {
        const out = [...this.streams];
        for (const [name, left] of this.deleting) {
          if (left > 0) {
            out.push(name);
            this.deleting.set(name, left - 1);
          }
        }
        return out;
      }),
    createProgressUpdateStream: (name) =>
      this.op("CreateProgressUpdateStream", name, () => void this.streams.add(name)),
    deleteProgressUpdateStream: (name) =>
      this.op("DeleteProgressUpdateStream", name, () => {
        if (!this.streams.has(name))
          throw awsError(
            "ResourceNotFoundException",
            `Progress update stream ${name} was not found.`,
          );
        this.streams.delete(name);
        for (const key of [...this.tasks.keys()])
          if (key.startsWith(`${name}/`)) this.tasks.delete(key);
      }),
    importMigrationTask: ({ progressUpdateStream: stream, migrationTaskName: name }) =>
      this.op("ImportMigrationTask", `${stream}/${name}`, () => {
        if (!this.streams.has(stream))
          throw awsError(
            "ResourceNotFoundException",
            `Progress update stream ${stream} was not found.`,
          );
        if (!this.tasks.has(`${stream}/${name}`))
          this.tasks.set(`${stream}/${name}`, { resourceAttributes: [], artifacts: [] });
      }),
    describeMigrationTask: ({ progressUpdateStream: stream, migrationTaskName: name }) =>
      this.call("DescribeMigrationTask", () => {
        this.calls.push(`DescribeMigrationTask ${stream}/${name}`);
        const queued = this.failures.get("DescribeMigrationTask");
        const failure = queued?.shift();
        if (failure !== undefined) return Promise.reject(failure);
        const t = this.tasks.get(`${stream}/${name}`);
        if (t === undefined) return Promise.resolve(undefined);
        const next = this.script.get(`${stream}/${name}`)?.shift();
        if (next === "GONE") return Promise.resolve(undefined);
        if (next !== undefined) t.task = next;
        const record: MigrationTaskRecord = {
          resourceAttributes: t.resourceAttributes,
          ...(t.task === undefined ? {} : { task: t.task }),
          ...(t.updateDateTime === undefined ? {} : { updateDateTime: t.updateDateTime }),
        };
        return Promise.resolve(record);
      }),
    putResourceAttributes: (
      { progressUpdateStream: stream, migrationTaskName: name },
      attributes,
    ) =>
      this.op(
        "PutResourceAttributes",
        `${stream}/${name} ${attributes.map((a) => `${a.type}=${a.value}`).join(",")}`,
        () => {
          this.task(stream, name).resourceAttributes = [...attributes];
        },
      ),
    associateCreatedArtifact: (
      { progressUpdateStream: stream, migrationTaskName: name },
      artifact,
    ) =>
      this.op("AssociateCreatedArtifact", `${stream}/${name} ${artifact.name}`, () => {
        const t = this.task(stream, name);
        t.artifacts = [...t.artifacts.filter((a) => a.name !== artifact.name), artifact];
      }),
    disassociateCreatedArtifact: (
      { progressUpdateStream: stream, migrationTaskName: name },
      artifactName,
    ) =>
      this.op("DisassociateCreatedArtifact", `${stream}/${name} ${artifactName}`, () => {
        const t = this.task(stream, name);
        if (!t.artifacts.some((a) => a.name === artifactName))
          throw awsError("ResourceNotFoundException", "not associated");
        t.artifacts = t.artifacts.filter((a) => a.name !== artifactName);
      }),
    listCreatedArtifacts: ({ progressUpdateStream: stream, migrationTaskName: name }) =>
      this.op("ListCreatedArtifacts", `${stream}/${name}`, () => [
        ...this.task(stream, name).artifacts,
      ]),
    notifyMigrationTaskState: (
      { progressUpdateStream: stream, migrationTaskName: name },
      task,
      updateDateTime,
      nextUpdateSeconds,
    ) =>
      this.op(
        "NotifyMigrationTaskState",
        `${stream}/${name} ${task.status} ${task.progressPercent ?? "-"} ${updateDateTime.toISOString()} ${nextUpdateSeconds}`,
        () => {
          const t = this.task(stream, name);
          t.task = task;
          t.updateDateTime = updateDateTime;
        },
      ),
  };

  /** The ApiFactory to pass as `deps.api`: keeps the provider's retrying caller. */
  readonly factory = (_settings: unknown, call: AwsCaller): MigrationHubApi => {
    this.call = call;
    return this.api;
  };
}

/** An error shaped like an SDK v3 service exception. */
export function awsError(name: string, message: string, status = 400): Error {
  const e = new Error(message) as Error & {
    $metadata: { httpStatusCode: number; requestId: string };
  };
  e.name = name;
  e.$metadata = { httpStatusCode: status, requestId: "req-1" };
  return e;
}

/** A config source for configure(). */
export const config = (values: Record<string, string> = {}): { config: ConfigSource } =>
  configSource({ "aws:region": "us-west-2", ...values });

/**
 * A provider on a FakeMigrationHub with a manual clock at `start` and a logger that records every
 * line as written (no rate limit), configured with `values`.
 */
export async function hubProvider(
  create: (deps: Partial<Deps<MigrationHubApi>>) => ProviderImplementation,
  hub: FakeMigrationHub,
  start: number,
  values: Record<string, string>,
): Promise<{
  hub: FakeMigrationHub;
  clock: ManualClock;
  lines: string[];
  provider: ProviderImplementation;
}> {
  const clock = manualClock(start);
  const lines: string[] = [];
  const provider = create({
    clock,
    random: () => 0,
    logger: createLogger({ sink: (l) => lines.push(l), clock, minIntervalMs: 0 }),
    api: hub.factory,
    env: {},
  });
  await provider.configure(config(values));
  return { hub, clock, lines, provider };
}
