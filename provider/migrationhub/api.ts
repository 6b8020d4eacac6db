/**
 * The only network I/O of the Migration Hub resources. Each method makes its SDK call(s) through
 * `call(operation, fn)`: the core's one AWS caller (our retries, the shared AdaptiveThrottle, and
 * the spec's home-region advice); the SDK client itself is built with `maxAttempts: 1`.
 */
import type * as MigrationHub from "@aws-sdk/client-migration-hub";
import { clientConfig, type ProviderSettings } from "../core/config";
import { isAwsApiError } from "../core/errors";
import type { AwsCaller } from "../core/task/spec";
import type {
  CreatedArtifact,
  MigrationTaskRecord,
  ResourceAttribute,
  ResourceAttributeType,
  TaskState,
} from "./migrationTaskLogic";

export interface MigrationHubApi {
  /** Every stream name in the account (all pages). */
  listProgressUpdateStreams(): Promise<string[]>;
  createProgressUpdateStream(name: string): Promise<void>;
  deleteProgressUpdateStream(name: string): Promise<void>;
  importMigrationTask(stream: string, name: string): Promise<void>;
  /** undefined when AWS answers ResourceNotFoundException (no such task or stream). */
  describeMigrationTask(stream: string, name: string): Promise<MigrationTaskRecord | undefined>;
  putResourceAttributes(
    stream: string,
    name: string,
    attributes: readonly ResourceAttribute[],
  ): Promise<void>;
  associateCreatedArtifact(stream: string, name: string, artifact: CreatedArtifact): Promise<void>;
  disassociateCreatedArtifact(stream: string, name: string, artifactName: string): Promise<void>;
  /** Every artifact associated with the task (all pages of at most 10). */
  listCreatedArtifacts(stream: string, name: string): Promise<CreatedArtifact[]>;
  notifyMigrationTaskState(
    stream: string,
    name: string,
    task: TaskState,
    updateDateTime: Date,
    nextUpdateSeconds: number,
  ): Promise<void>;
}

function isNotFound(err: unknown): boolean {
  return isAwsApiError(err) && err.code === "ResourceNotFoundException";
}

/** Every item of a listing: one call per page, so a retry repeats one page, not the listing. */
async function allPages<P extends { NextToken?: string }, R>(
  page: (token: string | undefined) => Promise<P>,
  items: (p: P) => R[],
): Promise<R[]> {
  const out: R[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    out.push(...items(p));
    token = p.NextToken;
  } while (token !== undefined && token !== "");
  return out;
}

function toTask(t: MigrationHub.Task | undefined): TaskState | undefined {
  if (t?.Status === undefined) return undefined;
  const task: TaskState = { status: t.Status };
  if (t.StatusDetail !== undefined) task.statusDetail = t.StatusDetail;
  if (t.ProgressPercent !== undefined) task.progressPercent = t.ProgressPercent;
  return task;
}

/** Builds the SDK client (required here, so nothing SDK-shaped is ever serialized) and the api. */
export function createMigrationHubApi(
  settings: ProviderSettings,
  call: AwsCaller,
): MigrationHubApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-migration-hub") as typeof MigrationHub;
  // The aggregated client: one method per operation over the same MigrationHubClient stack.
  const hub = new sdk.MigrationHub(clientConfig(settings, "migrationhub"));
  /** A call whose answer carries nothing we use. */
  const write = async (operation: string, fn: () => Promise<unknown>): Promise<void> => {
    await call(operation, fn);
  };
  // Every task operation names the task by its stream and name.
  const key = (stream: string, name: string) => ({
    ProgressUpdateStream: stream,
    MigrationTaskName: name,
  });

  return {
    listProgressUpdateStreams: () =>
      allPages(
        (NextToken) =>
          call("ListProgressUpdateStreams", () =>
            hub.listProgressUpdateStreams({ MaxResults: 100, NextToken }),
          ),
        (page) =>
          (page.ProgressUpdateStreamSummaryList ?? []).flatMap((s) =>
            s.ProgressUpdateStreamName === undefined ? [] : [s.ProgressUpdateStreamName],
          ),
      ),

    createProgressUpdateStream: (name) =>
      write("CreateProgressUpdateStream", () =>
        hub.createProgressUpdateStream({ ProgressUpdateStreamName: name }),
      ),

    deleteProgressUpdateStream: (name) =>
      write("DeleteProgressUpdateStream", () =>
        hub.deleteProgressUpdateStream({ ProgressUpdateStreamName: name }),
      ),

    importMigrationTask: (stream, name) =>
      write("ImportMigrationTask", () => hub.importMigrationTask(key(stream, name))),

    async describeMigrationTask(stream, name) {
      try {
        const out = await call("DescribeMigrationTask", () =>
          hub.describeMigrationTask(key(stream, name)),
        );
        const t = out.MigrationTask;
        const record: MigrationTaskRecord = {
          progressUpdateStream: t?.ProgressUpdateStream ?? stream,
          migrationTaskName: t?.MigrationTaskName ?? name,
          resourceAttributes: (t?.ResourceAttributeList ?? []).map((a) => ({
            type: a.Type as ResourceAttributeType,
            value: a.Value ?? "",
          })),
        };
        const task = toTask(t?.Task);
        if (task !== undefined) record.task = task;
        if (t?.UpdateDateTime !== undefined) record.updateDateTime = t.UpdateDateTime;
        return record;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    putResourceAttributes: (stream, name, attributes) =>
      write("PutResourceAttributes", () =>
        hub.putResourceAttributes({
          ...key(stream, name),
          ResourceAttributeList: attributes.map((a) => ({ Type: a.type, Value: a.value })),
        }),
      ),

    associateCreatedArtifact: (stream, name, { name: Name, description: Description }) =>
      write("AssociateCreatedArtifact", () =>
        hub.associateCreatedArtifact({
          ...key(stream, name),
          CreatedArtifact: Description === undefined ? { Name } : { Name, Description },
        }),
      ),

    disassociateCreatedArtifact: (stream, name, artifactName) =>
      write("DisassociateCreatedArtifact", () =>
        hub.disassociateCreatedArtifact({
          ...key(stream, name),
          CreatedArtifactName: artifactName,
        }),
      ),

    listCreatedArtifacts: (stream, name) =>
      allPages(
        (NextToken) =>
          call("ListCreatedArtifacts", () =>
            hub.listCreatedArtifacts({ ...key(stream, name), MaxResults: 10, NextToken }),
          ),
        (page) =>
          (page.CreatedArtifactList ?? []).flatMap(({ Name: name, Description: description }) =>
            name === undefined
              ? []
              : [description === undefined ? { name } : { name, description }],
          ),
      ),

    notifyMigrationTaskState: (stream, name, task, updateDateTime, nextUpdateSeconds) =>
      write("NotifyMigrationTaskState", () =>
        hub.notifyMigrationTaskState({
          ...key(stream, name),
          Task: {
            Status: task.status,
            ...(task.statusDetail === undefined ? {} : { StatusDetail: task.statusDetail }),
            ...(task.progressPercent === undefined
              ? {}
              : { ProgressPercent: task.progressPercent }),
          },
          UpdateDateTime: updateDateTime,
          NextUpdateSeconds: nextUpdateSeconds,
        }),
      ),
  };
}
