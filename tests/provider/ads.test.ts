import { strict as assert } from "node:assert";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ApplicationDiscoveryServiceClient,
  BatchDeleteImportDataCommand,
  DescribeImportTasksCommand,
} from "../../provider/ads/client";
import { createProvider } from "../../provider/ads/importTaskProvider";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { isAwsApiError, isImportTaskFailedError } from "../../provider/core/errors";
import type { Logger } from "../../provider/core/log";
import { type Emulator } from "../../emulator";
import { useEmulator } from "../support/emulator";
import { rejection } from "../support/rejection";

const REGION = "us-west-2";
const BUCKET = "migration-data";
const GOOD_CSV = "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\nsrv-2,web-2,10.0.0.2\n";
// The third row has none of the identifying fields, so ADS rejects it.
const ROW_ERRORS_CSV =
  "ExternalId,HostName,IPAddress\nsrv-1,web-1,10.0.0.1\nsrv-2,web-2,10.0.0.2\n,,\n";
const ID_RE = /^import-task-[0-9a-f]{32}$/;
const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Line {
  level: string;
  resource: string;
  message: string;
}

function recorder(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const push =
    (level: string) =>
    (resource: string, message: string): void => {
      lines.push({ level, resource, message });
    };
  return { lines, logger: { info: push("info"), warn: push("warn"), progress: push("progress") } };
}

async function providerFor(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const { logger, lines } = recorder();
  const provider = createProvider({ logger });
  const values: Record<string, string> = {
    "aws:region": REGION,
    "awsMigration:endpoint": emulator.url,
    "awsMigration:pollMinDelayMs": "10",
    "awsMigration:pollMaxDelayMs": "40",
    ...extra,
  };
  await provider.configure({ config: { get: (k) => values[k] } });
  return { provider, lines };
}

