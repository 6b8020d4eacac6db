/**
 * The only network I/O of `mgn.ImportTask`, on `@aws-sdk/client-mgn` (required inside the factory,
 * so nothing SDK-shaped is serialized). Every call, one per page, goes through the provider's
 * `call` (core callAws); the client has `maxAttempts: 1`. The installable client (3.523.0)
 * predates StartImport's `tags` and ImportTask's `arn`/`tags`: one middleware adds `tags` to the
 * StartImport body before it is signed, one keeps the raw JSON the import is read from.
 */
import type * as Mgn from "@aws-sdk/client-mgn";
import { isPlainObject } from "../core/check";
import { clientConfig, type ProviderSettings } from "../core/config";
import { paginate } from "../core/task/helpers";
import type { AwsCaller } from "../core/task/spec";

export interface S3BucketSource {
  s3Bucket: string;
  s3Key: string;
  s3BucketOwner?: string;
}

export interface Counts {
  createdCount: number;
  modifiedCount: number;
}

/** An MGN ImportTask as this package sees it (timestamps stay the ISO strings MGN sends). */
export interface MgnImport {
  importID: string;
  status: string;
  arn?: string;
  s3BucketSource?: S3BucketSource;
  creationDateTime?: string;
  endDateTime?: string;
  progressPercentage?: number;
  summary?: { waves?: Counts; applications?: Counts; servers?: Counts };
  tags?: Record<string, string>;
}

/** One row of ListImportErrors, flattened (errorData's members beside errorType). */
export interface MgnImportError {
  errorType?: string;
  errorDateTime?: string;
  rowNumber?: number;
  rawError?: string;
  sourceServerID?: string;
  applicationID?: string;
  waveID?: string;
  ec2LaunchTemplateID?: string;
  accountID?: string;
}

/** The first errors of an import and how many there are in all. */
export interface ImportErrors {
  items: MgnImportError[];
  total: number;
}

type Id<K extends string> = Record<K, string>;

/** Source servers, applications and waves of the account and region, those with an ID. */
export interface Inventory {
  servers: (Mgn.SourceServer & Id<"sourceServerID">)[];
  applications: (Mgn.Application & Id<"applicationID">)[];
  waves: (Mgn.Wave & Id<"waveID">)[];
}

/** StartImport's outcome: the quota refusal is an answer the provider acts on, not a failure. */
export type StartOutcome =
  | { started: MgnImport }
  | { quotaExceeded: { message: string; quotaValue?: number; quotaCode?: string } };

export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

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

/** A wire ImportTask with an ID and a status; anything else is dropped. */
export function toMgnImport(t: unknown): MgnImport | undefined {
  if (!isPlainObject(t)) return undefined;
  const [importID, status, s] = [str(t["importID"]), str(t["status"]), t["summary"]];
  if (importID === undefined || status === undefined) return undefined;
  const counts = (c: unknown) =>
    isPlainObject(c)
      ? { createdCount: num(c["createdCount"]) ?? 0, modifiedCount: num(c["modifiedCount"]) ?? 0 }
      : undefined;
  return defined({
    importID,
    status,
    arn: str(t["arn"]),
    s3BucketSource: narrowSource(t["s3BucketSource"]),
    creationDateTime: str(t["creationDateTime"]) || undefined,
    endDateTime: str(t["endDateTime"]) || undefined,
    progressPercentage: num(t["progressPercentage"]),
    summary: isPlainObject(s)
      ? defined({
          waves: counts(s["waves"]),
          applications: counts(s["applications"]),
          servers: counts(s["servers"]),
        })
      : undefined,
    tags: stringMap(t["tags"]),
  });
}

/** The middleware shape used here (the installed @smithy/types major differs from the client's). */
type Handler = (args: { request: unknown }) => Promise<{ response: unknown }>;
type Step = { step: string; priority: string; name: string };

