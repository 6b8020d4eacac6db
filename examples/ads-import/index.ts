// Imports a discovery CSV (the Migration Hub import template) into Application Discovery Service
// and waits for it. Rows ADS rejects do not fail the import: it ends IMPORT_COMPLETE_WITH_ERRORS
// and the rejected rows are in errorsAndFailedEntriesZip (a secret, presigned S3 URL).
import * as pulumi from "@pulumi/pulumi";
import { ads } from "pulumi-aws-migration";

const config = new pulumi.Config();
const bucket = config.get("bucket") ?? "migration-demo";

const discovery = new ads.ImportTask("discovery", {
  name: "datacenter-1 servers",
  importUrl: `s3://${bucket}/discovery.csv`,
  waitTimeoutMinutes: 60,
});

export const importTaskId = discovery.importTaskId;
export const status = discovery.status;
export const serversImported = discovery.serverImportSuccess;
export const rowsRejected = discovery.serverImportFailure;
export const applicationsImported = discovery.applicationImportSuccess;
export const errorsAndFailedEntriesZip = discovery.errorsAndFailedEntriesZip;
