import { strict as assert } from "node:assert";
import { isImportTaskFailedError, isInputValidationError } from "../../../../provider/core/errors";
import { LEGACY_WARNING } from "../../../../provider/ec2/importInstanceTaskSpec";
import { createProvider } from "../../../../provider/ec2/importInstanceTaskProvider";
import {
  awsError,
  conversionIdFor,
  instanceIdFor,
  ops,
  rejection,
  type Setup,
  setupProvider,
  volumeIdFor,
} from "./fakeEc2";

const ID = conversionIdFor(1);
const ID2 = conversionIdFor(2);
const INSTANCE = instanceIdFor(1);
const VOLUME = volumeIdFor(1);
const MANIFEST =
  "https://vm-imports.s3.amazonaws.com/web.manifest.xml?X-Amz-Signature=abc&X-Amz-Credential=AKIA";
const INPUTS = {
  description: "web",
  platform: "Windows",
  diskImages: [
    { image: { format: "VMDK", bytes: 1000, importManifestUrl: MANIFEST }, volume: { size: 8 } },
  ],
  marker: "pam-marker-1",
  __provider: "serialized-shim",
};
const REQUEST = {
  Description: "web [pam-marker-1]",
  Platform: "Windows",
  DiskImages: [
    { Image: { Format: "VMDK", Bytes: 1000, ImportManifestUrl: MANIFEST }, Volume: { Size: 8 } },
  ],
};
const VOLUMES = [
  {
    volumeId: VOLUME,
    volumeSize: 8,
    availabilityZone: "us-west-2a",
    bytesConverted: 1000,
    imageSize: 1000,
    format: "VMDK",
    status: "completed",
  },
];
const COMPLETED_OUTS = {
  ...INPUTS,
  conversionTaskId: ID,
  state: "completed",
  progress: 100,
  instanceId: INSTANCE,
  volumeIds: [VOLUME],
  volumes: VOLUMES,
  expirationTime: "2026-01-08T00:00:00.000Z",
  instanceState: "stopped",
  taskDetails: { description: "web [pam-marker-1]", platform: "Windows" },
};

const setup = (config: Record<string, string> = {}, autoAdvance = true): Promise<Setup> =>
  setupProvider(createProvider, config, autoAdvance);

