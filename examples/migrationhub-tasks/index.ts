// Registers the servers of a wave with Migration Hub: one progress update stream (the migration
// tool's namespace) and one migration task per server, each with the attributes ADS matches on.
import { migrationhub } from "pulumi-aws-migration";

const servers = [
  { name: "web-01", ip: "10.0.1.11" },
  { name: "db-01", ip: "10.0.2.21" },
];

const stream = new migrationhub.ProgressUpdateStream("tool", {
  progressUpdateStreamName: "example-migration-tool",
});

const tasks = servers.map(
  (server) =>
    new migrationhub.MigrationTask(server.name, {
      progressUpdateStream: stream.progressUpdateStreamName,
      migrationTaskName: `wave-1-${server.name}`,
      resourceAttributes: [{ type: "IPV4_ADDRESS", value: server.ip }],
      initialState: { status: "IN_PROGRESS", statusDetail: "replicating", progressPercent: 10 },
    }),
);

export const progressUpdateStream = stream.progressUpdateStreamName;
export const taskIds = tasks.map((t) => t.id);
export const statuses = tasks.map((t) => t.status);
export const progress = tasks.map((t) => t.progressPercent);
