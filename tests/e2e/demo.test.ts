/**
 * The demo migration stack (demo/index.ts, built to dist/demo/index.js) through the real Pulumi
 * CLI against the emulator: preview/up/no-change preview, replace vs update previews, refresh of
 * out-of-band changes, a failed import recorded with its ID and replaced once fixed, an `up`
 * killed with SIGKILL mid-wait and recovered, destroy per delete policy, and a state file free of
 * credentials and presigned-URL signatures.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
} from "@aws-sdk/client-migration-hub";
import {
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { InitializeServiceCommand, ListImportsCommand, MgnClient } from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Emulator, startEmulator } from "../../emulator";
import {
  ApplicationDiscoveryServiceClient,
  BatchDeleteImportDataCommand,
  DescribeImportTasksCommand,
} from "../../provider/ads/client";
import { requirePulumi } from "../support/pulumiCli";
import {
  assertOk,
  descendants,
  type JsonStep,
  ProgramStack,
  REPO_ROOT,
  urnLabel,
} from "../support/pulumiStack";

const PROGRAM = join(REPO_ROOT, "dist", "demo", "index.js");
const REGION = "us-west-2";
const BUCKET = "migration-demo";
const STREAM = "aws-migration-demo";
/** Distinctive credentials, so a leak into the state file cannot hide among other strings. */
const CREDENTIALS = {
  accessKeyId: "AKIAE2EDEMO7EXAMPLE1",
  secretAccessKey: "e2eSecretKey/MustNotReachState+0123456789",
  sessionToken: "e2eSessionToken/MustNotReachState+abcdef==",
};
const STACK_CONFIG = {
  "aws:region": REGION,
  "awsMigration:pollMinDelayMs": "50",
  "awsMigration:pollMaxDelayMs": "250",
};
const ADS_ID = /^import-task-[0-9a-f]{32}$/;
const MGN_ID = /^import-[0-9a-z]{17}$/;
const EC2_ID = /^import-ami-[0-9a-f]{17}$/;
const NOT_A_TEMPLATE = "Foo,Bar\n1,2\n";
const DYN = "pulumi-nodejs:dynamic/";
const SERVERS = ["web-01", "web-02", "db-01"];
/** `type name` of every resource the demo declares (previews list no stack or default provider). */
const DEMO_RESOURCES = [
  `${DYN}ads:ImportTask discovery`,
  `${DYN}mgn:ImportTask inventory`,
  `${DYN}ec2:ImportImageTask web-01-image`,
  `${DYN}migrationhub:ProgressUpdateStream tracking`,
  ...SERVERS.map((s) => `${DYN}migrationhub:MigrationTask ${s}`),
].sort();

const clientConfig = (emulator: Emulator) => ({
  endpoint: emulator.url,
  region: REGION,
  credentials: CREDENTIALS,
  maxAttempts: 1,
});

/** What a migration team sets up once per account: MGN initialized (and the files, below). */
async function initializeMgn(emulator: Emulator): Promise<void> {
  const mgn = new MgnClient(clientConfig(emulator));
  await mgn.send(new InitializeServiceCommand({}));
  mgn.destroy();
}

async function upload(emulator: Emulator, files: Record<string, string | Buffer>): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(emulator), forcePathStyle: true });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    if ((err as { name?: string }).name !== "BucketAlreadyOwnedByYou") throw err;
  }
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

function demoData(): Record<string, Buffer> {
  const data = join(REPO_ROOT, "examples", "data");
  return Object.fromEntries(
    ["discovery.csv", "wave-1-inventory.csv", "web-01.raw"].map((f) => [
      f,
      readFileSync(join(data, f)),
    ]),
  );
}

async function adsTasks(emulator: Emulator): Promise<Record<string, string>> {
  const ads = new ApplicationDiscoveryServiceClient(clientConfig(emulator));
  const out = await ads.send(new DescribeImportTasksCommand({}));
  return Object.fromEntries((out.tasks ?? []).map((t) => [t.importTaskId ?? "", t.status ?? ""]));
}

