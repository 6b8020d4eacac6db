/**
 * examples/multi-account-wave through the real Pulumi CLI against the emulator's accounts (issue
 * 11): discovery and tracking in the management account's home region, MGN and image imports in
 * two target accounts and regions through assumed roles, in one stack. Asserts the outputs, the
 * emulator's per-account counters, that no credential reaches the state or the CLI's output, and
 * that destroy removes what each account got.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { type Emulator, startEmulator } from "../../emulator";
import { requirePulumi } from "../support/pulumiCli";
import { assertOk, ProgramStack, REPO_ROOT } from "../support/pulumiStack";

const HOME = "us-west-2";
const MANAGEMENT = "111111111111";
const KEY = { accessKeyId: "test", secretAccessKey: "test" };
const TARGETS = [
  {
    name: "prod",
    account: "222222222222",
    region: "eu-west-1",
    roleArn: "arn:aws:iam::222222222222:role/migration",
    externalId: "wave-2026",
    bucket: "wave-data-222222222222",
  },
  {
    name: "dr",
    account: "333333333333",
    region: "us-east-1",
    roleArn: "arn:aws:iam::333333333333:role/migration",
    bucket: "wave-data-333333333333",
  },
];
/** What the emulator's STS issues (emulator/sts/models.ts): neither may reach state or output. */
const ACCESS_KEY_RE = /ASIA[A-Z2-7]{16}/;
const TOKEN_PREFIX = "IQoJb3JpZ2luX2Vj";

const data = (file: string): Buffer => readFileSync(join(REPO_ROOT, "examples", "data", file));

/** requestsByAccount[account][region] filtered to the operations that start or end something. */
function taskCounts(emulator: Emulator): Record<string, Record<string, Record<string, number>>> {
  const starts =
    /^(ads:StartImportTask|ads:BatchDeleteImportData|mgn:StartImport|ec2:ImportImage|ec2:DeregisterImage|ec2:DeleteSnapshot|migrationhub:CreateProgressUpdateStream|migrationhub:ImportMigrationTask|migrationhub:DeleteProgressUpdateStream|sts:AssumeRole)$/;
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const [account, regions] of Object.entries(emulator.stats().requestsByAccount)) {
    for (const [region, ops] of Object.entries(regions)) {
      for (const [op, n] of Object.entries(ops)) {
        if (!starts.test(op)) continue;
        ((out[account] ??= {})[region] ??= {})[op] = n;
      }
    }
  }
  return out;
}

