/**
 * Writes the constraint tables that provider check() and emulator request validation use, from
 * AWS's own service models: botocore's `service-2.json` (the models the AWS CLI ships; the repo
 * pins awscli in scripts/test, installed into .venv). Per operation: its input shape and the
 * errors the model declares; per shape: type, required members, min/max, pattern, enum.
 *
 * provider/ and emulator/ never import each other, so each gets its own generated copy: the
 * emulator the operations it serves, the provider the ones it calls.
 *
 *   npx tsx scripts/gen-aws-models.ts           writes the files
 *   npx tsx scripts/gen-aws-models.ts --check   exits 1 naming each stale file (tests run this)
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const ROOT = join(__dirname, "..");

interface ModelRef {
  /** botocore data folder and API version. */
  botocore: string;
  version: string;
}

interface Target {
  /** Output file, relative to the repository root. */
  file: string;
  model: ModelRef;
  operations: readonly string[];
}

const DISCOVERY: ModelRef = { botocore: "discovery", version: "2015-11-01" };
const MGN: ModelRef = { botocore: "mgn", version: "2020-02-26" };
const MGH: ModelRef = { botocore: "mgh", version: "2017-05-31" };
const MGH_CONFIG: ModelRef = { botocore: "migrationhub-config", version: "2019-06-30" };
const EC2: ModelRef = { botocore: "ec2", version: "2016-11-15" };
const S3: ModelRef = { botocore: "s3", version: "2006-03-01" };

const MGH_OPS = [
  "AssociateCreatedArtifact",
  "CreateProgressUpdateStream",
  "DeleteProgressUpdateStream",
  "DescribeMigrationTask",
  "DisassociateCreatedArtifact",
  "ImportMigrationTask",
  "ListCreatedArtifacts",
  "ListMigrationTasks",
  "ListProgressUpdateStreams",
  "NotifyMigrationTaskState",
  "PutResourceAttributes",
] as const;
const EC2_OPS = [
  "CancelConversionTask",
  "CancelImportTask",
  "DeleteSnapshot",
  "DeleteVolume",
  "DeregisterImage",
  "DescribeConversionTasks",
  "DescribeImages",
  "DescribeImportImageTasks",
  "DescribeImportSnapshotTasks",
  "DescribeInstances",
  "DescribeSnapshots",
  "DescribeVolumes",
  "ImportImage",
  "ImportInstance",
  "ImportSnapshot",
  "TerminateInstances",
] as const;

export const TARGETS: readonly Target[] = [
  {
    file: "emulator/ads/model.generated.ts",
    model: DISCOVERY,
    operations: ["BatchDeleteImportData", "DescribeImportTasks", "StartImportTask"],
  },
  {
    file: "emulator/mgn/model.generated.ts",
    model: MGN,
    operations: [
      "DeleteApplication",
      "DeleteSourceServer",
      "DeleteWave",
      "DescribeSourceServers",
      "InitializeService",
      "ListApplications",
      "ListImportErrors",
      "ListImports",
      "ListWaves",
      "StartImport",
    ],
  },
  { file: "emulator/migrationhub/model.generated.ts", model: MGH, operations: MGH_OPS },
  {
    file: "emulator/migrationhub/configModel.generated.ts",
    model: MGH_CONFIG,
    operations: [
      "CreateHomeRegionControl",
      "DeleteHomeRegionControl",
      "DescribeHomeRegionControls",
      "GetHomeRegion",
    ],
  },
  { file: "emulator/ec2/model.generated.ts", model: EC2, operations: EC2_OPS },
  { file: "provider/ads/model.generated.ts", model: DISCOVERY, operations: ["StartImportTask"] },
  { file: "provider/mgn/model.generated.ts", model: MGN, operations: ["StartImport"] },
  {
    file: "provider/migrationhub/model.generated.ts",
    model: MGH,
    operations: [
      "AssociateCreatedArtifact",
      "CreateProgressUpdateStream",
      "DisassociateCreatedArtifact",
      "ImportMigrationTask",
      "NotifyMigrationTaskState",
      "PutResourceAttributes",
    ],
  },
  {
    file: "provider/ec2/model.generated.ts",
    model: EC2,
    operations: ["ImportImage", "ImportInstance", "ImportSnapshot"],
  },
];
/** S3 is served by the emulator only; listed so its table exists when request validation wants it. */
export const S3_MODEL = S3;

interface BotoMember {
  shape: string;
  locationName?: string;
  queryName?: string;
  location?: string;
  idempotencyToken?: boolean;
}
interface BotoShape {
  type: string;
  required?: string[];
  members?: Record<string, BotoMember>;
  member?: BotoMember;
  key?: BotoMember;
  value?: BotoMember;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  flattened?: boolean;
  exception?: boolean;
}
interface BotoModel {
  metadata: { protocol: string; serviceId: string; apiVersion: string };
  operations: Record<string, { input?: { shape: string }; errors?: { shape: string }[] }>;
  shapes: Record<string, BotoShape>;
}