function adsClient(emulator: Emulator): ApplicationDiscoveryServiceClient {
  return new ApplicationDiscoveryServiceClient({
    endpoint: emulator.url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

async function upload(
  emulator: Emulator,
  files: Record<string, string>,
  createBucket = true,
): Promise<void> {
  const s3 = new S3Client({
    endpoint: emulator.url,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    forcePathStyle: true,
    maxAttempts: 1,
  });
  if (createBucket) await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

async function allTasks(emulator: Emulator): Promise<{ id: string; status: string }[]> {
  const out = await adsClient(emulator).send(new DescribeImportTasksCommand({}));
  return (out.tasks ?? []).map((t) => ({ id: t.importTaskId ?? "", status: t.status ?? "" }));
}

function inputs(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `import-${key}`,
    importUrl: `s3://${BUCKET}/${key}`,
    clientRequestToken: `pam-test-${key}`,
    __provider: "serialized-shim",
    ...extra,
  };
}

describe("ads.ImportTask provider against the emulator", () => {
  const ctx = useEmulator({ homeRegion: REGION });
  // Some tests change the emulated clock speed; reset() keeps it, so restore it for the next test.
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  beforeEach(() =>
    upload(ctx.emulator, {
      "good.csv": GOOD_CSV,
      "row-errors.csv": ROW_ERRORS_CSV,
      "not-a-template.csv": "Foo,Bar\n1,2\n",
    }),
  );

  describe("create", () => {
    it("waits until IMPORT_COMPLETE and returns the counts and ISO timestamps", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      assert.match(id, ID_RE);
      const { importRequestTime, importCompletionTime, ...rest } = outs;
      assert.match(String(importRequestTime), ISO_RE);
      assert.match(String(importCompletionTime), ISO_RE);
      assert.deepEqual(rest, {
        ...inputs("good.csv"),
        importTaskId: id,
        status: "IMPORT_COMPLETE",
        fileClassification: "IMPORT_TEMPLATE",
        serverImportSuccess: 2,
        serverImportFailure: 0,
        applicationImportSuccess: 0,
        applicationImportFailure: 0,
      });
    });

    it("re-running create with the same token adopts the task: exactly one task exists", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const first = await provider.create(inputs("good.csv", { waitForCompletion: false }));
      const second = await provider.create(inputs("good.csv"));
      assert.equal(second.id, first.id);
      assert.deepEqual(await allTasks(ctx.emulator), [{ id: first.id, status: "IMPORT_COMPLETE" }]);
      assert.equal(ctx.emulator.stats().requests["ads:StartImportTask"], 2);
    });

    it("a failed import throws ImportTaskFailedError carrying the ID, properties with __provider, and the reason", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const err = await rejection(provider.create(inputs("not-a-template.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, ID_RE);
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(err.properties["importTaskId"], err.id);
      assert.equal(err.properties["status"], "IMPORT_FAILED_UNSUPPORTED_FILE_TYPE");
      assert.equal(err.reasons.length, 1);
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^ads\\.ImportTask "import-not-a-template\\.csv": import ${err.id} ended in IMPORT_FAILED_UNSUPPORTED_FILE_TYPE after \\d+ polls?( \\(IMPORT_IN_PROGRESS(×\\d+)?\\))?; servers 0 imported / 0 failed, applications 0 imported / 0 failed\\. ADS does not support this file\\. Download errorsAndFailedEntriesZip \\(a secret output\\) for the rejected rows\\. Use the ADS CSV import template \\(or a supported RVTools/ModelizeIT/VMware NSX export\\), then run \`pulumi up\` again\\.$`,
        ),
      );
    });

    it("a missing S3 object ends in IMPORT_FAILED", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const err = await rejection(provider.create(inputs("missing.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.properties["status"], "IMPORT_FAILED");
    });

    it("IMPORT_COMPLETE_WITH_ERRORS succeeds with a warning; the presigned zip URL is an output but never logged", async () => {
      const { provider, lines } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("row-errors.csv"));
      assert.equal(outs["status"], "IMPORT_COMPLETE_WITH_ERRORS");
      assert.equal(outs["serverImportSuccess"], 2);
      assert.equal(outs["serverImportFailure"], 1);
      const zip = String(outs["errorsAndFailedEntriesZip"]);
      assert.match(zip, /X-Amz-Signature=[0-9a-f]{64}/);
      assert.deepEqual(
        lines.filter((l) => l.level === "warn"),
        [
          {
            level: "warn",
            resource: "ads.ImportTask import-row-errors.csv",
            message: `import ${id} finished IMPORT_COMPLETE_WITH_ERRORS with rejected rows (servers 2 imported / 1 failed, applications 0 imported / 0 failed). Download errorsAndFailedEntriesZip (a secret output) for the rejected rows.`,
          },
        ],
      );
      const signature = /X-Amz-Signature=([0-9a-f]{64})/.exec(zip)![1]!;
      assert.ok(lines.every((l) => !l.message.includes(signature)));
    });

    it("with failOnRowErrors, IMPORT_COMPLETE_WITH_ERRORS is a failure", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const err = await rejection(
        provider.create(inputs("row-errors.csv", { failOnRowErrors: true })),
      );
      assert.ok(isImportTaskFailedError(err));
      assert.equal(err.properties["status"], "IMPORT_COMPLETE_WITH_ERRORS");
      assert.ok(!err.message.includes("X-Amz-Signature"));
    });

    it("a timeout is recorded with the ID, and update() resumes the wait to completion without a second start", async () => {
      // Real-time emulator: the import stays IMPORT_IN_PROGRESS past a 0.3 s limit.
      ctx.emulator.configure({ timeScale: 1 });
      const { provider: impatient } = await providerFor(ctx.emulator, {
        "awsMigration:waitTimeoutMinutes": "0.005",
      });
      const err = await rejection(impatient.create(inputs("good.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, ID_RE);
      assert.equal(err.properties["status"], "IMPORT_IN_PROGRESS");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^ads\\.ImportTask "import-good\\.csv": import ${err.id} is still IMPORT_IN_PROGRESS after \\d+(?:\\.\\d)?m?s \\(limit 300ms; observed IMPORT_IN_PROGRESS×\\d+\\)\\. The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting\\.$`,
        ),
      );

      ctx.emulator.configure({ timeScale: 1000 });
      const { provider } = await providerFor(ctx.emulator);
      const { outs } = await provider.update(err.id, err.properties, inputs("good.csv"));
      assert.equal(outs["status"], "IMPORT_COMPLETE");
      assert.equal(outs["importTaskId"], err.id);
      assert.equal(outs["serverImportSuccess"], 2);
      assert.equal(ctx.emulator.stats().requests["ads:StartImportTask"], 1);
    });
  });

  describe("read", () => {
    it("returns current outputs for a live task", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
    });

    it("after an out-of-band BatchDeleteImportData with deleteHistory, returns no ID", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      await adsClient(ctx.emulator).send(
        new BatchDeleteImportDataCommand({ importTaskIds: [id], deleteHistory: true }),
      );
      ctx.emulator.configure({ advanceSeconds: 600 });
      assert.deepEqual(await provider.read(id, outs), {});
    });

    it("after an out-of-band delete that keeps history (DELETE_COMPLETE), returns no ID", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      await adsClient(ctx.emulator).send(
        new BatchDeleteImportDataCommand({ importTaskIds: [id], deleteHistory: false }),
      );
      ctx.emulator.configure({ advanceSeconds: 600 });
      assert.deepEqual(await allTasks(ctx.emulator), [{ id, status: "DELETE_COMPLETE" }]);
      assert.deepEqual(await provider.read(id, outs), {});
    });
  });

  describe("delete", () => {
    it("by default runs BatchDeleteImportData and waits until DELETE_COMPLETE", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      await provider.delete(id, outs);
      assert.deepEqual(await allTasks(ctx.emulator), [{ id, status: "DELETE_COMPLETE" }]);
      assert.equal(ctx.emulator.stats().requests["ads:BatchDeleteImportData"], 1);
    });

    it("with deleteHistoryOnDelete the task disappears from DescribeImportTasks", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(
        inputs("good.csv", { deleteHistoryOnDelete: true }),
      );
      await provider.delete(id, outs);
      assert.deepEqual(await allTasks(ctx.emulator), []);
    });

    it("with retainOnDelete leaves the task and makes no AWS call", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv", { retainOnDelete: true }));
      const before = ctx.emulator.stats().totalRequests;
      await provider.delete(id, outs);
      assert.equal(ctx.emulator.stats().totalRequests, before);
      assert.deepEqual(await allTasks(ctx.emulator), [{ id, status: "IMPORT_COMPLETE" }]);
    });
  });

  describe("scale", () => {
    it("120 concurrent imports: each poll round costs ceil(active / 100) DescribeImportTasks calls, not one per import", async function () {
      this.timeout(60_000);
      const n = 120;
      const keys = Array.from({ length: n }, (_, i) => `bulk-${i}.csv`);
      await upload(ctx.emulator, Object.fromEntries(keys.map((k) => [k, GOOD_CSV])), false);
      // Fixed 50 ms polls so waits that resume together stay in step (the poller batches per tick).
      const { provider, lines } = await providerFor(ctx.emulator, {
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "50",
      });
      // ADS processes imports one at a time (~15 emulated s each): at 500x they finish over ~4 s.
      ctx.emulator.configure({ timeScale: 500 });
      const started = await Promise.all(
        keys.map((k) => provider.create(inputs(k, { waitForCompletion: false }))),
      );
      const before = ctx.emulator.stats().requests["ads:DescribeImportTasks"] ?? 0;
      // update() resumes every wait in the same tick, as the `pulumi up` after an interrupt would.
      const done = await Promise.all(
        started.map((s, i) => provider.update(s.id, s.outs, inputs(keys[i]!))),
      );
      const describes = (ctx.emulator.stats().requests["ads:DescribeImportTasks"] ?? 0) - before;
      assert.ok(done.every((d) => d.outs["status"] === "IMPORT_COMPLETE"));
      // Active waits per round, from the progress lines ("(poll k, ...)").
      const active = new Map<number, number>();
      for (const l of lines.filter((x) => x.level === "progress")) {
        const k = Number(/poll (\d+)/.exec(l.message)![1]);
        active.set(k, (active.get(k) ?? 0) + 1);
      }
      const polls = [...active.values()].reduce((a, b) => a + b, 0);
      // update() first describes all 120 once (2 batched calls), then the waits poll in rounds.
      const ideal = 2 + [...active.values()].reduce((a, m) => a + Math.ceil(m / 100), 0);
      console.log(
        `      ${n} imports: ${describes} DescribeImportTasks calls for ${polls + n} describes of one task over ${active.size} rounds (ideal batching ${ideal})`,
      );
      assert.ok(describes <= ideal + active.size, `${describes} calls; ideal ${ideal}`);
      assert.ok(describes < (polls + n) / 10);
      assert.equal(ctx.emulator.stats().requests["ads:StartImportTask"], n);
    });
  });
});

describe("ads.ImportTask provider: Migration Hub home region", () => {
  const ctx = useEmulator({});

  it("with no home region set, fails at once with HomeRegionNotSetException and the command that fixes it", async () => {
    const { provider } = await providerFor(ctx.emulator);
    const err = await rejection(provider.create(inputs("good.csv")));
    assert.ok(isAwsApiError(err));
    assert.equal(err.code, "HomeRegionNotSetException");
    assert.match(
      err.message,
      /^ads StartImportTask failed: HomeRegionNotSetException \(HTTP 400, request [^)]+\): The home region is not set\. Set the home region to continue\. ADS keeps its data in the Migration Hub home region, and this account has none\. Fix: set it once with `aws migrationhub-config create-home-region-control --home-region us-west-2 --target Type=ACCOUNT,Id=<account-id>` \(or in the Migration Hub console\), then run `pulumi up` again with aws:region set to that region\.$/,
    );
    assert.equal(ctx.emulator.stats().requests["ads:StartImportTask"], 1);
  });

  it("from a region that is not the home region, fails with HomeRegionNotSetException and says to use the home region", async () => {
    ctx.emulator.configure({ homeRegion: "us-east-1" });
    const { provider } = await providerFor(ctx.emulator);
    const err = await rejection(provider.create(inputs("good.csv")));
    assert.ok(isAwsApiError(err));
    assert.equal(err.code, "HomeRegionNotSetException");
    assert.match(
      err.message,
      /^ads StartImportTask failed: HomeRegionNotSetException \(HTTP 400, request [^)]+\): .*home region.*\. ADS imports must run in the account's Migration Hub home region \(this stack uses us-west-2\)\. Fix: set aws:region to the home region \(`aws migrationhub-config get-home-region`\), then run `pulumi up` again\.$/,
    );
  });
});
