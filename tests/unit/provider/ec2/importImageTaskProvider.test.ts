import { strict as assert } from "node:assert";
import {
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
} from "../../../../provider/core/errors";
import { createProvider } from "../../../../provider/ec2/importImageTaskProvider";
import {
  awsError,
  imageIdFor,
  ops,
  rejection,
  type Setup,
  setupProvider,
  snapIdFor,
  taskIdFor,
} from "./fakeEc2";

const ID = taskIdFor(1);
const ID2 = taskIdFor(2);
const AMI = imageIdFor(1);
const SNAP = snapIdFor(1, 0);
const DISKS = [{ format: "vmdk", userBucket: { s3Bucket: "vm-imports", s3Key: "web.vmdk" } }];
const INPUTS = {
  description: "web server",
  diskContainers: DISKS,
  platform: "Linux",
  clientToken: "pam-token-1",
  __provider: "serialized-shim",
};
const REQUEST = {
  ClientToken: "pam-token-1",
  Description: "web server",
  DiskContainers: [{ Format: "VMDK", UserBucket: { S3Bucket: "vm-imports", S3Key: "web.vmdk" } }],
  Platform: "Linux",
};
const COMPLETED_OUTS = {
  ...INPUTS,
  importTaskId: ID,
  status: "completed",
  progress: 100,
  imageId: AMI,
  snapshotIds: [SNAP],
  snapshotDetails: [
    { format: "VMDK", status: "completed", snapshotId: SNAP, deviceName: "/dev/sda1" },
  ],
  imageState: "available",
  imageCreationDate: "2026-01-01T02:00:00.000Z",
  taskDetails: { platform: "Linux" },
};

const setup = (config: Record<string, string> = {}, autoAdvance = true): Promise<Setup> =>
  setupProvider(createProvider, config, autoAdvance);

