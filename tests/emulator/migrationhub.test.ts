import { strict as assert } from "node:assert";
import {
  AssociateCreatedArtifactCommand,
  CreateProgressUpdateStreamCommand,
  DeleteProgressUpdateStreamCommand,
  DescribeMigrationTaskCommand,
  ImportMigrationTaskCommand,
  ListCreatedArtifactsCommand,
  ListMigrationTasksCommand,
  ListProgressUpdateStreamsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
  PutResourceAttributesCommand,
} from "@aws-sdk/client-migration-hub";
import {
  CreateHomeRegionControlCommand,
  DeleteHomeRegionControlCommand,
  DescribeHomeRegionControlsCommand,
  GetHomeRegionCommand,
  MigrationHubConfigClient,
} from "@aws-sdk/client-migrationhub-config";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";

const ACCOUNT = "123456789012";
const invalid = (message: string) => ({ name: "InvalidInputException", message, status: 400 });
const validation = (value: string, member: string, constraint: string) =>
  invalid(
    `1 validation error detected: Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
const notFoundStream = (name: string) => ({
  name: "ResourceNotFoundException",
  message: `Progress update stream ${name} was not found.`,
  status: 400,
});
const DRY_RUN = {
  name: "DryRunOperation",
  message: "Request would have succeeded, but DryRun flag is set.",
  status: 400,
};
const HOME_NOT_SET = {
  name: "HomeRegionNotSetException",
  message: "The home region is not set. Set the home region to continue.",
  status: 400,
};

describe("emulator Migration Hub", () => {
  describe("without a home region", () => {
    const ctx = useEmulator({ timeScale: 1 });
    const mgh = (region?: string): MigrationHubClient =>
      new MigrationHubClient(clientConfig(ctx.emulator, region));
    const config = (region?: string): MigrationHubConfigClient =>
      new MigrationHubConfigClient(clientConfig(ctx.emulator, region));

    it("refuses every call until CreateHomeRegionControl sets one, then refuses writes from other regions", async () => {
      const { $metadata: _meta, ...unset } = await config().send(new GetHomeRegionCommand({}));
      assert.deepEqual(unset, {});
      assert.deepEqual(
        await errorOf(
          mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" })),
        ),
        HOME_NOT_SET,
      );
      assert.deepEqual(
        await errorOf(mgh().send(new ListProgressUpdateStreamsCommand({}))),
        HOME_NOT_SET,
      );

      const before = Date.now();
      const created = await config().send(
        new CreateHomeRegionControlCommand({
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT", Id: ACCOUNT },
        }),
      );
      const control = created.HomeRegionControl!;
      assert.match(control.ControlId!, /^hrc-[a-z0-9]{12}$/);
      assert.deepEqual(
        { ...control, ControlId: "x", RequestedTime: undefined },
        {
          ControlId: "x",
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT", Id: ACCOUNT },
          RequestedTime: undefined,
        },
      );
      assert.ok(
        control.RequestedTime instanceof Date &&
          Math.abs(control.RequestedTime.getTime() - before) < 5000,
      );
      assert.equal(
        (await config("eu-west-1").send(new GetHomeRegionCommand({}))).HomeRegion,
        "us-west-2",
      );

      await mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
      await mgh().send(
        new ImportMigrationTaskCommand({ ProgressUpdateStream: "tool", MigrationTaskName: "vm-1" }),
      );

      const wrong = invalid(
        "This API can only be called in the home region us-west-2; the request was sent to us-east-1.",
      );
      assert.deepEqual(
        await errorOf(
          mgh("us-east-1").send(
            new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "t2" }),
          ),
        ),
        wrong,
      );
      assert.deepEqual(
        await errorOf(
          mgh("us-east-1").send(
            new ImportMigrationTaskCommand({
              ProgressUpdateStream: "tool",
              MigrationTaskName: "vm-2",
            }),
          ),
        ),
        wrong,
      );
      // Reads are answered from any region, with the home region's data.
      const listed = await mgh("us-east-1").send(new ListProgressUpdateStreamsCommand({}));
      assert.deepEqual(listed.ProgressUpdateStreamSummaryList, [
        { ProgressUpdateStreamName: "tool" },
      ]);
      const described = await mgh("us-east-1").send(
        new DescribeMigrationTaskCommand({
          ProgressUpdateStream: "tool",
          MigrationTaskName: "vm-1",
        }),
      );
      assert.deepEqual(described.MigrationTask, {
        ProgressUpdateStream: "tool",
        MigrationTaskName: "vm-1",
        ResourceAttributeList: [],
      });
    });

    it("answers HomeRegionNotSetException on every Migration Hub operation", async () => {
      const t = { ProgressUpdateStream: "tool", MigrationTaskName: "vm-1" };
      const calls: (() => Promise<unknown>)[] = [
        () =>
          mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" })),
        () =>
          mgh().send(new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" })),
        () => mgh().send(new ListProgressUpdateStreamsCommand({})),
        () => mgh().send(new ImportMigrationTaskCommand(t)),
        () => mgh().send(new DescribeMigrationTaskCommand(t)),
        () =>
          mgh().send(
            new NotifyMigrationTaskStateCommand({
              ...t,
              Task: { Status: "IN_PROGRESS" },
              UpdateDateTime: new Date(),
              NextUpdateSeconds: 0,
            }),
          ),
        () => mgh().send(new ListMigrationTasksCommand({})),
        () =>
          mgh().send(
            new PutResourceAttributesCommand({
              ...t,
              ResourceAttributeList: [{ Type: "FQDN", Value: "a" }],
            }),
          ),
        () =>
          mgh().send(
            new AssociateCreatedArtifactCommand({
              ...t,
              CreatedArtifact: { Name: "arn:aws:ec2:::x" },
            }),
          ),
        () => mgh().send(new ListCreatedArtifactsCommand(t)),
      ];
      for (const call of calls) assert.deepEqual(await errorOf(call()), HOME_NOT_SET);
    });

    it("returns the existing control for the same region and refuses a different one", async () => {
      const cfg = config();
      const first = await cfg.send(
        new CreateHomeRegionControlCommand({
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT" },
        }),
      );
      const again = await cfg.send(
        new CreateHomeRegionControlCommand({
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT" },
        }),
      );
      assert.deepEqual(again.HomeRegionControl, first.HomeRegionControl);
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({
              HomeRegion: "eu-west-1",
              Target: { Type: "ACCOUNT" },
            }),
          ),
        ),
        invalid("The home region is already set to us-west-2. Contact AWS Support to change it."),
      );
    });

    it("describes controls with filters and pages, and deleting the control unsets the home region", async () => {
      const cfg = config();
      const { HomeRegionControl: control } = await cfg.send(
        new CreateHomeRegionControlCommand({
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT" },
        }),
      );
      const all = await cfg.send(new DescribeHomeRegionControlsCommand({ MaxResults: 1 }));
      assert.deepEqual(all.HomeRegionControls, [control]);
      assert.equal(all.NextToken, undefined);
      assert.deepEqual(
        (await cfg.send(new DescribeHomeRegionControlsCommand({ ControlId: control!.ControlId })))
          .HomeRegionControls,
        [control],
      );
      assert.deepEqual(
        (await cfg.send(new DescribeHomeRegionControlsCommand({ HomeRegion: "eu-west-1" })))
          .HomeRegionControls,
        [],
      );
      assert.deepEqual(
        (
          await cfg.send(
            new DescribeHomeRegionControlsCommand({ Target: { Type: "ACCOUNT", Id: ACCOUNT } }),
          )
        ).HomeRegionControls,
        [control],
      );
      await mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "kept" }));

      await cfg.send(new DeleteHomeRegionControlCommand({ ControlId: control!.ControlId }));
      assert.equal((await cfg.send(new GetHomeRegionCommand({}))).HomeRegion, undefined);
      assert.deepEqual(
        await errorOf(mgh().send(new ListProgressUpdateStreamsCommand({}))),
        HOME_NOT_SET,
      );
      // The data stays: setting the home region again shows the stream.
      await cfg.send(
        new CreateHomeRegionControlCommand({
          HomeRegion: "us-west-2",
          Target: { Type: "ACCOUNT" },
        }),
      );
      assert.deepEqual(
        (await mgh().send(new ListProgressUpdateStreamsCommand({})))
          .ProgressUpdateStreamSummaryList,
        [{ ProgressUpdateStreamName: "kept" }],
      );
      assert.deepEqual(
        await errorOf(
          cfg.send(new DeleteHomeRegionControlCommand({ ControlId: "hrc-000000000000" })),
        ),
        invalid("Home region control hrc-000000000000 does not exist."),
      );
    });

    it("answers DryRunOperation without setting the home region, and validates the input", async () => {
      const cfg = config();
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({
              HomeRegion: "us-west-2",
              Target: { Type: "ACCOUNT" },
              DryRun: true,
            }),
          ),
        ),
        DRY_RUN,
      );
      assert.equal((await cfg.send(new GetHomeRegionCommand({}))).HomeRegion, undefined);
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({
              HomeRegion: "US_WEST_2",
              Target: { Type: "ACCOUNT" },
            }),
          ),
        ),
        validation(
          "'US_WEST_2'",
          "homeRegion",
          "Member must satisfy regular expression pattern: ^([a-z]+)-([a-z]+)-([0-9]+)$",
        ),
      );
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({
              HomeRegion: "us-west-2",
              Target: { Type: "ORG" as "ACCOUNT" },
            }),
          ),
        ),
        validation("'ORG'", "target.type", "Member must satisfy enum value set: [ACCOUNT]"),
      );
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({
              HomeRegion: "us-west-2",
              Target: { Type: "ACCOUNT", Id: "210987654321" },
            }),
          ),
        ),
        invalid("Target account 210987654321 does not match the calling account 123456789012."),
      );
      assert.deepEqual(
        await errorOf(
          cfg.send(
            new CreateHomeRegionControlCommand({ HomeRegion: "us-west-2", Target: undefined }),
          ),
        ),
        validation("null", "target", "Member must not be null"),
      );
      assert.deepEqual(
        await errorOf(cfg.send(new DescribeHomeRegionControlsCommand({ MaxResults: 101 }))),
        validation("'101'", "maxResults", "Member must have value less than or equal to 100"),
      );
      assert.deepEqual(
        await errorOf(cfg.send(new DescribeHomeRegionControlsCommand({ ControlId: "ctl-1" }))),
        validation(
          "'ctl-1'",
          "controlId",
          "Member must satisfy regular expression pattern: ^hrc-[a-z0-9]{12}$",
        ),
      );
      assert.deepEqual(
        await errorOf(cfg.send(new DescribeHomeRegionControlsCommand({ NextToken: "bogus" }))),
        invalid("The NextToken is invalid."),
      );
    });
  });

  describe("with home region us-west-2", () => {
    const ctx = useEmulator({ homeRegion: "us-west-2", timeScale: 1 });
    const mgh = (region?: string): MigrationHubClient =>
      new MigrationHubClient(clientConfig(ctx.emulator, region));
    const task = { ProgressUpdateStream: "tool", MigrationTaskName: "vm-1" };

    async function streamWithTask(client: MigrationHubClient): Promise<void> {
      await client.send(
        new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
      );
      await client.send(new ImportMigrationTaskCommand(task));
    }

    describe("home region", () => {
      it("refuses every write from another region and answers reads there", async () => {
        await streamWithTask(mgh());
        const away = mgh("eu-west-1");
        const wrong = invalid(
          "This API can only be called in the home region us-west-2; the request was sent to eu-west-1.",
        );
        const writes: (() => Promise<unknown>)[] = [
          () =>
            away.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "other" })),
          () => away.send(new ImportMigrationTaskCommand(task)),
          () =>
            away.send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "IN_PROGRESS" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          () =>
            away.send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "FQDN", Value: "a" }],
              }),
            ),
          () =>
            away.send(
              new AssociateCreatedArtifactCommand({
                ...task,
                CreatedArtifact: { Name: "arn:aws:ec2:::x" },
              }),
            ),
        ];
        for (const call of writes) assert.deepEqual(await errorOf(call()), wrong);
        assert.deepEqual(
          (await away.send(new ListMigrationTasksCommand({}))).MigrationTaskSummaryList,
          [task],
        );
        assert.deepEqual(
          (await away.send(new ListCreatedArtifactsCommand(task))).CreatedArtifactList,
          [],
        );
        assert.deepEqual(
          (await away.send(new ListProgressUpdateStreamsCommand({})))
            .ProgressUpdateStreamSummaryList,
          [{ ProgressUpdateStreamName: "tool" }],
        );
      });
    });

    describe("migration task life cycle", () => {
      it("imports, describes without Task before any notify, notifies, lists and re-imports idempotently", async () => {
        const client = mgh();
        await streamWithTask(client);
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask,
          { ...task, ResourceAttributeList: [] },
        );
        assert.deepEqual(
          (await client.send(new ListMigrationTasksCommand({}))).MigrationTaskSummaryList,
          [task],
        );

        const at = new Date(1_700_000_000_000);
        await client.send(
          new NotifyMigrationTaskStateCommand({
            ...task,
            Task: { Status: "IN_PROGRESS", StatusDetail: "replicating", ProgressPercent: 40 },
            UpdateDateTime: at,
            NextUpdateSeconds: 300,
          }),
        );
        const described = await client.send(new DescribeMigrationTaskCommand(task));
        assert.deepEqual(described.MigrationTask, {
          ...task,
          Task: { Status: "IN_PROGRESS", StatusDetail: "replicating", ProgressPercent: 40 },
          UpdateDateTime: at,
          ResourceAttributeList: [],
        });
        assert.deepEqual(
          (await client.send(new ListMigrationTasksCommand({}))).MigrationTaskSummaryList,
          [
            {
              ...task,
              Status: "IN_PROGRESS",
              StatusDetail: "replicating",
              ProgressPercent: 40,
              UpdateDateTime: at,
            },
          ],
        );

        // Re-importing keeps the reported state (AWS leaves this undocumented).
        await client.send(new ImportMigrationTaskCommand(task));
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask,
          described.MigrationTask,
        );

        await client.send(
          new NotifyMigrationTaskStateCommand({
            ...task,
            Task: { Status: "COMPLETED" },
            UpdateDateTime: at,
            NextUpdateSeconds: 0,
          }),
        );
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask?.Task,
          { Status: "COMPLETED" },
        );
      });

      it("overwrites resource attributes on each put, discards VM fields without VM_MANAGER_ID and filters by ResourceName", async () => {
        const client = mgh();
        await streamWithTask(client);
        await client.send(new ImportMigrationTaskCommand({ ...task, MigrationTaskName: "vm-2" }));
        await client.send(
          new PutResourceAttributesCommand({
            ...task,
            ResourceAttributeList: [
              { Type: "IPV4_ADDRESS", Value: "10.0.0.1" },
              { Type: "VM_NAME", Value: "web-1" },
            ],
          }),
        );
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask
            ?.ResourceAttributeList,
          [{ Type: "IPV4_ADDRESS", Value: "10.0.0.1" }],
        );
        const withManager = [
          { Type: "VM_MANAGER_ID" as const, Value: "vcenter-1" },
          { Type: "VM_NAME" as const, Value: "web-1" },
          { Type: "FQDN" as const, Value: "web-1.example.com" },
        ];
        await client.send(
          new PutResourceAttributesCommand({ ...task, ResourceAttributeList: withManager }),
        );
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask
            ?.ResourceAttributeList,
          withManager,
        );

        const byName = await client.send(
          new ListMigrationTasksCommand({ ResourceName: "web-1.example.com" }),
        );
        assert.deepEqual(byName.MigrationTaskSummaryList, [task]);
        assert.deepEqual(
          (await client.send(new ListMigrationTasksCommand({ ResourceName: "10.0.0.1" })))
            .MigrationTaskSummaryList,
          [],
        );
      });

      it("associates created artifacts, replacing a repeated name, and lists them in pages of at most 10", async () => {
        const client = mgh();
        await streamWithTask(client);
        for (let i = 0; i < 11; i++) {
          const Name = `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-${String(i).padStart(4, "0")}`;
          await client.send(
            new AssociateCreatedArtifactCommand({
              ...task,
              CreatedArtifact: { Name, Description: `instance ${i}` },
            }),
          );
        }
        const ami = "arn:aws:ec2:us-west-2::image/ami-1";
        await client.send(
          new AssociateCreatedArtifactCommand({ ...task, CreatedArtifact: { Name: ami } }),
        );
        await client.send(
          new AssociateCreatedArtifactCommand({
            ...task,
            CreatedArtifact: { Name: ami, Description: "golden" },
          }),
        );

        const first = await client.send(new ListCreatedArtifactsCommand(task));
        assert.equal(first.CreatedArtifactList?.length, 10);
        assert.deepEqual(first.CreatedArtifactList?.[0], {
          Name: `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0000`,
          Description: "instance 0",
        });
        const second = await client.send(
          new ListCreatedArtifactsCommand({ ...task, NextToken: first.NextToken }),
        );
        assert.deepEqual(second.CreatedArtifactList, [
          { Name: `arn:aws:ec2:us-west-2:${ACCOUNT}:instance/i-0010`, Description: "instance 10" },
          { Name: ami, Description: "golden" },
        ]);
        assert.equal(second.NextToken, undefined);
        assert.deepEqual(
          await errorOf(client.send(new ListCreatedArtifactsCommand({ ...task, MaxResults: 11 }))),
          validation("'11'", "maxResults", "Member must have value less than or equal to 10"),
        );
      });

      it("answers ResourceNotFoundException for an unknown stream or task", async () => {
        const client = mgh();
        await client.send(
          new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new ImportMigrationTaskCommand({
                ProgressUpdateStream: "nope",
                MigrationTaskName: "vm-1",
              }),
            ),
          ),
          notFoundStream("nope"),
        );
        const missingTask = {
          name: "ResourceNotFoundException",
          message: "Migration task vm-1 was not found in progress update stream tool.",
          status: 400,
        };
        assert.deepEqual(
          await errorOf(client.send(new DescribeMigrationTaskCommand(task))),
          missingTask,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "FAILED" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          ),
          missingTask,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "FQDN", Value: "a" }],
              }),
            ),
          ),
          missingTask,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new AssociateCreatedArtifactCommand({
                ...task,
                CreatedArtifact: { Name: "arn:aws:ec2:::x" },
              }),
            ),
          ),
          missingTask,
        );
        assert.deepEqual(
          await errorOf(client.send(new ListCreatedArtifactsCommand(task))),
          missingTask,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "nope" }),
            ),
          ),
          notFoundStream("nope"),
        );
      });
    });

    describe("progress update streams", () => {
      it("lists streams in pages and rejects a foreign NextToken", async () => {
        const client = mgh();
        // Creating "a" twice is accepted and lists it once.
        for (const n of ["c", "a", "b", "a"])
          await client.send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: n }));
        const p1 = await client.send(new ListProgressUpdateStreamsCommand({ MaxResults: 2 }));
        assert.deepEqual(p1.ProgressUpdateStreamSummaryList, [
          { ProgressUpdateStreamName: "a" },
          { ProgressUpdateStreamName: "b" },
        ]);
        const p2 = await client.send(
          new ListProgressUpdateStreamsCommand({ MaxResults: 2, NextToken: p1.NextToken }),
        );
        assert.deepEqual(p2.ProgressUpdateStreamSummaryList, [{ ProgressUpdateStreamName: "c" }]);
        assert.equal(p2.NextToken, undefined);
        assert.deepEqual(
          await errorOf(client.send(new ListProgressUpdateStreamsCommand({ NextToken: "xyz" }))),
          invalid("The NextToken is invalid."),
        );
        assert.deepEqual(
          await errorOf(client.send(new ListProgressUpdateStreamsCommand({ MaxResults: 0 }))),
          validation("'0'", "maxResults", "Member must have value greater than or equal to 1"),
        );
      });

      it("pages migration tasks across streams", async () => {
        const client = mgh();
        await streamWithTask(client);
        await client.send(new ImportMigrationTaskCommand({ ...task, MigrationTaskName: "vm-2" }));
        await client.send(
          new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "other" }),
        );
        await client.send(
          new ImportMigrationTaskCommand({
            ProgressUpdateStream: "other",
            MigrationTaskName: "db-1",
          }),
        );
        const p1 = await client.send(new ListMigrationTasksCommand({ MaxResults: 2 }));
        assert.deepEqual(p1.MigrationTaskSummaryList, [
          { ProgressUpdateStream: "other", MigrationTaskName: "db-1" },
          task,
        ]);
        const p2 = await client.send(
          new ListMigrationTasksCommand({ MaxResults: 2, NextToken: p1.NextToken }),
        );
        assert.deepEqual(p2.MigrationTaskSummaryList, [{ ...task, MigrationTaskName: "vm-2" }]);
        assert.equal(p2.NextToken, undefined);
        assert.deepEqual(
          await errorOf(client.send(new ListMigrationTasksCommand({ NextToken: "not-a-token!" }))),
          validation(
            "'not-a-token!'",
            "nextToken",
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9\\/\\+\\=]{0,2048}$",
          ),
        );
      });

      it("deletes a stream asynchronously: visible and read-only for a minute, then gone with everything in it", async () => {
        const client = mgh();
        await streamWithTask(client);
        await client.send(
          new PutResourceAttributesCommand({
            ...task,
            ResourceAttributeList: [{ Type: "FQDN", Value: "web" }],
          }),
        );
        await client.send(
          new AssociateCreatedArtifactCommand({
            ...task,
            CreatedArtifact: { Name: "arn:aws:ec2:us-west-2::image/ami-1" },
          }),
        );
        // Deletes count as reads: allowed outside the home region.
        await mgh("eu-west-1").send(
          new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
        );

        assert.deepEqual(
          (await client.send(new ListProgressUpdateStreamsCommand({})))
            .ProgressUpdateStreamSummaryList,
          [{ ProgressUpdateStreamName: "tool" }],
        );
        const deleting = invalid("Progress update stream tool is being deleted.");
        assert.deepEqual(
          await errorOf(
            client.send(
              new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
            ),
          ),
          deleting,
        );
        assert.deepEqual(
          await errorOf(
            client.send(new ImportMigrationTaskCommand({ ...task, MigrationTaskName: "vm-9" })),
          ),
          deleting,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "FAILED" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          ),
          deleting,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new AssociateCreatedArtifactCommand({
                ...task,
                CreatedArtifact: { Name: "arn:aws:ec2:::x" },
              }),
            ),
          ),
          deleting,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "FQDN", Value: "x" }],
              }),
            ),
          ),
          deleting,
        );

        // A repeated delete during the window is accepted and keeps the original deadline.
        await client.send(
          new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
        );
        // Reads still see the task, its attributes and artifacts until the deletion finishes.
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask,
          {
            ...task,
            ResourceAttributeList: [{ Type: "FQDN", Value: "web" }],
          },
        );
        assert.deepEqual(
          (await client.send(new ListCreatedArtifactsCommand(task))).CreatedArtifactList,
          [{ Name: "arn:aws:ec2:us-west-2::image/ami-1" }],
        );

        ctx.emulator.configure({ advanceSeconds: 120 });
        assert.deepEqual(
          (await client.send(new ListProgressUpdateStreamsCommand({})))
            .ProgressUpdateStreamSummaryList,
          [],
        );
        assert.deepEqual(
          await errorOf(client.send(new DescribeMigrationTaskCommand(task))),
          notFoundStream("tool"),
        );
        assert.deepEqual(
          (await client.send(new ListMigrationTasksCommand({}))).MigrationTaskSummaryList,
          [],
        );

        await streamWithTask(client);
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask,
          { ...task, ResourceAttributeList: [] },
        );
        assert.deepEqual(
          (await client.send(new ListCreatedArtifactsCommand(task))).CreatedArtifactList,
          [],
        );
      });
    });

    describe("DryRun", () => {
      it("answers DryRunOperation with no effect on every operation that takes it", async () => {
        const client = mgh();
        assert.deepEqual(
          await errorOf(
            client.send(
              new CreateProgressUpdateStreamCommand({
                ProgressUpdateStreamName: "tool",
                DryRun: true,
              }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          (await client.send(new ListProgressUpdateStreamsCommand({})))
            .ProgressUpdateStreamSummaryList,
          [],
        );
        await streamWithTask(client);
        assert.deepEqual(
          await errorOf(
            client.send(
              new ImportMigrationTaskCommand({ ...task, MigrationTaskName: "vm-2", DryRun: true }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "FAILED" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
                DryRun: true,
              }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "FQDN", Value: "x" }],
                DryRun: true,
              }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new AssociateCreatedArtifactCommand({
                ...task,
                CreatedArtifact: { Name: "arn:aws:ec2:::x" },
                DryRun: true,
              }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          await errorOf(
            client.send(
              new DeleteProgressUpdateStreamCommand({
                ProgressUpdateStreamName: "tool",
                DryRun: true,
              }),
            ),
          ),
          DRY_RUN,
        );
        assert.deepEqual(
          (await client.send(new ListMigrationTasksCommand({}))).MigrationTaskSummaryList,
          [task],
        );
        assert.deepEqual(
          (await client.send(new DescribeMigrationTaskCommand(task))).MigrationTask,
          { ...task, ResourceAttributeList: [] },
        );
        assert.deepEqual(
          (await client.send(new ListCreatedArtifactsCommand(task))).CreatedArtifactList,
          [],
        );
        ctx.emulator.configure({ advanceSeconds: 120 });
        assert.deepEqual(
          (await client.send(new ListProgressUpdateStreamsCommand({})))
            .ProgressUpdateStreamSummaryList,
          [{ ProgressUpdateStreamName: "tool" }],
        );
      });
    });

    describe("input validation", () => {
      const cases: [
        string,
        () => Promise<unknown>,
        { name: string; message: string; status: number },
      ][] = [
        [
          "an empty stream name",
          () => mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "" })),
          validation(
            "''",
            "progressUpdateStreamName",
            "Member must have length greater than or equal to 1",
          ),
        ],
        [
          "a stream name over 50 characters",
          () =>
            mgh().send(
              new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "s".repeat(51) }),
            ),
          validation(
            `'${"s".repeat(51)}'`,
            "progressUpdateStreamName",
            "Member must have length less than or equal to 50",
          ),
        ],
        [
          "a stream name with a slash",
          () =>
            mgh().send(
              new ImportMigrationTaskCommand({
                ProgressUpdateStream: "a/b",
                MigrationTaskName: "vm",
              }),
            ),
          validation(
            "'a/b'",
            "progressUpdateStream",
            "Member must satisfy regular expression pattern: [^/:|\\000-\\037]+",
          ),
        ],
        [
          "a stream name with a control character",
          () =>
            mgh().send(
              new DescribeMigrationTaskCommand({
                ProgressUpdateStream: "a\tb",
                MigrationTaskName: "vm",
              }),
            ),
          validation(
            "'a\tb'",
            "progressUpdateStream",
            "Member must satisfy regular expression pattern: [^/:|\\000-\\037]+",
          ),
        ],
        [
          "a task name with a colon",
          () =>
            mgh().send(
              new ImportMigrationTaskCommand({
                ProgressUpdateStream: "tool",
                MigrationTaskName: "vm:1",
              }),
            ),
          validation(
            "'vm:1'",
            "migrationTaskName",
            "Member must satisfy regular expression pattern: [^:|]+",
          ),
        ],
        [
          "a task name over 256 characters",
          () =>
            mgh().send(
              new ImportMigrationTaskCommand({
                ProgressUpdateStream: "tool",
                MigrationTaskName: "t".repeat(257),
              }),
            ),
          validation(
            `'${"t".repeat(257)}'`,
            "migrationTaskName",
            "Member must have length less than or equal to 256",
          ),
        ],
        [
          "an unknown task status",
          () =>
            mgh().send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "DONE" as "COMPLETED" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          validation(
            "'DONE'",
            "task.status",
            "Member must satisfy enum value set: [NOT_STARTED, IN_PROGRESS, FAILED, COMPLETED]",
          ),
        ],
        [
          "a progress over 100 percent",
          () =>
            mgh().send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "IN_PROGRESS", ProgressPercent: 101 },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          validation(
            "'101'",
            "task.progressPercent",
            "Member must have value less than or equal to 100",
          ),
        ],
        [
          "a status detail over 2500 characters",
          () =>
            mgh().send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "IN_PROGRESS", StatusDetail: "d".repeat(2501) },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: 0,
              }),
            ),
          validation(
            `'${"d".repeat(2501)}'`,
            "task.statusDetail",
            "Member must have length less than or equal to 2500",
          ),
        ],
        [
          "a negative NextUpdateSeconds",
          () =>
            mgh().send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "IN_PROGRESS" },
                UpdateDateTime: new Date(),
                NextUpdateSeconds: -1,
              }),
            ),
          validation(
            "'-1'",
            "nextUpdateSeconds",
            "Member must have value greater than or equal to 0",
          ),
        ],
        [
          "a missing UpdateDateTime",
          () =>
            mgh().send(
              new NotifyMigrationTaskStateCommand({
                ...task,
                Task: { Status: "IN_PROGRESS" },
                UpdateDateTime: undefined,
                NextUpdateSeconds: 0,
              }),
            ),
          validation("null", "updateDateTime", "Member must not be null"),
        ],
        [
          "an empty attribute list",
          () =>
            mgh().send(new PutResourceAttributesCommand({ ...task, ResourceAttributeList: [] })),
          validation(
            "'[]'",
            "resourceAttributeList",
            "Member must have length greater than or equal to 1",
          ),
        ],
        [
          "an unknown attribute type",
          () =>
            mgh().send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "HOSTNAME" as "FQDN", Value: "x" }],
              }),
            ),
          validation(
            "'HOSTNAME'",
            "resourceAttributeList.1.member.type",
            "Member must satisfy enum value set: [IPV4_ADDRESS, IPV6_ADDRESS, MAC_ADDRESS, FQDN, VM_MANAGER_ID, VM_MANAGED_OBJECT_REFERENCE, VM_NAME, VM_PATH, BIOS_ID, MOTHERBOARD_SERIAL_NUMBER]",
          ),
        ],
        [
          "an attribute value over 256 characters",
          () =>
            mgh().send(
              new PutResourceAttributesCommand({
                ...task,
                ResourceAttributeList: [{ Type: "FQDN", Value: "v".repeat(257) }],
              }),
            ),
          validation(
            `'${"v".repeat(257)}'`,
            "resourceAttributeList.1.member.value",
            "Member must have length less than or equal to 256",
          ),
        ],
        [
          "an artifact name that is not an ARN",
          () =>
            mgh().send(
              new AssociateCreatedArtifactCommand({ ...task, CreatedArtifact: { Name: "ami-1" } }),
            ),
          validation(
            "'ami-1'",
            "createdArtifact.name",
            "Member must satisfy regular expression pattern: arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*",
          ),
        ],
        [
          "an artifact description over 500 characters",
          () =>
            mgh().send(
              new AssociateCreatedArtifactCommand({
                ...task,
                CreatedArtifact: { Name: "arn:aws:ec2:::x", Description: "d".repeat(501) },
              }),
            ),
          validation(
            `'${"d".repeat(501)}'`,
            "createdArtifact.description",
            "Member must have length less than or equal to 500",
          ),
        ],
        [
          "a ListMigrationTasks MaxResults over 100",
          () => mgh().send(new ListMigrationTasksCommand({ MaxResults: 101 })),
          validation("'101'", "maxResults", "Member must have value less than or equal to 100"),
        ],
        [
          "an empty ResourceName",
          () => mgh().send(new ListMigrationTasksCommand({ ResourceName: "" })),
          validation("''", "resourceName", "Member must have length greater than or equal to 1"),
        ],
      ];
      for (const [what, call, expected] of cases) {
        it(`rejects ${what} with InvalidInputException`, async () => {
          assert.deepEqual(await errorOf(call()), expected);
        });
      }
    });
  });
});
