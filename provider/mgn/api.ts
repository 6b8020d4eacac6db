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
import { isPlainObject } from "../core/check";
import { clientConfig, type ProviderSettings } from "../core/config";
import type { AwsCaller } from "../core/task/spec";
import { narrowSource, stringMap } from "./importTaskInputs";
import type { ImportErrors, MgnImport, MgnImportError, S3BucketSource } from "./importTaskLogic";
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

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isFinite(v) ? v : undefined;

/** `o` without its undefined members, so a `null` or a wrong type never reaches the outputs. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A wire ImportTask (raw JSON or SDK output) with an ID and a status; anything else is dropped. */
export function toMgnImport(t: unknown): MgnImport | undefined {
  if (!isPlainObject(t)) return undefined;
  const importID = str(t["importID"]);
  const status = str(t["status"]);
  if (importID === undefined || status === undefined) return undefined;
  const s = t["summary"];
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

export function toImportError(e: unknown): MgnImportError | undefined {
  if (!isPlainObject(e)) return undefined;
  const data = isPlainObject(e["errorData"]) ? e["errorData"] : {};
  return defined({
    errorType: str(e["errorType"]),
    errorDateTime: str(e["errorDateTime"]),
    rowNumber: num(data["rowNumber"]),
    rawError: str(data["rawError"]),
    sourceServerID: str(data["sourceServerID"]),
    applicationID: str(data["applicationID"]),
    waveID: str(data["waveID"]),
    ec2LaunchTemplateID: str(data["ec2LaunchTemplateID"]),
    accountID: str(data["accountID"]),
  });
}

/**
 * The middleware shape both helpers need. Declared here rather than taken from `@smithy/types`,
 * whose installed major differs from the one the 3.523.0 client was built against.
 */
type Handler = (args: { request: unknown; input: unknown }) => Promise<{ response: unknown }>;
type Middleware = (next: Handler) => Handler;
type Stack = { add(mw: never, options: { step: string; priority: string; name: string }): void };

/** Adds `tags` to the serialized StartImport body (the 3.523.0 serializer drops them). */
function addTags(command: object, tags: Record<string, string>): void {
  const mw: Middleware = (next) => (args) => {
    const request = args.request as { body?: unknown };
    if (typeof request.body === "string") {
      request.body = JSON.stringify({ ...(JSON.parse(request.body) as Json), tags });
    }
    return next(args);
  };
  const stack = (command as { middlewareStack: Stack }).middlewareStack;
  stack.add(mw as never, { step: "build", priority: "high", name: "pamStartImportTags" });
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
 * Sends `command` (through `send`) and returns the raw JSON of a 2xx response next to the SDK's
 * output: a middleware inside the deserializer (step "deserialize", priority "low") reads the
 * body, then hands the SDK's deserializer the same bytes.
 */
async function sendRaw<O>(
  command: object,
  send: () => Promise<O>,
): Promise<{ out: O; raw: unknown }> {
  let raw: unknown;
  const mw: Middleware = (next) => async (args) => {
    const result = await next(args);
    const response = result.response as { statusCode?: number; body?: unknown };
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) {
      const bytes = await collect(response.body);
      response.body = bytes;
      try {
        raw = bytes.length === 0 ? undefined : JSON.parse(Buffer.from(bytes).toString("utf8"));
      } catch {
        // Not JSON: the SDK's deserializer reports it.
      }
    }
    return result;
  };
  const stack = (command as { middlewareStack: Stack }).middlewareStack;
  stack.add(mw as never, { step: "deserialize", priority: "low", name: "pamKeepRawJson" });
  const out = await send();
  return { out, raw };
}

const PAGE = 1000;

export function createMgnApi(settings: ProviderSettings, call: AwsCaller): MgnApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-mgn") as typeof Mgn;
  const client = new sdk.MgnClient(clientConfig(settings, "mgn"));

  /** Visits every item of a paginated list, one `call` per page (only what is kept is held). */
  async function each(
    operation: string,
    page: (nextToken: string | undefined) => Promise<{ items?: unknown[]; nextToken?: string }>,
    visit: (item: unknown) => void,
  ): Promise<void> {
    let token: string | undefined;
    do {
      const out = await call(operation, () => page(token));
      (out.items ?? []).forEach(visit);
      token = out.nextToken === "" ? undefined : out.nextToken;
    } while (token !== undefined);
  }

  /** The object items of a paginated inventory list (every filter empty). */
  async function inventory(
    operation: string,
    page: (input: { filters: object; maxResults: number; nextToken?: string }) => Promise<{
      items?: unknown[];
      nextToken?: string;
    }>,
  ): Promise<Json[]> {
    const items: Json[] = [];
    await each(
      operation,
      (nextToken) => page({ filters: {}, maxResults: PAGE, nextToken }),
      (item) => {
        if (isPlainObject(item)) items.push(item);
      },
    );
    return items;
  }

  return {
    startImport({ s3BucketSource, clientToken, tags }) {
      return call("StartImport", async () => {
        const command = new sdk.StartImportCommand({ s3BucketSource, clientToken });
        if (tags !== undefined && Object.keys(tags).length > 0) addTags(command, tags);
        try {
          const { out, raw } = await sendRaw(command, () => client.send(command));
          const task =
            toMgnImport(isPlainObject(raw) ? raw["importTask"] : undefined) ??
            toMgnImport(out.importTask);
          if (task === undefined) {
            throw Object.assign(new Error("the StartImport response has no importTask"), {
              name: "MalformedResponse",
              $metadata: out.$metadata,
            });
          }
          return { started: task };
        } catch (err) {
          if (!(err instanceof sdk.ServiceQuotaExceededException)) throw err;
          const { message, quotaValue, quotaCode } = err;
          return { quotaExceeded: defined({ message, quotaValue, quotaCode }) };
        }
      });
    },

    async listImports(ids) {
      const found = new Map<string, MgnImport>();
      if (ids.length === 0) return found;
      const page = async (nextToken: string | undefined) => {
        // A fresh command per attempt: the raw-JSON middleware is added to one command once.
        const filters = { importIDs: [...ids] };
        const command = new sdk.ListImportsCommand({ filters, maxResults: PAGE, nextToken });
        const { out, raw } = await sendRaw(command, () => client.send(command));
        const items = isPlainObject(raw) && Array.isArray(raw["items"]) ? raw["items"] : out.items;
        return { items, nextToken: out.nextToken };
      };
      await each("ListImports", page, (item) => {
        const task = toMgnImport(item);
        if (task !== undefined && ids.includes(task.importID)) found.set(task.importID, task);
      });
      return found;
    },

    async listImportErrors(importID, keep) {
      const errors: ImportErrors = { items: [], total: 0 };
      const page = (nextToken: string | undefined) =>
        client.send(new sdk.ListImportErrorsCommand({ importID, maxResults: PAGE, nextToken }));
      await each("ListImportErrors", page, (item) => {
        const e = toImportError(item);
        if (e === undefined) return;
        errors.total++;
        if (errors.items.length < keep) errors.items.push(e);
      });
      return errors;
    },

    async listInventory() {
      const [servers, applications, waves] = [
        await inventory("DescribeSourceServers", (input) =>
          client.send(new sdk.DescribeSourceServersCommand(input)),
        ),
        await inventory("ListApplications", (input) =>
          client.send(new sdk.ListApplicationsCommand(input)),
        ),
        await inventory("ListWaves", (input) => client.send(new sdk.ListWavesCommand(input))),
      ];
      const tags = (o: Json): Record<string, string> => stringMap(o["tags"]) ?? {};
      return {
        servers: servers.flatMap((s) => {
          const sourceServerID = str(s["sourceServerID"]);
          if (sourceServerID === undefined) return [];
          const userProvidedID = str(s["userProvidedID"]);
          const applicationID = str(s["applicationID"]);
          return [defined({ sourceServerID, tags: tags(s), userProvidedID, applicationID })];
        }),
        applications: applications.flatMap((a) => {
          const applicationID = str(a["applicationID"]);
          if (applicationID === undefined) return [];
          const name = str(a["name"]) ?? "";
          return [defined({ applicationID, name, tags: tags(a), waveID: str(a["waveID"]) })];
        }),
        waves: waves.flatMap((w) => {
          const waveID = str(w["waveID"]);
          return waveID === undefined
            ? []
            : [{ waveID, name: str(w["name"]) ?? "", tags: tags(w) }];
        }),
      };
    },

    async deleteSourceServer(sourceServerID) {
      await call("DeleteSourceServer", () =>
        client.send(new sdk.DeleteSourceServerCommand({ sourceServerID })),
      );
    },
    async deleteApplication(applicationID) {
      await call("DeleteApplication", () =>
        client.send(new sdk.DeleteApplicationCommand({ applicationID })),
      );
    },
    async deleteWave(waveID) {
      await call("DeleteWave", () => client.send(new sdk.DeleteWaveCommand({ waveID })));
    },
  };
}
