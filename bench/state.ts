/**
 * Part 3 — state size. Resource classes run under pulumi.runtime.setMocks, so @pulumi/pulumi's real
 * closure serializer produces each `__provider`; a checkpoint entry per resource (urn, type, id,
 * inputs, outputs — `__provider` appears in both, as the engine stores it) gives the total for
 * 1,000 resources. The comparison is a dynamic provider that captures its implementation (our own
 * ads provider factory, imported relatively), which the serializer then inlines by value.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as AdsClient from "../provider/ads/client";
import { ImportTask as AdsImportTask } from "../provider/ads/importTask";
import { ImportImageTask } from "../provider/ec2/importImageTask";
import { ImportTask as MgnImportTask } from "../provider/mgn/importTask";
import { MigrationTask } from "../provider/migrationhub/migrationTask";
import type { StateRow } from "./lib/results";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Registers `count` resources from `make` under mocks and returns what each one registered. */
export async function register(count: number, make: (i: number) => void): Promise<Registered[]> {
  const seen: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        seen.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
        });
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call: () => ({}),
    },
    "bench",
    "state",
    false,
  );
  for (let i = 0; i < count; i++) make(i);
  // Provider serialization is asynchronous: wait until every resource has registered.
  for (let waited = 0; seen.length < count; waited += 20) {
    if (waited > 120_000) throw new Error(`only ${seen.length} of ${count} resources registered`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return seen;
}

/** The checkpoint entry the engine keeps per resource; outputs carry the inputs back plus `__provider`. */
function checkpointBytes(r: Registered, extraOutputs: Record<string, unknown>): number {
  const urn = `urn:pulumi:state::bench::${r.type}::${r.name}`;
  return Buffer.byteLength(
    JSON.stringify({
      urn,
      custom: true,
      id: `${r.name}-id`,
      type: r.type,
      inputs: r.inputs,
      outputs: { ...r.inputs, ...extraOutputs },
    }),
  );
}

/** Typical outputs of a finished task (IDs, status, timestamps), so totals are not inputs only. */
const OUTPUTS = {
  importTaskId: "import-task-0123456789abcdef0123456789abcdef",
  status: "IMPORT_COMPLETE",
  importRequestTime: "2026-12-01T20:00:00.000Z",
  importCompletionTime: "2026-12-01T20:31:00.000Z",
};

async function measure(
  resource: string,
  count: number,
  make: (i: number) => void,
): Promise<StateRow> {
  const seen = await register(count, make);
  const providerBytes = Buffer.byteLength(String(seen[0]!.inputs["__provider"]));
  const sample = seen.slice(0, count);
  const total = sample.reduce((sum, r) => sum + checkpointBytes(r, OUTPUTS), 0);
  return {
    resource,
    providerBytes,
    totalBytesFor1000: Math.round((total * 1000) / count),
    sampled: count,
  };
}

/**
 * A dynamic provider written the way peers' examples write one: the implementation (start, wait
 * loop, error handling) lives in the provider object's methods, so Pulumi serializes all of it into
 * every resource's state. It talks to ADS through this repository's client, required at call time
 * (capturing an SDK client instance would make serialization fail outright, pulumi/pulumi#13960).
 */
const inlineProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Record<string, unknown>, news: Record<string, unknown>) {
    const failures: { property: string; reason: string }[] = [];
    if (typeof news["name"] !== "string" || news["name"].trim() === "")
      failures.push({ property: "name", reason: "required" });
    if (typeof news["importUrl"] !== "string" || !/^s3:\/\/[^/]+\/.+/.test(news["importUrl"])) {
      failures.push({ property: "importUrl", reason: "must be an s3://bucket/key URL" });
    }
    return Promise.resolve({ inputs: news, failures });
  },
  async create(inputs: Record<string, unknown>) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ads = require("pulumi-aws-migration/internal/ads/client") as typeof AdsClient;
    const client = new ads.ApplicationDiscoveryServiceClient({
      region: process.env["AWS_REGION"] ?? "us-west-2",
    });
    const started = await client.send(
      new ads.StartImportTaskCommand({
        name: String(inputs["name"]),
        importUrl: String(inputs["importUrl"]),
        clientRequestToken: String(inputs["clientRequestToken"] ?? inputs["name"]),
      }),
    );
    const id = started.task?.importTaskId;
    if (id === undefined) throw new Error("StartImportTask returned no task ID");
    const deadline = Date.now() + Number(inputs["waitTimeoutMinutes"] ?? 120) * 60_000;
    for (let attempt = 0; ; attempt++) {
      const out = await client.send(
        new ads.DescribeImportTasksCommand({ filters: [{ name: "IMPORT_TASK_ID", values: [id] }] }),
      );
      const task = out.tasks?.[0];
      const status = task?.status ?? "GONE";
      if (status === "IMPORT_COMPLETE" || status === "IMPORT_COMPLETE_WITH_ERRORS") {
        return {
          id,
          outs: {
            ...inputs,
            importTaskId: id,
            status,
            serverImportSuccess: task?.serverImportSuccess ?? 0,
            serverImportFailure: task?.serverImportFailure ?? 0,
            importRequestTime: task?.importRequestTime?.toISOString() ?? "",
            importCompletionTime: task?.importCompletionTime?.toISOString() ?? "",
          },
        };
      }
      if (status !== "IMPORT_IN_PROGRESS") {
        throw Object.assign(new Error(`import ${id} ended ${status}`), {
          id,
          properties: inputs,
          reasons: [status],
        });
      }
      if (Date.now() > deadline) {
        throw Object.assign(new Error(`import ${id} still ${status} at the deadline`), {
          id,
          properties: inputs,
          reasons: ["timeout"],
        });
      }
      const cap = Math.min(60_000, 5_000 * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, 5_000 + Math.random() * (cap - 5_000)));
    }
  },
  async diff(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
    const replaces = ["name", "importUrl"].filter((k) => olds[k] !== news[k]);
    return Promise.resolve({ changes: replaces.length > 0, replaces });
  },
  async delete(id: string) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ads = require("pulumi-aws-migration/internal/ads/client") as typeof AdsClient;
    const client = new ads.ApplicationDiscoveryServiceClient({
      region: process.env["AWS_REGION"] ?? "us-west-2",
    });
    await client.send(new ads.BatchDeleteImportDataCommand({ importTaskIds: [id] }));
  },
};

