/**
 * The only network I/O of `mgn.ImportTask`, on `@aws-sdk/client-mgn` (required inside the factory,
 * so nothing SDK-shaped is ever serialized). Every call goes through `call(operation, fn)`, which
 * the provider builds from the core's callAws; the client itself has `maxAttempts: 1`. Paginated
 * lists call once per page, so a retry repeats one page.
 *
 * The installable client (3.523.0) predates two fields of the current MGN model: StartImport's
 * `tags` (its serializer drops them) and ImportTask's `arn`/`tags` (its deserializer drops them).
 * Two per-command middlewares close the gap: one adds `tags` to the StartImport body before it is
 * signed, one keeps the raw JSON of the response, from which the import is read.
 */
import type * as Mgn from "@aws-sdk/client-mgn";
import { clientConfig, type ProviderSettings } from "../core/config";
import type { AwsCaller } from "../core/task/spec";
import type { ImportErrors, MgnImport, MgnImportError, S3BucketSource } from "./importTaskLogic";
import { isPlainObject as isObject, narrowSource, stringMap } from "./importTaskInputs";
import type { Inventory } from "./inventory";

export type { AwsCaller };

/** StartImport's outcome: the quota refusal is an answer the provider acts on, not a failure. */
export type StartOutcome =
  | { started: MgnImport }
  | { quotaExceeded: { message: string; quotaValue?: number; quotaCode?: string } };

export interface MgnApi {
  /** StartImport; the same clientToken with the same input returns the import it started. */
  startImport(input: {
    s3BucketSource: S3BucketSource;
    clientToken: string;
    tags?: Record<string, string>;
  }): Promise<StartOutcome>;
  /** ListImports filtered by importIDs (at most 10, the filter's documented maximum). */
  listImports(ids: readonly string[]): Promise<ReadonlyMap<string, MgnImport>>;
  /** ListImportErrors: the first `keep` errors and the total count (all pages). */
  listImportErrors(id: string, keep: number): Promise<ImportErrors>;
  /** Source servers, applications and waves of the account and region (all pages). */
  listInventory(): Promise<Inventory>;
  deleteSourceServer(id: string): Promise<void>;
  deleteApplication(id: string): Promise<void>;
  deleteWave(id: string): Promise<void>;
}

export type ApiFactory = (settings: ProviderSettings, call: AwsCaller) => MgnApi;

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function countsOf(v: unknown): { createdCount: number; modifiedCount: number } | undefined {
  if (!isObject(v)) return undefined;
  return { createdCount: num(v["createdCount"]) ?? 0, modifiedCount: num(v["modifiedCount"]) ?? 0 };
}

/**
 * A wire ImportTask (raw JSON or SDK output) with an ID and a status; anything else is dropped.
 * Fields are copied only when they have the documented type, so a `null` never reaches outputs.
 */
export function toMgnImport(t: unknown): MgnImport | undefined {
  if (!isObject(t)) return undefined;
  const importID = str(t["importID"]);
  const status = str(t["status"]);
  if (importID === undefined || status === undefined) return undefined;
  const task: MgnImport = { importID, status };
  const arn = str(t["arn"]);
  if (arn !== undefined) task.arn = arn;
  const src = narrowSource(t["s3BucketSource"]);
  if (src !== undefined) task.s3BucketSource = src;
  for (const key of ["creationDateTime", "endDateTime"] as const) {
    const v = str(t[key]);
    if (v !== undefined && v !== "") task[key] = v;
  }
  const pct = num(t["progressPercentage"]);
  if (pct !== undefined) task.progressPercentage = pct;
  const s = t["summary"];
  if (isObject(s)) {
    const summary: NonNullable<MgnImport["summary"]> = {};
    for (const key of ["waves", "applications", "servers"] as const) {
      const c = countsOf(s[key]);
      if (c !== undefined) summary[key] = c;
    }
    task.summary = summary;
  }
  const tags = stringMap(t["tags"]);
  if (tags !== undefined) task.tags = tags;
  return task;
}

