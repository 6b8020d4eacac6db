/**
 * The Migration Hub import template (aws-apis.md §1.7): CSV reading (RFC 4180 quoting) and the
 * per-row rules. Pure functions, no state.
 */

/** Template columns as the docs spell them. Header matching ignores case (brief; §1.7). */
export const TEMPLATE_FIELDS = [
  "ExternalId",
  "SMBiosId",
  "IPAddress",
  "MACAddress",
  "HostName",
  "VMware.MoRefId",
  "VMware.VCenterId",
  "CPU.NumberOfProcessors",
  "CPU.NumberOfCores",
  "CPU.NumberOfLogicalCores",
  "OS.Name",
  "OS.Version",
  "VMware.VMName",
  "RAM.TotalSizeInMB",
  "RAM.UsedSizeInMB.Avg",
  "RAM.UsedSizeInMB.Max",
  "CPU.UsagePct.Avg",
  "CPU.UsagePct.Max",
  "DiskReadsPerSecondInKB.Avg",
  "DiskReadsPerSecondInKB.Max",
  "DiskWritesPerSecondInKB.Avg",
  "DiskWritesPerSecondInKB.Max",
  "DiskReadsOpsPerSecond.Avg",
  "DiskReadsOpsPerSecond.Max",
  "DiskWritesOpsPerSecond.Avg",
  "DiskWritesOpsPerSecond.Max",
  "NetworkReadsPerSecondInKB.Avg",
  "NetworkReadsPerSecondInKB.Max",
  "NetworkWritesPerSecondInKB.Avg",
  "NetworkWritesPerSecondInKB.Max",
  "Applications",
  "Tags",
] as const;

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** Columns marked `*` in §1.7: every row needs at least one of them. */
const IDENTIFYING = [
  "ExternalId",
  "IPAddress",
  "MACAddress",
  "HostName",
  "VMware.MoRefId",
] as const;

const NUMERIC = new Set<TemplateField>(
  TEMPLATE_FIELDS.filter((f) => /^(CPU|RAM|Disk|Network)/.test(f)),
);

/** §1.8 "Tags per server: 30". */
export const MAX_TAGS_PER_SERVER = 30;

export const MISSING_IDENTIFIER =
  "The record must have at least one of these fields: ExternalId, IPAddress, MACAddress, HostName, or VMware.MoRefId together with VMware.VCenterId.";

/** A data row that passed the template rules. */
export interface ServerRow {
  /** 1-based record number in the file, the header being record 1 (as a spreadsheet shows it). */
  readonly row: number;
  readonly externalId?: string;
  readonly hostName?: string;
  readonly ipAddresses: readonly string[];
  readonly macAddresses: readonly string[];
  /** `moRefId@vCenterId`, when both are present. */
  readonly vmware?: string;
  readonly applications: readonly string[];
  readonly tags: readonly { key: string; value: string }[];
}

export interface FailedRow {
  readonly row: number;
  readonly error: string;
  /** The row's fields as read, for the failed-entries file. */
  readonly raw: readonly string[];
}

export type ParsedImport =
  | {
      readonly kind: "template";
      readonly header: readonly string[];
      readonly rows: readonly ServerRow[];
      readonly failed: readonly FailedRow[];
      readonly records: number;
    }
  /** Not text, or a header with no template column: not an import template (§1.5 enum). */
  | { readonly kind: "unsupported" }
  /** The quoting never closes: the file cannot be split into records. */
  | { readonly kind: "malformed" };

/** Splits CSV text into records of fields (RFC 4180: `""` escapes, quoted newlines, CRLF or LF). */
export function parseCsv(text: string): { records: string[][]; lines: number[] } | undefined {
  const records: string[][] = [];
  const lines: number[] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = (): void => {
    record.push(field);
    field = "";
    // A blank line is no record.
    if (!(record.length === 1 && record[0] === "")) {
      records.push(record);
      lines.push(recordLine);
    }
    record = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      endRecord();
      if (c === "\r" && text[i + 1] === "\n") i++;
      line++;
      recordLine = line;
    } else field += c;
    i++;
  }
  if (quoted) return undefined;
  if (field !== "" || record.length > 0) endRecord();
  return { records, lines };
}

