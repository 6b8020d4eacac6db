/**
 * Scenario 8 — secrets: distinctive fake credentials (an access key registered with the emulator,
 * its secret key, and a session token) drive create, read, update and delete of every resource,
 * failures included, through the real host. Everything captured — the serialized `__provider`
 * text, every property set the provider returns (state), the init-failure properties and reasons,
 * every error message and every line the host printed — is searched for the secret key, the
 * session token, presigned-URL signatures and credential-bearing URLs. Only outputs the resource
 * classes declare secret (Pulumi encrypts them in state) may hold a presigned URL. Every resource
 * started exactly one task, counted from the start calls on the wire.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { type DynamicHost, HostCallError, type Props } from "../support/dynamicHost";
import { type Declared, delta, RecordingProxy, tally, unseen } from "./ledger";
import { Evidence, type Marker } from "./secrets";
import { record } from "./summary";
import {
  inputsOf,
  MANIFEST_SIGNATURE,
  manifestUrl,
  prepareServices,
  stage,
  BUCKET,
  configured,
  GOOD_CSV,
  hostEnv,
  type Kind,
  notify,
  REGION,
  serializedProviders,
  startHost,
  STREAM,
  uploadObjects,
  urnOf,
} from "./support";

const SCENARIO = "8 secrets";
const KEYS = {
  accessKeyId: "AKIAREL1AB1L1TYTEST8",
  secretAccessKey: "rEl1abSecretKeyDoNotLeak/Ab+CdEfGh0123456",
  sessionToken: "IQoJb3JpZ2luX2VjEReliabSessionTokenDoNotLeak//////////wEaCXVzLXdlc3QtMiJHMEUCIQ==",
};
const ROW_ERRORS_CSV = "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\n,,\n";

/** The secrets themselves; presigned-URL signatures the emulator issued join them (Evidence). */
const MARKERS: Marker[] = [
  { label: "secret access key", value: KEYS.secretAccessKey },
  { label: "session token", value: KEYS.sessionToken },
  { label: `signature ${MANIFEST_SIGNATURE.slice(0, 8)}…`, value: MANIFEST_SIGNATURE },
];

