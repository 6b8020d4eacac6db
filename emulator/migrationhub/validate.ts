import { invalidInput } from "./errors";

/** Opaque page tokens: base64 of the offset into the sorted list (fits `^[a-zA-Z0-9\/\+\=]{0,2048}$`). */
export function encodeToken(offset: number): string {
  return Buffer.from(`page:${offset}`).toString("base64");
}

export function decodeToken(member: string, token: string | undefined): number {
  if (token === undefined || token === "") return 0;
  const m = /^page:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
  if (!m || encodeToken(Number(m[1])) !== token) throw invalidInput(`The ${member} is invalid.`);
  return Number(m[1]);
}

/** One page of `items` from the offset in `token`. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  maxResults: number,
): { page: T[]; next?: string } {
  const start = decodeToken("NextToken", token);
  const page = items.slice(start, start + maxResults);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeToken(end) } : { page };
}