function botocoreDir(): string {
  const py = join(ROOT, ".venv", "bin", "python");
  if (!existsSync(py)) {
    throw new Error(
      "no .venv/bin/python: run ./scripts/test once (it installs the pinned awscli into .venv)",
    );
  }
  const init = execFileSync(py, ["-c", "import botocore; print(botocore.__file__)"], {
    encoding: "utf8",
  }).trim();
  return join(init, "..", "data");
}

function botocoreVersion(): string {
  const py = join(ROOT, ".venv", "bin", "python");
  return execFileSync(py, ["-c", "import botocore; print(botocore.__version__)"], {
    encoding: "utf8",
  }).trim();
}

function loadModel(dir: string, ref: ModelRef): BotoModel {
  const gz = join(dir, ref.botocore, ref.version, "service-2.json.gz");
  const raw = existsSync(gz)
    ? gunzipSync(readFileSync(gz)).toString("utf8")
    : readFileSync(join(dir, ref.botocore, ref.version, "service-2.json"), "utf8");
  return JSON.parse(raw) as BotoModel;
}

/** The compact shape written out: only what validation reads. */
function compact(shape: BotoShape): Record<string, unknown> {
  const out: Record<string, unknown> = { type: shape.type };
  if (shape.required !== undefined && shape.required.length > 0) out["required"] = shape.required;
  if (shape.members !== undefined) {
    const members: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(shape.members)) {
      // Wire names differ from member names (locationName, EC2's queryName); keep both then.
      const wire = m.queryName ?? m.locationName;
      const query = m.queryName === undefined ? {} : { query: true };
      members[name] =
        m.location !== undefined
          ? { shape: m.shape, location: m.location, wire: wire ?? name }
          : wire !== undefined && wire !== name
            ? { shape: m.shape, wire, ...query }
            : m.shape;
    }
    out["members"] = members;
  }
  if (shape.member !== undefined) out["member"] = shape.member.shape;
  if (shape.key !== undefined) out["key"] = shape.key.shape;
  if (shape.value !== undefined) out["value"] = shape.value.shape;
  for (const k of ["min", "max", "pattern", "enum", "flattened"] as const) {
    if (shape[k] !== undefined) out[k] = shape[k];
  }
  return out;
}

function reachable(model: BotoModel, roots: readonly string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    const shape = model.shapes[name];
    if (shape === undefined) throw new Error(`shape ${name} is not in the model`);
    seen.add(name);
    for (const m of Object.values(shape.members ?? {})) visit(m.shape);
    for (const m of [shape.member, shape.key, shape.value]) if (m !== undefined) visit(m.shape);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

function render(target: Target, model: BotoModel, version: string): string {
  const ops: Record<string, { input?: string; errors: string[] }> = {};
  const roots: string[] = [];
  for (const op of target.operations) {
    const def = model.operations[op];
    if (def === undefined) throw new Error(`${target.model.botocore} has no operation ${op}`);
    ops[op] = {
      ...(def.input === undefined ? {} : { input: def.input.shape }),
      errors: (def.errors ?? []).map((e) => e.shape).sort(),
    };
    if (def.input !== undefined) roots.push(def.input.shape);
  }
  const lines = [
    `// Generated by scripts/gen-aws-models.ts from botocore ${version}`,
    `// ${target.model.botocore}/${target.model.version}/service-2.json. Do not edit: run the script.`,
    `import type { AwsModel } from "../core/awsModel";`,
    "",
    "export const MODEL: AwsModel = {",
    `  protocol: ${JSON.stringify(model.metadata.protocol)},`,
    "  operations: {",
    ...Object.entries(ops).map(([op, o]) => `    ${op}: ${JSON.stringify(o)},`),
    "  },",
    "  shapes: {",
    ...reachable(model, roots).map((name) => {
      const shape = model.shapes[name];
      if (shape === undefined) throw new Error(`shape ${name} vanished`);
      return `    ${JSON.stringify(name)}: ${JSON.stringify(compact(shape))},`;
    }),
    "  },",
    "};",
    "",
  ];
  return lines.join("\n");
}

function main(): void {
  const check = process.argv.includes("--check");
  const dir = botocoreDir();
  const version = botocoreVersion();
  const cache = new Map<string, BotoModel>();
  const stale: string[] = [];
  for (const target of TARGETS) {
    const key = `${target.model.botocore}/${target.model.version}`;
    let model = cache.get(key);
    if (model === undefined) {
      model = loadModel(dir, target.model);
      cache.set(key, model);
    }
    const text = render(target, model, version);
    const path = join(ROOT, target.file);
    const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
    if (current === text) continue;
    if (check) stale.push(target.file);
    else writeFileSync(path, text);
  }
  if (stale.length > 0) {
    process.stderr.write(
      `stale generated model files (run npx tsx scripts/gen-aws-models.ts): ${stale.join(", ")}\n`,
    );
    process.exit(1);
  }
}

if (require.main === module) main();
