import type { AwsQueryService } from "../core/service";
import { assumeRole, getCallerIdentity } from "./models";

/**
 * AWS Security Token Service (awsQuery, version 2011-06-15, signing name "sts"). Reached at the
 * emulator's one URL like every other service: AWS_ENDPOINT_URL applies to STS clients too.
 */
export const stsService: AwsQueryService = {
  key: "sts",
  protocol: "awsQuery",
  signingNames: ["sts"],
  version: "2011-06-15",
  xmlNamespace: "https://sts.amazonaws.com/doc/2011-06-15/",
  // AssumeRole checks the caller's sts:AssumeRole itself (its AccessDenied names the role);
  // GetCallerIdentity needs no permission at all.
  selfAuthorized: ["AssumeRole", "GetCallerIdentity"],
  operations: {
    AssumeRole: { handler: assumeRole },
    GetCallerIdentity: { handler: getCallerIdentity },
  },
};
