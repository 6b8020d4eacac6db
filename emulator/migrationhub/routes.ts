import type { AwsJsonService } from "../core/service";
import {
  createHomeRegionControl,
  deleteHomeRegionControl,
  describeHomeRegionControls,
  getHomeRegion,
} from "./configModels";
import { MODEL as CONFIG_MODEL } from "./configModel.generated";
import { migrationHubFrontDoorErrors, refuseRequest } from "./errors";
import { MODEL } from "./model.generated";
import {
  associateCreatedArtifact,
  createProgressUpdateStream,
  deleteProgressUpdateStream,
  describeMigrationTask,
  disassociateCreatedArtifact,
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
  validation: { model: MODEL, refuse: refuseRequest },
  operations: {
    AssociateCreatedArtifact: { handler: associateCreatedArtifact },
    CreateProgressUpdateStream: { handler: createProgressUpdateStream },
    DeleteProgressUpdateStream: { handler: deleteProgressUpdateStream },
    DescribeMigrationTask: { handler: describeMigrationTask },
    DisassociateCreatedArtifact: { handler: disassociateCreatedArtifact },
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
  validation: { model: CONFIG_MODEL, refuse: refuseRequest },
  operations: {
    CreateHomeRegionControl: { handler: createHomeRegionControl },
    DeleteHomeRegionControl: { handler: deleteHomeRegionControl },
    DescribeHomeRegionControls: { handler: describeHomeRegionControls },
    GetHomeRegion: { handler: getHomeRegion },
  },
};
