import { EC2Client } from "@aws-sdk/client-ec2";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Emulator } from "../../emulator";
import { clientConfig } from "../support/emulator";

/** What the EC2 emulator test files share: a bucket of disk images and the clients. */

export const BUCKET = "vm-imports";
export const ACCOUNT = "123456789012";

/** Disk images that pass the emulator's format rules (see emulator/ec2/diskImage.ts). */
export function vmdk(): Buffer {
  const b = Buffer.alloc(2048);
  b.write("KDMV", 0, "latin1");
  return b;
}
export function raw(sectors = 4): Buffer {
  const b = Buffer.alloc(512 * sectors);
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}
export function vhd(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("conectix", 512, "latin1");
  return b;
}
export function vhdx(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("vhdxfile", 0, "latin1");
  return b;
}
export function ova(): Buffer {
  const b = Buffer.alloc(1024);
  b.write("vm.ovf", 0, "latin1");
  b.write("ustar", 257, "latin1");
  return b;
}
export const MANIFEST = '<?xml version="1.0"?><manifest><version>2010-11-15</version></manifest>';

export function ec2(em: Emulator, region?: string): EC2Client {
  return new EC2Client(clientConfig(em, region));
}

/** Creates the bucket (again: it is idempotent) and puts each file into it. */
export async function upload(em: Emulator, files: Record<string, Buffer | string>): Promise<void> {
  const s3 = new S3Client({ ...clientConfig(em), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, body] of Object.entries(files)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  }
}

export const advance = (em: Emulator, seconds: number): void =>
  em.configure({ advanceSeconds: seconds });

/** The error `errorOf` reports for an EC2 client fault (HTTP 400). */
export const bad = (
  code: string,
  message: string,
): { name: string; message: string; status: number } => ({ name: code, message, status: 400 });
