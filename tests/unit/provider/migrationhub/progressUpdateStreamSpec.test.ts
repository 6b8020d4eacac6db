import { strict as assert } from "node:assert";
import { AwsApiError } from "../../../../provider/core/errors";
import { UNKNOWN } from "../../../../provider/core/unknown";
import { specRules } from "../../../../provider/core/task/lifecycle";
import {
  progressUpdateStreamSpec,
  toOutputs,
} from "../../../../provider/migrationhub/progressUpdateStreamSpec";
import { explain } from "../../../../provider/migrationhub/shared";

/** The advice explain() adds to an AWS error of `code` from `operation`, if any. */
function homeRegionAdvice(code: string, operation: string, region: string | undefined) {
  const err = new AwsApiError({
    service: "migrationhub",
    operation,
    code,
    message: "m",
    httpStatus: 400,
    retryable: false,
    throttling: false,
  });
  const out = explain(err, { endpoints: {}, ...(region === undefined ? {} : { region }) });
  return out === err ? undefined : (out as AwsApiError).message.slice(`${err.message}. `.length);
}

const NAME_FIX =
  "Fix: use 1–50 characters without '/', ':', '|' or control characters, e.g. the migration tool's name";

describe("migrationhub.ProgressUpdateStream spec", () => {
  describe("check", () => {
    const cases: Array<
      [string, Record<string, unknown>, Array<{ property: string; reason: string }>]
    > = [
      ["accepts a tool name", { progressUpdateStreamName: "SMS" }, []],
      [
        "accepts every option",
        { progressUpdateStreamName: "tool-1", retainOnDelete: false, deleteTimeoutMinutes: 5 },
        [],
      ],
      [
        "requires the name",
        {},
        [{ property: "progressUpdateStreamName", reason: `is required. ${NAME_FIX}` }],
      ],
      [
        "rejects an empty name",
        { progressUpdateStreamName: "" },
        [
          {
            property: "progressUpdateStreamName",
            reason: `must be 1–50 characters (got 0). ${NAME_FIX}`,
          },
        ],
      ],
      [
        "rejects 51 characters",
        { progressUpdateStreamName: "x".repeat(51) },
        [
          {
            property: "progressUpdateStreamName",
            reason: `must be 1–50 characters (got 51). ${NAME_FIX}`,
          },
        ],
      ],
      ...[":", "|", "/", "\u0007"].map(
        (ch): [string, Record<string, unknown>, Array<{ property: string; reason: string }>] => [
          `rejects ${JSON.stringify(ch)} in the name`,
          { progressUpdateStreamName: `a${ch}b` },
          [
            {
              property: "progressUpdateStreamName",
              reason: `must match [^/:|\\000-\\037]+ (no '/', ':', '|' or control characters) (got ${JSON.stringify(`a${ch}b`)}). ${NAME_FIX}`,
            },
          ],
        ],
      ),
      [
        "rejects a non-boolean retainOnDelete and a zero timeout",
        { progressUpdateStreamName: "t", retainOnDelete: "yes", deleteTimeoutMinutes: 0 },
        [
          {
            property: "retainOnDelete",
            reason:
              "must be a boolean (got string). Fix: give true to keep the stream when the resource is deleted",
          },
          {
            property: "deleteTimeoutMinutes",
            reason: "must be between 1 and 1440 (got 0). Fix: give whole minutes from 1 to 1440",
          },
        ],
      ],
      [
        "rejects a delete timeout on a retained stream",
        { progressUpdateStreamName: "t", retainOnDelete: true, deleteTimeoutMinutes: 10 },
        [
          {
            property: "deleteTimeoutMinutes",
            reason:
              "has no effect: retainOnDelete is true, so delete never waits. Fix: remove deleteTimeoutMinutes or set retainOnDelete to false",
          },
        ],
      ],
      ["skips an unknown name", { progressUpdateStreamName: UNKNOWN, retainOnDelete: UNKNOWN }, []],
      [
        "skips an unknown timeout in the cross-field rule",
        { progressUpdateStreamName: "t", retainOnDelete: true, deleteTimeoutMinutes: UNKNOWN },
        [],
      ],
    ];
    for (const [title, inputs, expected] of cases) {
      it(title, () => {
        assert.deepEqual(specRules(progressUpdateStreamSpec).check(inputs), expected);
      });
    }
  });

  describe("diff", () => {
    const olds = { progressUpdateStreamName: "tool", retainOnDelete: false, __provider: "a" };
    const cases: Array<
      [string, Record<string, unknown>, { changes: boolean; replaces: string[] }]
    > = [
      [
        "reports no change when only __provider differs",
        { ...olds, __provider: "b" },
        { changes: false, replaces: [] },
      ],
      [
        "replaces on a new name",
        { ...olds, progressUpdateStreamName: "tool2" },
        { changes: true, replaces: ["progressUpdateStreamName"] },
      ],
      [
        "replaces on an unknown name",
        { ...olds, progressUpdateStreamName: UNKNOWN },
        { changes: true, replaces: ["progressUpdateStreamName"] },
      ],
      [
        "updates retainOnDelete in place",
        { ...olds, retainOnDelete: true },
        { changes: true, replaces: [] },
      ],
      [
        "updates deleteTimeoutMinutes in place",
        { ...olds, deleteTimeoutMinutes: 5 },
        { changes: true, replaces: [] },
      ],
      [
        "treats an omitted retainOnDelete as the recorded false default",
        { progressUpdateStreamName: "tool", __provider: "a" },
        { changes: false, replaces: [] },
      ],
    ];
    for (const [title, news, expected] of cases) {
      it(title, () => {
        assert.deepEqual(specRules(progressUpdateStreamSpec).diff(olds, news), expected);
      });
    }
  });

  describe("outputs and waiting", () => {
    it("outputs the name and the delete options with retainOnDelete defaulted", () => {
      assert.deepEqual(toOutputs({ progressUpdateStreamName: "tool" }), {
        progressUpdateStreamName: "tool",
        retainOnDelete: false,
      });
      assert.deepEqual(
        toOutputs({
          progressUpdateStreamName: "tool",
          retainOnDelete: true,
          deleteTimeoutMinutes: 3,
        }),
        {
          progressUpdateStreamName: "tool",
          retainOnDelete: true,
          deleteTimeoutMinutes: 3,
        },
      );
    });
    it("succeeds the delete wait only when the stream is gone", () => {
      const acceptors = progressUpdateStreamSpec.acceptors("delete", {
        progressUpdateStreamName: "tool",
      });
      assert.deepEqual(
        ["tool", undefined].map((listed) => acceptors.find((a) => a.matches(listed))?.verdict),
        [undefined, "success"],
      );
    });
  });

  describe("home-region advice", () => {
    it("explains a missing home region", () => {
      assert.equal(
        homeRegionAdvice("HomeRegionNotSetException", "DescribeMigrationTask", "us-west-2"),
        "Migration Hub has no home region for this account (aws:region is us-west-2). Set one with Migration Hub Config CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again.",
      );
    });
    it("explains InvalidInputException on a write as a possible wrong region", () => {
      assert.equal(
        homeRegionAdvice("InvalidInputException", "ImportMigrationTask", undefined),
        "Migration Hub accepts ImportMigrationTask only in the account's home region (aws:region is not set): if that is not the home region, point aws:region to it (Migration Hub Config GetHomeRegion shows it). If the progress update stream is being deleted, wait until the deletion finishes, then run again.",
      );
    });
    it("gives no region advice for reads or other codes", () => {
      assert.deepEqual(
        [
          homeRegionAdvice("InvalidInputException", "ListProgressUpdateStreams", "us-west-2"),
          homeRegionAdvice("AccessDeniedException", "ImportMigrationTask", "us-west-2"),
        ],
        [undefined, undefined],
      );
    });
    it("tells to create the stream when ImportMigrationTask finds none", () => {
      assert.equal(
        homeRegionAdvice("ResourceNotFoundException", "ImportMigrationTask", "us-west-2"),
        "The progress update stream does not exist (in this account and region). Create it first — e.g. a migrationhub.ProgressUpdateStream whose progressUpdateStreamName you pass as progressUpdateStream.",
      );
    });
    it("explain() rebuilds the AwsApiError with the advice and the same fields", () => {
      const settings = { endpoints: {}, region: "eu-central-1" };
      const err = new AwsApiError({
        service: "migrationhub",
        operation: "CreateProgressUpdateStream",
        code: "HomeRegionNotSetException",
        message: "The home region is not set.",
        httpStatus: 400,
        requestId: "r-1",
        retryable: false,
        throttling: false,
      });
      const out = explain(err, settings) as AwsApiError;
      assert.deepEqual(
        {
          message: out.message,
          code: out.code,
          httpStatus: out.httpStatus,
          requestId: out.requestId,
          awsMessage: out.awsMessage,
          cause: out.cause === err,
        },
        {
          message:
            "migrationhub CreateProgressUpdateStream failed: HomeRegionNotSetException (HTTP 400, request r-1): The home region is not set. Migration Hub has no home region for this account (aws:region is eu-central-1). Set one with Migration Hub Config CreateHomeRegionControl (or in the Migration Hub console), point aws:region to it, and run again.",
          code: "HomeRegionNotSetException",
          httpStatus: 400,
          requestId: "r-1",
          awsMessage: "The home region is not set.",
          cause: true,
        },
      );
      const other = new AwsApiError({ ...err, code: "AccessDeniedException", message: "no" });
      assert.equal(explain(other, settings), other);
      const plain = new RangeError("not an AWS error");
      assert.equal(explain(plain, settings), plain);
    });
  });
});
