import type { EmulatorResponse, EmulatorRequest } from "./core/http";
import { parseJsonObject } from "./core/http";
import type { EmulatorConfigPatch, EmulatorStats } from "./options";

/** What the control API acts on: the running emulator. */
export interface ControlTarget {
  getStats(): EmulatorStats;
  reset(): void;
  /** Applies a patch (throws on a bad one, changing nothing) and returns the settings now in force. */
  configure(patch: EmulatorConfigPatch): object;
}

/**
 * The control API under /_emulator/: GET stats and health, POST reset and config. Answers are
 * plain JSON, never an AWS protocol's shape.
 */
export function control(target: ControlTarget, req: EmulatorRequest): EmulatorResponse {
  const json = (status: number, body: unknown): EmulatorResponse => ({
    status,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (req.method === "GET" && req.path === "/_emulator/stats") return json(200, target.getStats());
  if (req.method === "GET" && req.path === "/_emulator/health") return json(200, { ok: true });
  if (req.method === "POST" && req.path === "/_emulator/reset") {
    target.reset();
    return json(200, { reset: true });
  }
  if (req.method === "POST" && req.path === "/_emulator/config") {
    const patch = parseJsonObject(req.body);
    if (!patch) return json(400, { message: "body must be a JSON object" });
    let settings: object;
    try {
      settings = target.configure(patch);
    } catch (err) {
      return json(400, { message: err instanceof Error ? err.message : String(err) });
    }
    return json(200, settings);
  }
  return json(404, { message: `no control route ${req.method} ${req.path}` });
}
