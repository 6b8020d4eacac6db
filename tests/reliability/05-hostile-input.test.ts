/**
 * Scenario 5 — hostile resource input: fast-check throws wrong types, empty and huge strings,
 * control characters, Unicode, near-miss patterns, unknown keys and the preview UNKNOWN sentinel
 * at every resource's check(), as the host calls it. check() never throws, never calls AWS (the
 * emulator the providers point at counts zero requests), skips unknowns, and every failure names a
 * property of the input and the rule it broke — in a bounded message.
 */
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { type Emulator, startEmulator } from "../../emulator";
import type { ProviderImplementation } from "../../provider/core/dynamic";
import { UNKNOWN } from "../../provider/core/unknown";
import { START_OPS } from "./ledger";
import { record } from "./summary";
import { configured, inputsOf, type Kind, REGION } from "./support";

const SCENARIO = "5 hostile resource input";
const RUNS_PER_RESOURCE = 1000;

/** Each resource: where its Args interface is declared, and one valid input to mutate. */
const RESOURCES: {
  kind: Kind;
  label: string;
  source: string;
  args: string;
  valid: (em: Emulator) => Record<string, unknown>;
}[] = [
  {
    kind: "ads",
    label: "ads.ImportTask",
    source: "provider/ads/importTask.ts",
    args: "ImportTaskArgs",
    valid: () => ({
      name: "servers",
      importUrl: "s3://migration-data/servers.csv",
      clientRequestToken: "pam-0123",
      waitTimeoutMinutes: 60,
    }),
  },
  {
    kind: "mgn",
    label: "mgn.ImportTask",
    source: "provider/mgn/importTask.ts",
    args: "ImportTaskArgs",
    valid: (em) => ({
      ...inputsOf(em, "mgn", "wave-1", ""),
      tags: { team: "ops" },
      waitTimeoutMinutes: 60,
    }),
  },
  {
    kind: "image",
    label: "ec2.ImportImageTask",
    source: "provider/ec2/importImageTask.ts",
    args: "ImportImageTaskArgs",
    valid: (em) => ({
      ...inputsOf(em, "image", "web-01", ""),
      architecture: "x86_64",
      waitTimeoutMinutes: 120,
    }),
  },
  {
    kind: "instance",
    label: "ec2.ImportInstanceTask",
    source: "provider/ec2/importInstanceTask.ts",
    args: "ImportInstanceTaskArgs",
    valid: (em) => ({
      ...inputsOf(em, "instance", "dc-01", ""),
      launchSpecification: { architecture: "x86_64", instanceType: "m5.large" },
    }),
  },
  {
    kind: "stream",
    label: "migrationhub.ProgressUpdateStream",
    source: "provider/migrationhub/progressUpdateStream.ts",
    args: "ProgressUpdateStreamArgs",
    valid: () => ({
      progressUpdateStreamName: "tool",
      retainOnDelete: false,
      deleteTimeoutMinutes: 30,
    }),
  },
  {
    kind: "task",
    label: "migrationhub.MigrationTask",
    source: "provider/migrationhub/migrationTask.ts",
    args: "MigrationTaskArgs",
    valid: () => ({
      progressUpdateStream: "tool",
      migrationTaskName: "web-01",
      resourceAttributes: [{ type: "IPV4_ADDRESS", value: "10.0.0.1" }],
      createdArtifacts: [
        { name: "arn:aws:ec2:us-west-2:123456789012:image/ami-0abc", description: "AMI" },
      ],
      initialState: { status: "IN_PROGRESS", progressPercent: 10 },
      waitForStatus: "COMPLETED",
      waitTimeoutMinutes: 60,
    }),
  },
];

/** The property names of interface `args` in `source` (the resource's public inputs). */
function argNames(source: string, args: string): string[] {
  const text = readFileSync(join(process.cwd(), source), "utf8");
  // The interface's own members; what it extends (core/task/*Args.ts) every resource shares.
  const body =
    new RegExp(`export interface ${args}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`).exec(text)?.[1] ?? "";
  return [...body.matchAll(/^ {2}(\w+)\??: /gm)].map((m) => m[1]!);
}

const NEAR_MISSES = [
  "s3:/migration-data/servers.csv",
  "s3://",
  "s3://migration-data",
  "S3://migration-data/servers.csv",
  "s3://migration-data/servers.csv ",
  "https://migration-data.s3.amazonaws.com/servers.csv?X-Amz-Signature=abc",
  "http://user:pass@127.0.0.1/x",
  "import-task-",
  "import-task-0123456789abcdef0123456789abcdeg",
  "IN_PROGRES",
  "completed",
  "COMPLETED ",
  "arn:aws:ec2",
  "arn:aws:ec2:us-west-2:12345678901:image/ami-1",
  "10.0.0.256",
  "::1",
  "00:11:22:33:44",
  "a/b",
  "a:b",
  "a|b",
  "us-west-2 ",
  "-1",
  "1e309",
  "NaN",
  "true",
  "0x10",
  " ",
  "\t",
  UNKNOWN,
  `${UNKNOWN}x`,
];

