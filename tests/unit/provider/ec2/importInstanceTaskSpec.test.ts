import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../../../provider/core/unknown";
import type { TaskContext } from "../../../../provider/core/task/spec";
import {
  adviceFor,
  importInstanceRequest,
  importInstanceTaskSpec as spec,
  instanceImport,
  markers,
  progressOf,
} from "../../../../provider/ec2/importInstanceTaskSpec";
import { instance } from "./specAdapters";

import type { ConversionTask, Ec2Instance } from "../../../../provider/ec2/types";

const { asInputs, checkInputs, diffInputs, waitTimeoutMs } = instance;
const { defaultClientToken: defaultMarker, successorToken: successorMarker } = markers;
const createAcceptors = spec.acceptors("create", {});
const cancelAcceptors = spec.acceptors("cancel", {});
const recordedTask = instanceImport.recorded;
const toOutputs = (raw: Record<string, unknown>, task: ConversionTask, instance?: Ec2Instance) =>
  spec.toOutputs(raw, task, instanceImport.outputs(task, instance));

const ID = "import-i-ffvko9js";
const MANIFEST =
  "https://vm-imports.s3.us-west-2.amazonaws.com/web.vmdkmanifest.xml?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1294855591&Signature=5snej01TlTtL0uR7KExtEXAMPLE%3D";
const RESIGNED = MANIFEST.replace("1294855591", "1294999999").replace("5snej01", "9zzzz01");
const DISK = {
  image: { format: "VMDK", bytes: 1179593728, importManifestUrl: MANIFEST },
  volume: { size: 12 },
};
const VALID = { platform: "Windows", diskImages: [DISK] };

const TASK: ConversionTask = {
  conversionTaskId: ID,
  state: "completed",
  expirationTime: "2010-12-22T12:01:00.000Z",
  description: "web [pam-m]",
  instanceId: "i-1234567890abcdef0",
  platform: "Windows",
  volumes: [
    {
      volumeId: "vol-1234567890abcdef0",
      volumeSize: 12,
      availabilityZone: "us-east-1a",
      bytesConverted: 1179593728,
      imageSize: 1179593728,
      format: "VMDK",
      status: "completed",
    },
  ],
};

