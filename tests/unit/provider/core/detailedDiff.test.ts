/**
 * Reviewable diffs (issue 12): the detailed diff per property path, the sourceEtag input (its
 * check rule, replace on change, the start token chained with it) and secret leaves (only a
 * presigned URL is secret, the rest of a disk stays readable).
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { createProvider as createAdsProvider } from "../../../../provider/ads/importTaskProvider";
import { importTask as adsSpec } from "../../../../provider/ads/importTaskSpec";
import { secretLeaf } from "../../../../provider/core/register";
import { isCredentialBearingUrl } from "../../../../provider/core/redact";
import {
  checkProperties,
  type DetailedDiff,
  diffProperties,
  type PropertyTable,
  sourceEtagProperty,
} from "../../../../provider/core/task/properties";
import { diffTask } from "../../../../provider/core/task/provider";
import { importImageTaskSpec } from "../../../../provider/ec2/importImageTaskSpec";
import { importSnapshotTaskSpec } from "../../../../provider/ec2/importSnapshotTaskSpec";
import { importInstanceTaskSpec as instance } from "../../../../provider/ec2/importInstanceTaskSpec";
import { importTaskSpec as mgn } from "../../../../provider/mgn/importTaskSpec";
import { TASK_PROPERTIES } from "../../../../provider/migrationhub/migrationTaskSpec";
import { UNKNOWN } from "../../../../provider/core/unknown";
import { configured, manualClock, recordingLogger } from "../../../support/harness";
import { FakeAds } from "../ads/fakeAds";

const R = (kind: string, inputDiff = true) => ({ kind, inputDiff });
const SIGNED = (sig: string): string =>
  `https://vm-imports.s3.amazonaws.com/data.raw?X-Amz-Expires=3600&X-Amz-Signature=${sig}`;

interface Inputs {
  disks?: unknown[];
  tags?: Record<string, string>;
  names?: string[];
  note?: string;
  keep?: boolean;
}

const TABLE: PropertyTable<Inputs> = {
  disks: { rule: { kind: "custom" }, change: "replace" },
  tags: { rule: { kind: "custom" }, change: "replace" },
  // Compared as a set: a reorder is no change, and paths into the sorted form would mislead.
  names: {
    rule: { kind: "custom" },
    change: "update",
    compareAs: (v) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : v),
  },
  note: { rule: { kind: "string" }, change: "update" },
  keep: { rule: { kind: "boolean" }, change: "update", default: false },
};

function detailed(olds: Record<string, unknown>, news: Record<string, unknown>): DetailedDiff {
  const out: DetailedDiff = {};
  diffProperties(TABLE, olds, news, {}, out);
  return out;
}

describe("detailed diff", () => {
  describe("diffProperties", () => {
    const disk = (key: string) => ({ format: "RAW", userBucket: { s3Bucket: "b", s3Key: key } });

    it("names the changed leaf of a list of objects, replace kinds for replace inputs", () => {
      assert.deepEqual(
        detailed({ disks: [disk("a"), disk("x")] }, { disks: [disk("b"), disk("x")] }),
        {
          "disks[0].userBucket.s3Key": R("update-replace"),
        },
      );
    });

    it("reports added and removed leaves and elements as add and delete", () => {
      assert.deepEqual(
        detailed(
          { disks: [disk("a")], note: "n" },
          { disks: [disk("a"), disk("b")], tags: { t: "1" } },
        ),
        {
          "disks[1]": R("add-replace"),
          tags: R("add-replace"),
          note: R("delete"),
        },
      );
    });

    it("quotes keys that are not identifiers, as Pulumi property paths do", () => {
      assert.deepEqual(
        detailed({ tags: { "team.name": "a", ok: "1" } }, { tags: { "team.name": "b", ok: "1" } }),
        {
          'tags["team.name"]': R("update-replace"),
        },
      );
    });

    it("spelling out a default, a reorder of a set and __provider are no change", () => {
      assert.deepEqual(
        detailed(
          { names: ["a", "b"], __provider: "p" },
          { names: ["b", "a"], keep: false, __provider: "q" },
        ),
        {},
      );
    });

    it("names a property compared in a reshaped form (a set) as a whole, and an update as update", () => {
      assert.deepEqual(
        detailed({ names: ["a", "b"], keep: false }, { names: ["a", "c"], keep: true }),
        {
          names: R("update"),
          keep: R("update"),
        },
      );
    });

    it("names a value unknown in preview as a whole", () => {
      assert.deepEqual(
        detailed({ disks: [disk("a")], note: "n" }, { disks: UNKNOWN, note: UNKNOWN }),
        {
          disks: R("update-replace"),
          note: R("update"),
        },
      );
    });
  });

  describe("the resources' diff", () => {
    const image = {
      description: "web",
      diskContainers: [{ format: "raw", userBucket: { s3Bucket: "b", s3Key: "web-01.raw" } }],
      clientToken: "tok",
      __provider: "p",
    };

    it("ec2.ImportImageTask: a disk key change replaces, with the key's path", () => {
      const out: DetailedDiff = {};
      const news = {
        ...image,
        diskContainers: [{ format: "raw", userBucket: { s3Bucket: "b", s3Key: "web-02.raw" } }],
      };
      const olds = { ...image, importTaskId: "import-ami-0123456789abcdef0", status: "completed" };
      assert.deepEqual(
        diffTask(importImageTaskSpec, "import-ami-0123456789abcdef0", olds, news, out),
        {
          changes: true,
          replaces: ["diskContainers"],
          deleteBeforeReplace: false,
        },
      );
      assert.deepEqual(out, { "diskContainers[0].userBucket.s3Key": R("update-replace") });
    });

    it("ec2.ImportSnapshotTask: a re-signed presigned url is no change; another object is", () => {
      const olds = {
        diskContainer: { format: "RAW", url: SIGNED("a") },
        clientToken: "tok",
        status: "completed",
      };
      const resigned: DetailedDiff = {};
      const moved: DetailedDiff = {};
      const url = SIGNED("b");
      diffTask(
        importSnapshotTaskSpec,
        "i",
        olds,
        { ...olds, diskContainer: { format: "RAW", url } },
        resigned,
      );
      diffTask(
        importSnapshotTaskSpec,
        "i",
        olds,
        { ...olds, diskContainer: { format: "RAW", url: url.replace("data", "other") } },
        moved,
      );
      assert.deepEqual([resigned, moved], [{}, { "diskContainer.url": R("update-replace") }]);
    });

    it("ads.ImportTask: a sourceEtag set or changed replaces; a failed task replaces by its status", () => {
      const olds = { name: "n", importUrl: "s3://b/k.csv", status: "IMPORT_COMPLETE" };
      const added: DetailedDiff = {};
      const failed: DetailedDiff = {};
      assert.deepEqual(
        diffTask(adsSpec, "t", olds, { ...olds, sourceEtag: '"e1"' }, added).replaces,
        ["sourceEtag"],
      );
      diffTask(adsSpec, "t", { ...olds, status: "IMPORT_FAILED" }, olds, failed);
      assert.deepEqual(
        [added, failed],
        [{ sourceEtag: R("add-replace") }, { status: R("update-replace", false) }],
      );
    });

    it("migrationhub.MigrationTask: the table's paths (a set of attributes as a whole)", () => {
      const out: DetailedDiff = {};
      const attrs = (ip: string) => [{ type: "IPV4_ADDRESS", value: ip }];
      diffProperties(
        TASK_PROPERTIES,
        { resourceAttributes: attrs("10.0.0.1") },
        { resourceAttributes: attrs("10.0.0.2") },
        {},
        out,
      );
      assert.deepEqual(out, { resourceAttributes: R("update") });
    });
  });
});

describe("sourceEtag", () => {
  const table = { sourceEtag: sourceEtagProperty };
  const ctx = { settings: { endpoints: {} } };
  const check = (sourceEtag: unknown) => checkProperties(table, { sourceEtag }, ctx);

  it("accepts an S3 ETag as S3 reports it, quotes included, up to 1024 characters", () => {
    for (const etag of [
      '"9b2cf535f27731c974343645a3985328"',
      "9b2cf535f27731c9-12",
      "x".repeat(1024),
    ])
      assert.deepEqual(check(etag), [], etag);
  });

  it("rejects an empty, overlong, non-printable or non-string value, naming the fix", () => {
    const reasons = ["", "x".repeat(1025), "tab\there", "é", 42].map((v) =>
      check(v).map((f) => f.property + ": " + f.reason),
    );
    for (const r of reasons) {
      assert.equal(r.length, 1);
      assert.match(r[0]!, /^sourceEtag: .*Fix: pass the S3 object's ETag as S3 reports it/);
    }
  });

  it("is replace-on-change and not sent to AWS (no awsName) on every import of a file", () => {
    for (const spec of [adsSpec, mgn, importImageTaskSpec, importSnapshotTaskSpec, instance]) {
      assert.equal((spec.properties as Record<string, unknown>)["sourceEtag"], sourceEtagProperty);
    }
    assert.equal(sourceEtagProperty.change, "replace");
    assert.equal(sourceEtagProperty.awsName, undefined);
  });

  describe("the start token (ads.ImportTask with a fake ADS)", () => {
    async function startToken(inputs: Record<string, unknown>): Promise<string> {
      const ads = new FakeAds();
      const { logger } = recordingLogger();
      const provider = createAdsProvider({
        clock: manualClock(),
        random: () => 0.5,
        logger,
        api: () => ads,
        env: {},
      });
      await configured(provider, {});
      await provider.create({ ...inputs, waitForCompletion: false });
      const start = ads.calls.find((c) => c.op === "start");
      assert.ok(start?.op === "start");
      return start.clientRequestToken;
    }
    const INPUTS = { name: "n", importUrl: "s3://b/k.csv", clientRequestToken: "pam-token-1" };

    it("is the recorded token without sourceEtag (state from before sourceEtag starts the same)", async () => {
      assert.equal(await startToken(INPUTS), "pam-token-1");
    });

    it("is chained with the ETag: deterministic for a re-run, new for a new ETag", async () => {
      const [a, again, b] = [
        await startToken({ ...INPUTS, sourceEtag: '"e1"' }),
        await startToken({ ...INPUTS, sourceEtag: '"e1"' }),
        await startToken({ ...INPUTS, sourceEtag: '"e2"' }),
      ];
      assert.equal(a, adsSpec.successorToken("pam-token-1", 'sourceEtag:"e1"'));
      assert.equal(again, a);
      assert.notEqual(b, a);
      assert.notEqual(a, "pam-token-1");
    });
  });
});

describe("secret leaves (register.ts)", () => {
  const plain = { format: "raw", userBucket: { s3Bucket: "b", s3Key: "k" } };
  const presigned = { format: "raw", url: SIGNED("sig") };

  it("marks only a presigned url of a literal list secret; the rest stays plain", async () => {
    const marked = secretLeaf(
      [presigned, plain, { url: "s3://b/k" }],
      ["[]", "url"],
      isCredentialBearingUrl,
    ) as Record<string, unknown>[];
    assert.equal(marked[0]!["format"], "raw");
    const url = marked[0]!["url"] as pulumi.Output<string>;
    assert.ok(pulumi.Output.isInstance(url));
    assert.equal(await pulumi.isSecret(url), true);
    assert.deepEqual(marked.slice(1), [plain, { url: "s3://b/k" }]);
  });

  it("marks a leaf that is itself an Output, only when it is presigned", async () => {
    const [secret, open] = [
      secretLeaf({ url: pulumi.output(SIGNED("sig")) }, ["url"], isCredentialBearingUrl),
      secretLeaf({ url: pulumi.output("s3://b/k") }, ["url"], isCredentialBearingUrl),
    ] as { url: pulumi.Output<string> }[];
    assert.deepEqual(
      [await pulumi.isSecret(secret!.url), await pulumi.isSecret(open!.url)],
      [true, false],
    );
  });

  it("makes a list that is an Output secret as a whole only when it holds a presigned url", async () => {
    const whole = secretLeaf(
      pulumi.output([plain, presigned]),
      ["[]", "url"],
      isCredentialBearingUrl,
    );
    const none = secretLeaf(pulumi.output([plain]), ["[]", "url"], isCredentialBearingUrl);
    assert.deepEqual(
      [
        await pulumi.isSecret(whole as pulumi.Output<unknown>),
        await pulumi.isSecret(none as pulumi.Output<unknown>),
      ],
      [true, false],
    );
  });

  it("without `when` marks every leaf at the path (the manifest URL, userData), and leaves absent ones", async () => {
    const marked = secretLeaf({ userData: "ZWNobw==", instanceType: "m5.large" }, [
      "userData",
    ]) as Record<string, unknown>;
    assert.equal(await pulumi.isSecret(marked["userData"] as pulumi.Output<string>), true);
    assert.equal(marked["instanceType"], "m5.large");
    assert.deepEqual(secretLeaf({ instanceType: "m5.large" }, ["userData"]), {
      instanceType: "m5.large",
    });
    assert.equal(secretLeaf(undefined, ["[]", "url"]), undefined);
  });
});
