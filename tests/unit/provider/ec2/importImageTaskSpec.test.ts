import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../../../provider/core/unknown";
import {
  adviceFor,
  diskIdentity,
  imageImport,
  importImageRequest,
  importImageTaskSpec as spec,
  tokens,
} from "../../../../provider/ec2/importImageTaskSpec";
import { image } from "./specAdapters";

import type { Ec2Image, ImageTask } from "../../../../provider/ec2/types";
import { parseProgress, stableUrl, stableValue } from "../../../../provider/ec2/shared";

const { asInputs, checkInputs, diffInputs, inputsOf, waitTimeoutMs } = image;
const { defaultClientToken, fallbackToken, successorToken } = tokens;
const createAcceptors = spec.acceptors("create", {});
const cancelAcceptors = spec.acceptors("cancel", {});
const recordedTask = imageImport.recorded;
const toOutputs = (raw: Record<string, unknown>, task: ImageTask, image?: Ec2Image) =>
  spec.toOutputs(raw, task, imageImport.outputs(task, image));

const ID = "import-ami-0123456789abcdef0";
const DISK = { format: "VMDK", userBucket: { s3Bucket: "vm-imports", s3Key: "web.vmdk" } };
const VALID = { diskContainers: [DISK] };
const PRESIGNED =
  "https://vm-imports.s3.us-west-2.amazonaws.com/web.vmdk?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef";
const RESIGNED = PRESIGNED.replace("20260101T000000Z", "20260102T000000Z").replace(
  "deadbeef",
  "cafef00d",
);

const TASK: ImageTask = {
  importTaskId: ID,
  status: "completed",
  imageId: "ami-0123456789abcdef0",
  platform: "Linux",
  architecture: "x86_64",
  licenseType: "BYOL",
  snapshotDetails: [
    {
      deviceName: "/dev/sda1",
      diskImageSize: 2048,
      format: "VMDK",
      snapshotId: "snap-0123456789abcdef0",
      status: "completed",
    },
  ],
};

