/**
 * The per-call record of every task start, taken on the wire. The emulator counts requests per
 * operation (`stats().requests`) but keeps no record of each call's idempotency identity or of the
 * task it answered with, so the scenarios point their providers at a recording proxy in front of
 * it. The proxy forwards every request byte for byte (the SigV4 signature covers the Host header,
 * which it passes through) and records each start call — ADS StartImportTask, MGN StartImport, EC2
 * ImportImage and ImportInstance, Migration Hub ImportMigrationTask and CreateProgressUpdateStream —
 * with the resource it names, its identity (token, marker or name), what the emulator answered and
 * the task ID in the answer; and each DeleteProgressUpdateStream, which ends the Migration Hub tasks
 * of a stream. `tally` turns those records into lost and duplicated tasks per declared resource;
 * `unseen` checks them against the emulator's own counters.
 *
 * Hooks let a scenario act at a precise point of a start call: before the emulator sees it, or
 * after the emulator answered and before the caller hears the answer (scenario 3 kills the
 * provider host there).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Kind } from "./support";

/** The start call of each kind. */
export const START_OPS: Readonly<Record<Kind, string>> = {
  ads: "ads:StartImportTask",
  mgn: "mgn:StartImport",
  image: "ec2:ImportImage",
  instance: "ec2:ImportInstance",
  task: "migrationhub:ImportMigrationTask",
  stream: "migrationhub:CreateProgressUpdateStream",
};
const KIND_OF = new Map(Object.entries(START_OPS).map(([k, op]) => [op, k as Kind]));
const DELETE_STREAM = "migrationhub:DeleteProgressUpdateStream";

export interface WireCall {
  /** Order of arrival at the proxy. */
  readonly seq: number;
  /** "service:Operation". */
  readonly op: string;
  /** The kind the call starts (undefined for DeleteProgressUpdateStream). */
  readonly kind: Kind | undefined;
  /**
   * The resource the call belongs to, by the names the scenarios give (support.inputsOf): the ADS
   * `name`, the MGN object key without ".csv", the EC2 Description (ImportInstance: before its
   * marker), the Migration Hub task or stream name.
   */
  readonly resource: string;
  /** The idempotency identity sent: ADS/MGN/EC2 image token, ImportInstance marker, Hub names. */
  readonly identity: string;
  /** The emulator's HTTP status; "reset" if the connection broke first; "dropped" if never sent. */
  outcome: number | "reset" | "dropped" | "pending";
  /** The task the answer names (ADS/MGN/EC2); Migration Hub answers carry no ID. */
  taskId?: string;
}

export interface Hooks {
  /** Before a start call reaches the emulator; "drop" never forwards it. */
  beforeStart?(call: WireCall, clientGone: () => Promise<void>): Promise<"forward" | "drop">;
  /**
   * After the emulator answered a start call, before the answer is relayed to the caller; "reset"
   * breaks the caller's connection instead (an answer lost on the way back).
   */
  afterStart?(call: WireCall, clientGone: () => Promise<void>): Promise<"relay" | "reset" | void>;
}

