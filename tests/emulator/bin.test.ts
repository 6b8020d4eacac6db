/**
 * The package bin as users run it: the built dist/emulator/cli.js (needs `npx tsc -p
 * tsconfig.build.json`), with its flags, answering every service through the real clients.
 */
import { strict as assert } from "node:assert";
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeImportImageTasksCommand, EC2Client } from "@aws-sdk/client-ec2";
import { InitializeServiceCommand, ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import {
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
} from "@aws-sdk/client-migration-hub";
import {
  GetHomeRegionCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { Discovery } from "aws-sdk";

const CLI = join(__dirname, "..", "..", "dist", "emulator", "cli.js");
const READY = /^aws-migration-emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n$/;

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

async function startBin(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => out.includes("\n") && resolve(out));
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  const m = READY.exec(line);
  if (!m) {
    child.kill("SIGKILL");
    throw new Error(`unexpected first output: ${JSON.stringify(line)}`);
  }
  return {
    child,
    url: m[1]!,
    stdout: () => out,
    stop: () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

const creds = { accessKeyId: "test", secretAccessKey: "test" };
const cfg = (url: string) => ({
  endpoint: url,
  region: "us-west-2",
  credentials: creds,
  maxAttempts: 1,
});

describe("aws-migration-emulator bin (dist/emulator/cli.js)", function () {
  this.timeout(60_000);
  let dataDir: string;
  beforeEach(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npx tsc -p tsconfig.build.json`);
    dataDir = mkdtempSync(join(tmpdir(), "emu-bin-"));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints exactly one ready line, answers all five services, honours its flags and exits 0 on SIGTERM", async () => {
    const bin = await startBin([
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--data-dir",
      dataDir,
      "--time-scale",
      "60",
      "--seed",
      "7",
      "--home-region",
      "us-west-2",
    ]);
    let code: number | null;
    try {
      const ads = new Discovery({ ...cfg(bin.url), maxRetries: 0 });
      const s3 = new S3Client({ ...cfg(bin.url), forcePathStyle: true });
      await s3.send(new CreateBucketCommand({ Bucket: "imports" }));
      await s3.send(
        new PutObjectCommand({
          Bucket: "imports",
          Key: "servers.csv",
          Body: "ExternalId,HostName\ncmdb-1,web-1\n",
        }),
      );
      const started = await ads
        .startImportTask({
          name: "q3",
          importUrl: "s3://imports/servers.csv",
          clientRequestToken: "bin-1",
        })
        .promise();
      assert.match(started.task!.importTaskId!, /^import-task-[0-9a-f]{32}$/);
      assert.deepEqual(
        (await ads.describeImportTasks({}).promise()).tasks!.map((t) => t.importTaskId),
        [started.task!.importTaskId],
      );

      const mgn = new MgnClient(cfg(bin.url));
      await mgn.send(new InitializeServiceCommand({}));
      assert.deepEqual((await mgn.send(new ListImportsCommand({}))).items, []);
      const mgh = new MigrationHubClient(cfg(bin.url));
      assert.deepEqual(
        (await mgh.send(new ListProgressUpdateStreamsCommand({}))).ProgressUpdateStreamSummaryList,
        [],
      );
      assert.equal(
        (await new MigrationHubConfigClient(cfg(bin.url)).send(new GetHomeRegionCommand({})))
          .HomeRegion,
        "us-west-2",
      );
      assert.deepEqual(
        (await new EC2Client(cfg(bin.url)).send(new DescribeImportImageTasksCommand({})))
          .ImportImageTasks,
        [],
      );

      const stats = (await (await fetch(`${bin.url}/_emulator/stats`)).json()) as {
        timeScale: number;
        requests: Record<string, number>;
      };
      assert.equal(stats.timeScale, 60);
      assert.deepEqual(stats.requests, {
        "s3:CreateBucket": 1,
        "s3:PutObject": 1,
        "ads:StartImportTask": 1,
        "ads:DescribeImportTasks": 1,
        "mgn:InitializeService": 1,
        "mgn:ListImports": 1,
        "migrationhub:ListProgressUpdateStreams": 1,
        "migrationhub-config:GetHomeRegion": 1,
        "ec2:DescribeImportImageTasks": 1,
      });
    } finally {
      code = await bin.stop();
    }
    assert.equal(code, 0);
    assert.match(bin.stdout(), READY, "nothing but the ready line on stdout");

    // Same data dir: the object and the task are still there. Same seed, fresh dir: the same IDs.
    const again = await startBin(["--port", "0", "--data-dir", dataDir]);
    try {
      const got = await new S3Client({ ...cfg(again.url), forcePathStyle: true }).send(
        new GetObjectCommand({ Bucket: "imports", Key: "servers.csv" }),
      );
      assert.equal(await got.Body!.transformToString(), "ExternalId,HostName\ncmdb-1,web-1\n");
      const tasks = (
        await new Discovery({ ...cfg(again.url), maxRetries: 0 }).describeImportTasks({}).promise()
      ).tasks!;
      assert.deepEqual(
        tasks.map((t) => t.name),
        ["q3"],
      );
    } finally {
      await again.stop();
    }
    assert.ok(existsSync(join(dataDir, "state.json")), "state persisted under --data-dir");
  });

  it("derives the same IDs from the same --seed", async () => {
    const idWith = async (seed: string): Promise<string> => {
      const dir = mkdtempSync(join(tmpdir(), "emu-seed-"));
      const bin = await startBin([
        "--port",
        "0",
        "--data-dir",
        dir,
        "--seed",
        seed,
        "--home-region",
        "us-west-2",
      ]);
      try {
        const s3 = new S3Client({ ...cfg(bin.url), forcePathStyle: true });
        await s3.send(new CreateBucketCommand({ Bucket: "imports" }));
        await s3.send(
          new PutObjectCommand({ Bucket: "imports", Key: "a.csv", Body: "HostName\nweb-1\n" }),
        );
        const out = await new Discovery({ ...cfg(bin.url), maxRetries: 0 })
          .startImportTask({ name: "a", importUrl: "s3://imports/a.csv", clientRequestToken: "t" })
          .promise();
        return out.task!.importTaskId!;
      } finally {
        await bin.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const [a, b, c] = [await idWith("7"), await idWith("7"), await idWith("8")];
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it("reads --credentials and --roles JSON files: keys act in their accounts, STS assumes the roles", async () => {
    const credentials = join(dataDir, "credentials.json");
    const roles = join(dataDir, "roles.json");
    writeFileSync(
      credentials,
      JSON.stringify([{ accessKeyId: "test", secretAccessKey: "test", accountId: "111111111111" }]),
    );
    const role = "arn:aws:iam::222222222222:role/migration";
    writeFileSync(roles, JSON.stringify([{ roleArn: role, trustedAccounts: ["111111111111"] }]));
    const bin = await startBin(["--port", "0", "--credentials", credentials, "--roles", roles]);
    try {
      const sts = new STSClient(cfg(bin.url));
      assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, "111111111111");
      const out = await sts.send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: "bin" }));
      const c = out.Credentials!;
      const session = new STSClient({
        ...cfg(bin.url),
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        },
      });
      assert.equal((await session.send(new GetCallerIdentityCommand({}))).Account, "222222222222");
    } finally {
      await bin.stop();
    }
  });

  it("refuses a roles file with a malformed role, naming the field, with exit code 1", async () => {
    const roles = join(dataDir, "roles.json");
    writeFileSync(roles, JSON.stringify([{ roleArn: "role/migration", trustedAccounts: [] }]));
    const child = spawn(process.execPath, [CLI, "--port", "0", "--roles", roles], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.deepEqual(
      { code, err },
      {
        code: 1,
        err: 'aws-migration-emulator: roles[0].roleArn must be an IAM role ARN like "arn:aws:iam::123456789012:role/migration" (role names are 1-64 of [\\w+=,.@-])\n',
      },
    );
  });

  it("refuses a non-numeric flag with exit code 1 and the reason on stderr", async () => {
    const child = spawn(process.execPath, [CLI, "--time-scale", "fast"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    let out = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.deepEqual(
      { code, out, err },
      {
        code: 1,
        out: "",
        err: 'aws-migration-emulator: --time-scale must be a number, got "fast"\n',
      },
    );
  });
});
