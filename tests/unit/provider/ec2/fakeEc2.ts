/**
 * A scripted EC2 VM Import for provider unit tests: each task walks its status list one step per
 * describe call (the last entry sticks); `failures` makes the next calls of an operation throw.
 * Completing an image task registers its AMI and snapshots.
 */
import type { ImportInstanceCommandInput as ImportInstanceRequest } from "@aws-sdk/client-ec2";
import type {
  Ec2Api,
  ImportImageRequest,
  ImportSnapshotRequest,
} from "../../../../provider/ec2/api";
import type {
  ConversionTask,
  Ec2Image,
  Ec2Instance,
  ImageTask,
  SnapshotTask,
  Ec2Snapshot,
} from "../../../../provider/ec2/types";
import type { ManualClock } from "../../../support/manualClock";
import type { ProviderImplementation } from "../../../../provider/core/dynamic";
import type { Deps as TaskDeps } from "../../../../provider/core/task/spec";
import {
  configured,
  type Line,
  manualClock,
  recordingLogger,
  sdkError,
  T0,
} from "../../../support/harness";
import { ScriptedTasks } from "../../../support/scriptedTasks";

export type Step = Partial<ImageTask> & { status: string };
export type ConversionStep = Partial<ConversionTask> & { state: string };
export type SnapshotStep = Partial<SnapshotTask> & { status: string };

export type Call =
  | { op: "importImage"; token: string; request: ImportImageRequest }
  | { op: "describeImportImageTasks"; ids: string[] }
  | { op: "cancelImportTask"; id: string }
  | { op: "describeImages"; ids: string[] }
  | { op: "deregisterImage"; id: string }
  | { op: "deleteSnapshot"; id: string }
  | { op: "importInstance"; request: ImportInstanceRequest }
  | { op: "describeConversionTasks"; ids: string[] }
  | { op: "listConversionTasks" }
  | { op: "cancelConversionTask"; id: string }
  | { op: "describeInstances"; ids: string[] }
  | { op: "terminateInstance"; id: string }
  | { op: "deleteVolume"; id: string }
  | { op: "importSnapshot"; token: string; request: ImportSnapshotRequest }
  | { op: "describeImportSnapshotTasks"; ids: string[] }
  | { op: "describeSnapshots"; ids: string[] };

export type Op = Call["op"];

/** An EC2-style error as the SDK throws it. */
export const awsError = (code: string, status = 400, message = `${code} message`): Error =>
  sdkError(code, status, message, null);

export const imageIdFor = (n: number): string => `ami-${String(n).padStart(17, "0")}`;
export const snapIdFor = (n: number, disk: number): string =>
  `snap-${String(n * 100 + disk).padStart(17, "0")}`;
export const taskIdFor = (n: number): string => `import-ami-${String(n).padStart(17, "0")}`;
export const conversionIdFor = (n: number): string => `import-i-${String(n).padStart(8, "0")}`;
export const instanceIdFor = (n: number): string => `i-${String(n).padStart(17, "0")}`;
export const volumeIdFor = (n: number): string => `vol-${String(n).padStart(17, "0")}`;
export const snapTaskIdFor = (n: number): string => `import-snap-${String(n).padStart(17, "0")}`;

/** A task's fields beside its steps (a view takes status from the current step). */
function imageBase(id: string, disks: number): ImageTask {
  return {
    importTaskId: id,
    status: "",
    platform: "Linux",
    snapshotDetails: Array.from({ length: disks }, () => ({
      format: "VMDK",
      status: "",
    })),
  };
}

function conversionBase(id: string, n: number, description: string): ConversionTask {
  return {
    conversionTaskId: id,
    state: "",
    description,
    instanceId: instanceIdFor(n),
    platform: "Windows",
    expirationTime: "2026-01-08T00:00:00.000Z",
    volumes: [
      {
        volumeId: volumeIdFor(n),
        volumeSize: 8,
        availabilityZone: "us-west-2a",
        bytesConverted: 0,
        imageSize: 1000,
        format: "VMDK",
        status: "",
      },
    ],
  };
}