const list = (value: string): string[] =>
  value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

/** Reads an import file: header, then each row checked against the template rules. */
export function parseImportFile(body: Buffer): ParsedImport {
  const text = body.toString("utf8");
  // Binary content (NUL bytes, bytes that are not UTF-8) is no CSV.
  if (text.includes("\u0000") || text.includes("\uFFFD")) return { kind: "unsupported" };
  const parsed = parseCsv(text.replace(/^\uFEFF/, ""));
  if (!parsed) return { kind: "malformed" };
  const [headerRaw, ...data] = parsed.records;
  if (!headerRaw) return { kind: "unsupported" };
  const header = headerRaw.map((h) => h.trim());
  const byLower = new Map<string, TemplateField>(TEMPLATE_FIELDS.map((f) => [f.toLowerCase(), f]));
  // Columns not in the template are ignored silently (§1.7, view-data.md "Matching fields").
  const columns = header.map((h) => byLower.get(h.toLowerCase()));
  if (!columns.some((c) => c !== undefined)) return { kind: "unsupported" };

  const rows: ServerRow[] = [];
  const failed: FailedRow[] = [];
  data.forEach((raw, index) => {
    const row = parsed.lines[index + 1] ?? index + 2;
    const result = checkRow(row, raw, header.length, columns);
    if (typeof result === "string") failed.push({ row, error: result, raw });
    else rows.push(result);
  });
  return { kind: "template", header: headerRaw, rows, failed, records: data.length };
}

function checkRow(
  row: number,
  raw: readonly string[],
  width: number,
  columns: readonly (TemplateField | undefined)[],
): ServerRow | string {
  if (raw.length !== width)
    return `The record has ${raw.length} fields, but the header has ${width}.`;
  const get = new Map<TemplateField, string>();
  columns.forEach((col, i) => {
    const v = (raw[i] ?? "").trim();
    if (col && v !== "") get.set(col, v);
  });
  const moRef = get.get("VMware.MoRefId");
  const vCenter = get.get("VMware.VCenterId");
  // §1.7: the two VMware identifiers only count, and are only accepted, as a pair.
  if (moRef !== undefined && vCenter === undefined)
    return "VMware.MoRefId must be provided together with VMware.VCenterId.";
  if (vCenter !== undefined && moRef === undefined)
    return "VMware.VCenterId must be provided together with VMware.MoRefId.";
  if (!IDENTIFYING.some((f) => get.has(f))) return MISSING_IDENTIFIER;
  for (const [field, value] of get) {
    if (NUMERIC.has(field) && !/^\d+(\.\d+)?$/.test(value))
      return `The value '${value}' of ${field} must be a non-negative number.`;
  }
  const tags: { key: string; value: string }[] = [];
  for (const pair of list(get.get("Tags") ?? "")) {
    const colon = pair.indexOf(":");
    if (colon <= 0) return `The tag '${pair}' must have the form name:value.`;
    tags.push({ key: pair.slice(0, colon).trim(), value: pair.slice(colon + 1).trim() });
  }
  if (tags.length > MAX_TAGS_PER_SERVER)
    return `The record has ${tags.length} tags; a server can have at most ${MAX_TAGS_PER_SERVER}.`;
  const externalId = get.get("ExternalId");
  const hostName = get.get("HostName");
  return {
    row,
    ...(externalId !== undefined ? { externalId } : {}),
    ...(hostName !== undefined ? { hostName } : {}),
    ipAddresses: list(get.get("IPAddress") ?? ""),
    macAddresses: list(get.get("MACAddress") ?? "").map((m) => m.toLowerCase()),
    ...(moRef !== undefined && vCenter !== undefined ? { vmware: `${moRef}@${vCenter}` } : {}),
    // §1.7: "comma-separated application names, quoted".
    applications: [...new Set(list(get.get("Applications") ?? ""))],
    tags,
  };
}

/** One CSV line, quoting fields that need it. */
export function csvLine(fields: readonly (string | number)[]): string {
  return fields
    .map((f) => {
      const s = String(f);
      return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(",");
}
