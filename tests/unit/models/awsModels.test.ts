import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { MODEL as ADS } from "../../../emulator/ads/model.generated";
import { MODEL as EC2 } from "../../../emulator/ec2/model.generated";
import { MODEL as MGH } from "../../../emulator/migrationhub/model.generated";
import { firstPerMember, validateInput } from "../../../emulator/core/modelValidation";
import { decodeEc2Query, ec2WireKey } from "../../../emulator/core/queryDecode";
import { coralMessage, memberPath } from "../../../emulator/core/validationMessages";

const ROOT = join(__dirname, "..", "..", "..");

describe("generated AWS model tables", () => {
  it("are what scripts/gen-aws-models.ts writes from the pinned botocore", function () {
    this.timeout(60_000);
    // --check exits 1 naming each stale file; execFileSync throws with that output.
    execFileSync("npx", ["tsx", "scripts/gen-aws-models.ts", "--check"], {
      cwd: ROOT,
      stdio: "pipe",
    });
  });

  it("carry the model's rules, not a hand copy (ADS name: 1-255 characters)", () => {
    assert.deepEqual(ADS.shapes["ImportTaskName"], {
      type: "string",
      min: 1,
      max: 255,
      pattern: "[\\s\\S]*\\S[\\s\\S]*",
    });
  });
});

describe("emulator model validation", () => {
  const cases: { name: string; op: string; input: unknown; problems: [string, string][] }[] = [
    {
      name: "a valid StartImportTask",
      op: "StartImportTask",
      input: { name: "x".repeat(255), importUrl: "s3://b/k.csv", clientRequestToken: "t" },
      problems: [],
    },
    {
      name: "a 256-character name",
      op: "StartImportTask",
      input: { name: "x".repeat(256), importUrl: "s3://b/k.csv" },
      problems: [["name", "maxLength"]],
    },
    {
      name: "a missing importUrl and an unknown member",
      op: "StartImportTask",
      input: { name: "n", colour: "red" },
      problems: [
        ["importUrl", "required"],
        ["colour", "unknown"],
      ],
    },
    {
      name: "a blank name (pattern)",
      op: "StartImportTask",
      input: { name: "   ", importUrl: "s3://b/k.csv" },
      problems: [["name", "pattern"]],
    },
    {
      name: "a wrong type",
      op: "StartImportTask",
      input: { name: 7, importUrl: "s3://b/k.csv" },
      problems: [["name", "type"]],
    },
  ];
  for (const c of cases) {
    it(`ADS: ${c.name}`, () => {
      const got = validateInput(ADS, c.op, c.input).map((p) => [p.path, p.kind]);
      assert.deepEqual(got, c.problems);
    });
  }

  it("refuses a line break in Migration Hub StatusDetail (^.{0,2500}$), with the pattern", () => {
    const problems = validateInput(MGH, "NotifyMigrationTaskState", {
      ProgressUpdateStream: "s",
      MigrationTaskName: "t",
      Task: { Status: "IN_PROGRESS", StatusDetail: "line 1\nline 2" },
      UpdateDateTime: 1_700_000_000,
      NextUpdateSeconds: 60,
    });
    assert.deepEqual(problems, [
      {
        path: "Task.StatusDetail",
        kind: "pattern",
        message:
          "Value \"line 1\\nline 2\" at 'Task.StatusDetail' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.{0,2500}$",
        segments: ["Task", "StatusDetail"],
        value: "line 1\nline 2",
        shape: MGH.shapes["StatusDetail"],
      },
    ]);
  });

  it("refuses an enum value outside the set", () => {
    const problems = validateInput(MGH, "NotifyMigrationTaskState", {
      ProgressUpdateStream: "s",
      MigrationTaskName: "t",
      Task: { Status: "DONE" },
      UpdateDateTime: 1_700_000_000,
      NextUpdateSeconds: 60,
    });
    assert.deepEqual(
      problems.map((p) => [p.path, p.kind]),
      [["Task.Status", "enum"]],
    );
  });
});

