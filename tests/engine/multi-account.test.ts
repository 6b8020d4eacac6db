/**
 * Issue 11 in the engine tier: the target inputs as resource classes register them (from
 * `awsProviderTarget` too), then Pulumi's real dynamic-provider host over gRPC against the
 * emulator's accounts: check() with STS's refusal and with preview unknowns, and a resource whose
 * create, read, diff and delete all run in its role's account.
 */
import { strict as assert } from "node:assert";
import { awsProviderTarget } from "../../provider";
import { ProgressUpdateStream } from "../../provider/migrationhub";
import { ImportTask } from "../../provider/mgn";
import { DynamicHost, hostEnv, type Props, UNKNOWN } from "../support/dynamicHost";
import { useEmulator } from "../support/emulator";
import { registrations } from "../support/mocks";

const MANAGEMENT = "111111111111";
const ROLE_A = "arn:aws:iam::222222222222:role/migration";
const STREAM_URN =
  "urn:pulumi:test::migration::pulumi-nodejs:dynamic/migrationhub:ProgressUpdateStream::tracking";

describe("region and assumeRole through the Pulumi dynamic-provider host (issue 11)", function () {
  this.timeout(60_000);
  const ctx = useEmulator({
    accountId: MANAGEMENT,
    homeRegion: "us-west-2",
    credentials: [{ accessKeyId: "test", secretAccessKey: "test", accountId: MANAGEMENT }],
    roles: [{ roleArn: ROLE_A, trustedAccounts: [MANAGEMENT], externalId: "wave-2026" }],
  });
  let host: DynamicHost;
  let stream: Props;

  before(async () => {
    host = await DynamicHost.start(process.cwd(), hostEnv());
    await host.configure({ "aws:region": "us-west-2", "awsMigration:endpoint": ctx.emulator.url });
    const seen = await registrations(() => {
      new ProgressUpdateStream("tracking", {
        progressUpdateStreamName: "wave-1",
        region: "us-west-2",
        assumeRole: { roleArn: ROLE_A, externalId: "wave-2026" },
      });
    });
    const { __provider: provider, __urn: urn, ...rest } = seen[0]!.inputs;
    assert.equal(
      urn,
      "urn:pulumi:test::migration::pulumi-nodejs:dynamic/migrationhub:ProgressUpdateStream::tracking",
    );
    assert.deepEqual(rest, {
      progressUpdateStreamName: "wave-1",
      region: "us-west-2",
      assumeRole: { roleArn: ROLE_A, externalId: "wave-2026" },
    });
    stream = { ...rest, __provider: provider };
  });
  after(() => host?.stop());

  it("registers awsProviderTarget's mapping of an aws.Provider's arguments", async () => {
    const seen = await registrations(() => {
      new ImportTask("inventory", {
        ...awsProviderTarget({
          region: "eu-west-1",
          assumeRoles: [{ roleArn: ROLE_A, externalId: "wave-2026", duration: "1h30m" }],
        }),
        s3BucketSource: { s3Bucket: "wave-data", s3Key: "wave-1.csv" },
      });
    });
    assert.equal(seen[0]!.inputs["region"], "eu-west-1");
    assert.deepEqual(seen[0]!.inputs["assumeRole"], {
      roleArn: ROLE_A,
      externalId: "wave-2026",
      durationSeconds: 5400,
    });
  });

  it("check: STS's refusal on assumeRole, no call while it is unknown in preview", async () => {
    const wrong = { ...stream, assumeRole: { roleArn: ROLE_A, externalId: "not-it" } };
    const { failures } = await host.check(STREAM_URN, {}, wrong);
    assert.equal(failures.length, 1);
    assert.equal(failures[0]!.property, "assumeRole");
    assert.match(
      failures[0]!.reason,
      /^sts AssumeRole failed: AccessDenied \(HTTP 403, request [0-9a-f-]+\): User: arn:aws:iam::111111111111:user\/test is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role\/migration\. Fix: let this principal assume the role/,
    );
    const preview = { ...stream, assumeRole: UNKNOWN };
    assert.deepEqual(await host.check(STREAM_URN, {}, preview), { inputs: preview, failures: [] });
    const bad = {
      ...stream,
      region: "Europe",
      assumeRole: { roleArn: ROLE_A, durationSeconds: 60 },
    };
    assert.deepEqual((await host.check(STREAM_URN, {}, bad)).failures, [
      {
        property: "region",
        reason:
          'must match an AWS Region name like eu-west-1 (got "Europe"). Fix: use a Region name like eu-west-1, or leave it unset for aws:region',
      },
      {
        property: "assumeRole.durationSeconds",
        reason:
          "must be between 900 and 43200 (got 60). Fix: use 900 to 43200 seconds, at most the role's MaxSessionDuration (credentials are refreshed anyway)",
      },
    ]);
    assert.equal(ctx.emulator.stats().requests["sts:AssumeRole"], 1);
  });

  it("creates, reads, diffs and deletes in the role's account; state holds no credential", async () => {
    assert.deepEqual(await host.check(STREAM_URN, {}, stream), { inputs: stream, failures: [] });
    const { id, outs } = await host.create(STREAM_URN, stream);
    assert.equal(id, "wave-1");
    assert.deepEqual(outs, {
      progressUpdateStreamName: "wave-1",
      retainOnDelete: false,
      region: "us-west-2",
      assumeRole: { roleArn: ROLE_A, externalId: "wave-2026" },
      __provider: stream["__provider"],
    });
    const byAccount = () => ctx.emulator.stats().requestsByAccount;
    assert.equal(
      byAccount()["222222222222"]?.["us-west-2"]?.["migrationhub:CreateProgressUpdateStream"],
      1,
    );
    assert.equal(
      byAccount()[MANAGEMENT]?.["us-west-2"]?.["migrationhub:CreateProgressUpdateStream"],
      undefined,
    );

    const read = await host.read(id, STREAM_URN, outs);
    assert.deepEqual(read.props, outs);
    assert.equal((await host.diff(id, STREAM_URN, outs, stream)).changes, "NONE");
    const moved = await host.diff(id, STREAM_URN, outs, { ...stream, region: "eu-west-1" });
    assert.deepEqual([moved.changes, moved.replaces], ["SOME", ["region"]]);

    await host.delete(id, STREAM_URN, outs);
    assert.equal(
      byAccount()["222222222222"]?.["us-west-2"]?.["migrationhub:DeleteProgressUpdateStream"],
      1,
    );
    assert.doesNotMatch(JSON.stringify([outs, read.props]), /ASIA[A-Z2-7]{16}|IQoJb3JpZ2luX2Vj/);
  });
});
