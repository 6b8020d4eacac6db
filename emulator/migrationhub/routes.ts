import type { AwsJsonService } from "../core/service";
import {
  createHomeRegionControl,
  deleteHomeRegionControl,
  describeHomeRegionControls,
  getHomeRegion,
} from "./configModels";
import { migrationHubFrontDoorErrors } from "./errors";
import {
  associateCreatedArtifact,
  createProgressUpdateStream,
  deleteProgressUpdateStream,
  describeMigrationTask,
  importMigrationTask,
  listCreatedArtifacts,
  listMigrationTasks,
  listProgressUpdateStreams,
  notifyMigrationTaskState,
  putResourceAttributes,
} from "./models";

/** Migration Hub (awsJson1_1, AWSMigrationHub). */
export const migrationHubService: AwsJsonService = {
  key: "migrationhub",
  protocol: "awsJson1_1",
  signingNames: ["mgh"],
  targetPrefix: "AWSMigrationHub",
  messageKey: "Message",
  errors: migrationHubFrontDoorErrors,
  operations: {
    AssociateCreatedArtifact: { handler: associateCreatedArtifact },
    CreateProgressUpdateStream: { handler: createProgressUpdateStream },
    DeleteProgressUpdateStream: { handler: deleteProgressUpdateStream },
    DescribeMigrationTask: { handler: describeMigrationTask },
    ImportMigrationTask: { handler: importMigrationTask },
    ListCreatedArtifacts: { handler: listCreatedArtifacts },
    ListMigrationTasks: { handler: listMigrationTasks },
    ListProgressUpdateStreams: { handler: listProgressUpdateStreams },
    NotifyMigrationTaskState: { handler: notifyMigrationTaskState },
    PutResourceAttributes: { handler: putResourceAttributes },
  },
};

/** Migration Hub Config (awsJson1_1, AWSMigrationHubMultiAccountService; signs as "mgh"). */
export const migrationHubConfigService: AwsJsonService = {
  key: "migrationhub-config",
  protocol: "awsJson1_1",
  signingNames: ["mgh"],
  targetPrefix: "AWSMigrationHubMultiAccountService",
  messageKey: "Message",
  errors: migrationHubFrontDoorErrors,
  operations: {
    CreateHomeRegionControl: { handler: createHomeRegionControl },
    DeleteHomeRegionControl: { handler: deleteHomeRegionControl },
    DescribeHomeRegionControls: { handler: describeHomeRegionControls },
    GetHomeRegion: { handler: getHomeRegion },
  },
};
