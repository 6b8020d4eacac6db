import { strict as assert } from "node:assert";
import fc from "fast-check";
import { checkProperties } from "../../../../provider/core/task/properties";
import { UNKNOWN } from "../../../../provider/core/unknown";
import { createProvider } from "../../../../provider/ec2/importSnapshotTaskProvider";
import {
  importSnapshotTaskSpec as spec,
  tokens,
} from "../../../../provider/ec2/importSnapshotTaskSpec";
import { setupProvider } from "./fakeEc2";

const BUCKET = { s3Bucket: "vm-imports", s3Key: "data.vmdk" };
const VALID = { description: "data disk", diskContainer: { format: "vmdk", userBucket: BUCKET } };
const ID = "import-snap-0123456789abcdef0";
const ENDPOINT = "http://127.0.0.1:4566";
const SIGNED = (sig: string): string =>
  `https://vm-imports.s3.amazonaws.com/data.vmdk?X-Amz-Expires=3600&X-Amz-Signature=${sig}`;

const DISK_FIX =
  'Fix: use { format: "VMDK", userBucket: { s3Bucket, s3Key } } or { format, url }, or set adoptImportTaskId';
const URL_FIX =
  "Fix: use s3://bucket/key, the https:// object URL (presigned URLs are fine: they are kept secret), or userBucket";
const KMS =
  "requires encrypted: true (EC2 answers InvalidParameterDependency otherwise). Fix: set encrypted to true, or remove kmsKeyId";

/** Each broken rule: the inputs and exactly the failures check() reports, in order. */
const CASES: { name: string; inputs: Record<string, unknown>; failures: [string, string][] }[] = [
  {
    name: "no diskContainer and nothing to adopt",
    inputs: { description: "data disk" },
    failures: [["diskContainer", `is required. ${DISK_FIX}`]],
  },
  {
    name: "a list of disks (ImportSnapshot takes one)",
    inputs: { diskContainer: [VALID.diskContainer] },
    failures: [["diskContainer", `must be an object (got array). ${DISK_FIX}`]],
  },
  {
    name: "format VHDX (ImportImage only)",
    inputs: { diskContainer: { format: "VHDX", url: "s3://vm-imports/data.vhdx" } },
    failures: [
      [
        "diskContainer.format",
        'must match one of VHD, VMDK, RAW (any case) (got "VHDX"). Fix: set the disk image\'s format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)',
      ],
    ],
  },
  {
    name: "no format",
    inputs: { diskContainer: { userBucket: BUCKET } },
    failures: [
      [
        "diskContainer.format",
        "is required. Fix: set the disk image's format: VHD, VMDK or RAW (ImportSnapshot takes no OVA or VHDX)",
      ],
    ],
  },
  {
    name: "neither url nor userBucket",
    inputs: { diskContainer: { format: "RAW" } },
    failures: [
      [
        "diskContainer",
        "must name its disk with exactly one of url or userBucket (got none). Fix: add userBucket: { s3Bucket, s3Key }",
      ],
    ],
  },
  {
    name: "both url and userBucket",
    inputs: {
      diskContainer: { format: "RAW", url: "s3://vm-imports/a.raw", userBucket: BUCKET },
    },
    failures: [
      [
        "diskContainer",
        "must name its disk with exactly one of url or userBucket (got url and userBucket). Fix: keep one of them",
      ],
    ],
  },
  {
    name: "an ftp:// url",
    inputs: { diskContainer: { format: "RAW", url: "ftp://host/a.raw" } },
    failures: [
      [
        "diskContainer.url",
        `must use the https:// or s3:// scheme (got "ftp://host/a.raw"). ${URL_FIX}`,
      ],
    ],
  },
  {
    name: "an http:// url that is not on the configured endpoint",
    inputs: { diskContainer: { format: "RAW", url: "http://example.com/vm-imports/a.raw" } },
    failures: [
      [
        "diskContainer.url",
        `must use the https:// or s3:// scheme (got "http://example.com/vm-imports/a.raw"). ${URL_FIX}`,
      ],
    ],
  },
  {
    name: "a bad bucket and an empty key",
    inputs: { diskContainer: { format: "RAW", userBucket: { s3Bucket: "Bad_Bucket", s3Key: "" } } },
    failures: [
      [
        "diskContainer.userBucket.s3Bucket",
        'must match 3–63 lowercase letters, digits, dots or hyphens (got "Bad_Bucket"). Fix: name the S3 bucket that holds the disk image',
      ],
      [
        "diskContainer.userBucket.s3Key",
        "must be 1–1024 characters (got 0). Fix: give the disk image's object key, e.g. vms/web.vmdk",
      ],
    ],
  },
  {
    name: "an empty disk description",
    inputs: { diskContainer: { ...VALID.diskContainer, description: "" } },
    failures: [
      ["diskContainer.description", "must be 1–255 characters (got 0). Fix: use 1–255 characters"],
    ],
  },
  {
    name: "an adoptImportTaskId of an image task",
    inputs: { adoptImportTaskId: "import-ami-0123456789abcdef0" },
    failures: [
      [
        "adoptImportTaskId",
        'must match import-snap- followed by 8 or 17 letters/digits (got "import-ami-0123456789abcdef0"). Fix: copy ImportTaskId from `aws ec2 describe-import-snapshot-tasks`',
      ],
    ],
  },
  {
    name: "kmsKeyId without encrypted",
    inputs: { ...VALID, kmsKeyId: "alias/imports" },
    failures: [["kmsKeyId", KMS]],
  },
  {
    name: "a malformed kmsKeyId",
    inputs: { ...VALID, encrypted: true, kmsKeyId: "my key" },
    failures: [
      [
        "kmsKeyId",
        'must match a KMS key ID, key ARN, alias/name or alias ARN (got "my key"). Fix: copy the key ID or ARN from `aws kms list-keys`',
      ],
    ],
  },
  {
    name: "a 65-character clientToken",
    inputs: { ...VALID, clientToken: "t".repeat(65) },
    failures: [
      [
        "clientToken",
        "must be 1–64 characters (got 65). Fix: use 1–64 ASCII characters, or omit it and let the provider derive one from the stack, the resource name and the import parameters",
      ],
    ],
  },
  {
    name: "a roleName with a space",
    inputs: { ...VALID, roleName: "vm import" },
    failures: [
      [
        "roleName",
        'must match 1–64 letters, digits or +=,.@_- (got "vm import"). Fix: name the VM Import service role (default vmimport)',
      ],
    ],
  },
  {
    name: "a tag key with the reserved aws: prefix",
    inputs: { ...VALID, tags: { "aws:owner": "me" } },
    failures: [
      [
        "tags.aws:owner",
        'key must not start with "aws:" (reserved for AWS). Fix: choose another key',
      ],
    ],
  },
  {
    name: "a zero waitTimeoutMinutes",
    inputs: { ...VALID, waitTimeoutMinutes: 0 },
    failures: [
      [
        "waitTimeoutMinutes",
        "must be between 1 and 10080 (got 0). Fix: use a whole number of minutes from 1 to 10080 (the wait resumes on the next `pulumi up` anyway)",
      ],
    ],
  },
  {
    name: "a string retainOnDelete",
    inputs: { ...VALID, retainOnDelete: "yes" },
    failures: [["retainOnDelete", "must be a boolean (got string). Fix: use true or false"]],
  },
];

