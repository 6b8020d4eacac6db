import type { Ec2QueryService } from "../core/service";
import {
  cancelConversionTask,
  cancelImportTask,
  deleteSnapshot,
  deregisterImage,
  describeConversionTasks,
  describeImages,
  describeImportImageTasks,
  importImage,
  importInstance,
} from "./models";
import { conversionTaskXml, imageXml, importImageResultXml, importImageTaskXml } from "./responses";

/** EC2 VM Import/Export (ec2 Query protocol, 2016-11-15). */
export const ec2Service: Ec2QueryService = {
  key: "ec2",
  protocol: "ec2Query",
  signingNames: ["ec2"],
  version: "2016-11-15",
  operations: {
    CancelConversionTask: {
      handler: (ctx, params) => {
        cancelConversionTask(ctx, params);
        return { return: true };
      },
    },
    CancelImportTask: { handler: (ctx, params) => ({ ...cancelImportTask(ctx, params) }) },
    DeleteSnapshot: {
      handler: (ctx, params) => {
        deleteSnapshot(ctx, params);
        return { return: true };
      },
    },
    DeregisterImage: {
      handler: (ctx, params) => {
        const out = deregisterImage(ctx, params);
        return {
          return: true,
          deleteSnapshotResultSet: out.deletedSnapshots?.map((snapshotId) => ({
            snapshotId,
            returnCode: "success",
          })),
        };
      },
    },
    DescribeConversionTasks: {
      handler: (ctx, params) => ({
        conversionTasks: describeConversionTasks(ctx, params).map(conversionTaskXml),
      }),
    },
    DescribeImages: {
      handler: (ctx, params) => ({ imagesSet: describeImages(ctx, params).map(imageXml) }),
    },
    DescribeImportImageTasks: {
      handler: (ctx, params) => {
        const out = describeImportImageTasks(ctx, params);
        return { importImageTaskSet: out.tasks.map(importImageTaskXml), nextToken: out.nextToken };
      },
    },
    ImportImage: { handler: (ctx, params) => importImageResultXml(importImage(ctx, params)) },
    ImportInstance: {
      handler: (ctx, params) => ({
        conversionTask: conversionTaskXml(importInstance(ctx, params)),
      }),
    },
  },
};
