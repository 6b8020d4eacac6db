/**
 * ec2.ImportSnapshotTask through Pulumi's real dynamic-provider host over gRPC: the class runs under
 * setMocks to produce the real serialized `__provider` and inputs, then the host loads that text
 * and serves configure / check / diff / create / read / update / delete against the emulator.
 * Needs a build (`npx tsc -p tsconfig.build.json`): the shim requires
 * dist/provider/ec2/importSnapshotTaskProvider.
 */
import { strict as assert } from "node:assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ImportSnapshotTask } from "../../provider/ec2/importSnapshotTask";
import { DynamicHost, HostCallError, type Props, UNKNOWN } from "../support/dynamicHost";
import { clientConfig, useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const BUCKET = "vm-imports";
const URN = "urn:pulumi:test::migration::pulumi-nodejs:dynamic/ec2:ImportSnapshotTask::data";
/** Pulumi's marker for a secret value in registered inputs. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
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

async function hostError(p: Promise<unknown>): Promise<HostCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HostCallError) return e;
    throw e;
  }
  throw new assert.AssertionError({ message: "expected the host call to fail" });
}

describe("ec2.ImportSnapshotTask through the Pulumi dynamic-provider host", function () {
  this.timeout(60_000);
  const ctx = useEmulator({});
  let host: DynamicHost;
  let registered: Props;
  let inputs: Props;

  before(async () => {
    host = await DynamicHost.start(process.cwd(), {
      PATH: process.env["PATH"],
      HOME: process.env["HOME"],
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
    await host.configure({
      "aws:region": "us-west-2",
      "awsMigration:endpoint": ctx.emulator.url,
      "awsMigration:pollMinDelayMs": "10",
      "awsMigration:pollMaxDelayMs": "40",
    });
    const seen = await registrations(() => {
      new ImportSnapshotTask("data", {
        description: "data disk of web-01",
        diskContainer: { format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "data.vmdk" } },
        tags: { wave: "1" },
      });
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.type, "pulumi-nodejs:dynamic/ec2:ImportSnapshotTask");
    registered = seen[0]!.inputs;
    inputs = plain(registered);
  });
  after(() => host?.stop());
  beforeEach(async () => {
    const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "data.vmdk", Body: vmdk() }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "bad.vmdk", Body: "not a disk" }));
    s3.destroy();
  });

  it("registers the inputs, a derived 64-character ClientToken and a __provider of at most 1 KB", () => {
    const bytes = Buffer.byteLength(String(inputs["__provider"]));
    console.log(`      ec2.ImportSnapshotTask __provider: ${bytes} bytes`);
    assert.ok(bytes <= 1024, `__provider is ${bytes} bytes`);
    assert.match(String(inputs["__provider"]), /ec2\/importSnapshotTaskProvider/);
    const { __provider: _p, __urn, clientToken, ...rest } = inputs;
    assert.equal(__urn, URN);
    assert.match(String(clientToken), /^pam-[0-9a-f]{60}$/);
    assert.deepEqual(rest, {
      description: "data disk of web-01",
      diskContainer: { format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "data.vmdk" } },
      tags: { wave: "1" },
    });
  });

  it("keeps a presigned disk URL secret in the registered inputs (and so the derived token)", async () => {
    const seen = await registrations(() => {
      new ImportSnapshotTask("signed", {
        diskContainer: {
          format: "RAW",
          url: `https://${BUCKET}.s3.amazonaws.com/data.raw?X-Amz-Signature=abc`,
        },
      });
    });
    assert.ok(isSecret(seen[0]!.inputs["diskContainer"]));
    assert.ok(isSecret(seen[0]!.inputs["clientToken"]));
  });

  it("check passes valid inputs, skips values unknown in preview, and names each broken rule", async () => {
    assert.deepEqual(await host.check(URN, {}, inputs), { inputs, failures: [] });
    const preview = { ...inputs, diskContainer: UNKNOWN, clientToken: UNKNOWN };
    assert.deepEqual(await host.check(URN, {}, preview), { inputs: preview, failures: [] });
    const bad = { ...inputs, diskContainer: { format: "OVA" }, kmsKeyId: "alias/k" };
    assert.deepEqual((await host.check(URN, {}, bad)).failures, [
      {
        property: "diskContainer",
        reason:
          "must name its disk with exactly one of url or userBucket (got none). Fix: add userBucket: { s3Bucket, s3Key }",
      },
      {
        property: "diskContainer.format",
        reason:
          'must match one of VHD, VMDK, RAW (any case) (got "OVA"). Fix: set the disk image\'s format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)',
      },
      {
        property: "kmsKeyId",
        reason:
          "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId",
      },
    ]);
  });

  it("create → read → diff → update → delete, with full outputs at every step", async () => {
    const { id, outs } = await host.create(URN, inputs);
    assert.match(id, /^import-snap-[0-9a-f]{17}$/);
    const snapshotId = String(outs["snapshotId"]);
    assert.match(snapshotId, /^snap-[0-9a-f]{17}$/);
    assert.deepEqual(outs, {
      ...inputs,
      importTaskId: id,
      status: "completed",
      progress: 100,
      snapshotId,
      diskImageSize: 2048,
      volumeSize: 1,
      snapshotState: "completed",
    });

    assert.deepEqual(await host.read(id, URN, outs), { id, props: outs, inputs: {} });
    const v2 = `${String(inputs["__provider"])}\n// v2`;
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, __provider: v2 }), {
      changes: "NONE",
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, encrypted: true }), {
      changes: "SOME",
      replaces: ["encrypted"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, diskContainer: UNKNOWN }), {
      changes: "SOME",
      replaces: ["diskContainer"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, retainOnDelete: false }), {
      changes: "NONE",
      replaces: [],
      deleteBeforeReplace: false,
    });

    const updated = await host.update(id, URN, outs, { ...inputs, waitTimeoutMinutes: 60 });
    assert.deepEqual(updated, { ...outs, waitTimeoutMinutes: 60 });

    await host.delete(id, URN, updated);
    assert.equal(ctx.emulator.stats().requests["ec2:DeleteSnapshot"], 1);
    assert.deepEqual(await host.read(id, URN, updated), {
      id: "",
      props: { __provider: inputs["__provider"] },
      inputs: {},
    });
  });

  it("a failed import arrives as an init failure carrying the ID, properties with __provider, and the reason", async () => {
    const bad = {
      ...inputs,
      diskContainer: { format: "VMDK", userBucket: { s3Bucket: BUCKET, s3Key: "bad.vmdk" } },
      clientToken: "pam-engine-bad",
    };
    const err = await hostError(host.create(URN, bad));
    assert.ok(err.initFailure, err.message);
    const { id, properties, reasons } = err.initFailure;
    assert.match(id, /^import-snap-[0-9a-f]{17}$/);
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
        `^ec2\\.ImportSnapshotTask "data disk of web-01": import ${id} ended in delet(ing|ed) after `,
      ),
    );
    assert.deepEqual(await host.diff(id, URN, properties, bad), {
      changes: "SOME",
      replaces: ["status"],
      deleteBeforeReplace: false,
    });
    await host.delete(id, URN, properties);
  });
});
