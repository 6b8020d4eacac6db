import type { RestJsonService } from "../core/service";
import { mgnFrontDoorErrors, refuseRequest } from "./errors";
import { listImportErrors } from "./importErrors";
import { initializeService, listImports, startImport } from "./imports";
import {
  deleteApplication,
  deleteSourceServer,
  deleteWave,
  describeSourceServers,
  listApplications,
  listWaves,
} from "./inventory";
import { MODEL } from "./model.generated";

/** Application Migration Service (restJson1). */
export const mgnService: RestJsonService = {
  key: "mgn",
  protocol: "restJson1",
  signingNames: ["mgn"],
  errors: mgnFrontDoorErrors,
  validation: { model: MODEL, refuse: refuseRequest },
  operations: {
    DeleteApplication: {
      method: "POST",
      path: "/DeleteApplication",
      successStatus: 204,
      handler: deleteApplication,
    },
    DeleteSourceServer: {
      method: "POST",
      path: "/DeleteSourceServer",
      successStatus: 204,
      handler: deleteSourceServer,
    },
    DeleteWave: { method: "POST", path: "/DeleteWave", successStatus: 204, handler: deleteWave },
    DescribeSourceServers: {
      method: "POST",
      path: "/DescribeSourceServers",
      handler: describeSourceServers,
    },
    InitializeService: {
      method: "POST",
      path: "/InitializeService",
      successStatus: 204,
      handler: initializeService,
    },
    ListApplications: { method: "POST", path: "/ListApplications", handler: listApplications },
    ListImportErrors: { method: "POST", path: "/ListImportErrors", handler: listImportErrors },
    ListImports: { method: "POST", path: "/ListImports", handler: listImports },
    ListWaves: { method: "POST", path: "/ListWaves", handler: listWaves },
    StartImport: { method: "POST", path: "/StartImport", successStatus: 202, handler: startImport },
  },
};
