import { validationFailed } from "./errors";

/** Opaque page tokens: base64 of the offset into the ordered list. */
export function encodeToken(offset: number): string {
  return Buffer.from(`mgn-page:${offset}`).toString("base64");
}

/** One page of `items`; a token that this emulator did not issue is a ValidationException. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  maxResults: number,
): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== "") {
    const m = /^mgn-page:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
    if (!m || encodeToken(Number(m[1])) !== token) {
      throw validationFailed([{ name: "nextToken", message: "Invalid pagination token" }]);
    }
    start = Number(m[1]);
  }
  const page = items.slice(start, start + maxResults);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeToken(end) } : { page };
}