describe("ec2.ImportInstanceTask provider (fake EC2, manual clock)", () => {
  describe("check", () => {
    it("warns that ImportInstance is legacy and rejects bad input before any AWS call", async () => {
      const { provider, ec2, lines } = await setup({ "aws:region": "eu-west-3" });
      const result = await provider.check({}, INPUTS);
      assert.deepEqual(
        result.failures.map((f) => f.property),
        ["aws:region"],
      );
      assert.deepEqual(lines, [
        { level: "warn", resource: "ec2.ImportInstanceTask web", message: LEGACY_WARNING },
      ]);
      assert.deepEqual(ec2.calls, []);
    });

    it("never throws on hostile input: an adopt ID that is an object without a usable toString", async () => {
      const { provider, ec2, lines } = await setup();
      const { description: _d, ...rest } = INPUTS;
      const result = await provider.check(
        {},
        { ...rest, adoptConversionTaskId: { toString: "x" } },
      );
      assert.deepEqual(
        result.failures.map((f) => f.property),
        ["adoptConversionTaskId"],
      );
      assert.deepEqual(lines, [
        { level: "warn", resource: "ec2.ImportInstanceTask (new)", message: LEGACY_WARNING },
      ]);
      assert.deepEqual(ec2.calls, []);
    });
  });

  describe("create", () => {
    it("looks for its marker, starts once, polls until completed, reads the instance and returns full outputs", async () => {
      const { provider, ec2, lines } = await setup();
      ec2.conversionScripts.push([
        { state: "active" },
        { state: "active" },
        { state: "completed" },
      ]);
      const result = await provider.create(INPUTS);
      assert.deepEqual(ec2.calls, [
        { op: "listConversionTasks" },
        { op: "importInstance", request: REQUEST },
        { op: "describeConversionTasks", ids: [ID] },
        { op: "describeConversionTasks", ids: [ID] },
        { op: "describeConversionTasks", ids: [ID] },
        { op: "describeInstances", ids: [INSTANCE] },
      ]);
      assert.deepEqual(result, { id: ID, outs: COMPLETED_OUTS });
      assert.deepEqual(
        lines.filter((l) => l.level === "info").map((l) => l.message),
        [`started ${ID} (active)`, `${ID} completed: instance ${INSTANCE} (3 polls)`],
      );
    });

    it("a re-run after a crash finds the task by its marker and starts no second conversion", async () => {
      const { provider, ec2, lines } = await setup();
      await provider.create({ ...INPUTS, waitForCompletion: false });
      const again = await provider.create(INPUTS);
      assert.equal(again.id, ID);
      assert.equal(ec2.calls.filter((c) => c.op === "importInstance").length, 1);
      assert.equal(ec2.conversions.size, 1);
      assert.equal(
        lines.filter((l) => l.level === "info")[1]!.message,
        `found ${ID} (active) started earlier under marker pam-marker-1`,
      );
    });

    it("after a 5xx that hid an accepted ImportInstance, finds the conversion by its marker instead of starting a second", async () => {
      const { provider, ec2, lines } = await setup();
      const original = ec2.importInstance.bind(ec2);
      ec2.importInstance = async (request) => {
        await original(request);
        throw awsError("InternalError", 500, "We encountered an internal error");
      };
      const { id } = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.equal(id, ID);
      assert.deepEqual(ops(ec2), ["listConversionTasks", "importInstance", "listConversionTasks"]);
      assert.equal(ec2.conversions.size, 1);
      assert.equal(
        lines.filter((l) => l.level === "info")[0]!.message,
        `ImportInstance answered InternalError, yet ${ID} carries the marker: using it`,
      );
    });

    it("retries a throttled ImportInstance after a marker lookup, then starts it once", async () => {
      const { provider, ec2 } = await setup();
      ec2.failures.importInstance = [
        awsError("RequestLimitExceeded", 503, "Request limit exceeded."),
      ];
      const { id } = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.equal(id, ID);
      assert.deepEqual(ops(ec2), [
        "listConversionTasks",
        "importInstance",
        "listConversionTasks",
        "importInstance",
      ]);
      assert.equal(ec2.conversions.size, 1);
    });

    it("gives throttling the core's 10 attempts, each after a marker lookup", async () => {
      const { provider, ec2 } = await setup();
      const throttled = (): Error =>
        awsError("RequestLimitExceeded", 503, "Request limit exceeded.");
      ec2.failures.importInstance = Array.from({ length: 9 }, throttled);
      const { id } = await provider.create({ ...INPUTS, waitForCompletion: false });
      assert.equal(id, ID);
      assert.equal(ops(ec2).filter((op) => op === "importInstance").length, 10);
      assert.equal(ops(ec2).filter((op) => op === "listConversionTasks").length, 10);
      assert.equal(ec2.conversions.size, 1);
    });

    it("fails after 10 throttled attempts, saying so", async () => {
      const { provider, ec2 } = await setup();
      const throttled = (): Error =>
        awsError("RequestLimitExceeded", 503, "Request limit exceeded.");
      ec2.failures.importInstance = Array.from({ length: 10 }, throttled);
      const err = await rejection(provider.create({ ...INPUTS, waitForCompletion: false }));
      assert.equal(
        (err as Error).message,
        "ec2 ImportInstance failed: RequestLimitExceeded (HTTP 503): Request limit exceeded. Still throttled after 10 attempts; lower awsMigration:maxConcurrentStarts or raise the service quota, then run again.",
      );
      assert.equal(ec2.conversions.size, 0);
    });

    it("fails at once on a non-retryable ImportInstance error, before any task exists", async () => {
      const { provider, ec2 } = await setup();
      ec2.failures.importInstance = [
        awsError("InvalidParameterValue", 400, "Value (x) for parameter y is invalid."),
      ];
      const err = await rejection(provider.create(INPUTS));
      assert.equal(
        (err as Error).message,
        "ec2 ImportInstance failed: InvalidParameterValue (HTTP 400): Value (x) for parameter y is invalid.",
      );
      assert.deepEqual(ops(ec2), ["listConversionTasks", "importInstance"]);
    });

    it("steps past a cancelled task under its marker with a deterministic successor marker", async () => {
      const { provider, ec2 } = await setup();
      ec2.conversionScripts.push([
        { state: "active" },
        {
          state: "cancelled",
          statusMessage: "ClientError: Import manifest validation failed [Invalid manifest file]",
        },
      ]);
      await rejection(provider.create(INPUTS));
      const second = await provider.create(INPUTS);
      assert.equal(second.id, ID2);
      const starts = ec2.calls.filter((c) => c.op === "importInstance") as {
        request: { Description: string };
      }[];
      assert.equal(starts.length, 2);
      assert.equal(starts[0]!.request.Description, "web [pam-marker-1]");
      assert.match(starts[1]!.request.Description, /^web \[pam-[0-9a-f]{36}\]$/);
      // A third run finds the successor's task: still two conversions.
      await provider.create(INPUTS);
      assert.equal(ec2.conversions.size, 2);
    });

    it("throws ImportTaskFailedError with the ID, properties incl. __provider and the reason when the conversion is cancelled", async () => {
      const { provider, ec2 } = await setup();
      const message =
        "ClientError: Import manifest validation failed [We do not have access to the given resource. Reason 403 Forbidden]";
      ec2.conversionScripts.push([
        { state: "active" },
        { state: "cancelled", statusMessage: message },
      ]);
      const err = await rejection(provider.create(INPUTS));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.deepEqual(err.properties, {
        ...INPUTS,
        conversionTaskId: ID,
        state: "cancelled",
        statusMessage: message,
        progress: 0,
        instanceId: INSTANCE,
        volumeIds: [VOLUME],
        volumes: [{ ...VOLUMES[0], bytesConverted: 0, status: "cancelled" }],
        expirationTime: "2026-01-08T00:00:00.000Z",
        taskDetails: { description: "web [pam-marker-1]", platform: "Windows" },
      });
      assert.equal(
        err.reasons[0],
        `ec2.ImportInstanceTask "web": conversion ${ID} ended in cancelled after 2 polls (active): ${message}. EC2 could not read the import manifest: presign the manifest URL again (it may have expired) for an identity that can read the bucket, then run \`pulumi up\` again (a failed import is replaced).`,
      );
    });

    it("records a timeout with the ID, and update() resumes the wait without a second start", async () => {
      const { provider, ec2 } = await setup();
      ec2.conversionScripts.push([{ state: "active" }]);
      const err = await rejection(provider.create({ ...INPUTS, waitTimeoutMinutes: 1 }));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.id, ID);
      assert.equal(err.properties["state"], "active");
      assert.equal(err.properties["__provider"], "serialized-shim");
      // The budget counts from the create's start (the core's deadline); the start came 20 ms after
      // the listing (throttle spacing), so the first poll waits for the 1 s grid: 60 polls, from
      // 1 s to the last one at the limit.
      assert.equal(
        err.reasons[0],
        `ec2.ImportInstanceTask "web": conversion ${ID} is still active after 60s (limit 60s; observed active×60). The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting.`,
      );
      ec2.conversions.get(ID)!.steps = [{ state: "completed" }];
      const { outs } = await provider.update(ID, err.properties, INPUTS);
      assert.deepEqual(outs, COMPLETED_OUTS);
      assert.equal(ec2.calls.filter((c) => c.op === "importInstance").length, 1);
    });

    it("adopts a conversion by ID, and names the property when it does not exist", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1);
      const { id, outs } = await provider.create({ adoptConversionTaskId: ID, __provider: "p" });
      assert.equal(id, ID);
      assert.equal(outs["instanceState"], "stopped");
      assert.ok(!ops(ec2).includes("importInstance"));
      const err = await rejection(provider.create({ adoptConversionTaskId: ID2 }));
      assert.ok(isInputValidationError(err));
      assert.equal(err.property, "adoptConversionTaskId");
    });

    it("batches the polls of 20 concurrent conversions and shares one marker listing per tick", async () => {
      const { provider, ec2, clock } = await setup({}, false);
      for (let i = 0; i < 20; i++)
        ec2.conversionScripts.push([
          { state: "active" },
          { state: "active" },
          { state: "completed" },
        ]);
      const all = Promise.all(
        Array.from({ length: 20 }, (_v, i) =>
          provider.create({ ...INPUTS, description: `vm-${i}`, marker: `pam-marker-${i}` }),
        ),
      );
      let done = false;
      void all.then(() => (done = true));
      for (let t = 0; t < 30 && !done; t++) await clock.advance(1000);
      assert.equal((await all).length, 20);
      assert.equal(ec2.calls.filter((c) => c.op === "listConversionTasks").length, 1);
      const describes = ec2.calls.filter((c) => c.op === "describeConversionTasks") as {
        ids: string[];
      }[];
      // 20 starts 20 ms apart (throttle) all fall before the first grid tick: every round is one call.
      assert.deepEqual(
        describes.map((d) => d.ids.length),
        [20, 20, 20],
      );
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1, "web [pam-marker-1]");
      assert.deepEqual(await provider.read(ID, INPUTS), { id: ID, props: COMPLETED_OUTS });
    });

    it("after the 7-day retention reads the instance; reports gone once it is terminated", async () => {
      const { provider, ec2, lines } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1, "web [pam-marker-1]");
      await provider.read(ID, INPUTS);
      ec2.conversions.delete(ID);
      ec2.calls.length = 0;
      assert.deepEqual(await provider.read(ID, COMPLETED_OUTS), { id: ID, props: COMPLETED_OUTS });
      assert.deepEqual(ops(ec2), ["describeConversionTasks", "describeInstances"]);
      ec2.instances.set(INSTANCE, ["terminated"]);
      assert.deepEqual(await provider.read(ID, COMPLETED_OUTS), {});
      assert.equal(
        lines.at(-1)!.message,
        `instance ${INSTANCE} of ${ID} no longer exists; dropping it from the stack`,
      );
    });
  });

  describe("delete", () => {
    it("cancels an active conversion and waits until it is cancelled", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "active" }], 1);
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ops(ec2), [
        "describeConversionTasks",
        "cancelConversionTask",
        "describeConversionTasks",
        "describeConversionTasks",
      ]);
      assert.equal(ec2.instances.size, 0);
    });

    it("terminates the instance, waits until it is terminated, then deletes its volume", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1);
      await provider.read(ID, INPUTS);
      ec2.calls.length = 0;
      await provider.delete(ID, COMPLETED_OUTS);
      assert.deepEqual(ec2.calls, [
        { op: "describeConversionTasks", ids: [ID] },
        { op: "terminateInstance", id: INSTANCE },
        { op: "describeInstances", ids: [INSTANCE] },
        { op: "describeInstances", ids: [INSTANCE] },
        { op: "deleteVolume", id: VOLUME },
      ]);
      assert.equal(ec2.volumes.size, 0);
    });

    it("keeps the volume with retainVolumesOnDelete, everything with retainInstanceOnDelete or retainOnDelete", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1);
      await provider.read(ID, INPUTS);
      ec2.calls.length = 0;
      await provider.delete(ID, { ...COMPLETED_OUTS, retainOnDelete: true });
      assert.deepEqual(ops(ec2), []);
      await provider.delete(ID, { ...COMPLETED_OUTS, retainInstanceOnDelete: true });
      assert.deepEqual(ops(ec2), ["describeConversionTasks"]);
      ec2.calls.length = 0;
      await provider.delete(ID, { ...COMPLETED_OUTS, retainVolumesOnDelete: true });
      assert.deepEqual(ops(ec2), ["describeConversionTasks", "terminateInstance"]);
      assert.deepEqual([...ec2.volumes], [VOLUME]);
    });

    it("cleans up from the recorded outputs after the task expired, tolerating an instance already gone", async () => {
      const { provider, ec2 } = await setup();
      ec2.volumes.add(VOLUME);
      await provider.delete(ID, COMPLETED_OUTS);
      assert.deepEqual(ops(ec2), [
        "describeConversionTasks",
        "terminateInstance",
        "describeInstances",
        "deleteVolume",
      ]);
      assert.equal(ec2.volumes.size, 0);
    });

    it("does nothing for a cancelled conversion (the cancel removed its artifacts)", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "cancelled" }], 1);
      await provider.delete(ID, INPUTS);
      assert.deepEqual(ops(ec2), ["describeConversionTasks"]);
    });

    it("a failing TerminateInstances fails the delete with the API's message", async () => {
      const { provider, ec2 } = await setup();
      ec2.addConversion(ID, [{ state: "completed" }], 1);
      await provider.read(ID, INPUTS);
      ec2.failures.terminateInstance = [
        awsError("UnauthorizedOperation", 403, "You are not authorized"),
      ];
      const err = await rejection(provider.delete(ID, COMPLETED_OUTS));
      assert.equal(
        (err as Error).message,
        "ec2 TerminateInstances failed: UnauthorizedOperation (HTTP 403): You are not authorized. Grant the calling identity permission for TerminateInstances on ec2, then run again.",
      );
    });
  });
});
