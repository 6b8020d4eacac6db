import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImportImageTasksCommand, EC2Client } from "@aws-sdk/client-ec2";
import { ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  type AssumeRoleCommandInput,
  AssumeRoleCommand,
  type Credentials,
  GetCallerIdentityCommand,
  STSClient,
} from "@aws-sdk/client-sts";
import { Discovery } from "aws-sdk";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { errorOf, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";

const SOURCE = "111111111111";
const TARGET = "222222222222";
const OUTSIDER = "333333333333";
const MIGRATION = `arn:aws:iam::${TARGET}:role/migration`;
const WAVES = `arn:aws:iam::${TARGET}:role/ops/waves`;
const READONLY = `arn:aws:iam::${TARGET}:role/readonly`;
const EXTERNAL_ID = "acme-7f3c";
const HOME = "us-west-2";

const OPTIONS: EmulatorOptions = {
  // Real-time clock: a session of 900 emulated seconds must outlive a test's few calls.
  timeScale: 1,
  homeRegion: HOME,
  credentials: [
    { accessKeyId: "test", secretAccessKey: "test", accountId: SOURCE },
    { accessKeyId: "outsider", secretAccessKey: "outsider", accountId: OUTSIDER },
    {
      accessKeyId: "noassume",
      secretAccessKey: "noassume",
      accountId: SOURCE,
      allow: ["discovery:*"],
    },
  ],
  roles: [
    { roleArn: MIGRATION, trustedAccounts: [SOURCE], externalId: EXTERNAL_ID },
    { roleArn: WAVES, trustedAccounts: [TARGET, SOURCE], maxSessionDuration: 3600 },
    { roleArn: READONLY, trustedAccounts: [SOURCE], allow: ["discovery:Describe*"] },
  ],
};

type Keys = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const TEST_KEYS: Keys = { accessKeyId: "test", secretAccessKey: "test" };

const keysOf = (c: Credentials | undefined): Keys => ({
  accessKeyId: c!.AccessKeyId!,
  secretAccessKey: c!.SecretAccessKey!,
  sessionToken: c!.SessionToken!,
});

const v3 = (em: Emulator, keys: Keys, region: string) => ({
  endpoint: em.url,
  region,
  credentials: keys,
  maxAttempts: 1,
});

const sts = (em: Emulator, keys: Keys = TEST_KEYS, region = "us-east-1"): STSClient =>
  new STSClient(v3(em, keys, region));

const ads = (em: Emulator, keys: Keys, region = HOME): Discovery =>
  new Discovery({ endpoint: em.url, region, credentials: keys, maxRetries: 0 });

async function assume(
  em: Emulator,
  input: Partial<AssumeRoleCommandInput> = {},
  keys: Keys = TEST_KEYS,
): Promise<Keys> {
  const out = await sts(em, keys).send(
    new AssumeRoleCommand({
      RoleArn: MIGRATION,
      RoleSessionName: "wave-1",
      ExternalId: EXTERNAL_ID,
      ...input,
    }),
  );
  return keysOf(out.Credentials);
}

/** Code, message and status of a failed aws-sdk v2 call. */
async function v2Error(
  p: Promise<unknown>,
): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; message: string; statusCode?: number };
    return { name: e.code, message: e.message, status: e.statusCode };
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const denied = (principal: string, role: string) => ({
  name: "AccessDenied",
  message: `User: ${principal} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
  status: 403,
});

const EXPIRED = "The security token included in the request is expired";

describe("emulator STS: accounts, AssumeRole and temporary credentials", () => {
  const ctx = useEmulator(OPTIONS);

  describe("GetCallerIdentity", () => {
    it("names the IAM user and account a key pair belongs to", async () => {
      const out = await sts(ctx.emulator).send(new GetCallerIdentityCommand({}));
      assert.deepEqual(
        { UserId: out.UserId, Account: out.Account, Arn: out.Arn },
        {
          UserId: "AIDAIEEZ66DVFGE6CKYRD",
          Account: SOURCE,
          Arn: `arn:aws:iam::${SOURCE}:user/test`,
        },
      );
    });

    it("needs no permission: a key without sts:* is still answered", async () => {
      const keys = { accessKeyId: "noassume", secretAccessKey: "noassume" };
      const out = await sts(ctx.emulator, keys).send(new GetCallerIdentityCommand({}));
      assert.equal(out.Arn, `arn:aws:iam::${SOURCE}:user/noassume`);
    });
  });

  describe("AssumeRole", () => {
    it("gives a trusted caller ASIA credentials of the role's account, expiring in 3600 emulated seconds", async () => {
      const before = ctx.emulator.now();
      const out = await sts(ctx.emulator).send(
        new AssumeRoleCommand({
          RoleArn: MIGRATION,
          RoleSessionName: "wave-1",
          ExternalId: EXTERNAL_ID,
        }),
      );
      const after = ctx.emulator.now();
      const c = out.Credentials!;
      assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
      assert.match(c.SecretAccessKey!, /^[A-Za-z0-9+/]{40}$/);
      assert.match(c.SessionToken!, /^IQoJb3JpZ2luX2Vj[A-Za-z0-9+/]{300}$/);
      const expires = c.Expiration!.getTime();
      const whole = (ms: number): number => Math.floor(ms / 1000) * 1000;
      assert.ok(expires >= whole(before + 3_600_000) && expires <= whole(after + 3_600_000));
      assert.match(out.AssumedRoleUser!.AssumedRoleId!, /^AROA[A-Z2-7]{17}:wave-1$/);
      assert.equal(
        out.AssumedRoleUser!.Arn,
        `arn:aws:sts::${TARGET}:assumed-role/migration/wave-1`,
      );

      const who = await sts(ctx.emulator, keysOf(c)).send(new GetCallerIdentityCommand({}));
      assert.deepEqual(
        { UserId: who.UserId, Account: who.Account, Arn: who.Arn },
        {
          UserId: out.AssumedRoleUser!.AssumedRoleId,
          Account: TARGET,
          Arn: `arn:aws:sts::${TARGET}:assumed-role/migration/wave-1`,
        },
      );
    });

    it("honours DurationSeconds and the role's MaxSessionDuration", async () => {
      const before = ctx.emulator.now();
      const out = await sts(ctx.emulator).send(
        new AssumeRoleCommand({ RoleArn: WAVES, RoleSessionName: "s1", DurationSeconds: 900 }),
      );
      const after = ctx.emulator.now();
      // 900 s from the moment of the call, which lies between before and after; the wire time has
      // whole seconds.
      const expires = out.Credentials!.Expiration!.getTime();
      assert.ok(
        expires >= before + 899_000 && expires <= after + 900_000,
        `${expires - before} ms after the call began, ${after - before} ms call`,
      );
      assert.deepEqual(
        await errorOf(
          sts(ctx.emulator).send(
            new AssumeRoleCommand({ RoleArn: WAVES, RoleSessionName: "s1", DurationSeconds: 3601 }),
          ),
        ),
        {
          name: "ValidationError",
          message:
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
          status: 400,
        },
      );
    });

    it("limits a session that assumes another role (role chaining) to one hour", async () => {
      const session = await assume(ctx.emulator, { DurationSeconds: 43200 });
      const chained = { RoleArn: WAVES, RoleSessionName: "chained" };
      assert.deepEqual(
        await errorOf(
          sts(ctx.emulator, session).send(
            new AssumeRoleCommand({ ...chained, DurationSeconds: 3601 }),
          ),
        ),
        {
          name: "ValidationError",
          message:
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.",
          status: 400,
        },
      );
      const out = await sts(ctx.emulator, session).send(new AssumeRoleCommand(chained));
      assert.equal(out.AssumedRoleUser!.Arn, `arn:aws:sts::${TARGET}:assumed-role/waves/chained`);
    });

    it("refuses an untrusted caller, a missing or wrong external ID, an unknown role and a caller without sts:AssumeRole, all alike", async () => {
      const em = ctx.emulator;
      const outsider = { accessKeyId: "outsider", secretAccessKey: "outsider" };
      const cases: [Keys, Partial<AssumeRoleCommandInput>, string][] = [
        [outsider, {}, `arn:aws:iam::${OUTSIDER}:user/outsider`],
        [TEST_KEYS, { ExternalId: undefined }, `arn:aws:iam::${SOURCE}:user/test`],
        [TEST_KEYS, { ExternalId: "acme-0000" }, `arn:aws:iam::${SOURCE}:user/test`],
        [
          TEST_KEYS,
          { RoleArn: `arn:aws:iam::${TARGET}:role/nope` },
          `arn:aws:iam::${SOURCE}:user/test`,
        ],
        [
          { accessKeyId: "noassume", secretAccessKey: "noassume" },
          {},
          `arn:aws:iam::${SOURCE}:user/noassume`,
        ],
      ];
      for (const [keys, input, principal] of cases) {
        assert.deepEqual(
          await errorOf(assume(em, input, keys)),
          denied(principal, input.RoleArn ?? MIGRATION),
          JSON.stringify(input),
        );
      }
      assert.deepEqual(em.stats().errors, { "sts:AssumeRole:AccessDenied": 5 });
    });

    it("answers AccessDenied in STS's ErrorResponse XML", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "sts",
        region: "us-east-1",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: `Action=AssumeRole&Version=2011-06-15&RoleArn=${encodeURIComponent(MIGRATION)}&RoleSessionName=s1&ExternalId=wrong1`,
      });
      assert.equal(res.status, 403);
      assert.match(
        res.text,
        new RegExp(
          `^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::${SOURCE}:user/test is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${TARGET}:role/migration</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
        ),
      );
    });

    const invalid: [string, Record<string, string | number | undefined>, string][] = [
      [
        "a one-character session name",
        { RoleSessionName: "a" },
        "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        "a session name with a space",
        { RoleSessionName: "wave 1" },
        "Value 'wave 1' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
      ],
      [
        "a 65-character session name",
        { RoleSessionName: "s".repeat(65) },
        `Value '${"s".repeat(65)}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
      ],
      [
        "899 seconds",
        { DurationSeconds: 899 },
        "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
      ],
      [
        "43201 seconds",
        { DurationSeconds: 43201 },
        "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200",
      ],
      [
        "a one-character external ID",
        { ExternalId: "x" },
        "Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2",
      ],
      [
        "an external ID with a space",
        { ExternalId: "a b" },
        "Value 'a b' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      ],
      [
        "a short role ARN",
        { RoleArn: "arn:aws:iam::1:role" },
        "Value 'arn:aws:iam::1:role' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
      ],
    ];
    for (const [what, input, detail] of invalid) {
      it(`refuses ${what} with ValidationError`, async () => {
        assert.deepEqual(await errorOf(assume(ctx.emulator, input)), {
          name: "ValidationError",
          message: `1 validation error detected: ${detail}`,
          status: 400,
        });
      });
    }

    it("lists every broken constraint, and refuses a malformed ARN", async () => {
      assert.deepEqual(
        await errorOf(assume(ctx.emulator, { RoleSessionName: "a", DurationSeconds: 100 })),
        {
          name: "ValidationError",
          message:
            "2 validation errors detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2; Value '100' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
          status: 400,
        },
      );
      assert.deepEqual(
        await errorOf(assume(ctx.emulator, { RoleArn: `arn:aws:iam::${TARGET}:user/migration` })),
        { name: "ValidationError", message: "Request ARN is invalid", status: 400 },
      );
    });
  });

  describe("temporary credentials in other services", () => {
    it("act in the role's account: an ADS import lands there and the caller's own account does not see it", async () => {
      const session = await assume(ctx.emulator);
      const s3 = new S3Client({ ...v3(ctx.emulator, session, HOME), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "target-imports" }));
      await s3.send(
        new PutObjectCommand({
          Bucket: "target-imports",
          Key: "a.csv",
          Body: "HostName\r\nweb-1\r\n",
        }),
      );
      const started = await ads(ctx.emulator, session)
        .startImportTask({ name: "wave-1", importUrl: "s3://target-imports/a.csv" })
        .promise();
      const id = started.task!.importTaskId!;
      const inTarget = await ads(ctx.emulator, session).describeImportTasks({}).promise();
      assert.deepEqual(
        inTarget.tasks!.map((t) => t.importTaskId),
        [id],
      );
      const inSource = await ads(ctx.emulator, TEST_KEYS).describeImportTasks({}).promise();
      assert.deepEqual(inSource.tasks, []);
    });

    it("sign ADS's errors-zip URL with their token, which then stops working when they expire", async () => {
      const em = ctx.emulator;
      const session = await assume(em, { DurationSeconds: 7200 });
      const s3 = new S3Client({ ...v3(em, session, HOME), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "target-imports" }));
      const csv = "HostName,OS.Name\r\nweb-1,Linux\r\n,Linux\r\n";
      await s3.send(new PutObjectCommand({ Bucket: "target-imports", Key: "b.csv", Body: csv }));
      const client = ads(em, session);
      const { task } = await client
        .startImportTask({ name: "b", importUrl: "s3://target-imports/b.csv" })
        .promise();
      em.configure({ advanceSeconds: 130 });
      const [done] = (await client.describeImportTasks({}).promise()).tasks!;
      assert.equal(done!.status, "IMPORT_COMPLETE_WITH_ERRORS");
      const url = new URL(done!.errorsAndFailedEntriesZip!);
      assert.equal(
        url.pathname,
        `/_emulator/files/ads/${TARGET}/${HOME}/${task!.importTaskId}/errors-and-failed-entries.zip`,
      );
      assert.equal(url.searchParams.get("X-Amz-Security-Token"), session.sessionToken);
      assert.equal((await fetch(url)).status, 200);
      em.configure({ advanceSeconds: 7200 });
      const expired = await fetch(url);
      assert.equal(expired.status, 400);
      assert.match(
        await expired.text(),
        /<Code>ExpiredToken<\/Code><Message>The provided token has expired.<\/Message>/,
      );
    });

    it("are limited by the role's allow list, and IAM's message names the session", async () => {
      const session = await assume(ctx.emulator, {
        RoleArn: READONLY,
        ExternalId: undefined,
        RoleSessionName: "ro",
      });
      await ads(ctx.emulator, session).describeImportTasks({}).promise();
      assert.deepEqual(
        await v2Error(
          ads(ctx.emulator, session)
            .startImportTask({ name: "n", importUrl: "s3://b/k.csv" })
            .promise(),
        ),
        {
          name: "AuthorizationErrorException",
          message: `User: arn:aws:sts::${TARGET}:assumed-role/readonly/ro is not authorized to perform: discovery:StartImportTask`,
          status: 400,
        },
      );
    });

    it("need their own session token: a missing or wrong one is an invalid token", async () => {
      const { sessionToken: _, ...noToken } = await assume(ctx.emulator);
      assert.deepEqual(
        await errorOf(sts(ctx.emulator, noToken).send(new GetCallerIdentityCommand({}))),
        {
          name: "InvalidClientTokenId",
          message: "The security token included in the request is invalid.",
          status: 403,
        },
      );
      assert.deepEqual(
        await v2Error(
          ads(ctx.emulator, { ...noToken, sessionToken: "IQoJwrong" })
            .describeImportTasks({})
            .promise(),
        ),
        {
          name: "UnrecognizedClientException",
          message: "The security token included in the request is invalid.",
          status: 400,
        },
      );
    });

    it("work until Expiration on the emulated clock, then every protocol refuses them as expired", async () => {
      const em = ctx.emulator;
      const out = await sts(em).send(
        new AssumeRoleCommand({
          RoleArn: MIGRATION,
          RoleSessionName: "w1",
          ExternalId: EXTERNAL_ID,
          DurationSeconds: 900,
        }),
      );
      const session = keysOf(out.Credentials);
      const expiresMs = out.Credentials!.Expiration!.getTime();
      // A second before Expiration the key still works; at Expiration it does not.
      em.configure({ advanceSeconds: (expiresMs - em.now()) / 1000 - 1 });
      await sts(em, session).send(new GetCallerIdentityCommand({}));
      em.configure({ advanceSeconds: Math.max(0, expiresMs - em.now()) / 1000 });

      assert.deepEqual(await errorOf(sts(em, session).send(new GetCallerIdentityCommand({}))), {
        name: "ExpiredToken",
        message: EXPIRED,
        status: 400,
      });
      assert.deepEqual(await v2Error(ads(em, session).describeImportTasks({}).promise()), {
        name: "ExpiredTokenException",
        message: EXPIRED,
        status: 400,
      });
      assert.deepEqual(
        await errorOf(new MgnClient(v3(em, session, HOME)).send(new ListImportsCommand({}))),
        {
          name: "ExpiredTokenException",
          message: EXPIRED,
          status: 403,
        },
      );
      assert.deepEqual(
        await errorOf(
          new EC2Client(v3(em, session, HOME)).send(new DescribeImportImageTasksCommand({})),
        ),
        { name: "RequestExpired", message: "Request has expired.", status: 400 },
      );
      const s3 = new S3Client({ ...v3(em, session, HOME), forcePathStyle: true });
      assert.deepEqual(await errorOf(s3.send(new ListObjectsV2Command({ Bucket: "b" }))), {
        name: "ExpiredToken",
        message: "The provided token has expired.",
        status: 400,
      });
      assert.deepEqual(em.stats().authFailures, {
        "sts:expiredToken": 1,
        "ads:expiredToken": 1,
        "mgn:expiredToken": 1,
        "ec2:expiredToken": 1,
        "s3:expiredToken": 1,
      });
      // A fresh AssumeRole with the long-term key works again.
      await sts(em, await assume(em)).send(new GetCallerIdentityCommand({}));
    });

    it("answers ExpiredToken in STS's ErrorResponse XML", async () => {
      const session = await assume(ctx.emulator, { DurationSeconds: 900 });
      ctx.emulator.configure({ advanceSeconds: 901 });
      const res = await sendRaw(ctx.emulator.url, {
        service: "sts",
        region: "us-east-1",
        ...session,
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      assert.equal(res.status, 400);
      assert.match(
        res.text,
        /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>ExpiredToken<\/Code><Message>The security token included in the request is expired<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/,
      );
    });
  });

  describe("per-account, per-region counters and rate limits", () => {
    it("counts each request under its account, signing region and operation, in stats() and the control API", async () => {
      const em = ctx.emulator;
      await sts(em).send(new GetCallerIdentityCommand({}));
      const session = await assume(em);
      await ads(em, session).describeImportTasks({}).promise();
      await ads(em, session).describeImportTasks({}).promise();
      await ads(em, TEST_KEYS).describeImportTasks({}).promise();
      await new EC2Client(v3(em, session, "eu-west-1")).send(
        new DescribeImportImageTasksCommand({}),
      );
      const expected = {
        [SOURCE]: {
          "us-east-1": { "sts:GetCallerIdentity": 1, "sts:AssumeRole": 1 },
          [HOME]: { "ads:DescribeImportTasks": 1 },
        },
        [TARGET]: {
          [HOME]: { "ads:DescribeImportTasks": 2 },
          "eu-west-1": { "ec2:DescribeImportImageTasks": 1 },
        },
      };
      assert.deepEqual(em.stats().requestsByAccount, expected);
      const viaControl = (await (await fetch(`${em.url}/_emulator/stats`)).json()) as {
        requestsByAccount: unknown;
      };
      assert.deepEqual(viaControl.requestsByAccount, expected);
      em.reset();
      assert.deepEqual(em.stats().requestsByAccount, {});
    });

    it("keeps a rate-limit bucket per account and region", async () => {
      const em = ctx.emulator;
      const session = await assume(em);
      em.configure({
        rateLimits: { "ads:DescribeImportTasks": { ratePerSecond: 0.001, burst: 1 } },
      });
      try {
        await ads(em, TEST_KEYS).describeImportTasks({}).promise();
        assert.equal(
          (await v2Error(ads(em, TEST_KEYS).describeImportTasks({}).promise())).name,
          "ThrottlingException",
        );
        await ads(em, session).describeImportTasks({}).promise();
        await ads(em, TEST_KEYS, "us-east-1").describeImportTasks({}).promise();
      } finally {
        em.configure({ rateLimits: false });
      }
      assert.deepEqual(em.stats().throttled, { "ads:DescribeImportTasks": 1 });
    });
  });

  describe("the awsQuery front door", () => {
    it("refuses an unsigned request and an unknown action in STS's shapes", async () => {
      const form = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
      const unsigned = await sendRaw(ctx.emulator.url, {
        service: "sts",
        sign: false,
        headers: form,
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      assert.equal(unsigned.status, 403);
      assert.match(
        unsigned.text,
        /<Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message>/,
      );
      const unknown = await sendRaw(ctx.emulator.url, {
        service: "sts",
        headers: form,
        body: "Action=GetSessionToken&Version=2011-06-15",
      });
      assert.equal(unknown.status, 400);
      assert.match(
        unknown.text,
        /<Code>InvalidAction<\/Code><Message>Could not find operation GetSessionToken for version 2011-06-15<\/Message>/,
      );
    });
  });
});

describe("emulator STS options and persistence", () => {
  const role = (over: Record<string, unknown>) => ({
    roleArn: MIGRATION,
    trustedAccounts: [SOURCE],
    ...over,
  });
  const bad: [string, Record<string, unknown>[], string][] = [
    [
      "a role ARN that is not one",
      [role({ roleArn: "arn:aws:iam::222222222222:user/x" })],
      'roles[0].roleArn must be an IAM role ARN like "arn:aws:iam::123456789012:role/migration" (role names are 1-64 of [\\w+=,.@-])',
    ],
    [
      "an account that is not 12 digits",
      [role({ trustedAccounts: ["1234"] })],
      'roles[0].trustedAccounts[0] must be a 12-digit account ID like "123456789012", got "1234"',
    ],
    [
      "no trusted account",
      [role({ trustedAccounts: [] })],
      "roles[0].trustedAccounts must be a non-empty list of 12-digit account IDs",
    ],
    [
      "a one-character external ID",
      [role({ externalId: "x" })],
      "roles[0].externalId must be 2-1224 characters of [\\w+=,.@:/-]",
    ],
    [
      "a MaxSessionDuration under an hour",
      [role({ maxSessionDuration: 900 })],
      "roles[0].maxSessionDuration must be a whole number of seconds from 3600 to 43200",
    ],
    ["a repeated role", [role({}), role({})], `roles[1].roleArn ${MIGRATION} is repeated`],
  ];
  for (const [what, roles, message] of bad) {
    it(`refuses ${what} when the emulator starts`, async () => {
      await assert.rejects(startEmulator({ roles: roles as unknown as EmulatorOptions["roles"] }), {
        name: "TypeError",
        message,
      });
    });
  }

  it("refuses a key pair whose account is not 12 digits", async () => {
    await assert.rejects(
      startEmulator({ credentials: [{ accessKeyId: "k", secretAccessKey: "s", accountId: "42" }] }),
      {
        name: "TypeError",
        message:
          'credentials[0].accountId must be a 12-digit account ID like "123456789012", got "42"',
      },
    );
  });

  it("keeps issued sessions across a restart on the same data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "emu-sts-"));
    try {
      const first = await startEmulator({ ...OPTIONS, dataDir });
      const session = await assume(first);
      await first.stop();
      const second = await startEmulator({ ...OPTIONS, dataDir });
      try {
        const who = await sts(second, session).send(new GetCallerIdentityCommand({}));
        assert.equal(who.Arn, `arn:aws:sts::${TARGET}:assumed-role/migration/wave-1`);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
