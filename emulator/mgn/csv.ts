/**
 * The MGN inventory-import CSV: RFC 4180 parsing and the `mgn:*` column rules of the "Import
 * parameters" table (MGN user guide). Pure: no state, no HTTP, so rows can be checked in isolation.
 */

export interface CsvRow {
  /** 1-based line of the row in the file; the header is row 1, as a spreadsheet shows it. */
  readonly rowNumber: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

/** Parses CSV (quoted fields, doubled quotes, CRLF or LF, optional UTF-8 BOM). */
export function parseCsv(text: string): CsvTable | { error: string } {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = (): void => {
    cells.push(field);
    records.push({ line: recordLine, cells });
    cells = [];
    field = "";
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === "\n") line++;
        field += c;
      }
    } else if (c === '"') {
      if (field !== "") return { error: `Unexpected quote in an unquoted field on row ${line}` };
      quoted = true;
    } else if (c === ",") {
      cells.push(field);
      field = "";
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) return { error: `Unterminated quoted field starting on row ${recordLine}` };
  if (field !== "" || cells.length > 0) endRecord();
  const [head, ...rest] = records;
  if (!head) return { error: "The file is empty" };
  const rows = rest
    .filter((r) => r.cells.some((c) => c.trim() !== ""))
    .map((r) => ({ rowNumber: r.line, cells: r.cells }));
  return { header: head.cells.map((h) => h.trim()), rows };
}

const EXACT_COLUMNS = new Set([
  "mgn:account-id",
  "mgn:region",
  "mgn:wave:id",
  "mgn:wave:name",
  "mgn:wave:description",
  "mgn:app:id",
  "mgn:app:name",
  "mgn:app:description",
  "mgn:server:id",
  "mgn:server:user-provided-id",
  "mgn:server:platform",
  "mgn:server:fqdn-for-action-framework",
  "mgn:launch:instance-type",
  "mgn:launch:iam-instance-profile:name",
  "mgn:launch:placement:tenancy",
  "mgn:launch:placement:host-id",
  "mgn:launch:placement:operating-system-licensing",
  "mgn:launch:transfer-server-tags",
]);

const PATTERN_COLUMNS = [
  /^mgn:(wave|app|server):tag:.+$/,
  /^mgn:launch:nic:\d+:(network-interface-id|subnet-id)$/,
  /^mgn:launch:nic:\d+:(security-group-id|private-ip):\d+$/,
  /^mgn:launch:volume:[^:]+:type$/,
  /^mgn:launch:tag:instance:.+$/,
];

/** File-level problems with the header: no `mgn:` column, an unknown one, or a repeated one. */
export function checkHeader(header: readonly string[]): string | undefined {
  const mgn = header.filter((h) => h.startsWith("mgn:"));
  if (mgn.length === 0) return "The header row has no mgn: columns";
  const unknown = mgn.filter(
    (h) => !EXACT_COLUMNS.has(h) && !PATTERN_COLUMNS.some((p) => p.test(h)),
  );
  if (unknown.length > 0) return `Unknown column: ${unknown.join(", ")}`;
  const dup = mgn.find((h, i) => mgn.indexOf(h) !== i);
  if (dup !== undefined) return `Duplicate column: ${dup}`;
  return undefined;
}

export interface EntityPart {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ServerPart {
  readonly id?: string;
  readonly userProvidedID?: string;
  readonly platform?: string;
  readonly fqdn?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `mgn:launch:*` settings by column name (the launch template the emulator does not model further). */
  readonly launch: Readonly<Record<string, string>>;
}

export interface ImportRow {
  readonly rowNumber: number;
  readonly wave?: EntityPart;
  readonly app?: EntityPart;
  readonly server?: ServerPart;
}

const NAME = /^[^\s\x00]( *[^\s\x00])*$/; // eslint-disable-line no-control-regex
const DESCRIPTION = /^[^\x00]*$/; // eslint-disable-line no-control-regex
const IDS = {
  wave: /^wave-[0-9a-zA-Z]{17}$/,
  app: /^app-[0-9a-zA-Z]{17}$/,
  server: /^s-[0-9a-zA-Z]{17}$/,
} as const;
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  "mgn:server:platform": ["Linux", "Windows"],
  "mgn:launch:placement:tenancy": ["default", "dedicated", "host"],
  "mgn:launch:placement:operating-system-licensing": ["LI", "BYOL"],
  "mgn:launch:transfer-server-tags": ["true", "false"],
};

/**
 * Reads one data row into what it says about a wave, an application and a server. Returns the
 * validation error text for a bad value or a row that sets a property without naming its resource.
 */
