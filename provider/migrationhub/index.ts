export { MigrationTask, type MigrationTaskArgs } from "./migrationTask";
export type {
  CreatedArtifact,
  InitialState,
  ResourceAttribute,
  TaskStatus,
  WaitTarget,
} from "./migrationTask";
export { ProgressUpdateStream, type ProgressUpdateStreamArgs } from "./progressUpdateStream";
