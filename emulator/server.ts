import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorClock } from "./core/clock";
import { operationContext } from "./core/context";
import { FaultInjector, RateLimiter } from "./core/faults";
import type { EmulatorRequest, EmulatorResponse } from "./core/http";
import { SeededRandom } from "./core/random";
import { S3Store } from "./core/s3store";
import type { OperationContext, RawContext, ServiceDefinition } from "./core/service";
import type { Credential } from "./core/sigv4";
import { StateStore } from "./core/state";
import { control } from "./control";
import { FrontDoor } from "./frontDoor";
import { readRequest, writeResponse } from "./nodeHttp";
import {
  checkConfigPatch,
  type EmulatorConfigPatch,
  type EmulatorOptions,
  type EmulatorStats,
  emptyCounters,
} from "./options";

export type { EmulatorConfigPatch, EmulatorOptions, EmulatorStats } from "./options";

const DEFAULT_ACCOUNT = "123456789012";

/**
 * One running emulator: its state, clock, seeded IDs, credentials, fault and rate-limit settings,
 * and the HTTP listener. Requests go to the control API (control.ts), a service's raw routes, or
 * the AWS front door (frontDoor.ts).
 */
export class EmulatorServer {
  readonly clock: EmulatorClock;
  private readonly random: SeededRandom;
  private readonly credentials = new Map<string, Credential>();
  private readonly store: StateStore;
  readonly s3: S3Store;
  private readonly limiter: RateLimiter;
  private readonly faults: FaultInjector;
  private readonly frontDoor: FrontDoor;
  private server: Server | undefined;
  private stats = emptyCounters();
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
    const requestIds = new SeededRandom(seed ^ 0x5bd1e995);
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
    this.frontDoor = new FrontDoor({
      services,
      credentials: this.credentials,
      faults: this.faults,
      limiter: this.limiter,
      requestIds,
      counters: () => this.stats,
      context: (svc, operation, credential, region, requestId) =>
        this.contextFor(svc.key, operation, credential, region, requestId),
    });
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
    this.stats = emptyCounters();
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
    service: string,
    operation: string,
    credential: Credential,
    region: string,
    requestId: string,
  ): OperationContext {
    return operationContext(
      {
        store: this.store,
        clock: this.clock,
        random: this.random,
        s3: this.s3,
        taskDurationMs: this.options.taskDurationMs,
      },
      { service, operation, credential, region, requestId, baseUrl: this.baseUrl },
    );
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
    const { request, tooLarge } = await readRequest(req, maxBody);
    const result = tooLarge ? this.frontDoor.tooLarge(request) : await this.handle(request);
    writeResponse(res, request.method, result);
    if (result !== "reset" && tooLarge) req.socket.destroySoon?.();
  }

  /** The whole front door: control API, raw routes, then the AWS services. */
  async handle(req: EmulatorRequest): Promise<EmulatorResponse | "reset"> {
    if (req.path.startsWith("/_emulator/")) {
      for (const svc of this.services) {
        for (const raw of svc.rawRoutes ?? []) {
          if (req.path.startsWith(raw.prefix)) return raw.handle(this.rawContext(), req);
        }
      }
      return control(
        {
          getStats: () => this.getStats(),
          reset: () => this.reset(),
          configure: (patch) => {
            this.configure(patch);
            return {
              timeScale: this.clock.timeScale,
              emulatedTimeMs: this.clock.now(),
              faults: this.faults.list(),
            };
          },
        },
        req,
      );
    }
    return this.frontDoor.handle(req);
  }
}
