/**
 * ec2.ImportImageTask and ec2.ImportInstanceTask through Pulumi's real dynamic-provider host over
 * gRPC: each class runs under setMocks to produce the real serialized `__provider` and inputs, then
 * the host loads that text and serves configure / check / diff / create / read / update / delete
 * against the emulator. Needs a build (`npx tsc -p tsconfig.build.json`): the shims require
 * dist/provider/ec2/*.
 */
import { strict as assert } from "node:assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ImportImageTask } from "../../provider/ec2/importImageTask";
import { ImportInstanceTask } from "../../provider/ec2/importInstanceTask";
import { hostError, type Props, UNKNOWN, useDynamicHost } from "../support/dynamicHost";
import { useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const REGION = "us-west-2";
const BUCKET = "vm-imports";
const IMAGE_URN = "urn:pulumi:test::migration::pulumi-nodejs:dynamic/ec2:ImportImageTask::web";
const INSTANCE_URN =
  "urn:pulumi:test::migration::pulumi-nodejs:dynamic/ec2:ImportInstanceTask::dc01";
/** Pulumi's marker for a secret value in registered inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

async function upload(url: string, files: Record<string, Buffer | string>): Promise<void> {
  const s3 = new S3Client({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

function isSecret(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" &&
    v !== null &&
    (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE
  );
}

/** The inputs as the engine sends them to a provider that does not accept secrets: unwrapped. */
function plain(inputs: Props): Props {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, isSecret(v) ? v.value : v]));
}

function providerBytes(inputs: Props): number {
  const bytes = Buffer.byteLength(String(inputs["__provider"]));
  assert.ok(bytes < 2048, `__provider is ${bytes} bytes`);
  return bytes;
}

