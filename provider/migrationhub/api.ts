/**
 * The only network I/O of the Migration Hub resources, and the shapes it returns in our names.
 * Each SDK call goes through `call(operation, fn)`: the core's one AWS caller (retries, the shared
 * throttle, the spec's home-region advice); the SDK client itself makes one attempt.
 */
import type * as MigrationHub from "@aws-sdk/client-migration-hub";
import { clientConfig, type ProviderSettings } from "../core/config";
import { isAwsApiError } from "../core/errors";
import { paginate } from "../core/task/helpers";
import type { AwsCaller } from "../core/task/spec";

export type TaskStatus = "NOT_STARTED" | "IN_PROGRESS" | "FAILED" | "COMPLETED";

/** The model's ResourceAttributeType enum (model.generated.ts), which check() enforces. */
export type ResourceAttributeType =
  | "IPV4_ADDRESS"
  | "IPV6_ADDRESS"
  | "MAC_ADDRESS"
  | "FQDN"
  | "VM_MANAGER_ID"
  | "VM_MANAGED_OBJECT_REFERENCE"
  | "VM_NAME"
  | "VM_PATH"
  | "BIOS_ID"
  | "MOTHERBOARD_SERIAL_NUMBER";

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
  progressUpdateStream: string;
  migrationTaskName: string;
  /** Absent until someone calls NotifyMigrationTaskState (AWS does not document the fresh shape). */
  task?: TaskState;
  updateDateTime?: Date;
  resourceAttributes: ResourceAttribute[];
}

/** Writes resolve to AWS's answer, which carries nothing the resources use. */
export interface MigrationHubApi {
  listProgressUpdateStreams(): Promise<string[]>;
  createProgressUpdateStream(name: string): Promise<unknown>;
  deleteProgressUpdateStream(name: string): Promise<unknown>;
  importMigrationTask(stream: string, name: string): Promise<unknown>;
  /** undefined when AWS answers ResourceNotFoundException (no such task or stream). */
  describeMigrationTask(stream: string, name: string): Promise<MigrationTaskRecord | undefined>;
  putResourceAttributes(
    stream: string,
    name: string,
    attributes: readonly ResourceAttribute[],
  ): Promise<unknown>;
  associateCreatedArtifact(
    stream: string,
    name: string,
    artifact: CreatedArtifact,
  ): Promise<unknown>;
  disassociateCreatedArtifact(stream: string, name: string, artifactName: string): Promise<unknown>;
  listCreatedArtifacts(stream: string, name: string): Promise<CreatedArtifact[]>;
  notifyMigrationTaskState(
    stream: string,
    name: string,
    task: TaskState,
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
  const key = (stream: string, name: string) => ({
    ProgressUpdateStream: stream,
    MigrationTaskName: name,
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

    importMigrationTask: (stream, name) =>
      call("ImportMigrationTask", () => hub.importMigrationTask(key(stream, name))),

    async describeMigrationTask(stream, name) {
      try {
        const { MigrationTask: t } = await call("DescribeMigrationTask", () =>
          hub.describeMigrationTask(key(stream, name)),
        );
        // Undefined members are left out of the outputs (normalizeOutputs).
        const record: MigrationTaskRecord = {
          progressUpdateStream: t?.ProgressUpdateStream ?? stream,
          migrationTaskName: t?.MigrationTaskName ?? name,
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

    putResourceAttributes: (stream, name, attributes) =>
      call("PutResourceAttributes", () =>
        hub.putResourceAttributes({
          ...key(stream, name),
          ResourceAttributeList: attributes.map((a) => ({ Type: a.type, Value: a.value })),
        }),
      ),

    // The SDK's JSON serializer leaves out undefined members (Description, StatusDetail, …).
    associateCreatedArtifact: (stream, name, { name: Name, description: Description }) =>
      call("AssociateCreatedArtifact", () =>
        hub.associateCreatedArtifact({
          ...key(stream, name),
          CreatedArtifact: { Name, Description },
        }),
      ),

    disassociateCreatedArtifact: (stream, name, artifactName) =>
      call("DisassociateCreatedArtifact", () =>
        hub.disassociateCreatedArtifact({
          ...key(stream, name),
          CreatedArtifactName: artifactName,
        }),
      ),

    listCreatedArtifacts: (stream, name) =>
      allPages(async (NextToken) => {
        const page = await call("ListCreatedArtifacts", () =>
          hub.listCreatedArtifacts({ ...key(stream, name), MaxResults: 10, NextToken }),
        );
        const items = (page.CreatedArtifactList ?? []).flatMap(({ Name: name, Description }) =>
          name === undefined ? [] : [{ name, description: Description }],
        );
        return { items, nextToken: page.NextToken };
      }),

    notifyMigrationTaskState: (stream, name, task, updateDateTime, nextUpdateSeconds) =>
      call("NotifyMigrationTaskState", () =>
        hub.notifyMigrationTaskState({
          ...key(stream, name),
          Task: {
            Status: task.status,
            StatusDetail: task.statusDetail,
            ProgressPercent: task.progressPercent,
          },
          UpdateDateTime: updateDateTime,
          NextUpdateSeconds: nextUpdateSeconds,
        }),
      ),
  };
}