async function mgnImports(emulator: Emulator): Promise<Record<string, string>> {
  const mgn = new MgnClient(clientConfig(emulator));
  const out = await mgn.send(new ListImportsCommand({}));
  mgn.destroy();
  return Object.fromEntries((out.items ?? []).map((i) => [i.importID ?? "", i.status ?? ""]));
}

/** Import-image tasks by ID → status, and the AMIs that exist. */
async function ec2State(
  emulator: Emulator,
): Promise<{ tasks: Record<string, string>; images: string[] }> {
  const ec2 = new EC2Client(clientConfig(emulator));
  const tasks = await ec2.send(new DescribeImportImageTasksCommand({}));
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ["self"] }));
  ec2.destroy();
  return {
    tasks: Object.fromEntries(
      (tasks.ImportImageTasks ?? []).map((t) => [t.ImportTaskId ?? "", t.Status ?? ""]),
    ),
    images: (images.Images ?? []).map((i) => i.ImageId ?? "").sort(),
  };
}

async function hubState(emulator: Emulator): Promise<{ streams: string[]; tasks: string[] }> {
  const hub = new MigrationHubClient(clientConfig(emulator));
  const streams = await hub.send(new ListProgressUpdateStreamsCommand({}));
  const tasks = await hub.send(new ListMigrationTasksCommand({}));
  hub.destroy();
  return {
    streams: (streams.ProgressUpdateStreamSummaryList ?? []).map(
      (s) => s.ProgressUpdateStreamName ?? "",
    ),
    tasks: (tasks.MigrationTaskSummaryList ?? [])
      .map((t) => `${t.ProgressUpdateStream}/${t.MigrationTaskName}`)
      .sort(),
  };
}

const stepLabels = (steps: JsonStep[]): string[] =>
  steps.map((s) => `${s.op} ${urnLabel(s.urn)}`).sort();

