import { strict as assert } from "node:assert";
import {
  DescribeImagesCommand,
  DescribeImportImageTasksCommand,
  DeleteSnapshotCommand,
  DescribeConversionTasksCommand,
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type Emulator } from "../../emulator";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { isImportTaskFailedError } from "../../provider/core/errors";
import type { Logger } from "../../provider/core/log";
import { createProvider as createImageProvider } from "../../provider/ec2/importImageTaskProvider";
import { createProvider as createInstanceProvider } from "../../provider/ec2/importInstanceTaskProvider";
import { useEmulator } from "../support/emulator";
import { rejection } from "../support/rejection";

const REGION = "us-west-2";
const BUCKET = "vm-imports";
const TASK_RE = /^import-ami-[0-9a-f]{17}$/;
const AMI_RE = /^ami-[0-9a-f]{17}$/;
const SNAP_RE = /^snap-[0-9a-f]{17}$/;
const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const DAY_S = 24 * 60 * 60;

/** Disk images that pass the emulator's format rules (emulator/ec2/diskImage.ts). */
function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}
function raw(): Buffer {
  const b = Buffer.alloc(2048);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

interface Line {
  level: string;
  resource: string;
  message: string;
}

function recorder(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const push =
    (level: string) =>
    (resource: string, message: string): void => {
      lines.push({ level, resource, message });
    };
  return { lines, logger: { info: push("info"), warn: push("warn"), progress: push("progress") } };
}

function settings(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "aws:region": REGION,
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "10",
    "awsMigration:pollMaxDelayMs": "40",
    ...extra,
  };
}

async function instanceProvider(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const { logger, lines } = recorder();
  const provider = createInstanceProvider({ logger });
  const values = settings(emulator, extra);
  await provider.configure({ config: { get: (k) => values[k] } });
  return { provider, lines };
}

async function imageProvider(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const { logger, lines } = recorder();
  const provider = createImageProvider({ logger });
  const values = settings(emulator, extra);
  await provider.configure({ config: { get: (k) => values[k] } });
  return { provider, lines };
}

const clientSettings = (emulator: Emulator) => ({
  endpoint: emulator.url,
  region: REGION,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
});

function ec2(emulator: Emulator): EC2Client {
  return new EC2Client(clientSettings(emulator));
}

function s3(emulator: Emulator): S3Client {
  return new S3Client({ ...clientSettings(emulator), forcePathStyle: true });
}

async function upload(emulator: Emulator, files: Record<string, Buffer | string>): Promise<void> {
  const client = s3(emulator);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  client.destroy();
}

function imageInputs(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    description: `import ${key}`,
    diskContainers: [{ format: "vmdk", userBucket: { s3Bucket: BUCKET, s3Key: key } }],
    platform: "Linux",
    clientToken: `pam-test-${key}`,
    __provider: "serialized-shim",
    ...extra,
  };
}

async function allImageTasks(emulator: Emulator): Promise<{ id: string; status: string }[]> {
  const out = await ec2(emulator).send(new DescribeImportImageTasksCommand({}));
  return (out.ImportImageTasks ?? []).map((t) => ({
    id: t.ImportTaskId ?? "",
    status: t.Status ?? "",
  }));
}

async function imageIds(emulator: Emulator): Promise<string[]> {
  const out = await ec2(emulator).send(new DescribeImagesCommand({ Owners: ["self"] }));
  return (out.Images ?? []).map((i) => i.ImageId ?? "");
}

/**
 * Whether each snapshot exists. The emulator has no DescribeSnapshots, so this tries DeleteSnapshot
 * (destructive: call it last): success means it existed, InvalidSnapshot.NotFound that it did not.
 */
async function snapshotsExist(emulator: Emulator, ids: readonly string[]): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const id of ids) {
    try {
      await ec2(emulator).send(new DeleteSnapshotCommand({ SnapshotId: id }));
      out.push(true);
    } catch (e) {
      assert.equal((e as Error).name, "InvalidSnapshot.NotFound");
      out.push(false);
    }
  }
  return out;
}

