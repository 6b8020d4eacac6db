import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorClock } from "./core/clock";
import { type EmulatorRequest, type EmulatorResponse, ServiceError } from "./core/http";
import {
  accessDenied,
  allows,
  authError,
  iamAction,
  internalError,
  type ProtocolName,
  renderError,
  requestError,
  throttlingError,
} from "./core/protocols";
import { FaultInjector, type FaultRule, type RateLimit, RateLimiter } from "./core/faults";
import { SeededRandom } from "./core/random";
import { S3Store } from "./core/s3store";
import type {
  JsonObject,
  OperationContext,
  RawContext,
  ServiceDefinition,
  StateScope,
} from "./core/service";
import { type Credential, verifySigV4 } from "./core/sigv4";
import { StateStore } from "./core/state";
import {
  chooseTaskDuration,
  type TaskDuration,
  type TaskDurationOption,
} from "./core/taskDuration";
import { xmlChildren } from "./core/xml";
import { route } from "./router";

export interface EmulatorOptions {
  /** Interface to listen on. @default "127.0.0.1" (loopback only) */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** Where state and S3 objects live. @default a fresh temporary directory, removed on stop() */
  readonly dataDir?: string;
  /** Emulated seconds per real second. @default 1 (AWS-like durations) */
  readonly timeScale?: number;
  /** Seed for IDs and random choices. @default 1 */
  readonly seed?: number;
  /**
   * Key pairs the emulator accepts, each optionally limited to the IAM actions in `allow` (others
   * get the service's authorization error). @default [{ accessKeyId: "test", secretAccessKey: "test" }]
   */
  readonly credentials?: readonly (Omit<Credential, "accountId"> & { accountId?: string })[];
  /** Account of keys that name none. @default "123456789012" */
  readonly accountId?: string;
  /** Overrides per "service:Operation" or "service:*"; false turns rate limiting off. */
  readonly rateLimits?: Readonly<Record<string, RateLimit>> | false;
  readonly faults?: readonly FaultRule[];
  /** Presets the Migration Hub home region for every account (as if CreateHomeRegionControl ran). */
  readonly homeRegion?: string;
  /** Largest request body accepted for S3 PutObject. @default 64 MiB */
  readonly maxObjectBytes?: number;
  /**
   * Overrides how long each new import task runs (benchmarks need chosen, reproducible durations):
   * called once per ADS import, MGN import, EC2 conversion task and EC2 image import as it is
   * started; returns emulated ms from the start request to the terminal status, or undefined to
   * keep the model's seeded duration. A task given a duration runs at once, not queued behind
   * earlier ADS imports; with this option set MGN's imports-in-progress cap is off; EC2 stages
   * keep their seeded proportions.
   */
  readonly taskDurationMs?: TaskDurationOption;
}

export interface EmulatorConfigPatch {
  readonly timeScale?: number;
  readonly faults?: readonly FaultRule[];
  readonly rateLimits?: Readonly<Record<string, RateLimit>> | false;
  /** Moves emulated time forward. */
  readonly advanceSeconds?: number;
  readonly homeRegion?: string;
}

export interface EmulatorStats {
  readonly totalRequests: number;
  /** "service:Operation" → requests received (after authentication). */
  readonly requests: Record<string, number>;
  /** "service:Operation:ErrorCode" → errors returned. */
  readonly errors: Record<string, number>;
  /** "service:Operation" → requests refused by the rate limiter. */
  readonly throttled: Record<string, number>;
  /** "service:Operation:kind" → faults injected. */
  readonly faults: Record<string, number>;
  /** "service:kind" → authentication failures. */
  readonly authFailures: Record<string, number>;
  readonly emulatedTimeMs: number;
  readonly timeScale: number;
}

const JSON_LIMIT = 1024 * 1024;
const DEFAULT_ACCOUNT = "123456789012";

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

