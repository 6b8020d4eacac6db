/**
 * Scenario 7 — credentials: a wrong secret key (bad signature), an access key AWS does not know,
 * and no credentials at all, each through the real host. Every create fails at once with one
 * error that names the fix, after exactly one request (no retry storm), and starts nothing — no
 * start call on the wire is accepted. The emulator refuses unsigned requests with each protocol's
 * own error.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { NO_CREDENTIALS_ADVICE, REJECTED_CREDENTIALS_ADVICE } from "../../provider/core/errors";
import { HostCallError } from "../support/dynamicHost";
import { RecordingProxy, tally } from "./ledger";
import { record } from "./summary";
import {
  hostEnv,
  inputsOf,
  type Kind,
  REGION,
  serializedProviders,
  startHost,
  urnOf,
} from "./support";

const SCENARIO = "7 credentials";

describe(SCENARIO, function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let providers: Record<Kind, string>;
  before(async () => {
    emulator = await startEmulator({ homeRegion: REGION, rateLimits: false });
    proxy = await RecordingProxy.start(emulator.url);
    providers = await serializedProviders();
  });
  after(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

  type Wire = "json" | "restJson" | "ec2";
  /** Each kind's first AWS call in create, and the wire protocol that answers it. */
  const FIRST_CALL: Record<Kind, [string, Wire]> = {
    ads: ["ads StartImportTask", "json"],
    mgn: ["mgn StartImport", "restJson"],
    image: ["ec2 ImportImage", "ec2"],
    instance: ["ec2 DescribeConversionTasks", "ec2"],
    stream: ["migrationhub ListProgressUpdateStreams", "json"],
    task: ["migrationhub DescribeMigrationTask", "json"],
  };
  const KINDS = Object.keys(FIRST_CALL) as Kind[];

  const SIGNATURE_MISMATCH =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
  interface Case {
    label: string;
    env: () => NodeJS.ProcessEnv;
    /** Per protocol: code, HTTP status, the service's message. */
    answer: (wire: Wire) => [string, number | undefined, string];
    advice: string;
    authKind?: string;
  }
  const CASES: Case[] = [
    {
      label: "a wrong secret key",
      env: () => hostEnv({ accessKeyId: "test", secretAccessKey: "not-the-secret" }),
      answer: (w) =>
        w === "ec2"
          ? ["SignatureDoesNotMatch", 403, SIGNATURE_MISMATCH]
          : ["InvalidSignatureException", w === "json" ? 400 : 403, SIGNATURE_MISMATCH],
      advice: REJECTED_CREDENTIALS_ADVICE,
      authKind: "badSignature",
    },
    {
      label: "an unknown access key",
      env: () => hostEnv({ accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "test" }),
      answer: (w) =>
        w === "ec2"
          ? ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"]
          : [
              "UnrecognizedClientException",
              w === "json" ? 400 : 403,
              "The security token included in the request is invalid.",
            ],
      advice: REJECTED_CREDENTIALS_ADVICE,
      authKind: "unknownKey",
    },
    {
      label: "no credentials at all",
      env: () => {
        const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, ...rest } = hostEnv();
        return rest;
      },
      answer: () => [
        "CredentialsProviderError",
        undefined,
        "Could not load credentials from any providers",
      ],
      advice: NO_CREDENTIALS_ADVICE,
    },
  ];

  for (const c of CASES) {
    it(`${c.label}: one clear error naming the fix per resource, one request each, nothing started`, async () => {
      emulator.reset();
      const mark = proxy.calls.length;
      const host = await startHost(emulator, { "awsMigration:endpoint": proxy.url }, c.env());
      const errors = await Promise.all(
        KINDS.map((k) =>
          host.create(urnOf(k, "creds"), inputsOf(emulator, k, "creds", providers[k])).then(
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
          message: e.message.replace(/, request [0-9a-f-]+\)/, ")"),
        };
      });
      assert.deepEqual(
        seen,
        KINDS.map((k) => {
          const [call, wire] = FIRST_CALL[k];
          const [code, status, text] = c.answer(wire);
          const head = `${call} failed: ${code}${status === undefined ? "" : ` (HTTP ${status})`}: ${text}`;
          return {
            initFailure: undefined,
            message: `${head}${/[.]$/.test(head) ? "" : "."} ${c.advice}`,
          };
        }),
      );
      const stats = emulator.stats();
      // No retry storm: the front door saw exactly one request per resource, and let none through.
      const perService: Record<string, number> = {};
      for (const k of KINDS) {
        const svc = FIRST_CALL[k][0].split(" ")[0]!;
        perService[`${svc}:${c.authKind}`] = (perService[`${svc}:${c.authKind}`] ?? 0) + 1;
      }
      assert.deepEqual(stats.authFailures, c.authKind === undefined ? {} : perService);
      assert.equal(stats.totalRequests, 0);
      // Nothing started: every create must fail, so each resource owns no task.
      await proxy.settled();
      const t = tally(
        proxy.calls.slice(mark),
        KINDS.map((kind) => ({ kind, name: "creds", expect: 0 as const })),
      );
      record(SCENARIO, {
        runs: KINDS.length,
        faults: KINDS.length,
        resources: KINDS.length,
        duplicated: t.duplicated,
      });
      assert.deepEqual([t.accepted, t.problems], [0, []]);
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