describe("EC2 Query decoding", () => {
  it("builds the input structure from flattened wire names and types the scalars", () => {
    const { value, problems } = decodeEc2Query(EC2, "ImportImage", {
      Action: "ImportImage",
      Version: "2016-11-15",
      ClientToken: "tok",
      Encrypted: "true",
      "DiskContainer.1.Format": "VMDK",
      "DiskContainer.1.UserBucket.S3Bucket": "b",
      "DiskContainer.1.UserBucket.S3Key": "k.vmdk",
      "TagSpecification.1.ResourceType": "import-image-task",
      "TagSpecification.1.Tag.1.Key": "wave",
      "TagSpecification.1.Tag.1.Value": "1",
    });
    assert.deepEqual(problems, []);
    assert.deepEqual(value, {
      ClientToken: "tok",
      DiskContainers: [{ Format: "VMDK", UserBucket: { S3Bucket: "b", S3Key: "k.vmdk" } }],
      Encrypted: true,
      TagSpecifications: [
        { ResourceType: "import-image-task", Tags: [{ Key: "wave", Value: "1" }] },
      ],
    });
    assert.deepEqual(validateInput(EC2, "ImportImage", value), []);
  });

  it("names a parameter the operation does not have, and a non-integer MaxResults", () => {
    const { value, problems } = decodeEc2Query(EC2, "DescribeImportImageTasks", {
      Action: "DescribeImportImageTasks",
      Version: "2016-11-15",
      "ImportTaskId.1": "import-ami-12345678",
      MaxResults: "ten",
      Colour: "red",
    });
    assert.deepEqual(problems, [
      {
        path: "Colour",
        kind: "unknown",
        message: "The parameter Colour is not recognized",
        segments: ["Colour"],
        value: "red",
        shape: EC2.shapes["DescribeImportImageTasksRequest"],
      },
    ]);
    assert.deepEqual(
      validateInput(EC2, "DescribeImportImageTasks", value).map((p) => [p.path, p.kind]),
      [["MaxResults", "type"]],
    );
  });
});

describe("how each service names a failing member", () => {
  const cases: { segments: (string | number)[]; coral: string; member: string; ec2?: string }[] = [
    { segments: ["name"], coral: "name", member: "name" },
    {
      segments: ["ResourceAttributeList", 0, "Value"],
      coral: "resourceAttributeList.1.member.value",
      member: "ResourceAttributeList.0.Value",
    },
    {
      segments: ["DiskContainers", 1, "UserBucket", "S3Key"],
      coral: "diskContainers.2.member.userBucket.s3Key",
      member: "DiskContainers.1.UserBucket.S3Key",
      ec2: "DiskContainer.2.UserBucket.S3Key",
    },
  ];
  for (const c of cases) {
    it(`${c.segments.join("/")}: ${c.coral} (Coral), ${c.member} (MGN)`, () => {
      assert.equal(memberPath(c.segments, "coral"), c.coral);
      assert.equal(memberPath(c.segments, "member"), c.member);
      if (c.ec2 !== undefined) assert.equal(ec2WireKey(EC2, "ImportImage", c.segments), c.ec2);
    });
  }

  it("EC2: a member with a locationName is sent capitalised (ImportInstance diskImage → DiskImage)", () => {
    assert.equal(
      ec2WireKey(EC2, "ImportInstance", ["DiskImages", 0, "Image", "Format"]),
      "DiskImage.1.Image.Format",
    );
  });

  it("Coral lists every failing member, one constraint each", () => {
    const problems = validateInput(MGH, "AssociateCreatedArtifact", {
      ProgressUpdateStream: "",
      MigrationTaskName: "t",
      CreatedArtifact: { Name: "ami-1", Description: "a\nb" },
    });
    assert.equal(
      coralMessage(firstPerMember(problems)),
      "3 validation errors detected: Value '' at 'progressUpdateStream' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value 'ami-1' at 'createdArtifact.name' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.*; " +
        "Value 'a\nb' at 'createdArtifact.description' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.{0,500}$",
    );
  });
});