const controlChars = fc.string({
  unit: fc.constantFrom(
    "\u0000",
    "\u0007",
    "\n",
    "\r",
    "\t",
    "\u001b",
    "\u001f",
    "\u007f",
    "\u0085",
    "\u202e",
    "\ufeff",
    "a",
  ),
  maxLength: 20,
});
const hugeString = fc
  .tuple(fc.integer({ min: 257, max: 200_000 }), fc.constantFrom("x", "é", "😀", "\u0000", "a/"))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
const hostileString = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 10 }),
  controlChars,
  hugeString,
  fc.constantFrom(...NEAR_MISSES),
);
const NESTED_KEYS = [
  "type",
  "value",
  "name",
  "description",
  "status",
  "statusDetail",
  "progressPercent",
  "nextUpdateSeconds",
  "__proto__",
  "constructor",
];
const { value: hostileValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(
      0,
      -0,
      -1,
      1.5,
      Number.MAX_SAFE_INTEGER,
      1e21,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ),
    fc.boolean(),
    fc.constant(null),
    fc.constant(UNKNOWN),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom(...NESTED_KEYS), tie("value"), { maxKeys: 4 }),
  ),
}));

function inputsFor(
  names: string[],
  valid: Record<string, unknown>,
): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(names.map((n) => [n, hostileValue]));
  const extra = fc.dictionary(
    fc.constantFrom("importURL", "Name", "unknownField", "__proto__", ""),
    hostileValue,
    { maxKeys: 2 },
  );
  // Wholly random inputs, and valid inputs with one to three properties broken (near misses).
  const random = fc
    .tuple(fc.record(model, { requiredKeys: [] }), extra)
    .map(([a, b]) => ({ ...b, ...a }));
  const mutated = fc
    .tuple(
      fc.subarray(names, { minLength: 1, maxLength: 3 }),
      fc.array(hostileValue, { minLength: 3, maxLength: 3 }),
    )
    .map(([keys, values]) => {
      const out: Record<string, unknown> = { ...valid };
      keys.forEach((k, i) => (out[k] = values[i]));
      return out;
    });
  return fc.oneof(random, mutated).map((i) => ({ ...i, __provider: "serialized-shim" }));
}

function rootOf(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? path;
}

function valueAt(inputs: Record<string, unknown>, path: string): unknown {
  let cur: unknown = inputs;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (cur === UNKNOWN) return UNKNOWN;
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[m[2] ?? m[1]!];
  }
  return cur;
}

describe(SCENARIO, function () {
  this.timeout(180_000);
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ homeRegion: REGION });
  });
  after(() => emulator?.stop());

  for (const r of RESOURCES) {
    it(`${r.label}: check() never throws, never calls AWS, and names the property and the rule of every failure`, async () => {
      const names = argNames(r.source, r.args);
      const { __provider: _p, ...valid } = r.valid(emulator);
      assert.ok(names.length >= 3, `no Args found in ${r.source}`);
      const provider: ProviderImplementation = await configured(r.kind, emulator);
      assert.deepEqual(await provider.check({}, { ...valid, __provider: "serialized-shim" }), {
        inputs: { ...valid, __provider: "serialized-shim" },
        failures: [],
      });
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(inputsFor(names, valid), async (inputs) => {
          const out = await provider.check({}, inputs);
          assert.equal(out.inputs, inputs);
          if (out.failures.length > 0) rejected++;
          for (const f of out.failures) {
            const root = rootOf(f.property);
            assert.ok(
              names.includes(root) || Object.hasOwn(inputs, root),
              `failure names ${JSON.stringify(f.property)}, not an input`,
            );
            assert.notEqual(
              valueAt(inputs, f.property),
              UNKNOWN,
              `${f.property} was unknown, and rejected: ${f.reason}`,
            );
            assert.notEqual(
              inputs[root],
              UNKNOWN,
              `${root} was unknown, and rejected: ${f.reason}`,
            );
            assert.match(
              f.reason,
              /\bmust\b|\brequire[sd]?\b|\bcannot\b|\bonly\b|\bnot\b|\bneeds?\b|\bhas no effect\b|\bcontradicts\b|\bnothing\b|\. Fix: /,
              `no rule in ${JSON.stringify(f.reason.slice(0, 200))}`,
            );
            // Credential-bearing near misses are echoed redacted.
            assert.doesNotMatch(f.reason, /user:pass@|X-Amz-Signature=abc/);
            // A 200 000-character input is never echoed back whole.
            assert.ok(
              f.reason.length <= 1_000,
              `${f.property}: ${f.reason.length}-character reason`,
            );
          }
        }),
        { numRuns: RUNS_PER_RESOURCE, seed: 5, endOnFailure: true },
      );
      assert.equal(emulator.stats().totalRequests, 0);
      assert.deepEqual(emulator.stats().authFailures, {});
      // check() owns no task: any start call the emulator counted would be a stray task.
      const requests = emulator.stats().requests;
      const strays = Object.values(START_OPS).reduce((n, op) => n + (requests[op] ?? 0), 0);
      record(SCENARIO, {
        runs: RUNS_PER_RESOURCE,
        faults: rejected,
        resources: 1,
        duplicated: strays,
      });
    });
  }
});
