/**
 * pulumi-aws-migration: Pulumi resources for AWS migration import jobs. One namespace per AWS
 * service; named exports only.
 */
export * as ads from "./ads";
export * as ec2 from "./ec2";
export * as mgn from "./mgn";
export * as migrationhub from "./migrationhub";
export {
  AwsApiError,
  ImportTaskFailedError,
  InputValidationError,
  MigrationError,
  WaitAbortedError,
  WaiterTimeoutError,
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
  isMigrationError,
  isWaitAbortedError,
  isWaiterTimeoutError,
} from "./core/errors";
export * from "./core/task/targetArgs";
