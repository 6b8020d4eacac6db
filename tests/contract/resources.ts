/**
 * The contract table: one row per resource. A row names the resource, its ID output, the cases that
 * do not apply to it (and why), and how to build a world (world.ts) in each tier. Adding a
 * resource is one row here; the cases themselves are in suite.ts.
 */
import { createProvider as adsProvider } from "../../provider/ads/importTaskProvider";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { createProvider as imageProvider } from "../../provider/ec2/importImageTaskProvider";
import { createProvider as instanceProvider } from "../../provider/ec2/importInstanceTaskProvider";
import { createProvider as snapshotProvider } from "../../provider/ec2/importSnapshotTaskProvider";
import { createProvider as mgnProvider } from "../../provider/mgn/importTaskProvider";
import { createProvider as taskProvider } from "../../provider/migrationhub/migrationTaskProvider";
import { createProvider as streamProvider } from "../../provider/migrationhub/progressUpdateStreamProvider";
import type { Emulator } from "../../emulator";
import {
  configured,
  type ManualClock,
  manualClock,
  type Protocol,
  recordingLogger,
  serverError,
  T0,
} from "../support/harness";
import type { AwsCaller, Deps } from "../../provider/core/task/spec";
import type { ScriptedTasks } from "../support/scriptedTasks";
import { FakeAds } from "../unit/provider/ads/fakeAds";
import {
  type ConversionStep,
  FakeEc2,
  type SnapshotStep,
  type Step,
} from "../unit/provider/ec2/fakeEc2";
import { FakeMgn } from "../unit/provider/mgn/fakeMgn";
import { FakeMigrationHub } from "../unit/provider/migrationhub/fakeApi";
import { emulatorWorlds } from "./emulatorWorlds";
import { type CaseName, type Course, MIGRATION_TASK, type World } from "./world";

export interface ContractRow {
  /** `ads.ImportTask`: how messages and the suite name it. */
  readonly type: string;
  /** The output holding the task's ID (absent: the ID is not an output), and its status. */
  readonly idOutput?: string;
  readonly statusOutput: string;
  /** Its status once the task has completed. */
  readonly doneStatus: string;
  readonly protocol: Protocol;
  /** Extra inputs that make delete keep everything. */
  readonly retainInputs: Record<string, unknown>;
  /** Cases that do not apply, and why. */
  readonly notApplicable: Partial<Record<CaseName, string>>;
  unit(): Promise<World>;
  /** The provider-tier world; absent, the resource runs the contract in the unit tier only. */
  emulator?(emulator: Emulator): Promise<World>;
  /** Cases the emulator cannot set up for this resource, and why. */
  readonly emulatorNotApplicable?: Partial<Record<CaseName, string>>;
}

type Make = (
  clock: ManualClock,
  config?: Record<string, string>,
) => Promise<ProviderImplementation>;

/** Provider factory for a fake: a manual clock, the recording logger, the poll config. */
function maker<A>(
  create: (deps: Partial<Deps<A>>) => ProviderImplementation,
  api: (call: AwsCaller) => A,
): Make {
  return (clock, config = {}) =>
    configured(
      create({
        clock,
        random: () => 0.5,
        logger: recordingLogger().logger,
        api: (_settings, call) => api(call),
        env: {},
      }),
      config,
    );
}

