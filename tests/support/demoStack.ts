/**
 * A stack of the demo program (demo/index.ts, built to dist/demo/index.js) against the emulator,
 * with the account set up as a migration team would (MGN initialized, the demo's files uploaded),
 * fast polls, and `--event-log` allowed (the CLI lists it among its debugging commands).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Emulator, startEmulator } from "../../emulator";
import { requirePulumi } from "./pulumiCli";
import { ProgramStack, REPO_ROOT } from "./pulumiStack";

export const DEMO_PROGRAM = join(REPO_ROOT, "dist", "demo", "index.js");
export const DEMO_REGION = "us-west-2";
const BUCKET = "migration-demo";

export async function demoStack(opts: {
  binDir: string;
  emulator: Emulator;
  credentials: { accessKeyId: string; secretAccessKey: string };
  stack: string;
}): Promise<ProgramStack> {
  const { emulator, credentials } = opts;
  const config = { endpoint: emulator.url, region: DEMO_REGION, credentials, maxAttempts: 1 };
  const mgn = new MgnClient(config);
  await mgn.send(new InitializeServiceCommand({}));
  mgn.destroy();
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const f of ["discovery.csv", "wave-1-inventory.csv", "web-01.raw"]) {
    const body = readFileSync(join(REPO_ROOT, "examples", "data", f));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: f, Body: body }));
  }
  s3.destroy();
  return ProgramStack.create({
    binDir: opts.binDir,
    project: "aws-migration-demo",
    program: DEMO_PROGRAM,
    stack: opts.stack,
    config: {
      "aws:region": DEMO_REGION,
      "awsMigration:pollMinDelayMs": "50",
      "awsMigration:pollMaxDelayMs": "250",
    },
    env: {
      PULUMI_DEBUG_COMMANDS: "true",
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: DEMO_REGION,
    },
  });
}

/** What a demo-stack e2e suite shares: the CLI, its emulator and the stack its test made. */
export interface DemoWorld {
  binDir: string;
  emulator?: Emulator;
  stack?: ProgramStack;
}

/**
 * Registers the suite's set-up: the Pulumi CLI (required), the built demo program, an emulator at
 * 1000× that knows `credentials`; after the suite, the stack is disposed and the emulator stopped.
 */
export function useDemoWorld(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
}): DemoWorld {
  const world: DemoWorld = { binDir: "" };
  before(async function () {
    world.binDir = requirePulumi.call(this).binDir;
    assert.ok(existsSync(DEMO_PROGRAM), `${DEMO_PROGRAM} is missing: run 'npm run build' first`);
    world.emulator = await startEmulator({
      timeScale: 1000,
      homeRegion: DEMO_REGION,
      credentials: [credentials],
    });
  });
  after(async () => {
    await world.stack?.dispose();
    await world.emulator?.stop();
  });
  return world;
}
