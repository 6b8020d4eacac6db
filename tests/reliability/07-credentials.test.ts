/**
 * Scenario 7 — credentials: a wrong secret key (bad signature), an access key AWS does not know,
 * and no credentials at all, each through the real host. Every create fails at once with one
 * error that names the fix, after exactly one request (no retry storm), and starts nothing. The
 * emulator refuses unsigned requests with each protocol's own error.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { NO_CREDENTIALS_ADVICE, REJECTED_CREDENTIALS_ADVICE } from "../../provider/core/errors";
import { HostCallError, type Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  BUCKET,
  hostEnv,
  type Kind,
  REGION,
  serializedProviders,
  startHost,
  sum,
  urnOf,
} from "./support";

const SCENARIO = "7 credentials";

describe(SCENARIO, function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let providers: Record<Kind, string>;
  before(async () => {
    emulator = await startEmulator({ homeRegion: REGION, rateLimits: false });
    providers = await serializedProviders();
  });
  after(() => emulator?.stop());

  function resources(): { kind: Kind; props: Props; call: string }[] {
    return [
      {
        kind: "ads",
        call: "ads StartImportTask",
        props: {
          name: "creds",
          importUrl: `s3://${BUCKET}/servers.csv`,
          clientRequestToken: "pam-creds",
          __provider: providers.ads,
        },
      },
      {
        kind: "stream",
        call: "migrationhub ListProgressUpdateStreams",
        props: { progressUpdateStreamName: "creds", __provider: providers.stream },
      },
      {
        kind: "task",
        call: "migrationhub DescribeMigrationTask",
        props: {
          progressUpdateStream: "creds",
          migrationTaskName: "creds",
          __provider: providers.task,
        },
      },
    ];
  }

  const CASES: {
    label: string;
    env: () => NodeJS.ProcessEnv;
    code: string;
    awsMessage: string;
    advice: string;
    authKind?: string;
  }[] = [
    {
      label: "a wrong secret key",
      env: () => hostEnv({ accessKeyId: "test", secretAccessKey: "not-the-secret" }),
      code: "InvalidSignatureException",
      awsMessage:
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
      advice: REJECTED_CREDENTIALS_ADVICE,
      authKind: "badSignature",
    },
    {
      label: "an unknown access key",
      env: () => hostEnv({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "test" }),
      code: "UnrecognizedClientException",
      awsMessage: "The security token included in the request is invalid.",
      advice: REJECTED_CREDENTIALS_ADVICE,
      authKind: "unknownKey",
    },
    {
      label: "no credentials at all",
      env: () => {
        const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, ...rest } = hostEnv();
        return rest;
      },
      code: "CredentialsProviderError",
      awsMessage: "Could not load credentials from any providers",
      advice: NO_CREDENTIALS_ADVICE,
    },
  ];

  for (const c of CASES) {
    it(`${c.label}: one clear error naming the fix per resource, one request each, nothing started`, async () => {
      emulator.reset();
      const host = await startHost(emulator, {}, c.env());
      const list = resources();
      const errors = await Promise.all(
        list.map((r) =>
          host.create(urnOf(r.kind, "creds"), r.props).then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      host.stop();
      const seen = errors.map((e) => {
        assert.ok(e instanceof HostCallError, `expected a host error, got ${String(e)}`);
        // The request ID varies; everything else is exact.
        return {
          initFailure: e.initFailure,
          message: e.message.replace(/ \(HTTP 400, request [0-9a-f-]+\)/, " (HTTP 400)"),
        };
      });
      const status = c.authKind === undefined ? "" : " (HTTP 400)";
      assert.deepEqual(
        seen,
        list.map((r) => ({
          initFailure: undefined,
          message: `${r.call} failed: ${c.code}${status}: ${c.awsMessage}${/[.]$/.test(c.awsMessage) ? "" : "."} ${c.advice}`,
        })),
      );
      const stats = emulator.stats();
      // No retry storm: the front door saw exactly one request per resource, and let none through.
      const expected =
        c.authKind === undefined
          ? {}
          : { [`ads:${c.authKind}`]: 1, [`migrationhub:${c.authKind}`]: 2 };
      assert.deepEqual(stats.authFailures, expected);
      assert.equal(stats.totalRequests, 0);
      record(SCENARIO, {
        runs: list.length,
        faults: c.authKind === undefined ? list.length : sum(stats.authFailures),
        resources: list.length,
      });
    });
  }

  it("the emulator refuses unsigned requests with each protocol's error", async () => {
    const probes: { label: string; init: RequestInit & { path?: string } }[] = [
      {
        label: "ads",
        init: {
          method: "POST",
          headers: {
            "x-amz-target": "AWSPoseidonService_V2015_11_01.DescribeImportTasks",
            "content-type": "application/x-amz-json-1.1",
          },
          body: "{}",
        },
      },
      {
        label: "migrationhub",
        init: {
          method: "POST",
          headers: {
            "x-amz-target": "AWSMigrationHub.ListProgressUpdateStreams",
            "content-type": "application/x-amz-json-1.1",
          },
          body: "{}",
        },
      },
      {
        label: "mgn",
        init: {
          method: "POST",
          path: "/ListImports",
          headers: { "content-type": "application/json" },
          body: "{}",
        },
      },
      {
        label: "ec2",
        init: {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "Action=DescribeImportImageTasks&Version=2016-11-15",
        },
      },
      { label: "s3", init: { method: "GET", path: "/migration-data" } },
    ];
    emulator.reset();
    const seen: [string, number, string][] = [];
    for (const p of probes) {
      const res = await fetch(`${emulator.url}${p.init.path ?? "/"}`, p.init);
      const text = await res.text();
      const code =
        res.headers.get("x-amzn-errortype") ?? /<Code>(\w+)<\/Code>/.exec(text)?.[1] ?? "";
      seen.push([p.label, res.status, code]);
    }
    assert.deepEqual(seen, [
      ["ads", 400, "MissingAuthenticationTokenException"],
      ["migrationhub", 400, "MissingAuthenticationTokenException"],
      ["mgn", 403, "MissingAuthenticationTokenException"],
      ["ec2", 401, "MissingAuthenticationToken"],
      ["s3", 403, "AccessDenied"],
    ]);
    assert.equal(emulator.stats().totalRequests, 0);
    record(SCENARIO, { runs: probes.length, faults: probes.length, resources: 0 });
  });
});