/** A world on a fake whose tasks live in a ScriptedTasks store. */
async function storeWorld<S, D>(o: {
  make: Make;
  protocol: Protocol;
  store: ScriptedTasks<S, D>;
  /** A step of a running task, of a completed one and of a failed one. */
  steps: { running: S; done: S; failed: S };
  /** Valid inputs with the token (the world adds `__provider` and a case's extras). */
  inputs: Record<string, unknown>;
  /** The fake's call log and its start operation. */
  fake: { readonly calls: readonly { op: string }[] };
  startOp: string;
  /** What read keeps beside the task (EC2's AMI or instance) goes too. */
  removeMore?(id: string, data: D): void;
}): Promise<World> {
  const provider = await o.make(manualClock());
  const { running, done, failed } = o.steps;
  const courses: Record<Course, S[]> = {
    completes: [running, running, done],
    fails: [running, failed],
    runs: [running],
    failsAtOnce: [failed],
  };
  const starts = (): number => o.fake.calls.filter((c) => c.op === o.startOp).length;
  return {
    provider,
    inputs(course, extra = {}) {
      o.store.scripts.push([...courses[course]]);
      return { ...o.inputs, __provider: PROVIDER, ...extra };
    },
    impatient: () => o.make(manualClock(), { "awsMigration:waitTimeoutMinutes": "1" }),
    async dieAfterStart(inputs) {
      const clock = manualClock(T0, false);
      const dying = await o.make(clock);
      const before = starts();
      dying.create(inputs).catch(() => undefined);
      for (let i = 0; i < 100 && starts() === before; i++) await clock.advance(20);
    },
    complete(id) {
      o.store.tasks.get(id)!.steps = [done];
      return Promise.resolve();
    },
    remove(id) {
      const task = o.store.tasks.get(id);
      o.store.tasks.delete(id);
      if (task !== undefined) o.removeMore?.(id, task.data);
      return Promise.resolve();
    },
    loseNextStartAnswer() {
      o.store.lostAnswers.push(serverError(o.protocol));
    },
    tasks: () => Promise.resolve([...o.store.tasks.keys()]),
    calls: () => Promise.resolve(o.fake.calls.length),
  };
}

const PROVIDER = "serialized-shim";

const NO_LOST_ANSWER = {
  "lost start answer is this create's failure":
    "the emulator's faults fail a request before it acts, so no start answer is lost after the task exists (unit tier only)",
} as const;

const ads: ContractRow = {
  type: "ads.ImportTask",
  idOutput: "importTaskId",
  statusOutput: "status",
  doneStatus: "IMPORT_COMPLETE",
  protocol: "awsJson1_1",
  retainInputs: { retainOnDelete: true },
  notApplicable: {},
  unit() {
    const fake = new FakeAds();
    return storeWorld({
      protocol: "awsJson1_1",
      make: maker(adsProvider, () => fake),
      store: fake.store,
      steps: { running: "IMPORT_IN_PROGRESS", done: "IMPORT_COMPLETE", failed: "IMPORT_FAILED" },
      inputs: {
        name: "servers-q3",
        importUrl: "s3://migration-data/servers.csv",
        clientRequestToken: "pam-token-1",
      },
      fake,
      startOp: "start",
    });
  },
  emulator: (emulator) => emulatorWorlds.ads(emulator),
  emulatorNotApplicable: {
    ...NO_LOST_ANSWER,
  },
};

const mgn: ContractRow = {
  type: "mgn.ImportTask",
  idOutput: "importId",
  statusOutput: "status",
  doneStatus: "SUCCEEDED",
  protocol: "restJson1",
  retainInputs: {},
  notApplicable: {},
  unit() {
    const fake = new FakeMgn();
    return storeWorld({
      protocol: "restJson1",
      make: maker(mgnProvider, (call) => fake.api(call)),
      store: fake.store,
      steps: { running: "STARTED", done: "SUCCEEDED", failed: "FAILED" },
      inputs: {
        s3BucketSource: { s3Bucket: "migration-data", s3Key: "inventory/wave-1.csv" },
        clientToken: "pam-token-1",
      },
      fake,
      startOp: "start",
    });
  },
  emulator: (emulator) => emulatorWorlds.mgn(emulator),
  emulatorNotApplicable: {
    ...NO_LOST_ANSWER,
    "read drops a gone task":
      "MGN has no API that deletes an import, so none goes away (unit tier only)",
  },
};

