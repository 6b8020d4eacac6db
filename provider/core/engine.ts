/**
 * The dynamic-provider host gets the engine's address but never connects (pulumi/pulumi#6065). We
 * do: lines go out as the engine's `Log` RPC on the resource's URN, and a watchdog ends the host
 * when the engine (the CLI that started it) or the parent process is gone.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the engine protocol loads only in the host */
import { AsyncLocalStorage } from "node:async_hooks";
import { dirname } from "node:path";
import type { ProviderImplementation } from "./dynamic";
import { ImportTaskFailedError, isMigrationError } from "./errors";

export type Severity = "info" | "warning";

export interface LogEntry {
  severity: Severity;
  message: string;
  /** The resource the line is about; "" credits it to the stack. */
  urn: string;
  /** Live status: shown beside the resource and replaced by the next one, never in the summary. */
  ephemeral: boolean;
}

export interface EngineLink {
  /** Queues one `Log`; false when the engine did not take it (write the line instead). */
  log(entry: LogEntry): Promise<boolean>;
  flush(): Promise<void>;
}

/** The generated `EngineClient` (@pulumi/pulumi/proto/engine_grpc_pb), as far as this file uses it. */
export interface EngineClientLike {
  log(req: unknown, opts: { deadline: number }, done: (err: Error | null) => void): unknown;
  getChannel(): { getConnectivityState(tryToConnect: boolean): number };
}

const READY = 2; // grpc.connectivityState.READY
const SEVERITY: Record<Severity, number> = { info: 1, warning: 2 }; // pulumirpc.LogSeverity
const LOG_DEADLINE_MS = 5_000;

/**
 * Lines sent one at a time, in order (else the engine shuffles them). Once one is refused by an
 * engine never reached (an older CLI, a dummy address), every later line is refused at once.
 */
export function engineLink(
  client: EngineClientLike,
  request: (entry: LogEntry) => unknown,
): EngineLink {
  let tail: Promise<boolean> = Promise.resolve(true);
  let reached = false;
  let unreachable = false;
  const send = (entry: LogEntry): Promise<boolean> =>
    new Promise((resolve) => {
      if (unreachable) return resolve(false);
      client.log(request(entry), { deadline: Date.now() + LOG_DEADLINE_MS }, (err) => {
        if (err === null) reached = true;
        else if (!reached) unreachable = true;
        resolve(err === null);
      });
    });
  return {
    log(entry) {
      tail = tail.then(() => send(entry));
      return tail;
    },
    async flush() {
      await tail;
    },
  };
}

/**
 * Why the host should stop, or undefined: its parent changed, or the engine, once reached, was
 * not ready for `graceTicks` ticks in a row (a host with no engine, as in tests, keeps running).
 */
export function createWatchdog(
  probe: { parentPid(): number; engineReady(): boolean },
  options: { graceTicks: number },
): () => string | undefined {
  const parent = probe.parentPid();
  let reached = false;
  let misses = 0;
  return () => {
    if (probe.parentPid() !== parent) return `its parent process ${parent} is gone`;
    if (probe.engineReady()) {
      reached = true;
      misses = 0;
    } else if (reached && ++misses >= options.graceTicks) {
      return "the Pulumi engine is gone";
    }
    return undefined;
  };
}

/** The host's argv: node, .../@pulumi/pulumi/cmd/dynamic-provider[/index.js], engine address. */
export function hostEngineAddress(argv: readonly string[]): string | undefined {
  const script = argv[1] ?? "";
  const isHost = /[\\/]cmd[\\/]dynamic-provider([\\/]index(\.js)?)?$/.test(script);
  return isHost && argv[2] !== undefined && argv[2] !== "" ? argv[2] : undefined;
}

/** Ticks of the watchdog; a dead engine stops the host within about `WATCHDOG_MS * 5`. */
const WATCHDOG_MS = 1_000;

/** One link per host process: every provider in it logs through the one engine. */
let host: EngineLink | null | undefined;

/** The engine link when this process is Pulumi's dynamic-provider host; connects at first call. */
export function hostEngine(): EngineLink | undefined {
  if (host === undefined) {
    const address = hostEngineAddress(process.argv);
    host = address === undefined ? null : connectHost(address);
  }
  return host ?? undefined;
}

