/**
 * Drives @pulumi/pulumi's real dynamic-provider host over gRPC, making the same calls the engine
 * makes (configure, check with unknowns as in preview, diff, create, read, update, delete). The
 * host loads the serialized `__provider` text exactly as it would in a deployment.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";

/* eslint-disable @typescript-eslint/no-require-imports */
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const providerPb = require("@pulumi/pulumi/proto/provider_pb");
const structPb = require("google-protobuf/google/protobuf/struct_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

/** What the engine sends for values not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Props = Record<string, unknown>;

export interface InitFailure {
  readonly message: string;
  readonly id: string;
  readonly properties: Props;
  readonly reasons: string[];
}

export class HostCallError extends Error {
  constructor(
    message: string,
    readonly initFailure: InitFailure | undefined,
  ) {
    super(message);
  }
}

const struct = (obj: Props): unknown => structPb.Struct.fromJavaScript(obj);

export class DynamicHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: grpc.Client & Record<string, (...args: unknown[]) => unknown>,
    readonly output: string[],
  ) {}

  /**
   * Starts the host in `cwd` (its node_modules must resolve the package) with `env`. The host is the
   * @pulumi/pulumi that `cwd` resolves, as the engine runs the program's own copy.
   */
  static async start(cwd: string, env: NodeJS.ProcessEnv): Promise<DynamicHost> {
    const pulumiPkg = require.resolve("@pulumi/pulumi/package.json", { paths: [cwd] });
    const entry = join(pulumiPkg, "..", "cmd", "dynamic-provider", "index.js");
    const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        const m = /^(\d+)\n/.exec(buf);
        if (m) resolve(Number(m[1]));
        else output.push(d.toString());
      });
      child.stderr.on("data", (d: Buffer) => output.push(d.toString()));
      child.on("exit", (code) =>
        reject(new Error(`dynamic provider host exited with ${code}: ${output.join("")}`)),
      );
    });
    child.stdout.on("data", (d: Buffer) => output.push(d.toString()));
    const client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new DynamicHost(child, client, output);
  }

  stop(): void {
    this.client.close();
    this.child.kill("SIGKILL");
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.client[method]!(
        request,
        { deadline: Date.now() + 120_000 },
        (err: grpc.ServiceError | null, resp: T) => {
          if (!err) return resolve(resp);
          reject(new HostCallError(err.details || err.message, initFailureOf(err)));
        },
      );
    });
  }

  async configure(config: Record<string, string>): Promise<void> {
    const req = new providerPb.ConfigureRequest();
    req.setArgs(struct(config));
    await this.call("configure", req);
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new providerPb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp = await this.call<{
      getInputs(): { toJavaScript(): Props };
      getFailuresList(): { getProperty(): string; getReason(): string }[];
    }>("check", req);
    return {
      inputs: resp.getInputs().toJavaScript(),
      failures: resp
        .getFailuresList()
        .map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(
    id: string,
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{
    changes: "SOME" | "NONE" | "UNKNOWN";
    replaces: string[];
    deleteBeforeReplace: boolean;
  }> {
    const req = new providerPb.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp = await this.call<{
      getChanges(): number;
      getReplacesList(): string[];
      getDeletebeforereplace(): boolean;
    }>("diff", req);
    const changes = resp.getChanges();
    const D = providerPb.DiffResponse.DiffChanges;
    return {
      changes: changes === D.DIFF_SOME ? "SOME" : changes === D.DIFF_NONE ? "NONE" : "UNKNOWN",
      replaces: resp.getReplacesList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
  }

  async create(urn: string, props: Props): Promise<{ id: string; outs: Props }> {
    const req = new providerPb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(struct(props));
    const resp = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>(
      "create",
      req,
    );
    return { id: resp.getId(), outs: resp.getProperties().toJavaScript() };
  }

  async read(
    id: string,
    urn: string,
    props: Props,
    inputs: Props = {},
  ): Promise<{ id: string; props: Props; inputs: Props }> {
    const req = new providerPb.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(props));
    req.setInputs(struct(inputs));
    const resp = await this.call<{
      getId(): string;
      getProperties(): { toJavaScript(): Props } | undefined;
      getInputs(): { toJavaScript(): Props } | undefined;
    }>("read", req);
    return {
      id: resp.getId(),
      props: resp.getProperties()?.toJavaScript() ?? {},
      inputs: resp.getInputs()?.toJavaScript() ?? {},
    };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<Props> {
    const req = new providerPb.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const resp = await this.call<{ getProperties(): { toJavaScript(): Props } }>("update", req);
    return resp.getProperties().toJavaScript();
  }

  async delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new providerPb.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(struct(props));
    await this.call("delete", req);
  }
}

function initFailureOf(err: grpc.ServiceError): InitFailure | undefined {
  const raw = err.metadata?.get("grpc-status-details-bin")[0];
  if (!raw) return undefined;
  const status = statusPb.Status.deserializeBinary(new Uint8Array(raw as Buffer));
  for (const any of status.getDetailsList() as {
    getTypeName(): string;
    getValue_asU8(): Uint8Array;
  }[]) {
    if (any.getTypeName() === "pulumirpc.ErrorResourceInitFailed") {
      const detail = providerPb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return {
        message: status.getMessage(),
        id: detail.getId(),
        properties: detail.getProperties()?.toJavaScript() ?? {},
        reasons: detail.getReasonsList(),
      };
    }
  }
  return undefined;
}

/** The host process's environment: the emulator's conventional key pair, nothing else of ours. */
export function hostEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    HOME: process.env["HOME"],
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
  };
}

/** Starts the host in `cwd` and configures it as a stack pointing at `endpoint` would. */
export async function startConfiguredHost(
  cwd: string,
  endpoint: string,
  region = "us-west-2",
): Promise<DynamicHost> {
  const host = await DynamicHost.start(cwd, hostEnv());
  try {
    await host.configure({
      "aws:region": region,
      "awsMigration:endpoint": endpoint,
      "awsMigration:pollMinDelayMs": "10",
      "awsMigration:pollMaxDelayMs": "40",
    });
  } catch (err) {
    host.stop();
    throw err;
  }
  return host;
}

/**
 * Mocha hooks for a describe block: start the real dynamic-provider host (in `cwd`, default this
 * repository) configured against the emulator `ctx`, and stop it after the block. Call it after
 * useEmulator (hooks run in order, and the host needs the emulator's URL). Returns the host as
 * tests use it: its calls go to the process the hooks started.
 */
export function useDynamicHost(
  ctx: { readonly emulator: { readonly url: string } },
  options: { region?: string; cwd?: () => string } = {},
): DynamicHost {
  let started: DynamicHost | undefined;
  before(async () => {
    started = await startConfiguredHost(
      options.cwd?.() ?? process.cwd(),
      ctx.emulator.url,
      options.region,
    );
  });
  after(() => started?.stop());
  return new Proxy({} as DynamicHost, {
    get(_target, key) {
      if (started === undefined) throw new Error("dynamic-provider host not started");
      const value: unknown = Reflect.get(started, key);
      return typeof value === "function" ? (value.bind(started) as unknown) : value;
    },
  });
}

/** The HostCallError `p` rejects with; fails the test when it resolves or rejects otherwise. */
export async function hostError(p: Promise<unknown>): Promise<HostCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HostCallError) return e;
    throw e;
  }
  return assert.fail("expected the host call to fail");
}