export class FakeEc2 implements Ec2Api {
  readonly calls: Call[] = [];
  readonly store = new ScriptedTasks<Step, ImageTask, Op>({
    idFor: taskIdFor,
    script: () => [
      { status: "active", statusMessage: "pending", progress: 2 },
      { status: "completed" },
    ],
    gone: (step) => step.status === "GONE",
  });
  readonly tasks = this.store.tasks;
  readonly tokens = this.store.tokens;
  readonly images = new Map<string, Ec2Image>();
  readonly snapshots = new Set<string>();
  readonly failures = this.store.failures;
  /** Status walks of the next started tasks. */
  readonly scripts = this.store.scripts;
  readonly conversionStore = new ScriptedTasks<ConversionStep, ConversionTask>({
    idFor: conversionIdFor,
    script: () => [{ state: "active" }, { state: "completed" }],
  });
  readonly conversions = this.conversionStore.tasks;
  /** State walks of the next started conversions. */
  readonly conversionScripts = this.conversionStore.scripts;
  /** instanceId → remaining states (the last sticks). */
  readonly instances = new Map<string, string[]>();
  readonly volumes = new Set<string>();
  /** ImportSnapshot tasks: each walks its steps; completing registers snapIdFor(n, 0). */
  readonly snapshotStore = new ScriptedTasks<SnapshotStep, SnapshotTask>({
    idFor: snapTaskIdFor,
    script: () => [
      { status: "active", statusMessage: "pending", progress: 3 },
      { status: "completed" },
    ],
  });
  readonly snapshotTasks = this.snapshotStore.tasks;
  /** Status walks of the next started snapshot imports. */
  readonly snapshotScripts = this.snapshotStore.scripts;

  private fail(op: Op): void {
    this.store.fail(op);
  }

  add(id: string, steps: Step[], n?: number, disks = 1): ImageTask {
    this.store.add(id, steps, imageBase(id, disks), n);
    return this.view(id)!;
  }

  /** The view of `id` at `step` (default its current one); completing registers the AMI once. */
  private view(id: string, step = this.store.current(id)): ImageTask | undefined {
    const t = this.tasks.get(id);
    if (t === undefined || step === undefined) return undefined;
    const view: ImageTask = {
      ...t.data,
      ...step,
      snapshotDetails: t.data.snapshotDetails.map((d) => ({ ...d, status: step.status })),
    };
    if (step.status === "completed") {
      const imageId = imageIdFor(t.n);
      const snaps = t.data.snapshotDetails.map((_d, i) => snapIdFor(t.n, i));
      if (!t.data.imageId) {
        t.data.imageId = imageId;
        this.images.set(imageId, {
          imageId,
          state: "available",
          creationDate: "2026-01-01T02:00:00.000Z",
          snapshotIds: snaps,
        });
        for (const s of snaps) this.snapshots.add(s);
      }
      view.imageId = imageId;
      view.progress = undefined;
      delete view.progress;
      view.snapshotDetails = view.snapshotDetails.map((d, i) => ({
        ...d,
        snapshotId: snaps[i]!,
        deviceName: i === 0 ? "/dev/sda1" : `/dev/sd${"abcdefgh"[i]}`,
      }));
    }
    return view;
  }

  importImage(request: ImportImageRequest): Promise<ImageTask> {
    this.calls.push({ op: "importImage", token: request.ClientToken, request });
    this.fail("importImage");
    const { id } = this.store.start(request.ClientToken, (n) =>
      imageBase(taskIdFor(n), request.DiskContainers?.length ?? 0),
    );
    return Promise.resolve(this.view(id)!);
  }

  describeImportImageTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ImageTask>> {
    this.calls.push({ op: "describeImportImageTasks", ids: [...ids] });
    this.fail("describeImportImageTasks");
    const out = new Map<string, ImageTask>();
    for (const [id, step] of this.store.describeAll(ids)) out.set(id, this.view(id, step)!);
    return Promise.resolve(out);
  }

  cancelImportTask(id: string): Promise<void> {
    this.calls.push({ op: "cancelImportTask", id });
    this.fail("cancelImportTask");
    if (this.snapshotTasks.has(id)) return this.cancelSnapshotTask(id);
    const t = this.tasks.get(id);
    if (t === undefined) return Promise.reject(awsError("InvalidConversionTaskId"));
    if (t.steps[0]!.status !== "active")
      return Promise.reject(awsError("DeleteConversionTaskError"));
    t.steps = [
      { status: "deleting", statusMessage: "pulumi destroy" },
      { status: "deleted", statusMessage: "pulumi destroy" },
    ];
    return Promise.resolve();
  }