describe("ec2.ImportImageTask spec", () => {
  describe("checkInputs", () => {
    const cases: {
      title: string;
      inputs: Record<string, unknown>;
      failures: { property: string; reason: string }[];
    }[] = [
      { title: "accepts one disk in a user bucket", inputs: VALID, failures: [] },
      {
        title: "accepts every parameter set to a valid value",
        inputs: {
          diskContainers: [
            { ...DISK, description: "boot", deviceName: "/dev/sda1" },
            { format: "raw", url: "s3://vm-imports/data.raw" },
            { format: "vhd", url: PRESIGNED },
          ],
          architecture: "x86_64",
          platform: "Windows",
          licenseType: "AWS",
          bootMode: "uefi",
          description: "web server",
          encrypted: true,
          kmsKeyId: "alias/vm-import",
          hypervisor: "xen",
          roleName: "vmimport",
          licenseSpecifications: [
            {
              licenseConfigurationArn:
                "arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-0123",
            },
          ],
          tags: { Name: "web", team: "migration" },
          usageOperation: "RunInstances:0002",
          clientData: {
            comment: "wave 1",
            uploadStart: "2026-01-01T10:00:00Z",
            uploadEnd: "2026-01-01T11:00:00Z",
            uploadSize: 40,
          },
          clientToken: "t".repeat(64),
          waitForCompletion: false,
          waitTimeoutMinutes: 10080,
          retainOnDelete: false,
          retainImageOnDelete: false,
          retainSnapshotsOnDelete: true,
        },
        failures: [],
      },
      {
        title: "requires diskContainers unless adopting",
        inputs: {},
        failures: [
          {
            property: "diskContainers",
            reason:
              'is required. Fix: list the VM\'s disks, e.g. [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }], or set adoptImportTaskId',
          },
        ],
      },
      {
        title: "lets adoptImportTaskId stand in for the disks",
        inputs: { adoptImportTaskId: ID },
        failures: [],
      },
      {
        title: "rejects a malformed adoptImportTaskId",
        inputs: { adoptImportTaskId: "import-i-12345678" },
        failures: [
          {
            property: "adoptImportTaskId",
            reason:
              'must match import-ami- followed by 8 or 17 letters/digits (got "import-i-12345678"). Fix: copy ImportTaskId from `aws ec2 describe-import-image-tasks`',
          },
        ],
      },
      {
        title: "rejects an empty disk list and more than 21 disks",
        inputs: { diskContainers: [] },
        failures: [
          {
            property: "diskContainers",
            reason:
              'must have 1–21 items (got 0). Fix: use 1–21 disks, e.g. [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }]; VM Import fails a VM with more than 21 volumes, import extra disks with ImportSnapshot',
          },
        ],
      },
      {
        title: "rejects 22 disks",
        inputs: { diskContainers: Array.from({ length: 22 }, () => DISK) },
        failures: [
          {
            property: "diskContainers",
            reason:
              'must have 1–21 items (got 22). Fix: use 1–21 disks, e.g. [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }]; VM Import fails a VM with more than 21 volumes, import extra disks with ImportSnapshot',
          },
        ],
      },
      {
        title: "rejects a disk list that is not a list",
        inputs: { diskContainers: DISK },
        failures: [
          {
            property: "diskContainers",
            reason:
              'must be a list (got object). Fix: use 1–21 disks, e.g. [{ format: "VMDK", userBucket: { s3Bucket, s3Key } }]; VM Import fails a VM with more than 21 volumes, import extra disks with ImportSnapshot',
          },
        ],
      },
      {
        title: "rejects a disk format outside the enum",
        inputs: { diskContainers: [{ ...DISK, format: "QCOW2" }] },
        failures: [
          {
            property: "diskContainers[0].format",
            reason:
              'must match one of OVA, VHD, VHDX, VMDK, RAW (any case) (got "QCOW2"). Fix: set the disk image\'s format: OVA, VHD, VHDX, VMDK or RAW',
          },
        ],
      },
      {
        title: "requires the format for an S3 source",
        inputs: { diskContainers: [{ url: "s3://vm-imports/web.vmdk" }] },
        failures: [
          {
            property: "diskContainers[0].format",
            reason: "is required. Fix: set the disk image's format: OVA, VHD, VHDX, VMDK or RAW",
          },
        ],
      },
      {
        title: "rejects url together with userBucket",
        inputs: { diskContainers: [{ ...DISK, url: "s3://vm-imports/web.vmdk" }] },
        failures: [
          {
            property: "diskContainers[0]",
            reason:
              "must name its disk with exactly one of url, userBucket or snapshotId (got url and userBucket). Fix: keep one of them",
          },
        ],
      },
      {
        title: "rejects a disk with no source",
        inputs: { diskContainers: [{ format: "VMDK" }] },
        failures: [
          {
            property: "diskContainers[0]",
            reason:
              "must name its disk with exactly one of url, userBucket or snapshotId (got none). Fix: add userBucket: { s3Bucket, s3Key } for a disk image in S3",
          },
        ],
      },
      {
        title: "rejects an http URL outside the configured endpoint",
        inputs: { diskContainers: [{ format: "VMDK", url: "http://example.com/web.vmdk" }] },
        failures: [
          {
            property: "diskContainers[0].url",
            reason:
              'must use the https:// or s3:// scheme (got "http://example.com/web.vmdk"). Fix: use s3://bucket/key, the https:// object URL (presigned URLs are fine: they are kept secret), or userBucket',
          },
        ],
      },
      {
        title: "rejects a bad bucket name and a missing key in userBucket",
        inputs: { diskContainers: [{ format: "VMDK", userBucket: { s3Bucket: "Bad_Bucket" } }] },
        failures: [
          {
            property: "diskContainers[0].userBucket.s3Bucket",
            reason:
              'must match 3–63 lowercase letters, digits, dots or hyphens (got "Bad_Bucket"). Fix: name the S3 bucket that holds the disk image',
          },
          {
            property: "diskContainers[0].userBucket.s3Key",
            reason: "is required. Fix: give the disk image's object key, e.g. vms/web.vmdk",
          },
        ],
      },
      {
        title: "rejects a malformed snapshot ID",
        inputs: { diskContainers: [{ snapshotId: "snap-xyz" }] },
        failures: [
          {
            property: "diskContainers[0].snapshotId",
            reason:
              'must match snap- followed by 8 or 17 hex digits (got "snap-xyz"). Fix: copy the snapshot ID from `aws ec2 describe-snapshots`',
          },
        ],
      },
      {
        title: "rejects platform, architecture, licenseType and hypervisor outside their enums",
        inputs: {
          ...VALID,
          platform: "windows",
          architecture: "arm64",
          licenseType: "Free",
          hypervisor: "kvm",
        },
        failures: [
          {
            property: "architecture",
            reason:
              'must be one of i386, x86_64 (got "arm64"). Fix: use x86_64 (or i386); VM Import detects it when omitted',
          },
          {
            property: "platform",
            reason:
              'must be one of Windows, Linux (got "windows"). Fix: use Windows or Linux (VM Import detects it when omitted)',
          },
          {
            property: "licenseType",
            reason:
              'must be one of AWS, BYOL (got "Free"). Fix: use AWS (license included) or BYOL; AWS recommends setting licenseType or usageOperation',
          },
          {
            property: "hypervisor",
            reason: 'must be one of xen (got "kvm"). Fix: use xen or omit it',
          },
        ],
      },
      {
        title: "rejects bootMode uefi-preferred, which import does not support",
        inputs: { ...VALID, bootMode: "uefi-preferred" },
        failures: [
          {
            property: "bootMode",
            reason:
              'must be legacy-bios or uefi: uefi-preferred is not supported for import. Fix: use "uefi" for UEFI disks, "legacy-bios" otherwise',
          },
        ],
      },
      {
        title: "rejects kmsKeyId without encrypted: true",
        inputs: { ...VALID, kmsKeyId: "alias/vm-import" },
        failures: [
          {
            property: "kmsKeyId",
            reason:
              "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId",
          },
        ],
      },
      {
        title: "rejects a malformed KMS key, role name and usage operation",
        inputs: {
          ...VALID,
          encrypted: true,
          kmsKeyId: "my-key",
          roleName: "bad role",
          usageOperation: "Run",
        },
        failures: [
          {
            property: "roleName",
            reason:
              'must match 1–64 letters, digits or +=,.@_- (got "bad role"). Fix: name the VM Import service role (default vmimport)',
          },
          {
            property: "kmsKeyId",
            reason:
              'must match a KMS key ID, key ARN, alias/name or alias ARN (got "my-key"). Fix: copy the key ID or ARN from `aws kms list-keys`',
          },
          {
            property: "usageOperation",
            reason:
              'must match RunInstances or RunInstances:NNNN (got "Run"). Fix: use a billing code such as RunInstances:0002 (Windows, license included)',
          },
        ],
      },
      {
        title: "rejects a clientToken over 64 characters",
        inputs: { ...VALID, clientToken: "t".repeat(65) },
        failures: [
          {
            property: "clientToken",
            reason:
              "must be 1–64 characters (got 65). Fix: use 1–64 ASCII characters, or omit it and let the provider derive one from the stack, the resource name and the import parameters",
          },
        ],
      },
      {
        title: "rejects reserved and oversized tags",
        inputs: { ...VALID, tags: { "aws:owner": "x", ok: "v".repeat(257) } },
        failures: [
          {
            property: "tags.aws:owner",
            reason: 'key must not start with "aws:" (reserved for AWS). Fix: choose another key',
          },
          {
            property: "tags.ok",
            reason: "must be at most 256 characters (got 257). Fix: shorten the value",
          },
        ],
      },
      {
        title: "rejects an upload end before its start",
        inputs: {
          ...VALID,
          clientData: { uploadStart: "2026-01-02T00:00:00Z", uploadEnd: "2026-01-01T00:00:00Z" },
        },
        failures: [
          {
            property: "clientData.uploadEnd",
            reason:
              "must not be before uploadStart (2026-01-02T00:00:00Z > 2026-01-01T00:00:00Z). Fix: swap the two times",
          },
        ],
      },
      {
        title: "rejects a malformed license configuration ARN",
        inputs: { ...VALID, licenseSpecifications: [{ licenseConfigurationArn: "lic-1" }] },
        failures: [
          {
            property: "licenseSpecifications[0].licenseConfigurationArn",
            reason:
              'must match arn:aws:license-manager:<region>:<account>:license-configuration:<id> (got "lic-1"). Fix: copy the ARN from `aws license-manager list-license-configurations`',
          },
        ],
      },
      {
        title: "rejects wrong option types and an out-of-range timeout",
        inputs: { ...VALID, waitForCompletion: "yes", waitTimeoutMinutes: 0 },
        failures: [
          {
            property: "waitForCompletion",
            reason: "must be a boolean (got string). Fix: use true or false",
          },
          {
            property: "waitTimeoutMinutes",
            reason:
              "must be between 1 and 10080 (got 0). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
          },
        ],
      },
      {
        title: "rejects deleting the snapshots of an AMI that is kept",
        inputs: { ...VALID, retainImageOnDelete: true, retainSnapshotsOnDelete: false },
        failures: [
          {
            property: "retainSnapshotsOnDelete",
            reason:
              "cannot be false while retainImageOnDelete is true: the kept AMI still uses its snapshots. Fix: remove retainSnapshotsOnDelete or set retainImageOnDelete to false",
          },
        ],
      },
      {
        title: "requires platform for a UEFI import from a snapshot",
        inputs: { diskContainers: [{ snapshotId: "snap-0123456789abcdef0" }], bootMode: "uefi" },
        failures: [
          {
            property: "platform",
            reason:
              "is required for a UEFI import from a snapshot. Fix: set platform to Windows or Linux",
          },
        ],
      },
      {
        title: "skips every value unknown in preview",
        inputs: {
          diskContainers: [
            { format: UNKNOWN, userBucket: { s3Bucket: UNKNOWN, s3Key: UNKNOWN } },
            { url: UNKNOWN, format: "VMDK" },
          ],
          platform: UNKNOWN,
          kmsKeyId: UNKNOWN,
          encrypted: UNKNOWN,
          tags: UNKNOWN,
          clientToken: UNKNOWN,
          waitTimeoutMinutes: UNKNOWN,
        },
        failures: [],
      },
      { title: "skips an unknown disk list", inputs: { diskContainers: UNKNOWN }, failures: [] },
    ];
    for (const c of cases) {
      it(c.title, () => {
        assert.deepEqual(checkInputs(c.inputs), c.failures);
      });
    }

    it("accepts an http URL on the configured endpoint (the emulator's S3)", () => {
      const inputs = {
        diskContainers: [
          { format: "VMDK", url: "http://127.0.0.1:4566/vm-imports/web.vmdk?X-Amz-Signature=x" },
        ],
      };
      assert.deepEqual(checkInputs(inputs, { extraS3Origins: ["http://127.0.0.1:4566"] }), []);
      assert.equal(checkInputs(inputs).length, 1);
    });

    it("never shows a presigned URL's signature in a failure", () => {
      const failures = checkInputs({
        diskContainers: [{ format: "VMDK", url: PRESIGNED.replace("https", "ftp") }],
      });
      assert.equal(failures.length, 1);
      assert.ok(!failures[0]!.reason.includes("deadbeef"));
      assert.match(failures[0]!.reason, /^must use the https:\/\/ or s3:\/\/ scheme/);
    });
  });

  describe("importImageRequest", () => {
    it("maps every input to the SDK's field names, upper-cases formats and drops unset fields", () => {
      const inputs = asInputs({
        diskContainers: [
          {
            format: "vmdk",
            userBucket: { s3Bucket: "vm-imports", s3Key: "web.vmdk" },
            deviceName: "/dev/sda1",
          },
          { format: "raw", url: "s3://vm-imports/data.raw", description: "data" },
        ],
        platform: "Linux",
        encrypted: true,
        kmsKeyId: "alias/k",
        tags: { b: "2", a: "1" },
        clientData: { comment: "c", uploadStart: "2026-01-01T00:00:00Z", uploadSize: 4 },
        licenseSpecifications: [{ licenseConfigurationArn: "arn:x" }],
        waitForCompletion: false,
      });
      assert.deepEqual(importImageRequest(inputs, "tok"), {
        ClientData: { Comment: "c", UploadStart: new Date("2026-01-01T00:00:00Z"), UploadSize: 4 },
        ClientToken: "tok",
        DiskContainers: [
          {
            DeviceName: "/dev/sda1",
            Format: "VMDK",
            UserBucket: { S3Bucket: "vm-imports", S3Key: "web.vmdk" },
          },
          { Description: "data", Format: "RAW", Url: "s3://vm-imports/data.raw" },
        ],
        Encrypted: true,
        KmsKeyId: "alias/k",
        LicenseSpecifications: [{ LicenseConfigurationArn: "arn:x" }],
        Platform: "Linux",
        TagSpecifications: [
          {
            ResourceType: "import-image-task",
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "b", Value: "2" },
            ],
          },
        ],
      });
    });
  });

  describe("identity and tokens", () => {
    it("treats a re-signed presigned URL, a lower-case format and the default role as the same import", () => {
      const a = defaultClientToken("dev", "proj", "web", {
        diskContainers: [{ format: "vmdk", url: PRESIGNED }],
      });
      const b = defaultClientToken("dev", "proj", "web", {
        diskContainers: [{ format: "VMDK", url: RESIGNED }],
        roleName: "vmimport",
      });
      assert.equal(a, b);
      assert.deepEqual(diskIdentity([{ format: "vmdk", url: PRESIGNED }]), [
        { format: "VMDK", url: "https://vm-imports.s3.us-west-2.amazonaws.com/web.vmdk" },
      ]);
    });

    it("derives a 64-character token that depends on stack, name and import parameters only", () => {
      const t = defaultClientToken("dev", "proj", "web", { ...VALID, waitTimeoutMinutes: 5 });
      assert.match(t, /^pam-[0-9a-f]{60}$/);
      assert.equal(t, defaultClientToken("dev", "proj", "web", { ...VALID, retainOnDelete: true }));
      assert.notEqual(t, defaultClientToken("prod", "proj", "web", VALID));
      assert.notEqual(t, defaultClientToken("dev", "proj", "db", VALID));
      assert.notEqual(t, defaultClientToken("dev", "proj", "web", { ...VALID, platform: "Linux" }));
      assert.equal(fallbackToken({}, VALID), defaultClientToken("", "", "", VALID));
    });

    it("chains deterministic successor tokens past failed tasks", () => {
      const s1 = successorToken("pam-a", ID);
      assert.match(s1, /^pam-[0-9a-f]{60}$/);
      assert.equal(s1, successorToken("pam-a", ID));
      assert.notEqual(s1, successorToken("pam-a", "import-ami-00000000"));
    });

    it("stableUrl drops the query of signed URLs only", () => {
      assert.equal(stableUrl(PRESIGNED), "https://vm-imports.s3.us-west-2.amazonaws.com/web.vmdk");
      assert.equal(
        stableUrl("https://b.s3.amazonaws.com/k?versionId=3"),
        "https://b.s3.amazonaws.com/k?versionId=3",
      );
      assert.deepEqual(stableValue({ a: [PRESIGNED, "x"] }), {
        a: ["https://vm-imports.s3.us-west-2.amazonaws.com/web.vmdk", "x"],
      });
    });

    it("parseProgress reads EC2's progress strings", () => {
      assert.deepEqual(
        ["27", "27%", "Progress: 42%", "", undefined, "x", "101"].map(parseProgress),
        [27, 27, 42, undefined, undefined, undefined, undefined],
      );
    });
  });

  describe("status and acceptors", () => {
    it("classifies completed as success, deleting/deleted/gone as failure, the rest as pending", () => {
      const statuses = [
        "completed",
        "deleted",
        "deleting",
        "GONE",
        "active",
        "updating",
        "validating",
        "converting",
        "new-status",
      ];
      assert.deepEqual(
        statuses.map((status) => spec.classify(status, {})),
        [
          "success",
          "failure",
          "failure",
          "failure",
          "pending",
          "pending",
          "pending",
          "pending",
          "pending",
        ],
      );
    });

    it("create acceptors: completed succeeds; deleted, deleting and gone fail; active matches none", () => {
      const verdict = (o: ImageTask | undefined): string | undefined =>
        createAcceptors.find((a) => a.matches(o))?.verdict;
      const t = (status: string): ImageTask => ({ importTaskId: ID, status, snapshotDetails: [] });
      assert.deepEqual(
        [t("completed"), t("deleted"), t("deleting"), undefined, t("active")].map(verdict),
        ["success", "failure", "failure", "failure", undefined],
      );
    });

    it("cancel acceptors: deleted, completed or gone end the wait; deleting keeps it", () => {
      const ends = (o: ImageTask | undefined): boolean => cancelAcceptors.some((a) => a.matches(o));
      const t = (status: string): ImageTask => ({ importTaskId: ID, status, snapshotDetails: [] });
      assert.deepEqual(
        [t("deleted"), t("completed"), undefined, t("deleting"), t("active")].map(ends),
        [true, true, true, false, false],
      );
    });
  });

  describe("diffInputs", () => {
    const olds = {
      ...VALID,
      clientToken: "tok",
      importTaskId: ID,
      status: "completed",
      __provider: "old",
    };
    const cases: {
      title: string;
      news: Record<string, unknown>;
      olds?: Record<string, unknown>;
      want: unknown;
    }[] = [
      {
        title: "no change when only __provider differs",
        news: { ...VALID, clientToken: "tok", __provider: "new" },
        want: { changes: false, replaces: [], deleteBeforeReplace: false },
      },
      {
        title:
          "no change when a default is spelled out, the format's case changes or a URL is re-signed",
        olds: { ...olds, diskContainers: [{ format: "vmdk", url: PRESIGNED }] },
        news: {
          diskContainers: [{ format: "VMDK", url: RESIGNED }],
          clientToken: "tok",
          roleName: "vmimport",
          retainOnDelete: false,
        },
        want: { changes: false, replaces: [], deleteBeforeReplace: false },
      },
      {
        title: "replaces when a disk changes",
        news: { diskContainers: [{ ...DISK, format: "RAW" }], clientToken: "tok" },
        want: { changes: true, replaces: ["diskContainers"], deleteBeforeReplace: false },
      },
      {
        title: "replaces when platform and tags change",
        news: { ...VALID, clientToken: "tok", platform: "Linux", tags: { a: "b" } },
        want: { changes: true, replaces: ["platform", "tags"], deleteBeforeReplace: false },
      },
      {
        title: "updates in place for waiting and delete options",
        news: { ...VALID, clientToken: "tok", waitTimeoutMinutes: 60, retainImageOnDelete: true },
        want: { changes: true, replaces: [], deleteBeforeReplace: false },
      },
      {
        title: "counts an unknown import parameter as a replacement",
        news: { ...VALID, clientToken: "tok", description: UNKNOWN },
        want: { changes: true, replaces: ["description"], deleteBeforeReplace: false },
      },
      {
        title: "replaces a task that ended failed",
        olds: { ...olds, status: "deleted" },
        news: { ...VALID, clientToken: "tok" },
        want: { changes: true, replaces: ["status"], deleteBeforeReplace: false },
      },
      {
        title: "updates a task still running, which resumes the wait",
        olds: { ...olds, status: "active" },
        news: { ...VALID, clientToken: "tok" },
        want: { changes: true, replaces: [], deleteBeforeReplace: false },
      },
      {
        title: "no change for a running task with waitForCompletion false",
        olds: { ...olds, status: "active", waitForCompletion: false },
        news: { ...VALID, clientToken: "tok", waitForCompletion: false },
        want: { changes: false, replaces: [], deleteBeforeReplace: false },
      },
      {
        title: "adopting the task this resource already manages changes nothing",
        news: { ...VALID, clientToken: "tok", adoptImportTaskId: ID },
        want: { changes: false, replaces: [], deleteBeforeReplace: false },
      },
      {
        title: "adopting another task replaces",
        news: { ...VALID, clientToken: "tok", adoptImportTaskId: "import-ami-00000000" },
        want: { changes: true, replaces: ["adoptImportTaskId"], deleteBeforeReplace: false },
      },
    ];
    for (const c of cases) {
      it(c.title, () => assert.deepEqual(diffInputs(c.olds ?? olds, c.news), c.want));
    }
  });

  describe("outputs", () => {
    it("echoes the inputs and puts reported fields that share an input's name under taskDetails", () => {
      const inputs = {
        ...VALID,
        clientToken: "tok",
        platform: undefined,
        __provider: "p",
        junk: 1,
      };
      const image = {
        imageId: "ami-0123456789abcdef0",
        state: "available",
        creationDate: "2026-01-01T01:00:00.000Z",
        snapshotIds: ["snap-0123456789abcdef0"],
      };
      assert.deepEqual(toOutputs(inputs, { ...TASK, progress: 86 }, image), {
        ...VALID,
        clientToken: "tok",
        __provider: "p",
        importTaskId: ID,
        status: "completed",
        progress: 100,
        imageId: "ami-0123456789abcdef0",
        snapshotIds: ["snap-0123456789abcdef0"],
        snapshotDetails: TASK.snapshotDetails,
        imageState: "available",
        imageCreationDate: "2026-01-01T01:00:00.000Z",
        taskDetails: { architecture: "x86_64", platform: "Linux", licenseType: "BYOL" },
      });
    });

    it("reads the recorded task back from the outputs (for refresh after the 7-day retention)", () => {
      const outs = toOutputs(VALID, { ...TASK, statusMessage: "done" });
      assert.deepEqual(recordedTask(ID, outs), { ...TASK, statusMessage: "done", progress: 100 });
      assert.deepEqual(recordedTask(ID, {}), {
        importTaskId: ID,
        status: "GONE",
        snapshotDetails: [],
      });
    });

    it("inputsOf keeps the inputs and __provider only", () => {
      assert.deepEqual(inputsOf({ ...VALID, status: "active", __provider: "p" }), {
        ...VALID,
        __provider: "p",
      });
    });

    it("waitTimeoutMs: the input, then stack config, then 480 minutes", () => {
      assert.equal(waitTimeoutMs({ waitTimeoutMinutes: 5 }, 60), 300_000);
      assert.equal(waitTimeoutMs({}, 60), 3_600_000);
      assert.equal(waitTimeoutMs({}, undefined), 28_800_000);
    });
  });

  describe("messages", () => {
    it("names the task, status, poll history, StatusMessage and the fix", () => {
      const task: ImageTask = {
        importTaskId: ID,
        status: "deleted",
        statusMessage: "ClientError: No valid partitions. Not a valid volume.",
        snapshotDetails: [],
      };
      assert.equal(
        spec.failureMessage(
          { description: "web server" },
          task,
          { polls: 4, observed: ["active", "active", "deleting", "deleted"] },
          ID,
        ),
        `ec2.ImportImageTask "web server": import ${ID} ended in deleted after 4 polls (active×2, deleting): ClientError: No valid partitions. Not a valid volume. The disk has no valid partition table (not a bootable volume): export the VM's boot disk again, then run \`pulumi up\` again (a failed import is replaced).`,
      );
      assert.equal(
        spec.failureMessage({}, undefined, { polls: 1, observed: ["GONE"] }, ID),
        `ec2.ImportImageTask "${ID}": import ${ID} ended in GONE after 1 poll. DescribeImportImageTasks no longer returns the task (EC2 forgets task records 7 days after they end). Run \`pulumi refresh\`, then \`pulumi up\` to import again.`,
      );
    });

    it("advises per StatusMessage", () => {
      const cases: [string, RegExp][] = [
        [
          "ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]",
          /s3:GetObject/,
        ],
        ["ClientError: Disk validation failed [Unsupported specified file format]", /real format/],
        ["User initiated task cancelation", /cancelled \(CancelImportTask\) outside this stack/],
        ["ClientError: something new", /VM Import rejected the input/],
        ["Server error", /troubleshooting guide for this message/],
      ];
      for (const [m, re] of cases) assert.match(adviceFor("deleted", m), re);
    });

    it("progress text shows status, stage and percent", () => {
      const o: ImageTask = {
        importTaskId: ID,
        status: "active",
        statusMessage: "converting",
        progress: 27,
        snapshotDetails: [],
      };
      assert.equal(spec.progress?.(o), "active converting 27%");
      assert.equal(spec.progress?.(undefined), "GONE");
    });
  });
});
