import { invalidParameterValue } from "./errors";

/**
 * Opaque page tokens: base64 of the sequence number of the last task returned, so a page boundary
 * stays put when earlier tasks vanish (deleteHistory) between calls.
 */
export function encodeToken(afterSeq: number): string {
  return Buffer.from(`ads-import-tasks:${afterSeq}`).toString("base64");
}

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  const m = /^ads-import-tasks:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
  if (!m || encodeToken(Number(m[1])) !== token)
    throw invalidParameterValue("The value of nextToken is not valid.");
  return Number(m[1]);
}