export class EmulatorServer {
  readonly clock: EmulatorClock;
  private readonly random: SeededRandom;
  private readonly requestIds: SeededRandom;
  private readonly credentials = new Map<string, Credential>();
  private readonly store: StateStore;
  readonly s3: S3Store;
  private readonly limiter: RateLimiter;
  private readonly faults: FaultInjector;
  private server: Server | undefined;
  private stats = EmulatorServer.emptyStats();
  private baseUrl = "";
  private readonly ownsDataDir: boolean;
  private readonly dataDir: string;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly services: readonly ServiceDefinition[],
    private readonly options: EmulatorOptions = {},
  ) {
    this.ownsDataDir = options.dataDir === undefined;
    this.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "aws-migration-emulator-"));
    const seed = options.seed ?? 1;
    this.random = new SeededRandom(seed);
    this.requestIds = new SeededRandom(seed ^ 0x5bd1e995);
    this.faults = new FaultInjector(new SeededRandom(seed ^ 0x27d4eb2f));
    this.limiter = new RateLimiter(options.rateLimits ?? {});
    const defaultAccount = options.accountId ?? DEFAULT_ACCOUNT;
    for (const c of options.credentials ?? [{ accessKeyId: "test", secretAccessKey: "test" }]) {
      if (
        c.allow !== undefined &&
        (!Array.isArray(c.allow) || !c.allow.every((a) => typeof a === "string"))
      ) {
        throw new TypeError(
          `credentials["${c.accessKeyId}"].allow must be a list of IAM actions like "ec2:Describe*"`,
        );
      }
      this.credentials.set(c.accessKeyId, { ...c, accountId: c.accountId ?? defaultAccount });
    }
    // The snapshot runs only when state is flushed, after this.clock is set below.
    this.store = new StateStore(this.dataDir, () => ({
      savedEmulatedMs: this.clock.now(),
      timeScale: this.clock.timeScale,
      randomState: this.random.seedState,
    }));
    const saved = this.store.load();
    const timeScale = options.timeScale ?? saved?.timeScale ?? 1;
    // Emulated time kept running while the emulator was down, as AWS keeps working without us.
    const resumeAt = saved
      ? saved.savedEmulatedMs + (Date.now() - saved.savedRealMs) * timeScale
      : undefined;
    this.clock = new EmulatorClock(timeScale, Date.now, resumeAt);
    if (saved) this.random.seedState = saved.randomState;
    this.s3 = new S3Store(join(this.dataDir, "s3"));
    if (options.faults) this.faults.set(options.faults, Date.now());
    if (options.homeRegion) this.presetHomeRegion(options.homeRegion);
  }

  static emptyStats(): { totalRequests: number } & Omit<
    EmulatorStats,
    "totalRequests" | "emulatedTimeMs" | "timeScale"
  > {
    return {
      totalRequests: 0,
      requests: {},
      errors: {},
      throttled: {},
      faults: {},
      authFailures: {},
    };
  }

  get url(): string {
    return this.baseUrl;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        // Never crash on a request: anything unexpected is a 500 in the protocol's shape.
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ message: `emulator bug: ${String(err)}` }));
        } else res.destroy();
      });
    });
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    server.headersTimeout = 30_000;
    server.requestTimeout = 60_000;
    server.keepAliveTimeout = 5_000;
    this.server = server;
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const addr = server.address() as AddressInfo;
    const shownHost = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
    this.baseUrl = `http://${shownHost}:${addr.port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    this.store.flush();
    const server = this.server;
    this.server = undefined;
    if (server) {
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  getStats(): EmulatorStats {
    return {
      ...structuredClone(this.stats),
      emulatedTimeMs: this.clock.now(),
      timeScale: this.clock.timeScale,
    };
  }

  reset(): void {
    this.store.clear();
    this.s3.clear();
    this.stats = EmulatorServer.emptyStats();
    this.limiter.reset();
    if (this.options.homeRegion) this.presetHomeRegion(this.options.homeRegion);
  }

  configure(patch: EmulatorConfigPatch): void {
    // Validate everything before applying anything, so a bad patch changes nothing.
    checkConfigPatch(patch);
    if (patch.timeScale !== undefined) this.clock.setTimeScale(patch.timeScale);
    if (patch.advanceSeconds !== undefined) this.clock.advance(patch.advanceSeconds * 1000);
    if (patch.faults !== undefined) this.faults.set(patch.faults, Date.now());
    if (patch.rateLimits !== undefined) this.limiter.configure(patch.rateLimits);
    if (patch.homeRegion !== undefined) this.presetHomeRegion(patch.homeRegion);
    this.store.markDirty();
  }

  private presetHomeRegion(region: string): void {
    for (const cred of this.credentials.values()) {
      const state = this.store.get(`account:${cred.accountId}`, "homeRegion", () => ({
        controls: [] as unknown[],
      })) as {
        homeRegion?: string;
      };
      state.homeRegion = region;
    }
    this.store.markDirty();
  }

  private contextFor(
    serviceKey: string,
    operation: string,
    credential: Credential,
    region: string,
    requestId: string,
  ): OperationContext {
    const store = this.store;
    const option = this.options.taskDurationMs;
    const taskDuration = (id: string, seededMs: number): TaskDuration =>
      chooseTaskDuration(
        option,
        { service: serviceKey, id, startedMs: this.clock.now() },
        seededMs,
      );
    return {
      service: serviceKey,
      operation,
      region,
      accountId: credential.accountId,
      credential,
      requestId,
      baseUrl: this.baseUrl,
      clock: this.clock,
      random: this.random,
      s3: this.s3,
      realNow: () => Date.now(),
      state<T>(key: string, init: () => T, scope: StateScope = "region"): T {
        const scopeKey =
          scope === "global"
            ? "global"
            : scope === "account"
              ? `account:${credential.accountId}`
              : `region:${credential.accountId}:${region}`;
        const fullKey = scope === "region" ? `${serviceKey}:${key}` : key;
        return store.get(scopeKey, fullKey, init);
      },
      markDirty: () => store.markDirty(),
      taskDuration,
      durationsChosen: option !== undefined,
      ...(option === undefined
        ? {}
        : {
            taskDurationMs: (task: { readonly id: string }) => {
              const d = taskDuration(task.id, 0);
              return d.chosen ? d.ms : undefined;
            },
          }),
    };
  }

  private rawContext(): RawContext {
    return {
      clock: this.clock,
      credentials: this.credentials,
      baseUrl: this.baseUrl,
      realNow: () => Date.now(),
      stateFor: <T>(
        accountId: string,
        region: string,
        service: string,
        key: string,
        init: () => T,
      ): T => this.store.get(`region:${accountId}:${region}`, `${service}:${key}`, init),
    };
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const maxBody = this.options.maxObjectBytes ?? 64 * 1024 * 1024;
    const declared = Number(req.headers["content-length"] ?? "0");
    // Split by hand: `new URL("//x", base)` reads "//x" as a host and throws on "//".
    const target = req.url ?? "/";
    const q = target.indexOf("?");
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? "" : target.slice(q + 1).replace(/#.*$/, "");
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(",") : v;
    }
    const tooLarge = declared > maxBody;
    const body = tooLarge ? Buffer.alloc(0) : await readBody(req, maxBody);
    const emReq: EmulatorRequest = {
      method: (req.method ?? "GET").toUpperCase(),
      rawPath,
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers,
      body: body ?? Buffer.alloc(0),
    };
    const result = tooLarge || body === undefined ? this.tooLarge(emReq) : await this.handle(emReq);
    if (result === "reset") {
      if (res.socket) res.socket.resetAndDestroy();
      else res.destroy();
      return;
    }
    const payload = typeof result.body === "string" ? Buffer.from(result.body) : result.body;
    res.writeHead(result.status, { "content-length": String(payload.length), ...result.headers });
    res.end(emReq.method === "HEAD" ? undefined : payload);
    if (tooLarge || body === undefined) req.socket.destroySoon?.();
  }

  private tooLarge(req: EmulatorRequest): EmulatorResponse {
    const r = route(req, this.services);
    const protocol: ProtocolName = "unknown" in r ? r.protocol : r.service.protocol;
    return renderError(
      protocol,
      requestError(protocol, "tooLarge", "Request body is too large"),
      this.requestIds.uuid(),
    );
  }

  /** The whole front door: control API, raw routes, routing, auth, faults, limits, dispatch. */
  async handle(req: EmulatorRequest): Promise<EmulatorResponse | "reset"> {
    if (req.path.startsWith("/_emulator/")) {
      for (const svc of this.services) {
        for (const raw of svc.rawRoutes ?? []) {
          if (req.path.startsWith(raw.prefix)) return raw.handle(this.rawContext(), req);
        }
      }
      return this.control(req);
    }
    const requestId = this.requestIds.uuid();
    const r = route(req, this.services);
    if ("unknown" in r) {
      return renderError(
        r.protocol,
        requestError(r.protocol, "unknownOperation", r.detail),
        requestId,
      );
    }
    const svc = r.service;
    const messageKey = svc.protocol === "awsJson1_1" ? svc.messageKey : "message";
    const fail = (err: ServiceError, op: string): EmulatorResponse => {
      bump(this.stats.errors, `${svc.key}:${op}:${err.code}`);
      return renderError(svc.protocol, err, requestId, messageKey);
    };

    const auth = verifySigV4(req, { credentials: this.credentials, now: Date.now() });
    if (!auth.ok) {
      bump(this.stats.authFailures, `${svc.key}:${auth.kind}`);
      return renderError(
        svc.protocol,
        authError(svc.protocol, auth.kind, auth.detail),
        requestId,
        messageKey,
      );
    }
    if (!svc.signingNames.includes(auth.service)) {
      bump(this.stats.authFailures, `${svc.key}:badScope`);
      const err = authError(svc.protocol, "badSignature", "");
      return renderError(
        svc.protocol,
        new ServiceError(
          err.code,
          `Credential should be scoped to correct service: '${svc.signingNames[0] ?? ""}'. `,
          err.status,
        ),
        requestId,
        messageKey,
      );
    }
    // The front end limits request size before it looks at the operation.
    if (svc.protocol !== "s3" && req.body.length > JSON_LIMIT) {
      return renderError(
        svc.protocol,
        requestError(svc.protocol, "tooLarge", "Request body is too large"),
        requestId,
        messageKey,
      );
    }
    const op = r.operation;
    if (op === undefined) {
      const err =
        r.rejection ??
        requestError(
          svc.protocol,
          "unknownOperation",
          "The requested operation is not recognized by this service.",
        );
      return renderError(svc.protocol, err, requestId, messageKey);
    }
    this.stats.totalRequests++;
    bump(this.stats.requests, `${svc.key}:${op}`);

    const decision = this.faults.decide(svc.key, op, Date.now());
    if (decision.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.fail) {
      bump(this.stats.faults, `${svc.key}:${op}:${decision.fail}`);
      if (decision.fail === "reset") return "reset";
      return fail(
        decision.fail === "throttle" ? throttlingError(svc.key) : internalError(svc.key),
        op,
      );
    }
    if (!this.limiter.allow(auth.credential.accountId, svc.key, op, Date.now())) {
      bump(this.stats.throttled, `${svc.key}:${op}`);
      return fail(throttlingError(svc.key), op);
    }

    const ctx = this.contextFor(svc.key, op, auth.credential, auth.region, requestId);
    try {
      switch (svc.protocol) {
        case "awsJson1_1": {
          const ct = req.headers["content-type"] ?? "";
          if (
            !ct.startsWith("application/x-amz-json-1.1") &&
            !ct.startsWith("application/x-amz-json-1.0")
          ) {
            return fail(
              requestError(
                svc.protocol,
                "contentType",
                `Unsupported content type: ${ct || "(none)"}`,
              ),
              op,
            );
          }
          const input = parseJsonObject(req.body);
          if (!input)
            return fail(
              requestError(
                svc.protocol,
                "malformed",
                "Start of structure or map found where not expected.",
              ),
              op,
            );
          const denied = this.authorize(svc.key, op, auth.credential, input["DryRun"] === true);
          if (denied) return fail(denied, op);
          const out = await svc.operations[op]!.handler(ctx, input);
          return {
            status: 200,
            headers: {
              "content-type": "application/x-amz-json-1.1",
              "x-amzn-requestid": requestId,
            },
            body: JSON.stringify(out),
          };
        }
        case "restJson1": {
          const input = parseJsonObject(req.body);
          if (!input)
            return fail(
              requestError(svc.protocol, "malformed", "Could not parse the request body as JSON."),
              op,
            );
          const denied = this.authorize(svc.key, op, auth.credential, false);
          if (denied) return fail(denied, op);
          const operation = svc.operations[op]!;
          const out = await operation.handler(ctx, input);
          const status = operation.successStatus ?? 200;
          return status === 204
            ? { status, headers: { "x-amzn-requestid": requestId }, body: "" }
            : {
                status,
                headers: { "content-type": "application/json", "x-amzn-requestid": requestId },
                body: JSON.stringify(out),
              };
        }
        case "ec2Query": {
          const params = r.ec2Params ?? new Map<string, string>();
          const denied = this.authorize(
            svc.key,
            op,
            auth.credential,
            params.get("DryRun") === "true",
          );
          if (denied) return fail(denied, op);
          if (params.get("DryRun") === "true") {
            return fail(
              new ServiceError(
                "DryRunOperation",
                "Request would have succeeded, but DryRun flag is set.",
                412,
              ),
              op,
            );
          }
          const out = await svc.operations[op]!.handler(ctx, params);
          const xmlns = `xmlns="http://ec2.amazonaws.com/doc/${svc.version}/"`;
          return {
            status: 200,
            headers: { "content-type": "text/xml;charset=UTF-8" },
            body: `<?xml version="1.0" encoding="UTF-8"?>\n<${op}Response ${xmlns}><requestId>${requestId}</requestId>${xmlChildren(out)}</${op}Response>`,
          };
        }
        case "s3": {
          const denied = this.authorize(svc.key, op, auth.credential, false);
          if (denied) return fail(denied, op);
          return await svc.handle(ctx, req, r.bucketFromHost);
        }
      }
    } catch (err) {
      if (err instanceof ServiceError) return fail(err, op);
      // A bug of ours: the service's own 5xx in its own shape (clients retry it), saying what broke.
      const base = internalError(svc.key);
      return fail(
        new ServiceError(
          base.code,
          `emulator bug: ${err instanceof Error ? err.message : String(err)}`,
          base.status,
        ),
        op,
      );
    }
  }

  /** The caller's allow list, as IAM would apply it after authentication. */
  private authorize(
    service: string,
    operation: string,
    credential: Credential,
    dryRun: boolean,
  ): ServiceError | undefined {
    const action = iamAction(service, operation);
    if (allows(credential.allow, action)) return undefined;
    return accessDenied(
      service,
      action,
      `arn:aws:iam::${credential.accountId}:user/${credential.accessKeyId}`,
      dryRun,
    );
  }

  private control(req: EmulatorRequest): EmulatorResponse {
    const json = (status: number, body: unknown): EmulatorResponse => ({
      status,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (req.method === "GET" && req.path === "/_emulator/stats") return json(200, this.getStats());
    if (req.method === "GET" && req.path === "/_emulator/health") return json(200, { ok: true });
    if (req.method === "POST" && req.path === "/_emulator/reset") {
      this.reset();
      return json(200, { reset: true });
    }
    if (req.method === "POST" && req.path === "/_emulator/config") {
      const patch = parseJsonObject(req.body);
      if (!patch) return json(400, { message: "body must be a JSON object" });
      try {
        this.configure(patch);
      } catch (err) {
        return json(400, { message: err instanceof Error ? err.message : String(err) });
      }
      return json(200, {
        timeScale: this.clock.timeScale,
        emulatedTimeMs: this.clock.now(),
        faults: this.faults.list(),
      });
    }
    return json(404, { message: `no control route ${req.method} ${req.path}` });
  }
}

const FAULT_KINDS: readonly string[] = ["throttle", "5xx", "latency", "reset"];
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** Rejects a patch of the wrong shape (it may come from JSON over the control API). */
function checkConfigPatch(patch: EmulatorConfigPatch): void {
  const p = patch as Readonly<Record<string, unknown>>;
  const known = ["timeScale", "faults", "rateLimits", "advanceSeconds", "homeRegion"];
  const extra = Object.keys(p).filter((k) => !known.includes(k));
  if (extra.length)
    throw new TypeError(`unknown config field ${extra.join(", ")}: expected ${known.join(", ")}`);
  for (const k of ["timeScale", "advanceSeconds"]) {
    if (p[k] !== undefined && typeof p[k] !== "number")
      throw new TypeError(`${k} must be a number`);
  }
  if (
    p["homeRegion"] !== undefined &&
    (typeof p["homeRegion"] !== "string" || !REGION.test(p["homeRegion"]))
  ) {
    throw new TypeError(`homeRegion must be a region name like "us-west-2"`);
  }
  const faults = p["faults"];
  if (faults !== undefined) {
    if (!Array.isArray(faults)) throw new TypeError("faults must be a list of fault rules");
    for (const [i, rule] of (faults as unknown[]).entries()) {
      const r = (rule ?? {}) as Record<string, unknown>;
      if (typeof rule !== "object" || rule === null || !FAULT_KINDS.includes(String(r["kind"]))) {
        throw new TypeError(`faults[${i}].kind must be one of ${FAULT_KINDS.join(", ")}`);
      }
      if (typeof r["probability"] !== "number")
        throw new TypeError(`faults[${i}].probability must be a number between 0 and 1`);
    }
  }
  const limits = p["rateLimits"];
  if (limits !== undefined && limits !== false) {
    if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
      throw new TypeError(
        'rateLimits must be false or an object of "service:Operation" → { ratePerSecond, burst }',
      );
    }
    for (const [key, limit] of Object.entries(limits as Record<string, unknown>)) {
      const l = (limit ?? {}) as Record<string, unknown>;
      const rate = l["ratePerSecond"];
      const burst = l["burst"];
      if (typeof rate !== "number" || !(rate >= 0) || typeof burst !== "number" || !(burst >= 1)) {
        throw new TypeError(
          `rateLimits["${key}"] must be { ratePerSecond: a number >= 0, burst: a number >= 1 }`,
        );
      }
    }
  }
}

function parseJsonObject(body: Buffer): JsonObject | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a body up to `limit` bytes; undefined when it is larger (memory stays bounded). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", () => resolve(undefined));
  });
}