/** Inputs that pass, values unknown in preview included. */
const PASSING: { name: string; inputs: Record<string, unknown> }[] = [
  { name: "a userBucket disk", inputs: VALID },
  { name: "an s3:// url", inputs: { diskContainer: { format: "raw", url: "s3://vm-imports/a" } } },
  { name: "a presigned https url", inputs: { diskContainer: { format: "VHD", url: SIGNED("a") } } },
  {
    name: "an http url on the configured endpoint (the emulator's S3)",
    inputs: { diskContainer: { format: "RAW", url: `${ENDPOINT}/vm-imports/a.raw` } },
  },
  { name: "an adopted task alone", inputs: { adoptImportTaskId: ID } },
  { name: "encryption with a key", inputs: { ...VALID, encrypted: true, kmsKeyId: "alias/k" } },
  {
    name: "everything unknown in preview",
    inputs: { diskContainer: UNKNOWN, clientToken: UNKNOWN, kmsKeyId: UNKNOWN, tags: UNKNOWN },
  },
  { name: "an unknown url", inputs: { diskContainer: { format: "VMDK", url: UNKNOWN } } },
  { name: "an unknown encrypted", inputs: { ...VALID, kmsKeyId: "alias/k", encrypted: UNKNOWN } },
];

describe("ec2.ImportSnapshotTask spec", () => {
  describe("check", () => {
    for (const c of CASES) {
      it(`rejects ${c.name}, naming the input and the fix`, async () => {
        const { provider, ec2 } = await setupProvider(createProvider, {
          "awsMigration:endpoint": ENDPOINT,
        });
        const { failures } = await provider.check({}, c.inputs);
        assert.deepEqual(
          failures,
          c.failures.map(([property, reason]) => ({ property, reason })),
        );
        assert.deepEqual(ec2.calls, []);
      });
    }
    for (const c of PASSING) {
      it(`accepts ${c.name}`, async () => {
        const { provider } = await setupProvider(createProvider, {
          "awsMigration:endpoint": ENDPOINT,
        });
        assert.deepEqual(await provider.check({}, c.inputs), { inputs: c.inputs, failures: [] });
      });
    }
  });

  it("check never throws, and every failure names an input and says how to fix it (property)", () => {
    const any = fc.oneof(fc.anything(), fc.constant(UNKNOWN), fc.string(), fc.integer());
    const disk = fc.record(
      {
        format: any,
        description: any,
        url: fc.oneof(any, fc.constant("s3://vm-imports/a"), fc.webUrl()),
        userBucket: fc.oneof(any, fc.record({ s3Bucket: any, s3Key: any })),
      },
      { requiredKeys: [] },
    );
    const keys = Object.keys(spec.properties);
    const ctx = { settings: { endpoints: {} } };
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.oneof(any, disk)), (inputs) => {
        const failures = [
          ...checkProperties(spec.properties, inputs, ctx),
          ...(spec.checkMore?.(inputs, ctx) ?? []),
        ];
        for (const f of failures) {
          assert.ok(keys.includes(f.property.split(/[.[]/)[0]!), f.property);
          assert.match(f.reason, /Fix: /, `${f.property}: ${f.reason}`);
        }
      }),
      { numRuns: 1000, seed: 42 },
    );
  });

  describe("diff", () => {
    const OLDS = {
      ...VALID,
      clientToken: "tok",
      __provider: "p",
      importTaskId: ID,
      status: "completed",
      snapshotId: "snap-0123456789abcdef0",
    };
    const NEWS = { ...VALID, clientToken: "tok", __provider: "p" };
    const cases: { name: string; olds?: Record<string, unknown>; news: object; want: object }[] = [
      { name: "a new __provider alone", news: { ...NEWS, __provider: "p2" }, want: {} },
      {
        name: "the default roleName spelled out, and the format in another case",
        news: {
          ...NEWS,
          roleName: "vmimport",
          diskContainer: { format: "VMDK", userBucket: BUCKET },
        },
        want: {},
      },
      {
        name: "a re-signed presigned url",
        olds: { ...OLDS, diskContainer: { format: "RAW", url: SIGNED("a") } },
        news: { ...NEWS, diskContainer: { format: "RAW", url: SIGNED("b") } },
        want: {},
      },
      {
        name: "another description and disk",
        news: { ...NEWS, description: "x", diskContainer: { format: "RAW", userBucket: BUCKET } },
        want: {
          changes: true,
          replaces: ["diskContainer", "description"],
          detailedDiff: {
            "diskContainer.format": { kind: "update-replace", inputDiff: true },
            description: { kind: "update-replace", inputDiff: true },
          },
        },
      },
      {
        name: "a disk unknown in preview",
        news: { ...NEWS, diskContainer: UNKNOWN },
        want: {
          changes: true,
          replaces: ["diskContainer"],
          detailedDiff: { diskContainer: { kind: "update-replace", inputDiff: true } },
        },
      },
      {
        name: "retainOnDelete and a new clientToken (in-place updates)",
        news: { ...NEWS, retainOnDelete: true, clientToken: "tok-2" },
        want: {
          changes: true,
          detailedDiff: {
            clientToken: { kind: "update", inputDiff: true },
            retainOnDelete: { kind: "update", inputDiff: true },
          },
        },
      },
      {
        name: "adopting the task it already manages",
        news: { ...NEWS, adoptImportTaskId: ID },
        want: {},
      },
      {
        name: "a task that ended deleted (it is replaced)",
        olds: { ...OLDS, status: "deleted" },
        news: NEWS,
        want: {
          changes: true,
          replaces: ["status"],
          detailedDiff: { status: { kind: "update-replace", inputDiff: false } },
        },
      },
      {
        name: "a task still active (update resumes the wait)",
        olds: { ...OLDS, status: "active" },
        news: NEWS,
        want: { changes: true, detailedDiff: { status: { kind: "update", inputDiff: false } } },
      },
    ];
    for (const c of cases) {
      it(`for ${c.name}`, async () => {
        const { provider } = await setupProvider(createProvider);
        assert.deepEqual(
          await provider.diff(ID, c.olds ?? OLDS, c.news as Record<string, unknown>),
          {
            changes: false,
            replaces: [],
            deleteBeforeReplace: false,
            detailedDiff: {},
            ...c.want,
          },
        );
      });
    }
  });

  describe("defaultClientToken", () => {
    const token = (name: string, inputs: Record<string, unknown>, stack = "dev"): string =>
      tokens.defaultClientToken(stack, "migration", name, inputs);

    it("is 64 printable characters, the same for the same import, another for another resource", () => {
      const t = token("data", VALID);
      assert.match(t, /^pam-[0-9a-f]{60}$/);
      assert.equal(token("data", { ...VALID, waitTimeoutMinutes: 5, retainOnDelete: true }), t);
      assert.equal(token("data", { ...VALID, roleName: "vmimport" }), t);
      assert.notEqual(token("data", VALID, "prod"), t);
      assert.notEqual(token("data-2", VALID), t);
      assert.notEqual(token("data", { ...VALID, encrypted: true }), t);
    });

    it("ignores a presigned URL's signature but not its object", () => {
      const disk = (url: string) => ({ diskContainer: { format: "raw", url } });
      assert.equal(token("d", disk(SIGNED("a"))), token("d", disk(SIGNED("b"))));
      assert.notEqual(
        token("d", disk(SIGNED("a"))),
        token("d", disk(SIGNED("a").replace("data", "other"))),
      );
    });
  });

  it("keeps only a presigned diskContainer.url secret in state and declares the outputs the class shows", () => {
    assert.deepEqual(spec.secretOutputs, []);
    assert.deepEqual(spec.properties.diskContainer.secretLeaf?.path, ["url"]);
    assert.deepEqual(spec.outputs, [
      "importTaskId",
      "status",
      "statusMessage",
      "progress",
      "snapshotId",
      "diskImageSize",
      "volumeSize",
      "snapshotState",
    ]);
  });
});
