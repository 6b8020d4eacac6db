/**
 * Issue 11 against the emulator's accounts and STS: each resource's region and role (its inputs,
 * then stack config, then the environment), STS refusals in check() and create, credentials that
 * expire mid-wait, describe rounds per target, and no credential in outputs or logs.
 */
import { strict as assert } from "node:assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Emulator } from "../../emulator";
import { RoleSessions } from "../../provider/core/credentials";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import type { Logger } from "../../provider/core/log";
import { createProvider } from "../../provider/ec2/importImageTaskProvider";
import { useEmulator } from "../support/emulator";
import { rejection } from "../support/rejection";

const MANAGEMENT = "111111111111";
const ROLE_A = "arn:aws:iam::222222222222:role/migration";
const ROLE_B = "arn:aws:iam::333333333333:role/migration";
const UNTRUSTING = "arn:aws:iam::444444444444:role/migration";
const EXTERNAL_ID = "wave-2026";
const BUCKET = "vm-imports";
/** What the emulator issues (emulator/sts/models.ts): neither may reach outputs or logs. */
const ACCESS_KEY_RE = /ASIA[A-Z2-7]{16}/;
const TOKEN_PREFIX = "IQoJb3JpZ2luX2Vj";

interface Line {
  level: string;
  resource: string;
  message: string;
}

function raw(): Buffer {
  const b = Buffer.alloc(2048);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

async function providerFor(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const lines: Line[] = [];
  const push =
    (level: string) =>
    (resource: string, message: string): void =>
      void lines.push({ level, resource, message });
  const logger: Logger = { info: push("info"), warn: push("warn"), progress: push("progress") };
  // Sessions of its own: the emulator is reset between tests, forgetting what it issued.
  const provider = createProvider({ logger, roleSessions: new RoleSessions() });
  const values: Record<string, string> = {
    "aws:region": "us-west-2",
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "20",
    "awsMigration:pollMaxDelayMs": "80",
    ...extra,
  };
  await provider.configure({ config: { get: (k) => values[k] } });
  return { provider, lines };
}

function image(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: `import ${name}`,
    diskContainers: [{ format: "raw", userBucket: { s3Bucket: BUCKET, s3Key: "web.raw" } }],
    platform: "Linux",
    clientToken: `pam-multi-${name}`,
    __provider: "serialized-shim",
    ...extra,
  };
}

const roleA = { roleArn: ROLE_A, externalId: EXTERNAL_ID };

/** The management account's keys; roles in two target accounts, and one that trusts neither. */
const EMULATOR = {
  accountId: MANAGEMENT,
  credentials: [{ accessKeyId: "test", secretAccessKey: "test", accountId: MANAGEMENT }],
  roles: [
    { roleArn: ROLE_A, trustedAccounts: [MANAGEMENT], externalId: EXTERNAL_ID },
    { roleArn: ROLE_B, trustedAccounts: [MANAGEMENT] },
    { roleArn: UNTRUSTING, trustedAccounts: ["999999999999"] },
  ],
};

/** The disk image, in a bucket of the management account (EC2 reads any account's bucket here). */
async function upload(emulator: Emulator): Promise<void> {
  const s3 = new S3Client({
    endpoint: emulator.url,
    region: "us-west-2",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "web.raw", Body: raw() }));
  s3.destroy();
}

/** requestsByAccount[account][region][op], 0 when absent. */
function count(emulator: Emulator, account: string, region: string, op: string): number {
  return emulator.stats().requestsByAccount[account]?.[region]?.[op] ?? 0;
}

