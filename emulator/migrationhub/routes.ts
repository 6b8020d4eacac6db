import type { AwsJsonService } from "../core/service";

/** Migration Hub (awsJson1_1, AWSMigrationHub). */
export const migrationHubService: AwsJsonService = {
  key: "migrationhub",
  protocol: "awsJson1_1",
  signingNames: ["mgh"],
  targetPrefix: "AWSMigrationHub",
  messageKey: "Message",
  operations: {},
};

/** Migration Hub Config (awsJson1_1, AWSMigrationHubMultiAccountService; signs as "mgh"). */
export const migrationHubConfigService: AwsJsonService = {
  key: "migrationhub-config",
  protocol: "awsJson1_1",
  signingNames: ["mgh"],
  targetPrefix: "AWSMigrationHubMultiAccountService",
  messageKey: "Message",
  operations: {},
};