describe("e2e: examples/multi-account-wave through the Pulumi CLI against the emulator's accounts", function () {
  this.timeout(300_000);

  let binDir = "";
  let emulator: Emulator | undefined;
  let stack: ProgramStack | undefined;

  before(async function () {
    binDir = requirePulumi.call(this).binDir;
    emulator = await startEmulator({
      timeScale: 1000,
      homeRegion: HOME,
      accountId: MANAGEMENT,
      credentials: [{ ...KEY, accountId: MANAGEMENT }],
      roles: TARGETS.map((t) => ({
        roleArn: t.roleArn,
        trustedAccounts: [MANAGEMENT],
        ...(t.externalId === undefined ? {} : { externalId: t.externalId }),
      })),
    });
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.stop();
  });

  /** What the example's README says to do first: data in each account, MGN initialized. */
  async function prepare(emu: Emulator): Promise<void> {
    const base = { endpoint: emu.url, maxAttempts: 1 };
    const s3 = new S3Client({ ...base, region: HOME, credentials: KEY, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "migration-demo" }));
    await s3.send(
      new PutObjectCommand({
        Bucket: "migration-demo",
        Key: "discovery.csv",
        Body: data("discovery.csv"),
      }),
    );
    s3.destroy();
    const sts = new STSClient({ ...base, region: HOME, credentials: KEY });
    for (const t of TARGETS) {
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: t.roleArn,
          RoleSessionName: "setup",
          ExternalId: t.externalId,
        }),
      );
      const c = out.Credentials!;
      const credentials = {
        accessKeyId: c.AccessKeyId!,
        secretAccessKey: c.SecretAccessKey!,
        sessionToken: c.SessionToken!,
      };
      const mgn = new MgnClient({ ...base, region: t.region, credentials });
      await mgn.send(new InitializeServiceCommand({}));
      mgn.destroy();
      const own = new S3Client({ ...base, region: t.region, credentials, forcePathStyle: true });
      await own.send(new CreateBucketCommand({ Bucket: t.bucket }));
      for (const file of ["wave-1-inventory.csv", "web-01.raw"]) {
        await own.send(new PutObjectCommand({ Bucket: t.bucket, Key: file, Body: data(file) }));
      }
      own.destroy();
    }
    sts.destroy();
  }

  it("up imports into each account and region through its role; destroy cleans each up", async () => {
    const emu = emulator!;
    const program = join(REPO_ROOT, "dist", "examples", "multi-account-wave", "index.js");
    assert.ok(existsSync(program), `${program} is missing: run 'npm run build' first`);
    await prepare(emu);
    const before = taskCounts(emu);
    stack = await ProgramStack.create({
      binDir,
      project: "multi-account-wave",
      program,
      stack: "dev",
      config: {
        "aws:region": HOME,
        "awsMigration:endpoint": emu.url,
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "250",
        "multi-account-wave:targets": JSON.stringify(
          TARGETS.map(({ name, region, roleArn, externalId, bucket }) => ({
            name,
            region,
            roleArn,
            ...(externalId === undefined ? {} : { externalId }),
            bucket,
          })),
        ),
      },
      env: { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
    const up = await stack.up();
    assertOk("up", up);
    if (process.env.SHOW_E2E_OUTPUT === "1") console.log(up.stdout);

    const o = await stack.outputs();
    const accounts = o.accounts as Record<string, unknown>[];
    assert.equal(o.discoveryStatus, "IMPORT_COMPLETE_WITH_ERRORS");
    assert.equal(o.serversImported, 4);
    assert.deepEqual(
      accounts.map((a) => ({ ...a, imageId: undefined })),
      TARGETS.map((t) => ({
        name: t.name,
        region: t.region,
        importStatus: "SUCCEEDED",
        servers: 3,
        imageStatus: "completed",
        imageId: undefined,
        tracking: "IN_PROGRESS",
      })),
    );
    for (const a of accounts) assert.match(String(a.imageId), /^ami-[0-9a-f]{17}$/);

    const counts = taskCounts(emu);
    const added = (account: string, region: string, op: string): number =>
      (counts[account]?.[region]?.[op] ?? 0) - (before[account]?.[region]?.[op] ?? 0);
    if (process.env.SHOW_E2E_OUTPUT === "1") console.log(JSON.stringify(counts, null, 2));
    // Discovery and tracking: the management account, in its home region.
    assert.equal(added(MANAGEMENT, HOME, "ads:StartImportTask"), 1);
    assert.equal(added(MANAGEMENT, HOME, "migrationhub:CreateProgressUpdateStream"), 1);
    assert.equal(added(MANAGEMENT, HOME, "migrationhub:ImportMigrationTask"), 2);
    for (const t of TARGETS) {
      // Each target account got its own imports in its own region, and nothing elsewhere.
      assert.equal(added(t.account, t.region, "mgn:StartImport"), 1, t.name);
      assert.equal(added(t.account, t.region, "ec2:ImportImage"), 1, t.name);
      assert.deepEqual(Object.keys(counts[t.account] ?? {}), [t.region], t.name);
      // Its role was assumed by the management account's keys (the provider's calls and setup's).
      assert.ok(added(MANAGEMENT, t.region, "sts:AssumeRole") >= 1, t.name);
    }
    for (const op of ["mgn:StartImport", "ec2:ImportImage"]) {
      assert.equal(counts[MANAGEMENT]?.[HOME]?.[op], undefined, op);
    }

    // No credential in the state (plain or encrypted) or in what the CLI printed.
    const state = await stack.exportText();
    for (const text of [state, up.stdout, up.stderr]) {
      assert.doesNotMatch(text, ACCESS_KEY_RE);
      assert.equal(text.includes(TOKEN_PREFIX), false);
    }
    // The recorded target inputs: read and delete run in the same account and region.
    const resources = await stack.resources();
    const prod = resources.get("prod-inventory");
    assert.equal(prod?.outputs?.region, "eu-west-1");
    assert.deepEqual(prod?.outputs?.assumeRole, {
      roleArn: TARGETS[0]!.roleArn,
      externalId: "wave-2026",
      sessionName: "wave-1",
    });

    // A second up changes nothing.
    const again = await stack.preview();
    assert.deepEqual(again.steps, []);

    assertOk("destroy", await stack.pulumi("destroy", "--yes"));
    const after = taskCounts(emu);
    for (const t of TARGETS) {
      assert.equal(after[t.account]?.[t.region]?.["ec2:DeregisterImage"], 1, t.name);
    }
    assert.equal(after[MANAGEMENT]?.[HOME]?.["migrationhub:DeleteProgressUpdateStream"], 1);
    assert.deepEqual(await stack.outputs(), {});
  });
});
