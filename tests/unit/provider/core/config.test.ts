import { strict as assert } from "node:assert";
import {
  clientConfig,
  readProviderSettings,
  type ConfigSource,
} from "../../../../provider/core/config";
import {
  isInputValidationError,
  type InputValidationError,
} from "../../../../provider/core/errors";

function source(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

function errorOf(fn: () => unknown): InputValidationError {
  try {
    fn();
  } catch (e) {
    assert.ok(isInputValidationError(e), `expected InputValidationError, got ${String(e)}`);
    return e;
  }
  assert.fail("expected an InputValidationError");
}

describe("core config", () => {
  describe("readProviderSettings", () => {
    it("reads every key", () => {
      const settings = readProviderSettings(
        source({
          "aws:region": "eu-west-1",
          "awsMigration:endpoint": "http://127.0.0.1:4566",
          "awsMigration:endpoints": '{"mgn":"http://127.0.0.1:5000","ec2":"https://ec2.example"}',
          "awsMigration:waitTimeoutMinutes": "90",
          "awsMigration:maxConcurrentStarts": "3",
          "awsMigration:pollMinDelayMs": "100",
          "awsMigration:pollMaxDelayMs": "2000",
          "awsMigration:pollBudgetCallsPerSecond": "0.5",
        }),
        {},
      );
      assert.deepEqual(settings, {
        region: "eu-west-1",
        endpoint: "http://127.0.0.1:4566",
        endpoints: { mgn: "http://127.0.0.1:5000", ec2: "https://ec2.example" },
        waitTimeoutMinutes: 90,
        maxConcurrentStarts: 3,
        pollMinDelayMs: 100,
        pollMaxDelayMs: 2000,
        pollBudgetCallsPerSecond: 0.5,
      });
    });

    it("leaves unset keys out", () => {
      assert.deepEqual(readProviderSettings(source({}), {}), { endpoints: {} });
    });

    it("falls back to AWS_REGION, then AWS_DEFAULT_REGION, when aws:region is unset", () => {
      const cfg = source({});
      assert.equal(
        readProviderSettings(cfg, { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "eu-central-1" })
          .region,
        "us-west-2",
      );
      assert.equal(
        readProviderSettings(cfg, { AWS_DEFAULT_REGION: "eu-central-1" }).region,
        "eu-central-1",
      );
      assert.equal(
        readProviderSettings(source({ "aws:region": "ap-south-1" }), { AWS_REGION: "us-west-2" })
          .region,
        "ap-south-1",
      );
    });

    const bad: Array<[string, Record<string, string>, NodeJS.ProcessEnv, string, string]> = [
      [
        "a malformed region",
        { "aws:region": "Frankfurt" },
        {},
        "aws:region",
        'aws:region must be an AWS Region name like us-east-1 (got "Frankfurt"). Fix: pulumi config set aws:region us-east-1',
      ],
      [
        "a malformed region from the environment",
        {},
        { AWS_DEFAULT_REGION: "moon" },
        "AWS_DEFAULT_REGION",
        'AWS_DEFAULT_REGION must be an AWS Region name like us-east-1 (got "moon"). Fix: export AWS_DEFAULT_REGION=us-east-1',
      ],
      [
        "an endpoint that is not a URL",
        { "awsMigration:endpoint": "localhost:4566" },
        {},
        "awsMigration:endpoint",
        'awsMigration:endpoint must be an http(s) URL (got "localhost:4566"). Fix: pulumi config set awsMigration:endpoint https://<host>',
      ],
      [
        "an endpoint carrying a password",
        { "awsMigration:endpoint": "https://u:p@h.example" },
        {},
        "awsMigration:endpoint",
        'awsMigration:endpoint must not contain a user name or password (got "https://REDACTED@h.example"). Fix: remove the user:password@ part and use the standard AWS credentials',
      ],
      [
        "endpoints that are not JSON",
        { "awsMigration:endpoints": "mgn=http://x" },
        {},
        "awsMigration:endpoints",
        `awsMigration:endpoints must be a JSON object of service → URL (got text that is not JSON). Fix: pulumi config set awsMigration:endpoints '{"mgn":"http://127.0.0.1:4566"}' (keys: ads, mgn, migrationhub, migrationhub-config, ec2, s3, sts)`,
      ],
      [
        "endpoints naming an unknown service",
        { "awsMigration:endpoints": '{"sqs":"http://x"}' },
        {},
        "awsMigration:endpoints",
        `awsMigration:endpoints has an unknown service "sqs"; must be one of ads, mgn, migrationhub, migrationhub-config, ec2, s3, sts. Fix: pulumi config set awsMigration:endpoints '{"mgn":"http://127.0.0.1:4566"}' (keys: ads, mgn, migrationhub, migrationhub-config, ec2, s3, sts)`,
      ],
      [
        "a non-numeric timeout",
        { "awsMigration:waitTimeoutMinutes": "an hour" },
        {},
        "awsMigration:waitTimeoutMinutes",
        'awsMigration:waitTimeoutMinutes must be a number >= 0 (got "an hour"). Fix: pulumi config set awsMigration:waitTimeoutMinutes 120',
      ],
      [
        "zero concurrent starts",
        { "awsMigration:maxConcurrentStarts": "0" },
        {},
        "awsMigration:maxConcurrentStarts",
        'awsMigration:maxConcurrentStarts must be an integer between 1 and 100 (got "0"). Fix: pulumi config set awsMigration:maxConcurrentStarts 5',
      ],
      [
        "a fractional poll delay",
        { "awsMigration:pollMinDelayMs": "1.5" },
        {},
        "awsMigration:pollMinDelayMs",
        'awsMigration:pollMinDelayMs must be an integer >= 0 (got "1.5"). Fix: pulumi config set awsMigration:pollMinDelayMs 15000',
      ],
      [
        "a max poll delay below the min",
        { "awsMigration:pollMinDelayMs": "5000", "awsMigration:pollMaxDelayMs": "1000" },
        {},
        "awsMigration:pollMaxDelayMs",
        'awsMigration:pollMaxDelayMs must be an integer >= 5000 (got "1000"). Fix: pulumi config set awsMigration:pollMaxDelayMs 120000',
      ],
      [
        "a zero poll budget",
        { "awsMigration:pollBudgetCallsPerSecond": "0" },
        {},
        "awsMigration:pollBudgetCallsPerSecond",
        'awsMigration:pollBudgetCallsPerSecond must be a number >= 0.01 (got "0"). Fix: pulumi config set awsMigration:pollBudgetCallsPerSecond 2',
      ],
    ];
    for (const [label, values, env, key, message] of bad) {
      it(`refuses ${label}, naming ${key}, the rule and the fix`, () => {
        const e = errorOf(() => readProviderSettings(source(values), env));
        assert.equal(e.property, key);
        assert.equal(e.message, message);
      });
    }
  });

  describe("clientConfig", () => {
    it("prefers endpoints[service], then endpoint, and always sets maxAttempts 1", () => {
      const settings = {
        region: "us-east-1",
        endpoint: "http://all",
        endpoints: { mgn: "http://mgn" },
      };
      assert.deepEqual(clientConfig(settings, "mgn"), {
        region: "us-east-1",
        endpoint: "http://mgn",
        maxAttempts: 1,
      });
      assert.deepEqual(clientConfig(settings, "ads"), {
        region: "us-east-1",
        endpoint: "http://all",
        maxAttempts: 1,
      });
    });

    it("sets no endpoint when none is configured, so the SDK honours AWS_ENDPOINT_URL_*", () => {
      assert.deepEqual(clientConfig({ endpoints: {} }, "ec2"), { maxAttempts: 1 });
    });
  });
});
