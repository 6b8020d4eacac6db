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

export function awsCli(
  emulator: Emulator,
  args: string[],
  region = "us-west-2",
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
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
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
