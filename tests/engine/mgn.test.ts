/**
 * mgn.ImportTask through Pulumi's real dynamic-provider host over gRPC: the resource class runs
 * under setMocks to produce the real serialized `__provider` and inputs, then the host loads that
 * text and serves configure / check / diff / create / read / update / delete against the emulator.
 * Needs a build (`npx tsc -p tsconfig.build.json`): the shim requires dist/provider/mgn/*.
 */
import { strict as assert } from "node:assert";
import {
  DescribeSourceServersCommand,
  InitializeServiceCommand,
  MgnClient,
} from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ImportTask } from "../../provider/mgn/importTask";
import { hostError, type Props, UNKNOWN, useDynamicHost } from "../support/dynamicHost";
import { clientConfig, useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const REGION = "us-west-2";
const BUCKET = "mgn-imports";
const URN = "urn:pulumi:test::migration::pulumi-nodejs:dynamic/mgn:ImportTask::wave-1";
const TYPE = "pulumi-nodejs:dynamic/mgn:ImportTask";
const ID_RE = /^import-[0-9a-f]{17}$/;
const GOOD_CSV =
  "mgn:app:name,mgn:server:user-provided-id,mgn:server:fqdn-for-action-framework,mgn:server:tag:stack\nbilling,srv-001,db1.example.com,prod\nbilling,srv-002,app1.example.com,prod\n";

describe("mgn.ImportTask through the Pulumi dynamic-provider host", function () {
  this.timeout(60_000);
  const ctx = useEmulator();
  const host = useDynamicHost(ctx, { region: REGION });
  let inputs: Props;

  before(async () => {
    const seen = await registrations(() => {
      new ImportTask("wave-1", {
        s3BucketSource: { s3Bucket: BUCKET, s3Key: "wave-1.csv" },
        tags: { team: "ops" },
      });
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.type, TYPE);
    inputs = seen[0]!.inputs;
  });
  beforeEach(async () => {
    await new MgnClient(clientConfig(ctx.emulator, REGION)).send(new InitializeServiceCommand({}));
    const s3 = new S3Client({ ...clientConfig(ctx.emulator, REGION), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [key, body] of Object.entries({
      "wave-1.csv": GOOD_CSV,
      "bad.csv": "mgn:nonsense\nx\n",
    })) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    }
    s3.destroy();
  });

  it("registers the inputs, a derived 64-character token, and a __provider under 2 KB", () => {
    const provider = String(inputs["__provider"]);
    const bytes = Buffer.byteLength(provider);
    console.log(`      __provider: ${bytes} bytes`);
    assert.ok(bytes < 2048, `__provider is ${bytes} bytes`);
    assert.match(provider, /pulumi-aws-migration\/internal\//);
    assert.match(provider, /mgn\/importTaskProvider/);
    const { __provider: _p, __urn, clientToken, ...rest } = inputs;
    // The URN the engine gives the resource, computed by the class (core/register.ts).
    assert.equal(__urn, URN);
    assert.match(String(clientToken), /^pam-[0-9a-f]{60}$/);
    assert.deepEqual(rest, {
      s3BucketSource: { s3Bucket: BUCKET, s3Key: "wave-1.csv" },
      tags: { team: "ops" },
    });
  });

  it("check passes valid inputs, skips values unknown in preview, and names each broken rule", async () => {
    assert.deepEqual(await host.check(URN, {}, inputs), { inputs, failures: [] });
    const preview = {
      ...inputs,
      s3BucketSource: { s3Bucket: BUCKET, s3Key: UNKNOWN },
      clientToken: UNKNOWN,
    };
    assert.deepEqual(await host.check(URN, {}, preview), { inputs: preview, failures: [] });
    const bad = {
      ...inputs,
      s3BucketSource: { s3Bucket: BUCKET, s3Key: "wave-1.xlsx", s3BucketOwner: "owner" },
      waitTimeoutMinutes: 0,
    };
    assert.deepEqual((await host.check(URN, {}, bad)).failures, [
      {
        property: "s3BucketSource.s3Key",
        reason:
          'must match an object key ending in .csv (MGN imports CSV files only) (got "wave-1.xlsx"). Fix: give the key of the CSV object, e.g. "inventory/wave-1.csv"',
      },
      {
        property: "s3BucketSource.s3BucketOwner",
        reason:
          "must be 12 characters (got 5). Fix: give the bucket owner's account ID (the bucket must grant s3:GetObject to the caller), or omit it for a bucket in this account",
      },
      {
        property: "waitTimeoutMinutes",
        reason:
          "must be between 1 and 10080 (got 0). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
      },
    ]);
  });

  it("create → read → diff → update → delete, with full outputs at every step", async () => {
    const { id, outs } = await host.create(URN, inputs);
    assert.match(id, ID_RE);
    assert.equal(outs["status"], "SUCCEEDED");
    assert.equal(outs["importId"], id);
    assert.deepEqual(outs["summary"], {
      waves: { createdCount: 0, modifiedCount: 0 },
      applications: { createdCount: 1, modifiedCount: 0 },
      servers: { createdCount: 2, modifiedCount: 0 },
    });
    assert.deepEqual(outs["tags"], { team: "ops" });
    assert.equal(outs["importErrorCount"], 0);
    assert.equal(outs["__provider"], inputs["__provider"]);

    const read = await host.read(id, URN, outs);
    assert.equal(read.id, id);
    assert.deepEqual(read.props, outs);

    assert.deepEqual(
      await host.diff(id, URN, outs, {
        ...inputs,
        __provider: `${String(inputs["__provider"])}\n// a new package version`,
      }),
      { changes: "NONE", replaces: [], deleteBeforeReplace: false },
    );
    assert.deepEqual(
      await host.diff(id, URN, outs, {
        ...inputs,
        s3BucketSource: { s3Bucket: BUCKET, s3Key: "wave-2.csv" },
      }),
      { changes: "SOME", replaces: ["s3BucketSource"], deleteBeforeReplace: false },
    );
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, s3BucketSource: UNKNOWN }), {
      changes: "SOME",
      replaces: ["s3BucketSource"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, waitTimeoutMinutes: 30 }), {
      changes: "SOME",
      replaces: [],
      deleteBeforeReplace: false,
    });

    const selector = { tag: { key: "stack", value: "prod" } };
    const updated = await host.update(id, URN, outs, {
      ...inputs,
      deleteInventoryOnDelete: selector,
    });
    assert.deepEqual(updated, { ...outs, deleteInventoryOnDelete: selector });

    await host.delete(id, URN, updated);
    const servers = await new MgnClient(clientConfig(ctx.emulator, REGION)).send(
      new DescribeSourceServersCommand({ filters: {} }),
    );
    assert.deepEqual(servers.items, []);
    assert.equal(ctx.emulator.stats().requests["mgn:DeleteSourceServer"], 2);
    // MGN keeps the import itself: a refresh still finds it.
    assert.equal((await host.read(id, URN, updated)).id, id);
  });

  it("a failed import arrives as an init failure carrying the ID, properties with __provider, and the reasons", async () => {
    const bad = {
      ...inputs,
      s3BucketSource: { s3Bucket: BUCKET, s3Key: "bad.csv" },
      clientToken: "pam-engine-bad",
    };
    const err = await hostError(host.create(URN, bad));
    assert.ok(err.initFailure, err.message);
    const { id, properties, reasons } = err.initFailure;
    assert.match(id, ID_RE);
    assert.equal(properties["__provider"], inputs["__provider"]);
    assert.equal(properties["importId"], id);
    assert.equal(properties["status"], "FAILED");
    assert.equal(reasons.length, 1);
    assert.match(
      reasons[0]!,
      new RegExp(`^mgn\\.ImportTask "${id}": import ${id} ended in FAILED after `),
    );
    assert.equal(err.initFailure.message, reasons[0]);

    // The next `pulumi up`: diff replaces the failed import; the recorded state can still be deleted.
    assert.deepEqual(await host.diff(id, URN, properties, bad), {
      changes: "SOME",
      replaces: ["status"],
      deleteBeforeReplace: false,
    });
    await host.delete(id, URN, properties);
  });
});
