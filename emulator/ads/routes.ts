import type { AwsJsonService } from "../core/service";
import { adsFilesRoute } from "./files";
import { batchDeleteImportData } from "./batchDelete";
import { refuseRequest } from "./errors";
import { describeImportTasks, startImportTask } from "./importTasks";
import { MODEL } from "./model.generated";

/**
 * Application Discovery Service (awsJson1_1, AWSPoseidonService_V2015_11_01). Its front-door errors
 * are awsJson1_1's defaults (ThrottlingException, ServerInternalErrorException,
 * AuthorizationErrorException).
 */
export const adsService: AwsJsonService = {
  key: "ads",
  protocol: "awsJson1_1",
  signingNames: ["discovery"],
  targetPrefix: "AWSPoseidonService_V2015_11_01",
  messageKey: "message",
  validation: { model: MODEL, refuse: refuseRequest },
  operations: {
    BatchDeleteImportData: { handler: batchDeleteImportData },
    DescribeImportTasks: { handler: describeImportTasks },
    StartImportTask: { handler: startImportTask },
  },
  rawRoutes: [adsFilesRoute],
};