describe("ec2.ImportImageTask provider (fake EC2, manual clock)", () => {
  describe("create", () => {
    it("starts once with the resource's ClientToken, polls until completed, reads the AMI and returns full outputs", async () => {
      const { provider, ec2, clock, lines } = await setup();
      ec2.scripts.push([
        { status: "active", statusMessage: "pending", progress: 2 },
        { status: "active", statusMessage: "converting", progress: 27 },
        { status: "completed" },
      ]);
      const result = await provider.create(INPUTS);
      assert.deepEqual(ec2.calls, [
        { op: "importImage", token: "pam-token-1", request: REQUEST },
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "describeImages", ids: [AMI] },
      ]);
      // 20 ms: the shared AdaptiveThrottle spaces calls at 50/s, which puts poll 1 off the 1 s grid;
      // its 1 s back-off ends on the next grid tick (the core's riding clock: 1980 ms); then 1 s;
      // the DescribeImages right after the last poll waits 20 ms for its throttle slot.
      assert.deepEqual(clock.sleeps, [20, 1980, 1000, 20]);
      assert.deepEqual(result, { id: ID, outs: COMPLETED_OUTS });
      assert.deepEqual(
        lines.filter((l) => l.level !== "progress"),
        [
          {
            level: "info",
            resource: "ec2.ImportImageTask web server",
            message: `started ${ID} (active)`,
          },
          {
            level: "info",
            resource: "ec2.ImportImageTask web server",
            message: `${ID} completed: AMI ${AMI} (3 polls)`,
          },
        ],
      );
      assert.deepEqual(
        lines.filter((l) => l.level === "progress").map((l) => l.message),
        [
          "active pending 2% (poll 1, 0s)",
          "active converting 27% (poll 2, 2s)",
          "completed (poll 3, 3s)",
        ],
      );
    });

    it("with waitForCompletion false starts and returns without polling", async () => {
      const { provider, ec2 } = await setup();
      const result = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.deepEqual(ops(ec2), ["importImage"]);
      assert.deepEqual(result, {
        id: ID,
        outs: {
          ...INPUTS,
          waitForCompletion: false,
          importTaskId: ID,
          status: "active",
          statusMessage: "pending",
          progress: 2,
          snapshotIds: [],
          snapshotDetails: [{ format: "VMDK", status: "active" }],
          taskDetails: { platform: "Linux" },
        },
      });
    });

    it("re-running an interrupted create sends the same token and gets the first task, starting no second one", async () => {
      const { provider, ec2 } = await setup();
      await provider.create({ ...INPUTS, waitForCompletion: false });
      const again = await provider.create(INPUTS);
      assert.equal(again.id, ID);
      assert.equal(ec2.tasks.size, 1);
      assert.deepEqual(
        ec2.calls.filter((c) => c.op === "importImage").map((c) => (c as { token: string }).token),
        ["pam-token-1", "pam-token-1"],
      );
    });

    it("derives a token from the import parameters when none is given", async () => {
      const { provider, ec2 } = await setup();
      const { clientToken: _t, ...rest } = INPUTS;
      await provider.create({ ...rest, waitForCompletion: false });
      const start = ec2.calls[0] as { token: string };
      assert.match(start.token, /^pam-[0-9a-f]{60}$/);
    });

    it("steps past a task that already failed under this token with a deterministic successor token", async () => {
      const { provider, ec2, lines } = await setup();
      ec2.scripts.push(
        [{ status: "active" }, { status: "deleted", statusMessage: "ClientError: bad disk" }],
        [{ status: "completed" }],
      );
      await rejection(provider.create(INPUTS));
      const result = await provider.create(INPUTS);
      const tokens = ec2.calls
        .filter((c) => c.op === "importImage")
        .map((c) => (c as { token: string }).token);
      assert.equal(tokens.length, 3);
      assert.deepEqual(tokens.slice(0, 2), ["pam-token-1", "pam-token-1"]);
      assert.match(tokens[2]!, /^pam-[0-9a-f]{60}$/);
      assert.equal(result.id, ID2);
      assert.deepEqual(
        lines.filter((l) => l.level === "info").map((l) => l.message),
        [
          `started ${ID} (active)`,
          `${ID} for this token already ended in deleted; starting a new import`,
          `started ${ID2} (completed)`,
          `${ID2} completed: AMI ${imageIdFor(2)} (1 poll)`,
        ],
      );
    });

    it("throws ImportTaskFailedError with the ID, properties incl. __provider and the StatusMessage when the import ends deleted", async () => {
      const { provider, ec2 } = await setup();
      const message = "ClientError: Disk validation failed [Unsupported specified file format]";
      ec2.scripts.push([
        { status: "active", statusMessage: "validating", progress: 5 },
        { status: "deleting", statusMessage: message },
      ]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.properties, {
        ...INPUTS,
        importTaskId: ID,
        status: "deleting",
        statusMessage: message,
        snapshotIds: [],
        snapshotDetails: [{ format: "VMDK", status: "deleting" }],
        taskDetails: { platform: "Linux" },
      });
      const reason = `ec2.ImportImageTask "web server": import ${ID} ended in deleting after 2 polls (active): ${message}. The file does not match its declared format: set each disk's format to the image's real format (OVA, VHD, VHDX, VMDK, RAW) or export the VM again, then run \`pulumi up\` again (a failed import is replaced).`;
      assert.deepEqual(err.reasons, [reason]);
      assert.equal(err.message, reason);
    });

    it("records a timeout as ImportTaskFailedError with the ID, and update() resumes the wait to completion", async () => {
      const { provider, ec2 } = await setup();
      ec2.scripts.push([{ status: "active", statusMessage: "converting", progress: 27 }]);
      const err = await rejection(provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["status"], "active");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(
        err.reasons[0],
        `ec2.ImportImageTask "web server": import ${ID} is still active after 60s (limit 60s; observed active×60). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting.`,
      );
      assert.equal(ec2.calls.filter((c) => c.op === "importImage").length, 1);
      ec2.tasks.get(ID)!.steps = [{ status: "active" }, { status: "completed" }];
      const { outs } = await provider.update(ID, err.properties, {
        ...INPUTS,
        waitTimeoutMinutes: 1,
      });
      assert.deepEqual(outs, { ...COMPLETED_OUTS, waitTimeoutMinutes: 1 });
      assert.equal(ec2.calls.filter((c) => c.op === "importImage").length, 1);
    });

    it("fails at once on a non-retryable poll error, keeping the ID", async () => {
      const { provider, ec2 } = await setup();
      ec2.failures.describeImportImageTasks = [
        awsError("UnauthorizedOperation", 403, "You are not authorized"),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(
        err.reasons[0],
        "ec2 DescribeImportImageTasks failed: UnauthorizedOperation (HTTP 403): You are not authorized. Grant the calling identity permission for DescribeImportImageTasks on ec2, then run again.",
      );
      assert.deepEqual(ops(ec2), ["importImage", "describeImportImageTasks"]);
    });

    it("retries RequestLimitExceeded on ImportImage (same token) and a 5xx poll, then completes", async () => {
      const { provider, ec2 } = await setup();
      ec2.failures.importImage = [awsError("RequestLimitExceeded", 503)];
      ec2.failures.describeImportImageTasks = [awsError("InternalError", 500)];
      const result = await provider.create(INPUTS);
      assert.equal(result.id, ID);
      assert.deepEqual(ops(ec2), [
        "importImage",
        "importImage",
        "describeImportImageTasks",
        "describeImportImageTasks",
        "describeImportImageTasks",
        "describeImages",
      ]);
      assert.equal(ec2.tasks.size, 1);
    });

    it("explains IdempotentParameterMismatch with the adopt fix", async () => {
      const { provider, ec2 } = await setup();
      ec2.failures.importImage = [
        awsError("IdempotentParameterMismatch", 400, "Arguments are inconsistent"),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isAwsApiError(err));
      assert.equal(
        err.message,
        "ec2 ImportImage failed: IdempotentParameterMismatch (HTTP 400): Arguments are inconsistent. An import was already started with this clientToken and other parameters (a presigned URL re-signed with another host or path?). Fix: set adoptImportTaskId to that task's ID (aws ec2 describe-import-image-tasks), or set a new clientToken.",
      );
    });

    it("adopts an existing task by ID without starting one", async () => {
      const { provider, ec2, lines } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      const result = await provider.create({ adoptImportTaskId: ID, __provider: "p" });
      assert.deepEqual(ops(ec2), [
        "describeImportImageTasks",
        "describeImportImageTasks",
        "describeImages",
      ]);
      assert.equal(result.id, ID);
      assert.equal(result.outs["imageId"], AMI);
      assert.equal(result.outs["adoptImportTaskId"], ID);
      assert.equal(lines[0]!.message, `adopted ${ID} (completed)`);
    });

    it("fails adoption of an unknown ID with InputValidationError naming the property and the fix", async () => {
      const { provider } = await setup();
      const err = await rejection(provider.create({ adoptImportTaskId: ID }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptImportTaskId");
      assert.equal(
        err.message,
        `ec2.ImportImageTask "${ID}": adoptImportTaskId ${ID} was not found in us-west-2. Fix: check the ID (aws ec2 describe-import-image-tasks) and aws:region; EC2 keeps task records only 7 days after they end.`,
      );
    });

    it("batches the polls of 100 concurrent imports into one describe per round", async () => {
      const { provider, ec2, clock } = await setup({}, false);
      for (let i = 0; i < 100; i++) {
        ec2.scripts.push([
          { status: "active" },
          { status: "active" },
          { status: "active" },
          { status: "completed" },
        ]);
      }
      const all = Promise.all(
        Array.from({ length: 100 }, (_v, i) =>
          provider.create({ ...INPUTS, description: `vm-${i}`, clientToken: `tok-${i}` }),
        ),
      );
      let done = false;
      void all.then(() => (done = true));
      for (let t = 0; t < 60 && !done; t++) await clock.advance(1000);
      const results = await all;
      assert.equal(results.length, 100);
      const describes = ec2.calls.filter((c) => c.op === "describeImportImageTasks") as {
        ids: string[];
      }[];
      const images = ec2.calls.filter((c) => c.op === "describeImages") as { ids: string[] }[];
      // Starts are spaced 20 ms apart by the throttle, so they span 2 s and the first polls land
      // on grid ticks (the first import at once, then 49 more beside its 2nd poll); waits whose delay
      // has not run out ride along in a round with room (the core's riding clock): 400 polls cost
      // 7 calls.
      assert.deepEqual(
        describes.map((d) => d.ids.length),
        [1, 50, 99, 100, 99, 50, 1],
      );
      // Imports complete in the rounds of their 4th poll: one DescribeImages per such round.
      assert.deepEqual(
        images.map((d) => d.ids.length),
        [1, 49, 49, 1],
      );
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      const out = await provider.read(ID, INPUTS);
      assert.deepEqual(out, { id: ID, props: COMPLETED_OUTS });
    });

    it("after the 7-day retention reads the AMI instead of the forgotten task record", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      await provider.read(ID, INPUTS);
      ec2.tasks.delete(ID);
      ec2.calls.length = 0;
      const out = await provider.read(ID, COMPLETED_OUTS);
      assert.deepEqual(ops(ec2), ["describeImportImageTasks", "describeImages"]);
      assert.deepEqual(out, { id: ID, props: COMPLETED_OUTS });
    });

    it("reports the resource gone when the AMI was deregistered or the task is unknown", async () => {
      const { provider, ec2, lines } = await setup();
      assert.deepEqual(await provider.read(ID, COMPLETED_OUTS), {});
      assert.deepEqual(await provider.read(ID, INPUTS), {});
      assert.deepEqual(ops(ec2), [
        "describeImportImageTasks",
        "describeImages",
        "describeImportImageTasks",
      ]);
      assert.deepEqual(
        lines.map((l) => l.message),
        [
          `AMI ${AMI} of ${ID} no longer exists; dropping it from the stack`,
          `${ID} no longer exists (GONE); dropping it from the stack`,
        ],
      );
    });
  });

  describe("update", () => {
    it("applies in-place changes and returns full outputs", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      const { outs } = await provider.update(ID, COMPLETED_OUTS, {
        ...INPUTS,
        retainImageOnDelete: true,
      });
      assert.deepEqual(outs, { ...COMPLETED_OUTS, retainImageOnDelete: true });
    });

    it("after the retention keeps the outputs while the AMI exists, and fails with the ID when nothing is left", async () => {
      const { provider, ec2 } = await setup();
      ec2.images.set(AMI, {
        imageId: AMI,
        state: "available",
        creationDate: "2026-01-01T02:00:00.000Z",
        snapshotIds: [SNAP],
      });
      assert.deepEqual((await provider.update(ID, COMPLETED_OUTS, INPUTS)).outs, COMPLETED_OUTS);
      ec2.images.clear();
      const err = await rejection(provider.update(ID, COMPLETED_OUTS, INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["__provider"], "serialized-shim");
    });
  });

  describe("delete", () => {
    it("leaves everything with retainOnDelete", async () => {
      const { provider, ec2 } = await setup();
      await provider.delete(ID, { ...COMPLETED_OUTS, retainOnDelete: true });
      assert.deepEqual(ec2.calls, []);
    });

    it("cancels an active import and waits until it is deleted", async () => {
      const { provider, ec2, lines } = await setup();
      ec2.add(ID, [{ status: "active", statusMessage: "converting" }]);
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ec2.calls, [
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "cancelImportTask", id: ID },
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "describeImportImageTasks", ids: [ID] },
      ]);
      assert.equal(lines[0]!.message, `cancelled ${ID} (was active)`);
    });

    it("deregisters the AMI and deletes its snapshots", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }], 1, 2);
      const { outs } = await provider.create({ adoptImportTaskId: ID, __provider: "p" });
      ec2.calls.length = 0;
      await provider.delete(ID, outs);
      assert.deepEqual(ec2.calls, [
        { op: "describeImportImageTasks", ids: [ID] },
        { op: "describeImages", ids: [AMI] },
        { op: "deregisterImage", id: AMI },
        { op: "deleteSnapshot", id: snapIdFor(1, 0) },
        { op: "deleteSnapshot", id: snapIdFor(1, 1) },
      ]);
      assert.equal(ec2.images.size, 0);
      assert.equal(ec2.snapshots.size, 0);
    });

    it("cleans up from the recorded outputs after the task record expired", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      await provider.read(ID, INPUTS);
      ec2.tasks.delete(ID);
      ec2.calls.length = 0;
      await provider.delete(ID, COMPLETED_OUTS);
      assert.deepEqual(ops(ec2), [
        "describeImportImageTasks",
        "describeImages",
        "deregisterImage",
        "deleteSnapshot",
      ]);
    });

    it("keeps the snapshots with retainSnapshotsOnDelete, and everything with retainImageOnDelete", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "completed" }]);
      await provider.read(ID, INPUTS);
      ec2.calls.length = 0;
      await provider.delete(ID, { ...COMPLETED_OUTS, retainImageOnDelete: true });
      assert.deepEqual(ops(ec2), ["describeImportImageTasks"]);
      ec2.calls.length = 0;
      await provider.delete(ID, { ...COMPLETED_OUTS, retainSnapshotsOnDelete: true });
      assert.deepEqual(ops(ec2), ["describeImportImageTasks", "describeImages", "deregisterImage"]);
      assert.deepEqual([...ec2.snapshots], [SNAP]);
    });

    it("cleans up when the import completed between the describe and the cancel", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "active" }, { status: "completed" }]);
      ec2.failures.cancelImportTask = [
        awsError("DeleteConversionTaskError", 400, "The conversion task cannot be canceled"),
      ];
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ops(ec2), [
        "describeImportImageTasks",
        "cancelImportTask",
        "describeImportImageTasks",
        "describeImages",
        "deregisterImage",
        "deleteSnapshot",
      ]);
    });

    it("does nothing for a failed import or one that is gone without an AMI", async () => {
      const { provider, ec2 } = await setup();
      ec2.add(ID, [{ status: "deleted", statusMessage: "ClientError: x" }]);
      await provider.delete(ID, INPUTS);
      await provider.delete(ID2, INPUTS);
      assert.deepEqual(ops(ec2), ["describeImportImageTasks", "describeImportImageTasks"]);
    });
  });

  describe("check and diff", () => {
    it("accepts an http disk URL on the configured endpoint and rejects bad input before any AWS call", async () => {
      const { provider, ec2 } = await setup({ "awsMigration:endpoint": "http://127.0.0.1:4566" });
      const local = {
        ...INPUTS,
        diskContainers: [{ format: "RAW", url: "http://127.0.0.1:4566/vm-imports/d.raw" }],
      };
      assert.deepEqual(await provider.check({}, local), { inputs: local, failures: [] });
      const bad = await provider.check({}, { ...INPUTS, encrypted: false, kmsKeyId: "alias/k" });
      assert.deepEqual(bad.failures, [
        {
          property: "kmsKeyId",
          reason:
            "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId",
        },
      ]);
      assert.deepEqual(ec2.calls, []);
    });

    it("diff reports __provider alone as no change", async () => {
      const { provider } = await setup();
      assert.deepEqual(await provider.diff(ID, COMPLETED_OUTS, { ...INPUTS, __provider: "new" }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
        detailedDiff: {},
      });
    });
  });
});
