import { strict as assert } from "node:assert";
import { isImportTaskFailedError, isInputValidationError } from "../../../../provider/core/errors";
import { createProvider } from "../../../../provider/ec2/importSnapshotTaskProvider";
import { ops, rejection, type Setup, setupProvider, snapIdFor, snapTaskIdFor } from "./fakeEc2";

const ID = snapTaskIdFor(1);
const ID2 = snapTaskIdFor(2);
const SNAP = snapIdFor(1, 0);
const LABEL = "ec2.ImportSnapshotTask data disk";
const INPUTS = {
  description: "data disk",
  diskContainer: { format: "vmdk", userBucket: { s3Bucket: "vm-imports", s3Key: "data.vmdk" } },
  clientToken: "pam-snap-1",
  __provider: "serialized-shim",
};
const REQUEST = {
  ClientToken: "pam-snap-1",
  Description: "data disk",
  DiskContainer: { Format: "VMDK", UserBucket: { S3Bucket: "vm-imports", S3Key: "data.vmdk" } },
};
const COMPLETED_OUTS = {
  ...INPUTS,
  importTaskId: ID,
  status: "completed",
  progress: 100,
  snapshotId: SNAP,
  diskImageSize: 2048,
  volumeSize: 1,
  snapshotState: "completed",
};

const setup = (config: Record<string, string> = {}, autoAdvance = true): Promise<Setup> =>
  setupProvider(createProvider, config, autoAdvance);

const infos = (s: Setup): string[] =>
  s.lines.filter((l) => l.level === "info").map((l) => l.message);