const image: ContractRow = {
  type: "ec2.ImportImageTask",
  idOutput: "importTaskId",
  statusOutput: "status",
  doneStatus: "completed",
  protocol: "ec2Query",
  retainInputs: { retainOnDelete: true },
  notApplicable: {},
  unit() {
    const fake = new FakeEc2();
    const bad: Step = { status: "deleted", statusMessage: "ClientError: Disk validation failed" };
    return storeWorld({
      protocol: "ec2Query",
      make: maker(imageProvider, () => fake),
      store: fake.store,
      steps: {
        running: { status: "active", progress: 2 },
        done: { status: "completed" },
        failed: bad,
      },
      inputs: {
        description: "web server",
        diskContainers: [
          { format: "vmdk", userBucket: { s3Bucket: "vm-imports", s3Key: "web.vmdk" } },
        ],
        clientToken: "pam-token-1",
      },
      fake,
      startOp: "importImage",
      removeMore: (_id, data) => {
        if (data.imageId !== undefined) fake.images.delete(data.imageId);
      },
    });
  },
  emulator: (emulator) => emulatorWorlds.image(emulator),
  emulatorNotApplicable: {
    ...NO_LOST_ANSWER,
  },
};

const instance: ContractRow = {
  type: "ec2.ImportInstanceTask",
  idOutput: "conversionTaskId",
  statusOutput: "state",
  doneStatus: "completed",
  protocol: "ec2Query",
  retainInputs: { retainOnDelete: true },
  notApplicable: {},
  unit() {
    const fake = new FakeEc2();
    const bad: ConversionStep = { state: "cancelled", statusMessage: "manifest unusable" };
    return storeWorld({
      protocol: "ec2Query",
      make: maker(instanceProvider, () => fake),
      store: fake.conversionStore,
      steps: { running: { state: "active" }, done: { state: "completed" }, failed: bad },
      inputs: {
        description: "web",
        platform: "Windows",
        diskImages: [
          {
            image: {
              format: "VMDK",
              bytes: 1000,
              importManifestUrl: "https://vm-imports.s3.amazonaws.com/web.manifest.xml",
            },
            volume: { size: 8 },
          },
        ],
        marker: "pam-marker-1",
      },
      fake,
      startOp: "importInstance",
      removeMore: (_id, data) => {
        if (data.instanceId !== undefined) fake.instances.delete(data.instanceId);
      },
    });
  },
  emulator: (emulator) => emulatorWorlds.instance(emulator),
  emulatorNotApplicable: { ...NO_LOST_ANSWER },
};

const snapshot: ContractRow = {
  type: "ec2.ImportSnapshotTask",
  idOutput: "importTaskId",
  statusOutput: "status",
  doneStatus: "completed",
  protocol: "ec2Query",
  retainInputs: { retainOnDelete: true },
  notApplicable: {},
  unit() {
    const fake = new FakeEc2();
    const bad: SnapshotStep = {
      status: "deleted",
      statusMessage: "ClientError: Disk validation failed",
    };
    return storeWorld({
      protocol: "ec2Query",
      make: maker(snapshotProvider, () => fake),
      store: fake.snapshotStore,
      steps: {
        running: { status: "active", progress: 3 },
        done: { status: "completed" },
        failed: bad,
      },
      inputs: {
        description: "data disk",
        diskContainer: {
          format: "vmdk",
          userBucket: { s3Bucket: "vm-imports", s3Key: "data.vmdk" },
        },
        clientToken: "pam-token-1",
      },
      fake,
      startOp: "importSnapshot",
      // read keeps the resource while its snapshot exists: a vanished task takes it along.
      removeMore: (_id, data) => {
        if (data.snapshotId !== undefined) fake.snapshots.delete(data.snapshotId);
      },
    });
  },
  emulator: (emulator) => emulatorWorlds.snapshot(emulator),
  emulatorNotApplicable: { ...NO_LOST_ANSWER },
};

const migrationTask: ContractRow = {
  type: "migrationhub.MigrationTask",
  statusOutput: "status",
  doneStatus: "COMPLETED",
  protocol: "awsJson1_1",
  retainInputs: {},
  notApplicable: {
    "lost start answer is this create's failure":
      "ImportMigrationTask registers by name (idempotent) and a registered task has no failed state: there is no successor to step to",
  },
  unit: () => migrationTaskWorld(),
  emulator: (emulator) => emulatorWorlds.migrationTask(emulator),
};