/** Waits active per poll round (from the progress lines' "(poll k, …)") and the total polls. */
function pollRounds(lines: readonly Line[]): { active: Map<number, number>; polls: number } {
  const active = new Map<number, number>();
  for (const l of lines.filter((x) => x.level === "progress")) {
    const k = Number(/poll (\d+)/.exec(l.message)![1]);
    active.set(k, (active.get(k) ?? 0) + 1);
  }
  return { active, polls: [...active.values()].reduce((a, b) => a + b, 0) };
}

const requests = (emulator: Emulator, op: string): number =>
  emulator.stats().requests[`ec2:${op}`] ?? 0;

describe("ec2.ImportImageTask provider against the emulator", () => {
  const ctx = useEmulator({});
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  beforeEach(() =>
    upload(ctx.emulator, { "web.vmdk": vmdk(), "data.raw": raw(), "bad.vmdk": "not a disk" }),
  );

  describe("create", () => {
    it("waits until completed and returns the AMI, its snapshots and the task's details", async () => {
      const { provider, lines } = await imageProvider(ctx.emulator);
      const inputs = imageInputs("web.vmdk", {
        diskContainers: [
          { format: "vmdk", userBucket: { s3Bucket: BUCKET, s3Key: "web.vmdk" } },
          { format: "RAW", url: `s3://${BUCKET}/data.raw`, description: "data" },
        ],
      });
      const { id, outs } = await provider.create(inputs);
      assert.match(id, TASK_RE);
      const imageId = outs["imageId"] as string;
      const snaps = outs["snapshotIds"] as string[];
      assert.match(imageId, AMI_RE);
      assert.equal(snaps.length, 2);
      for (const s of snaps) assert.match(s, SNAP_RE);
      assert.match(outs["imageCreationDate"] as string, ISO_RE);
      assert.deepEqual(outs, {
        ...inputs,
        importTaskId: id,
        status: "completed",
        progress: 100,
        imageId,
        snapshotIds: snaps,
        snapshotDetails: [
          {
            deviceName: "/dev/sda1",
            diskImageSize: 2048,
            format: "VMDK",
            snapshotId: snaps[0],
            status: "completed",
          },
          {
            description: "data",
            deviceName: "/dev/sdb",
            diskImageSize: 2048,
            format: "RAW",
            snapshotId: snaps[1],
            status: "completed",
          },
        ],
        imageState: "available",
        imageCreationDate: outs["imageCreationDate"],
        taskDetails: { platform: "Linux", licenseType: "BYOL", description: "import web.vmdk" },
      });
      assert.deepEqual(await imageIds(ctx.emulator), [imageId]);
      const stages = lines
        .filter((l) => l.level === "progress")
        .map((l) => l.message.split(" (")[0]);
      assert.equal(stages[stages.length - 1], "completed");
      assert.ok(stages.includes("active validating 5%"), stages.join(" | "));
    });

    it("a bad disk ends deleted with VM Import's ClientError: ImportTaskFailedError carries the ID, properties with __provider, and the reason", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const err = await rejection(provider.create(imageInputs("bad.vmdk")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, TASK_RE);
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(err.properties["importTaskId"], err.id);
      // deleting (the failure being rolled back) already ends the wait; at 1000x it may be deleted.
      assert.ok(["deleting", "deleted"].includes(err.properties["status"] as string));
      const message = "ClientError: Disk validation failed [Unsupported specified file format]";
      assert.equal(err.properties["statusMessage"], message);
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^ec2\\.ImportImageTask "import bad\\.vmdk": import ${err.id} ended in (deleting|deleted) after \\d+ polls \\(active(?:×\\d+)?\\): ClientError: Disk validation failed \\[Unsupported specified file format\\]\\. The file does not match its declared format`,
        ),
      );
      // The next run replaces it: the same token returns the failed task, so create steps to a successor.
      assert.deepEqual(
        (await provider.diff(err.id, err.properties, imageInputs("bad.vmdk"))).replaces,
        ["status"],
      );
    });

    it("a timeout is recorded with the ID, and update() resumes the wait to completion without a second start", async () => {
      // A 0.3 s limit (stack config accepts fractions) against a near-stopped emulated clock.
      const { provider } = await imageProvider(ctx.emulator, {
        "awsMigration:waitTimeoutMinutes": "0.005",
      });
      ctx.emulator.configure({ timeScale: 0.001 });
      const err = await rejection(provider.create(imageInputs("web.vmdk")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, TASK_RE);
      assert.equal(err.properties["status"], "active");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^ec2\\.ImportImageTask "import web\\.vmdk": import ${err.id} is still active after \\d+(?:\\.\\d)?m?s \\(limit 300ms; observed active×\\d+\\)\\. The task keeps running in AWS`,
        ),
      );
      ctx.emulator.configure({ timeScale: 1000 });
      const next = await imageProvider(ctx.emulator);
      const { outs } = await next.provider.update(err.id, err.properties, imageInputs("web.vmdk"));
      assert.equal(outs["status"], "completed");
      assert.equal(requests(ctx.emulator, "ImportImage"), 1);
    });

    it("update() resumes a wait left unfinished, without a second ImportImage", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const first = await provider.create(imageInputs("web.vmdk", { waitForCompletion: false }));
      assert.equal(first.outs["status"], "active");
      const { outs } = await provider.update(first.id, first.outs, imageInputs("web.vmdk"));
      assert.equal(outs["status"], "completed");
      assert.match(outs["imageId"] as string, AMI_RE);
      assert.equal(requests(ctx.emulator, "ImportImage"), 1);
    });

    it("a create repeated after a crash (a new provider process) gets the first task: one task exists", async () => {
      const a = await imageProvider(ctx.emulator);
      const first = await a.provider.create(imageInputs("web.vmdk", { waitForCompletion: false }));
      const b = await imageProvider(ctx.emulator);
      const again = await b.provider.create(imageInputs("web.vmdk"));
      assert.equal(again.id, first.id);
      assert.equal(requests(ctx.emulator, "ImportImage"), 2);
      assert.deepEqual(await allImageTasks(ctx.emulator), [{ id: first.id, status: "completed" }]);
    });

    it("a presigned https disk URL works, and neither logs nor errors show its signature", async () => {
      const { provider, lines } = await imageProvider(ctx.emulator);
      const url = `${ctx.emulator.url}/${BUCKET}/web.vmdk?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Expires=3600&X-Amz-Signature=5ecre7516na7ure`;
      const inputs = imageInputs("web.vmdk", { diskContainers: [{ format: "VMDK", url }] });
      assert.deepEqual((await provider.check({}, inputs)).failures, []);
      const { outs } = await provider.create(inputs);
      assert.equal(outs["status"], "completed");
      assert.ok(lines.every((l) => !l.message.includes("5ecre7516na7ure")));
      assert.ok(!JSON.stringify(outs["snapshotDetails"]).includes("5ecre7516na7ure"));
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(imageInputs("web.vmdk"));
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
    });

    it("after the 7-day retention, reads the AMI (the task record is gone)", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(imageInputs("web.vmdk"));
      ctx.emulator.configure({ advanceSeconds: 8 * DAY_S });
      assert.deepEqual(await allImageTasks(ctx.emulator), []);
      const before = requests(ctx.emulator, "DescribeImages");
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
      assert.equal(requests(ctx.emulator, "DescribeImages"), before + 1);
      assert.equal(
        ctx.emulator.stats().errors["ec2:DescribeImportImageTasks:InvalidConversionTaskId"],
        1,
      );
    });

    it("after the retention with the AMI deregistered, reports the resource gone", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(imageInputs("web.vmdk"));
      ctx.emulator.configure({ advanceSeconds: 8 * DAY_S });
      await provider.delete(id, outs);
      assert.deepEqual(await provider.read(id, outs), {});
    });
  });

  describe("adopt", () => {
    it("manages an import started elsewhere, by ID, without starting one", async () => {
      const a = await imageProvider(ctx.emulator);
      const started = await a.provider.create(
        imageInputs("web.vmdk", { waitForCompletion: false }),
      );
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create({
        adoptImportTaskId: started.id,
        __provider: "p",
      });
      assert.equal(id, started.id);
      assert.equal(outs["status"], "completed");
      assert.equal(outs["adoptImportTaskId"], started.id);
      assert.equal(requests(ctx.emulator, "ImportImage"), 1);
    });
  });

  describe("delete", () => {
    it("cancels an active import (CancelImportTask) and waits until it is deleted", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      ctx.emulator.configure({ timeScale: 1 });
      const { id, outs } = await provider.create(
        imageInputs("web.vmdk", { waitForCompletion: false }),
      );
      ctx.emulator.configure({ timeScale: 1000 });
      await provider.delete(id, outs);
      assert.equal(requests(ctx.emulator, "CancelImportTask"), 1);
      assert.deepEqual(await allImageTasks(ctx.emulator), [{ id, status: "deleted" }]);
      assert.deepEqual(await imageIds(ctx.emulator), []);
    });

    it("by default deregisters the AMI and deletes its snapshots", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(imageInputs("web.vmdk"));
      await provider.delete(id, outs);
      assert.equal(requests(ctx.emulator, "DeregisterImage"), 1);
      assert.equal(requests(ctx.emulator, "DeleteSnapshot"), 1);
      assert.deepEqual(await imageIds(ctx.emulator), []);
      assert.deepEqual(await snapshotsExist(ctx.emulator, outs["snapshotIds"] as string[]), [
        false,
      ]);
    });

    it("with retainSnapshotsOnDelete deregisters the AMI but keeps its snapshots", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(
        imageInputs("web.vmdk", { retainSnapshotsOnDelete: true }),
      );
      await provider.delete(id, outs);
      assert.deepEqual(await imageIds(ctx.emulator), []);
      assert.deepEqual(await snapshotsExist(ctx.emulator, outs["snapshotIds"] as string[]), [true]);
    });

    it("with retainOnDelete leaves everything and makes no AWS call", async () => {
      const { provider } = await imageProvider(ctx.emulator);
      const { id, outs } = await provider.create(imageInputs("web.vmdk", { retainOnDelete: true }));
      const before = ctx.emulator.stats().totalRequests;
      await provider.delete(id, outs);
      assert.equal(ctx.emulator.stats().totalRequests, before);
      assert.deepEqual(await imageIds(ctx.emulator), [outs["imageId"]]);
    });
  });

  describe("scale", () => {
    it("100 concurrent imports share batched DescribeImportImageTasks calls", async function () {
      this.timeout(60_000);
      const n = 100;
      // Fixed 50 ms polls so waits that resume together stay in step (the poller batches per tick).
      const { provider, lines } = await imageProvider(ctx.emulator, {
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "50",
      });
      const keys = Array.from({ length: n }, (_, i) => `vm-${i}`);
      const started = await Promise.all(
        keys.map((k) =>
          provider.create(
            imageInputs("web.vmdk", {
              description: k,
              clientToken: `tok-${k}`,
              waitForCompletion: false,
            }),
          ),
        ),
      );
      const before = requests(ctx.emulator, "DescribeImportImageTasks");
      // update() resumes every wait in the same tick, as the `pulumi up` after an interrupt would.
      const done = await Promise.all(
        started.map((s, i) =>
          provider.update(
            s.id,
            s.outs,
            imageInputs("web.vmdk", { description: keys[i], clientToken: `tok-${keys[i]}` }),
          ),
        ),
      );
      const describes = requests(ctx.emulator, "DescribeImportImageTasks") - before;
      assert.ok(done.every((d) => d.outs["status"] === "completed"));
      const { active, polls } = pollRounds(lines);
      // update() first describes all 100 at once (1 call), then the waits poll in rounds.
      const ideal = 1 + active.size;
      console.log(
        `      ${n} imports: ${describes} DescribeImportImageTasks calls for ${polls + n} task describes over ${active.size} rounds (ideal ${ideal}, ${(describes / active.size).toFixed(2)} calls per round); ${requests(ctx.emulator, "DescribeImages")} DescribeImages calls`,
      );
      // Rounds split when a loaded machine wakes waits on different ticks, so the bound is on what
      // batching buys (task describes per call; 1 without it), not on the number of rounds.
      assert.ok(
        (polls + n) / describes >= 4,
        `${describes} calls for ${polls + n} describes; ideal ${ideal}`,
      );
      assert.ok(describes < (polls + n) / 10);
      assert.equal(requests(ctx.emulator, "ImportImage"), n);
    });
  });
});

