import { strict as assert } from "node:assert";
import {
  DescribeSourceServersCommand,
  InitializeServiceCommand,
  ListApplicationsCommand,
  ListImportsCommand,
  ListWavesCommand,
  MgnClient,
} from "@aws-sdk/client-mgn";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { isAwsApiError, isImportTaskFailedError } from "../../provider/core/errors";
import type { Logger } from "../../provider/core/log";
import { createProvider } from "../../provider/mgn/importTaskProvider";
import { DEFAULT_RATE_LIMITS, type Emulator } from "../../emulator";
import { clientConfig, useEmulator } from "../support/emulator";
import { sendRaw } from "../support/signed";
import { rejection } from "../support/rejection";

const REGION = "us-west-2";
const ACCOUNT = "123456789012";
const BUCKET = "mgn-imports";
const ID_RE = /^import-[0-9a-f]{17}$/;
const ISO_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const HEADER =
  "mgn:wave:name,mgn:wave:tag:stack,mgn:app:name,mgn:app:tag:stack,mgn:server:user-provided-id,mgn:server:fqdn-for-action-framework,mgn:server:tag:stack";
/** One wave, one application, two servers; every row tagged stack=prod. */
const GOOD_CSV = `${HEADER}\nwave-1,prod,billing,prod,srv-001,db1.example.com,prod\nwave-1,prod,billing,prod,srv-002,app1.example.com,prod\n`;
/** The third row names a new server without an FQDN, so MGN rejects it. */
const ROW_ERRORS_CSV = `${GOOD_CSV}wave-1,prod,billing,prod,srv-003,,prod\n`;
const BAD_HEADER_CSV = "mgn:server:user-provided-id,mgn:nonsense\nsrv-1,x\n";

interface Line {
  level: string;
  resource: string;
  message: string;
  /** Wall-clock 20 ms tick the line was logged in (for grouping polls into rounds). */
  at: number;
}

async function providerFor(
  emulator: Emulator,
  extra: Record<string, string> = {},
): Promise<{ provider: ProviderImplementation; lines: Line[] }> {
  const lines: Line[] = [];
  const push =
    (level: string) =>
    (resource: string, message: string): void => {
      lines.push({ level, resource, message, at: Math.floor(Date.now() / 20) });
    };
  const logger: Logger = { info: push("info"), warn: push("warn"), progress: push("progress") };
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

async function upload(emulator: Emulator, files: Record<string, string>): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(emulator, REGION), forcePathStyle: true });
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

function inputs(key: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    s3BucketSource: { s3Bucket: BUCKET, s3Key: key },
    clientToken: `pam-test-${key}`,
    __provider: "serialized-shim",
    ...extra,
  };
}