function connectHost(address: string): EngineLink {
  // The protocol and gRPC as @pulumi/pulumi has them: our package does not depend on grpc-js.
  const sdk = dirname(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as {
    credentials: { createInsecure(): unknown };
  };
  const services = require(`${sdk}/proto/engine_grpc_pb`) as {
    EngineClient: new (address: string, credentials: unknown) => EngineClientLike;
  };
  type LogRequest = Record<
    "setSeverity" | "setMessage" | "setUrn" | "setEphemeral",
    (v: unknown) => void
  >;
  const messages = require(`${sdk}/proto/engine_pb`) as { LogRequest: new () => LogRequest };
  const client = new services.EngineClient(address, grpc.credentials.createInsecure());
  const check = createWatchdog(
    {
      parentPid: () => process.ppid,
      engineReady: () => client.getChannel().getConnectivityState(true) === READY,
    },
    { graceTicks: 5 },
  );
  setInterval(() => {
    const reason = check();
    if (reason === undefined) return;
    // Exiting ends every wait and poll of this host at once: no further AWS calls.
    process.stderr.write(`[aws-migration] stopping the provider host: ${reason}\n`);
    process.exit(1);
  }, WATCHDOG_MS).unref();
  return engineLink(client, (entry) => {
    const req = new messages.LogRequest();
    req.setSeverity(SEVERITY[entry.severity]);
    req.setMessage(entry.message);
    req.setUrn(entry.urn);
    req.setEphemeral(entry.ephemeral);
    return req;
  });
}

/** The URN of the resource whose provider call is running (see `scopeProvider`). */
const resourceScope = new AsyncLocalStorage<string>();

export function currentUrn(): string | undefined {
  return resourceScope.getStore();
}

/** The `__urn` input the resource class computes (core/register.ts), if the props carry one. */
export function urnOf(props: Record<string, unknown> | undefined): string | undefined {
  const urn = props?.["__urn"];
  return typeof urn === "string" && urn.startsWith("urn:pulumi:") ? urn : undefined;
}

/**
 * `impl` run in each resource's scope (log lines carry the URN), `__urn` kept in the outputs, and
 * the engine's lines flushed before each answer (the CLI may end the host right after it).
 */
export function scopeProvider(
  impl: ProviderImplementation,
  link: EngineLink | undefined = hostEngine(),
): ProviderImplementation {
  const keep = <O extends Record<string, unknown>>(outs: O, urn?: string): O =>
    urn === undefined ? outs : { ...outs, __urn: urn };
  const run = async <R>(urn: string | undefined, fn: (urn?: string) => Promise<R>): Promise<R> => {
    try {
      return urn === undefined ? await fn() : await resourceScope.run(urn, () => fn(urn));
    } catch (err) {
      // A failure with an ID is recorded with its properties: they keep the URN as outputs do.
      if (urn === undefined || !isMigrationError(err, "ImportTaskFailedError")) throw err;
      const { id, properties, reasons, message, cause } = err;
      throw new ImportTaskFailedError({
        id,
        properties: keep(properties, urn),
        reasons,
        message,
        cause,
      });
    } finally {
      await link?.flush();
    }
  };
  return {
    configure: (req) => impl.configure(req),
    check: (olds, news) => run(urnOf(news) ?? urnOf(olds), () => impl.check(olds, news)),
    diff: (id, olds, news) => run(urnOf(news) ?? urnOf(olds), () => impl.diff(id, olds, news)),
    create: (inputs) =>
      run(urnOf(inputs), async (urn) => {
        const { id, outs } = await impl.create(inputs);
        return { id, outs: keep(outs, urn) };
      }),
    read: (id, props) =>
      run(urnOf(props), async (urn) => {
        const r = await impl.read(id, props);
        return r.props === undefined ? r : { ...r, props: keep(r.props, urn) };
      }),
    update: (id, olds, news) =>
      run(urnOf(news) ?? urnOf(olds), async (urn) => ({
        outs: keep((await impl.update(id, olds, news)).outs, urn),
      })),
    delete: (id, props) => run(urnOf(props), () => impl.delete(id, props)),
  };
}