class InlineImportTask extends pulumi.dynamic.Resource {
  constructor(name: string, props: Record<string, unknown>) {
    super(inlineProvider, name, props, undefined, "ads", "InlineImportTask");
  }
}

/**
 * `count` ads.ImportTask and inline resources (1,000 in the full run) and up to 200 of each other
 * class (serialization takes ~20 ms per resource here); totals are scaled to 1,000.
 */
export async function runState(count: number): Promise<StateRow[]> {
  const rows: StateRow[] = [];
  const others = Math.min(count, 200);
  const importUrl = "s3://bench-migration/servers.csv";
  rows.push(
    await measure(
      "ads.ImportTask",
      count,
      (i) => new AdsImportTask(`servers-${i}`, { name: `servers-${i}`, importUrl }),
    ),
  );
  rows.push(
    await measure(
      "mgn.ImportTask",
      others,
      (i) =>
        new MgnImportTask(`inventory-${i}`, {
          s3BucketSource: { s3Bucket: "bench-migration", s3Key: `inventory-${i}.csv` },
        }),
    ),
  );
  rows.push(
    await measure(
      "migrationhub.MigrationTask",
      others,
      (i) =>
        new MigrationTask(`task-${i}`, {
          progressUpdateStream: "bench-stream",
          migrationTaskName: `task-${i}`,
        }),
    ),
  );
  rows.push(
    await measure(
      "ec2.ImportImageTask",
      others,
      (i) =>
        new ImportImageTask(`image-${i}`, {
          description: `image-${i}`,
          platform: "Linux",
          diskContainers: [
            { format: "vmdk", userBucket: { s3Bucket: "bench-migration", s3Key: `web-${i}.vmdk` } },
          ],
        }),
    ),
  );
  rows.push(
    await measure(
      "inline provider (peer pattern, ADS)",
      count,
      (i) => new InlineImportTask(`inline-${i}`, { name: `servers-${i}`, importUrl }),
    ),
  );
  return rows;
}