describe("ec2.ImportInstanceTask spec", () => {
  describe("checkInputs", () => {
    const cases: {
      title: string;
      inputs: Record<string, unknown>;
      region?: string;
      failures: { property: string; reason: string }[];
    }[] = [
      { title: "accepts the AWS reference example", inputs: VALID, failures: [] },
      {
        title: "accepts every launch setting set to a valid value",
        inputs: {
          ...VALID,
          description: "web server",
          marker: "pam-0123456789abcdef",
          launchSpecification: {
            architecture: "x86_64",
            instanceType: "m5.large",
            groupIds: ["sg-0123456789abcdef0"],
            groupNames: ["web"],
            userData: "ZWNobyBoaQ==",
            placement: { availabilityZone: "us-west-2a", tenancy: "dedicated", groupName: "pg" },
            monitoring: true,
            subnetId: "subnet-0123456789abcdef0",
            instanceInitiatedShutdownBehavior: "stop",
            privateIpAddress: "10.0.0.12",
          },
          waitForCompletion: false,
          waitTimeoutMinutes: 30,
          retainVolumesOnDelete: true,
        },
        failures: [],
      },
      {
        title: "requires platform and the disk image unless adopting",
        inputs: {},
        failures: [
          {
            property: "platform",
            reason:
              "is required. Fix: ImportInstance imports Windows VMs only; use ec2.ImportImageTask for Linux",
          },
          {
            property: "diskImages",
            reason:
              "is required. Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }], or set adoptConversionTaskId",
          },
        ],
      },
      {
        title: "lets adoptConversionTaskId stand in for the disk",
        inputs: { adoptConversionTaskId: ID },
        failures: [],
      },
      {
        title: "accepts only the Windows platform",
        inputs: { ...VALID, platform: "Linux" },
        failures: [
          {
            property: "platform",
            reason:
              'must be one of Windows (got "Linux"). Fix: ImportInstance imports Windows VMs only; use ec2.ImportImageTask for Linux',
          },
        ],
      },
      {
        title: "accepts exactly one disk image",
        inputs: { ...VALID, diskImages: [DISK, DISK] },
        failures: [
          {
            property: "diskImages",
            reason:
              "must have 1 items (got 2). Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }]; ImportInstance supports single-volume VMs only, use ec2.ImportImageTask for multi-volume VMs",
          },
        ],
      },
      {
        title:
          "checks the image format, bytes and volume size, and that the volume holds the image",
        inputs: {
          ...VALID,
          diskImages: [
            {
              image: { format: "OVA", bytes: 0, importManifestUrl: MANIFEST },
              volume: { size: 1 },
            },
          ],
        },
        failures: [
          {
            property: "diskImages[0].image.format",
            reason:
              'must be one of VMDK, RAW, VHD (got "OVA"). Fix: use VMDK, RAW or VHD (the disk image\'s format)',
          },
          {
            property: "diskImages[0].image.bytes",
            reason: "must be at least 1 (got 0). Fix: give the disk image's size in bytes",
          },
        ],
      },
      {
        title: "rejects a volume smaller than the image",
        inputs: { ...VALID, diskImages: [{ ...DISK, volume: { size: 1 } }] },
        failures: [
          {
            property: "diskImages[0].volume.size",
            reason:
              "must hold the disk image: 1 GiB is less than 1179593728 bytes. Fix: use at least 2 GiB",
          },
        ],
      },
      {
        title: "requires a presigned https manifest URL",
        inputs: {
          ...VALID,
          diskImages: [
            {
              ...DISK,
              image: {
                ...DISK.image,
                importManifestUrl: "https://vm-imports.s3.amazonaws.com/m.xml",
              },
            },
          ],
        },
        failures: [
          {
            property: "diskImages[0].image.importManifestUrl",
            reason:
              "must be presigned (EC2 reads the manifest with the URL's own signature; got a URL without X-Amz-Signature or Signature). Fix: upload the disk with its import manifest to S3 and pass the manifest's presigned GET URL (it is kept secret)",
          },
        ],
      },
      {
        title: "rejects host tenancy, which ImportInstance does not support",
        inputs: { ...VALID, launchSpecification: { placement: { tenancy: "host" } } },
        failures: [
          {
            property: "launchSpecification.placement",
            reason:
              "must not use host tenancy, hostId or affinity: ImportInstance does not support Dedicated Hosts. Fix: use tenancy default or dedicated, or import with ec2.ImportImageTask and launch the AMI on the host",
          },
        ],
      },
      {
        title: "names the shape when diskImages or launchSpecification has the wrong type",
        inputs: { ...VALID, diskImages: {}, launchSpecification: "m5.large" },
        failures: [
          {
            property: "diskImages",
            reason:
              "must be a list (got object). Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }]; ImportInstance supports single-volume VMs only, use ec2.ImportImageTask for multi-volume VMs",
          },
          {
            property: "launchSpecification",
            reason: "must be an object (got string). Fix: use { instanceType, subnetId, … }",
          },
        ],
      },
      {
        title: "rejects a disk that is not an object and a manifest URL that does not parse",
        inputs: {
          ...VALID,
          diskImages: [
            "disk",
            { ...DISK, image: { ...DISK.image, importManifestUrl: "not a url" } },
          ],
        },
        failures: [
          {
            property: "diskImages",
            reason:
              "must have 1 items (got 2). Fix: give the VM's one disk: [{ image: { format, bytes, importManifestUrl }, volume: { size } }]; ImportInstance supports single-volume VMs only, use ec2.ImportImageTask for multi-volume VMs",
          },
          {
            property: "diskImages[0]",
            reason: "must be an object (got string). Fix: give { image, volume }",
          },
          {
            property: "diskImages[1].image.importManifestUrl",
            reason:
              "must be a presigned https:// S3 URL (got an unparsable URL). Fix: upload the disk with its import manifest to S3 and pass the manifest's presigned GET URL (it is kept secret)",
          },
        ],
      },
      {
        title: "checks tenancy only when no Dedicated Host setting is given",
        inputs: {
          ...VALID,
          launchSpecification: { placement: { tenancy: "shared", availabilityZone: "west" } },
        },
        failures: [
          {
            property: "launchSpecification.placement.availabilityZone",
            reason:
              'must match a zone such as us-west-2a (got "west"). Fix: name a zone of the configured region',
          },
          {
            property: "launchSpecification.placement.tenancy",
            reason:
              'must be one of default, dedicated (got "shared"). Fix: use default or dedicated',
          },
        ],
      },
      {
        title: "rejects a hostId whatever the tenancy",
        inputs: {
          ...VALID,
          launchSpecification: { placement: { tenancy: "shared", hostId: "h-1" } },
        },
        failures: [
          {
            property: "launchSpecification.placement",
            reason:
              "must not use host tenancy, hostId or affinity: ImportInstance does not support Dedicated Hosts. Fix: use tenancy default or dedicated, or import with ec2.ImportImageTask and launch the AMI on the host",
          },
        ],
      },
      {
        title: "rejects malformed launch settings",
        inputs: {
          ...VALID,
          launchSpecification: {
            architecture: "arm64",
            instanceType: "large",
            groupIds: ["web"],
            userData: "not base64!",
            subnetId: "sn-1",
            instanceInitiatedShutdownBehavior: "hibernate",
            privateIpAddress: "10.0.0.300",
          },
        },
        failures: [
          {
            property: "launchSpecification.architecture",
            reason:
              'must be one of i386, x86_64 (got "arm64"). Fix: use x86_64 or i386 (ImportInstance imports x86 Windows VMs)',
          },
          {
            property: "launchSpecification.instanceType",
            reason:
              'must match an instance type such as m5.large (got "large"). Fix: pick an instance type that supports Windows import, e.g. m5.large',
          },
          {
            property: "launchSpecification.groupIds[0]",
            reason:
              'must match sg- followed by 8 or 17 hex digits (got "web"). Fix: copy the security group ID',
          },
          {
            property: "launchSpecification.userData",
            reason:
              'must match base64 text (got "not base64!"). Fix: base64-encode the user data (it is kept secret)',
          },
          {
            property: "launchSpecification.subnetId",
            reason:
              'must match subnet- followed by 8 or 17 hex digits (got "sn-1"). Fix: copy the subnet ID',
          },
          {
            property: "launchSpecification.instanceInitiatedShutdownBehavior",
            reason: 'must be one of stop, terminate (got "hibernate"). Fix: use stop or terminate',
          },
          {
            property: "launchSpecification.privateIpAddress",
            reason:
              'must match an IPv4 address (got "10.0.0.300"). Fix: use an address in the subnet\'s range',
          },
        ],
      },
      {
        title: "rejects a region that does not offer ImportInstance",
        inputs: VALID,
        region: "eu-west-3",
        failures: [
          {
            property: "aws:region",
            reason:
              "must be a region that offers ImportInstance (got eu-west-3; it exists only in us-east-1, us-west-1, us-west-2, us-east-2, ca-central-1, us-gov-west-1, sa-east-1, eu-west-1, eu-central-1, ap-southeast-1, ap-northeast-1, ap-southeast-2, ap-northeast-2, ap-south-1, cn-north-1). Fix: use ec2.ImportImageTask, which every region offers",
          },
        ],
      },
      {
        title: "accepts a region that offers it",
        inputs: VALID,
        region: "us-east-1",
        failures: [],
      },
      {
        title: "rejects deleting the volume of an instance that is kept, and a malformed marker",
        inputs: {
          ...VALID,
          retainInstanceOnDelete: true,
          retainVolumesOnDelete: false,
          marker: "a b",
        },
        failures: [
          {
            property: "marker",
            reason:
              'must match 8–40 letters, digits or _.:- (got "a b"). Fix: omit it and let the provider derive one from the stack, the resource name and the import parameters',
          },
          {
            property: "retainVolumesOnDelete",
            reason:
              "cannot be false while retainInstanceOnDelete is true: the kept instance still uses its volume. Fix: remove retainVolumesOnDelete or set retainInstanceOnDelete to false",
          },
        ],
      },
      {
        title: "skips every value unknown in preview",
        inputs: {
          platform: UNKNOWN,
          diskImages: [
            {
              image: { format: UNKNOWN, bytes: UNKNOWN, importManifestUrl: UNKNOWN },
              volume: { size: UNKNOWN },
            },
          ],
          launchSpecification: UNKNOWN,
          marker: UNKNOWN,
        },
        failures: [],
      },
    ];
    for (const c of cases) {
      it(c.title, () => {
        assert.deepEqual(
          checkInputs(c.inputs, c.region === undefined ? {} : { region: c.region }),
          c.failures,
        );
      });
    }

    it("never shows the manifest URL's signature in a failure", () => {
      const failures = checkInputs({
        ...VALID,
        diskImages: [
          {
            ...DISK,
            image: { ...DISK.image, importManifestUrl: MANIFEST.replace("https", "http") },
          },
        ],
      });
      assert.equal(failures.length, 1);
      assert.ok(!failures[0]!.reason.includes("5snej01"));
    });
  });

  describe("request and marker", () => {
    it("maps inputs to the SDK's names and appends the marker to the Description", () => {
      const inputs = asInputs({
        ...VALID,
        description: "web",
        launchSpecification: {
          instanceType: "m5.large",
          userData: "eA==",
          placement: { tenancy: "default" },
        },
      });
      assert.deepEqual(importInstanceRequest(inputs, "pam-m"), {
        Description: "web [pam-m]",
        Platform: "Windows",
        DiskImages: [
          {
            Image: { Format: "VMDK", Bytes: 1179593728, ImportManifestUrl: MANIFEST },
            Volume: { Size: 12 },
          },
        ],
        LaunchSpecification: {
          InstanceType: "m5.large",
          UserData: { Data: "eA==" },
          Placement: { Tenancy: "default" },
        },
      });
      assert.equal(importInstanceRequest(asInputs(VALID), "pam-m").Description, "[pam-m]");
    });

    it("derives a 40-character marker that ignores a re-signed manifest URL and the options", () => {
      const m = defaultMarker("dev", "proj", "web", VALID);
      assert.match(m, /^pam-[0-9a-f]{36}$/);
      assert.equal(
        m,
        defaultMarker("dev", "proj", "web", {
          ...VALID,
          diskImages: [{ ...DISK, image: { ...DISK.image, importManifestUrl: RESIGNED } }],
          waitTimeoutMinutes: 3,
        }),
      );
      assert.notEqual(m, defaultMarker("dev", "proj", "db", VALID));
      const s = successorMarker(m, ID);
      assert.match(s, /^pam-[0-9a-f]{36}$/);
      assert.equal(s, successorMarker(m, ID));
    });

    it("finds the task whose Description carries the marker tag", async () => {
      const tasks = [
        { ...TASK, conversionTaskId: "import-i-aaaaaaaa", description: "other [pam-x]" },
        { ...TASK, description: "web [pam-m]" },
        { ...TASK, conversionTaskId: "import-i-bbbbbbbb", description: "pam-m without brackets" },
      ];
      const ctx = { state: { listing: { get: () => Promise.resolve(tasks) } } };
      const found = await spec.hooks?.findStarted?.(
        ctx as unknown as TaskContext<never, never, ConversionTask>,
        {},
        "pam-m",
      );
      assert.equal(found?.conversionTaskId, ID);
    });
  });

  describe("states and acceptors", () => {
    it("classifies completed as success, cancelled/cancelling/gone as failure, active as pending", () => {
      assert.deepEqual(
        ["completed", "cancelled", "cancelling", "GONE", "active"].map((s) => spec.classify(s, {})),
        ["success", "failure", "failure", "failure", "pending"],
      );
    });

    it("acceptors for create and cancel", () => {
      const t = (state: string): ConversionTask => ({ ...TASK, state });
      assert.deepEqual(
        [t("completed"), t("cancelled"), t("cancelling"), undefined, t("active")].map(
          (o) => createAcceptors.find((a) => a.matches(o))?.verdict,
        ),
        ["success", "failure", "failure", "failure", undefined],
      );
      assert.deepEqual(
        [t("cancelled"), t("completed"), undefined, t("cancelling")].map((o) =>
          cancelAcceptors.some((a) => a.matches(o)),
        ),
        [true, true, true, false],
      );
    });
  });

  describe("diffInputs", () => {
    const olds = {
      ...VALID,
      marker: "pam-m",
      conversionTaskId: ID,
      state: "completed",
      __provider: "old",
    };
    it("no change for __provider alone or a re-signed manifest URL", () => {
      const news = {
        ...VALID,
        diskImages: [{ ...DISK, image: { ...DISK.image, importManifestUrl: RESIGNED } }],
        marker: "pam-m",
        __provider: "new",
      };
      assert.deepEqual(diffInputs(olds, news), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });
    it("replaces on a disk or launch change, updates on options", () => {
      assert.deepEqual(
        diffInputs(olds, {
          ...VALID,
          marker: "pam-m",
          launchSpecification: { instanceType: "m5.large" },
        }),
        {
          changes: true,
          replaces: ["launchSpecification"],
          deleteBeforeReplace: false,
        },
      );
      assert.deepEqual(
        diffInputs(olds, { ...VALID, marker: "pam-m", retainInstanceOnDelete: true }),
        {
          changes: true,
          replaces: [],
          deleteBeforeReplace: false,
        },
      );
    });
    it("replaces a cancelled task and resumes an active one", () => {
      assert.deepEqual(
        diffInputs({ ...olds, state: "cancelled" }, { ...VALID, marker: "pam-m" }).replaces,
        ["state"],
      );
      assert.deepEqual(diffInputs({ ...olds, state: "active" }, { ...VALID, marker: "pam-m" }), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });
    it("adopting the task it already manages changes nothing; an unknown counts as a replacement", () => {
      assert.equal(
        diffInputs(olds, { ...VALID, marker: "pam-m", adoptConversionTaskId: ID }).changes,
        false,
      );
      assert.deepEqual(
        diffInputs(olds, { ...VALID, marker: "pam-m", description: UNKNOWN }).replaces,
        ["description"],
      );
    });
  });

  describe("outputs", () => {
    it("echoes the inputs, the task, its volume IDs, ISO expiration and the instance state; no manifest URL", () => {
      const outs = toOutputs({ ...VALID, __provider: "p" }, TASK, {
        instanceId: TASK.instanceId!,
        state: "stopped",
      });
      assert.deepEqual(outs, {
        ...VALID,
        __provider: "p",
        conversionTaskId: ID,
        state: "completed",
        progress: 100,
        instanceId: "i-1234567890abcdef0",
        volumeIds: ["vol-1234567890abcdef0"],
        volumes: TASK.volumes,
        expirationTime: "2010-12-22T12:01:00.000Z",
        instanceState: "stopped",
        taskDetails: { description: "web [pam-m]", platform: "Windows" },
      });
      assert.deepEqual(recordedTask(ID, outs), TASK);
    });

    it("progress: bytes converted over the image size, else the Progress message", () => {
      const v = TASK.volumes[0]!;
      assert.equal(
        progressOf({ ...TASK, state: "active", volumes: [{ ...v, bytesConverted: 589796864 }] }),
        50,
      );
      assert.equal(
        progressOf({ ...TASK, state: "active", volumes: [], statusMessage: "Progress: 42%" }),
        42,
      );
      assert.equal(progressOf({ ...TASK, state: "active", volumes: [] }), undefined);
      assert.equal(spec.progress?.({ ...TASK, state: "active", volumes: [] }), "active");
    });

    it("waitTimeoutMs: the input, then stack config, then 240 minutes", () => {
      assert.equal(waitTimeoutMs({ waitTimeoutMinutes: 2 }, 9), 120_000);
      assert.equal(waitTimeoutMs({}, undefined), 14_400_000);
    });
  });

  describe("messages", () => {
    it("names the conversion, its states and the manifest fix", () => {
      const task = {
        ...TASK,
        state: "cancelled",
        statusMessage:
          "ClientError: Import manifest validation failed [We do not have access to the given resource. Reason 403 Forbidden]",
      };
      assert.equal(
        spec.failureMessage(
          { description: "web" },
          task,
          { polls: 3, observed: ["active", "active", "cancelled"] },
          ID,
        ),
        `ec2.ImportInstanceTask "web": conversion ${ID} ended in cancelled after 3 polls (active×2): ClientError: Import manifest validation failed [We do not have access to the given resource. Reason 403 Forbidden]. EC2 could not read the import manifest: presign the manifest URL again (it may have expired) for an identity that can read the bucket, then run \`pulumi up\` again (a failed import is replaced).`,
      );
      assert.match(
        adviceFor(
          "cancelled",
          "ClientError: Import manifest validation failed [Invalid manifest file]",
        ),
        /generate it again/,
      );
      assert.match(adviceFor("GONE", undefined), /7 days/);
    });
  });
});