const stream: ContractRow = {
  type: "migrationhub.ProgressUpdateStream",
  idOutput: "progressUpdateStreamName",
  statusOutput: "",
  doneStatus: "",
  protocol: "awsJson1_1",
  retainInputs: { retainOnDelete: true },
  notApplicable: {
    "create waits": "CreateProgressUpdateStream is synchronous: there is nothing to wait for",
    "failed create records its ID":
      "a stream has no failed state: a create either returns the stream or throws before it exists",
    "lost start answer is this create's failure":
      "no token and no failed state: a re-create of the name adopts the stream",
    "update resumes": "create never waits, so no wait is left to resume",
  },
  unit: () => streamWorld(),
  emulator: (emulator) => emulatorWorlds.stream(emulator),
};

/** Every resource the contract covers. */
export const RESOURCES: readonly ContractRow[] = [
  ads,
  mgn,
  image,
  instance,
  snapshot,
  migrationTask,
  stream,
];

// --- Migration Hub (FakeMigrationHub: tasks are registered by name, no token) ------------------

const KEY = "tool/web-01";

async function hubWorld(
  create: typeof taskProvider,
  kind: "tasks" | "streams",
  inputs: World["inputs"],
  script: (hub: FakeMigrationHub) => void = () => undefined,
): Promise<World & { hub: FakeMigrationHub }> {
  const hub = new FakeMigrationHub();
  script(hub);
  const make: Make = (clock, config = {}) =>
    configured(
      create({
        clock,
        random: () => 0,
        logger: recordingLogger().logger,
        api: hub.factory,
        env: {},
      }),
      config,
    );
  const provider = await make(manualClock());
  const starts = (): number => hub.calls.filter((c) => /^(Import|Create)/.test(c)).length;
  return {
    hub,
    provider,
    inputs,
    impatient: () => make(manualClock(), { "awsMigration:waitTimeoutMinutes": "1" }),
    async dieAfterStart(raw) {
      const live = hub.call;
      const clock = manualClock(T0, false);
      const dying = await make(clock);
      const before = starts();
      dying.create(raw).catch(() => undefined);
      for (let i = 0; i < 100 && starts() === before; i++) await clock.advance(20);
      // The fake routes calls through the last configured caller: give it back to the live one.
      hub.call = live;
    },
    complete(id) {
      hub.script.set(id, [{ status: "COMPLETED", progressPercent: 100 }]);
      return Promise.resolve();
    },
    remove(id) {
      hub.tasks.delete(id);
      hub.streams.delete(id);
      return Promise.resolve();
    },
    loseNextStartAnswer() {
      throw new Error("not applicable");
    },
    tasks: () => Promise.resolve(kind === "tasks" ? [...hub.tasks.keys()] : [...hub.streams]),
    calls: () => Promise.resolve(hub.calls.length),
  };
}

async function migrationTaskWorld(): Promise<World> {
  let hub: FakeMigrationHub | undefined;
  const world = await hubWorld(
    taskProvider,
    "tasks",
    (course, extra = {}) => {
      const steps = {
        completes: [{ status: "IN_PROGRESS" }, { status: "COMPLETED", progressPercent: 100 }],
        fails: [{ status: "IN_PROGRESS" }, { status: "FAILED", statusDetail: "disk copy failed" }],
        runs: [{ status: "IN_PROGRESS" }],
        failsAtOnce: [{ status: "FAILED", statusDetail: "disk copy failed" }],
      }[course] as { status: "IN_PROGRESS" }[];
      hub!.script.set(KEY, steps);
      return { ...MIGRATION_TASK, __provider: PROVIDER, ...extra };
    },
    (h) => {
      hub = h;
      h.streams.add("tool");
    },
  );
  return world;
}

async function streamWorld(): Promise<World> {
  return hubWorld(streamProvider, "streams", (_course, extra = {}) => ({
    progressUpdateStreamName: "tool",
    __provider: PROVIDER,
    ...extra,
  }));
}
