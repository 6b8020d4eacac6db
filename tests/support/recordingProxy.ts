import { writeFileSync } from "node:fs";
import { createServer, request, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A recording HTTP proxy in front of the emulator, for the conformance tier: clients talk to the
 * proxy exactly as to the emulator (it forwards method, path, headers and body unchanged, so SigV4
 * signatures over the proxy's host still verify), and every exchange is kept as raw text for
 * tests/conformance/validate_wire.py to check with botocore.
 */
export interface RecordedMessage {
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface Exchange {
  readonly request: RecordedMessage & { readonly method: string; readonly path: string };
  readonly response: RecordedMessage & { readonly status: number };
}

export interface RecordingProxy {
  readonly url: string;
  readonly exchanges: readonly Exchange[];
  /** Writes the exchanges as JSON lines (one exchange a line). */
  save(file: string): void;
  stop(): Promise<void>;
}

function flat(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (answer) => {
          const back: Buffer[] = [];
          answer.on("data", (c: Buffer) => back.push(c));
          answer.on("end", () => {
            const text = Buffer.concat(back);
            exchanges.push({
              request: {
                method: req.method ?? "GET",
                path: req.url ?? "/",
                headers: flat(req.headers),
                body: body.toString("utf8"),
              },
              response: {
                status: answer.statusCode ?? 0,
                headers: flat(answer.headers),
                body: text.toString("utf8"),
              },
            });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
        },
      );
      forward.on("error", (err) => {
        res.writeHead(502);
        res.end(err.message);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    save(file) {
      writeFileSync(file, exchanges.map((e) => JSON.stringify(e)).join("\n") + "\n");
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