export function toImportError(e: unknown): MgnImportError | undefined {
  if (!isObject(e)) return undefined;
  const out: MgnImportError = {};
  const errorType = str(e["errorType"]);
  if (errorType !== undefined) out.errorType = errorType;
  const at = str(e["errorDateTime"]);
  if (at !== undefined) out.errorDateTime = at;
  const data = isObject(e["errorData"]) ? e["errorData"] : {};
  const row = num(data["rowNumber"]);
  if (row !== undefined) out.rowNumber = row;
  for (const key of [
    "rawError",
    "sourceServerID",
    "applicationID",
    "waveID",
    "ec2LaunchTemplateID",
    "accountID",
  ] as const) {
    const v = str(data[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** Adds `tags` to the serialized StartImport body (the 3.523.0 serializer drops them). */
function addTags(tags: Record<string, string>): Middleware {
  return (next) => (args) => {
    const request = args.request as { body?: unknown };
    if (typeof request.body === "string") {
      const body = JSON.parse(request.body) as Json;
      request.body = JSON.stringify({ ...body, tags });
    }
    return next(args);
  };
}

async function collect(body: unknown): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Buffer[] = [];
  if (body !== null && typeof body === "object" && Symbol.asyncIterator in body) {
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    }
  }
  return Buffer.concat(chunks);
}

/**
 * Keeps the raw JSON of a 2xx response for `sink`, then hands the SDK's deserializer the same
 * bytes. Placed inside the deserializer (step "deserialize", priority "low").
 */
function keepRawJson(sink: (json: unknown) => void): Middleware {
  return (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode?: number; body?: unknown };
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      const bytes = await collect(response.body);
      response.body = bytes;
      try {
        sink(bytes.length === 0 ? undefined : JSON.parse(Buffer.from(bytes).toString("utf8")));
      } catch {
        // Not JSON: the SDK's deserializer reports it.
      }
    }
    return result;
  };
}

/**
 * The middleware shape both helpers need. Declared here rather than taken from `@smithy/types`,
 * whose installed major differs from the one the 3.523.0 client was built against.
 */
type Handler = (args: { request: unknown; input: unknown }) => Promise<{ response: unknown }>;
type Middleware = (next: Handler) => Handler;

interface WithStack {
  middlewareStack: {
    add(mw: never, options: { step: string; priority?: string; name?: string }): void;
  };
}

function use(
  command: object,
  mw: Middleware,
  options: { step: "build" | "deserialize"; priority: "high" | "low"; name: string },
): void {
  (command as WithStack).middlewareStack.add(mw as never, options);
}

/** Sends `command` (through `send`) and returns its raw JSON body next to the SDK's output. */
async function sendRaw<O>(
  command: object,
  send: () => Promise<O>,
): Promise<{ out: O; raw: unknown }> {
  let raw: unknown;
  use(
    command,
    keepRawJson((json) => {
      raw = json;
    }),
    { step: "deserialize", priority: "low", name: "pamKeepRawJson" },
  );
  const out = await send();
  return { out, raw };
}

const PAGE = 1000;

