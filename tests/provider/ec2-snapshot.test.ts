import { strict as assert } from "node:assert";
import {
  DescribeImportSnapshotTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Emulator } from "../../emulator";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { isImportTaskFailedError } from "../../provider/core/errors";
import type { Logger } from "../../provider/core/log";
import { createProvider } from "../../provider/ec2/importSnapshotTaskProvider";
import { clientConfig, useEmulator } from "../support/emulator";
import { rejection } from "../support/rejection";

const BUCKET = "vm-imports";
const TASK_RE = /^import-snap-[0-9a-f]{17}$/;
const SNAP_RE = /^snap-[0-9a-f]{17}$/;
const DAY_S = 24 * 60 * 60;

/** A disk image that passes the emulator's VMDK check (emulator/ec2/diskImage.ts). */
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}

interface Line {
  level: string;
  message: string;
}

async function snapshotProvider(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const lines: Line[] = [];
  const push = (level: string) => (_resource: string, message: string) =>
    void lines.push({ level, message });
  const logger: Logger = { info: push("info"), warn: push("warn"), progress: push("progress") };
  const provider = createProvider({ logger });
  const values: Record<string, string> = {
    "aws:region": "us-west-2",
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "10",
    "awsMigration:pollMaxDelayMs": "40",
    ...extra,
  };
  await provider.configure({ config: { get: (k) => values[k] } });
  return { provider, lines };
}

/** Puts `files` into the bucket, creating it first unless `bucketExists`. */
async function upload(
  emulator: Emulator,
  files: Record<string, Buffer | string>,
  bucketExists = false,
): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(emulator), forcePathStyle: true });
  if (!bucketExists) await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

function inputs(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: `import ${key}`,
    diskContainer: { format: "vmdk", userBucket: { s3Bucket: BUCKET, s3Key: key } },
    clientToken: `pam-test-${key}`,
    __provider: "serialized-shim",
    ...extra,
  };
}

const ec2 = (emulator: Emulator): EC2Client => new EC2Client(clientConfig(emulator));

async function tasks(emulator: Emulator): Promise<[string, string][]> {
  const out = await ec2(emulator).send(new DescribeImportSnapshotTasksCommand({}));
  return (out.ImportSnapshotTasks ?? []).map((t) => [
    t.ImportTaskId ?? "",
    t.SnapshotTaskDetail?.Status ?? "",
  ]);
}

async function snapshotIds(emulator: Emulator): Promise<string[]> {
  const out = await ec2(emulator).send(new DescribeSnapshotsCommand({ OwnerIds: ["self"] }));
  return (out.Snapshots ?? []).map((s) => s.SnapshotId ?? "");
}

const requests = (emulator: Emulator, op: string): number =>
  emulator.stats().requests[`ec2:${op}`] ?? 0;