function use(command: object, mw: (next: Handler) => Handler, options: Step): void {
  type Stack = { add(mw: (next: Handler) => Handler, options: Step): void };
  (command as { middlewareStack: Stack }).middlewareStack.add(mw, options);
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  if (body !== null && typeof body === "object" && Symbol.asyncIterator in body) {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>)
      chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * `send()`, and the raw JSON of a 2xx response: a middleware inside the deserializer (step
 * "deserialize", priority "low") reads the body, then hands the deserializer the same bytes.
 */
async function sendRaw<O>(
  command: object,
  send: () => Promise<O>,
): Promise<[O, Record<string, unknown>]> {
  let raw: unknown;
  const keepRaw =
    (next: Handler): Handler =>
    async (args) => {
      const result = await next(args);
      const response = result.response as { statusCode?: number; body?: unknown };
      const status = response.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        response.body = await collect(response.body);
        try {
          raw = JSON.parse(Buffer.from(response.body as Uint8Array).toString("utf8"));
        } catch {
          // Not JSON: the SDK's deserializer reports it.
        }
      }
      return result;
    };
  use(command, keepRaw, { step: "deserialize", priority: "low", name: "pamKeepRawJson" });
  const out = await send();
  return [out, isPlainObject(raw) ? raw : {}];
}

const PAGE = 1000;

export type MgnApi = ReturnType<typeof createMgnApi>;

export function createMgnApi(settings: ProviderSettings, call: AwsCaller) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-mgn") as typeof Mgn;
  const client = new sdk.MgnClient(clientConfig(settings, "mgn"));

  /** Visits every item of a paginated list, one `call` per page (only what is kept is held). */
  const each = <T>(
    operation: string,
    page: (nextToken: string | undefined) => Promise<{ items?: T[]; nextToken?: string }>,
    visit: (item: T) => void,
  ): Promise<void> => paginate((token) => call(operation, () => page(token)), visit);

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
    const page = (nextToken?: string) => send({ filters: {}, maxResults: PAGE, nextToken });
    await each(operation, page, (item) => {
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
      const { tags, ...known } = input;
      return call("StartImport", async () => {
        const command = new sdk.StartImportCommand(known);
        if (tags !== undefined && Object.keys(tags).length > 0) {
          // The 3.523.0 serializer drops `tags`: add them to the body before it is signed.
          const addTags =
            (next: Handler): Handler =>
            (args) => {
              const request = args.request as { body?: unknown };
              if (typeof request.body === "string") {
                request.body = JSON.stringify({ ...(JSON.parse(request.body) as object), tags });
              }
              return next(args);
            };
          use(command, addTags, { step: "build", priority: "high", name: "pamStartImportTags" });
        }
        try {
          const [out, raw] = await sendRaw(command, () => client.send(command));
          const started = toMgnImport(raw["importTask"]);
          if (started !== undefined) return { started };
          throw Object.assign(new Error("the StartImport response has no importTask"), {
            name: "MalformedResponse",
            $metadata: out.$metadata,
          });
        } catch (err) {
          if (!(err instanceof sdk.ServiceQuotaExceededException)) throw err;
          const { message, quotaValue, quotaCode } = err;
          return { quotaExceeded: defined({ message, quotaValue, quotaCode }) };
        }
      });
    },

    /** ListImports filtered by importIDs (at most 10, the filter's documented maximum). */
    async listImports(ids: readonly string[]): Promise<ReadonlyMap<string, MgnImport>> {
      const found = new Map<string, MgnImport>();
      if (ids.length === 0) return found;
      const page = async (nextToken: string | undefined) => {
        // A fresh command per attempt: the raw-JSON middleware is added to one command once.
        const filters = { importIDs: [...ids] };
        const command = new sdk.ListImportsCommand({ filters, maxResults: PAGE, nextToken });
        const [out, raw] = await sendRaw(command, () => client.send(command));
        return { items: Array.isArray(raw["items"]) ? raw["items"] : [], nextToken: out.nextToken };
      };
      await each("ListImports", page, (item: unknown) => {
        const task = toMgnImport(item);
        if (task !== undefined && ids.includes(task.importID)) found.set(task.importID, task);
      });
      return found;
    },

    /** ListImportErrors: the first `keep` errors and the total count (all pages). */
    async listImportErrors(importID: string, keep: number): Promise<ImportErrors> {
      const errors: ImportErrors = { items: [], total: 0 };
      const page = (nextToken: string | undefined) =>
        client.send(new sdk.ListImportErrorsCommand({ importID, maxResults: PAGE, nextToken }));
      await each("ListImportErrors", page, ({ errorData, ...error }) => {
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
