/**
 * Issue 13, emulator side: rules the emulator once typed in by hand now come from AWS's models
 * (emulator/<service>/model.generated.ts), so each defect the issue lists is checked here through
 * the real SDK clients, and every error is one the model declares for that operation.
 */
import { strict as assert } from "node:assert";
import {
  AssociateCreatedArtifactCommand,
  CreateProgressUpdateStreamCommand,
  DeleteProgressUpdateStreamCommand,
  DisassociateCreatedArtifactCommand,
  ImportMigrationTaskCommand,
  ListCreatedArtifactsCommand,
  MigrationHubClient,
  NotifyMigrationTaskStateCommand,
  PutResourceAttributesCommand,
} from "@aws-sdk/client-migration-hub";
import { DescribeImportImageTasksCommand, EC2Client } from "@aws-sdk/client-ec2";
import { Discovery } from "aws-sdk";
import type { Emulator } from "../../emulator";
import { MODEL as ADS_MODEL } from "../../emulator/ads/model.generated";
import { MODEL as MGH_MODEL } from "../../emulator/migrationhub/model.generated";
import { clientConfig, errorOf, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";

const HOME = "us-west-2";
const ARN = "arn:aws:ec2:us-west-2:123456789012:image/ami-0123456789abcdef0";

interface Failure {
  name: string;
  message: string;
  status: number | undefined;
}

function discovery(emulator: Emulator, region = HOME): Discovery {
  // paramValidation off: the emulator, not the SDK, must refuse bad input.
  return new Discovery({
    endpoint: emulator.url,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxRetries: 0,
    paramValidation: false,
  });
}

async function adsFailure(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code: string; message: string; statusCode?: number };
    return { name: e.code, message: e.message, status: e.statusCode };
  }
  throw new Error("expected the call to fail, and it succeeded");
}

const invalidInput = (value: string, member: string, pattern: string): Failure => ({
  name: "InvalidInputException",
  message: `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern}`,
  status: 400,
});

