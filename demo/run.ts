/**
 * `npm run demo` (scripts/demo): deploys the demo migration stack (demo/index.ts, root Pulumi.yaml)
 * with the real Pulumi CLI against the local emulator, then prints what was imported.
 *
 *   npm run demo                       pulumi up; a second run shows no changes
 *   npm run demo -- --destroy          pulumi destroy, then forget the stack and the emulator data
 *   npm run demo -- --time-scale 60    emulated seconds per real second (default 20: about a minute)
 *   npm run demo -- --backend s3       keep the Pulumi state in the emulator's S3 (bucket
 *                                      pulumi-state) instead of the file backend under .demo/
 *
 * The emulator keeps its state in .demo/emulator (git-ignored) so a second run finds the tasks the
 * first one started; scripts/pulumi-env.sh keeps the file backend and PULUMI_HOME under .demo/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startEmulator } from "../emulator";

const ROOT = resolve(__dirname, "..", "..");
const STACK = "demo";
const REGION = "us-west-2";
const BUCKET = "migration-demo";
/** The emulator bucket that holds the Pulumi state with `--backend s3`. */
const STATE_BUCKET = "pulumi-state";
/** examples/data/ file → S3 key the program imports. */
const DATA_FILES = ["discovery.csv", "wave-1-inventory.csv", "web-01.raw"];
/** Polls every 1–4 s: the emulator runs faster than AWS, and the demo should finish promptly. */
const STACK_CONFIG = {
  "aws:region": REGION,
  "awsMigration:pollMinDelayMs": "1000",
  "awsMigration:pollMaxDelayMs": "4000",
};

function log(message: string): void {
  process.stderr.write(`[demo] ${message}\n`);
}

/** Runs pulumi with the terminal attached (so its progress shows) or captured; resolves the code. */
function pulumi(
  args: string[],
  env: NodeJS.ProcessEnv,
  capture = false,
): Promise<{ code: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: ROOT,
      env,
      stdio: ["ignore", capture ? "pipe" : "inherit", "inherit"],
    });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code: code ?? 1, stdout }));
  });
}

async function must(args: string[], env: NodeJS.ProcessEnv, capture = false): Promise<string> {
  const r = await pulumi(args, env, capture);
  if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}`);
  return r.stdout;
}

/** scripts/language-server.js serving the compiled program, for `--client` (no language host). */
function startLanguageServer(
  env: NodeJS.ProcessEnv,
): Promise<{ address: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [join(ROOT, "scripts", "language-server.js"), join(ROOT, "dist", "demo", "index.js")],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((resolvePromise, reject) => {
    let first = "";
    const onData = (d: Buffer): void => {
      first += d.toString();
      const m = /^(\d+)\n/.exec(first);
      if (!m) return;
      child.stdout.off("data", onData);
      child.stdout.resume();
      child.off("exit", onExit);
      resolvePromise({ address: `127.0.0.1:${m[1]}`, child });
    };
    const onExit = (code: number | null): void =>
      reject(new Error(`the language server exited with ${code} before listening`));
    child.stdout.on("data", onData);
    child.on("exit", onExit);
  });
}

/**
 * The DIY backend URL of a state bucket in the emulator. gocloud.dev's s3blob reads `endpoint`,
 * `region` and `use_path_style` (https://pkg.go.dev/gocloud.dev/blob/s3blob#URLOpener,
 * https://pkg.go.dev/gocloud.dev/aws#V2ConfigFromURLParams); path style because the bucket cannot
 * be a subdomain of 127.0.0.1.
 */
function s3BackendUrl(bucket: string, endpoint: string, region: string): string {
  return `s3://${bucket}?endpoint=${endpoint}&region=${region}&use_path_style=true`;
}

