import { strict as assert } from "node:assert";
import { toMgnImport } from "../../../../provider/mgn/api";

const ID = "import-0123456789abcdefA";

describe("mgn api: wire shapes", () => {
  it("reads every field of a raw ImportTask, arn and tags included (the 3.523.0 SDK drops them)", () => {
    assert.deepEqual(
      toMgnImport({
        importID: ID,
        arn: `arn:aws:mgn:us-west-2:123456789012:import/${ID}`,
        s3BucketSource: { s3Bucket: "b", s3Key: "k.csv", s3BucketOwner: "123456789012" },
        creationDateTime: "2026-01-01T00:00:00Z",
        endDateTime: "2026-01-01T00:01:00Z",
        status: "SUCCEEDED",
        progressPercentage: 100,
        summary: { waves: { createdCount: 1, modifiedCount: 2 }, servers: { createdCount: 3 } },
        tags: { team: "ops" },
      }),
      {
        importID: ID,
        status: "SUCCEEDED",
        arn: `arn:aws:mgn:us-west-2:123456789012:import/${ID}`,
        s3BucketSource: { s3Bucket: "b", s3Key: "k.csv", s3BucketOwner: "123456789012" },
        creationDateTime: "2026-01-01T00:00:00Z",
        endDateTime: "2026-01-01T00:01:00Z",
        progressPercentage: 100,
        summary: {
          waves: { createdCount: 1, modifiedCount: 2 },
          servers: { createdCount: 3, modifiedCount: 0 },
        },
        tags: { team: "ops" },
      },
    );
  });

  it("drops nulls, wrong types and empty timestamps, and rejects a task without ID or status", () => {
    assert.deepEqual(
      toMgnImport({
        importID: ID,
        status: "STARTED",
        arn: null,
        endDateTime: "",
        progressPercentage: "40",
        s3BucketSource: { s3Bucket: "b" },
        tags: { ok: "1", bad: 2 },
      }),
      { importID: ID, status: "STARTED", tags: { ok: "1" } },
    );
    assert.equal(toMgnImport({ importID: ID }), undefined);
    assert.equal(toMgnImport({ status: "STARTED" }), undefined);
    assert.equal(toMgnImport(null), undefined);
    assert.equal(toMgnImport([ID]), undefined);
  });
});
