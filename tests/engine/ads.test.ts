/**
 * ads.ImportTask through Pulumi's real dynamic-provider host over gRPC: the resource class runs
 * under setMocks to produce the real serialized `__provider` and inputs, then the host loads that
 * text and serves configure / check / diff / create / read / update / delete against the emulator.
 * Needs a build (`npx tsc -p tsconfig.build.json`): the shim requires dist/provider/ads/*.
 */
import { strict as assert } from "node:assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ImportTask } from "../../provider/ads/importTask";
import { hostError, type Props, UNKNOWN, useDynamicHost } from "../support/dynamicHost";
import { useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const REGION = "us-west-2";
const URN = "urn:pulumi:test::migration::pulumi-nodejs:dynamic/ads:ImportTask::servers";
const TYPE = "pulumi-nodejs:dynamic/ads:ImportTask";
const ID_RE = /^import-task-[0-9a-f]{32}$/;

async function upload(url: string, files: Record<string, string>): Promise<void> {
  const s3 = new S3Client({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: "migration-data" }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: "migration-data", Key: key, Body: body }));
  }
  s3.destroy();
}

describe("ads.ImportTask through the Pulumi dynamic-provider host", function () {
  this.timeout(60_000);
  const ctx = useEmulator({ homeRegion: REGION });
  const host = useDynamicHost(ctx, { region: REGION });
  let inputs: Props;

  before(async () => {
    const seen = await registrations(() => {
      new ImportTask("servers", {
        name: "servers-q3",
        importUrl: "s3://migration-data/servers.csv",
      });
    });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.type, TYPE);
    inputs = seen[0]!.inputs;
  });
  beforeEach(() =>
    upload(ctx.emulator.url, {
      "servers.csv": "ExternalId,HostName\nsrv-1,web-1\nsrv-2,web-2\n",
      "bad.csv": "Foo,Bar\n1,2\n",
    }),
  );

  it("registers the inputs, a derived token within the 100-character limit, and a __provider under 2 KB", () => {
    const provider = String(inputs["__provider"]);
    const bytes = Buffer.byteLength(provider);
    console.log(`      __provider: ${bytes} bytes`);
    assert.ok(bytes < 2048, `__provider is ${bytes} bytes`);
    assert.match(provider, /pulumi-aws-migration\/internal\//);
    assert.match(provider, /ads\/importTaskProvider/);
    const { __provider: _p, __urn, clientRequestToken, ...rest } = inputs;
    // The URN the engine gives the resource, computed by the class (core/register.ts).
    assert.equal(__urn, URN);
    assert.match(String(clientRequestToken), /^pam-[0-9a-f]{64}$/);
    assert.deepEqual(rest, { name: "servers-q3", importUrl: "s3://migration-data/servers.csv" });
  });

  it("check passes valid inputs, skips values unknown in preview, and names each broken rule", async () => {
    assert.deepEqual(await host.check(URN, {}, inputs), { inputs, failures: [] });
    const preview = { ...inputs, importUrl: UNKNOWN, clientRequestToken: UNKNOWN };
    assert.deepEqual(await host.check(URN, {}, preview), { inputs: preview, failures: [] });
    const bad = { ...inputs, name: " ", waitTimeoutMinutes: 0 };
    assert.deepEqual((await host.check(URN, {}, bad)).failures, [
      {
        property: "name",
        reason:
          'must match at least one non-whitespace character (got " "). Fix: give the import a descriptive name of 1–255 characters',
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
    assert.equal(outs["status"], "IMPORT_COMPLETE");
    assert.equal(outs["serverImportSuccess"], 2);
    assert.equal(outs["__provider"], inputs["__provider"]);

    const read = await host.read(id, URN, outs);
    assert.equal(read.id, id);
    assert.deepEqual(read.props, outs);

    assert.deepEqual(
      await host.diff(id, URN, outs, {
        ...inputs,
        __provider: `${String(inputs["__provider"])}\n// a new package version`,
      }),
      {
        changes: "NONE",
        replaces: [],
        deleteBeforeReplace: false,
      },
    );
    assert.deepEqual(
      await host.diff(id, URN, outs, { ...inputs, importUrl: "s3://migration-data/v2.csv" }),
      {
        changes: "SOME",
        replaces: ["importUrl"],
        deleteBeforeReplace: false,
      },
    );
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, importUrl: UNKNOWN }), {
      changes: "SOME",
      replaces: ["importUrl"],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(await host.diff(id, URN, outs, { ...inputs, retainOnDelete: true }), {
      changes: "SOME",
      replaces: [],
      deleteBeforeReplace: false,
    });

    const updated = await host.update(id, URN, outs, { ...inputs, deleteHistoryOnDelete: true });
    assert.deepEqual(updated, { ...outs, deleteHistoryOnDelete: true });

    await host.delete(id, URN, updated);
    const afterDelete = await host.read(id, URN, updated);
    assert.deepEqual(afterDelete, {
      id: "",
      props: { __provider: inputs["__provider"] },
      inputs: {},
    });
    assert.equal(ctx.emulator.stats().requests["ads:BatchDeleteImportData"], 1);
  });

  it("a failed import arrives as an init failure carrying the ID, properties with __provider, and the reason", async () => {
    const bad = {
      ...inputs,
      importUrl: "s3://migration-data/bad.csv",
      clientRequestToken: "pam-engine-bad",
    };
    const err = await hostError(host.create(URN, bad));
    assert.ok(err.initFailure, err.message);
    const { id, properties, reasons } = err.initFailure;
    assert.match(id, ID_RE);
    assert.equal(properties["__provider"], inputs["__provider"]);
    assert.equal(properties["importTaskId"], id);
    assert.equal(properties["status"], "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE");
    assert.equal(reasons.length, 1);
    assert.match(
      reasons[0]!,
      new RegExp(
        `^ads\\.ImportTask "servers-q3": import ${id} ended in IMPORT_FAILED_UNSUPPORTED_FILE_TYPE after `,
      ),
    );
    assert.equal(err.initFailure.message, reasons[0]);

    // The next `pulumi up`: diff replaces the failed task; the recorded state can still be deleted.
    assert.deepEqual(await host.diff(id, URN, properties, bad), {
      changes: "SOME",
      replaces: ["status"],
      deleteBeforeReplace: false,
    });
    await host.delete(id, URN, properties);
  });
});