describe("ec2.ImportSnapshotTask provider (fake EC2, manual clock)", () => {
  describe("create", () => {
    it("starts once with the resource's ClientToken, polls until completed, reads the snapshot and returns exact outputs", async () => {
      const s = await setup();
      s.ec2.snapshotScripts.push([
        { status: "active", statusMessage: "pending", progress: 3 },
        { status: "active", statusMessage: "downloading/converting", progress: 42 },
        { status: "completed" },
      ]);
      const result = await s.provider.create(INPUTS);
      assert.deepEqual(s.ec2.calls, [
        { op: "importSnapshot", token: "pam-snap-1", request: REQUEST },
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "describeSnapshots", ids: [SNAP] },
      ]);
      // As for images: the throttle's 20 ms, the grid tick, 1 s, and DescribeSnapshots' 20 ms slot.
      assert.deepEqual(s.clock.sleeps, [20, 1980, 1000, 20]);
      assert.deepEqual(result, { id: ID, outs: COMPLETED_OUTS });
      assert.deepEqual(infos(s), [
        `started ${ID} (active)`,
        `${ID} completed: snapshot ${SNAP} (3 polls)`,
      ]);
      assert.deepEqual(
        s.lines.filter((l) => l.level === "progress").map((l) => [l.resource, l.message]),
        [
          [LABEL, "active pending 3% (poll 1, 0s)"],
          [LABEL, "active downloading/converting 42% (poll 2, 2s)"],
          [LABEL, "completed (poll 3, 3s)"],
        ],
      );
    });

    it("with waitForCompletion false starts and returns the active task without polling", async () => {
      const s = await setup();
      const result = await s.provider.create({ ...INPUTS, waitForCompletion: false });
      assert.deepEqual(ops(s.ec2), ["importSnapshot"]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          waitForCompletion: false,
          importTaskId: ID,
          status: "active",
          statusMessage: "pending",
          progress: 3,
        },
      });
    });

    it("re-running an interrupted create sends the same token and gets the first task", async () => {
      const s = await setup();
      await s.provider.create({ ...INPUTS, waitForCompletion: false });
      const again = await s.provider.create(INPUTS);
      assert.equal(again.id, ID);
      assert.equal(s.ec2.snapshotTasks.size, 1);
      assert.deepEqual(
        s.ec2.calls.filter((c) => c.op === "importSnapshot").map((c) => c.token),
        ["pam-snap-1", "pam-snap-1"],
      );
    });

    it("sends encryption, the role and tags, and derives a token from the import parameters when none is given", async () => {
      const s = await setup();
      const { clientToken: _t, ...rest } = INPUTS;
      const inputs = {
        ...rest,
        diskContainer: { format: "raw", url: "s3://vm-imports/data.raw", description: "disk 2" },
        encrypted: true,
        kmsKeyId: "alias/imports",
        roleName: "vmimport-snapshots",
        tags: { wave: "1", app: "web" },
        waitForCompletion: false,
      };
      await s.provider.create(inputs);
      const start = s.ec2.calls[0]!;
      assert.equal(start.op, "importSnapshot");
      assert.match(start.token, /^pam-[0-9a-f]{60}$/);
      assert.deepEqual(start.request, {
        ClientToken: start.token,
        Description: "data disk",
        DiskContainer: { Description: "disk 2", Format: "RAW", Url: "s3://vm-imports/data.raw" },
        Encrypted: true,
        KmsKeyId: "alias/imports",
        RoleName: "vmimport-snapshots",
        TagSpecifications: [
          {
            ResourceType: "import-snapshot-task",
            Tags: [
              { Key: "app", Value: "web" },
              { Key: "wave", Value: "1" },
            ],
          },
        ],
      });
    });

    it("steps past a task that already failed under this token with a deterministic successor token", async () => {
      const s = await setup();
      s.ec2.snapshotScripts.push(
        [{ status: "active" }, { status: "deleted", statusMessage: "ClientError: bad disk" }],
        [{ status: "completed" }],
      );
      await rejection(s.provider.create(INPUTS));
      const result = await s.provider.create(INPUTS);
      const tokens = s.ec2.calls.filter((c) => c.op === "importSnapshot").map((c) => c.token);
      assert.equal(tokens.length, 3);
      assert.deepEqual(tokens.slice(0, 2), ["pam-snap-1", "pam-snap-1"]);
      assert.match(tokens[2]!, /^pam-[0-9a-f]{60}$/);
      assert.equal(result.id, ID2);
      assert.equal(result.outs["snapshotId"], snapIdFor(2, 0));
      assert.deepEqual(infos(s), [
        `started ${ID} (active)`,
        `${ID} for this token already ended in deleted; starting a new import`,
        `started ${ID2} (completed)`,
        `${ID2} completed: snapshot ${snapIdFor(2, 0)} (1 poll)`,
      ]);
      // The chain is deterministic: a third run walks it to the same live task.
      const third = await s.provider.create(INPUTS);
      assert.equal(third.id, ID2);
      assert.equal(s.ec2.snapshotTasks.size, 2);
    });

    it("throws ImportTaskFailedError with the ID, properties incl. __provider and the StatusMessage when the import ends deleted", async () => {
      const s = await setup();
      const message = "ClientError: Disk validation failed [Unsupported specified file format]";
      s.ec2.snapshotScripts.push([
        { status: "active", statusMessage: "validating", progress: 12 },
        { status: "deleting", statusMessage: message },
      ]);
      const err = await rejection(s.provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.properties, {
        ...INPUTS,
        importTaskId: ID,
        status: "deleting",
        statusMessage: message,
      });
      const reason = `ec2.ImportSnapshotTask "data disk": import ${ID} ended in deleting after 2 polls (active): ${message}. The file does not match its declared format: set diskContainer.format to the disk's real format (VHD, VMDK or RAW), then run \`pulumi up\` again (a failed import is replaced).`;
      assert.deepEqual(err.reasons, [reason]);
    });

    it("treats status error (the SDK waiter's failure) as a failed import", async () => {
      const s = await setup();
      s.ec2.snapshotScripts.push([{ status: "active" }, { status: "error" }]);
      const err = await rejection(s.provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(
        err.reasons[0],
        `ec2.ImportSnapshotTask "data disk": import ${ID} ended in error after 2 polls (active). Check the VM Import troubleshooting guide for this message, then run \`pulumi up\` again (a failed import is replaced).`,
      );
    });

    it("records a timeout with the ID, and update() resumes the wait to completion without a second start", async () => {
      const s = await setup();
      s.ec2.snapshotScripts.push([{ status: "active", statusMessage: "validated", progress: 22 }]);
      const err = await rejection(s.provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(
        err.reasons[0],
        `ec2.ImportSnapshotTask "data disk": import ${ID} is still active after 60s (limit 60s; observed active×60). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting.`,
      );
      s.ec2.snapshotTasks.get(ID)!.steps = [{ status: "active" }, { status: "completed" }];
      const { outs } = await s.provider.update(ID, err.properties, {
        ...INPUTS,
        waitTimeoutMinutes: 1,
      });
      assert.deepEqual(outs, { ...COMPLETED_OUTS, waitTimeoutMinutes: 1 });
      assert.equal(ops(s.ec2).filter((o) => o === "importSnapshot").length, 1);
    });

    it("adopts an existing task by ID without starting one", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      const result = await s.provider.create({ adoptImportTaskId: ID, __provider: "p" });
      assert.deepEqual(ops(s.ec2), [
        "describeImportSnapshotTasks",
        "describeImportSnapshotTasks",
        "describeSnapshots",
      ]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          adoptImportTaskId: ID,
          __provider: "p",
          importTaskId: ID,
          status: "completed",
          progress: 100,
          snapshotId: SNAP,
          diskImageSize: 2048,
          volumeSize: 1,
          snapshotState: "completed",
        },
      });
    });

    it("fails adoption of an unknown ID with InputValidationError naming the property and the fix", async () => {
      const s = await setup();
      const err = await rejection(s.provider.create({ adoptImportTaskId: ID }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptImportTaskId");
      assert.equal(
        err.message,
        `ec2.ImportSnapshotTask "${ID}": adoptImportTaskId ${ID} was not found in us-west-2. Fix: check the ID (aws ec2 describe-import-snapshot-tasks) and aws:region; EC2 keeps task records only 7 days after they end.`,
      );
    });

    it("batches the polls of 20 concurrent imports into one describe per round", async () => {
      const s = await setup({}, false);
      for (let i = 0; i < 20; i++) {
        s.ec2.snapshotScripts.push([
          { status: "active" },
          { status: "active" },
          { status: "completed" },
        ]);
      }
      const all = Promise.all(
        Array.from({ length: 20 }, (_v, i) =>
          s.provider.create({ ...INPUTS, description: `disk-${i}`, clientToken: `tok-${i}` }),
        ),
      );
      let done = false;
      void all.then(() => (done = true));
      for (let t = 0; t < 60 && !done; t++) await s.clock.advance(1000);
      assert.equal((await all).length, 20);
      const sizes = (op: string): number[] =>
        s.ec2.calls.flatMap((c) => (c.op === op && "ids" in c ? [c.ids.length] : []));
      // Starts 20 ms apart span 400 ms: the first import polls at once, the other 19 ride along
      // its next round (the core's riding clock), so 60 polls cost 4 calls.
      assert.deepEqual(sizes("describeImportSnapshotTasks"), [1, 20, 20, 19]);
      assert.deepEqual(sizes("describeSnapshots"), [1, 19]);
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      assert.deepEqual(await s.provider.read(ID, INPUTS), { id: ID, props: COMPLETED_OUTS });
    });

    it("after the 7-day record expiry reads the snapshot instead of the forgotten task", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      await s.provider.read(ID, INPUTS);
      s.ec2.snapshotTasks.delete(ID);
      s.ec2.calls.length = 0;
      assert.deepEqual(await s.provider.read(ID, COMPLETED_OUTS), {
        id: ID,
        props: COMPLETED_OUTS,
      });
      assert.deepEqual(s.ec2.calls, [
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "describeSnapshots", ids: [SNAP] },
      ]);
    });

    it("drops the resource when the snapshot is gone, whether or not the task record still exists", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      await s.provider.read(ID, INPUTS);
      s.ec2.snapshots.clear();
      assert.deepEqual(await s.provider.read(ID, COMPLETED_OUTS), {});
      s.ec2.snapshotTasks.delete(ID);
      assert.deepEqual(await s.provider.read(ID, COMPLETED_OUTS), {});
      assert.deepEqual(await s.provider.read(ID2, INPUTS), {});
      assert.deepEqual(infos(s).slice(-3), [
        `snapshot ${SNAP} of ${ID} no longer exists; dropping it from the stack`,
        `snapshot ${SNAP} of ${ID} no longer exists; dropping it from the stack`,
        `${ID2} no longer exists (GONE); dropping it from the stack`,
      ]);
    });
  });

  describe("update", () => {
    it("applies in-place changes and returns full outputs", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      const { outs } = await s.provider.update(ID, COMPLETED_OUTS, {
        ...INPUTS,
        retainOnDelete: true,
      });
      assert.deepEqual(outs, { ...COMPLETED_OUTS, retainOnDelete: true });
    });

    it("after the record expiry keeps the outputs while the snapshot exists, and fails with the ID when it is gone", async () => {
      const s = await setup();
      s.ec2.snapshots.add(SNAP);
      assert.deepEqual((await s.provider.update(ID, COMPLETED_OUTS, INPUTS)).outs, COMPLETED_OUTS);
      s.ec2.snapshots.clear();
      const err = await rejection(s.provider.update(ID, COMPLETED_OUTS, INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["__provider"], "serialized-shim");
    });
  });

  describe("delete", () => {
    it("leaves everything with retainOnDelete, making no AWS call", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      await s.provider.delete(ID, { ...COMPLETED_OUTS, retainOnDelete: true });
      assert.deepEqual(s.ec2.calls, []);
      assert.deepEqual(infos(s), [`retainOnDelete is true: leaving ${ID} and its snapshot in EC2`]);
    });

    it("cancels an active import and waits until it is deleted", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "active", statusMessage: "validating" }]);
      await s.provider.delete(ID, INPUTS);
      assert.deepEqual(s.ec2.calls, [
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "cancelImportTask", id: ID },
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "describeImportSnapshotTasks", ids: [ID] },
      ]);
      assert.deepEqual(infos(s), [`cancelled ${ID} (was active)`]);
      assert.deepEqual(s.ec2.snapshots.size, 0);
    });

    it("deletes the snapshot of a completed import", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "completed" }]);
      const { outs } = await s.provider.create({ adoptImportTaskId: ID, __provider: "p" });
      s.ec2.calls.length = 0;
      await s.provider.delete(ID, outs);
      assert.deepEqual(s.ec2.calls, [
        { op: "describeImportSnapshotTasks", ids: [ID] },
        { op: "deleteSnapshot", id: SNAP },
      ]);
      assert.equal(s.ec2.snapshots.size, 0);
      assert.deepEqual(infos(s).slice(-1), [`deleted ${SNAP}`]);
    });

    it("deletes the snapshot from the recorded outputs after the task record expired, and tolerates one already gone", async () => {
      const s = await setup();
      s.ec2.snapshots.add(SNAP);
      await s.provider.delete(ID, COMPLETED_OUTS);
      await s.provider.delete(ID, COMPLETED_OUTS);
      assert.deepEqual(ops(s.ec2), [
        "describeImportSnapshotTasks",
        "deleteSnapshot",
        "describeImportSnapshotTasks",
        "deleteSnapshot",
      ]);
      assert.equal(s.ec2.snapshots.size, 0);
    });

    it("does nothing for a failed import or one that is gone without a snapshot", async () => {
      const s = await setup();
      s.ec2.addSnapshotTask(ID, [{ status: "deleted", statusMessage: "ClientError: x" }]);
      await s.provider.delete(ID, INPUTS);
      await s.provider.delete(ID2, INPUTS);
      assert.deepEqual(ops(s.ec2), ["describeImportSnapshotTasks", "describeImportSnapshotTasks"]);
    });
  });
});