describe("ec2 VM Import resources through the Pulumi dynamic-provider host", function () {
  this.timeout(60_000);
  const ctx = useEmulator({});
  const host = useDynamicHost(ctx, { region: REGION });

  before(async () => {});
  beforeEach(() =>
    upload(ctx.emulator.url, {
      "web.vmdk": vmdk(),
      "bad.vmdk": "not a disk",
      "dc01.manifest.xml":
        '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>',
    }),
  );

  describe("ec2.ImportImageTask", () => {
    let registered: Props;
    let inputs: Props;

    before(async () => {
      const seen = await registrations(() => {
        new ImportImageTask("web", {
          description: "web server",
          platform: "Linux",
          diskContainers: [{ format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "web.vmdk" } }],
        });
      });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.type, "pulumi-nodejs:dynamic/ec2:ImportImageTask");
      registered = seen[0]!.inputs;
      inputs = plain(registered);
    });

    it("registers the inputs, a derived 64-character ClientToken and a __provider under 2 KB", () => {
      const bytes = providerBytes(inputs);
      console.log(`      ec2.ImportImageTask __provider: ${bytes} bytes`);
      assert.match(String(inputs["__provider"]), /ec2\/importImageTaskProvider/);
      const { __provider: _p, __urn, clientToken, ...rest } = inputs;
      assert.equal(__urn, IMAGE_URN);
      assert.match(String(clientToken), /^pam-[0-9a-f]{60}$/);
      assert.deepEqual(rest, {
        description: "web server",
        platform: "Linux",
        diskContainers: [{ format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "web.vmdk" } }],
      });
    });

    it("keeps a presigned disk URL secret in the registered inputs", async () => {
      const seen = await registrations(() => {
        new ImportImageTask("signed", {
          diskContainers: [
            {
              format: "VMDK",
              url: `https://${BUCKET}.s3.amazonaws.com/web.vmdk?X-Amz-Signature=abc`,
            },
          ],
        });
      });
      const disks = seen[0]!.inputs["diskContainers"];
      assert.ok(isSecret(disks));
      assert.ok(isSecret(seen[0]!.inputs["clientToken"]));
    });

    it("check passes valid inputs, skips values unknown in preview, and names each broken rule", async () => {
      assert.deepEqual(await host.check(IMAGE_URN, {}, inputs), { inputs, failures: [] });
      const preview = {
        ...inputs,
        diskContainers: UNKNOWN,
        clientToken: UNKNOWN,
        platform: UNKNOWN,
      };
      assert.deepEqual(await host.check(IMAGE_URN, {}, preview), { inputs: preview, failures: [] });
      const bad = { ...inputs, kmsKeyId: "alias/k", bootMode: "uefi-preferred" };
      assert.deepEqual((await host.check(IMAGE_URN, {}, bad)).failures, [
        {
          property: "bootMode",
          reason:
            'must be legacy-bios or uefi: uefi-preferred is not supported for import. Fix: use "uefi" for UEFI disks, "legacy-bios" otherwise',
        },
        {
          property: "kmsKeyId",
          reason:
            "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId",
        },
      ]);
    });

    it("create → read → diff → update → delete, with full outputs at every step", async () => {
      const { id, outs } = await host.create(IMAGE_URN, inputs);
      assert.match(id, /^import-ami-[0-9a-f]{17}$/);
      assert.equal(outs["status"], "completed");
      assert.match(String(outs["imageId"]), /^ami-[0-9a-f]{17}$/);
      assert.equal(outs["__provider"], inputs["__provider"]);

      assert.deepEqual(await host.read(id, IMAGE_URN, outs), { id, props: outs, inputs: {} });
      assert.deepEqual(
        await host.diff(id, IMAGE_URN, outs, {
          ...inputs,
          __provider: `${String(inputs["__provider"])}\n// v2`,
        }),
        { changes: "NONE", replaces: [], deleteBeforeReplace: false },
      );
      assert.deepEqual(await host.diff(id, IMAGE_URN, outs, { ...inputs, platform: "Windows" }), {
        changes: "SOME",
        replaces: ["platform"],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(
        await host.diff(id, IMAGE_URN, outs, { ...inputs, diskContainers: UNKNOWN }),
        {
          changes: "SOME",
          replaces: ["diskContainers"],
          deleteBeforeReplace: false,
        },
      );
      assert.deepEqual(
        await host.diff(id, IMAGE_URN, outs, { ...inputs, retainSnapshotsOnDelete: true }),
        {
          changes: "SOME",
          replaces: [],
          deleteBeforeReplace: false,
        },
      );

      const updated = await host.update(id, IMAGE_URN, outs, { ...inputs, waitTimeoutMinutes: 60 });
      assert.deepEqual(updated, { ...outs, waitTimeoutMinutes: 60 });

      await host.delete(id, IMAGE_URN, updated);
      assert.deepEqual(await host.read(id, IMAGE_URN, updated), {
        id: "",
        props: { __provider: inputs["__provider"] },
        inputs: {},
      });
      assert.equal(ctx.emulator.stats().requests["ec2:DeregisterImage"], 1);
      assert.equal(ctx.emulator.stats().requests["ec2:DeleteSnapshot"], 1);
    });

    it("a failed import arrives as an init failure carrying the ID, properties with __provider, and the reason", async () => {
      const bad = {
        ...inputs,
        diskContainers: [{ format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "bad.vmdk" } }],
        clientToken: "pam-engine-bad",
      };
      const err = await hostError(host.create(IMAGE_URN, bad));
      assert.ok(err.initFailure, err.message);
      const { id, properties, reasons } = err.initFailure;
      assert.match(id, /^import-ami-[0-9a-f]{17}$/);
      assert.equal(properties["__provider"], inputs["__provider"]);
      assert.equal(properties["importTaskId"], id);
      assert.equal(
        properties["statusMessage"],
        "ClientError: Disk validation failed [Unsupported specified file format]",
      );
      assert.equal(reasons.length, 1);
      assert.match(
        reasons[0]!,
        new RegExp(
          `^ec2\\.ImportImageTask "web server": import ${id} ended in delet(ing|ed) after `,
        ),
      );
      assert.deepEqual(await host.diff(id, IMAGE_URN, properties, bad), {
        changes: "SOME",
        replaces: ["status"],
        deleteBeforeReplace: false,
      });
      await host.delete(id, IMAGE_URN, properties);
    });
  });

  describe("ec2.ImportInstanceTask", () => {
    let registered: Props;
    let inputs: Props;

    before(async () => {
      const manifest = `${ctx.emulator.url}/${BUCKET}/dc01.manifest.xml?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1294855591&Signature=5snej01TlTtL0uR7KExtEXAMPLE%3D`;
      const seen = await registrations(() => {
        new ImportInstanceTask("dc01", {
          description: "dc01",
          platform: "Windows",
          diskImages: [
            {
              image: { format: "VMDK", bytes: 1179593728, importManifestUrl: manifest },
              volume: { size: 12 },
            },
          ],
          launchSpecification: { instanceType: "m5.large" },
        });
      });
      assert.equal(seen.length, 1);
      assert.equal(seen[0]!.type, "pulumi-nodejs:dynamic/ec2:ImportInstanceTask");
      registered = seen[0]!.inputs;
      inputs = plain(registered);
    });

    it("registers the manifest URL as a secret, a derived marker and a __provider under 2 KB", () => {
      const bytes = providerBytes(inputs);
      console.log(`      ec2.ImportInstanceTask __provider: ${bytes} bytes`);
      assert.match(String(inputs["__provider"]), /ec2\/importInstanceTaskProvider/);
      assert.ok(isSecret(registered["diskImages"]));
      assert.match(String(inputs["marker"]), /^pam-[0-9a-f]{36}$/);
      assert.deepEqual(inputs["launchSpecification"], { instanceType: "m5.large" });
    });

    it("check passes valid inputs, skips unknowns, and rejects Linux and a second disk", async () => {
      assert.deepEqual(await host.check(INSTANCE_URN, {}, inputs), { inputs, failures: [] });
      const preview = { ...inputs, diskImages: UNKNOWN, marker: UNKNOWN };
      assert.deepEqual((await host.check(INSTANCE_URN, {}, preview)).failures, []);
      const disks = inputs["diskImages"] as unknown[];
      const bad = { ...inputs, platform: "Linux", diskImages: [disks[0], disks[0]] };
      assert.deepEqual(
        (await host.check(INSTANCE_URN, {}, bad)).failures.map((f) => f.property),
        ["platform", "diskImages"],
      );
      assert.ok(host.output.join("").includes("ImportInstance is legacy"));
    });

    it("create → (re-run finds it by marker) → read → update → delete, with full outputs", async () => {
      const { id, outs } = await host.create(INSTANCE_URN, inputs);
      assert.match(id, /^import-i-[0-9a-f]{8}$/);
      assert.equal(outs["state"], "completed");
      assert.equal(outs["instanceState"], "stopped");
      assert.equal(outs["__provider"], inputs["__provider"]);
      const again = await host.create(INSTANCE_URN, inputs);
      assert.equal(again.id, id);
      assert.equal(ctx.emulator.stats().requests["ec2:ImportInstance"], 1);
      assert.deepEqual(await host.read(id, INSTANCE_URN, outs), { id, props: outs, inputs: {} });
      assert.deepEqual(
        await host.diff(id, INSTANCE_URN, outs, {
          ...inputs,
          __provider: `${String(inputs["__provider"])}\n// v2`,
        }),
        {
          changes: "NONE",
          replaces: [],
          deleteBeforeReplace: false,
        },
      );
      const updated = await host.update(id, INSTANCE_URN, outs, {
        ...inputs,
        retainVolumesOnDelete: true,
      });
      assert.deepEqual(updated, { ...outs, retainVolumesOnDelete: true });
      await host.delete(id, INSTANCE_URN, updated);
      assert.equal(ctx.emulator.stats().requests["ec2:TerminateInstances"], 1);
      assert.equal(ctx.emulator.stats().requests["ec2:DeleteVolume"] ?? 0, 0);
      assert.ok(
        !host.output.join("").includes("5snej01"),
        "the manifest signature reached the host output",
      );
    });
  });
});
