/**
 * The ledger's pure parts: which call a request is, and how records become lost and duplicated
 * tasks (Migration Hub's name-keyed repeats included).
 */
import { strict as assert } from "node:assert";
import { parseCall, startedTasks, taskIdOf, tally, unseen, type WireCall } from "./ledger";

let seq = 0;
function call(c: Omit<WireCall, "seq">): WireCall {
  return { ...c, seq: seq++ };
}
const ads = (name: string, outcome: WireCall["outcome"], taskId?: string): WireCall =>
  call({
    op: "ads:StartImportTask",
    kind: "ads",
    resource: name,
    identity: `pam-${name}`,
    outcome,
    ...(taskId === undefined ? {} : { taskId }),
  });
const hubTask = (name: string, outcome: WireCall["outcome"], stream = "tool"): WireCall =>
  call({
    op: "migrationhub:ImportMigrationTask",
    kind: "task",
    resource: name,
    identity: `${stream}/${name}`,
    outcome,
  });
const deleteStream = (name: string, outcome: WireCall["outcome"] = 200): WireCall =>
  call({
    op: "migrationhub:DeleteProgressUpdateStream",
    kind: undefined,
    resource: name,
    identity: name,
    outcome,
  });

describe("reliability ledger", () => {
  describe("parseCall", () => {
    const json = (target: string, body: unknown): Parameters<typeof parseCall> => [
      "POST",
      "/",
      { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" },
      Buffer.from(JSON.stringify(body)),
    ];
    const form = (params: Record<string, string>): Parameters<typeof parseCall> => [
      "POST",
      "/",
      { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
      Buffer.from(new URLSearchParams(params).toString()),
    ];
    const cases: [string, Parameters<typeof parseCall>, ReturnType<typeof parseCall>][] = [
      [
        "ADS StartImportTask: the name and the client request token",
        json("AWSPoseidonService_V2015_11_01.StartImportTask", {
          name: "a",
          clientRequestToken: "pam-a",
          importUrl: "s3://b/k",
        }),
        { op: "ads:StartImportTask", kind: "ads", resource: "a", identity: "pam-a" },
      ],
      [
        "MGN StartImport: the object key without .csv and the client token",
        [
          "POST",
          "/StartImport",
          { "content-type": "application/json" },
          Buffer.from(
            JSON.stringify({
              clientToken: "pam-m",
              s3BucketSource: { s3Bucket: "b", s3Key: "m.csv" },
            }),
          ),
        ],
        { op: "mgn:StartImport", kind: "mgn", resource: "m", identity: "pam-m" },
      ],
      [
        "EC2 ImportImage: the description and the client token",
        form({ Action: "ImportImage", Version: "2016-11-15", Description: "i", ClientToken: "t" }),
        { op: "ec2:ImportImage", kind: "image", resource: "i", identity: "t" },
      ],
      [
        "EC2 ImportInstance: the description before the marker, and the marker",
        form({ Action: "ImportInstance", Description: "web-1 [pam-marker-web-1]" }),
        {
          op: "ec2:ImportInstance",
          kind: "instance",
          resource: "web-1",
          identity: "pam-marker-web-1",
        },
      ],
      [
        "Migration Hub ImportMigrationTask: the task name, and stream/name",
        json("AWSMigrationHub.ImportMigrationTask", {
          ProgressUpdateStream: "tool",
          MigrationTaskName: "t",
        }),
        { op: "migrationhub:ImportMigrationTask", kind: "task", resource: "t", identity: "tool/t" },
      ],
      [
        "Migration Hub CreateProgressUpdateStream: the stream name",
        json("AWSMigrationHub.CreateProgressUpdateStream", { ProgressUpdateStreamName: "s" }),
        {
          op: "migrationhub:CreateProgressUpdateStream",
          kind: "stream",
          resource: "s",
          identity: "s",
        },
      ],
      [
        "Migration Hub DeleteProgressUpdateStream: recorded, and starts nothing",
        json("AWSMigrationHub.DeleteProgressUpdateStream", { ProgressUpdateStreamName: "s" }),
        {
          op: "migrationhub:DeleteProgressUpdateStream",
          kind: undefined,
          resource: "s",
          identity: "s",
        },
      ],
      [
        "a describe call: not recorded",
        json("AWSPoseidonService_V2015_11_01.DescribeImportTasks", {}),
        undefined,
      ],
      [
        "an EC2 describe call: not recorded",
        form({ Action: "DescribeConversionTasks" }),
        undefined,
      ],
    ];
    for (const [label, args, want] of cases) {
      it(label, () => assert.deepEqual(parseCall(...args), want));
    }
  });

  describe("taskIdOf", () => {
    it("reads the ID of each service's answer, and none from Migration Hub's", () => {
      assert.deepEqual(
        [
          taskIdOf("ads:StartImportTask", '{"task":{"importTaskId":"import-task-1"}}'),
          taskIdOf("mgn:StartImport", '{"importTask":{"importID":"import-2"}}'),
          taskIdOf("ec2:ImportImage", "<r><importTaskId>import-ami-3</importTaskId></r>"),
          taskIdOf(
            "ec2:ImportInstance",
            "<r><conversionTask><conversionTaskId>import-i-4</conversionTaskId></conversionTask></r>",
          ),
          taskIdOf("migrationhub:ImportMigrationTask", "{}"),
        ],
        ["import-task-1", "import-2", "import-ami-3", "import-i-4", undefined],
      );
    });
  });

  describe("startedTasks", () => {
    it("counts distinct IDs as tasks and a repeated token's answer as an idempotent repeat", () => {
      const calls = [
        ads("a", 503),
        ads("a", 200, "t-1"),
        ads("a", 200, "t-1"),
        ads("b", 200, "t-2"),
      ];
      assert.deepEqual(startedTasks(calls, "ads", "a"), {
        tasks: ["t-1"],
        accepted: 2,
        repeats: 1,
        unnamed: 0,
      });
    });

    it("counts any 2xx answer as accepted (MGN's StartImport answers 202)", () => {
      const calls = [
        call({
          op: "mgn:StartImport",
          kind: "mgn",
          resource: "m",
          identity: "pam-m",
          outcome: 202,
          taskId: "import-1",
        }),
      ];
      assert.deepEqual(startedTasks(calls, "mgn", "m"), {
        tasks: ["import-1"],
        accepted: 1,
        repeats: 0,
        unnamed: 0,
      });
    });

    it("Migration Hub: a repeat for a live name is idempotent; after its stream's deletion it is a new task", () => {
      const calls = [
        hubTask("t", "reset"),
        hubTask("t", 200),
        hubTask("t", 200),
        deleteStream("other"),
        hubTask("t", 200),
        deleteStream("tool", 400),
        hubTask("t", 200),
        deleteStream("tool"),
        hubTask("t", 200),
      ];
      assert.deepEqual(startedTasks(calls, "task", "t"), {
        tasks: ["tool/t#1", "tool/t#2"],
        accepted: 5,
        repeats: 3,
        unnamed: 0,
      });
    });
  });

  describe("tally", () => {
    it("one task per resource, found where the provider said: nothing lost or duplicated", () => {
      const calls = [ads("a", 200, "t-1"), hubTask("t", 200), hubTask("t", 200)];
      assert.deepEqual(
        tally(
          calls,
          [
            { kind: "ads", name: "a", id: "t-1" },
            { kind: "task", name: "t", id: "tool/t" },
          ],
          [
            { kind: "ads", resource: "a", id: "t-1" },
            { kind: "task", resource: "t", id: "tool/t" },
          ],
        ),
        { lost: 0, duplicated: 0, accepted: 3, repeats: 1, problems: [] },
      );
    });

    const lostCases: [string, WireCall[], string | undefined, string[] | undefined, string][] = [
      [
        "no start call answered",
        [ads("a", "reset"), ads("a", 429)],
        undefined,
        undefined,
        "no start call recorded a task",
      ],
      [
        "settled on another ID",
        [ads("a", 200, "t-1")],
        "t-9",
        undefined,
        "settled on t-9, which no start call returned",
      ],
      [
        "no longer listed",
        [ads("a", 200, "t-1")],
        "t-1",
        [],
        "the emulator no longer lists its task",
      ],
    ];
    for (const [label, calls, id, listedIds, why] of lostCases) {
      it(`a resource is lost when ${label}`, () => {
        const t = tally(
          calls,
          [{ kind: "ads", name: "a", ...(id === undefined ? {} : { id }) }],
          listedIds?.map((i) => ({ kind: "ads" as const, resource: "a", id: i })),
        );
        assert.deepEqual([t.lost, t.duplicated, t.problems], [1, 0, [`ads a: lost (${why})`]]);
      });
    }

    it("counts a second task started for one resource, and a listed task no call started", () => {
      const t = tally(
        [ads("a", 200, "t-1"), ads("a", 200, "t-2")],
        [{ kind: "ads", name: "a", id: "t-2" }],
        [
          { kind: "ads", resource: "a", id: "t-1" },
          { kind: "ads", resource: "a", id: "t-2" },
          { kind: "ads", resource: "a", id: "t-3" },
        ],
      );
      assert.deepEqual(
        [t.lost, t.duplicated, t.problems],
        [0, 2, ["ads a: 3 tasks (t-1 via pam-a, t-2 via pam-a, t-3 (no start call)), expected 1"]],
      );
    });

    it("a resource expecting no task: any accepted start is a duplicate, none is lost", () => {
      const t = tally(
        [ads("a", 403), hubTask("t", 200)],
        [
          { kind: "ads", name: "a", expect: 0 },
          { kind: "task", name: "t", expect: 0 },
        ],
      );
      assert.deepEqual(
        [t.lost, t.duplicated, t.problems],
        [0, 1, ["task t: 1 tasks (tool/t#1), expected 0"]],
      );
    });
  });

  describe("unseen", () => {
    it("accepts counts between the answered and the forwarded calls, and names the rest", () => {
      const calls = [ads("a", 200, "t-1"), ads("a", "reset"), ads("b", "dropped")];
      assert.deepEqual(unseen(calls, { "ads:StartImportTask": 1 }), []);
      assert.deepEqual(unseen(calls, { "ads:StartImportTask": 2 }), []);
      assert.deepEqual(unseen(calls, { "ads:StartImportTask": 3 }), [
        "ads:StartImportTask: emulator counted 3, proxy forwarded 2, answered 1",
      ]);
      assert.deepEqual(unseen([], { "mgn:StartImport": 1 }), [
        "mgn:StartImport: emulator counted 1, proxy forwarded 0, answered 0",
      ]);
    });
  });
});
