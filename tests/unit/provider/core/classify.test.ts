import { strict as assert } from "node:assert";
import { toAwsApiError } from "../../../../provider/core/classify";
import { AwsApiError } from "../../../../provider/core/errors";

function sdkError(name: string, status?: number, message = "m"): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: { httpStatusCode: status, requestId: "rid" },
  });
}

describe("core classify", () => {
  describe("toAwsApiError", () => {
    const table: Array<[string, number | undefined, { throttling: boolean; retryable: boolean }]> =
      [
        ["Throttling", 400, { throttling: true, retryable: true }],
        ["ThrottlingException", 400, { throttling: true, retryable: true }],
        ["ThrottledException", 400, { throttling: true, retryable: true }],
        ["RequestThrottled", 400, { throttling: true, retryable: true }],
        ["RequestThrottledException", 400, { throttling: true, retryable: true }],
        ["TooManyRequestsException", 400, { throttling: true, retryable: true }],
        ["RequestLimitExceeded", 503, { throttling: true, retryable: true }],
        ["SlowDown", 503, { throttling: true, retryable: true }],
        ["EC2ThrottledException", 400, { throttling: true, retryable: true }],
        ["PriorRequestNotComplete", 400, { throttling: true, retryable: true }],
        ["BandwidthLimitExceeded", 400, { throttling: true, retryable: true }],
        ["AnythingElse", 429, { throttling: true, retryable: true }],
        ["InternalError", 400, { throttling: false, retryable: true }],
        ["InternalFailure", undefined, { throttling: false, retryable: true }],
        ["InternalServerException", 500, { throttling: false, retryable: true }],
        ["ServiceUnavailable", undefined, { throttling: false, retryable: true }],
        ["ServerInternalErrorException", 500, { throttling: false, retryable: true }],
        ["BadGateway", 502, { throttling: false, retryable: true }],
        ["TimeoutError", undefined, { throttling: false, retryable: true }],
        ["RequestTimeout", 400, { throttling: false, retryable: true }],
        ["AccessDeniedException", 403, { throttling: false, retryable: false }],
        ["ValidationException", 400, { throttling: false, retryable: false }],
        ["ConflictException", 409, { throttling: false, retryable: false }],
        ["ServiceQuotaExceededException", 402, { throttling: false, retryable: false }],
        // ADS uses it for a hard request limit that waiting never heals (aws-apis.md §5.2).
        ["LimitExceededException", 400, { throttling: false, retryable: false }],
        ["DryRunOperation", 412, { throttling: false, retryable: false }],
      ];
    for (const [code, status, expected] of table) {
      it(`classifies ${code}${status === undefined ? "" : ` (HTTP ${status})`} as ${expected.throttling ? "throttling" : expected.retryable ? "retryable" : "final"}`, () => {
        const e = toAwsApiError("svc", "Op", sdkError(code, status));
        assert.deepEqual(
          {
            code: e.code,
            httpStatus: e.httpStatus,
            throttling: e.throttling,
            retryable: e.retryable,
          },
          { code, httpStatus: status, ...expected },
        );
      });
    }

    const network: Array<[string, unknown]> = [
      ["ECONNRESET", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })],
      ["ECONNREFUSED", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })],
      ["EPIPE", Object.assign(new Error("write EPIPE"), { code: "EPIPE" })],
      ["ETIMEDOUT", Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" })],
      ["EAI_AGAIN", Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" })],
      ["socket hang up", new Error("socket hang up")],
    ];
    for (const [label, err] of network) {
      it(`retries the network error ${label}`, () => {
        const e = toAwsApiError("ec2", "DescribeImportImageTasks", err);
        assert.equal(e.retryable, true);
        assert.equal(e.throttling, false);
      });
    }

    it("keeps code, status, request ID and message, and says what to do", () => {
      const e = toAwsApiError(
        "ads",
        "StartImportTask",
        sdkError("ThrottlingException", 400, "Rate exceeded"),
      );
      assert.deepEqual(
        [e.kind, e.service, e.operation, e.code, e.httpStatus, e.requestId, e.awsMessage],
        [
          "AwsApiError",
          "ads",
          "StartImportTask",
          "ThrottlingException",
          400,
          "rid",
          "Rate exceeded",
        ],
      );
      assert.equal(
        e.message,
        "ads StartImportTask failed: ThrottlingException (HTTP 400, request rid): Rate exceeded. AWS throttled the calls; lower awsMigration:maxConcurrentStarts or raise the service quota, then run again.",
      );
    });

    it("reads the code from Code or code when name is the generic Error", () => {
      assert.equal(
        toAwsApiError("s", "o", Object.assign(new Error("x"), { Code: "SlowDown" })).code,
        "SlowDown",
      );
      assert.equal(
        toAwsApiError("s", "o", { code: "InternalError", message: "x" }).code,
        "InternalError",
      );
      assert.equal(toAwsApiError("s", "o", "boom").code, "UnknownError");
      assert.equal(toAwsApiError("s", "o", "boom").message, "s o failed: UnknownError: boom");
    });

    it("redacts credentials in the message", () => {
      const e = toAwsApiError(
        "s3",
        "GetObject",
        sdkError(
          "AccessDenied",
          403,
          "denied for https://b.s3.amazonaws.com/k?X-Amz-Signature=abc123&x=1",
        ),
      );
      assert.equal(
        e.awsMessage,
        "denied for https://b.s3.amazonaws.com/k?X-Amz-Signature=REDACTED&x=1",
      );
      assert.ok(!e.message.includes("abc123"));
    });

    it("returns an AwsApiError passed in unchanged", () => {
      const original = new AwsApiError({
        service: "mgn",
        operation: "StartImport",
        code: "ConflictException",
        message: "busy",
        httpStatus: 409,
        retryable: false,
        throttling: false,
      });
      assert.equal(toAwsApiError("other", "Other", original), original);
    });
  });
});