export function interpretRow(
  header: readonly string[],
  row: CsvRow,
  caller: { readonly accountId: string; readonly region: string },
): ImportRow | { error: string } {
  const values = new Map<string, string>();
  header.forEach((h, i) => {
    const v = (row.cells[i] ?? "").trim();
    if (h.startsWith("mgn:") && v !== "") values.set(h, v);
  });
  const account = values.get("mgn:account-id");
  if (account !== undefined && account !== caller.accountId) {
    return { error: `mgn:account-id ${account} is not an account managed by ${caller.accountId}` };
  }
  const region = values.get("mgn:region");
  if (region !== undefined && region !== caller.region) {
    return {
      error: `mgn:region ${region} does not match the region of the import, ${caller.region}`,
    };
  }
  for (const [column, v] of values) {
    const allowed = ENUMS[column];
    if (allowed && !allowed.includes(v))
      return { error: `${column} must be one of ${allowed.join(", ")}; got ${v}` };
    if (
      /^mgn:(wave|app):name$|^mgn:server:user-provided-id$/.test(column) &&
      (v.length > 256 || !NAME.test(v))
    ) {
      return { error: `${column} must be 1 to 256 characters without leading or trailing spaces` };
    }
    if (/^mgn:(wave|app):description$/.test(column) && (v.length > 600 || !DESCRIPTION.test(v))) {
      return { error: `${column} must be at most 600 characters` };
    }
    if (
      /:tag:/.test(column) &&
      (column.length - column.indexOf(":tag:") - 5 > 128 || v.length > 256)
    ) {
      return { error: `${column}: tag keys are at most 128 characters and values at most 256` };
    }
    if (column === "mgn:server:fqdn-for-action-framework" && v.length > 256) {
      return { error: `${column} must be at most 256 characters` };
    }
  }
  for (const kind of ["wave", "app", "server"] as const) {
    const id = values.get(`mgn:${kind}:id`);
    if (id !== undefined && !IDS[kind].test(id)) {
      return { error: `mgn:${kind}:id ${id} does not match ${IDS[kind].source.slice(1, -1)}` };
    }
  }

  const tagsOf = (kind: string): Record<string, string> => {
    const prefix = `mgn:${kind}:tag:`;
    const tags: Record<string, string> = {};
    for (const [column, v] of values)
      if (column.startsWith(prefix)) tags[column.slice(prefix.length)] = v;
    return tags;
  };
  const entity = (
    kind: "wave" | "app",
    label: string,
  ): EntityPart | { error: string } | undefined => {
    const part = {
      id: values.get(`mgn:${kind}:id`),
      name: values.get(`mgn:${kind}:name`),
      description: values.get(`mgn:${kind}:description`),
      tags: tagsOf(kind),
    };
    const identified = part.id !== undefined || part.name !== undefined;
    const hasProps = part.description !== undefined || Object.keys(part.tags).length > 0;
    if (!identified && hasProps) {
      return {
        error: `The row sets ${label} properties but does not identify the ${label} (mgn:${kind}:id or mgn:${kind}:name)`,
      };
    }
    return identified ? part : undefined;
  };
  const wave = entity("wave", "wave");
  if (wave && "error" in wave) return wave;
  const app = entity("app", "application");
  if (app && "error" in app) return app;

  const launch: Record<string, string> = {};
  for (const [column, v] of values) if (column.startsWith("mgn:launch:")) launch[column] = v;
  const server: ServerPart = {
    id: values.get("mgn:server:id"),
    userProvidedID: values.get("mgn:server:user-provided-id"),
    platform: values.get("mgn:server:platform"),
    fqdn: values.get("mgn:server:fqdn-for-action-framework"),
    tags: tagsOf("server"),
    launch,
  };
  const serverIdentified = server.id !== undefined || server.userProvidedID !== undefined;
  const serverProps =
    server.platform !== undefined ||
    server.fqdn !== undefined ||
    Object.keys(server.tags).length > 0 ||
    Object.keys(launch).length > 0;
  if (!serverIdentified && serverProps) {
    return {
      error:
        "The row sets server properties but does not identify the server (mgn:server:id or mgn:server:user-provided-id)",
    };
  }
  if (!wave && !app && !serverIdentified) {
    return { error: "The row does not identify a wave, an application or a server" };
  }
  return {
    rowNumber: row.rowNumber,
    ...(wave ? { wave } : {}),
    ...(app ? { app } : {}),
    ...(serverIdentified ? { server } : {}),
  };
}