export const createMgnApi: ApiFactory = (settings, call) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-mgn") as typeof Mgn;
  const client = new sdk.MgnClient(clientConfig(settings, "mgn"));

  /** Every item of a paginated list, one `call` per page. */
  async function all<O extends { items?: unknown[]; nextToken?: string }>(
    operation: string,
    page: (nextToken: string | undefined) => Promise<O>,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let token: string | undefined;
    do {
      const out = await call(operation, () => page(token));
      items.push(...(out.items ?? []));
      token = out.nextToken === "" ? undefined : out.nextToken;
    } while (token !== undefined);
    return items;
  }

  return {
    startImport(input) {
      return call("StartImport", async () => {
        const command = new sdk.StartImportCommand({
          s3BucketSource: input.s3BucketSource,
          clientToken: input.clientToken,
        });
        if (input.tags !== undefined && Object.keys(input.tags).length > 0) {
          use(command, addTags(input.tags), {
            step: "build",
            priority: "high",
            name: "pamStartImportTags",
          });
        }
        try {
          const { out, raw } = await sendRaw(command, () => client.send(command));
          const task =
            toMgnImport(isObject(raw) ? raw["importTask"] : undefined) ??
            toMgnImport(out.importTask);
          if (task === undefined) {
            throw Object.assign(new Error("the StartImport response has no importTask"), {
              name: "MalformedResponse",
              $metadata: out.$metadata,
            });
          }
          return { started: task };
        } catch (err) {
          if (err instanceof sdk.ServiceQuotaExceededException) {
            return {
              quotaExceeded: {
                message: err.message,
                ...(err.quotaValue === undefined ? {} : { quotaValue: err.quotaValue }),
                ...(err.quotaCode === undefined ? {} : { quotaCode: err.quotaCode }),
              },
            };
          }
          throw err;
        }
      });
    },

    async listImports(ids) {
      const found = new Map<string, MgnImport>();
      if (ids.length === 0) return found;
      let token: string | undefined;
      do {
        const page = token;
        // A fresh command per attempt: the raw-JSON middleware is added to one command once.
        const { out, raw } = await call("ListImports", () => {
          const command = new sdk.ListImportsCommand({
            filters: { importIDs: [...ids] },
            maxResults: PAGE,
            ...(page === undefined ? {} : { nextToken: page }),
          });
          return sendRaw(command, () => client.send(command));
        });
        const items: unknown[] =
          isObject(raw) && Array.isArray(raw["items"]) ? raw["items"] : (out.items ?? []);
        for (const item of items) {
          const task = toMgnImport(item);
          if (task !== undefined && ids.includes(task.importID)) found.set(task.importID, task);
        }
        token = out.nextToken === "" ? undefined : out.nextToken;
      } while (token !== undefined);
      return found;
    },

    async listImportErrors(id, keep) {
      const items: MgnImportError[] = [];
      let total = 0;
      let token: string | undefined;
      do {
        const out = await call("ListImportErrors", () =>
          client.send(
            new sdk.ListImportErrorsCommand({
              importID: id,
              maxResults: PAGE,
              ...(token === undefined ? {} : { nextToken: token }),
            }),
          ),
        );
        for (const raw of out.items ?? []) {
          const e = toImportError(raw);
          if (e === undefined) continue;
          total++;
          if (items.length < keep) items.push(e);
        }
        token = out.nextToken === "" ? undefined : out.nextToken;
      } while (token !== undefined);
      return { items, total };
    },

    async listInventory() {
      const [servers, applications, waves] = [
        await all("DescribeSourceServers", (nextToken) =>
          client.send(
            new sdk.DescribeSourceServersCommand({ filters: {}, maxResults: PAGE, nextToken }),
          ),
        ),
        await all("ListApplications", (nextToken) =>
          client.send(
            new sdk.ListApplicationsCommand({ filters: {}, maxResults: PAGE, nextToken }),
          ),
        ),
        await all("ListWaves", (nextToken) =>
          client.send(new sdk.ListWavesCommand({ filters: {}, maxResults: PAGE, nextToken })),
        ),
      ];
      const some = (key: string, v: unknown): Record<string, string> => {
        const text = str(v);
        return text === undefined ? {} : { [key]: text };
      };
      const tagsOf = (o: Json): Record<string, string> => stringMap(o["tags"]) ?? {};
      const inv: Inventory = { servers: [], applications: [], waves: [] };
      for (const s of servers.filter(isObject)) {
        const sourceServerID = str(s["sourceServerID"]);
        if (sourceServerID === undefined) continue;
        inv.servers.push({
          sourceServerID,
          tags: tagsOf(s),
          ...some("userProvidedID", s["userProvidedID"]),
          ...some("applicationID", s["applicationID"]),
        });
      }
      for (const a of applications.filter(isObject)) {
        const applicationID = str(a["applicationID"]);
        if (applicationID === undefined) continue;
        const name = str(a["name"]) ?? "";
        inv.applications.push({
          applicationID,
          name,
          tags: tagsOf(a),
          ...some("waveID", a["waveID"]),
        });
      }
      for (const w of waves.filter(isObject)) {
        const waveID = str(w["waveID"]);
        if (waveID !== undefined)
          inv.waves.push({ waveID, name: str(w["name"]) ?? "", tags: tagsOf(w) });
      }
      return inv;
    },

    async deleteSourceServer(id) {
      await call("DeleteSourceServer", () =>
        client.send(new sdk.DeleteSourceServerCommand({ sourceServerID: id })),
      );
    },
    async deleteApplication(id) {
      await call("DeleteApplication", () =>
        client.send(new sdk.DeleteApplicationCommand({ applicationID: id })),
      );
    },
    async deleteWave(id) {
      await call("DeleteWave", () => client.send(new sdk.DeleteWaveCommand({ waveID: id })));
    },
  };
};
