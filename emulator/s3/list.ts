import { ServiceError } from "../core/http";
import type { ObjectMeta } from "../core/s3store";
import { xmlChildren } from "../core/xml";

/**
 * ListObjectsV2 (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html): keys
 * under `prefix`, those holding `delimiter` after it rolled up into CommonPrefixes, in UTF-8 binary
 * order, `max-keys` entries (keys and prefixes together) a page. The continuation token is the
 * last entry returned, so a page boundary inside a rolled-up prefix cannot repeat it.
 */
export interface ListParams {
  readonly prefix: string;
  readonly delimiter: string;
  readonly maxKeys: number;
  readonly continuationToken: string | undefined;
  readonly startAfter: string;
  readonly encodeUrl: boolean;
}

type Entry = { kind: "object"; name: string; meta: ObjectMeta } | { kind: "prefix"; name: string };

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function listParams(query: URLSearchParams): ListParams {
  const rawMax = query.get("max-keys");
  const maxKeys = rawMax === null ? 1000 : Number(rawMax);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new ServiceError(
      "InvalidArgument",
      "Provided max-keys not an integer or within integer range",
      400,
      {
        ArgumentName: "max-keys",
        ArgumentValue: rawMax ?? "",
      },
    );
  const encoding = query.get("encoding-type");
  if (encoding !== null && encoding !== "url")
    throw new ServiceError("InvalidArgument", "Invalid Encoding Method specified in Request", 400, {
      ArgumentName: "encoding-type",
      ArgumentValue: encoding,
    });
  const token = query.get("continuation-token");
  let continuationToken: string | undefined;
  if (token !== null) {
    continuationToken = Buffer.from(token, "base64").toString("utf8");
    if (!token || Buffer.from(continuationToken, "utf8").toString("base64") !== token)
      throw new ServiceError(
        "InvalidArgument",
        "The continuation token provided is incorrect",
        400,
        {
          ArgumentName: "continuation-token",
        },
      );
  }
  return {
    prefix: query.get("prefix") ?? "",
    delimiter: query.get("delimiter") ?? "",
    maxKeys: Math.min(1000, maxKeys),
    continuationToken,
    startAfter: query.get("start-after") ?? "",
    encodeUrl: encoding === "url",
  };
}

export function listObjectsV2(
  bucket: string,
  objects: readonly ObjectMeta[],
  p: ListParams,
): string {
  const after = p.continuationToken ?? p.startAfter;
  const entries: Entry[] = [];
  for (const meta of objects) {
    if (!meta.key.startsWith(p.prefix)) continue;
    const cut = p.delimiter ? meta.key.indexOf(p.delimiter, p.prefix.length) : -1;
    const entry: Entry =
      cut < 0
        ? { kind: "object", name: meta.key, meta }
        : { kind: "prefix", name: meta.key.slice(0, cut + p.delimiter.length) };
    if (after && utf8Order(entry.name, after) <= 0) continue;
    const last = entries[entries.length - 1];
    if (entry.kind === "prefix" && last?.kind === "prefix" && last.name === entry.name) continue;
    entries.push(entry);
  }
  entries.sort((a, b) => utf8Order(a.name, b.name));
  const page = entries.slice(0, p.maxKeys);
  const truncated = entries.length > page.length;
  const lastName = page[page.length - 1]?.name;
  // Form encoding with "/" kept: what botocore undoes with unquote_plus (its `decode_list_object_v2`).
  const enc = (s: string): string =>
    p.encodeUrl ? encodeURIComponent(s).replace(/%2F/g, "/").replace(/%20/g, "+") : s;
  const contents = page
    .filter((e): e is Extract<Entry, { kind: "object" }> => e.kind === "object")
    .map(
      ({ meta: m }) =>
        `<Contents>${xmlChildren({
          Key: enc(m.key),
          LastModified: new Date(m.lastModifiedMs).toISOString(),
          ETag: m.etag,
          Size: m.size,
          StorageClass: "STANDARD",
        })}</Contents>`,
    )
    .join("");
  const prefixes = page
    .filter((e) => e.kind === "prefix")
    .map((e) => `<CommonPrefixes>${xmlChildren({ Prefix: enc(e.name) })}</CommonPrefixes>`)
    .join("");
  const token = p.continuationToken;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${xmlChildren(
    {
      Name: bucket,
      Prefix: enc(p.prefix),
      Delimiter: p.delimiter ? enc(p.delimiter) : undefined,
      StartAfter: p.startAfter ? enc(p.startAfter) : undefined,
      EncodingType: p.encodeUrl ? "url" : undefined,
      KeyCount: page.length,
      MaxKeys: p.maxKeys,
      IsTruncated: truncated,
      ContinuationToken:
        token !== undefined ? Buffer.from(token, "utf8").toString("base64") : undefined,
      NextContinuationToken:
        truncated && lastName !== undefined
          ? Buffer.from(lastName, "utf8").toString("base64")
          : undefined,
    },
  )}${contents}${prefixes}</ListBucketResult>`;
}