describe(SCENARIO, function () {
  this.timeout(180_000);
  let emulator: Emulator;
  let proxy: RecordingProxy;
  let providers: Record<Kind, string>;
  before(async () => {
    emulator = await startEmulator({
      homeRegion: REGION,
      rateLimits: false,
      timeScale: 1000,
      credentials: [
        { accessKeyId: "test", secretAccessKey: "test" },
        { accessKeyId: KEYS.accessKeyId, secretAccessKey: KEYS.secretAccessKey },
      ],
    });
    await prepareServices(emulator);
    await uploadObjects(
      emulator,
      {
        "good.csv": GOOD_CSV,
        "row-errors.csv": ROW_ERRORS_CSV,
        "not-a-template.csv": "Foo,Bar\n1,2\n",
      },
      false,
    );
    await Promise.all(
      (["mgn", "image", "instance"] as Kind[]).map((k) => stage(emulator, k, [`secrets-${k}`])),
    );
    await (
      await configured("stream", emulator)
    ).create({ progressUpdateStreamName: STREAM, __provider: "shim" });
    proxy = await RecordingProxy.start(emulator.url);
  });
  after(async () => {
    await proxy?.close();
    await emulator?.stop();
  });

  it("create, read, update, delete and failures of every resource leave no secret in state, logs or errors", async () => {
    // Serialize the providers while the distinctive credentials are in this process's environment:
    // a captured credential would show up in the __provider text. Restored in this test.
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      AWS_SESSION_TOKEN: KEYS.sessionToken,
    });
    try {
      providers = await serializedProviders();
    } finally {
      for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }

    const evidence = new Evidence();
    const capture = (where: string, kind: Kind, props: Props): void =>
      evidence.state(where, kind, props);
    /** The ID each resource settled on, for the tally. */
    const settled: Declared[] = [];
    const failure = async (
      where: string,
      kind: Kind,
      p: Promise<unknown>,
    ): Promise<{ id: string; properties: Props }> => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof HostCallError, `${where}: ${String(e)}`);
        evidence.text(`${where} message`, e.message);
        assert.ok(e.initFailure, `${where}: no init failure: ${e.message}`);
        capture(`${where} init-failure properties`, kind, e.initFailure.properties);
        evidence.text(`${where} reasons`, JSON.stringify(e.initFailure.reasons));
        return { id: e.initFailure.id, properties: e.initFailure.properties };
      }
      throw new assert.AssertionError({ message: `${where} succeeded` });
    };
    const lifecycle = async (
      host: DynamicHost,
      kind: Kind,
      name: string,
      inputs: Props,
      change: Props,
      wire: string,
    ): Promise<void> => {
      const urn = urnOf(kind, name);
      const created = await host.create(urn, inputs);
      settled.push({ kind, name: wire, id: created.id });
      capture(`${name} create`, kind, created.outs);
      const read = await host.read(created.id, urn, created.outs, inputs);
      capture(`${name} read`, kind, read.props);
      capture(`${name} read inputs`, kind, read.inputs);
      const news = { ...inputs, ...change };
      const updated = await host.update(created.id, urn, created.outs, news);
      capture(`${name} update`, kind, updated);
      await host.delete(created.id, urn, updated);
    };

    const env = hostEnv(KEYS);
    const endpoint = { "awsMigration:endpoint": proxy.url };
    const base = emulator.stats();
    const host = await startHost(emulator, endpoint, env);
    const ads = (name: string, file: string, extra: Props = {}): Props => ({
      name,
      importUrl: `s3://${BUCKET}/${file}`,
      clientRequestToken: `pam-secrets-${name}`,
      __provider: providers.ads,
      ...extra,
    });
    await lifecycle(
      host,
      "ads",
      "good",
      ads("good", "good.csv"),
      { waitTimeoutMinutes: 90 },
      "good",
    );
    await lifecycle(
      host,
      "ads",
      "rows",
      ads("rows", "row-errors.csv"),
      { waitTimeoutMinutes: 90 },
      "rows",
    );
    const strict = await failure(
      "strict",
      "ads",
      host.create(
        urnOf("ads", "strict"),
        ads("strict", "row-errors.csv", { failOnRowErrors: true }),
      ),
    );
    settled.push({ kind: "ads", name: "strict", id: strict.id });
    await host.delete(strict.id, urnOf("ads", "strict"), strict.properties);
    const bad = await failure(
      "bad",
      "ads",
      host.create(urnOf("ads", "bad"), ads("bad", "not-a-template.csv")),
    );
    settled.push({ kind: "ads", name: "bad", id: bad.id });
    await host.delete(bad.id, urnOf("ads", "bad"), bad.properties);
    await lifecycle(
      host,
      "stream",
      "stream",
      { progressUpdateStreamName: "secrets-stream", __provider: providers.stream },
      { retainOnDelete: false },
      "secrets-stream",
    );
    const task: Props = {
      progressUpdateStream: STREAM,
      migrationTaskName: "secrets-task",
      resourceAttributes: [{ type: "FQDN", value: "web.corp.example.com" }],
      __provider: providers.task,
    };
    await lifecycle(
      host,
      "task",
      "task",
      task,
      { resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.9" }] },
      "secrets-task",
    );
    await lifecycle(
      host,
      "mgn",
      "mgn",
      inputsOf(emulator, "mgn", "secrets-mgn", providers.mgn, { tags: { team: "ops" } }),
      { waitTimeoutMinutes: 90 },
      "secrets-mgn",
    );
    await lifecycle(
      host,
      "image",
      "image",
      inputsOf(emulator, "image", "secrets-image", providers.image),
      { waitTimeoutMinutes: 90 },
      "secrets-image",
    );
    // The user's presigned manifest URL is a credential: it may live only in the secret diskImages.
    const instance = inputsOf(emulator, "instance", "secrets-instance", providers.instance);
    instance["diskImages"] = [
      {
        image: {
          format: "VMDK",
          bytes: 2048,
          importManifestUrl: manifestUrl(emulator, "secrets-instance", MANIFEST_SIGNATURE),
        },
        volume: { size: 8 },
      },
    ];
    await lifecycle(
      host,
      "instance",
      "instance",
      instance,
      { waitTimeoutMinutes: 90 },
      "secrets-instance",
    );
    host.stop();

    // A wait that times out, and its resumption, under the same credentials.
    const slowInputs: Props = {
      progressUpdateStream: STREAM,
      migrationTaskName: "secrets-slow",
      waitForStatus: "COMPLETED",
      __provider: providers.task,
    };
    const slowHost = await startHost(
      emulator,
      { ...endpoint, "awsMigration:waitTimeoutMinutes": "0.003" },
      env,
    );
    const slow = await failure("slow", "task", slowHost.create(urnOf("task", "slow"), slowInputs));
    settled.push({ kind: "task", name: "secrets-slow", id: slow.id });
    slowHost.stop();
    const resume = await startHost(emulator, endpoint, env);
    const resumed = resume.update(slow.id, urnOf("task", "slow"), slow.properties, slowInputs);
    await notify(emulator, ["secrets-slow"], "COMPLETED");
    capture("slow update", "task", await resumed);
    resume.stop();

    for (const [kind, text] of Object.entries(providers)) evidence.text(`${kind} __provider`, text);
    for (const [i, h] of [host, slowHost, resume].entries())
      evidence.text(`host ${i} output`, h.output.join(""));

    // Positive control: the presigned URLs are in the secret outputs, signed.
    assert.ok(
      evidence.secretValues.some(
        (v) => v.where.endsWith(".diskImages") && v.text.includes(MANIFEST_SIGNATURE),
      ),
      "the manifest URL is not in the secret diskImages output",
    );
    assert.ok(
      evidence.captured.some(
        (c) => c.where.startsWith("host") && c.text.includes("[aws-migration]"),
      ),
      "the host logged nothing",
    );

    // Every resource started one task: the start calls on the wire (all resources are deleted by
    // now, so the services' lists are not consulted).
    await proxy.settled();
    assert.deepEqual(unseen(proxy.calls, delta(emulator.stats().requests, base.requests)), []);
    const t = tally(proxy.calls, settled);

    const found = evidence.search(MARKERS);
    record(SCENARIO, {
      runs: 1,
      faults: 3,
      resources: settled.length,
      lost: t.lost,
      duplicated: t.duplicated,
      secrets: found.length,
    });
    console.log(
      `      searched ${evidence.captured.length} captures (${evidence.characters()} characters) for ${MARKERS.length + evidence.signatures().length} secrets; ${proxy.starts().length} start calls on the wire`,
    );
    assert.deepEqual({ problems: t.problems, found }, { problems: [], found: [] });
  });
});
