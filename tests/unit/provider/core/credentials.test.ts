import { strict as assert } from "node:assert";
import type { CheckFailure } from "../../../../provider/core/check";
import { ManualClock } from "../../../support/manualClock";
import { readProviderSettings } from "../../../../provider/core/config";
import {
  type AssumeRole,
  type AssumeRoleCall,
  checkAssumeRole,
  isExpiredCredentials,
  RoleSessions,
  targetKey,
  type TemporaryCredentials,
} from "../../../../provider/core/credentials";
import { AwsApiError } from "../../../../provider/core/errors";
import type { Logger } from "../../../../provider/core/log";
import { diffProperties, type PropertyTable } from "../../../../provider/core/task/properties";
import { TaskServices } from "../../../../provider/core/task/service";
import type { ServiceSpec } from "../../../../provider/core/task/spec";
import { resolveTarget } from "../../../../provider/core/task/target";

const ROLE_A = "arn:aws:iam::222222222222:role/migration";
const ROLE_B = "arn:aws:iam::333333333333:role/ops/migration";

/** A fake STS: credentials numbered by call, each expiring `lifetimeS` after the call. */
function fakeSts(clock: ManualClock, lifetimeS = 3600) {
  const calls: { role: AssumeRole; where: { region?: string; endpoint?: string } }[] = [];
  const call: AssumeRoleCall = (role, where) => {
    calls.push({ role, where });
    const n = calls.length;
    const credentials: TemporaryCredentials = {
      accessKeyId: `ASIA${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(clock.now() + lifetimeS * 1000),
    };
    return Promise.resolve(credentials);
  };
  return { calls, call };
}

const silent: Logger = { info: () => {}, warn: () => {}, progress: () => {} };

describe("core credentials", () => {
  describe("assumeRole rules", () => {
    const cases: [string, unknown, CheckFailure[]][] = [
      ["a role ARN alone", { roleArn: ROLE_A }, []],
      [
        "every member",
        { roleArn: ROLE_B, externalId: "wave-2026", sessionName: "ci@x", durationSeconds: 900 },
        [],
      ],
      ["a GovCloud role", { roleArn: "arn:aws-us-gov:iam::222222222222:role/m" }, []],
      [
        "no roleArn",
        { externalId: "wave-2026" },
        [
          {
            property: "assumeRole.roleArn",
            reason:
              "is required. Fix: use the ARN of the role to assume, e.g. arn:aws:iam::222222222222:role/migration",
          },
        ],
      ],
      [
        "a user ARN",
        { roleArn: "arn:aws:iam::222222222222:user/bob" },
        [
          {
            property: "assumeRole.roleArn",
            reason:
              'must match arn:aws:iam::<12-digit account>:role/<name> (got "arn:aws:iam::222222222222:user/bob"). Fix: use the ARN of the role to assume, e.g. arn:aws:iam::222222222222:role/migration',
          },
        ],
      ],
      [
        "a one-character external ID",
        { roleArn: ROLE_A, externalId: "x" },
        [
          {
            property: "assumeRole.externalId",
            reason:
              "must be 2–1224 characters (got 1). Fix: use the sts:ExternalId the role's trust policy requires",
          },
        ],
      ],
      [
        "a session name with a space",
        { roleArn: ROLE_A, sessionName: "my session" },
        [
          {
            property: "assumeRole.sessionName",
            reason:
              'must match [\\w+=,.@-]+ (got "my session"). Fix: use 2 to 64 letters, digits or +=,.@_- (it names the session in CloudTrail)',
          },
        ],
      ],
      [
        "a duration under 15 minutes",
        { roleArn: ROLE_A, durationSeconds: 60 },
        [
          {
            property: "assumeRole.durationSeconds",
            reason:
              "must be between 900 and 43200 (got 60). Fix: use 900 to 43200 seconds, at most the role's MaxSessionDuration (credentials are refreshed anyway)",
          },
        ],
      ],
      [
        "an unknown member",
        { roleArn: ROLE_A, duration: "1h" },
        [
          {
            property: "assumeRole.duration",
            reason:
              "is not a member of assumeRole. Fix: use only roleArn, externalId, sessionName, durationSeconds",
          },
        ],
      ],
      [
        "a string",
        ROLE_A,
        [
          {
            property: "assumeRole",
            reason:
              "must be an object (got string). Fix: set assumeRole to { roleArn, externalId? }",
          },
        ],
      ],
    ];
    for (const [what, value, expected] of cases) {
      it(`${expected.length === 0 ? "accepts" : "refuses"} ${what}`, () => {
        assert.deepEqual(checkAssumeRole({ assumeRole: value }, "assumeRole"), expected);
      });
    }

    it("reads awsMigration:assumeRole from stack config with the same rules, naming the config key", () => {
      const config = (v: string) => ({
        get: (k: string) => (k === "awsMigration:assumeRole" ? v : undefined),
      });
      assert.deepEqual(readProviderSettings(config(JSON.stringify({ roleArn: ROLE_A })), {}), {
        endpoints: {},
        assumeRole: { roleArn: ROLE_A },
      });
      assert.throws(
        () =>
          readProviderSettings(config(JSON.stringify({ roleArn: ROLE_A, durationSeconds: 5 })), {}),
        {
          name: "InputValidationError",
          message:
            "awsMigration:assumeRole.durationSeconds must be between 900 and 43200 (got 5). Fix: use 900 to 43200 seconds, at most the role's MaxSessionDuration (credentials are refreshed anyway)",
        },
      );
    });
  });

  describe("targets", () => {
    it("resolve each input, then stack config, then the environment's region", () => {
      const settings = { endpoints: {}, region: "us-west-2", assumeRole: { roleArn: ROLE_B } };
      assert.deepEqual(resolveTarget({}, settings), {
        region: "us-west-2",
        assumeRole: { roleArn: ROLE_B },
      });
      assert.deepEqual(
        resolveTarget({ region: "eu-west-1", assumeRole: { roleArn: ROLE_A } }, settings),
        { region: "eu-west-1", assumeRole: { roleArn: ROLE_A } },
      );
      assert.deepEqual(resolveTarget({ region: "eu-west-1" }, { endpoints: {} }), {
        region: "eu-west-1",
      });
      // The environment's region reaches the settings (config.ts); none at all stays unset.
      const env = readProviderSettings({ get: () => undefined }, { AWS_REGION: "ap-south-1" });
      assert.deepEqual(resolveTarget({}, env), { region: "ap-south-1" });
      assert.deepEqual(resolveTarget({}, { endpoints: {} }), {});
    });

    it("key services by account and region, and the role ('default' without one)", () => {
      assert.match(targetKey({ assumeRole: { roleArn: ROLE_B } }), /^333333333333\/default \[/);
      assert.equal(targetKey({ region: "us-east-1" }), "default/us-east-1");
      assert.equal(targetKey({}), "default/default");
      assert.equal(
        targetKey({ region: "eu-west-1", assumeRole: { roleArn: ROLE_A, externalId: "x1" } }),
        '222222222222/eu-west-1 ["arn:aws:iam::222222222222:role/migration","x1",null,null]',
      );
    });

    it("are replace-on-change inputs of every table; unset and absent are no change", () => {
      const table: PropertyTable<{ name?: string }> = {
        name: { rule: { kind: "string" }, change: "update" },
      };
      assert.deepEqual(diffProperties(table, { name: "a" }, { name: "a" }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      });
      assert.deepEqual(diffProperties(table, { name: "a" }, { name: "a", region: "eu-west-1" }), {
        changes: true,
        replaces: ["region"],
        deleteBeforeReplace: false,
      });
      const olds = { assumeRole: { roleArn: ROLE_A, externalId: "x1" } };
      const news = { assumeRole: { roleArn: ROLE_A, externalId: "x2" } };
      assert.deepEqual(diffProperties(table, olds, news).replaces, ["assumeRole"]);
    });

    it("classify ExpiredToken, ExpiredTokenException and RequestExpired as expired credentials", () => {
      for (const code of ["ExpiredToken", "ExpiredTokenException", "RequestExpired"]) {
        assert.equal(
          isExpiredCredentials({ name: code, $metadata: { httpStatusCode: 400 } }),
          true,
        );
      }
      assert.equal(isExpiredCredentials({ name: "AccessDenied" }), false);
    });
  });

  describe("RoleSession", () => {
    it("caches a role's credentials and refreshes them 5 minutes before they expire", async () => {
      const clock = new ManualClock({ start: 1_000_000 });
      const sts = fakeSts(clock);
      const sessions = new RoleSessions({ clock, assumeRole: sts.call });
      const session = sessions.session({ roleArn: ROLE_A }, { region: "eu-west-1" });
      assert.equal((await session.credentials()).accessKeyId, "ASIA1");
      await clock.advance(3_295_000);
      assert.equal((await session.credentials()).accessKeyId, "ASIA1");
      await clock.advance(5_000);
      assert.equal((await session.credentials()).accessKeyId, "ASIA2");
      assert.deepEqual(
        sts.calls.map((c) => c.role),
        [
          { roleArn: ROLE_A, sessionName: "pulumi-aws-migration" },
          { roleArn: ROLE_A, sessionName: "pulumi-aws-migration" },
        ],
      );
    });

    it("counts a short session's lifetime on its own clock when STS's Expiration runs ahead", async () => {
      const clock = new ManualClock({ start: 0 });
      // An emulated clock 1000x faster: the Expiration is far in our future.
      const sts = fakeSts(clock, 900_000);
      const session = new RoleSessions({ clock, assumeRole: sts.call }).session(
        { roleArn: ROLE_A, durationSeconds: 900 },
        {},
      );
      await session.credentials();
      await clock.advance(674_000);
      await session.credentials();
      assert.equal(sts.calls.length, 1);
      await clock.advance(1_000); // 900 s − a quarter of the lifetime
      await session.credentials();
      assert.equal(sts.calls.length, 2);
    });

    it("is shared by every target naming the same role, and one AssumeRole serves concurrent callers", async () => {
      const clock = new ManualClock();
      const sts = fakeSts(clock);
      const sessions = new RoleSessions({ clock, assumeRole: sts.call });
      const a = sessions.session({ roleArn: ROLE_A }, { region: "eu-west-1" });
      const b = sessions.session({ roleArn: ROLE_A }, { region: "us-east-1" });
      assert.equal(a, b);
      assert.notEqual(sessions.session({ roleArn: ROLE_A, externalId: "x1" }, {}), a);
      const got = await Promise.all([a.credentials(), b.credentials(), a.credentials()]);
      assert.deepEqual(
        got.map((c) => c.accessKeyId),
        ["ASIA1", "ASIA1", "ASIA1"],
      );
      assert.equal(sts.calls.length, 1);
    });

    it("replaces expired credentials once however many calls were refused with them", async () => {
      const clock = new ManualClock();
      const sts = fakeSts(clock);
      const session = new RoleSessions({ clock, assumeRole: sts.call }).session(
        { roleArn: ROLE_A },
        {},
      );
      await session.credentials();
      const generation = session.generation;
      session.expire(generation);
      assert.equal((await session.credentials()).accessKeyId, "ASIA2");
      session.expire(generation); // a late refusal of the first credentials
      assert.equal((await session.credentials()).accessKeyId, "ASIA2");
      assert.equal(sts.calls.length, 2);
    });

    it("hands the SDK a provider it asks before every request (the session is the cache)", async () => {
      const clock = new ManualClock();
      const sts = fakeSts(clock);
      const session = new RoleSessions({ clock, assumeRole: sts.call }).session(
        { roleArn: ROLE_A },
        {},
      );
      const provider = session.provider();
      assert.equal((provider as { memoized?: boolean }).memoized, true);
      const first = await provider();
      assert.deepEqual(
        { ...first, expiration: undefined },
        {
          accessKeyId: "ASIA1",
          secretAccessKey: "secret-1",
          sessionToken: "token-1",
          expiration: undefined,
        },
      );
      assert.ok((first.expiration?.getTime() ?? Infinity) <= Date.now());
      session.expire(session.generation);
      assert.equal((await provider()).accessKeyId, "ASIA2");
    });

    it("does not cache a refusal: the next call asks STS again", async () => {
      const clock = new ManualClock();
      let refuse = true;
      const sts = fakeSts(clock);
      const call: AssumeRoleCall = (role, where) =>
        refuse
          ? Promise.reject(
              new AwsApiError({
                service: "sts",
                operation: "AssumeRole",
                code: "AccessDenied",
                message: "not authorized",
                retryable: false,
                throttling: false,
              }),
            )
          : sts.call(role, where);
      const session = new RoleSessions({ clock, assumeRole: call }).session(
        { roleArn: ROLE_A },
        {},
      );
      await assert.rejects(session.credentials(), { code: "AccessDenied" });
      refuse = false;
      assert.equal((await session.credentials()).accessKeyId, "ASIA1");
    });
  });

  describe("TaskServices", () => {
    interface Api {
      describe(ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
    }
    const spec = (
      api: (settings: unknown) => Api,
    ): ServiceSpec<{ name?: string }, string, Api> => ({
      service: "ads",
      className: "ImportTask",
      properties: { name: { rule: { kind: "string" }, change: "replace" } },
      createApi: (settings) => api(settings),
      describe: {
        operation: "DescribeImportTasks",
        batchSize: 100,
        call: (a, ids) => a.describe(ids),
      },
      poll: { minDelayMs: 1000, maxDelayMs: 1000, gridMs: 1000 },
      statusOf: (t) => t ?? "GONE",
      acceptors: () => [],
      name: (i, id) => i.name ?? id ?? "?",
    });

    it("builds one service per target, each with its own region and the role's credentials", () => {
      const clock = new ManualClock();
      const sts = fakeSts(clock);
      const seen: { region?: string; hasCredentials: boolean }[] = [];
      const services = new TaskServices(
        spec((settings) => {
          const s = settings as { region?: string; credentials?: unknown };
          seen.push({
            ...(s.region === undefined ? {} : { region: s.region }),
            hasCredentials: s.credentials !== undefined,
          });
          return { describe: () => Promise.resolve(new Map()) };
        }),
        { endpoints: {}, region: "us-west-2" },
        { clock, logger: silent, roleSessions: new RoleSessions({ clock, assumeRole: sts.call }) },
      );
      const home = services.for({});
      const a = services.for({ region: "eu-west-1", assumeRole: { roleArn: ROLE_A } });
      assert.equal(services.for({ name: "x" }), home);
      assert.equal(services.for({ region: "eu-west-1", assumeRole: { roleArn: ROLE_A } }), a);
      assert.notEqual(services.for({ region: "us-east-1", assumeRole: { roleArn: ROLE_A } }), a);
      assert.deepEqual(seen, [
        { region: "us-west-2", hasCredentials: false },
        { region: "eu-west-1", hasCredentials: true },
        { region: "us-east-1", hasCredentials: true },
      ]);
      assert.deepEqual([home.session, a.session?.role.roleArn], [undefined, ROLE_A]);
      assert.notEqual(home.ctx.runtime.throttle, a.ctx.runtime.throttle);
      assert.notEqual(home.ctx.runtime.startLimiter, a.ctx.runtime.startLimiter);
      assert.equal(sts.calls.length, 0, "credentials are fetched when a call needs them");
    });

    it("retries a call refused for expired credentials once, with fresh ones", async () => {
      const clock = new ManualClock({ autoAdvance: true });
      const sts = fakeSts(clock);
      const sessions = new RoleSessions({ clock, assumeRole: sts.call });
      let refusals = 1;
      const calls: string[] = [];
      const services = new TaskServices(
        spec(() => ({
          async describe(ids) {
            const { accessKeyId } = await sessions.session({ roleArn: ROLE_A }, {}).credentials();
            calls.push(accessKeyId);
            if (refusals-- > 0) {
              throw Object.assign(
                new Error("The security token included in the request is expired"),
                {
                  name: "ExpiredTokenException",
                  $metadata: { httpStatusCode: 403 },
                },
              );
            }
            return new Map(ids.map((id) => [id, "IMPORT_COMPLETE"]));
          },
        })),
        { endpoints: {} },
        { clock, logger: silent, roleSessions: sessions },
      );
      const service = services.for({ assumeRole: { roleArn: ROLE_A } });
      assert.equal(await service.ctx.describe("import-task-1"), "IMPORT_COMPLETE");
      assert.deepEqual(calls, ["ASIA1", "ASIA2"]);
      // A second expiry is retried once too; one that persists fails with AWS's error.
      refusals = 2;
      await assert.rejects(
        service.ctx.aws("DescribeImportTasks", () => service.ctx.api.describe(["x"])),
        {
          code: "ExpiredTokenException",
        },
      );
      assert.deepEqual(calls, ["ASIA1", "ASIA2", "ASIA2", "ASIA3"]);
    });

    it("check: names the input or config key whose role STS refused, with STS's message", async () => {
      const clock = new ManualClock();
      const denied: AssumeRoleCall = (role) =>
        Promise.reject(
          new AwsApiError({
            service: "sts",
            operation: "AssumeRole",
            code: "AccessDenied",
            message: `User: arn:aws:iam::111111111111:user/test is not authorized to perform: sts:AssumeRole on resource: ${role.roleArn}`,
            httpStatus: 403,
            retryable: false,
            throttling: false,
            advice: "Fix: trust the account.",
          }),
        );
      const services = new TaskServices(
        spec(() => ({ describe: () => Promise.resolve(new Map()) })),
        { endpoints: {}, assumeRole: { roleArn: ROLE_B } },
        { clock, logger: silent, roleSessions: new RoleSessions({ clock, assumeRole: denied }) },
      );
      const reason = (arn: string) =>
        `sts AssumeRole failed: AccessDenied (HTTP 403): User: arn:aws:iam::111111111111:user/test is not authorized to perform: sts:AssumeRole on resource: ${arn}. Fix: trust the account.`;
      assert.deepEqual(await services.checkTarget({ assumeRole: { roleArn: ROLE_A } }, []), [
        { property: "assumeRole", reason: reason(ROLE_A) },
      ]);
      assert.deepEqual(await services.checkTarget({}, []), [
        { property: "awsMigration:assumeRole", reason: reason(ROLE_B) },
      ]);
      // Broken target inputs were already reported by their rules: no STS call for them.
      const failed = [{ property: "assumeRole.roleArn", reason: "is required" }];
      assert.deepEqual(await services.checkTarget({ assumeRole: {} }, failed), []);
    });
  });
});
