import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../../../provider/core/unknown";
import { specRules } from "../../../../provider/core/task/lifecycle";
import { asInputs } from "../../../../provider/core/task/properties";
import type { MigrationTaskRecord } from "../../../../provider/migrationhub/api";
import {
  migrationTaskSpec,
  parseTaskId,
  planArtifacts,
  reached,
  statusOf,
  TASK_PROPERTIES,
  taskId,
  toOutputs,
} from "../../../../provider/migrationhub/migrationTaskSpec";

const base = { progressUpdateStream: "tool", migrationTaskName: "web-01" };
const ami = "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc";

describe("migrationhub.MigrationTask spec", () => {
  describe("check", () => {
    const cases: Array<
      [string, Record<string, unknown>, Array<{ property: string; reason: string }>]
    > = [
      ["accepts the minimal inputs", base, []],
      [
        "accepts every optional input",
        {
          ...base,
          resourceAttributes: [
            { type: "IPV4_ADDRESS", value: "10.0.0.12" },
            { type: "IPV6_ADDRESS", value: "2001:db8:0:0:0:0:0:1" },
            { type: "MAC_ADDRESS", value: "0a:1b:2c:3d:4e:5f" },
            { type: "FQDN", value: "web-01.example.com" },
            { type: "VM_MANAGER_ID", value: "vc-1" },
            { type: "VM_NAME", value: "web-01" },
            { type: "BIOS_ID", value: "b-1" },
          ],
          createdArtifacts: [{ name: ami, description: "the AMI" }],
          initialState: {
            status: "IN_PROGRESS",
            statusDetail: "copying",
            progressPercent: 40,
            nextUpdateSeconds: 3600,
          },
          waitForStatus: "COMPLETED",
          waitTimeoutMinutes: 120,
        },
        [],
      ],
      [
        "requires the stream and the task name",
        {},
        [
          {
            property: "progressUpdateStream",
            reason:
              "is required. Fix: name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
          },
          {
            property: "migrationTaskName",
            reason: "is required. Fix: use 1–256 characters without ':' or '|'",
          },
        ],
      ],
      [
        "rejects a stream name with '/' and a task name with '|'",
        { progressUpdateStream: "a/b", migrationTaskName: "x|y" },
        [
          {
            property: "progressUpdateStream",
            reason:
              "must match [^/:|\\000-\\037]+ (no '/', ':', '|' or control characters) (got \"a/b\"). Fix: name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
          },
          {
            property: "migrationTaskName",
            reason:
              "must match [^:|]+ (no ':' or '|') (got \"x|y\"). Fix: use 1–256 characters without ':' or '|'",
          },
        ],
      ],
      [
        "rejects a 51-character stream and a 257-character task name",
        { progressUpdateStream: "s".repeat(51), migrationTaskName: "t".repeat(257) },
        [
          {
            property: "progressUpdateStream",
            reason:
              "must be 1–50 characters (got 51). Fix: name an existing progress update stream (e.g. a migrationhub.ProgressUpdateStream's progressUpdateStreamName)",
          },
          {
            property: "migrationTaskName",
            reason:
              "must be 1–256 characters (got 257). Fix: use 1–256 characters without ':' or '|'",
          },
        ],
      ],
      [
        "rejects an empty attribute list",
        { ...base, resourceAttributes: [] },
        [
          {
            property: "resourceAttributes",
            reason:
              "must have 1–100 items (got 0). Fix: give 1–100 {type, value} pairs, or omit resourceAttributes",
          },
        ],
      ],
      [
        "rejects 101 attributes",
        {
          ...base,
          resourceAttributes: Array.from({ length: 101 }, (_, i) => ({
            type: "BIOS_ID",
            value: `b${i}`,
          })),
        },
        [
          {
            property: "resourceAttributes",
            reason:
              "must have 1–100 items (got 101). Fix: give 1–100 {type, value} pairs, or omit resourceAttributes",
          },
        ],
      ],
      [
        "rejects an unknown type and an empty value",
        { ...base, resourceAttributes: [{ type: "HOSTNAME", value: "" }] },
        [
          {
            property: "resourceAttributes[0].type",
            reason:
              'must be one of IPV4_ADDRESS, IPV6_ADDRESS, MAC_ADDRESS, FQDN, VM_MANAGER_ID, VM_MANAGED_OBJECT_REFERENCE, VM_NAME, VM_PATH, BIOS_ID, MOTHERBOARD_SERIAL_NUMBER (got "HOSTNAME"). Fix: use one of the documented attribute types',
          },
          {
            property: "resourceAttributes[0].value",
            reason:
              "must be 1–256 characters (got 0). Fix: give the identifying value as one line of 1–256 characters",
          },
        ],
      ],
      [
        "rejects an IPv4 octet above 255",
        { ...base, resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.256" }] },
        [
          {
            property: "resourceAttributes[0].value",
            reason:
              'must match x.x.x.x with each x in 0–255 for IPV4_ADDRESS (got "10.0.0.256"). Fix: write the address in dotted decimal, e.g. 10.0.0.12',
          },
        ],
      ],
      [
        "rejects a compressed IPv6 address",
        { ...base, resourceAttributes: [{ type: "IPV6_ADDRESS", value: "2001:db8::1" }] },
        [
          {
            property: "resourceAttributes[0].value",
            reason:
              "must match y:y:y:y:y:y:y:y with each y a hexadecimal 0–FFFF for IPV6_ADDRESS (got \"2001:db8::1\"). Fix: write all eight groups (expand '::'), e.g. 2001:db8:0:0:0:0:0:1",
          },
        ],
      ],
      [
        "rejects a MAC address with five pairs",
        { ...base, resourceAttributes: [{ type: "MAC_ADDRESS", value: "0a:1b:2c:3d:4e" }] },
        [
          {
            property: "resourceAttributes[0].value",
            reason:
              "must match ^([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})$ for MAC_ADDRESS (got \"0a:1b:2c:3d:4e\"). Fix: write six hexadecimal pairs separated by ':' or '-', e.g. 0a:1b:2c:3d:4e:5f",
          },
        ],
      ],
      [
        "rejects an FQDN with a '/'",
        { ...base, resourceAttributes: [{ type: "FQDN", value: "web/01" }] },
        [
          {
            property: "resourceAttributes[0].value",
            reason:
              'must match ^[^<>{}\\\\/?,=\\p{Cntrl}]{1,256}$ for FQDN (got "web/01"). Fix: remove the characters < > { } \\ / ? , = and control characters',
          },
        ],
      ],
      [
        "rejects VM attributes without VM_MANAGER_ID",
        {
          ...base,
          resourceAttributes: [
            { type: "VM_PATH", value: "/dc/vm" },
            { type: "VM_NAME", value: "web" },
          ],
        },
        [
          {
            property: "resourceAttributes",
            reason:
              'has VM_NAME, VM_PATH but no VM_MANAGER_ID, and Migration Hub discards every VM_* attribute without it. Fix: add {type: "VM_MANAGER_ID", value: <the vCenter/VM manager ID>}',
          },
        ],
      ],
      [
        "rejects an attribute that is not an object",
        { ...base, resourceAttributes: ["10.0.0.1"] },
        [
          {
            property: "resourceAttributes[0]",
            reason: "must be an object (got string). Fix: give {type, value}",
          },
        ],
      ],
      [
        "rejects a resourceAttributes that is not a list",
        { ...base, resourceAttributes: { type: "FQDN", value: "a" } },
        [
          {
            property: "resourceAttributes",
            reason:
              "must be a list (got object). Fix: give 1–100 {type, value} pairs, or omit resourceAttributes",
          },
        ],
      ],
      [
        "rejects an artifact name that is not an ARN, a long description and a duplicate",
        {
          ...base,
          createdArtifacts: [
            { name: "ami-0abc" },
            { name: ami, description: "d".repeat(501) },
            { name: ami },
          ],
        },
        [
          {
            property: "createdArtifacts[0].name",
            reason:
              'must match arn:[a-z-]+:[a-z0-9-]+:(?:[a-z0-9-]+|):(?:[0-9]{12}|):.* (got "ami-0abc"). Fix: give the ARN of the AWS resource the migration created, e.g. arn:aws:ec2:us-west-2:123456789012:image/ami-0abc',
          },
          {
            property: "createdArtifacts[1].description",
            reason:
              "must be at most 500 characters (got 501). Fix: write the description as one line of at most 500 characters",
          },
          {
            property: "createdArtifacts[2].name",
            reason: `repeats createdArtifacts[1].name ("${ami}"); an artifact is associated once. Fix: remove the duplicate`,
          },
        ],
      ],
      [
        "refuses line breaks where the model's patterns do (^.{0,2500}$, ^.{1,256}$, ^.{0,500}$)",
        {
          ...base,
          resourceAttributes: [{ type: "VM_MANAGER_ID", value: "vc-1\nvc-2" }],
          createdArtifacts: [{ name: ami, description: "made by\nthe tool" }],
          initialState: { status: "IN_PROGRESS", statusDetail: "copying\r\nnow" },
        },
        [
          {
            property: "resourceAttributes[0].value",
            reason:
              'must match one line (no line breaks) (got "vc-1\\nvc-2"). Fix: give the identifying value as one line of 1–256 characters',
          },
          {
            property: "createdArtifacts[0].description",
            reason:
              'must match one line (no line breaks) (got "made by\\nthe tool"). Fix: write the description as one line of at most 500 characters',
          },
          {
            property: "initialState.statusDetail",
            reason:
              'must match one line (no line breaks) (got "copying\\r\\nnow"). Fix: write statusDetail as one line of at most 2500 characters',
          },
        ],
      ],
      [
        "rejects a bad initial state",
        {
          ...base,
          initialState: {
            status: "DONE",
            statusDetail: "x".repeat(2501),
            progressPercent: 101,
            nextUpdateSeconds: -1,
          },
        },
        [
          {
            property: "initialState.status",
            reason:
              'must be one of NOT_STARTED, IN_PROGRESS, FAILED, COMPLETED (got "DONE"). Fix: use one of the Migration Hub task statuses',
          },
          {
            property: "initialState.statusDetail",
            reason:
              "must be at most 2500 characters (got 2501). Fix: write statusDetail as one line of at most 2500 characters",
          },
          {
            property: "initialState.progressPercent",
            reason:
              "must be between 0 and 100 (got 101). Fix: give a whole percentage from 0 to 100",
          },
          {
            property: "initialState.nextUpdateSeconds",
            reason:
              "must be between 0 and 2147483647 (got -1). Fix: give the seconds within which the next update is expected",
          },
        ],
      ],
      [
        "requires initialState.status",
        { ...base, initialState: {} },
        [
          {
            property: "initialState.status",
            reason: "is required. Fix: use one of the Migration Hub task statuses",
          },
        ],
      ],
      [
        "rejects an initialState that is not an object",
        { ...base, initialState: "IN_PROGRESS" },
        [
          {
            property: "initialState",
            reason:
              "must be an object (got string). Fix: give {status, statusDetail?, progressPercent?}",
          },
        ],
      ],
      [
        "rejects waiting for NOT_STARTED and a zero timeout",
        { ...base, waitForStatus: "NOT_STARTED", waitTimeoutMinutes: 0 },
        [
          {
            property: "waitForStatus",
            reason:
              'must be one of IN_PROGRESS, COMPLETED (got "NOT_STARTED"). Fix: wait for IN_PROGRESS or COMPLETED, or omit waitForStatus to not wait',
          },
          {
            property: "waitTimeoutMinutes",
            reason:
              "must be between 1 and 10080 (got 0). Fix: give whole minutes from 1 to 10080 (one week)",
          },
        ],
      ],
      [
        "rejects waitTimeoutMinutes without waitForStatus",
        { ...base, waitTimeoutMinutes: 30 },
        [
          {
            property: "waitTimeoutMinutes",
            reason:
              "applies only to a wait, and waitForStatus is not set. Fix: set waitForStatus (IN_PROGRESS or COMPLETED) or remove waitTimeoutMinutes",
          },
        ],
      ],
      [
        "rejects waiting when the initial state is FAILED",
        { ...base, initialState: { status: "FAILED" }, waitForStatus: "COMPLETED" },
        [
          {
            property: "waitForStatus",
            reason:
              "cannot be reached: initialState.status is FAILED, which ends the wait as a failure at once. Fix: start in NOT_STARTED or IN_PROGRESS, or remove waitForStatus",
          },
        ],
      ],
      [
        "skips values unknown during preview",
        {
          progressUpdateStream: UNKNOWN,
          migrationTaskName: UNKNOWN,
          resourceAttributes: [
            { type: UNKNOWN, value: UNKNOWN },
            { type: "VM_NAME", value: "web" },
          ],
          createdArtifacts: UNKNOWN,
          initialState: { status: UNKNOWN, progressPercent: UNKNOWN },
          waitForStatus: UNKNOWN,
        },
        [],
      ],
      ["skips a wholly unknown attribute list", { ...base, resourceAttributes: UNKNOWN }, []],
      [
        "skips an unknown timeout in the cross-field rule",
        { ...base, waitTimeoutMinutes: UNKNOWN },
        [],
      ],
    ];
    for (const [title, inputs, expected] of cases) {
      it(title, () => {
        assert.deepEqual(specRules(migrationTaskSpec).check(inputs), expected);
      });
    }
  });

  describe("inputs", () => {
    it("keep only the known members of their kind: the outputs echo no nulls", () => {
      const inputs = asInputs(TASK_PROPERTIES, {
        ...base,
        resourceAttributes: [{ type: "FQDN", value: "a", extra: 1 }],
        createdArtifacts: [{ name: ami, description: null }],
        initialState: { status: "NOT_STARTED", statusDetail: null, nextUpdateSeconds: 60 },
        waitForStatus: "IN_PROGRESS",
        __provider: "x",
      });
      assert.deepEqual(toOutputs(inputs, undefined), {
        ...base,
        resourceAttributes: [{ type: "FQDN", value: "a" }],
        createdArtifacts: [{ name: ami }],
        initialState: { status: "NOT_STARTED", nextUpdateSeconds: 60 },
        waitForStatus: "IN_PROGRESS",
      });
    });
  });

  describe("task IDs", () => {
    it("joins stream and name with '/' and splits at the first '/'", () => {
      const key = { progressUpdateStream: "tool", migrationTaskName: "dc1/web-01" };
      assert.equal(taskId(key), "tool/dc1/web-01");
      assert.deepEqual(parseTaskId("tool/dc1/web-01"), key);
    });
    it("rejects IDs without both parts", () => {
      assert.equal(parseTaskId("tool"), undefined);
      assert.equal(parseTaskId("/web"), undefined);
      assert.equal(parseTaskId("tool/"), undefined);
    });
  });

  describe("diff", () => {
    const olds = {
      ...base,
      resourceAttributes: [
        { type: "FQDN", value: "a" },
        { type: "BIOS_ID", value: "b" },
      ],
      createdArtifacts: [{ name: ami }],
      status: "NOT_REPORTED",
      __provider: "old",
    };
    const cases: Array<
      [
        string,
        Record<string, unknown>,
        Record<string, unknown>,
        { changes: boolean; replaces: string[] },
      ]
    > = [
      [
        "reports no change when only __provider differs",
        olds,
        { ...olds, __provider: "new" },
        { changes: false, replaces: [] },
      ],
      [
        "ignores the order of attributes and artifacts",
        olds,
        {
          ...base,
          resourceAttributes: [olds.resourceAttributes[1], olds.resourceAttributes[0]],
          createdArtifacts: [{ name: ami }],
        },
        { changes: false, replaces: [] },
      ],
      [
        "replaces on a new stream",
        olds,
        { ...olds, progressUpdateStream: "other" },
        { changes: true, replaces: ["progressUpdateStream"] },
      ],
      [
        "replaces on a new name",
        olds,
        { ...olds, migrationTaskName: "web-02" },
        { changes: true, replaces: ["migrationTaskName"] },
      ],
      [
        "replaces when the name is unknown",
        olds,
        { ...olds, migrationTaskName: UNKNOWN },
        { changes: true, replaces: ["migrationTaskName"] },
      ],
      [
        "updates new attributes in place",
        olds,
        { ...olds, resourceAttributes: [{ type: "FQDN", value: "c" }] },
        { changes: true, replaces: [] },
      ],
      [
        "updates a removed artifact list in place",
        olds,
        { ...olds, createdArtifacts: undefined },
        { changes: true, replaces: [] },
      ],
      [
        "updates a new initial state in place",
        olds,
        { ...olds, initialState: { status: "IN_PROGRESS" } },
        { changes: true, replaces: [] },
      ],
      [
        "updates unknown attributes in place",
        olds,
        { ...olds, resourceAttributes: UNKNOWN },
        { changes: true, replaces: [] },
      ],
      [
        "updates to resume a wait whose target was not reached",
        { ...olds, waitForStatus: "COMPLETED", status: "IN_PROGRESS" },
        { ...olds, waitForStatus: "COMPLETED" },
        { changes: true, replaces: [] },
      ],
      [
        "updates to re-check a wait that saw FAILED",
        { ...olds, waitForStatus: "COMPLETED", status: "FAILED" },
        { ...olds, waitForStatus: "COMPLETED" },
        { changes: true, replaces: [] },
      ],
      [
        "reports no change once the wait target was reached",
        { ...olds, waitForStatus: "IN_PROGRESS", status: "COMPLETED" },
        { ...olds, waitForStatus: "IN_PROGRESS" },
        { changes: false, replaces: [] },
      ],
    ];
    for (const [title, o, n, expected] of cases) {
      it(title, () => {
        assert.deepEqual(specRules(migrationTaskSpec).diff(o, n), expected);
      });
    }
  });

  describe("waiting", () => {
    const rec = (
      status?: "NOT_STARTED" | "IN_PROGRESS" | "FAILED" | "COMPLETED",
    ): MigrationTaskRecord => ({
      ...base,
      resourceAttributes: [],
      ...(status === undefined ? {} : { task: { status } }),
    });
    it("orders NOT_STARTED → IN_PROGRESS → COMPLETED and never reaches from FAILED", () => {
      assert.deepEqual(
        ["NOT_REPORTED", "NOT_STARTED", "IN_PROGRESS", "COMPLETED", "FAILED", "GONE"].map((s) => [
          reached(s, "IN_PROGRESS"),
          reached(s, "COMPLETED"),
        ]),
        [
          [false, false],
          [false, false],
          [true, false],
          [true, true],
          [false, false],
          [false, false],
        ],
      );
    });
    it("names the status of a record, a task with no state and a vanished task", () => {
      assert.deepEqual(
        [statusOf(rec("IN_PROGRESS")), statusOf(rec()), statusOf(undefined)],
        ["IN_PROGRESS", "NOT_REPORTED", "GONE"],
      );
    });
    it("fails on FAILED and on a vanished task, succeeds at or past the target", () => {
      const acceptors = migrationTaskSpec.acceptors("create", {
        ...base,
        waitForStatus: "IN_PROGRESS",
      });
      const verdict = (o: MigrationTaskRecord | undefined): string | undefined =>
        acceptors.find((a) => a.matches(o))?.verdict;
      assert.deepEqual(
        [
          verdict(rec("FAILED")),
          verdict(undefined),
          verdict(rec("IN_PROGRESS")),
          verdict(rec("COMPLETED")),
          verdict(rec("NOT_STARTED")),
          verdict(rec()),
        ],
        ["failure", "failure", "success", "success", undefined, undefined],
      );
    });
    it("has no acceptors without waitForStatus", () => {
      assert.deepEqual(migrationTaskSpec.acceptors("create", base), []);
    });
  });

  describe("toOutputs", () => {
    it("returns the inputs plus the described state with an ISO time and no undefined", () => {
      assert.deepEqual(
        toOutputs(
          { ...base, initialState: { status: "IN_PROGRESS" }, waitForStatus: "COMPLETED" },
          {
            task: { status: "COMPLETED", statusDetail: "done", progressPercent: 100 },
            updateDateTime: new Date(1_700_000_000_000),
          },
        ),
        {
          ...base,
          initialState: { status: "IN_PROGRESS" },
          waitForStatus: "COMPLETED",
          status: "COMPLETED",
          statusDetail: "done",
          progressPercent: 100,
          updateDateTime: "2023-11-14T22:13:20.000Z",
        },
      );
    });
    it("reports NOT_REPORTED for a task with no state, and no status without a task", () => {
      assert.deepEqual(
        [toOutputs(base, {}), toOutputs(base, undefined)],
        [{ ...base, status: "NOT_REPORTED" }, base],
      );
    });
  });

  describe("planArtifacts", () => {
    it("disassociates removed and re-described artifacts and associates new and re-described ones", () => {
      const b = "arn:aws:ec2:us-west-2:123456789012:instance/i-1";
      const c = "arn:aws:ec2:us-west-2:123456789012:volume/vol-1";
      assert.deepEqual(
        planArtifacts(
          [{ name: ami }, { name: b, description: "old" }],
          [{ name: b, description: "new" }, { name: c }],
        ),
        { disassociate: [ami, b], associate: [{ name: b, description: "new" }, { name: c }] },
      );
    });
    it("plans nothing for equal lists", () => {
      assert.deepEqual(planArtifacts([{ name: ami, description: "" }], [{ name: ami }]), {
        disassociate: [],
        associate: [],
      });
    });
  });
});
