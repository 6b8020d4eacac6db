import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Emulator } from "../../emulator";

/**
 * The AWS CLI v1 (botocore validates requests and parses responses against AWS's current models)
 * as a second client independent of the JS SDKs. scripts/test installs it into .venv.
 */
export const AWS_CLI = join(__dirname, "..", "..", ".venv", "bin", "aws");

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly json: unknown;
}

/** The key pair the CLI signs with; temporary credentials add their session token. */
export interface CliKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export function awsCli(
  emulator: Emulator,
  args: string[],
  region = "us-west-2",
  keys: CliKeys = { accessKeyId: "test", secretAccessKey: "test" },
): Promise<CliResult> {
  if (!existsSync(AWS_CLI)) {
    throw new Error(
      `the AWS CLI is not installed at ${AWS_CLI}: run ./scripts/test (it installs awscli into .venv)`,
    );
  }
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      [...args, "--endpoint-url", emulator.url, "--region", region, "--output", "json"],
      {
        env: {
          PATH: process.env["PATH"] ?? "",
          AWS_ACCESS_KEY_ID: keys.accessKeyId,
          AWS_SECRET_ACCESS_KEY: keys.secretAccessKey,
          ...(keys.sessionToken === undefined ? {} : { AWS_SESSION_TOKEN: keys.sessionToken }),
          AWS_CONFIG_FILE: "/dev/null",
          AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
          AWS_MAX_ATTEMPTS: "1",
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
