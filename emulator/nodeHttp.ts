import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorRequest, EmulatorResponse } from "./core/http";

// node:http ⇄ the emulator's own request and response, with the body size bounded.

/** A request as the emulator sees it. */
export interface ReadRequest {
  readonly request: EmulatorRequest;
  /** The body was over the limit (declared or sent); it was not kept. */
  readonly tooLarge: boolean;
}

export async function readRequest(req: IncomingMessage, maxBody: number): Promise<ReadRequest> {
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
  const declaredTooLarge = declared > maxBody;
  const body = declaredTooLarge ? Buffer.alloc(0) : await readBody(req, maxBody);
  return {
    request: {
      method: (req.method ?? "GET").toUpperCase(),
      rawPath,
      path,
      rawQuery,
      query: new URLSearchParams(rawQuery),
      headers,
      body: body ?? Buffer.alloc(0),
    },
    tooLarge: declaredTooLarge || body === undefined,
  };
}

/** Writes the answer, or resets the connection (an injected "reset" fault). */
export function writeResponse(
  res: ServerResponse,
  method: string,
  result: EmulatorResponse | "reset",
): void {
  if (result === "reset") {
    if (res.socket) res.socket.resetAndDestroy();
    else res.destroy();
    return;
  }
  const payload = typeof result.body === "string" ? Buffer.from(result.body) : result.body;
  res.writeHead(result.status, { "content-length": String(payload.length), ...result.headers });
  res.end(method === "HEAD" ? undefined : payload);
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
