/**
 * Scenario 8 — secrets: distinctive fake credentials (an access key registered with the emulator,
 * its secret key, and a session token) drive create, read, update and delete of every resource,
 * failures included, through the real host. Everything captured — the serialized `__provider`
 * text, every property set the provider returns (state), the init-failure properties and reasons,
 * every error message and every line the host printed — is searched for the secret key, the
 * session token, presigned-URL signatures and credential-bearing URLs. Only outputs the resource
 * classes declare secret (Pulumi encrypts them in state) may hold a presigned URL.
 */
import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { type DynamicHost, HostCallError, type Props } from "../support/dynamicHost";
import { record } from "./summary";
import {
  inputsOf,
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
/** Outputs each class marks secret (additionalSecretOutputs): Pulumi encrypts them in state. */
const SECRET_OUTPUTS: Record<Kind, string[]> = {
  ads: ["errorsAndFailedEntriesZip"],
  mgn: ["tags"],
  image: ["diskContainers"],
  instance: ["diskImages", "launchSpecification"],
  stream: [],
  task: [],
};
/** The signature of the presigned manifest URL a user passes to ec2.ImportInstanceTask. */
const MANIFEST_SIGNATURE = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e70000";
const ROW_ERRORS_CSV = "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\n,,\n";

interface Captured {
  where: string;
  text: string;
}

/** Needles: the secrets themselves and any credential-bearing URL shape. */
function leaks(text: string, signatures: Set<string>): string[] {
  const found: string[] = [];
  if (text.includes(KEYS.secretAccessKey)) found.push("secret access key");
  if (text.includes(KEYS.sessionToken)) found.push("session token");
  for (const sig of signatures) if (text.includes(sig)) found.push(`signature ${sig.slice(0, 8)}…`);
  for (const m of text.matchAll(
    /X-Amz-(Signature|Security-Token|Credential)=(?!REDACTED)[^&"\s]+/gi,
  ))
    found.push(m[0].slice(0, 40));
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/(?!REDACTED@)[^\s/?#@"']+@/gi))
    found.push(`userinfo URL ${m[0]}`);
  return found;
}

describe(SCENARIO, function () {
  this.timeout(180_000);
  let emulator: Emulator;
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
  });
  after(() => emulator?.stop());

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

    const captured: Captured[] = [];
    const secretValues: Captured[] = [];
    const capture = (where: string, kind: Kind, props: Props): void => {
      const open: Props = {};
      for (const [k, v] of Object.entries(props)) {
        if (SECRET_OUTPUTS[kind].includes(k))
          secretValues.push({
            where: `${where}.${k}`,
            text: typeof v === "string" ? v : JSON.stringify(v),
          });
        else open[k] = v;
      }
      captured.push({ where, text: JSON.stringify(open) });
    };
    const failure = async (
      where: string,
      kind: Kind,
      p: Promise<unknown>,
    ): Promise<{ id: string; properties: Props }> => {
      try {
        await p;
      } catch (e) {
        assert.ok(e instanceof HostCallError, `${where}: ${String(e)}`);
        captured.push({ where: `${where} message`, text: e.message });
        assert.ok(e.initFailure, `${where}: no init failure: ${e.message}`);
        capture(`${where} init-failure properties`, kind, e.initFailure.properties);
        captured.push({ where: `${where} reasons`, text: JSON.stringify(e.initFailure.reasons) });
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
    ): Promise<void> => {
      const urn = urnOf(kind, name);
      const created = await host.create(urn, inputs);
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
    const host = await startHost(emulator, {}, env);
    const ads = (name: string, file: string, extra: Props = {}): Props => ({
      name,
      importUrl: `s3://${BUCKET}/${file}`,
      clientRequestToken: `pam-secrets-${name}`,
      __provider: providers.ads,
      ...extra,
    });
    await lifecycle(host, "ads", "good", ads("good", "good.csv"), { waitTimeoutMinutes: 90 });
    await lifecycle(host, "ads", "rows", ads("rows", "row-errors.csv"), { waitTimeoutMinutes: 90 });
    const strict = await failure(
      "strict",
      "ads",
      host.create(
        urnOf("ads", "strict"),
        ads("strict", "row-errors.csv", { failOnRowErrors: true }),
      ),
    );
    await host.delete(strict.id, urnOf("ads", "strict"), strict.properties);
    const bad = await failure(
      "bad",
      "ads",
      host.create(urnOf("ads", "bad"), ads("bad", "not-a-template.csv")),
    );
    await host.delete(bad.id, urnOf("ads", "bad"), bad.properties);
    await lifecycle(
      host,
      "stream",
      "stream",
      { progressUpdateStreamName: "secrets-stream", __provider: providers.stream },
      { retainOnDelete: false },
    );
    const task: Props = {
      progressUpdateStream: STREAM,
      migrationTaskName: "secrets-task",
      resourceAttributes: [{ type: "FQDN", value: "web.corp.example.com" }],
      __provider: providers.task,
    };
    await lifecycle(host, "task", "task", task, {
      resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.9" }],
    });
    await lifecycle(
      host,
      "mgn",
      "mgn",
      inputsOf(emulator, "mgn", "secrets-mgn", providers.mgn, { tags: { team: "ops" } }),
      { waitTimeoutMinutes: 90 },
    );
    await lifecycle(
      host,
      "image",
      "image",
      inputsOf(emulator, "image", "secrets-image", providers.image),
      { waitTimeoutMinutes: 90 },
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
    await lifecycle(host, "instance", "instance", instance, { waitTimeoutMinutes: 90 });
    host.stop();

    // A wait that times out, and its resumption, under the same credentials.
    const slowInputs: Props = {
      progressUpdateStream: STREAM,
      migrationTaskName: "secrets-slow",
      waitForStatus: "COMPLETED",
      __provider: providers.task,
    };
    const slowHost = await startHost(emulator, { "awsMigration:waitTimeoutMinutes": "0.003" }, env);
    const slow = await failure("slow", "task", slowHost.create(urnOf("task", "slow"), slowInputs));
    slowHost.stop();
    const resume = await startHost(emulator, {}, env);
    const resumed = resume.update(slow.id, urnOf("task", "slow"), slow.properties, slowInputs);
    await notify(emulator, ["secrets-slow"], "COMPLETED");
    capture("slow update", "task", await resumed);
    resume.stop();

    for (const [kind, text] of Object.entries(providers))
      captured.push({ where: `${kind} __provider`, text });
    for (const [i, h] of [host, slowHost, resume].entries())
      captured.push({ where: `host ${i} output`, text: h.output.join("") });

    // Positive control: the presigned URLs the emulator issued are in the secret outputs, signed.
    assert.ok(
      secretValues.some(
        (v) => v.where.endsWith(".diskImages") && v.text.includes(MANIFEST_SIGNATURE),
      ),
      "the manifest URL is not in the secret diskImages output",
    );
    const signatures = new Set<string>([MANIFEST_SIGNATURE]);
    for (const s of secretValues)
      for (const m of s.text.matchAll(/X-Amz-Signature=([0-9a-f]{64})/g)) signatures.add(m[1]!);
    assert.ok(
      signatures.size >= 1,
      `no presigned URL among the secret outputs: ${JSON.stringify(secretValues)}`,
    );
    assert.ok(
      captured.some((c) => c.where.startsWith("host") && c.text.includes("[aws-migration]")),
      "the host logged nothing",
    );

    const found = captured.flatMap((c) => leaks(c.text, signatures).map((l) => `${c.where}: ${l}`));
    record(SCENARIO, { runs: 1, faults: 3, resources: 10, secrets: found.length });
    console.log(
      `      searched ${captured.length} captures (${captured.reduce((n, c) => n + c.text.length, 0)} characters) for ${signatures.size + 2} secrets`,
    );
    assert.deepEqual(found, []);
  });
});