/** The last "(poll N, …)" of each resource's progress lines. */
function polls(lines: Line[], resource: string): number {
  let n = 0;
  for (const l of lines) {
    const m = / \(poll (\d+), /.exec(l.message);
    if (l.resource === resource && m !== null) n = Math.max(n, Number(m[1]));
  }
  return n;
}

describe("multi-account, multi-region resources (issue 11)", function () {
  this.timeout(60_000);
  const ctx = useEmulator(EMULATOR);
  beforeEach(() => upload(ctx.emulator));

  it("runs each resource in its target: its inputs, then stack config, then the environment", async () => {
    const emulator = ctx.emulator;
    const { provider } = await providerFor(emulator);
    const fromConfig = await providerFor(emulator, {
      "awsMigration:assumeRole": JSON.stringify({ roleArn: ROLE_B }),
    });

    const home = await provider.create(image("home"));
    const a = await provider.create(image("a", { region: "eu-west-1", assumeRole: roleA }));
    const b = await fromConfig.provider.create(image("b", { region: "us-east-1" }));

    for (const [account, region] of [
      [MANAGEMENT, "us-west-2"],
      ["222222222222", "eu-west-1"],
      ["333333333333", "us-east-1"],
    ] as const) {
      assert.equal(count(emulator, account, region, "ec2:ImportImage"), 1, `${account} ${region}`);
    }
    assert.deepEqual(Object.keys(emulator.stats().requestsByAccount).sort(), [
      MANAGEMENT,
      "222222222222",
      "333333333333",
    ]);
    // The STS calls are the management account's (its keys are the source).
    assert.equal(count(emulator, MANAGEMENT, "eu-west-1", "sts:AssumeRole"), 1);
    assert.equal(count(emulator, MANAGEMENT, "us-east-1", "sts:AssumeRole"), 1);
    // Recorded state carries each resource's own target inputs (read and delete use them).
    assert.equal(home.outs.region, undefined);
    assert.equal(home.outs.assumeRole, undefined);
    assert.equal(a.outs.region, "eu-west-1");
    assert.deepEqual(a.outs.assumeRole, roleA);
    assert.equal(b.outs.region, "us-east-1");
    assert.equal(b.outs.assumeRole, undefined);
    assert.equal(a.outs.status, "completed");

    const read = await provider.read(a.id, a.outs);
    assert.deepEqual(read, { id: a.id, props: a.outs });
    await provider.delete(a.id, a.outs);
    assert.equal(count(emulator, "222222222222", "eu-west-1", "ec2:DeregisterImage"), 1);
    await fromConfig.provider.delete(b.id, b.outs);
    assert.equal(count(emulator, "333333333333", "us-east-1", "ec2:DeregisterImage"), 1);

    // A change of either replaces the resource; an old state without them shows no change.
    const diff = (news: Record<string, unknown>) =>
      provider.diff(a.id, a.outs, { ...image("a"), ...news });
    assert.deepEqual((await diff({ region: "eu-west-2", assumeRole: roleA })).replaces, ["region"]);
    assert.deepEqual(
      (await diff({ region: "eu-west-1", assumeRole: { roleArn: ROLE_B } })).replaces,
      ["assumeRole"],
    );
    assert.equal((await provider.diff(home.id, home.outs, image("home"))).changes, false);
  });

  it("fails check() and create with STS's error and the fix for a wrong external ID and an untrusted account", async () => {
    const emulator = ctx.emulator;
    const { provider } = await providerFor(emulator);
    const denied = (role: string) =>
      new RegExp(
        `^sts AssumeRole failed: AccessDenied \\(HTTP 403, request [0-9a-f-]+\\): User: arn:aws:iam::${MANAGEMENT}:user/test is not authorized to perform: sts:AssumeRole on resource: ${role.replace(/[/]/g, "\\/")}\\. Fix: let this principal assume the role \\(the role's trust policy must name its account\\) and set assumeRole\\.externalId to the sts:ExternalId that policy requires\\.$`,
      );
    const wrongId = image("wrong", { assumeRole: { roleArn: ROLE_A, externalId: "not-it" } });
    const checked = await provider.check({}, wrongId);
    assert.equal(checked.failures.length, 1);
    assert.equal(checked.failures[0]?.property, "assumeRole");
    assert.match(checked.failures[0]?.reason ?? "", denied(ROLE_A));

    const untrusted = image("untrusted", { assumeRole: { roleArn: UNTRUSTING } });
    const { failures } = await provider.check({}, untrusted);
    assert.equal(failures.length, 1);
    assert.match(failures[0]?.reason ?? "", denied(UNTRUSTING));

    const err = await rejection(provider.create(untrusted));
    assert.equal((err as { name?: string }).name, "AwsApiError");
    assert.match((err as Error).message, denied(UNTRUSTING));
    assert.equal(count(emulator, "444444444444", "us-west-2", "ec2:ImportImage"), 0);

    // The fix: the external ID the trust policy names.
    const fixed = image("fixed", { assumeRole: roleA });
    assert.deepEqual(await provider.check({}, fixed), { inputs: fixed, failures: [] });
  });

  it("batches describes per target: one call per round per account and region", async () => {
    const emulator = ctx.emulator;
    const { provider, lines } = await providerFor(emulator);
    const targets = {
      a: { region: "eu-west-1", assumeRole: roleA, account: "222222222222" },
      b: { region: "us-east-1", assumeRole: { roleArn: ROLE_B }, account: "333333333333" },
    };
    const names = ["1", "2", "3"];
    await Promise.all(
      Object.entries(targets).flatMap(([t, { region, assumeRole }]) =>
        names.map((n) => provider.create(image(`${t}${n}`, { region, assumeRole }))),
      ),
    );
    for (const [t, { region, account }] of Object.entries(targets)) {
      const describes = count(emulator, account, region, "ec2:DescribeImportImageTasks");
      const perResource = names.map((n) => polls(lines, `ec2.ImportImageTask import ${t}${n}`));
      assert.ok(Math.min(...perResource) > 0, JSON.stringify(perResource));
      // Rounds are shared by the three waits of a target (about one describe per round, where
      // unshared polls would cost their sum), and each target's describes reach only its own
      // account and region. Not an exact count: on a loaded machine a round can fire between two
      // waits' polls.
      const sum = perResource.reduce((a, b) => a + b, 0);
      const detail = `${t}: ${describes} describes, polls ${perResource.join(", ")}`;
      assert.ok(describes >= Math.max(...perResource), detail);
      assert.ok(describes <= sum / 2, detail);
    }
  });
});

describe("multi-account resources whose sessions expire during a wait (issue 11)", function () {
  this.timeout(60_000);
  // Imports of one emulated hour at 4000x (0.9 s) outlive several 900-second sessions (0.225 s).
  const long = useEmulator({ ...EMULATOR, timeScale: 4000, taskDurationMs: () => 3_600_000 });

  it("refreshes credentials that expire mid-wait, with no failed poll", async () => {
    const emulator = long.emulator;
    await upload(emulator);
    const { provider, lines } = await providerFor(emulator);
    const role = { roleArn: ROLE_B, durationSeconds: 900 };
    const done = await provider.create(image("long", { region: "eu-central-1", assumeRole: role }));
    assert.equal(done.outs.status, "completed");
    const stats = emulator.stats();
    // Refused at the front door (emulator/core/sigv4.ts): EC2 answers RequestExpired.
    const expired = stats.authFailures["ec2:expiredToken"] ?? 0;
    assert.ok(
      expired >= 2,
      `no call met an expired session: ${JSON.stringify(stats.authFailures)}`,
    );
    assert.equal(count(emulator, MANAGEMENT, "eu-central-1", "sts:AssumeRole"), expired + 1);
    // Every refused poll was retried with fresh credentials: the wait saw only import statuses.
    const seen = lines
      .filter((l) => l.level === "progress")
      .map((l) => l.message.split(" (poll")[0]);
    assert.ok(seen.length > 0);
    for (const s of seen) assert.match(s ?? "", /^(active|completed)\b/);
    assert.equal(
      lines.some((l) => l.level === "warn"),
      false,
    );
    // No credential reaches the outputs or the log.
    const text = JSON.stringify(done.outs) + JSON.stringify(lines);
    assert.doesNotMatch(text, ACCESS_KEY_RE);
    assert.equal(text.includes(TOKEN_PREFIX), false);
  });
});
