/**
 * The package as users get it: `npm pack` of the current build, installed into a separate
 * temporary project that has its own @pulumi/pulumi — the oldest the package's range accepts, not
 * the version this repository locks, so npm must share the project's copy instead of nesting a
 * second one. A program there instantiates the resource classes from the installed package under
 * setMocks (with that project's @pulumi/pulumi); the serialized `__provider` of each is then
 * driven through that project's dynamic-provider host over gRPC against the emulator — so the
 * shim's `require("pulumi-aws-migration/internal/...")` must resolve through the tarball's
 * `exports` map and `files`, not through this repository, and the package works with that SDK.
 * Needs a build (`npx tsc -p tsconfig.build.json`); the pack and the install take ~20 s when the
 * machine is idle and the npm cache holds the consumer's SDK.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type DynamicHost, type Props, startConfiguredHost, UNKNOWN } from "../support/dynamicHost";
import { clientConfig, TEST_REGION, useEmulator } from "../support/emulator";
import { installedCopies, installPacked, type PackedProject } from "../support/packed";

const run = promisify(execFile);

const ROOT = join(__dirname, "..", "..");
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const PULUMI_RANGE =
  readJson<{ dependencies: Record<string, string> }>(join(ROOT, "package.json")).dependencies[
    "@pulumi/pulumi"
  ] ?? "";
/** The oldest @pulumi/pulumi the package accepts: the consumer's copy. */
const OLDEST_PULUMI = /^\^(3\.\d+\.\d+)$/.exec(PULUMI_RANGE)?.[1] ?? "";
const LOCKED_PULUMI = readJson<{ version: string }>(
  join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"),
).version;

/** The consumer's program: plain JavaScript, requiring only what it installed. */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { ads, ec2, mgn, migrationhub } = require("pulumi-aws-migration");
const seen = [];
(async () => {
  await pulumi.runtime.setMocks({
    newResource(args) { seen.push({ type: args.type, name: args.name, inputs: args.inputs }); return { id: args.name + "-id", state: args.inputs }; },
    call() { return {}; },
  }, "migration", "test", false);
  new ads.ImportTask("servers", { name: "servers-q3", importUrl: "s3://migration-data/servers.csv" });
  new migrationhub.ProgressUpdateStream("tool", { progressUpdateStreamName: "tool" });
  new migrationhub.MigrationTask("web-01", { progressUpdateStream: "tool", migrationTaskName: "web-01", initialState: { status: "NOT_STARTED" } });
  new mgn.ImportTask("wave-1", { s3BucketSource: { s3Bucket: "migration-data", s3Key: "wave-1.csv" } });
  new ec2.ImportImageTask("web", { platform: "Linux", diskContainers: [{ format: "vmdk", userBucket: { s3Bucket: "migration-data", s3Key: "web.vmdk" } }] });
  new ec2.ImportInstanceTask("dc01", {
    platform: "Windows",
    diskImages: [{ image: { format: "VMDK", bytes: 1179593728, importManifestUrl: process.env.MANIFEST_URL }, volume: { size: 12 } }],
    launchSpecification: { instanceType: "m5.large" },
  });
  for (let i = 0; i < 500 && seen.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write(JSON.stringify(seen));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Pulumi's wire marker of a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";
function unwrapSecrets(props: Props): Props {
  const plain = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(plain);
    if (typeof v !== "object" || v === null) return v;
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] === SECRET_VALUE) return plain(o["value"]);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  };
  return plain(props) as Props;
}

const urn = (type: string, name: string): string => `urn:pulumi:test::migration::${type}::${name}`;
const ADS_TYPE = "pulumi-nodejs:dynamic/ads:ImportTask";
const STREAM_TYPE = "pulumi-nodejs:dynamic/migrationhub:ProgressUpdateStream";
const TASK_TYPE = "pulumi-nodejs:dynamic/migrationhub:MigrationTask";
const MGN_TYPE = "pulumi-nodejs:dynamic/mgn:ImportTask";
const IMAGE_TYPE = "pulumi-nodejs:dynamic/ec2:ImportImageTask";
const INSTANCE_TYPE = "pulumi-nodejs:dynamic/ec2:ImportInstanceTask";

