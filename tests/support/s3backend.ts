/**
 * An emulator account ready for the e2e tiers that keep Pulumi's state in the emulator's S3: MGN
 * initialized, the import files of examples/data/ in `migration-demo`, an empty state bucket, and
 * the DIY backend URL that reaches it (README: "Shared state in S3").
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InitializeServiceCommand, MgnClient } from "@aws-sdk/client-mgn";
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Emulator } from "../../emulator";
import { REPO_ROOT } from "./pulumiStack";

export const REGION = "us-west-2";
export const DATA_BUCKET = "migration-demo";
export const STATE_BUCKET = "pulumi-state";
export const KEY = { accessKeyId: "test", secretAccessKey: "test" };

/**
 * gocloud.dev s3blob's URL options (https://pkg.go.dev/gocloud.dev/blob/s3blob#URLOpener,
 * https://pkg.go.dev/gocloud.dev/aws#V2ConfigFromURLParams): the endpoint, the signing region,
 * and path-style addressing (a bucket cannot be a subdomain of 127.0.0.1).
 */
export function s3BackendUrl(emulator: Emulator): string {
  return `s3://${STATE_BUCKET}?endpoint=${emulator.url}&region=${REGION}&use_path_style=true`;
}

const clientOf = (emulator: Emulator) => ({
  endpoint: emulator.url,
  region: REGION,
  credentials: KEY,
  maxAttempts: 1,
});

export async function prepareAccount(
  emulator: Emulator,
  extraFiles: Record<string, string> = {},
): Promise<void> {
  const mgn = new MgnClient(clientOf(emulator));
  await mgn.send(new InitializeServiceCommand({}));
  mgn.destroy();
  const s3 = new S3Client({ ...clientOf(emulator), forcePathStyle: true });
  for (const bucket of [DATA_BUCKET, STATE_BUCKET])
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  const files: Record<string, string> = {
    "discovery.csv": "discovery.csv",
    "wave-1-inventory.csv": "wave-1-inventory.csv",
    "web-01.raw": "web-01.raw",
    ...extraFiles,
  };
  for (const [key, file] of Object.entries(files)) {
    const body = readFileSync(join(REPO_ROOT, "examples", "data", file));
    await s3.send(new PutObjectCommand({ Bucket: DATA_BUCKET, Key: key, Body: body }));
  }
  s3.destroy();
}

/** Every key in the state bucket under `prefix`, sorted. */
export async function stateKeys(emulator: Emulator, prefix = ""): Promise<string[]> {
  const s3 = new S3Client({ ...clientOf(emulator), forcePathStyle: true });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: STATE_BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((c) => c.Key ?? ""));
    token = page.NextContinuationToken;
  } while (token);
  s3.destroy();
  return keys;
}

/** The env of a CLI run whose state is in the emulator's S3, with the emulator's key pair. */
export function s3BackendEnv(emulator: Emulator): NodeJS.ProcessEnv {
  return {
    PULUMI_BACKEND_URL: s3BackendUrl(emulator),
    AWS_ACCESS_KEY_ID: KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey,
    AWS_REGION: REGION,
  };
}
