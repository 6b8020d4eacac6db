/**
 * The only network I/O of `mgn.ImportTask` (the SDK is required inside the factory, so nothing
 * SDK-shaped is serialized); every call, one per page, goes through the provider's `call`.
 */
import type * as Mgn from "@aws-sdk/client-mgn";
import { isPlainObject } from "../core/check";
import { clientConfig, type ProviderSettings } from "../core/config";
import { paginate } from "../core/task/helpers";
import type { AwsCaller } from "../core/task/spec";

export type S3BucketSource = { s3Bucket: string; s3Key: string; s3BucketOwner?: string };

/** An MGN ImportTask with its ID and status (timestamps stay the ISO strings MGN sends). */
export type MgnImport = Omit<Mgn.ImportTask, "importID" | "status" | "s3BucketSource"> & {
  importID: string;
  status: string;
  s3BucketSource?: S3BucketSource;
  arn?: string;
  tags?: Record<string, string>;
};

/** One row of ListImportErrors, flattened (errorData's members beside errorType). */
export type MgnImportError = Mgn.ImportErrorData &
  Pick<Mgn.ImportTaskError, "errorDateTime"> & { errorType?: string };

/** The first errors of an import and how many there are in all. */
export type ImportErrors = { items: MgnImportError[]; total: number };

type Id<K extends string> = Record<K, string>;

/** Source servers, applications and waves of the account and region, those with an ID. */
export interface Inventory {
  servers: (Mgn.SourceServer & Id<"sourceServerID">)[];
  applications: (Mgn.Application & Id<"applicationID">)[];
  waves: (Mgn.Wave & Id<"waveID">)[];
}

/** StartImport's outcome: the quota refusal is an answer the provider acts on, not a failure. */
export type StartOutcome =
  { started: MgnImport } | { quotaExceeded: { message: string; quotaValue?: number } };

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** `o` without its undefined members, so a `null` or a wrong type never reaches the outputs. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The string members of a map (wrong types were reported by check). */
export function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isPlainObject(v)) return undefined;
  return Object.fromEntries(
    Object.entries(v).filter(([, x]) => typeof x === "string"),
  ) as Id<string>;
}

export function narrowSource(v: unknown): S3BucketSource | undefined {
  if (!isPlainObject(v)) return undefined;
  const [s3Bucket, s3Key] = [str(v["s3Bucket"]), str(v["s3Key"])];
  if (s3Bucket === undefined || s3Key === undefined) return undefined;
  return defined({ s3Bucket, s3Key, s3BucketOwner: str(v["s3BucketOwner"]) });
}

/** The SDK's ImportTask (with ID and status) and the `arn` and `tags` 3.523.0 drops, from `raw`. */
export function toMgnImport(task: Mgn.ImportTask | undefined, raw: unknown): MgnImport | undefined {
  const { importID, status, s3BucketSource } = task ?? {};
  if (importID === undefined || status === undefined) return undefined;
  const [arn, tags] = isPlainObject(raw) ? [raw["arn"], raw["tags"]] : [];
  return defined({
    ...task,
    importID,
    status,
    s3BucketSource: narrowSource(s3BucketSource),
    creationDateTime: task?.creationDateTime || undefined,
    endDateTime: task?.endDateTime || undefined,
    arn: str(arn),
    tags: stringMap(tags),
  });
}

const PAGE = 1000;

export type MgnApi = ReturnType<typeof createMgnApi>;