describe("the packed tarball installed into a separate project", function () {
  this.timeout(180_000);
  const ctx = useEmulator({ homeRegion: TEST_REGION });
  let project: PackedProject;
  let host: DynamicHost;
  const inputs: Record<string, Props> = {};

  before(async function () {
    // Pack, install and start: ~20 s on an idle machine; minutes under load or when the npm cache
    // lacks the consumer's SDK and npm must fetch it.
    this.timeout(600_000);
    assert.ok(
      OLDEST_PULUMI,
      `@pulumi/pulumi is "${PULUMI_RANGE}" in package.json, not a ^3.x.y range`,
    );
    project = await installPacked(OLDEST_PULUMI);
    writeFileSync(join(project.dir, "index.js"), PROGRAM);
    const manifest = `${ctx.emulator.url}/migration-data/dc01.manifest.xml?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1294855591&Signature=abc%3D`;
    const { stdout } = await run(process.execPath, ["index.js"], {
      cwd: project.dir,
      maxBuffer: 4 * 1024 * 1024,
      env: { PATH: process.env["PATH"], HOME: process.env["HOME"], MANIFEST_URL: manifest },
    });
    // The engine hands a provider that does not accept secrets their plain values.
    for (const r of JSON.parse(stdout) as { type: string; inputs: Props }[])
      inputs[r.type] = unwrapSecrets(r.inputs);
    host = await startConfiguredHost(project.dir, ctx.emulator.url, TEST_REGION);
  });
  after(() => {
    host?.stop();
    project?.remove();
  });

  it("shares the project's own @pulumi/pulumi, one copy, when it is not the version locked here", () => {
    assert.notEqual(OLDEST_PULUMI, LOCKED_PULUMI, "the project must differ from the lock");
    assert.deepEqual(installedCopies(project.dir, "@pulumi/pulumi"), [
      { path: join("node_modules", "@pulumi", "pulumi"), version: OLDEST_PULUMI },
    ]);
  });

  it("ships only the build and the README, with every module a shim requires", () => {
    const outside = project.files.filter(
      (f) => !/^(dist\/(provider|emulator)\/|README\.md$|package\.json$)/.test(f),
    );
    assert.deepEqual(outside, []);
    assert.deepEqual(
      Object.keys(inputs).sort(),
      [ADS_TYPE, STREAM_TYPE, TASK_TYPE, MGN_TYPE, IMAGE_TYPE, INSTANCE_TYPE].sort(),
    );
    for (const [type, i] of Object.entries(inputs)) {
      const module = /"((?:ads|mgn|migrationhub|ec2)\/[A-Za-z]+Provider)"/.exec(
        String(i["__provider"]),
      )?.[1];
      assert.ok(module, `${type}: no implementation module named in __provider`);
      assert.ok(
        project.files.includes(`dist/provider/${module}.js`),
        `${type}: dist/provider/${module}.js is not in the tarball`,
      );
    }
  });

  it("serializes each __provider in at most 2 KB, naming the package, never a path on this machine", () => {
    const sizes = Object.fromEntries(
      Object.entries(inputs).map(([t, i]) => [t, Buffer.byteLength(String(i["__provider"]))]),
    );
    console.log(
      `      __provider from the tarball: ${Object.entries(sizes)
        .map(([t, b]) => `${t.split("/")[1]} ${b} B`)
        .join(", ")}`,
    );
    for (const [type, i] of Object.entries(inputs)) {
      const text = String(i["__provider"]);
      assert.ok(sizes[type]! <= 2048, `${type}: __provider is ${sizes[type]} bytes`);
      assert.match(text, /pulumi-aws-migration\/internal\//);
      assert.ok(
        !text.includes(project.dir) && !text.includes(join(__dirname, "..", "..")),
        `${type}: __provider holds a local path`,
      );
    }
  });

  beforeEach(async () => {
    const s3 = new S3Client({ ...clientConfig(ctx.emulator), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "migration-data" }));
    const vmdk = Buffer.alloc(2048);
    vmdk.write("KDMV", 0, "latin1");
    const files: Record<string, string | Buffer> = {
      "servers.csv": "ExternalId,HostName\nsrv-1,web-1\nsrv-2,web-2\n",
      "wave-1.csv":
        "mgn:app:name,mgn:server:user-provided-id,mgn:server:fqdn-for-action-framework\nbilling,srv-001,db1.example.com\n",
      "web.vmdk": vmdk,
      "dc01.manifest.xml":
        '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>',
    };
    for (const [Key, Body] of Object.entries(files))
      await s3.send(new PutObjectCommand({ Bucket: "migration-data", Key, Body }));
    s3.destroy();
  });

  it("drives ads.ImportTask through the installed host: check (with unknowns), create, read, delete", async () => {
    const i = inputs[ADS_TYPE]!;
    const u = urn(ADS_TYPE, "servers");
    assert.deepEqual(await host.check(u, {}, i), { inputs: i, failures: [] });
    const preview = { ...i, importUrl: UNKNOWN };
    assert.deepEqual(await host.check(u, {}, preview), { inputs: preview, failures: [] });

    const { id, outs } = await host.create(u, i);
    assert.match(id, /^import-task-[0-9a-f]{32}$/);
    assert.deepEqual(
      [
        outs["status"],
        outs["serverImportSuccess"],
        outs["serverImportFailure"],
        outs["__provider"],
      ],
      ["IMPORT_COMPLETE", 2, 0, i["__provider"]],
    );
    const read = await host.read(id, u, outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id, props: outs });
    await host.delete(id, u, outs);
    assert.deepEqual(await host.read(id, u, outs), {
      id: "",
      props: { __provider: i["__provider"] },
      inputs: {},
    });
    assert.deepEqual(
      [
        ctx.emulator.stats().requests["ads:StartImportTask"],
        ctx.emulator.stats().requests["ads:BatchDeleteImportData"],
      ],
      [1, 1],
    );
  });

  it("drives migrationhub.ProgressUpdateStream and MigrationTask through the installed host", async () => {
    const streamInputs = inputs[STREAM_TYPE]!;
    const taskInputs = inputs[TASK_TYPE]!;
    const su = urn(STREAM_TYPE, "tool");
    const tu = urn(TASK_TYPE, "web-01");
    assert.deepEqual(await host.check(tu, {}, { ...taskInputs, progressUpdateStream: UNKNOWN }), {
      inputs: { ...taskInputs, progressUpdateStream: UNKNOWN },
      failures: [],
    });
    const stream = await host.create(su, streamInputs);
    assert.deepEqual(stream, {
      id: "tool",
      outs: {
        progressUpdateStreamName: "tool",
        retainOnDelete: false,
        __provider: streamInputs["__provider"],
        __urn: su,
      },
    });
    const task = await host.create(tu, taskInputs);
    assert.equal(task.id, "tool/web-01");
    assert.equal(task.outs["status"], "NOT_STARTED");
    const read = await host.read(task.id, tu, task.outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id: task.id, props: task.outs });
    await host.delete(task.id, tu, task.outs);
    await host.delete(stream.id, su, stream.outs);
    assert.deepEqual(await host.read(stream.id, su, stream.outs), {
      id: "",
      props: { __provider: streamInputs["__provider"] },
      inputs: {},
    });
    assert.equal(ctx.emulator.stats().requests["migrationhub:DeleteProgressUpdateStream"], 1);
  });

  it("drives mgn.ImportTask through the installed host: check (with unknowns), create, read, delete", async () => {
    await new MgnClient(clientConfig(ctx.emulator)).send(new InitializeServiceCommand({}));
    const i = inputs[MGN_TYPE]!;
    const u = urn(MGN_TYPE, "wave-1");
    const preview = { ...i, s3BucketSource: { s3Bucket: "migration-data", s3Key: UNKNOWN } };
    assert.deepEqual(await host.check(u, {}, preview), { inputs: preview, failures: [] });
    const { id, outs } = await host.create(u, i);
    assert.match(id, /^import-[0-9a-f]{17}$/);
    assert.deepEqual(
      [outs["status"], outs["importErrorCount"], outs["summary"]],
      [
        "SUCCEEDED",
        0,
        {
          waves: { createdCount: 0, modifiedCount: 0 },
          applications: { createdCount: 1, modifiedCount: 0 },
          servers: { createdCount: 1, modifiedCount: 0 },
        },
      ],
    );
    const read = await host.read(id, u, outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id, props: outs });
    await host.delete(id, u, outs); // MGN has no import delete: the default policy retains
    assert.equal(ctx.emulator.stats().requests["mgn:StartImport"], 1);
  });

  it("drives ec2.ImportImageTask through the installed host: check (with unknowns), create, read, delete", async () => {
    const i = inputs[IMAGE_TYPE]!;
    const u = urn(IMAGE_TYPE, "web");
    const preview = { ...i, platform: UNKNOWN };
    assert.deepEqual(await host.check(u, {}, preview), { inputs: preview, failures: [] });
    const { id, outs } = await host.create(u, i);
    assert.match(id, /^import-ami-[0-9a-f]{17}$/);
    assert.equal(outs["status"], "completed");
    assert.match(String(outs["imageId"]), /^ami-[0-9a-f]{17}$/);
    const read = await host.read(id, u, outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id, props: outs });
    await host.delete(id, u, outs);
    const stats = ctx.emulator.stats().requests;
    assert.deepEqual(
      [stats["ec2:ImportImage"], stats["ec2:DeregisterImage"], stats["ec2:DeleteSnapshot"]],
      [1, 1, 1],
    );
  });

  it("drives ec2.ImportInstanceTask through the installed host: create, read, delete", async () => {
    const i = inputs[INSTANCE_TYPE]!;
    const u = urn(INSTANCE_TYPE, "dc01");
    const { id, outs } = await host.create(u, i);
    assert.match(id, /^import-i-[0-9a-f]{8}$/);
    assert.deepEqual([outs["state"], outs["instanceState"]], ["completed", "stopped"]);
    const read = await host.read(id, u, outs);
    assert.deepEqual({ id: read.id, props: read.props }, { id, props: outs });
    await host.delete(id, u, outs);
    const stats = ctx.emulator.stats().requests;
    assert.deepEqual([stats["ec2:ImportInstance"], stats["ec2:TerminateInstances"]], [1, 1]);
  });
});
