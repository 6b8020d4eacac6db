export type { CreatedArtifact, ResourceAttribute, TaskStatus } from "./api";
export { MigrationTask, type MigrationTaskArgs } from "./migrationTask";
export type { InitialState, WaitTarget } from "./migrationTaskSpec";
export { ProgressUpdateStream, type ProgressUpdateStreamArgs } from "./progressUpdateStream";
