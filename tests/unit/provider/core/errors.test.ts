import { strict as assert } from "node:assert";
import {
  AwsApiError,
  ImportTaskFailedError,
  InputValidationError,
  isAwsApiError,
  isImportTaskFailedError,
  isInputValidationError,
  isMigrationError,
  isWaiterTimeoutError,
  WaitAbortedError,
  WaiterTimeoutError,
  withAdvice,
} from "../../../../provider/core/errors";

describe("core errors", () => {
  it("recognizes a branded error from another copy of the module by its Symbol.for brand and kind", () => {
    // What a serialized provider's own copy of the class produces: same brand, different class.
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("pulumi-aws-migration.error")]: true,
      kind: "AwsApiError",
    });
    assert.equal(isMigrationError(foreign), true);
    assert.equal(isAwsApiError(foreign), true);
    assert.equal(isInputValidationError(foreign), false);
    assert.equal(isMigrationError(Object.assign(new Error("x"), { kind: "AwsApiError" })), false);
    assert.equal(isMigrationError(null), false);
    assert.equal(isMigrationError("AwsApiError"), false);
  });

  it("gives each class its kind, name and guard", () => {
    const cases: Array<[Error, string, (e: unknown) => boolean]> = [
      [
        new InputValidationError({ property: "name", reason: "is required" }),
        "InputValidationError",
        isInputValidationError,
      ],
      [
        new AwsApiError({
          service: "s",
          operation: "o",
          code: "c",
          message: "m",
          retryable: false,
          throttling: false,
        }),
        "AwsApiError",
        isAwsApiError,
      ],
      [
        new ImportTaskFailedError({ id: "i", properties: {}, reasons: ["r"] }),
        "ImportTaskFailedError",
        isImportTaskFailedError,
      ],
      [
        new WaiterTimeoutError({ elapsedMs: 1, limitMs: 1, observed: [] }),
        "WaiterTimeoutError",
        isWaiterTimeoutError,
      ],
    ];
    for (const [e, kind, guard] of cases) {
      assert.equal((e as unknown as { kind: string }).kind, kind);
      assert.equal(e.name, kind);
      assert.equal(guard(e), true);
      assert.ok(e instanceof Error);
    }
    assert.equal(isMigrationError(new WaitAbortedError(), "WaitAbortedError"), true);
  });

  it("builds the InputValidationError message from property and reason", () => {
    const e = new InputValidationError({
      property: "importUrl",
      reason: 'must match s3://bucket/key (got "x")',
    });
    assert.deepEqual(
      [e.property, e.reason, e.message],
      [
        "importUrl",
        'must match s3://bucket/key (got "x")',
        'importUrl must match s3://bucket/key (got "x")',
      ],
    );
  });

  it("carries id, properties and reasons exactly as the dynamic host reads them", () => {
    const e = new ImportTaskFailedError({
      id: "import-1",
      properties: { status: "IMPORT_FAILED", __provider: "p" },
      reasons: ["import ended in IMPORT_FAILED"],
      message:
        'ads.ImportTask "q3": import ended in IMPORT_FAILED after 4 polls (IMPORT_IN_PROGRESS×3). Download errorsAndFailedEntriesZip for the rejected rows.',
    });
    assert.deepEqual(
      { id: e.id, properties: e.properties, reasons: e.reasons },
      {
        id: "import-1",
        properties: { status: "IMPORT_FAILED", __provider: "p" },
        reasons: ["import ended in IMPORT_FAILED"],
      },
    );
    assert.equal(
      e.message,
      'ads.ImportTask "q3": import ended in IMPORT_FAILED after 4 polls (IMPORT_IN_PROGRESS×3). Download errorsAndFailedEntriesZip for the rejected rows.',
    );
    assert.equal(
      new ImportTaskFailedError({ id: "i", properties: {}, reasons: ["a", "b"] }).message,
      "a; b",
    );
  });

  it("gives no other error an `id`, so the host never mistakes it for a partial create", () => {
    const e = new AwsApiError({
      service: "s",
      operation: "o",
      code: "c",
      message: "",
      retryable: true,
      throttling: false,
    });
    assert.equal("id" in e, false);
    assert.equal(e.message, "s o failed: c. The error is transient; run again.");
  });

  it("says how to fix rejected or missing credentials (not 'grant permission' for EC2's AuthFailure)", () => {
    const messages = [
      [
        "ads",
        "StartImportTask",
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
      ],
      [
        "ec2",
        "ImportImage",
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
      ],
      [
        "mgn",
        "StartImport",
        "CredentialsProviderError",
        "Could not load credentials from any providers",
      ],
    ].map(
      ([service, operation, code, message]) =>
        new AwsApiError({
          service: service!,
          operation: operation!,
          code: code!,
          message: message!,
          retryable: false,
          throttling: false,
        }).message,
    );
    assert.deepEqual(messages, [
      "ads StartImportTask failed: UnrecognizedClientException: The security token included in the request is invalid. AWS rejected the credentials: set a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), plus a current AWS_SESSION_TOKEN for temporary credentials, check that the clock is right, then run again.",
      "ec2 ImportImage failed: AuthFailure: AWS was not able to validate the provided access credentials. AWS rejected the credentials: set a valid AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), plus a current AWS_SESSION_TOKEN for temporary credentials, check that the clock is right, then run again.",
      "mgn StartImport failed: CredentialsProviderError: Could not load credentials from any providers. No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) where `pulumi up` runs, then run again.",
    ]);
  });

  it("uses the advice given instead of the default", () => {
    const e = new AwsApiError({
      service: "ads",
      operation: "StartImportTask",
      code: "HomeRegionNotSetException",
      message: "Home region is not set",
      httpStatus: 400,
      retryable: false,
      throttling: false,
      advice: "Set a Migration Hub home region first.",
    });
    assert.equal(
      e.message,
      "ads StartImportTask failed: HomeRegionNotSetException (HTTP 400): Home region is not set. Set a Migration Hub home region first.",
    );
  });

  it("says when nothing was observed before a timeout", () => {
    const e = new WaiterTimeoutError({
      elapsedMs: 500,
      limitMs: 500,
      observed: [],
      subject: 'ec2.ImportImageTask "a"',
      advice: "Retry.",
    });
    assert.equal(
      e.message,
      'ec2.ImportImageTask "a" was never observed after 500ms (limit 500ms). Retry.',
    );
  });
});

describe("withAdvice", () => {
  it("copies every field of an AwsApiError and ends the message with the new advice, keeping the original as cause", () => {
    const original = new AwsApiError({
      service: "mgn",
      operation: "StartImport",
      code: "UninitializedAccountException",
      message: "Account is not initialized.",
      httpStatus: 400,
      requestId: "r-1",
      retryable: false,
      throttling: false,
    });
    const advised = withAdvice(original, "Run `aws mgn initialize-service` once.");
    assert.deepEqual(
      [advised.service, advised.operation, advised.code, advised.awsMessage, advised.httpStatus],
      ["mgn", "StartImport", "UninitializedAccountException", "Account is not initialized.", 400],
    );
    assert.deepEqual(
      [advised.requestId, advised.retryable, advised.throttling, advised.cause],
      ["r-1", false, false, original],
    );
    assert.equal(
      advised.message,
      "mgn StartImport failed: UninitializedAccountException (HTTP 400, request r-1): Account is not initialized. Run `aws mgn initialize-service` once.",
    );
  });
});
