import { strict as assert } from "node:assert";
import { toMgnImport } from "../../../../provider/mgn/api";

const ID = "import-0123456789abcdefA";
const ARN = `arn:aws:mgn:us-west-2:123456789012:import/${ID}`;

describe("mgn api: wire shapes", () => {
  it("keeps the SDK's fields and adds arn and tags from the raw item (the 3.523.0 SDK drops them)", () => {
    const summary = { waves: { createdCount: 1, modifiedCount: 2 }, servers: { createdCount: 3 } };
    assert.deepEqual(
      toMgnImport(
        {
          importID: ID,
          s3BucketSource: { s3Bucket: "b", s3Key: "k.csv", s3BucketOwner: "123456789012" },
          creationDateTime: "2026-01-01T00:00:00Z",
          endDateTime: "2026-01-01T00:01:00Z",
          status: "SUCCEEDED",
          progressPercentage: 100,
          summary,
        },
        { importID: ID, arn: ARN, tags: { team: "ops" } },
      ),
      {
        importID: ID,
        status: "SUCCEEDED",
        arn: ARN,
        s3BucketSource: { s3Bucket: "b", s3Key: "k.csv", s3BucketOwner: "123456789012" },
        creationDateTime: "2026-01-01T00:00:00Z",
        endDateTime: "2026-01-01T00:01:00Z",
        progressPercentage: 100,
        summary,
        tags: { team: "ops" },
      },
    );
  });

  it("drops empty timestamps, an incomplete source and mistyped raw fields, and rejects a task without ID or status", () => {
    assert.deepEqual(
      toMgnImport(
        {
          importID: ID,
          status: "STARTED",
          endDateTime: "",
          s3BucketSource: { s3Bucket: "b", s3Key: undefined },
        },
        { arn: null, tags: { ok: "1", bad: 2 } },
      ),
      { importID: ID, status: "STARTED", tags: { ok: "1" } },
    );
    assert.deepEqual(toMgnImport({ importID: ID, status: "PENDING" }, [ID]), {
      importID: ID,
      status: "PENDING",
    });
    assert.equal(toMgnImport({ importID: ID }, {}), undefined);
    assert.equal(toMgnImport({ status: "STARTED" }, {}), undefined);
    assert.equal(toMgnImport(undefined, { importID: ID, status: "STARTED" }), undefined);
  });
});