describe("issue 13: the emulator validates against AWS's models", () => {
  const ctx = useEmulator({ homeRegion: HOME, timeScale: 1 });
  const mgh = (region = HOME): MigrationHubClient =>
    new MigrationHubClient(clientConfig(ctx.emulator, region));
  const task = { ProgressUpdateStream: "tool", MigrationTaskName: "vm-1" };
  const withTask = async (): Promise<void> => {
    await mgh().send(new CreateProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }));
    await mgh().send(new ImportMigrationTaskCommand(task));
  };

  describe("ADS StartImportTask name (the model allows 1-255 characters)", () => {
    for (const length of [1, 100, 101, 255]) {
      it(`accepts a name of ${length} characters`, async () => {
        const name = "n".repeat(length);
        const { task: started } = await discovery(ctx.emulator)
          .startImportTask({ name, importUrl: "s3://imports/servers.csv" })
          .promise();
        assert.equal(started?.name, name);
      });
    }

    it("refuses 256 characters with InvalidParameterValueException", async () => {
      const name = "n".repeat(256);
      assert.deepEqual(
        await adsFailure(
          discovery(ctx.emulator)
            .startImportTask({ name, importUrl: "s3://imports/servers.csv" })
            .promise(),
        ),
        {
          name: "InvalidParameterValueException",
          message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 255`,
          status: 400,
        },
      );
    });
  });

  describe("Migration Hub refuses line breaks where the model's patterns do", () => {
    const cases: { title: string; call: () => Promise<unknown>; error: Failure }[] = [
      {
        title: "a Task.StatusDetail with a newline (^.{0,2500}$)",
        call: () =>
          mgh().send(
            new NotifyMigrationTaskStateCommand({
              ...task,
              Task: { Status: "IN_PROGRESS", StatusDetail: "copying\ndisk 2" },
              UpdateDateTime: new Date(1_700_000_000_000),
              NextUpdateSeconds: 60,
            }),
          ),
        error: invalidInput("copying\ndisk 2", "task.statusDetail", "^.{0,2500}$"),
      },
      {
        title: "a Task.StatusDetail with a carriage return",
        call: () =>
          mgh().send(
            new NotifyMigrationTaskStateCommand({
              ...task,
              Task: { Status: "IN_PROGRESS", StatusDetail: "a\rb" },
              UpdateDateTime: new Date(1_700_000_000_000),
              NextUpdateSeconds: 60,
            }),
          ),
        error: invalidInput("a\rb", "task.statusDetail", "^.{0,2500}$"),
      },
      {
        title: "a CreatedArtifact.Description with a newline (^.{0,500}$)",
        call: () =>
          mgh().send(
            new AssociateCreatedArtifactCommand({
              ...task,
              CreatedArtifact: { Name: ARN, Description: "the AMI\nof web-01" },
            }),
          ),
        error: invalidInput("the AMI\nof web-01", "createdArtifact.description", "^.{0,500}$"),
      },
      {
        title: "a ResourceAttribute.Value with a newline (^.{1,256}$)",
        call: () =>
          mgh().send(
            new PutResourceAttributesCommand({
              ...task,
              ResourceAttributeList: [{ Type: "FQDN", Value: "web-01\n.example.com" }],
            }),
          ),
        error: invalidInput(
          "web-01\n.example.com",
          "resourceAttributeList.1.member.value",
          "^.{1,256}$",
        ),
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.title} with InvalidInputException`, async () => {
        await withTask();
        assert.deepEqual(await errorOf(c.call()), c.error);
      });
    }

    it("accepts the same values on one line", async () => {
      await withTask();
      await mgh().send(
        new NotifyMigrationTaskStateCommand({
          ...task,
          Task: { Status: "IN_PROGRESS", StatusDetail: "copying disk 2" },
          UpdateDateTime: new Date(1_700_000_000_000),
          NextUpdateSeconds: 60,
        }),
      );
      await mgh().send(
        new AssociateCreatedArtifactCommand({
          ...task,
          CreatedArtifact: { Name: ARN, Description: "the AMI of web-01" },
        }),
      );
      await mgh().send(
        new PutResourceAttributesCommand({
          ...task,
          ResourceAttributeList: [{ Type: "FQDN", Value: "web-01.example.com" }],
        }),
      );
    });
  });

  describe("ADS writes outside the home region", () => {
    it("answer HomeRegionNotSetException, which the Discovery model declares for StartImportTask", async () => {
      const failure = await adsFailure(
        discovery(ctx.emulator, "us-east-1")
          .startImportTask({ name: "n", importUrl: "s3://imports/servers.csv" })
          .promise(),
      );
      assert.deepEqual(failure, {
        name: "HomeRegionNotSetException",
        message:
          "This API can only be called in the home region us-west-2; the request was sent to us-east-1.",
        status: 400,
      });
      assert.ok(ADS_MODEL.operations["StartImportTask"]?.errors.includes(failure.name));
    });

    it("still answer reads and deletes from any region", async () => {
      const east = discovery(ctx.emulator, "us-east-1");
      assert.deepEqual(await east.describeImportTasks({}).promise(), { tasks: [] });
      const id = `import-task-${"a".repeat(32)}`;
      assert.deepEqual(await east.batchDeleteImportData({ importTaskIds: [id] }).promise(), {
        errors: [
          {
            importTaskId: id,
            errorCode: "NOT_FOUND",
            errorDescription: `The import task ${id} was not found.`,
          },
        ],
      });
    });
  });

  describe("Migration Hub DisassociateCreatedArtifact", () => {
    const declared = MGH_MODEL.operations["DisassociateCreatedArtifact"]?.errors ?? [];

    it("removes the association, and ListCreatedArtifacts no longer lists it", async () => {
      await withTask();
      const other = "arn:aws:ec2:us-west-2:123456789012:snapshot/snap-0123456789abcdef0";
      for (const Name of [ARN, other]) {
        await mgh().send(
          new AssociateCreatedArtifactCommand({ ...task, CreatedArtifact: { Name } }),
        );
      }
      await mgh().send(
        new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: ARN }),
      );
      const listed = await mgh().send(new ListCreatedArtifactsCommand(task));
      assert.deepEqual(listed.CreatedArtifactList, [{ Name: other }]);
    });

    const cases: {
      title: string;
      setup?: () => Promise<void>;
      call: () => Promise<unknown>;
      error: Failure;
    }[] = [
      {
        title: "an artifact the task does not list",
        call: () =>
          mgh().send(new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: ARN })),
        error: {
          name: "ResourceNotFoundException",
          message: `Created artifact ${ARN} is not associated with migration task vm-1.`,
          status: 400,
        },
      },
      {
        title: "an unknown migration task",
        call: () =>
          mgh().send(
            new DisassociateCreatedArtifactCommand({
              ...task,
              MigrationTaskName: "vm-9",
              CreatedArtifactName: ARN,
            }),
          ),
        error: {
          name: "ResourceNotFoundException",
          message: "Migration task vm-9 was not found in progress update stream tool.",
          status: 400,
        },
      },
      {
        title: "a name that is not an ARN",
        call: () =>
          mgh().send(
            new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: "ami-1" }),
          ),
        error: {
          name: "InvalidInputException",
          message:
            "1 validation error detected: Value 'ami-1' at 'createdArtifactName' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*",
          status: 400,
        },
      },
      {
        title: "a call outside the home region",
        call: () =>
          mgh("eu-west-1").send(
            new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: ARN }),
          ),
        error: {
          name: "InvalidInputException",
          message:
            "This API can only be called in the home region us-west-2; the request was sent to eu-west-1.",
          status: 400,
        },
      },
      {
        title: "a stream being deleted",
        setup: async () => {
          await mgh().send(
            new DeleteProgressUpdateStreamCommand({ ProgressUpdateStreamName: "tool" }),
          );
        },
        call: () =>
          mgh().send(new DisassociateCreatedArtifactCommand({ ...task, CreatedArtifactName: ARN })),
        error: {
          name: "InvalidInputException",
          message: "Progress update stream tool is being deleted.",
          status: 400,
        },
      },
      {
        title: "DryRun",
        call: () =>
          mgh().send(
            new DisassociateCreatedArtifactCommand({
              ...task,
              CreatedArtifactName: ARN,
              DryRun: true,
            }),
          ),
        error: {
          name: "DryRunOperation",
          message: "Request would have succeeded, but DryRun flag is set.",
          status: 400,
        },
      },
    ];
    for (const c of cases) {
      it(`refuses ${c.title} with ${c.error.name}, an error the model declares`, async () => {
        await withTask();
        await c.setup?.();
        assert.deepEqual(await errorOf(c.call()), c.error);
        assert.ok(declared.includes(c.error.name), `${c.error.name} is not in ${declared.join()}`);
      });
    }
  });

  describe("members the model does not have", () => {
    it("ADS: InvalidParameterException", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "discovery",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSPoseidonService_V2015_11_01.StartImportTask",
        },
        body: JSON.stringify({ name: "n", importUrl: "s3://b/k.csv", colour: "red" }),
      });
      assert.deepEqual(
        [res.status, JSON.parse(res.text)],
        [
          400,
          {
            __type: "InvalidParameterException",
            message: "The parameter colour is not recognized.",
          },
        ],
      );
    });

    it("EC2: UnknownParameter, in EC2's XML error shape", async () => {
      const res = await sendRaw(ctx.emulator.url, {
        service: "ec2",
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body: "Action=DescribeImportImageTasks&Version=2016-11-15&Colour=red",
      });
      assert.equal(res.status, 400);
      assert.match(
        res.text,
        /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>UnknownParameter<\/Code><Message>The parameter Colour is not recognized<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
      );
    });

    it("EC2: the SDK's own requests pass", async () => {
      const ec2 = new EC2Client(clientConfig(ctx.emulator));
      const out = await ec2.send(new DescribeImportImageTasksCommand({ MaxResults: 5 }));
      assert.deepEqual(out.ImportImageTasks, []);
    });
  });
});
