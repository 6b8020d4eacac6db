#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import type { CredentialOption, RoleOption } from "./options";

/**
 * A JSON file's contents, for the list options (startEmulator checks their shape and names the
 * field at fault).
 */
function jsonFile(flag: string, path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`--${flag} ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(
      `--${flag} ${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/**
 * `aws-migration-emulator --port --host --data-dir --time-scale --seed --home-region
 * --no-rate-limits --credentials FILE --roles FILE`
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "4566" },
      host: { type: "string", default: "127.0.0.1" },
      "data-dir": { type: "string" },
      "time-scale": { type: "string", default: "1" },
      seed: { type: "string", default: "1" },
      "home-region": { type: "string" },
      "no-rate-limits": { type: "boolean", default: false },
      credentials: { type: "string" },
      roles: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: aws-migration-emulator [--port 4566] [--host 127.0.0.1] [--data-dir DIR] [--time-scale 1] [--seed 1] [--home-region REGION] [--no-rate-limits] [--credentials FILE.json] [--roles FILE.json]\n",
    );
    return;
  }
  const numeric = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${text}"`);
    return n;
  };
  const emulator = await startEmulator({
    port: numeric("port", values.port),
    host: values.host,
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    timeScale: numeric("time-scale", values["time-scale"]),
    seed: numeric("seed", values.seed),
    ...(values["home-region"] ? { homeRegion: values["home-region"] } : {}),
    ...(values["no-rate-limits"] ? { rateLimits: false as const } : {}),
    // Shapes are checked by startEmulator (emulator/accounts.ts), which names the field at fault.
    ...(values.credentials
      ? { credentials: jsonFile("credentials", values.credentials) as CredentialOption[] }
      : {}),
    ...(values.roles ? { roles: jsonFile("roles", values.roles) as RoleOption[] } : {}),
  });
  process.stdout.write(`aws-migration-emulator listening on ${emulator.url}\n`);
  const shutdown = (): void => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `aws-migration-emulator: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