  describeImages(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Image>> {
    this.calls.push({ op: "describeImages", ids: [...ids] });
    this.fail("describeImages");
    const out = new Map<string, Ec2Image>();
    for (const id of ids) {
      const image = this.images.get(id);
      if (image !== undefined) out.set(id, image);
    }
    return Promise.resolve(out);
  }

  deregisterImage(id: string): Promise<void> {
    this.calls.push({ op: "deregisterImage", id });
    this.fail("deregisterImage");
    if (!this.images.delete(id)) return Promise.reject(awsError("InvalidAMIID.NotFound"));
    return Promise.resolve();
  }

  deleteSnapshot(id: string): Promise<void> {
    this.calls.push({ op: "deleteSnapshot", id });
    this.fail("deleteSnapshot");
    if (!this.snapshots.delete(id)) return Promise.reject(awsError("InvalidSnapshot.NotFound"));
    return Promise.resolve();
  }

  addConversion(id: string, steps: ConversionStep[], n: number, description = "[m]"): void {
    this.conversionStore.add(id, steps, conversionBase(id, n, description), n);
  }

  private conversionView(
    id: string,
    step = this.conversionStore.current(id),
  ): ConversionTask | undefined {
    const t = this.conversions.get(id);
    if (t === undefined || step === undefined) return undefined;
    const done = step.state === "completed";
    if (done && !this.instances.has(t.data.instanceId!)) {
      this.instances.set(t.data.instanceId!, ["stopped"]);
      this.volumes.add(t.data.volumes[0]!.volumeId!);
    }
    return {
      ...t.data,
      ...step,
      volumes: t.data.volumes.map((v) => ({
        ...v,
        status: step.state,
        bytesConverted: done ? 1000 : (v.bytesConverted ?? 0),
      })),
    };
  }

  importInstance(request: ImportInstanceRequest): Promise<ConversionTask> {
    this.calls.push({ op: "importInstance", request });
    this.fail("importInstance");
    const { id } = this.conversionStore.start(undefined, (n) =>
      conversionBase(conversionIdFor(n), n, request.Description ?? ""),
    );
    return Promise.resolve(this.conversionView(id)!);
  }

  describeConversionTasks(ids: readonly string[]): Promise<ReadonlyMap<string, ConversionTask>> {
    this.calls.push({ op: "describeConversionTasks", ids: [...ids] });
    this.fail("describeConversionTasks");
    const out = new Map<string, ConversionTask>();
    for (const [id, step] of this.conversionStore.describeAll(ids))
      out.set(id, this.conversionView(id, step)!);
    return Promise.resolve(out);
  }

  listConversionTasks(): Promise<ConversionTask[]> {
    this.calls.push({ op: "listConversionTasks" });
    this.fail("listConversionTasks");
    return Promise.resolve([...this.conversions.keys()].map((id) => this.conversionView(id)!));
  }

  cancelConversionTask(id: string): Promise<void> {
    this.calls.push({ op: "cancelConversionTask", id });
    this.fail("cancelConversionTask");
    const t = this.conversions.get(id);
    if (t === undefined) return Promise.reject(awsError("InvalidConversionTaskId"));
    if (t.steps[0]!.state !== "active")
      return Promise.reject(awsError("DeleteConversionTaskError"));
    t.steps = [
      { state: "cancelling", statusMessage: "pulumi destroy" },
      { state: "cancelled", statusMessage: "pulumi destroy" },
    ];
    return Promise.resolve();
  }

  describeInstances(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Instance>> {
    this.calls.push({ op: "describeInstances", ids: [...ids] });
    this.fail("describeInstances");
    const out = new Map<string, Ec2Instance>();
    for (const id of ids) {
      const states = this.instances.get(id);
      if (states === undefined) continue;
      out.set(id, { instanceId: id, state: states[0]! });
      if (states.length > 1) states.shift();
    }
    return Promise.resolve(out);
  }

  terminateInstance(id: string): Promise<void> {
    this.calls.push({ op: "terminateInstance", id });
    this.fail("terminateInstance");
    if (!this.instances.has(id)) return Promise.reject(awsError("InvalidInstanceID.NotFound"));
    this.instances.set(id, ["shutting-down", "terminated"]);
    return Promise.resolve();
  }

  deleteVolume(id: string): Promise<void> {
    this.calls.push({ op: "deleteVolume", id });
    this.fail("deleteVolume");
    if (!this.volumes.has(id)) return Promise.reject(awsError("InvalidVolume.NotFound"));
    const attachedTo = [...this.instances.entries()].find(([, s]) => s[0] !== "terminated");
    if (attachedTo !== undefined) return Promise.reject(awsError("VolumeInUse"));
    this.volumes.delete(id);
    return Promise.resolve();
  }

  addSnapshotTask(id: string, steps: SnapshotStep[], n?: number): SnapshotTask {
    this.snapshotStore.add(id, steps, { importTaskId: id, status: "" }, n);
    return this.snapshotView(id)!;
  }

  /** The view of `id` at `step` (default its current one); completing registers the snapshot once. */
  private snapshotView(
    id: string,
    step = this.snapshotStore.current(id),
  ): SnapshotTask | undefined {
    const t = this.snapshotTasks.get(id);
    if (t === undefined || step === undefined) return undefined;
    const view: SnapshotTask = { ...t.data, ...step };
    if (view.status === "completed") {
      const snapshotId = snapIdFor(t.n, 0);
      if (t.data.snapshotId === undefined) {
        t.data.snapshotId = snapshotId;
        this.snapshots.add(snapshotId);
      }
      delete view.progress;
      delete view.statusMessage;
      Object.assign(view, { snapshotId, diskImageSize: 2048 });
    }
    return view;
  }

  importSnapshot(request: ImportSnapshotRequest): Promise<SnapshotTask> {
    this.calls.push({ op: "importSnapshot", token: request.ClientToken, request });
    this.fail("importSnapshot");
    const { id } = this.snapshotStore.start(request.ClientToken, (n) => ({
      importTaskId: snapTaskIdFor(n),
      status: "",
    }));
    return Promise.resolve(this.snapshotView(id)!);
  }

  describeImportSnapshotTasks(ids: readonly string[]): Promise<ReadonlyMap<string, SnapshotTask>> {
    this.calls.push({ op: "describeImportSnapshotTasks", ids: [...ids] });
    this.fail("describeImportSnapshotTasks");
    const out = new Map<string, SnapshotTask>();
    for (const [id, step] of this.snapshotStore.describeAll(ids))
      out.set(id, this.snapshotView(id, step)!);
    return Promise.resolve(out);
  }

  private cancelSnapshotTask(id: string): Promise<void> {
    const t = this.snapshotTasks.get(id)!;
    if (t.steps[0]!.status !== "active")
      return Promise.reject(awsError("DeleteConversionTaskError"));
    t.steps = [
      { status: "deleting", statusMessage: "pulumi destroy" },
      { status: "deleted", statusMessage: "pulumi destroy" },
    ];
    return Promise.resolve();
  }

  describeSnapshots(ids: readonly string[]): Promise<ReadonlyMap<string, Ec2Snapshot>> {
    this.calls.push({ op: "describeSnapshots", ids: [...ids] });
    this.fail("describeSnapshots");
    const out = new Map<string, Ec2Snapshot>();
    for (const id of ids) {
      if (this.snapshots.has(id))
        out.set(id, { snapshotId: id, state: "completed", volumeSize: 1 });
    }
    return Promise.resolve(out);
  }
}

export { type Line, recordingLogger, T0 } from "../../../support/harness";
export { rejection } from "../../../support/rejection";

export interface Setup {
  provider: ProviderImplementation;
  ec2: FakeEc2;
  clock: ManualClock;
  lines: Line[];
}

/** A provider on a FakeEc2 and a manual clock (auto-advancing unless told), polling every 1 s. */
export async function setupProvider(
  createProvider: (deps: Partial<TaskDeps<Ec2Api>>) => ProviderImplementation,
  config: Record<string, string> = {},
  autoAdvance = true,
): Promise<Setup> {
  const ec2 = new FakeEc2();
  const clock = manualClock(T0, autoAdvance);
  const { logger, lines } = recordingLogger();
  const provider = createProvider({ clock, random: () => 0.5, logger, api: () => ec2, env: {} });
  await configured(provider, config);
  return { provider, ec2, clock, lines };
}

export const ops = (ec2: FakeEc2): string[] => ec2.calls.map((c) => c.op);