export function createMgnApi(settings: ProviderSettings, call: AwsCaller) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-mgn") as typeof Mgn;
  const client = new sdk.MgnClient(clientConfig(settings, "mgn"));

  // The 3.523.0 client predates StartImport's `tags` and ImportTask's `arn`/`tags`: an input's
  // `tags` are added to the body before it is signed, and the 2xx body of a call whose input is in
  // `keepRaw` (the two that return ImportTasks) is kept as raw JSON (read inside the deserializer,
  // which then gets the same bytes); other calls are not parsed twice.
  const keepRaw = new WeakSet<object>();
  const raws = new WeakMap<object, Record<string, unknown>>();
  type Handler = (args: { input: object; request: unknown }) => Promise<{ response: unknown }>;
  const stack = client.middlewareStack as unknown as {
    add(mw: (next: Handler) => Handler, options: object): void;
  };
  stack.add(
    (next) => (args) => {
      const { tags } = args.input as { tags?: object };
      const request = args.request as { body?: unknown };
      if (tags !== undefined && Object.keys(tags).length > 0 && typeof request.body === "string") {
        request.body = JSON.stringify({ ...(JSON.parse(request.body) as object), tags });
      }
      return next(args);
    },
    { step: "build", priority: "high", name: "pamStartImportTags" },
  );
  stack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300 && keepRaw.has(args.input)) {
        const body = await client.config.streamCollector(response.body);
        response.body = body;
        try {
          const json: unknown = JSON.parse(Buffer.from(body).toString("utf8"));
          if (isPlainObject(json)) raws.set(args.input, json);
        } catch {
          // Not JSON: the SDK's deserializer reports it.
        }
      }
      return result;
    },
    { step: "deserialize", priority: "low", name: "pamKeepRawJson" },
  );

  /** Every item of an inventory list (every filter empty) that has its ID. */
  async function list<K extends string, T extends Partial<Id<K>>>(
    operation: string,
    key: K,
    send: (input: { filters: object; maxResults: number; nextToken?: string }) => Promise<{
      items?: T[];
      nextToken?: string;
    }>,
  ): Promise<(T & Id<K>)[]> {
    const items: (T & Id<K>)[] = [];
    const page = (nextToken?: string) =>
      call(operation, () => send({ filters: {}, maxResults: PAGE, nextToken }));
    await paginate(page, (item) => {
      if (typeof item[key] === "string") items.push(item as T & Id<K>);
    });
    return items;
  }

  return {
    /** StartImport; the same clientToken with the same input returns the import it started. */
    startImport(input: {
      s3BucketSource: S3BucketSource;
      clientToken: string;
      tags?: Record<string, string>;
    }): Promise<StartOutcome> {
      return call("StartImport", async () => {
        try {
          keepRaw.add(input);
          const out = await client.send(new sdk.StartImportCommand(input));
          const started = toMgnImport(out.importTask, raws.get(input)?.["importTask"]);
          if (started !== undefined) return { started };
          throw Object.assign(new Error("the StartImport response has no importTask"), {
            name: "MalformedResponse",
            $metadata: out.$metadata,
          });
        } catch (err) {
          if (!(err instanceof sdk.ServiceQuotaExceededException)) throw err;
          const { message, quotaValue } = err;
          return { quotaExceeded: defined({ message, quotaValue }) };
        }
      });
    },

    /** ListImports filtered by importIDs (at most 10, the filter's documented maximum). */
    async listImports(ids: readonly string[]): Promise<ReadonlyMap<string, MgnImport>> {
      const found = new Map<string, MgnImport>();
      if (ids.length === 0) return found;
      const page = async (nextToken: string | undefined) => {
        const input = { filters: { importIDs: [...ids] }, maxResults: PAGE, nextToken };
        keepRaw.add(input);
        const out = await call("ListImports", () => client.send(new sdk.ListImportsCommand(input)));
        const raw: unknown = raws.get(input)?.["items"];
        const rawItems: unknown[] = Array.isArray(raw) ? raw : [];
        const byId = (id?: string) =>
          rawItems.find((r) => isPlainObject(r) && r["importID"] === id);
        const items = (out.items ?? []).map((t) => toMgnImport(t, byId(t.importID)));
        return { items, nextToken: out.nextToken };
      };
      await paginate(page, (task) => {
        if (task !== undefined && ids.includes(task.importID)) found.set(task.importID, task);
      });
      return found;
    },

    /** ListImportErrors: the first `keep` errors and the total count (all pages). */
    async listImportErrors(importID: string, keep: number): Promise<ImportErrors> {
      const errors: ImportErrors = { items: [], total: 0 };
      const page = (nextToken: string | undefined) => {
        const input = { importID, maxResults: PAGE, nextToken };
        return call("ListImportErrors", () => client.send(new sdk.ListImportErrorsCommand(input)));
      };
      await paginate(page, ({ errorData, ...error }) => {
        errors.total++;
        if (errors.items.length < keep) errors.items.push({ ...error, ...errorData });
      });
      return errors;
    },

    /** Source servers, applications and waves of the account and region (all pages). */
    async listInventory(): Promise<Inventory> {
      return {
        servers: await list("DescribeSourceServers", "sourceServerID", (input) =>
          client.send(new sdk.DescribeSourceServersCommand(input)),
        ),
        applications: await list("ListApplications", "applicationID", (input) =>
          client.send(new sdk.ListApplicationsCommand(input)),
        ),
        waves: await list("ListWaves", "waveID", (input) =>
          client.send(new sdk.ListWavesCommand(input)),
        ),
      };
    },

    async deleteSourceServer(sourceServerID: string): Promise<void> {
      await call("DeleteSourceServer", () =>
        client.send(new sdk.DeleteSourceServerCommand({ sourceServerID })),
      );
    },
    async deleteApplication(applicationID: string): Promise<void> {
      await call("DeleteApplication", () =>
        client.send(new sdk.DeleteApplicationCommand({ applicationID })),
      );
    },
    async deleteWave(waveID: string): Promise<void> {
      await call("DeleteWave", () => client.send(new sdk.DeleteWaveCommand({ waveID })));
    },
  };
}
