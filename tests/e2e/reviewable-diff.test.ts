/**
 * Issue 12 through the real CLI against the emulator: `pulumi preview --diff` shows a reviewer the
 * disk key that changed (old => new) while a presigned URL stays `[secret]` and never reaches
 * state or output in plaintext; a `sourceEtag` change replaces exactly one resource and starts
 * exactly one new import. Program: tests/e2e/fixtures/reviewable/index.js.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { requirePulumi } from "../support/pulumiCli";
import { assertOk, ProgramStack, REPO_ROOT, urnLabel } from "../support/pulumiStack";
import { KEY, prepareAccount, REGION } from "../support/s3backend";

const PROGRAM = join(REPO_ROOT, "tests", "e2e", "fixtures", "reviewable", "index.js");
const SIGNATURE = "7e1f".repeat(16);
/** Pulumi's marker of an encrypted secret in `stack export` (sdk/go/common/resource/sig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

describe("e2e: reviewable diffs and content-aware re-imports (issue 12)", function () {
  this.timeout(300_000);

  let emulator: Emulator | undefined;
  let stack: ProgramStack | undefined;

  before(async function () {
    const { binDir } = requirePulumi.call(this);
    emulator = await startEmulator({ timeScale: 1000, homeRegion: REGION, credentials: [KEY] });
    await prepareAccount(emulator, { "web-02.raw": "web-01.raw" });
    stack = await ProgramStack.create({
      binDir,
      project: "reviewable",
      program: PROGRAM,
      stack: "dev",
      config: {
        "aws:region": REGION,
        "awsMigration:endpoint": emulator.url,
        "awsMigration:pollMinDelayMs": "50",
        "awsMigration:pollMaxDelayMs": "250",
        "reviewable:diskKey": "web-01.raw",
      },
      env: { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey },
    });
    // What `aws s3 presign` prints: the emulator reads the object whatever the signature says.
    const url = `${emulator.url}/migration-demo/web-01.raw?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20261201%2Fus-west-2%2Fs3%2Faws4_request&X-Amz-Date=20261201T000000Z&X-Amz-Expires=604800&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;
    assertOk(
      "config set --secret",
      await stack.pulumi("config", "set", "--secret", "reviewable:rootUrl", url),
    );
  });
  after(async () => {
    await stack?.dispose();
    await emulator?.stop();
  });

  const starts = (): number[] => {
    const requests = emulator!.stats().requests;
    return ["ads:StartImportTask", "mgn:StartImport", "ec2:ImportImage", "ec2:ImportSnapshot"].map(
      (op) => requests[op] ?? 0,
    );
  };

  /** The preview's replaces as `type name: reasons` (sorted: steps run concurrently), and its summary. */
  async function previewSteps(): Promise<[string[], Record<string, number>]> {
    const { steps, summary } = await stack!.preview();
    const lines = steps
      .filter((s) => s.op === "replace")
      .map((s) => `${urnLabel(s.urn)}: ${(s.replaceReasons ?? []).join(",")}`)
      .sort();
    return [lines, summary];
  }

  it("up keeps only the presigned url secret: no plaintext signature in state or output, the rest readable", async () => {
    const up = await stack!.up();
    assertOk("up", up);
    assert.deepEqual(starts(), [1, 1, 1, 1]);
    const text = await stack!.exportText();
    for (const where of [text, up.stdout, up.stderr]) assert.ok(!where.includes(SIGNATURE));
    const resources = await stack!.resources();
    const root = resources.get("web-01-root")!;
    for (const side of [root.inputs, root.outputs]) {
      const disk = side?.["diskContainer"] as Record<string, unknown>;
      assert.deepEqual(Object.keys(disk).sort(), ["format", "url"]);
      assert.equal(disk["format"], "raw");
      assert.ok(SECRET_SIG in (disk["url"] as object));
    }
    const disks = [
      { format: "raw", userBucket: { s3Bucket: "migration-demo", s3Key: "web-01.raw" } },
    ];
    assert.deepEqual(resources.get("web-01")?.inputs?.["diskContainers"], disks);
    assert.deepEqual(resources.get("web-01")?.outputs?.["diskContainers"], disks);
  });

  it("a disk-key change shows the old and new key in preview --diff, and replaces for diskContainers", async () => {
    await stack!.setConfig({
      "reviewable:diskKey": "web-02.raw",
      "reviewable:rootDescription": "root",
    });
    try {
      const diff = await stack!.run(["preview", "--diff"]);
      assertOk("preview --diff", diff);
      assert.match(diff.stdout, /~ s3Key +: "web-01\.raw" => "web-02\.raw"/);
      // The snapshot's disk changes beside its URL, which stays hidden.
      assert.match(
        diff.stdout,
        /~ diskContainer: \{\n +\+ description: "root"\n +format +: "raw"\n +url +: \[secret\]\n/,
      );
      assert.ok(!diff.stdout.includes(SIGNATURE) && !diff.stderr.includes(SIGNATURE));
      assert.deepEqual(await previewSteps(), [
        [
          "pulumi-nodejs:dynamic/ec2:ImportSnapshotTask web-01-root: diskContainer",
          "pulumi-nodejs:dynamic/ec2:ImportImageTask web-01: diskContainers",
        ].sort(),
        { replace: 2, same: 3 },
      ]);
    } finally {
      await stack!.pulumi("config", "set", "reviewable:diskKey", "web-01.raw");
      await stack!.pulumi("config", "rm", "reviewable:rootDescription");
    }
    assert.deepEqual(starts(), [1, 1, 1, 1]);
  });

  it("a sourceEtag change replaces exactly that import, and up starts exactly one new one", async () => {
    const before = (await stack!.resources()).get("discovery")?.id;
    await stack!.setConfig({ "reviewable:discoveryEtag": '"0f343b0931126a20f133d67c2b018a3b"' });
    const [steps, summary] = await previewSteps();
    assert.deepEqual(steps, ["pulumi-nodejs:dynamic/ads:ImportTask discovery: sourceEtag"]);
    assert.deepEqual(summary, { replace: 1, same: 4 });
    assertOk("up", await stack!.up());
    assert.deepEqual(starts(), [2, 1, 1, 1]);
    const after = (await stack!.resources()).get("discovery")?.id;
    assert.match(after ?? "", /^import-task-[0-9a-f]{32}$/);
    assert.notEqual(after, before);
    // Nothing left to do: the replacement recorded the ETag.
    assert.deepEqual((await previewSteps())[1], { same: 5 });
  });

  it("an EC2 disk's sourceEtag works the same: one replace, one new ImportImage", async () => {
    await stack!.setConfig({ "reviewable:imageEtag": '"5d41402abc4b2a76b9719d911017c592"' });
    assert.deepEqual(await previewSteps(), [
      ["pulumi-nodejs:dynamic/ec2:ImportImageTask web-01: sourceEtag"],
      { replace: 1, same: 4 },
    ]);
    assertOk("up", await stack!.up());
    assert.deepEqual(starts(), [2, 1, 2, 1]);
  });
});
