/**
 * examples/real-aws-s3-upload under pulumi.runtime.setMocks: the AWS provider plugin cannot be
 * installed offline, so the program's resource graph is checked here instead of by the CLI — the
 * bucket, the object uploading examples/data/discovery.csv, and the ADS import of that object.
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const BUCKET_NAME = "migration-data-4f2a9c1";
const TASK_ID = `import-task-${"ab".repeat(16)}`;

function resolved<T>(output: pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

describe("examples/real-aws-s3-upload under setMocks", function () {
  // Loading @pulumi/aws takes a few seconds.
  this.timeout(60_000);

  it("uploads the CSV with @pulumi/aws and imports the object it wrote", async () => {
    const seen: Registration[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource(args: pulumi.runtime.MockResourceArgs) {
          const inputs = args.inputs as Record<string, unknown>;
          seen.push({ type: args.type, name: args.name, inputs });
          switch (args.type) {
            case "aws:s3/bucketV2:BucketV2":
              return { id: BUCKET_NAME, state: { ...inputs, bucket: BUCKET_NAME } };
            case "pulumi-nodejs:dynamic/ads:ImportTask":
              return {
                id: TASK_ID,
                state: { ...inputs, importTaskId: TASK_ID, status: "IMPORT_COMPLETE_WITH_ERRORS" },
              };
            default:
              return { id: `${args.name}-id`, state: inputs };
          }
        },
        call: () => ({}),
      },
      "real-aws-s3-upload",
      "dev",
      false,
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require("../../examples/real-aws-s3-upload/index") as Record<
      string,
      pulumi.Output<unknown>
    >;
    const outputs = {
      bucketName: await resolved(program.bucketName!),
      importUrl: await resolved(program.importUrl!),
      importTaskId: await resolved(program.importTaskId!),
      status: await resolved(program.status!),
    };
    assert.deepEqual(outputs, {
      bucketName: BUCKET_NAME,
      importUrl: `s3://${BUCKET_NAME}/imports/discovery.csv`,
      importTaskId: TASK_ID,
      status: "IMPORT_COMPLETE_WITH_ERRORS",
    });

    assert.deepEqual(
      seen.map((r) => `${r.type} ${r.name}`),
      [
        "aws:s3/bucketV2:BucketV2 migration-data",
        "aws:s3/bucketObjectv2:BucketObjectv2 discovery-csv",
        "pulumi-nodejs:dynamic/ads:ImportTask discovery",
      ],
    );
    const [bucket, object, task] = seen;
    assert.deepEqual(bucket?.inputs, { forceDestroy: true });
    const { source, ...objectInputs } = object?.inputs ?? {};
    assert.deepEqual(objectInputs, {
      bucket: BUCKET_NAME,
      key: "imports/discovery.csv",
      contentType: "text/csv",
    });
    assert.equal(
      await resolved((source as { path: pulumi.Input<string> }).path),
      "../data/discovery.csv",
    );
    const { __provider, __urn, clientRequestToken, ...taskInputs } = task?.inputs ?? {};
    assert.equal(
      __urn,
      "urn:pulumi:dev::real-aws-s3-upload::pulumi-nodejs:dynamic/ads:ImportTask::discovery",
    );
    assert.deepEqual(taskInputs, {
      name: "datacenter-1 servers",
      importUrl: `s3://${BUCKET_NAME}/imports/discovery.csv`,
    });
    assert.equal(typeof __provider, "string");
    assert.match(String(clientRequestToken), /^pam-[0-9a-f]{64}$/);
  });
});
