import { strict as assert } from "node:assert";
import {
  DescribeConversionTasksCommand,
  DescribeImportImageTasksCommand,
} from "@aws-sdk/client-ec2";
import { ListImportsCommand } from "@aws-sdk/client-mgn";
import { type Emulator, startEmulator } from "../../emulator";
import { DescribeImportTasksCommand } from "../../provider/ads/client";
import {
  type Clients,
  clientsFor,
  destroyClients,
  REGION,
  SERVICES,
  setupFixtures,
} from "../../bench/lib/services";

/** EmulatorOptions.taskDurationMs: chosen durations, no ADS queue, no MGN cap, EC2 stages scaled. */
describe("emulator taskDurationMs option", () => {
  let emulator: Emulator;
  let c: Clients;
  const seen: { service: string; id: string; startedMs: number }[] = [];

  before(async () => {
    // A stopped clock: time moves only by advanceSeconds.
    emulator = await startEmulator({
      timeScale: 1e-9,
      rateLimits: false,
      homeRegion: REGION,
      taskDurationMs: (task) => {
        seen.push(task);
        return task.service === "ec2" ? 900_000 : 600_000;
      },
    });
    c = clientsFor(emulator);
    await setupFixtures(c);
  });
  after(async () => {
    destroyClients(c);
    await emulator.stop();
  });

  it("runs every task for its chosen duration, concurrently, and reports each start", async () => {
    const t0 = emulator.now();
    const ads = [await SERVICES.ads.start(c, 0, "t"), await SERVICES.ads.start(c, 1, "t")];
    // Four MGN imports: one more than the emulator's in-progress cap, which is off with this option.
    const mgn: string[] = [];
    for (let i = 0; i < 4; i++) mgn.push(await SERVICES.mgn.start(c, i, "t"));
    const conversion = await SERVICES["ec2-instance"].start(c, 0, "t");
    const image = await SERVICES["ec2-image"].start(c, 0, "t");
    const near = (ms: number): boolean => Math.abs(ms - t0) < 5;
    assert.deepEqual(
      seen.map((s) => [s.service, s.id, near(s.startedMs)]),
      [
        ...ads.map((id) => ["ads", id, true]),
        ...mgn.map((id) => ["mgn", id, true]),
        ["ec2", conversion, true],
        ["ec2", image, true],
      ],
    );

    const statuses = async (): Promise<string[]> => {
      const a = await c.ads.send(
        new DescribeImportTasksCommand({ filters: [{ name: "IMPORT_TASK_ID", values: ads }] }),
      );
      const m = await c.mgn.send(new ListImportsCommand({ filters: { importIDs: mgn } }));
      const ct = await c.ec2.send(
        new DescribeConversionTasksCommand({ ConversionTaskIds: [conversion] }),
      );
      const it = await c.ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [image] }));
      return [
        ...(a.tasks ?? []).map((t) => `ads:${t.status}`).sort(),
        ...(m.items ?? []).map((t) => `mgn:${t.status}`).sort(),
        `ec2-instance:${ct.ConversionTasks?.[0]?.State}`,
        `ec2-image:${it.ImportImageTasks?.[0]?.Status}`,
      ];
    };
    emulator.configure({ advanceSeconds: 599 });
    assert.deepEqual(await statuses(), [
      ...Array(2).fill("ads:IMPORT_IN_PROGRESS"),
      ...Array(4).fill("mgn:STARTED"),
      "ec2-instance:active",
      "ec2-image:active",
    ]);
    emulator.configure({ advanceSeconds: 1 });
    assert.deepEqual(await statuses(), [
      ...Array(2).fill("ads:IMPORT_COMPLETE"),
      ...Array(4).fill("mgn:SUCCEEDED"),
      "ec2-instance:active",
      "ec2-image:active",
    ]);
    emulator.configure({ advanceSeconds: 299 });
    assert.deepEqual((await statuses()).slice(6), ["ec2-instance:active", "ec2-image:active"]);
    emulator.configure({ advanceSeconds: 1 });
    assert.deepEqual((await statuses()).slice(6), [
      "ec2-instance:completed",
      "ec2-image:completed",
    ]);
  });
});
