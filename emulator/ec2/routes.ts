import type { Ec2QueryService } from "../core/service";
import { refuseRequest } from "./errors";
import { MODEL } from "./model.generated";
import { deregisterImage, describeImages } from "./models/amis";
import {
  cancelConversionTask,
  describeConversionTasks,
  importInstance,
} from "./models/conversions";
import { describeImportImageTasks, IMAGE_TASKS, importImage } from "./models/importImages";
import {
  describeImportSnapshotTasks,
  importSnapshot,
  SNAPSHOT_TASKS,
} from "./models/importSnapshots";
import { cancelImportTask } from "./models/importTasks";
import {
  deleteVolume,
  describeInstances,
  describeVolumes,
  terminateInstances,
} from "./models/instances";
import { deleteSnapshot, describeSnapshots } from "./models/snapshots";
import {
  conversionTaskXml,
  imageXml,
  importImageResultXml,
  importImageTaskXml,
  importSnapshotTaskXml,
  instanceStateChangeXml,
  reservationXml,
  snapshotXml,
  volumeXml,
} from "./responses";

/** EC2 VM Import/Export (ec2 Query protocol, 2016-11-15). */
export const ec2Service: Ec2QueryService = {
  key: "ec2",
  protocol: "ec2Query",
  signingNames: ["ec2"],
  version: "2016-11-15",
  validation: {
    model: MODEL,
    refuse: (problems, operation) => refuseRequest(MODEL, problems, operation),
  },
  operations: {
    CancelConversionTask: {
      handler: (ctx, params) => {
        cancelConversionTask(ctx, params);
        return { return: true };
      },
    },
    CancelImportTask: {
      handler: (ctx, params) => ({
        ...cancelImportTask(ctx, params, [IMAGE_TASKS, SNAPSHOT_TASKS]),
      }),
    },
    DeleteSnapshot: {
      handler: (ctx, params) => {
        deleteSnapshot(ctx, params);
        return { return: true };
      },
    },
    DeleteVolume: {
      handler: (ctx, params) => {
        deleteVolume(ctx, params);
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
    DescribeImportSnapshotTasks: {
      handler: (ctx, params) => {
        const out = describeImportSnapshotTasks(ctx, params);
        return {
          importSnapshotTaskSet: out.tasks.map(importSnapshotTaskXml),
          nextToken: out.nextToken,
        };
      },
    },
    DescribeInstances: {
      handler: (ctx, params) => ({
        reservationSet: describeInstances(ctx, params).map((v) => reservationXml(v, ctx.accountId)),
      }),
    },
    DescribeSnapshots: {
      handler: (ctx, params) => {
        const out = describeSnapshots(ctx, params);
        return { snapshotSet: out.snapshots.map(snapshotXml), nextToken: out.nextToken };
      },
    },
    DescribeVolumes: {
      handler: (ctx, params) => ({ volumeSet: describeVolumes(ctx, params).map(volumeXml) }),
    },
    ImportImage: { handler: (ctx, params) => importImageResultXml(importImage(ctx, params)) },
    ImportInstance: {
      handler: (ctx, params) => ({
        conversionTask: conversionTaskXml(importInstance(ctx, params)),
      }),
    },
    ImportSnapshot: {
      handler: (ctx, params) => importSnapshotTaskXml(importSnapshot(ctx, params)),
    },
    TerminateInstances: {
      handler: (ctx, params) => ({
        instancesSet: terminateInstances(ctx, params).map(instanceStateChangeXml),
      }),
    },
  },
};