describe("mgn.ImportTask provider against the emulator", () => {
  const ctx = useEmulator();
  const mgn = (): MgnClient => new MgnClient(clientConfig(ctx.emulator, REGION));
  const count = (op: string): number => ctx.emulator.stats().requests[`mgn:${op}`] ?? 0;
  afterEach(() => ctx.emulator.configure({ timeScale: 1000 }));
  beforeEach(async () => {
    await mgn().send(new InitializeServiceCommand({}));
    const s3 = new S3Client({ ...clientConfig(ctx.emulator, REGION), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    await upload(ctx.emulator, {
      "good.csv": GOOD_CSV,
      "row-errors.csv": ROW_ERRORS_CSV,
      "bad-header.csv": BAD_HEADER_CSV,
    });
  });

  describe("create", () => {
    it("waits until SUCCEEDED and returns the summary counts, ARN, tags and ISO timestamps", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const given = inputs("good.csv", { tags: { team: "ops" } });
      const { id, outs } = await provider.create(given);
      assert.match(id, ID_RE);
      const { creationDateTime, endDateTime, ...rest } = outs;
      assert.match(String(creationDateTime), ISO_RE);
      assert.match(String(endDateTime), ISO_RE);
      assert.deepEqual(rest, {
        ...given,
        importId: id,
        arn: `arn:aws:mgn:${REGION}:${ACCOUNT}:import/${id}`,
        status: "SUCCEEDED",
        progressPercentage: 100,
        summary: {
          waves: { createdCount: 1, modifiedCount: 0 },
          applications: { createdCount: 1, modifiedCount: 0 },
          servers: { createdCount: 2, modifiedCount: 0 },
        },
        importErrors: [],
        importErrorCount: 0,
      });
      // The tags reached MGN (the 3.523.0 serializer alone would drop them).
      const listed = await sendRaw(ctx.emulator.url, {
        service: "mgn",
        path: "/ListImports",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ filters: { importIDs: [id] } }),
      });
      const items = (JSON.parse(listed.text) as { items: { tags?: unknown }[] }).items;
      assert.deepEqual(items[0]!.tags, { team: "ops" });
      assert.equal(count("StartImport"), 1);
      assert.equal(count("ListImportErrors"), 1);
    });

    it("a CSV with rejected rows succeeds with a warning, and the first row errors are outputs", async () => {
      const { provider, lines } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("row-errors.csv"));
      assert.equal(outs["status"], "SUCCEEDED");
      assert.equal(outs["importErrorCount"], 1);
      const [error] = outs["importErrors"] as Record<string, unknown>[];
      const { errorDateTime, ...rest } = error!;
      assert.match(String(errorDateTime), ISO_RE);
      const raw =
        "A new server needs an IP address or an FQDN (mgn:server:fqdn-for-action-framework)";
      assert.deepEqual(rest, {
        errorType: "VALIDATION_ERROR",
        rowNumber: 4,
        rawError: raw,
        message: `row 4: VALIDATION_ERROR: ${raw}`,
      });
      assert.deepEqual(
        lines.filter((l) => l.level === "warn").map(({ at: _at, ...l }) => l),
        [
          {
            level: "warn",
            resource: `mgn.ImportTask ${id}`,
            message: `import ${id} SUCCEEDED with rejected rows (waves 1 created / 0 modified, applications 1 created / 0 modified, servers 2 created / 0 modified; 1 row error: row 4: VALIDATION_ERROR: ${raw}). See the importErrors output.`,
          },
        ],
      );
    });

    it("a failed import throws ImportTaskFailedError carrying the ID, properties with __provider, and the reasons", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const err = await rejection(provider.create(inputs("bad-header.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, ID_RE);
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.equal(err.properties["importId"], err.id);
      assert.equal(err.properties["status"], "FAILED");
      assert.equal(err.properties["importErrorCount"], 1);
      assert.equal(err.reasons.length, 1);
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^mgn\\.ImportTask "${err.id}": import ${err.id} ended in FAILED after \\d+ polls?( \\((PENDING|STARTED)[^)]*\\))?; waves 0 created / 0 modified, applications 0 created / 0 modified, servers 0 created / 0 modified; 1 row error: row 1: VALIDATION_ERROR: Unknown column: mgn:nonsense\\. Fix s3://mgn-imports/bad-header\\.csv \\(see the importErrors output and \`aws mgn list-import-errors --import-id ${err.id}\`\\), then run \`pulumi up\` again \\(a failed import is replaced\\)\\.$`,
        ),
      );
    });

    it("after a failed import, fixing the CSV and re-running (same inputs, same token) starts a new import", async () => {
      const { provider, lines } = await providerFor(ctx.emulator);
      const err = await rejection(provider.create(inputs("bad-header.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.deepEqual(
        (await provider.diff(err.id, err.properties, inputs("bad-header.csv"))).replaces,
        ["status"],
      );
      await upload(ctx.emulator, { "bad-header.csv": GOOD_CSV });
      const { id, outs } = await provider.create(inputs("bad-header.csv"));
      assert.notEqual(id, err.id);
      assert.equal(outs["status"], "SUCCEEDED");
      assert.equal(outs["clientToken"], "pam-test-bad-header.csv");
      const all = await mgn().send(new ListImportsCommand({}));
      assert.deepEqual(
        (all.items ?? []).map((i) => [i.importID, i.status]),
        [
          [err.id, "FAILED"],
          [id, "SUCCEEDED"],
        ],
      );
      assert.ok(
        lines.some(
          (l) =>
            l.message === `${err.id} for this token already ended in FAILED; starting a new import`,
        ),
      );
    });

    it("a create repeated after a crash (same token) starts no second import", async () => {
      // The first host died after StartImport: its create never returned an ID to the engine.
      const { provider: crashed } = await providerFor(ctx.emulator);
      const first = await crashed.create(inputs("good.csv", { waitForCompletion: false }));
      assert.equal(first.outs["status"], "PENDING");
      const { provider } = await providerFor(ctx.emulator);
      const second = await provider.create(inputs("good.csv"));
      assert.equal(second.id, first.id);
      assert.equal(second.outs["status"], "SUCCEEDED");
      const all = await mgn().send(new ListImportsCommand({}));
      assert.deepEqual(
        (all.items ?? []).map((i) => i.importID),
        [first.id],
      );
      // Two StartImport requests, one import: MGN answered the second with the first import.
      assert.equal(count("StartImport"), 2);
    });

    it("a timeout is recorded with the ID, and update() resumes the wait to completion without a second start", async () => {
      // Real-time emulator: the import stays PENDING (5 s) past a 0.3 s limit.
      ctx.emulator.configure({ timeScale: 1 });
      const { provider: impatient } = await providerFor(ctx.emulator, {
        "awsMigration:waitTimeoutMinutes": "0.005",
      });
      const err = await rejection(impatient.create(inputs("good.csv")));
      assert.ok(isImportTaskFailedError(err));
      assert.match(err.id, ID_RE);
      assert.equal(err.properties["status"], "PENDING");
      assert.equal(err.properties["__provider"], "serialized-shim");
      assert.match(
        err.reasons[0]!,
        new RegExp(
          `^mgn\\.ImportTask "${err.id}": import ${err.id} is still PENDING after \\d+(?:\\.\\d)?m?s \\(limit \\d+ms; observed PENDING(×\\d+)?\\)\\. The task keeps running in AWS; raise awsMigration:waitTimeoutMinutes and run \`pulumi up\` again to resume waiting\\.$`,
        ),
      );

      ctx.emulator.configure({ timeScale: 1000 });
      const { provider } = await providerFor(ctx.emulator);
      const { outs } = await provider.update(err.id, err.properties, inputs("good.csv"));
      assert.equal(outs["status"], "SUCCEEDED");
      assert.equal(outs["importId"], err.id);
      assert.deepEqual(outs["summary"], {
        waves: { createdCount: 1, modifiedCount: 0 },
        applications: { createdCount: 1, modifiedCount: 0 },
        servers: { createdCount: 2, modifiedCount: 0 },
      });
      assert.equal(count("StartImport"), 1);
    });

    it("adopts an import started outside the stack, with the tags MGN has", async () => {
      const started = await sendRaw(ctx.emulator.url, {
        service: "mgn",
        path: "/StartImport",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          clientToken: "outside",
          s3BucketSource: { s3Bucket: BUCKET, s3Key: "good.csv" },
          tags: { owner: "console" },
        }),
      });
      const id = (JSON.parse(started.text) as { importTask: { importID: string } }).importTask
        .importID;
      const { provider } = await providerFor(ctx.emulator);
      const { id: adopted, outs } = await provider.create({ adoptImportId: id, __provider: "p" });
      assert.equal(adopted, id);
      assert.equal(outs["status"], "SUCCEEDED");
      assert.deepEqual(outs["tags"], { owner: "console" });
      assert.deepEqual(outs["s3BucketSource"], undefined);
      assert.equal(count("StartImport"), 1);
    });

    it("a clientToken reused for another CSV fails before any new import with MGN's ConflictException and the fix", async () => {
      const { provider } = await providerFor(ctx.emulator);
      await provider.create(inputs("good.csv"));
      const err = await rejection(
        provider.create(inputs("row-errors.csv", { clientToken: "pam-test-good.csv" })),
      );
      assert.ok(isAwsApiError(err));
      assert.equal(err.code, "ConflictException");
      assert.match(
        err.message,
        /^mgn StartImport failed: ConflictException \(HTTP 409, request [^)]+\): Client token pam-test-good\.csv was already used by import import-[0-9a-f]{17} with different parameters\. MGN already used this clientToken for an import with other parameters \(s3BucketSource or tags\)\. Fix: remove clientToken/,
      );
      assert.equal((await mgn().send(new ListImportsCommand({}))).items?.length, 1);
    });

    it("without InitializeService, fails before any import with the command that fixes it", async () => {
      ctx.emulator.reset();
      const { provider } = await providerFor(ctx.emulator);
      const err = await rejection(provider.create(inputs("good.csv")));
      assert.ok(isAwsApiError(err));
      assert.equal(err.code, "UninitializedAccountException");
      assert.match(
        err.message,
        /^mgn StartImport failed: UninitializedAccountException \(HTTP 400, request [^)]+\): Account is not initialized\. Call InitializeService first\. Application Migration Service is not initialized in this account and region \(us-west-2\)\. Fix: run `aws mgn initialize-service --region us-west-2` once/,
      );
      assert.equal(count("StartImport"), 1);
    });
  });

  describe("read", () => {
    it("returns current outputs for a live import, and no ID for one MGN does not know", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      const before = count("ListImportErrors");
      assert.deepEqual(await provider.read(id, outs), { id, props: outs });
      assert.equal(
        count("ListImportErrors"),
        before,
        "row errors of an ended import are read once",
      );
      assert.deepEqual(await provider.read("import-00000000000000000", outs), {});
    });
  });

  describe("delete", () => {
    const inventory = async (): Promise<{ servers: number; apps: number; waves: number }> => {
      const client = mgn();
      const servers = await client.send(new DescribeSourceServersCommand({ filters: {} }));
      const apps = await client.send(new ListApplicationsCommand({ filters: {} }));
      const waves = await client.send(new ListWavesCommand({ filters: {} }));
      return {
        servers: servers.items?.length ?? 0,
        apps: apps.items?.length ?? 0,
        waves: waves.items?.length ?? 0,
      };
    };

    it("by default retains the import and its inventory, making no AWS call", async () => {
      const { provider } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(inputs("good.csv"));
      const before = ctx.emulator.stats().totalRequests;
      await provider.delete(id, outs);
      assert.equal(ctx.emulator.stats().totalRequests, before);
      assert.deepEqual(await inventory(), { servers: 2, apps: 1, waves: 1 });
    });

    it("with deleteInventoryOnDelete removes the servers, applications and waves it selects by tag", async () => {
      const { provider, lines } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(
        inputs("good.csv", { deleteInventoryOnDelete: { tag: { key: "stack", value: "prod" } } }),
      );
      await provider.delete(id, outs);
      assert.deepEqual(await inventory(), { servers: 0, apps: 0, waves: 0 });
      assert.deepEqual(
        [count("DeleteSourceServer"), count("DeleteApplication"), count("DeleteWave")],
        [2, 1, 1],
      );
      assert.equal(
        lines.at(-1)?.message,
        "removed 2 source server(s), 1 application(s), 1 wave(s) selected by deleteInventoryOnDelete",
      );
    });

    it("by alternate key removes only the named server and keeps the application it does not empty", async () => {
      const { provider, lines } = await providerFor(ctx.emulator);
      const { id, outs } = await provider.create(
        inputs("good.csv", {
          deleteInventoryOnDelete: { userProvidedIds: ["srv-001"], applicationNames: ["billing"] },
        }),
      );
      await provider.delete(id, outs);
      assert.deepEqual(await inventory(), { servers: 1, apps: 1, waves: 1 });
      const kept = lines.find((l) => l.level === "warn");
      assert.match(
        kept?.message ?? "",
        /^kept application billing \(app-[0-9a-f]{17}\) still has 1 source server\(s\) the selector does not match$/,
      );
    });
  });

  describe("scale", () => {
    it("100 concurrent creates all succeed behind MGN's imports-in-progress quota, and 100 reads or in-place updates cost ceil(100 / 10) ListImports calls", async function () {
      this.timeout(120_000);
      const n = 100;
      const keys = Array.from({ length: n }, (_, i) => `bulk-${i}.csv`);
      await upload(ctx.emulator, Object.fromEntries(keys.map((k) => [k, GOOD_CSV])));
      const { provider, lines } = await providerFor(ctx.emulator, {
        "awsMigration:pollMinDelayMs": "20",
        "awsMigration:pollMaxDelayMs": "20",
      });
      // The emulator allows 3 imports in progress; each takes 20–180 emulated s (20–180 ms here).
      const created = await Promise.all(keys.map((k) => provider.create(inputs(k))));
      assert.deepEqual(
        created.map((c) => c.outs["status"]),
        Array<string>(n).fill("SUCCEEDED"),
      );
      assert.equal(new Set(created.map((c) => c.id)).size, n);
      const stats = ctx.emulator.stats();
      const refused = stats.errors["mgn:StartImport:ServiceQuotaExceededException"] ?? 0;
      assert.equal(count("StartImport"), n + refused);
      // Only starts already in flight when MGN first refused (the start limiter admits 5) are refused;
      // after that, starts queue in the provider for a slot.
      assert.ok(refused >= 1 && refused <= 5, `${refused} refused starts`);
      // Polls land on a shared 20 ms grid; one poll round = one grid tick.
      const ticks = new Map<number, number>();
      for (const l of lines.filter((x) => x.level === "progress")) {
        ticks.set(l.at, (ticks.get(l.at) ?? 0) + 1);
      }
      const polls = [...ticks.values()].reduce((x, y) => x + y, 0);
      const ideal = [...ticks.values()].reduce((x, m) => x + Math.ceil(m / 10), 0);
      const lists = count("ListImports");
      const most = Math.max(...ticks.values());
      console.log(
        `      ${n} concurrent creates: ${n + refused} StartImport (${refused} refused for quota); ${lists} ListImports for ${polls} polls over ${ticks.size} rounds (at most ${most} imports waiting in one round; ideal ${ideal})`,
      );
      // Waits overlap no more than MGN's 3 imports in progress: in log order, a wait spans its
      // first to its last progress line, and a queued start only begins after a slot frees.
      const spans = new Map<string, [number, number]>();
      lines.forEach((l, i) => {
        if (l.level !== "progress") return;
        spans.set(l.resource, [spans.get(l.resource)?.[0] ?? i, i]);
      });
      const overlap = Math.max(
        ...[...spans.values()].map(
          ([a]) => [...spans.values()].filter(([b, e]) => b <= a && a <= e).length,
        ),
      );
      assert.ok(overlap <= 3, `${overlap} waits overlapped; MGN allows 3 imports in progress`);
      assert.ok(lists < polls, `${lists} ListImports for ${polls} polls`);

      const before = count("ListImports");
      const reads = await Promise.all(created.map((c) => provider.read(c.id, c.outs)));
      assert.deepEqual(
        reads.map((r) => r.id),
        created.map((c) => c.id),
      );
      assert.equal(count("ListImports") - before, Math.ceil(n / 10));
      console.log(
        `      ${n} concurrent reads: ${count("ListImports") - before} ListImports calls`,
      );

      // The next `pulumi up` with a changed waiting option updates all 100 in place: one batched
      // round of ListImports, no ListImportErrors (the recorded errors of an ended import stand).
      const [lists0, errors0] = [count("ListImports"), count("ListImportErrors")];
      const updated = await Promise.all(
        created.map((c, i) =>
          provider.update(c.id, c.outs, inputs(keys[i]!, { waitTimeoutMinutes: 60 })),
        ),
      );
      assert.deepEqual(
        updated.map((u) => u.outs),
        created.map((c) => ({ ...c.outs, waitTimeoutMinutes: 60 })),
      );
      assert.deepEqual(
        [count("ListImports") - lists0, count("ListImportErrors") - errors0],
        [Math.ceil(n / 10), 0],
      );
    });

    it("30 concurrent creates under the emulator's default MGN rate limits all succeed: throttling is retried and backs off", async function () {
      this.timeout(120_000);
      ctx.emulator.configure({ rateLimits: DEFAULT_RATE_LIMITS });
      const n = 30;
      const keys = Array.from({ length: n }, (_, i) => `limited-${i}.csv`);
      await upload(ctx.emulator, Object.fromEntries(keys.map((k) => [k, GOOD_CSV])));
      const { provider } = await providerFor(ctx.emulator, {
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "200",
      });
      try {
        const created = await Promise.all(keys.map((k) => provider.create(inputs(k))));
        assert.deepEqual(
          created.map((c) => c.outs["status"]),
          Array<string>(n).fill("SUCCEEDED"),
        );
      } finally {
        ctx.emulator.configure({ rateLimits: false });
      }
      const { throttled, errors } = ctx.emulator.stats();
      const refused = errors["mgn:StartImport:ServiceQuotaExceededException"] ?? 0;
      assert.equal(count("StartImport") - (throttled["mgn:StartImport"] ?? 0), n + refused);
      console.log(
        `      ${n} creates under rate limits: throttled ${JSON.stringify(throttled)}, ${refused} refused for quota`,
      );
    });
  });
});
