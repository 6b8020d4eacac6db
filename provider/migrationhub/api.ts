/** The only network I/O of the Migration Hub resources: typed calls through core's AWS caller. */
import type * as MigrationHub from "@aws-sdk/client-migration-hub";
import { clientConfig, type ProviderSettings } from "../core/config";
import { isAwsApiError } from "../core/errors";
import { paginate } from "../core/task/helpers";
import type { AwsCaller } from "../core/task/spec";

/** The SDK's unions: the model's enums (model.generated.ts), which check() enforces. */
export type TaskStatus = MigrationHub.Status;
export type ResourceAttributeType = MigrationHub.ResourceAttributeType;

export interface ResourceAttribute {
  type: ResourceAttributeType;
  value: string;
}

export interface CreatedArtifact {
  name: string;
  description?: string;
}

export interface TaskState {
  status: TaskStatus;
  statusDetail?: string;
  progressPercent?: number;
}

export interface MigrationTaskRecord {
  /** Absent until someone calls NotifyMigrationTaskState (AWS does not document the fresh shape). */
  task?: TaskState;
  updateDateTime?: Date;
  resourceAttributes: ResourceAttribute[];
}

/** A task's identity: every task operation names its stream and its name. */
export interface TaskKey {
  progressUpdateStream: string;
  migrationTaskName: string;
}

/** Writes resolve to AWS's answer, which carries nothing the resources use. */
export interface MigrationHubApi {
  listProgressUpdateStreams(): Promise<string[]>;
  createProgressUpdateStream(name: string): Promise<unknown>;
  deleteProgressUpdateStream(name: string): Promise<unknown>;
  importMigrationTask(task: TaskKey): Promise<unknown>;
  /** undefined when AWS answers ResourceNotFoundException (no such task or stream). */
  describeMigrationTask(task: TaskKey): Promise<MigrationTaskRecord | undefined>;
  putResourceAttributes(task: TaskKey, attributes: readonly ResourceAttribute[]): Promise<unknown>;
  associateCreatedArtifact(task: TaskKey, artifact: CreatedArtifact): Promise<unknown>;
  disassociateCreatedArtifact(task: TaskKey, artifactName: string): Promise<unknown>;
  listCreatedArtifacts(task: TaskKey): Promise<CreatedArtifact[]>;
  notifyMigrationTaskState(
    task: TaskKey,
    state: TaskState,
    updateDateTime: Date,
    nextUpdateSeconds: number,
  ): Promise<unknown>;
}

/** Every item of a listing: one call per page, so a retry repeats one page, not the listing. */
async function allPages<R>(
  page: (token: string | undefined) => Promise<{ items: R[]; nextToken?: string }>,
): Promise<R[]> {
  const out: R[] = [];
  await paginate(page, (item) => out.push(item));
  return out;
}

/** Builds the SDK client (required here, so nothing SDK-shaped is ever serialized) and the api. */
export function createMigrationHubApi(
  settings: ProviderSettings,
  call: AwsCaller,
): MigrationHubApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-migration-hub") as typeof MigrationHub;
  const hub = new sdk.MigrationHub(clientConfig(settings, "migrationhub"));
  const key = (task: TaskKey) => ({
    ProgressUpdateStream: task.progressUpdateStream,
    MigrationTaskName: task.migrationTaskName,
  });

  return {
    listProgressUpdateStreams: () =>
      allPages(async (NextToken) => {
        const page = await call("ListProgressUpdateStreams", () =>
          hub.listProgressUpdateStreams({ MaxResults: 100, NextToken }),
        );
        const names = (page.ProgressUpdateStreamSummaryList ?? []).map(
          (s) => s.ProgressUpdateStreamName,
        );
        return { items: names.filter((n) => n !== undefined), nextToken: page.NextToken };
      }),

    createProgressUpdateStream: (name) =>
      call("CreateProgressUpdateStream", () =>
        hub.createProgressUpdateStream({ ProgressUpdateStreamName: name }),
      ),

    deleteProgressUpdateStream: (name) =>
      call("DeleteProgressUpdateStream", () =>
        hub.deleteProgressUpdateStream({ ProgressUpdateStreamName: name }),
      ),

    importMigrationTask: (task) =>
      call("ImportMigrationTask", () => hub.importMigrationTask(key(task))),

    async describeMigrationTask(task) {
      try {
        const { MigrationTask: t } = await call("DescribeMigrationTask", () =>
          hub.describeMigrationTask(key(task)),
        );
        // Undefined members are left out of the outputs (normalizeOutputs).
        const record: MigrationTaskRecord = {
          resourceAttributes: (t?.ResourceAttributeList ?? []).map((a) => ({
            type: a.Type as ResourceAttributeType,
            value: a.Value ?? "",
          })),
          updateDateTime: t?.UpdateDateTime,
        };
        const { Status: status, StatusDetail: statusDetail, ProgressPercent: pct } = t?.Task ?? {};
        if (status !== undefined) record.task = { status, statusDetail, progressPercent: pct };
        return record;
      } catch (err) {
        if (isAwsApiError(err) && err.code === "ResourceNotFoundException") return undefined;
        throw err;
      }
    },

    putResourceAttributes: (task, attributes) =>
      call("PutResourceAttributes", () =>
        hub.putResourceAttributes({
          ...key(task),
          ResourceAttributeList: attributes.map((a) => ({ Type: a.type, Value: a.value })),
        }),
      ),

    // The SDK's JSON serializer leaves out undefined members (Description, StatusDetail, …).
    associateCreatedArtifact: (task, { name: Name, description: Description }) =>
      call("AssociateCreatedArtifact", () =>
        hub.associateCreatedArtifact({ ...key(task), CreatedArtifact: { Name, Description } }),
      ),

    disassociateCreatedArtifact: (task, artifactName) =>
      call("DisassociateCreatedArtifact", () =>
        hub.disassociateCreatedArtifact({ ...key(task), CreatedArtifactName: artifactName }),
      ),

    listCreatedArtifacts: (task) =>
      allPages(async (NextToken) => {
        const page = await call("ListCreatedArtifacts", () =>
          hub.listCreatedArtifacts({ ...key(task), MaxResults: 10, NextToken }),
        );
        const items = (page.CreatedArtifactList ?? []).flatMap(({ Name: name, Description }) =>
          name === undefined ? [] : [{ name, description: Description }],
        );
        return { items, nextToken: page.NextToken };
      }),

    notifyMigrationTaskState: (task, state, updateDateTime, nextUpdateSeconds) =>
      call("NotifyMigrationTaskState", () =>
        hub.notifyMigrationTaskState({
          ...key(task),
          Task: {
            Status: state.status,
            StatusDetail: state.statusDetail,
            ProgressPercent: state.progressPercent,
          },
          UpdateDateTime: updateDateTime,
          NextUpdateSeconds: nextUpdateSeconds,
        }),
      ),
  };
}
