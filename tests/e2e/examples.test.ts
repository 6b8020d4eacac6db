/**
 * Each example under examples/ (built to dist/examples/<name>/index.js) run once through the real
 * Pulumi CLI against the emulator, as its README says: `awsMigration:endpoint` in stack config,
 * the files of examples/data/ in the emulator's S3; up, the exported outputs, destroy.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Emulator, startEmulator } from "../../emulator";
import { requirePulumi } from "../support/pulumiCli";
import { assertOk, ProgramStack, REPO_ROOT } from "../support/pulumiStack";

const REGION = "us-west-2";
const BUCKET = "migration-demo";
const KEY = { accessKeyId: "test", secretAccessKey: "test" };
const DATA = ["discovery.csv", "wave-1-inventory.csv", "web-01.raw", "dc-01.manifest.xml"];

const created = (n: number) => ({ createdCount: n, modifiedCount: 0 });

/** Per example: extra stack config and the check of its outputs (IDs vary only by shape). */
const EXAMPLES: Record<
  string,
  {
    config?: (emulator: Emulator) => Record<string, string>;
    secrets?: (emulator: Emulator) => Record<string, string>;
    check: (o: Record<string, unknown>) => void;
  }
> = {
  "ads-import": {
    check: (o) => {
      assert.match(String(o.importTaskId), /^import-task-[0-9a-f]{32}$/);
      // The errors ZIP is a secret output: `stack output --json` shows it as "[secret]".
      assert.deepEqual(o, {
        importTaskId: o.importTaskId,
        status: "IMPORT_COMPLETE_WITH_ERRORS",
        serversImported: 4,
        rowsRejected: 3,
        applicationsImported: 2,
        errorsAndFailedEntriesZip: "[secret]",
      });
    },
  },
  "mgn-import": {
    check: (o) => {
      assert.match(String(o.importId), /^import-[0-9a-z]{17}$/);
      assert.deepEqual(o, {
        importId: o.importId,
        status: "SUCCEEDED",
        summary: { waves: created(1), applications: created(1), servers: created(3) },
        importErrorCount: 0,
      });
    },
  },
  "migrationhub-tasks": {
    check: (o) =>
      assert.deepEqual(o, {
        progressUpdateStream: "example-migration-tool",
        taskIds: ["example-migration-tool/wave-1-web-01", "example-migration-tool/wave-1-db-01"],
        statuses: ["IN_PROGRESS", "IN_PROGRESS"],
        progress: [10, 10],
      }),
  },
  "ec2-import-image": {
    check: (o) => {
      assert.match(String(o.importTaskId), /^import-ami-[0-9a-f]{17}$/);
      assert.match(String(o.imageId), /^ami-[0-9a-f]{17}$/);
      const snapshots = o.snapshotIds as string[];
      assert.equal(snapshots.length, 1);
      assert.match(snapshots[0] ?? "", /^snap-[0-9a-f]{17}$/);
      assert.deepEqual(o, {
        importTaskId: o.importTaskId,
        status: "completed",
        imageId: o.imageId,
        snapshotIds: snapshots,
      });
    },
  },
  "ec2-import-snapshot": {
    check: (o) => {
      assert.match(String(o.importTaskId), /^import-snap-[0-9a-f]{17}$/);
      assert.match(String(o.snapshotId), /^snap-[0-9a-f]{17}$/);
      assert.deepEqual(o, {
        importTaskId: o.importTaskId,
        status: "completed",
        snapshotId: o.snapshotId,
        diskImageSize: 65536,
        volumeSize: 1,
      });
    },
  },
  "ec2-import-instance": {
    config: () => ({ "ec2-import-instance:diskBytes": "65536" }),
    // What `aws s3 presign` prints: the emulator reads the object whatever the signature says.
    secrets: (emulator) => ({
      "ec2-import-instance:importManifestUrl": `${emulator.url}/${BUCKET}/dc-01.manifest.xml?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261201%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20261201T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=${"0".repeat(64)}`,
    }),
    check: (o) => {
      assert.match(String(o.conversionTaskId), /^import-i-[0-9a-z]+$/);
      assert.match(String(o.instanceId), /^i-[0-9a-f]{17}$/);
      const volumes = o.volumeIds as string[];
      assert.equal(volumes.length, 1);
      assert.match(volumes[0] ?? "", /^vol-[0-9a-f]{17}$/);
      assert.deepEqual(o, {
        conversionTaskId: o.conversionTaskId,
        state: "completed",
        instanceId: o.instanceId,
        volumeIds: volumes,
      });
    },
  },
};

describe("e2e: the examples through the Pulumi CLI against the emulator", function () {
  this.timeout(300_000);

  let binDir = "";
  let emulator: Emulator | undefined;
  const stacks: ProgramStack[] = [];

  before(async function () {
    binDir = requirePulumi.call(this).binDir;
    emulator = await startEmulator({ timeScale: 1000, homeRegion: REGION, credentials: [KEY] });
  });
  after(async () => {
    for (const s of stacks) await s.dispose();
    await emulator?.stop();
  });

  async function prepare(emu: Emulator): Promise<void> {
    emu.reset();
    const client = { endpoint: emu.url, region: REGION, credentials: KEY, maxAttempts: 1 };
    const mgn = new MgnClient(client);
    await mgn.send(new InitializeServiceCommand({}));
    mgn.destroy();
    const s3 = new S3Client({ ...client, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const file of DATA) {
      const body = readFileSync(join(REPO_ROOT, "examples", "data", file));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: file, Body: body }));
    }
    s3.destroy();
  }

  for (const [name, example] of Object.entries(EXAMPLES)) {
    it(`${name}: up exports what its README promises, and destroy succeeds`, async () => {
      const emu = emulator!;
      const program = join(REPO_ROOT, "dist", "examples", name, "index.js");
      assert.ok(existsSync(program), `${program} is missing: run 'npm run build' first`);
      await prepare(emu);
      const stack = await ProgramStack.create({
        binDir,
        project: name,
        program,
        stack: "dev",
        config: {
          "aws:region": REGION,
          "awsMigration:endpoint": emu.url,
          "awsMigration:pollMinDelayMs": "50",
          "awsMigration:pollMaxDelayMs": "250",
          ...(example.config?.(emu) ?? {}),
        },
        env: { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey },
      });
      stacks.push(stack);
      for (const [key, value] of Object.entries(example.secrets?.(emu) ?? {})) {
        assertOk(
          "config set --secret",
          await stack.pulumi("config", "set", "--secret", key, value),
        );
      }
      assertOk("up", await stack.up());
      example.check(await stack.outputs());
      assertOk("destroy", await stack.pulumi("destroy", "--yes"));
      assert.deepEqual(await stack.outputs(), {});
    });
  }
});