describe("e2e: the demo migration stack through the Pulumi CLI against the emulator", function () {
  this.timeout(300_000);

  let binDir = "";
  let emulator: Emulator | undefined;
  const stacks: ProgramStack[] = [];
  const emu = (): Emulator => {
    if (!emulator) throw new Error("emulator not started");
    return emulator;
  };

  before(async function () {
    binDir = requirePulumi.call(this).binDir;
    assert.ok(existsSync(PROGRAM), `${PROGRAM} is missing: run 'npm run build' first`);
    const { sessionToken: _token, ...key } = CREDENTIALS;
    emulator = await startEmulator({
      timeScale: 1000,
      homeRegion: REGION,
      credentials: [key],
    });
  });
  after(async () => {
    for (const s of stacks) await s.dispose();
    await emulator?.stop();
  });

  async function newStack(
    name: string,
    config: Record<string, string> = {},
  ): Promise<ProgramStack> {
    emu().reset();
    await initializeMgn(emu());
    await upload(emu(), demoData());
    const stack = await ProgramStack.create({
      binDir,
      project: "aws-migration-demo",
      program: PROGRAM,
      stack: name,
      config: { ...STACK_CONFIG, ...config },
      env: {
        AWS_ENDPOINT_URL: emu().url,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
        AWS_REGION: REGION,
      },
    });
    stacks.push(stack);
    return stack;
  }

  describe("lifecycle", () => {
    let stack: ProgramStack;
    let adsId = "";
    let mgnId = "";
    let ec2Id = "";
    let amiId = "";

    it("previews the wave's creates, deploys it, and then previews no changes", async () => {
      stack = await newStack("lifecycle");
      const plan = await stack.preview();
      assert.deepEqual(
        stepLabels(plan.steps),
        DEMO_RESOURCES.map((r) => `create ${r}`),
      );
      // The seven resources and the stack.
      assert.deepEqual(plan.summary, { create: 8 });

      assertOk("up", await stack.up());
      const outputs = await stack.outputs();
      adsId = (outputs.discovery as { importTaskId: string }).importTaskId;
      mgnId = (outputs.inventory as { importId: string }).importId;
      const image = outputs.image as {
        importTaskId: string;
        imageId: string;
        snapshotIds: string[];
      };
      ec2Id = image.importTaskId;
      amiId = image.imageId;
      assert.match(adsId, ADS_ID);
      assert.match(mgnId, MGN_ID);
      assert.match(ec2Id, EC2_ID);
      assert.match(amiId, /^ami-[0-9a-f]{17}$/);
      assert.equal(image.snapshotIds.length, 1);
      assert.match(image.snapshotIds[0] ?? "", /^snap-[0-9a-f]{17}$/);
      const created = (n: number) => ({ createdCount: n, modifiedCount: 0 });
      assert.deepEqual(outputs, {
        discovery: {
          importTaskId: adsId,
          status: "IMPORT_COMPLETE_WITH_ERRORS",
          serverImportSuccess: 4,
          serverImportFailure: 3,
          applicationImportSuccess: 2,
        },
        inventory: {
          importId: mgnId,
          status: "SUCCEEDED",
          summary: { waves: created(1), applications: created(1), servers: created(3) },
        },
        image: {
          importTaskId: ec2Id,
          status: "completed",
          imageId: amiId,
          snapshotIds: image.snapshotIds,
        },
        progressUpdateStream: STREAM,
        migrationTasks: SERVERS.map((s) => ({
          id: `${STREAM}/wave-1-${s}`,
          status: "NOT_STARTED",
        })),
      });
      assert.deepEqual(await adsTasks(emu()), { [adsId]: "IMPORT_COMPLETE_WITH_ERRORS" });
      assert.deepEqual(await mgnImports(emu()), { [mgnId]: "SUCCEEDED" });
      assert.deepEqual(await ec2State(emu()), { tasks: { [ec2Id]: "completed" }, images: [amiId] });

      assert.deepEqual(await stack.preview(), { steps: [], summary: { same: 8 } });
      assertOk("preview --expect-no-changes", await stack.run(["preview", "--expect-no-changes"]));
    });

    it("keeps the secret key, the session token and presigned-URL signatures out of the state file", async () => {
      const text = await stack.exportText();
      for (const secret of [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]) {
        assert.equal(text.includes(secret), false, `the state contains ${secret}`);
      }
      assert.doesNotMatch(text, /X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token/i);
      // Not vacuous: the errors ZIP URL is in state, encrypted, and it is a signed URL.
      const ads = (await stack.resources()).get("discovery");
      const zip = ads?.outputs?.errorsAndFailedEntriesZip as Record<string, unknown> | undefined;
      assert.equal(zip?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
      assert.equal(typeof zip?.ciphertext, "string");
      const shown = await stack.pulumi("stack", "export", "--show-secrets");
      assertOk("stack export --show-secrets", shown);
      assert.match(shown.stdout, /X-Amz-Signature=/);
    });

    it("previews a new importUrl as a replace and a new waitTimeoutMinutes as an update", async () => {
      await upload(emu(), { "discovery-copy.csv": demoData()["discovery.csv"]! });
      await stack.setConfig({ "aws-migration-demo:discoveryFile": "discovery-copy.csv" });
      const replace = await stack.preview();
      assert.deepEqual(stepLabels(replace.steps), [`replace ${DYN}ads:ImportTask discovery`]);
      assert.deepEqual(replace.steps[0]?.replaceReasons, ["importUrl"]);
      assert.deepEqual(replace.summary, { replace: 1, same: 7 });
      assertOk("config rm", await stack.pulumi("config", "rm", "aws-migration-demo:discoveryFile"));

      await stack.setConfig({ "aws-migration-demo:waitTimeoutMinutes": "30" });
      const update = await stack.preview();
      assert.deepEqual(stepLabels(update.steps), [
        `update ${DYN}ads:ImportTask discovery`,
        `update ${DYN}ec2:ImportImageTask web-01-image`,
        `update ${DYN}mgn:ImportTask inventory`,
      ]);
      assert.deepEqual(update.summary, { update: 3, same: 5 });
      assertOk(
        "config rm",
        await stack.pulumi("config", "rm", "aws-migration-demo:waitTimeoutMinutes"),
      );
      assert.deepEqual(await stack.preview(), { steps: [], summary: { same: 8 } });
    });

    it("destroys the wave as each delete policy promises", async () => {
      assertOk("destroy", await stack.pulumi("destroy", "--yes"));
      assert.deepEqual([...(await stack.resources()).keys()], []);
      // ADS: BatchDeleteImportData, history kept (deleteHistoryOnDelete is off).
      assert.deepEqual(await adsTasks(emu()), { [adsId]: "DELETE_COMPLETE" });
      // Migration Hub: the stream is deleted, and its tasks with it.
      assert.deepEqual(await hubState(emu()), { streams: [], tasks: [] });
      // MGN has no delete API: the import and the inventory it created are kept.
      assert.deepEqual(await mgnImports(emu()), { [mgnId]: "SUCCEEDED" });
      // EC2: the AMI is deregistered (and its snapshots deleted); the task record stays.
      assert.deepEqual(await ec2State(emu()), { tasks: { [ec2Id]: "completed" }, images: [] });
    });
  });

  describe("out-of-band changes, failures and interruptions", () => {
    it("refresh reports a task deleted and a task moved out of band", async () => {
      const stack = await newStack("refresh");
      assertOk("up", await stack.up());
      const before = await stack.resources();
      const adsId = before.get("discovery")?.id ?? "";
      assert.match(adsId, ADS_ID);

      // A migration tool moves web-01; someone deletes the discovery import (and its history).
      const hub = new MigrationHubClient(clientConfig(emu()));
      await hub.send(
        new NotifyMigrationTaskStateCommand({
          ProgressUpdateStream: STREAM,
          MigrationTaskName: "wave-1-web-01",
          Task: { Status: "COMPLETED", StatusDetail: "cut over", ProgressPercent: 100 },
          UpdateDateTime: new Date(emu().now()),
          NextUpdateSeconds: 3600,
        }),
      );
      hub.destroy();
      const ads = new ApplicationDiscoveryServiceClient(clientConfig(emu()));
      await ads.send(
        new BatchDeleteImportDataCommand({ importTaskIds: [adsId], deleteHistory: true }),
      );
      // The deletion is asynchronous; let the emulated clock finish it.
      emu().configure({ advanceSeconds: 600 });
      assert.deepEqual(await adsTasks(emu()), {});

      const refresh = await stack.pulumi("refresh", "--yes", "--skip-preview");
      assertOk("refresh", refresh);
      assert.match(refresh.stdout, /- {2}pulumi-nodejs:dynamic\/ads:ImportTask discovery deleted/);
      assert.match(
        refresh.stdout,
        /import-task-[0-9a-f]{32} no longer exists \(GONE\); dropping it/,
      );
      // The CLI shows refresh changes of inputs only; the new status is in the refreshed state.

      const after = await stack.resources();
      assert.equal(after.has("discovery"), false);
      const web01 = after.get("web-01")?.outputs ?? {};
      assert.deepEqual(
        {
          status: web01.status,
          statusDetail: web01.statusDetail,
          progressPercent: web01.progressPercent,
        },
        { status: "COMPLETED", statusDetail: "cut over", progressPercent: 100 },
      );
      assert.equal(after.get("web-02")?.outputs?.status, "NOT_STARTED");
    });

    it("records an import that ended failed with its ID, and replaces it once the file is fixed", async () => {
      const stack = await newStack("failed");
      await upload(emu(), { "discovery.csv": NOT_A_TEMPLATE });
      const failed = await stack.up();
      assert.notEqual(failed.code, 0, "up of an import that fails must fail");
      assert.match(failed.stdout + failed.stderr, /IMPORT_FAILED/);

      const recorded = (await stack.resources()).get("discovery");
      const failedId = recorded?.id ?? "";
      assert.match(failedId, ADS_ID);
      assert.equal(recorded?.outputs?.status, "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE");
      assert.equal(recorded?.initErrors?.length, 1);
      assert.match(recorded?.initErrors?.[0] ?? "", /IMPORT_FAILED/);
      // The migration tasks depend on the discovery data, so none was registered.
      assert.deepEqual((await hubState(emu())).tasks, []);

      await upload(emu(), { "discovery.csv": demoData()["discovery.csv"]! });
      const plan = await stack.preview();
      assert.deepEqual(stepLabels(plan.steps), [
        `create ${DYN}migrationhub:MigrationTask db-01`,
        `create ${DYN}migrationhub:MigrationTask web-01`,
        `create ${DYN}migrationhub:MigrationTask web-02`,
        `replace ${DYN}ads:ImportTask discovery`,
      ]);
      assertOk("up after the fix", await stack.up());
      const replaced = (await stack.resources()).get("discovery");
      const newId = replaced?.id ?? "";
      assert.match(newId, ADS_ID);
      assert.notEqual(newId, failedId);
      assert.equal(replaced?.outputs?.status, "IMPORT_COMPLETE_WITH_ERRORS");
      assert.deepEqual(replaced?.initErrors, undefined);
      // The failed task was deleted by the replaced resource's delete (history kept).
      assert.deepEqual(await adsTasks(emu()), {
        [failedId]: "DELETE_COMPLETE",
        [newId]: "IMPORT_COMPLETE_WITH_ERRORS",
      });
    });

    it("an up killed with SIGKILL mid-wait, then refresh --import-pending-creates and up, leaves one task per resource", async () => {
      const stack = await newStack("killed");
      // AWS-like speed, so the imports are still running when the CLI dies.
      emu().configure({ timeScale: 1 });
      const startOps = [
        "ads:StartImportTask",
        "mgn:StartImport",
        "ec2:ImportImage",
        "migrationhub:CreateProgressUpdateStream",
      ];
      const allStarted = (): boolean =>
        startOps.every((op) => (emu().stats().requests[op] ?? 0) > 0);
      let watching = false;
      const killed = await stack.run(["up", "--yes", "--skip-preview"], (child) => {
        const pid = child.pid;
        if (watching || pid === undefined) return;
        watching = true;
        // Once every start call reached the emulator, and 1.5 s more (the CLI has written its
        // checkpoints and only waits), the CLI and everything it started (the dynamic-provider
        // host) die, as in a cancelled CI job. (A kill during a checkpoint write can leave the
        // file backend unreadable, "failed to load checkpoint: EOF": that is not this test.)
        const timer = setInterval(() => {
          if (!allStarted()) return;
          clearInterval(timer);
          setTimeout(() => {
            for (const p of [pid, ...descendants(pid)]) {
              try {
                process.kill(p, "SIGKILL");
              } catch {
                // already gone
              }
            }
          }, 1500);
        }, 50);
      });
      emu().configure({ timeScale: 1000 });
      assert.equal(killed.code, null, `up was not killed:\n${killed.stdout}\n${killed.stderr}`);
      // One task each so far.
      const adsIds = Object.keys(await adsTasks(emu()));
      const mgnIds = Object.keys(await mgnImports(emu()));
      const ec2Ids = Object.keys((await ec2State(emu())).tasks);
      assert.deepEqual([adsIds.length, mgnIds.length, ec2Ids.length], [1, 1, 1]);

      // The file backend keeps the dead update's lock; the creates in flight are pending. Their
      // IDs are in the progress log; here the emulator's listings give them.
      assertOk("cancel", await stack.pulumi("cancel", "--yes"));
      const ids: Record<string, string> = {
        [`${DYN}ads:ImportTask discovery`]: adsIds[0]!,
        [`${DYN}mgn:ImportTask inventory`]: mgnIds[0]!,
        [`${DYN}ec2:ImportImageTask web-01-image`]: ec2Ids[0]!,
        [`${DYN}migrationhub:ProgressUpdateStream tracking`]: STREAM,
      };
      const pending = (await stack.exportState()).pending_operations ?? [];
      // The EC2 import takes minutes of emulated time, so it was surely mid-wait.
      assert.ok(
        pending.some((p) => urnLabel(p.resource.urn) === `${DYN}ec2:ImportImageTask web-01-image`),
        "the EC2 import is not pending",
      );
      const importArgs = pending.flatMap((p) => {
        assert.equal(p.type, "creating");
        const id = ids[urnLabel(p.resource.urn)];
        assert.ok(id, `no ID for pending ${p.resource.urn}`);
        return ["--import-pending-creates", p.resource.urn, "--import-pending-creates", id];
      });
      await stack.restartServer();
      assertOk(
        "refresh --import-pending-creates",
        await stack.pulumi("refresh", "--yes", "--skip-preview", ...importArgs),
      );
      // The CLI (3.276.0, as 3.259.0 before it) drops the pending creates marked for import
      // instead of reading them, so this up creates them again; the derived idempotency tokens
      // make each start call return the task the killed run started, and the stream, when it
      // was pending too, is found by name and adopted.
      assertOk("up after the kill", await stack.up());

      const state = await stack.exportState();
      assert.deepEqual(state.pending_operations ?? [], []);
      const resources = await stack.resources();
      assert.equal(resources.get("discovery")?.id, adsIds[0]);
      assert.equal(resources.get("inventory")?.id, mgnIds[0]);
      assert.equal(resources.get("web-01-image")?.id, ec2Ids[0]);
      assert.deepEqual(await adsTasks(emu()), { [adsIds[0]!]: "IMPORT_COMPLETE_WITH_ERRORS" });
      assert.deepEqual(await mgnImports(emu()), { [mgnIds[0]!]: "SUCCEEDED" });
      const ec2 = await ec2State(emu());
      assert.deepEqual(ec2.tasks, { [ec2Ids[0]!]: "completed" });
      assert.equal(ec2.images.length, 1);
      assert.deepEqual(await hubState(emu()), {
        streams: [STREAM],
        tasks: SERVERS.map((s) => `${STREAM}/wave-1-${s}`).sort(),
      });
      assert.equal(emu().stats().requests["migrationhub:CreateProgressUpdateStream"], 1);
    });

    it("an up killed with SIGKILL as its provider host starts, before any start call, then cancel, refresh --clear-pending-creates and up, leaves one task per resource", async () => {
      const stack = await newStack("killed-early");
      emu().configure({ timeScale: 1 });
      const startOps = [
        "ads:StartImportTask",
        "mgn:StartImport",
        "ec2:ImportImage",
        "migrationhub:CreateProgressUpdateStream",
        "migrationhub:ImportMigrationTask",
      ];
      const started = (): number =>
        startOps.reduce((n, op) => n + (emu().stats().requests[op] ?? 0), 0);
      const isHost = (p: number): boolean => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, "utf8").includes("dynamic-provider");
        } catch {
          return false;
        }
      };
      let startsAtKill = -1;
      let watching = false;
      const killed = await stack.run(["up", "--yes", "--skip-preview"], (child) => {
        const pid = child.pid;
        if (watching || pid === undefined) return;
        watching = true;
        // The first moment the dynamic-provider host runs: the engine is registering resources
        // and no create has reached AWS yet (a pipeline cancelled early in its apply step).
        const timer = setInterval(() => {
          const family = [pid, ...descendants(pid)];
          if (!family.some(isHost)) return;
          clearInterval(timer);
          startsAtKill = started();
          for (const p of family) {
            try {
              process.kill(p, "SIGKILL");
            } catch {
              // already gone
            }
          }
        }, 20);
      });
      emu().configure({ timeScale: 1000 });
      assert.equal(killed.code, null, `up was not killed:\n${killed.stdout}\n${killed.stderr}`);
      // The kill landed before the first start call (the window this test is about).
      assert.equal(startsAtKill, 0);
      assert.equal(started(), 0);

      // Recovery without IDs to import: nothing was started, so the pending creates are cleared
      // and the next up creates every resource once.
      assertOk("cancel", await stack.pulumi("cancel", "--yes"));
      await stack.restartServer();
      assertOk(
        "refresh --clear-pending-creates",
        await stack.pulumi("refresh", "--yes", "--skip-preview", "--clear-pending-creates"),
      );
      assertOk("up after the kill", await stack.up());
      assert.deepEqual((await stack.exportState()).pending_operations ?? [], []);
      assert.deepEqual(Object.values(await adsTasks(emu())), ["IMPORT_COMPLETE_WITH_ERRORS"]);
      assert.deepEqual(Object.values(await mgnImports(emu())), ["SUCCEEDED"]);
      assert.deepEqual(Object.values((await ec2State(emu())).tasks), ["completed"]);
      assert.deepEqual(await hubState(emu()), {
        streams: [STREAM],
        tasks: SERVERS.map((s) => `${STREAM}/wave-1-${s}`).sort(),
      });
      for (const op of startOps.slice(0, 4)) assert.equal(emu().stats().requests[op], 1, op);
    });
  });
});