/** The resource, identity and kind a request names, when it is a call the ledger records. */
export function parseCall(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Omit<WireCall, "seq" | "outcome" | "taskId"> | undefined {
  const target = String(headers["x-amz-target"] ?? "");
  const json = (): Record<string, unknown> => {
    try {
      const v: unknown = JSON.parse(body.toString("utf8"));
      return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  };
  const str = (v: unknown): string => (typeof v === "string" ? v : "");
  let op: string | undefined;
  if (target.startsWith("AWSPoseidonService_V2015_11_01.")) op = `ads:${target.split(".")[1]}`;
  else if (target.startsWith("AWSMigrationHub.")) op = `migrationhub:${target.split(".")[1]}`;
  else if (method === "POST" && path.split("?")[0] === "/StartImport") op = "mgn:StartImport";
  else if (String(headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
    op = `ec2:${new URLSearchParams(body.toString("utf8")).get("Action") ?? ""}`;
  }
  if (op === undefined || (!KIND_OF.has(op) && op !== DELETE_STREAM)) return undefined;
  const kind = KIND_OF.get(op);
  switch (op) {
    case "ads:StartImportTask": {
      const b = json();
      return { op, kind, resource: str(b["name"]), identity: str(b["clientRequestToken"]) };
    }
    case "mgn:StartImport": {
      const b = json();
      const source = (b["s3BucketSource"] ?? {}) as Record<string, unknown>;
      return {
        op,
        kind,
        resource: str(source["s3Key"]).replace(/\.csv$/, ""),
        identity: str(b["clientToken"]),
      };
    }
    case "ec2:ImportImage":
    case "ec2:ImportInstance": {
      const p = new URLSearchParams(body.toString("utf8"));
      const description = p.get("Description") ?? "";
      if (op === "ec2:ImportImage")
        return { op, kind, resource: description, identity: p.get("ClientToken") ?? "" };
      const m = /^(.*?) ?\[([^\]]*)\]$/.exec(description);
      return { op, kind, resource: m?.[1] ?? description, identity: m?.[2] ?? "" };
    }
    case "migrationhub:ImportMigrationTask": {
      const b = json();
      const name = str(b["MigrationTaskName"]);
      return { op, kind, resource: name, identity: `${str(b["ProgressUpdateStream"])}/${name}` };
    }
    default: {
      // CreateProgressUpdateStream, DeleteProgressUpdateStream: the stream name is the identity.
      const name = str(json()["ProgressUpdateStreamName"]);
      return { op, kind, resource: name, identity: name };
    }
  }
}

/** The task ID in the emulator's answer to a successful start call. */
export function taskIdOf(op: string, body: string): string | undefined {
  const fromJson = (path: [string, string]): string | undefined => {
    try {
      const v = (JSON.parse(body) as Record<string, Record<string, unknown> | undefined>)[
        path[0]
      ]?.[path[1]];
      return typeof v === "string" ? v : undefined;
    } catch {
      return undefined;
    }
  };
  switch (op) {
    case "ads:StartImportTask":
      return fromJson(["task", "importTaskId"]);
    case "mgn:StartImport":
      return fromJson(["importTask", "importID"]);
    case "ec2:ImportImage":
      return /<importTaskId>([^<]+)<\/importTaskId>/.exec(body)?.[1];
    case "ec2:ImportInstance":
      return /<conversionTaskId>([^<]+)<\/conversionTaskId>/.exec(body)?.[1];
    default:
      return undefined;
  }
}

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"];

function readAll(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Resolves when the caller's connection is closed (listening only once asked: keep-alive). */
function gone(socket: Socket): () => Promise<void> {
  let closed: Promise<void> | undefined;
  return () =>
    (closed ??= socket.destroyed
      ? Promise.resolve()
      : new Promise<void>((resolve) => socket.once("close", () => resolve())));
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A recording HTTP proxy in front of one emulator URL. */
export class RecordingProxy {
  readonly calls: WireCall[] = [];
  hooks: Hooks = {};
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inFlight = new Set<Promise<void>>();
  private port = 0;

  private constructor(private readonly upstream: URL) {}

  static async start(upstreamUrl: string): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(new URL(upstreamUrl));
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The recorded start calls (DeleteProgressUpdateStream left out). */
  starts(): WireCall[] {
    return this.calls.filter((c) => c.kind !== undefined);
  }

  /** Listens (again) on the same port: a restarted endpoint at the same address. */
  async listen(): Promise<void> {
    const server = createServer((req, res) => {
      const p = this.onRequest(req, res).catch(() => {
        req.socket.destroy();
      });
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    });
    // Idle keep-alive connections stay open (Node closes them after 5 s by default): a caller
    // reusing one just as it closes would see a broken answer the emulator never caused.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every client connection (calls already forwarded still record). */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Resolves once every request the proxy took has been answered, relayed or dropped. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const method = (req.method ?? "GET").toUpperCase();
    const parsed = parseCall(method, req.url ?? "/", req.headers, body);
    const call: WireCall | undefined = parsed && {
      ...parsed,
      seq: this.calls.length,
      outcome: "pending",
    };
    if (call) this.calls.push(call);
    const clientGone = gone(req.socket);
    const isStart = call?.kind !== undefined;
    if (call && isStart && this.hooks.beforeStart) {
      if ((await this.hooks.beforeStart(call, clientGone)) === "drop") {
        call.outcome = "dropped";
        req.socket.destroy();
        return;
      }
    }
    const answer = await this.forward(method, req, body);
    if (call) {
      call.outcome = answer === "reset" ? "reset" : answer.status;
      if (answer !== "reset" && succeeded(answer.status)) {
        const id = taskIdOf(call.op, answer.body.toString("utf8"));
        if (id !== undefined) call.taskId = id;
      }
    }
    const after =
      call && isStart && this.hooks.afterStart
        ? await this.hooks.afterStart(call, clientGone)
        : undefined;
    if (req.socket.destroyed || res.destroyed) return;
    if (answer === "reset" || after === "reset") {
      req.socket.resetAndDestroy();
      return;
    }
    const headers = { ...answer.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    if (method !== "HEAD") headers["content-length"] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(method === "HEAD" ? undefined : answer.body);
  }

  private forward(method: string, req: IncomingMessage, body: Buffer): Promise<Answer | "reset"> {
    const headers = { ...req.headers };
    for (const h of HOP_BY_HOP) delete headers[h];
    if (body.length > 0 || req.headers["content-length"] !== undefined)
      headers["content-length"] = String(body.length);
    return new Promise((resolve) => {
      const up = request(
        {
          host: this.upstream.hostname,
          port: this.upstream.port,
          method,
          path: req.url ?? "/",
          headers,
          // One connection per call: a connection reset (the emulator's "reset" fault, its restart)
          // then belongs to exactly one call.
          agent: false,
        },
        (r) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () =>
            resolve({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }),
          );
          r.on("error", () => resolve("reset"));
        },
      );
      up.on("error", () => resolve("reset"));
      up.end(body);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// From records to lost and duplicated tasks.

export interface Declared {
  readonly kind: Kind;
  readonly name: string;
  /** Tasks the resource should own: 1, or 0 when its create must fail. @default 1 */
  readonly expect?: 0 | 1;
  /** The ID the provider settled on (create's ID, an init failure's ID), when the scenario has it. */
  readonly id?: string;
}

/** A task the emulator's own list APIs hold, by the resource it names. */
export interface Listed {
  readonly kind: Kind;
  readonly resource: string;
  readonly id: string;
}

export interface Tally {
  lost: number;
  duplicated: number;
  /** Start calls of the declared resources that the emulator answered with success. */
  accepted: number;
  /** Of those, repeats AWS treats as idempotent (the same task answered or re-registered). */
  repeats: number;
  problems: string[];
}

const HUB: readonly Kind[] = ["task", "stream"];

/** A 2xx answer (MGN's StartImport answers 202). */
export function succeeded(outcome: WireCall["outcome"]): boolean {
  return typeof outcome === "number" && outcome >= 200 && outcome < 300;
}

/**
 * The distinct tasks the start calls of one resource started, in order, and how many successful
 * calls only repeated one.
 *
 * ADS, MGN and EC2 answer every start with a task ID, and a repeated token (marker) answers with
 * the task it started before: distinct IDs are distinct tasks.
 *
 * Migration Hub keys tasks and streams by name and answers with no ID. A repeated
 * ImportMigrationTask (CreateProgressUpdateStream) for a name that exists is idempotent: AWS keeps
 * the one task (stream) and changes nothing, so it counts as a repeat, not a task. Only after a
 * successful DeleteProgressUpdateStream of its stream — which removes the stream with every task in
 * it — does the next successful call register a new task under the same name: that one is a real
 * second task of the resource. So a Hub resource's tasks are its registration epochs, named
 * `identity#n`.
 */
export function startedTasks(
  calls: readonly WireCall[],
  kind: Kind,
  name: string,
): { tasks: string[]; accepted: number; repeats: number; unnamed: number } {
  const own = calls.filter((c) => c.kind === kind && c.resource === name);
  const ok = own.filter((c) => succeeded(c.outcome));
  if (!HUB.includes(kind)) {
    const tasks = [...new Set(ok.flatMap((c) => (c.taskId === undefined ? [] : [c.taskId])))];
    const unnamed = ok.filter((c) => c.taskId === undefined).length;
    return { tasks, accepted: ok.length, repeats: ok.length - unnamed - tasks.length, unnamed };
  }
  const stream = (c: WireCall): string =>
    kind === "stream" ? c.identity : c.identity.slice(0, c.identity.lastIndexOf("/"));
  const streamOf = own[0] === undefined ? undefined : stream(own[0]);
  const events = calls.filter(
    (c) =>
      (c.kind === kind && c.resource === name && succeeded(c.outcome)) ||
      (c.op === DELETE_STREAM && succeeded(c.outcome) && c.resource === streamOf),
  );
  const tasks: string[] = [];
  let live = false;
  let repeats = 0;
  for (const c of events) {
    if (c.op === DELETE_STREAM) live = false;
    else if (live) repeats++;
    else {
      live = true;
      tasks.push(`${c.identity}#${tasks.length + 1}`);
    }
  }
  return { tasks, accepted: ok.length, repeats, unnamed: 0 };
}

/**
 * Lost and duplicated tasks of the declared resources, from the start-call records and, when
 * given, the emulator's own lists. A resource expecting a task is lost when no start call recorded
 * one, when the ID the provider settled on is not one a start call returned, or when the emulator
 * no longer lists any task it started. Every task beyond the expected count is duplicated —
 * including a listed task no recorded call started.
 */
export function tally(
  calls: readonly WireCall[],
  declared: readonly Declared[],
  listed?: readonly Listed[],
): Tally {
  const out: Tally = { lost: 0, duplicated: 0, accepted: 0, repeats: 0, problems: [] };
  for (const r of declared) {
    const label = `${r.kind} ${r.name}`;
    const { tasks, accepted, repeats, unnamed } = startedTasks(calls, r.kind, r.name);
    out.accepted += accepted;
    out.repeats += repeats;
    if (unnamed > 0) out.problems.push(`${label}: ${unnamed} accepted start(s) named no task`);
    const hub = HUB.includes(r.kind);
    const ids = listed?.filter((l) => l.kind === r.kind && l.resource === r.name).map((l) => l.id);
    const unrecorded = hub || ids === undefined ? [] : ids.filter((id) => !tasks.includes(id));
    const expect = r.expect ?? 1;
    const count = tasks.length + unnamed + unrecorded.length;
    if (count > expect) {
      out.duplicated += count - expect;
      // Each task with the identity that started it: a second token or marker names the cause.
      const via = (id: string): string => {
        const c = calls.find((x) => x.kind === r.kind && x.resource === r.name && x.taskId === id);
        return c === undefined ? id : `${id} via ${c.identity}`;
      };
      out.problems.push(
        `${label}: ${count} tasks (${[...tasks.map(via), ...unrecorded.map((id) => `${id} (no start call)`)].join(", ")}), expected ${expect}`,
      );
    }
    if (expect === 1) {
      const identity = (id: string): string => id.replace(/#\d+$/, "");
      const settled = r.id === undefined || tasks.map(hub ? identity : (id) => id).includes(r.id);
      const found =
        ids === undefined || (hub ? ids.length > 0 : tasks.some((id) => ids.includes(id)));
      const why =
        tasks.length === 0
          ? "no start call recorded a task"
          : !settled
            ? `settled on ${r.id}, which no start call returned`
            : !found
              ? "the emulator no longer lists its task"
              : undefined;
      if (why !== undefined) {
        out.lost++;
        out.problems.push(`${label}: lost (${why})`);
      }
    }
  }
  return out;
}

/**
 * Start operations whose count in the emulator's own counters (`stats().requests`, taken over the
 * same span) the records do not explain: the emulator must have counted at least every call it
 * answered and at most every call the proxy forwarded. Empty when the proxy saw every start.
 */
export function unseen(
  calls: readonly WireCall[],
  counted: Readonly<Record<string, number>>,
): string[] {
  return Object.values(START_OPS).flatMap((op) => {
    const own = calls.filter((c) => c.op === op);
    const answered = own.filter((c) => typeof c.outcome === "number").length;
    const forwarded = own.filter((c) => c.outcome !== "dropped").length;
    const n = counted[op] ?? 0;
    return answered <= n && n <= forwarded
      ? []
      : [`${op}: emulator counted ${n}, proxy forwarded ${forwarded}, answered ${answered}`];
  });
}

/** `after − before` per key. */
export function delta(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) out[k] = v - (before[k] ?? 0);
  return out;
}
