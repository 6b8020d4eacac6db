import { strict as assert } from "node:assert";
import {
  CancelConversionTaskCommand,
  CancelImportTaskCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeConversionTasksCommand,
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
  type ImportImageCommandInput,
  ImportImageCommand,
  type ImportImageTask,
  type ImportInstanceCommandInput,
  ImportInstanceCommand,
  waitUntilConversionTaskCompleted,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Emulator } from "../../emulator";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";

const BUCKET = "vm-imports";
const ACCOUNT = "123456789012";

/** Disk images that pass the emulator's format rules (see emulator/ec2/diskImage.ts). */
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}
function raw(sectors = 4): Buffer {
  const b = Buffer.alloc(512 * sectors);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}
function vhd(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("conectix", 512, "latin1");
  return b;
}
function vhdx(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("vhdxfile", 0, "latin1");
  return b;
}
function ova(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("vm.ovf", 0, "latin1");
  b.write("ustar", 257, "latin1");
  return b;
}
const MANIFEST = '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>';

function ec2(em: Emulator, region?: string): EC2Client {
  return new EC2Client(clientConfig(em, region));
}

async function upload(em: Emulator, files: Record<string, Buffer | string>): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(em), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
}

const advance = (em: Emulator, seconds: number): void => em.configure({ advanceSeconds: seconds });

async function describeTask(client: EC2Client, id: string): Promise<ImportImageTask> {
  const out = await client.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }));
  assert.equal(out.ImportImageTasks?.length, 1);
  return out.ImportImageTasks![0]!;
}

const vmdkImport = (extra: Partial<ImportImageCommandInput> = {}): ImportImageCommandInput => ({
  Description: "web server",
  Architecture: "x86_64",
  Platform: "Linux",
  DiskContainers: [{ Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } }],
  ...extra,
});

describe("emulator EC2 VM Import", () => {
  describe("ImportImage with a stopped clock", () => {
    // A near-stopped clock so that each stage is observed by advancing time by hand.
    const ctx = useEmulator({ timeScale: 0.001 });

    it("walks pending → … → preparing ami → completed and registers the AMI with its snapshots", async () => {
      const em = ctx.emulator;
      await upload(em, { "web.vmdk": vmdk(), "data.raw": raw() });
      const client = ec2(em);
      const started = await client.send(
        new ImportImageCommand(
          vmdkImport({
            DiskContainers: [
              { Format: "vmdk", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } },
              { Format: "RAW", Url: `s3://${BUCKET}/data.raw`, Description: "data" },
            ],
          }),
        ),
      );
      const { $metadata: _m, ImportTaskId, ...rest } = started;
      assert.match(ImportTaskId!, /^import-ami-[0-9a-f]{17}$/);
      assert.deepEqual(rest, {
        Architecture: "x86_64",
        Description: "web server",
        LicenseType: "BYOL",
        Platform: "Linux",
        Progress: "2",
        SnapshotDetails: [
          { Format: "VMDK", Status: "active", UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" } },
          { Description: "data", Format: "RAW", Status: "active", Url: `s3://${BUCKET}/data.raw` },
        ],
        Status: "active",
        StatusMessage: "pending",
      });

      const seen: string[] = [];
      let task = await describeTask(client, ImportTaskId!);
      for (let i = 0; i < 400 && task.Status === "active"; i++) {
        const step = `${task.Status}/${task.StatusMessage}/${task.Progress}`;
        if (seen[seen.length - 1] !== step) seen.push(step);
        advance(em, 5);
        task = await describeTask(client, ImportTaskId!);
      }
      assert.deepEqual(seen, [
        "active/pending/2",
        "active/validating/5",
        "active/validated/14",
        "active/converting/27",
        "active/updating/43",
        "active/booting/58",
        "active/booted/72",
        "active/preparing ami/86",
      ]);
      const imageId = task.ImageId!;
      assert.match(imageId, /^ami-[0-9a-f]{17}$/);
      const snaps = task.SnapshotDetails!.map((d) => d.SnapshotId!);
      for (const s of snaps) assert.match(s, /^snap-[0-9a-f]{17}$/);
      assert.deepEqual(task, {
        Architecture: "x86_64",
        Description: "web server",
        ImageId: imageId,
        ImportTaskId,
        LicenseType: "BYOL",
        Platform: "Linux",
        SnapshotDetails: [
          {
            DeviceName: "/dev/sda1",
            DiskImageSize: 2048,
            Format: "VMDK",
            SnapshotId: snaps[0],
            Status: "completed",
            UserBucket: { S3Bucket: BUCKET, S3Key: "web.vmdk" },
          },
          {
            Description: "data",
            DeviceName: "/dev/sdb",
            DiskImageSize: 2048,
            Format: "RAW",
            SnapshotId: snaps[1],
            Status: "completed",
            Url: `s3://${BUCKET}/data.raw`,
          },
        ],
        Status: "completed",
      });

      const images = await client.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const image = images.Images![0]!;
      assert.equal(images.Images!.length, 1);
      assert.match(image.CreationDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      assert.deepEqual(
        { ...image, CreationDate: "t" },
        {
          Architecture: "x86_64",
          BlockDeviceMappings: [
            {
              DeviceName: "/dev/sda1",
              Ebs: {
                DeleteOnTermination: true,
                Encrypted: false,
                SnapshotId: snaps[0],
                VolumeSize: 1,
                VolumeType: "gp2",
              },
            },
            {
              DeviceName: "/dev/sdb",
              Ebs: {
                DeleteOnTermination: true,
                Encrypted: false,
                SnapshotId: snaps[1],
                VolumeSize: 1,
                VolumeType: "gp2",
              },
            },
          ],
          CreationDate: "t",
          Description: "web server",
          Hypervisor: "xen",
          ImageId: imageId,
          ImageLocation: `${ACCOUNT}/${ImportTaskId}`,
          ImageType: "machine",
          Name: ImportTaskId,
          OwnerId: ACCOUNT,
          PlatformDetails: "Linux/UNIX",
          Public: false,
          RootDeviceName: "/dev/sda1",
          RootDeviceType: "ebs",
          State: "available",
          UsageOperation: "RunInstances",
          VirtualizationType: "hvm",
        },
      );
    });
  });
});