const MANIFEST = '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>';
const CONVERSION_RE = /^import-i-[0-9a-f]{8}$/;
const INSTANCE_RE = /^i-[0-9a-f]{17}$/;
const VOLUME_RE = /^vol-[0-9a-f]{17}$/;

describe("ec2.ImportInstanceTask provider against the emulator", () => {
  const ctx = useEmulator({});
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  beforeEach(() =>
    upload(ctx.emulator, { "dc01.manifest.xml": MANIFEST, "bad.manifest.xml": "not xml" }),
  );

  const manifestUrl = (key: string): string =>
    `${ctx.emulator.url}/${BUCKET}/${key}?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1294855591&Signature=5snej01TlTtL0uR7KExtEXAMPLE%3D`;
  const instanceInputs = (
    key: string,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    description: `dc01 ${key}`,
    platform: "Windows",
    diskImages: [
      {
        image: { format: "VMDK", bytes: 1179593728, importManifestUrl: manifestUrl(key) },
        volume: { size: 12 },
      },
    ],
    launchSpecification: { instanceType: "m5.large", architecture: "x86_64" },
    marker: `pam-test-${key.replace(/[^a-z0-9]/g, "")}`,
    __provider: "serialized-shim",
    ...extra,
  });
  const conversions = async (): Promise<{ id: string; state: string }[]> => {
    const out = await ec2(ctx.emulator).send(new DescribeConversionTasksCommand({}));
    return (out.ConversionTasks ?? []).map((t) => ({
      id: t.ConversionTaskId ?? "",
      state: t.State ?? "",
    }));
  };
  const instanceState = async (id: string): Promise<string | undefined> => {
    try {
      const out = await ec2(ctx.emulator).send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    } catch (e) {
      assert.equal((e as Error).name, "InvalidInstanceID.NotFound");
      return undefined;
    }
  };
  const volumeState = async (id: string): Promise<string | undefined> => {
    try {
      const out = await ec2(ctx.emulator).send(new DescribeVolumesCommand({ VolumeIds: [id] }));
      return out.Volumes?.[0]?.State;
    } catch (e) {
      assert.equal((e as Error).name, "InvalidVolume.NotFound");
      return undefined;
    }
  };

  it("check warns that the API is legacy and passes the AWS example", async () => {
    const { provider, lines } = await instanceProvider(ctx.emulator);
    const inputs = instanceInputs("dc01.manifest.xml");
    assert.deepEqual(await provider.check({}, inputs), { inputs, failures: [] });
    assert.equal(lines[0]!.level, "warn");
    assert.match(
      lines[0]!.message,
      /^ImportInstance is legacy .* use ec2\.ImportImageTask for new imports\.$/,
    );
  });

  it("create waits until completed and returns the instance, its volume and the task's details", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const inputs = instanceInputs("dc01.manifest.xml");
    const { id, outs } = await provider.create(inputs);
    assert.match(id, CONVERSION_RE);
    const instanceId = outs["instanceId"] as string;
    const volumeId = (outs["volumeIds"] as string[])[0]!;
    assert.match(instanceId, INSTANCE_RE);
    assert.match(volumeId, VOLUME_RE);
    assert.match(outs["expirationTime"] as string, ISO_RE);
    assert.deepEqual(outs, {
      ...inputs,
      conversionTaskId: id,
      state: "completed",
      progress: 100,
      instanceId,
      volumeIds: [volumeId],
      volumes: [
        {
          volumeId,
          volumeSize: 12,
          availabilityZone: "us-west-2a",
          bytesConverted: 1179593728,
          imageSize: 1179593728,
          format: "VMDK",
          status: "completed",
        },
      ],
      expirationTime: outs["expirationTime"],
      instanceState: "stopped",
      taskDetails: {
        description: "dc01 dc01.manifest.xml [pam-test-dc01manifestxml]",
        platform: "Windows",
      },
    });
    assert.ok(!JSON.stringify(outs["volumes"]).includes("5snej01"));
  });

  it("a manifest EC2 cannot use ends cancelled: ImportTaskFailedError carries the ID, properties with __provider, and the reason", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const err = await rejection(provider.create(instanceInputs("bad.manifest.xml")));
    assert.ok(isImportTaskFailedError(err));
    assert.match(err.id, CONVERSION_RE);
    assert.equal(err.properties["__provider"], "serialized-shim");
    assert.equal(err.properties["state"], "cancelled");
    assert.equal(
      err.properties["statusMessage"],
      "ClientError: Import manifest validation failed [Invalid manifest file]",
    );
    assert.match(
      err.reasons[0]!,
      new RegExp(
        `^ec2\\.ImportInstanceTask "dc01 bad\\.manifest\\.xml": conversion ${err.id} ended in cancelled after \\d+ polls \\(active(?:×\\d+)?\\): ClientError: Import manifest validation failed \\[Invalid manifest file\\]\\. The import manifest is not valid`,
      ),
    );
    // The replacement the next run makes steps past the cancelled task to a new one.
    const again = await rejection(provider.create(instanceInputs("bad.manifest.xml")));
    assert.ok(isImportTaskFailedError(again));
    assert.notEqual(again.id, err.id);
    assert.equal(requests(ctx.emulator, "ImportInstance"), 2);
  });

  it("a create repeated after a crash finds the conversion by its marker: no second ImportInstance", async () => {
    const a = await instanceProvider(ctx.emulator);
    const first = await a.provider.create(
      instanceInputs("dc01.manifest.xml", { waitForCompletion: false }),
    );
    assert.equal(first.outs["state"], "active");
    const b = await instanceProvider(ctx.emulator);
    const again = await b.provider.create(instanceInputs("dc01.manifest.xml"));
    assert.equal(again.id, first.id);
    assert.equal(again.outs["state"], "completed");
    assert.equal(requests(ctx.emulator, "ImportInstance"), 1);
    assert.deepEqual(await conversions(), [{ id: first.id, state: "completed" }]);
  });

  it("update() resumes a wait left unfinished", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const first = await provider.create(
      instanceInputs("dc01.manifest.xml", { waitForCompletion: false }),
    );
    const { outs } = await provider.update(
      first.id,
      first.outs,
      instanceInputs("dc01.manifest.xml"),
    );
    assert.equal(outs["state"], "completed");
    assert.equal(outs["instanceState"], "stopped");
    assert.equal(requests(ctx.emulator, "ImportInstance"), 1);
  });

  it("read after the 7-day retention reads the instance; once it is terminated, reports the resource gone", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const { id, outs } = await provider.create(instanceInputs("dc01.manifest.xml"));
    ctx.emulator.configure({ advanceSeconds: 8 * DAY_S });
    assert.deepEqual(await conversions(), []);
    assert.deepEqual(await provider.read(id, outs), { id, props: outs });
    await provider.delete(id, { ...outs, retainVolumesOnDelete: true });
    assert.deepEqual(await provider.read(id, outs), {});
  });

  it("adopts a conversion by ID without starting one", async () => {
    const a = await instanceProvider(ctx.emulator);
    const started = await a.provider.create(
      instanceInputs("dc01.manifest.xml", { waitForCompletion: false }),
    );
    const { provider } = await instanceProvider(ctx.emulator);
    const { id, outs } = await provider.create({
      adoptConversionTaskId: started.id,
      __provider: "p",
    });
    assert.equal(id, started.id);
    assert.equal(outs["state"], "completed");
    assert.equal(requests(ctx.emulator, "ImportInstance"), 1);
  });

  it("delete cancels an active conversion (CancelConversionTask) and waits until it is cancelled", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    ctx.emulator.configure({ timeScale: 1 });
    const { id, outs } = await provider.create(
      instanceInputs("dc01.manifest.xml", { waitForCompletion: false }),
    );
    ctx.emulator.configure({ timeScale: 1000 });
    await provider.delete(id, outs);
    assert.equal(requests(ctx.emulator, "CancelConversionTask"), 1);
    assert.deepEqual(await conversions(), [{ id, state: "cancelled" }]);
    assert.equal(await instanceState(outs["instanceId"] as string), undefined);
  });

  it("delete by default terminates the instance, waits for it, then deletes its volume", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const { id, outs } = await provider.create(instanceInputs("dc01.manifest.xml"));
    await provider.delete(id, outs);
    assert.equal(requests(ctx.emulator, "TerminateInstances"), 1);
    assert.equal(requests(ctx.emulator, "DeleteVolume"), 1);
    assert.equal(await instanceState(outs["instanceId"] as string), "terminated");
    assert.equal(await volumeState((outs["volumeIds"] as string[])[0]!), undefined);
  });

  it("delete with retainInstanceOnDelete keeps the instance and its volume; retainOnDelete makes no call", async () => {
    const { provider } = await instanceProvider(ctx.emulator);
    const { id, outs } = await provider.create(instanceInputs("dc01.manifest.xml"));
    const before = ctx.emulator.stats().totalRequests;
    await provider.delete(id, { ...outs, retainOnDelete: true });
    assert.equal(ctx.emulator.stats().totalRequests, before);
    await provider.delete(id, { ...outs, retainInstanceOnDelete: true });
    assert.equal(await instanceState(outs["instanceId"] as string), "stopped");
    assert.equal(await volumeState((outs["volumeIds"] as string[])[0]!), "in-use");
  });

  it("100 concurrent conversions share batched DescribeConversionTasks calls and marker listings", async function () {
    this.timeout(60_000);
    const n = 100;
    const { provider, lines } = await instanceProvider(ctx.emulator, {
      "awsMigration:pollMinDelayMs": "50",
      "awsMigration:pollMaxDelayMs": "50",
    });
    const keys = Array.from({ length: n }, (_, i) => `vm${i}`);
    const inputsOf = (k: string): Record<string, unknown> =>
      instanceInputs("dc01.manifest.xml", { description: k, marker: `pam-test-${k}` });
    const started = await Promise.all(
      keys.map((k) => provider.create({ ...inputsOf(k), waitForCompletion: false })),
    );
    const listings = requests(ctx.emulator, "DescribeConversionTasks");
    const done = await Promise.all(
      started.map((s, i) => provider.update(s.id, s.outs, inputsOf(keys[i]!))),
    );
    const describes = requests(ctx.emulator, "DescribeConversionTasks") - listings;
    assert.ok(done.every((d) => d.outs["state"] === "completed"));
    const { active, polls } = pollRounds(lines);
    const ideal = 1 + active.size;
    console.log(
      `      ${n} conversions: ${listings} marker listings for ${n} starts; ${describes} DescribeConversionTasks calls for ${polls + n} task describes over ${active.size} rounds (ideal ${ideal}, ${(describes / active.size).toFixed(2)} calls per round)`,
    );
    assert.ok(listings < n / 5, `${listings} listings`);
    // Rounds split when a loaded machine wakes waits on different ticks, so the bound is on what
    // batching buys (task describes per call; 1 without it), not on the number of rounds.
    assert.ok(
      (polls + n) / describes >= 4,
      `${describes} calls for ${polls + n} describes; ideal ${ideal}`,
    );
    assert.equal(requests(ctx.emulator, "ImportInstance"), n);
  });
});