/** Creates the state bucket unless it exists (the emulator keeps it in .demo/emulator). */
async function ensureStateBucket(url: string): Promise<void> {
  const s3 = new S3Client({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    forcePathStyle: true,
  });
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: STATE_BUCKET,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  } catch (err) {
    if ((err as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw err;
  } finally {
    s3.destroy();
  }
}

/** The account set-up a migration team does once: MGN initialized, the import files in S3. */
async function prepareAccount(url: string): Promise<void> {
  const client = {
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const mgn = new MgnClient(client);
  await mgn.send(new InitializeServiceCommand({}));
  mgn.destroy();
  const s3 = new S3Client({ ...client, forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    if ((err as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw err;
  }
  for (const file of DATA_FILES) {
    const body = readFileSync(join(ROOT, "examples", "data", file));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file, Body: body }));
  }
  s3.destroy();
}

interface StateResource {
  type: string;
  urn: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

/** One line of the summary: what the resource imported, from its (non-secret) outputs. */
function describeResource(r: StateResource): [string, string, string, string] {
  const o = r.outputs ?? {};
  const name = r.urn.slice(r.urn.lastIndexOf("::") + 2);
  const kind = r.type.replace("pulumi-nodejs:dynamic/", "").replace(":", ".");
  const num = (key: string): number => (typeof o[key] === "number" ? o[key] : 0);
  const status = typeof o.status === "string" ? o.status : "-";
  let result = "";
  switch (kind) {
    case "ads.ImportTask":
      result = `${num("serverImportSuccess")} servers, ${num("applicationImportSuccess")} applications imported; ${num("serverImportFailure") + num("applicationImportFailure")} rows rejected`;
      break;
    case "migrationhub.ProgressUpdateStream":
      result = "stream for the wave's migration tasks";
      break;
    case "migrationhub.MigrationTask": {
      const attrs = Array.isArray(o.resourceAttributes) ? o.resourceAttributes.length : 0;
      result = `${attrs} resource attributes`;
      break;
    }
    case "mgn.ImportTask": {
      const s = (o.summary ?? {}) as Record<string, { createdCount?: number } | undefined>;
      const n = (k: string): number => s[k]?.createdCount ?? 0;
      result = `${n("waves")} wave, ${n("applications")} application, ${n("servers")} servers created; ${num("importErrorCount")} row errors`;
      break;
    }
    case "ec2.ImportImageTask": {
      const snapshots = Array.isArray(o.snapshotIds) ? o.snapshotIds.join(", ") : "";
      result = `AMI ${typeof o.imageId === "string" ? o.imageId : "-"} (snapshot ${snapshots || "-"})`;
      break;
    }
    default:
      result = "";
  }
  return [`${kind} ${name}`, r.id ?? "-", status, result];
}

function printTable(rows: string[][]): void {
  const header = ["Resource", "ID", "Status", "Imported"];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      destroy: { type: "boolean", default: false },
      "time-scale": { type: "string", default: "20" },
      backend: { type: "string", default: "file" },
    },
  });
  const backend = values.backend;
  if (backend !== "file" && backend !== "s3") throw new Error("--backend must be file or s3");
  const timeScale = Number(values["time-scale"]);
  if (!Number.isFinite(timeScale) || timeScale <= 0) throw new Error("--time-scale must be > 0");
  const started = Date.now();
  const dataDir = join(ROOT, ".demo", "emulator");

  const emulator = await startEmulator({ port: 0, dataDir, timeScale, homeRegion: REGION });
  log(`emulator on ${emulator.url} (time scale ${timeScale}, data in .demo/emulator)`);
  // The emulator's test account, and nothing from the caller's AWS setup.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: REGION,
  };
  for (const key of ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_REGION"]) delete env[key];
  if (backend === "s3") {
    await ensureStateBucket(emulator.url);
    env.PULUMI_BACKEND_URL = s3BackendUrl(STATE_BUCKET, emulator.url, REGION);
    log(`state in the emulator's S3: ${env.PULUMI_BACKEND_URL}`);
  }

  let server: ChildProcess | undefined;
  try {
    await must(["stack", "select", "--create", STACK], env);
    if (values.destroy) {
      await must(["destroy", "--yes"], env);
      await must(["stack", "rm", "--yes", STACK], env);
      await emulator.stop();
      rmSync(dataDir, { recursive: true, force: true });
      log(
        `destroyed the stack and the emulator data in ${Math.round((Date.now() - started) / 1000)} s`,
      );
      return;
    }
    await must(
      [
        "config",
        "set-all",
        ...Object.entries(STACK_CONFIG).flatMap(([k, v]) => ["--plaintext", `${k}=${v}`]),
      ],
      env,
    );
    await prepareAccount(emulator.url);
    log(`uploaded examples/data/{${DATA_FILES.join(",")}} to s3://${BUCKET}`);
    const ls = await startLanguageServer(env);
    server = ls.child;
    await must(["up", "--yes", `--client=${ls.address}`], env);

    const exported = JSON.parse(await must(["stack", "export"], env, true)) as {
      deployment: { resources?: StateResource[] };
    };
    const order = [
      "ads:",
      "mgn:",
      "migrationhub:ProgressUpdateStream",
      "migrationhub:MigrationTask",
      "ec2:",
    ];
    const rank = (r: StateResource): number => order.findIndex((o) => r.type.includes(`/${o}`));
    const rows = (exported.deployment.resources ?? [])
      .filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))
      .sort((a, b) => rank(a) - rank(b))
      .map(describeResource);
    printTable(rows);
    log(
      `done in ${Math.round((Date.now() - started) / 1000)} s; 'npm run demo -- --destroy' tears it down`,
    );
  } finally {
    server?.kill("SIGTERM");
    await emulator.stop().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  log(`ERROR: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
