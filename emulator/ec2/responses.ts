import type { XmlObject } from "../core/xml";
import type { ImageView } from "./models/amis";
import type { ConversionTaskView } from "./models/conversions";
import type { ImportImageTaskView } from "./models/importImages";
import type { ImportSnapshotTaskView } from "./models/importSnapshots";
import type { InstanceView, VolumeView } from "./models/instances";
import type { SnapshotView } from "./models/snapshots";
import type { Tag, UserBucket } from "./models/state";

/** Backend views → EC2 XML member names (lowerCamel `locationName`s; lists render as `<item>`). */

const tagSet = (tags: readonly Tag[]): XmlObject[] | undefined =>
  tags.length > 0 ? tags.map((t) => ({ key: t.Key, value: t.Value })) : undefined;

const userBucketXml = (b: UserBucket | undefined): XmlObject | undefined =>
  b ? { s3Bucket: b.S3Bucket, s3Key: b.S3Key } : undefined;

export function conversionTaskXml(t: ConversionTaskView): XmlObject {
  const ii = t.importInstance;
  return {
    conversionTaskId: t.conversionTaskId,
    expirationTime: t.expirationTime,
    importInstance: {
      description: ii.description,
      instanceId: ii.instanceId,
      platform: ii.platform,
      volumes: ii.volumes.map((v) => ({
        availabilityZone: v.availabilityZone,
        bytesConverted: v.bytesConverted,
        description: v.description,
        image: {
          format: v.image.format,
          importManifestUrl: v.image.importManifestUrl,
          size: v.image.size,
        },
        status: v.status,
        statusMessage: v.statusMessage,
        volume: { id: v.volume.id, size: v.volume.size },
      })),
    },
    state: t.state,
    statusMessage: t.statusMessage,
  };
}

export function importImageTaskXml(t: ImportImageTaskView): XmlObject {
  return {
    architecture: t.architecture,
    bootMode: t.bootMode,
    description: t.description,
    encrypted: t.encrypted,
    hypervisor: t.hypervisor,
    imageId: t.imageId,
    importTaskId: t.importTaskId,
    kmsKeyId: t.kmsKeyId,
    licenseType: t.licenseType,
    licenseSpecifications:
      t.licenseConfigurationArns.length > 0
        ? t.licenseConfigurationArns.map((arn) => ({ licenseConfigurationArn: arn }))
        : undefined,
    platform: t.platform,
    progress: t.progress,
    snapshotDetailSet: t.snapshotDetails.map((d) => ({
      description: d.description,
      deviceName: d.deviceName,
      diskImageSize: d.diskImageSize,
      format: d.format,
      snapshotId: d.snapshotId,
      status: d.status,
      statusMessage: d.statusMessage,
      url: d.url,
      userBucket: userBucketXml(d.userBucket),
    })),
    status: t.status,
    statusMessage: t.statusMessage,
    tagSet: tagSet(t.tags),
    usageOperation: t.usageOperation,
  };
}

/** ImportImage's result is the task without BootMode (ImportImageResult has no such member). */
export function importImageResultXml(t: ImportImageTaskView): XmlObject {
  const { bootMode: _bootMode, ...rest } = importImageTaskXml(t);
  return rest;
}

/** ImportSnapshot's result and each item of DescribeImportSnapshotTasks (the same members). */
export function importSnapshotTaskXml(t: ImportSnapshotTaskView): XmlObject {
  const d = t.snapshotTaskDetail;
  return {
    description: t.description,
    importTaskId: t.importTaskId,
    snapshotTaskDetail: {
      description: d.description,
      diskImageSize: d.diskImageSize,
      encrypted: d.encrypted,
      format: d.format,
      kmsKeyId: d.kmsKeyId,
      progress: d.progress,
      snapshotId: d.snapshotId,
      status: d.status,
      statusMessage: d.statusMessage,
      url: d.url,
      userBucket: userBucketXml(d.userBucket),
    },
    tagSet: tagSet(t.tags),
  };
}

export function snapshotXml(view: SnapshotView): XmlObject {
  const s = view.record;
  return {
    snapshotId: s.snapshotId,
    volumeId: view.volumeId,
    status: "completed",
    startTime: view.startTime,
    progress: "100%",
    ownerId: view.ownerId,
    description: s.description,
    volumeSize: s.volumeSize,
    encrypted: s.encrypted,
    kmsKeyId: s.kmsKeyId,
    storageTier: "standard",
  };
}

export function imageXml(view: ImageView): XmlObject {
  const img = view.record;
  return {
    imageId: img.imageId,
    imageLocation: `${view.ownerId}/${img.name}`,
    imageState: "available",
    imageOwnerId: view.ownerId,
    creationDate: view.creationDate,
    isPublic: false,
    architecture: img.architecture,
    imageType: "machine",
    platform: img.platform === "Windows" ? "windows" : undefined,
    platformDetails: img.platform === "Windows" ? "Windows" : "Linux/UNIX",
    usageOperation: img.usageOperation,
    name: img.name,
    description: img.description,
    rootDeviceType: "ebs",
    rootDeviceName: img.blockDevices[0]?.deviceName,
    blockDeviceMapping: img.blockDevices.map((b) => ({
      deviceName: b.deviceName,
      ebs: {
        deleteOnTermination: true,
        snapshotId: b.snapshotId,
        volumeSize: b.volumeSize,
        volumeType: "gp2",
        encrypted: img.encrypted,
        kmsKeyId: img.kmsKeyId,
      },
    })),
    virtualizationType: "hvm",
    hypervisor: "xen",
    bootMode: img.bootMode,
  };
}

/** One instance per reservation, as instances launched by separate requests are. */
export function reservationXml(view: InstanceView, ownerId: string): XmlObject {
  const i = view.record;
  return {
    reservationId: `r-${i.instanceId.slice(2)}`,
    ownerId,
    instancesSet: [
      {
        instanceId: i.instanceId,
        instanceState: { code: view.state.code, name: view.state.name },
        instanceType: i.instanceType,
        placement: { availabilityZone: i.availabilityZone, tenancy: "default" },
        platform: i.platform === "Windows" ? "windows" : undefined,
        architecture: i.architecture,
        launchTime: new Date(Math.floor(i.launchMs / 1000) * 1000).toISOString(),
        rootDeviceType: "ebs",
        rootDeviceName: "/dev/sda1",
        blockDeviceMapping:
          view.state.name === "terminated"
            ? undefined
            : [
                {
                  deviceName: "/dev/sda1",
                  ebs: { volumeId: i.volumeId, status: "attached", deleteOnTermination: false },
                },
              ],
      },
    ],
  };
}

export function instanceStateChangeXml(change: {
  instanceId: string;
  previous: InstanceView["state"];
  current: InstanceView["state"];
}): XmlObject {
  return {
    instanceId: change.instanceId,
    currentState: { code: change.current.code, name: change.current.name },
    previousState: { code: change.previous.code, name: change.previous.name },
  };
}

export function volumeXml(view: VolumeView): XmlObject {
  const v = view.record;
  return {
    volumeId: v.volumeId,
    size: v.size,
    availabilityZone: v.availabilityZone,
    status: view.status,
    createTime: view.createTime,
    volumeType: "standard",
    encrypted: false,
    attachmentSet:
      v.instanceId === undefined
        ? undefined
        : [
            {
              volumeId: v.volumeId,
              instanceId: v.instanceId,
              device: "/dev/sda1",
              status: "attached",
              deleteOnTermination: false,
            },
          ],
  };
}