describe("ec2.ImportSnapshotTask provider against the emulator", () => {
  const ctx = useEmulator({});
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  beforeEach(() => upload(ctx.emulator, { "data.vmdk": vmdk(), "bad.vmdk": "not a disk" }));

  describe("create", () => {
    it("waits until completed and returns the snapshot, its sizes and the task's state", async () => {
      const { provider, lines } = await snapshotProvider(ctx.emulator);
      const given = inputs("data.vmdk", { tags: { wave: "1" } });
      const { id, outs } = await provider.create(given);
      assert.match(id, TASK_RE);
      assert.match(String(outs["snapshotId"]), SNAP_RE);
      assert.deepEqual(outs, {
        ...given,
        importTaskId: id,
        status: "completed",
        progress: 100,
        snapshotId: outs["snapshotId"],
        diskImageSize: 2048,
        volumeSize: 1,
        snapshotState: "completed",
      });
      assert.deepEqual(await tasks(ctx.emulator), [[id, "completed"]]);
      assert.deepEqual(await snapshotIds(ctx.emulator), [outs["snapshotId"]]);
      assert.equal(requests(ctx.emulator, "ImportSnapshot"), 1);
      assert.equal(requests(ctx.emulator, "DescribeSnapshots"), 2);
      const stages = lines.filter((l) => l.level === "progress").map((l) => l.message);
      assert.match(stages[0]!, /^active pending 3% \(poll 1, /);
      assert.match(stages[stages.length - 1]!, /^completed \(poll \d+, /);
    });

    it("a bad disk ends deleted with VM Import's ClientError; after the disk is fixed the next create starts a successor", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const err = await rejection(provider.create(inputs("bad.vmdk")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, TASK_RE);
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(err.properties["importTaskId"], err.id);
      const message = "ClientError: Disk validation failed [Unsupported specified file format]";
      assert.equal(err.properties["statusMessage"], message);
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^ec2\\.ImportSnapshotTask "import bad\\.vmdk": import ${err.id} ended in (deleting|deleted) after \\d+ polls \\(active(?:×\\d+)?\\): ClientError: Disk validation failed \\[Unsupported specified file format\\]\\. The file does not match its declared format: set diskContainer\\.format`,
        ),
      );
      assert.deepEqual((await provider.diff(err.id, err.properties, inputs("bad.vmdk"))).replaces, [
        "status",
      ]);
      await upload(ctx.emulator, { "bad.vmdk": vmdk() }, true);
      const { id, outs } = await provider.create(inputs("bad.vmdk"));
      assert.notEqual(id, err.id);
      assert.equal(outs["status"], "completed");
      // The same token returned the failed task; its successor token started the new one.
      assert.equal(requests(ctx.emulator, "ImportSnapshot"), 3);
      assert.deepEqual(await tasks(ctx.emulator), [
        [err.id, "deleted"],
        [id, "completed"],
      ]);
    });

    it("update() resumes a wait left unfinished, without a second ImportSnapshot", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const first = await provider.create(inputs("data.vmdk", { waitForCompletion: false }));
      assert.equal(first.outs["status"], "active");
      assert.equal(first.outs["statusMessage"], "pending");
      const { outs } = await provider.update(first.id, first.outs, inputs("data.vmdk"));
      assert.equal(outs["status"], "completed");
      assert.match(String(outs["snapshotId"]), SNAP_RE);
      assert.equal(requests(ctx.emulator, "ImportSnapshot"), 1);
    });

    it("a create repeated after a crash (a new provider process) gets the first task: one task exists", async () => {
      const a = await snapshotProvider(ctx.emulator);
      const first = await a.provider.create(inputs("data.vmdk", { waitForCompletion: false }));
      const b = await snapshotProvider(ctx.emulator);
      const again = await b.provider.create(inputs("data.vmdk"));
      assert.equal(again.id, first.id);
      assert.deepEqual(await tasks(ctx.emulator), [[first.id, "completed"]]);
    });

    it("a presigned https disk URL works, encrypted with a key, and neither logs nor outputs show its signature", async () => {
      const { provider, lines } = await snapshotProvider(ctx.emulator);
      const url = `${ctx.emulator.url}/${BUCKET}/data.vmdk?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Expires=3600&X-Amz-Signature=5ecre7516na7ure`;
      const given = inputs("data.vmdk", {
        diskContainer: { format: "VMDK", url },
        encrypted: true,
        kmsKeyId: "alias/imports",
      });
      assert.deepEqual((await provider.check({}, given)).failures, []);
      const { outs } = await provider.create(given);
      assert.equal(outs["status"], "completed");
      assert.ok(lines.every((l) => !l.message.includes("5ecre7516na7ure")));
      const { diskContainer: _d, ...rest } = outs;
      assert.ok(!JSON.stringify(rest).includes("5ecre7516na7ure"));
      const snap = await ec2(ctx.emulator).send(
        new DescribeSnapshotsCommand({ SnapshotIds: [String(outs["snapshotId"])] }),
      );
      assert.deepEqual(
        [snap.Snapshots?.[0]?.Encrypted, snap.Snapshots?.[0]?.KmsKeyId],
        [true, "alias/imports"],
      );
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create(inputs("data.vmdk"));
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
    });

    it("after the 7-day retention reads the snapshot (the task record is gone)", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create(inputs("data.vmdk"));
      ctx.emulator.configure({ advanceSeconds: 8 * DAY_S });
      assert.deepEqual(await tasks(ctx.emulator), []);
      const before = requests(ctx.emulator, "DescribeSnapshots");
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
      assert.equal(requests(ctx.emulator, "DescribeSnapshots"), before + 1);
      assert.equal(
        ctx.emulator.stats().errors["ec2:DescribeImportSnapshotTasks:InvalidConversionTaskId"],
        1,
      );
    });

    it("after the retention with the snapshot deleted, reports the resource gone", async () => {
      const { provider, lines } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create(inputs("data.vmdk"));
      ctx.emulator.configure({ advanceSeconds: 8 * DAY_S });
      await provider.delete(id, outs);
      assert.deepEqual(await snapshotIds(ctx.emulator), []);
      assert.deepEqual(await provider.read(id, outs), {});
      assert.equal(
        lines[lines.length - 1]!.message,
        `snapshot ${String(outs["snapshotId"])} of ${id} no longer exists; dropping it from the stack`,
      );
    });
  });

  describe("adopt", () => {
    it("manages an import started elsewhere, by ID, without starting one", async () => {
      const a = await snapshotProvider(ctx.emulator);
      const started = await a.provider.create(inputs("data.vmdk", { waitForCompletion: false }));
      const { provider } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create({
        adoptImportTaskId: started.id,
        __provider: "p",
      });
      assert.equal(id, started.id);
      assert.equal(outs["status"], "completed");
      assert.equal(outs["adoptImportTaskId"], started.id);
      assert.equal(requests(ctx.emulator, "ImportSnapshot"), 1);
    });
  });

  describe("delete", () => {
    it("cancels an active import (CancelImportTask) and waits until it is deleted", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      ctx.emulator.configure({ timeScale: 1 });
      const { id, outs } = await provider.create(inputs("data.vmdk", { waitForCompletion: false }));
      ctx.emulator.configure({ timeScale: 1000 });
      await provider.delete(id, outs);
      assert.equal(requests(ctx.emulator, "CancelImportTask"), 1);
      assert.deepEqual(await tasks(ctx.emulator), [[id, "deleted"]]);
      assert.deepEqual(await snapshotIds(ctx.emulator), []);
    });

    it("by default deletes the snapshot", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create(inputs("data.vmdk"));
      await provider.delete(id, outs);
      assert.equal(requests(ctx.emulator, "DeleteSnapshot"), 1);
      assert.equal(requests(ctx.emulator, "CancelImportTask"), 0);
      assert.deepEqual(await snapshotIds(ctx.emulator), []);
    });

    it("with retainOnDelete leaves the snapshot and makes no AWS call", async () => {
      const { provider } = await snapshotProvider(ctx.emulator);
      const { id, outs } = await provider.create(inputs("data.vmdk", { retainOnDelete: true }));
      const before = ctx.emulator.stats().totalRequests;
      await provider.delete(id, outs);
      assert.equal(ctx.emulator.stats().totalRequests, before);
      assert.deepEqual(await snapshotIds(ctx.emulator), [outs["snapshotId"]]);
    });
  });

  describe("scale", () => {
    it("20 concurrent imports share batched DescribeImportSnapshotTasks calls", async function () {
      this.timeout(60_000);
      const n = 20;
      // Fixed 50 ms polls so waits that resume together stay in step (the poller batches per tick).
      const { provider, lines } = await snapshotProvider(ctx.emulator, {
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "50",
      });
      const keys = Array.from({ length: n }, (_, i) => `disk-${i}`);
      const given = (k: string) => inputs("data.vmdk", { description: k, clientToken: `tok-${k}` });
      const started = await Promise.all(
        keys.map((k) => provider.create({ ...given(k), waitForCompletion: false })),
      );
      const before = requests(ctx.emulator, "DescribeImportSnapshotTasks");
      // update() resumes every wait in the same tick, as the `pulumi up` after an interrupt would.
      const done = await Promise.all(
        started.map((s, i) => provider.update(s.id, s.outs, given(keys[i]!))),
      );
      const describes = requests(ctx.emulator, "DescribeImportSnapshotTasks") - before;
      assert.ok(done.every((d) => d.outs["status"] === "completed"));
      assert.equal(new Set(done.map((d) => d.outs["snapshotId"])).size, n);
      // Waits active per poll round, from the progress lines' "(poll k, …)".
      const rounds = new Map<number, number>();
      for (const l of lines.filter((x) => x.level === "progress")) {
        const k = Number(/poll (\d+)/.exec(l.message)![1]);
        rounds.set(k, (rounds.get(k) ?? 0) + 1);
      }
      const polls = [...rounds.values()].reduce((a, b) => a + b, 0);
      console.log(
        `      ${n} imports: ${describes} DescribeImportSnapshotTasks calls for ${polls + n} task describes over ${rounds.size} rounds (ideal ${1 + rounds.size}, ${(describes / rounds.size).toFixed(2)} calls per round); ${requests(ctx.emulator, "DescribeSnapshots")} DescribeSnapshots calls`,
      );
      // update() first describes all 20 at once (1 call), then the waits poll in rounds. Rounds
      // split when a loaded machine wakes waits on different ticks, so the bound is on what
      // batching buys (task describes per call; 1 without it), not on the number of rounds.
      assert.ok(
        (polls + n) / describes >= 4,
        `${describes} calls for ${polls + n} describes over ${rounds.size} rounds`,
      );
      assert.ok(describes <= 2 * (1 + rounds.size), `${describes} calls for ${rounds.size} rounds`);
      assert.equal(requests(ctx.emulator, "ImportSnapshot"), n);
    });
  });
});
