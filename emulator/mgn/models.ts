import type { JsonObject, JsonValue, OperationContext } from "../core/service";
import { checkHeader, type EntityPart, type ImportRow, interpretRow, parseCsv } from "./csv";
import { conflict, importQuotaExceeded, resourceNotFound, uninitializedAccount } from "./errors";
import { Checker, ID_RULES, PAGINATION_TOKEN, paginate, type StringRule } from "./validate";

/**
 * MGN backend for inventory import: the account initialization gate, import tasks that advance
 * PENDING → STARTED → SUCCEEDED | FAILED over emulated time, and the waves, applications and
 * source servers an import creates or modifies. State is per account and region, as in MGN.
 */

/** Emulated time an import waits before it starts reading rows. */
export const PENDING_MS = 5_000;
/** Seeded total duration of an import, in emulated seconds. */
export const IMPORT_SECONDS = { min: 20, max: 180 } as const;
/** MGN publishes no import quota; the emulator allows this many imports in progress at once. */
export const MAX_IMPORTS_IN_PROGRESS = 3;

export const IMPORT_STATUSES = ["PENDING", "STARTED", "FAILED", "SUCCEEDED"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export const LIFE_CYCLE_STATES = [
  "STOPPED",
  "NOT_READY",
  "READY_FOR_TEST",
  "TESTING",
  "READY_FOR_CUTOVER",
  "CUTTING_OVER",
  "CUTOVER",
  "DISCONNECTED",
  "DISCOVERED",
  "PENDING_INSTALLATION",
] as const;
export const REPLICATION_TYPES = ["AGENT_BASED", "SNAPSHOT_SHIPPING"] as const;

type ErrorType = "VALIDATION_ERROR" | "PROCESSING_ERROR";

interface ImportErrorRecord {
  errorType: ErrorType;
  rowNumber?: number;
  rawError: string;
  sourceServerID?: string;
  applicationID?: string;
  waveID?: string;
}

// Type aliases (not interfaces) so the summary is assignable to JsonObject as it is.
type Counts = { createdCount: number; modifiedCount: number };
type Summary = { waves: Counts; applications: Counts; servers: Counts };

interface S3Source {
  s3Bucket: string;
  s3Key: string;
  s3BucketOwner?: string;
}

interface ImportRecord {
  importID: string;
  arn: string;
  s3BucketSource: S3Source;
  tags?: Record<string, string>;
  clientToken?: string;
  /** Canonical JSON of the request, to tell a retry from a different request with the same token. */
  requestKey: string;
  createdMs: number;
  startMs: number;
  endMs: number;
  /** Rows that passed the column checks when the file was read at StartImport. */
  rows: ImportRow[];
  /** Errors found when the file was read (bad rows, or a file that cannot be used at all). */
  readErrors: ImportErrorRecord[];
  /** True when the whole file was unusable (missing, unparsable, bad header, no rows). */
  fileFailed: boolean;
  /** Set once emulated time passes endMs and the rows have been applied to the inventory. */
  result?: { status: "SUCCEEDED" | "FAILED"; summary: Summary; errors: ImportErrorRecord[] };
}

interface WaveRecord {
  waveID: string;
  arn: string;
  name: string;
  description?: string;
  tags: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
}

interface AppRecord extends Omit<WaveRecord, "waveID"> {
  applicationID: string;
  waveID?: string;
}

interface ServerRecord {
  sourceServerID: string;
  arn: string;
  userProvidedID?: string;
  platform?: string;
  fqdn?: string;
  applicationID?: string;
  tags: Record<string, string>;
  launch: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
}

interface MgnState {
  initialized: boolean;
  imports: ImportRecord[];
  waves: Record<string, WaveRecord>;
  apps: Record<string, AppRecord>;
  servers: Record<string, ServerRecord>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function rawState(ctx: OperationContext): MgnState {
  return ctx.state<MgnState>("inventory", () => ({
    initialized: false,
    imports: [],
    waves: {},
    apps: {},
    servers: {},
  }));
}

/** The state of an initialized account, with every import whose time has come applied. */
function state(ctx: OperationContext): MgnState {
  const s = rawState(ctx);
  if (!s.initialized) throw uninitializedAccount();
  const now = ctx.clock.now();
  const due = s.imports
    .filter((i) => !i.result && i.endMs <= now)
    .sort((a, b) => a.endMs - b.endMs);
  for (const imp of due) {
    imp.result = applyImport(ctx, s, imp);
    ctx.markDirty();
  }
  return s;
}

function statusOf(imp: ImportRecord, now: number): { status: ImportStatus; progress: number } {
  if (imp.result) return { status: imp.result.status, progress: 100 };
  if (now < imp.startMs) return { status: "PENDING", progress: 0 };
  const done = (now - imp.startMs) / (imp.endMs - imp.startMs);
  return { status: "STARTED", progress: Math.min(99, Math.floor(done * 100)) };
}

const emptySummary = (): Summary => ({
  waves: { createdCount: 0, modifiedCount: 0 },
  applications: { createdCount: 0, modifiedCount: 0 },
  servers: { createdCount: 0, modifiedCount: 0 },
});

function importView(imp: ImportRecord, now: number): JsonObject {
  const { status, progress } = statusOf(imp, now);
  return {
    importID: imp.importID,
    arn: imp.arn,
    s3BucketSource: { ...imp.s3BucketSource },
    creationDateTime: iso(imp.createdMs),
    ...(imp.result ? { endDateTime: iso(imp.endMs) } : {}),
    status,
    progressPercentage: progress,
    summary: { ...(imp.result?.summary ?? emptySummary()) },
    ...(imp.tags ? { tags: { ...imp.tags } } : {}),
  };
}

// ---- Applying an import's rows to the inventory ------------------------------------------------

/** A rejected row: recorded as an import error, never sent to the client as an API error. */
class RowError extends Error {
  constructor(
    readonly errorType: ErrorType,
    readonly rawError: string,
    readonly ids: Pick<ImportErrorRecord, "sourceServerID" | "applicationID" | "waveID"> = {},
  ) {
    super(rawError);
  }
}

interface ImportPass {
  readonly created: { waves: Set<string>; apps: Set<string>; servers: Set<string> };
  readonly modified: { waves: Set<string>; apps: Set<string>; servers: Set<string> };
  /** `resourceID field` → the value an earlier row of this import set, and that row. */
  readonly setBy: Map<string, { value: string; row: number }>;
}

function applyImport(
  ctx: OperationContext,
  s: MgnState,
  imp: ImportRecord,
): NonNullable<ImportRecord["result"]> {
  const errors = [...imp.readErrors];
  if (imp.fileFailed) return { status: "FAILED", summary: emptySummary(), errors };
  const pass: ImportPass = {
    created: { waves: new Set(), apps: new Set(), servers: new Set() },
    modified: { waves: new Set(), apps: new Set(), servers: new Set() },
    setBy: new Map(),
  };
  let applied = 0;
  for (const row of imp.rows) {
    try {
      applyRow(ctx, s, imp.endMs, row, pass);
      applied++;
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      errors.push({
        errorType: err.errorType,
        rowNumber: row.rowNumber,
        rawError: err.rawError,
        ...err.ids,
      });
    }
  }
  errors.sort((a, b) => (a.rowNumber ?? 0) - (b.rowNumber ?? 0));
  const count = (kind: "waves" | "apps" | "servers"): Counts => ({
    createdCount: pass.created[kind].size,
    modifiedCount: [...pass.modified[kind]].filter((id) => !pass.created[kind].has(id)).length,
  });
  return {
    // Rejected rows do not fail an import that applied others; an import with none applied fails.
    status: applied > 0 ? "SUCCEEDED" : "FAILED",
    summary: { waves: count("waves"), applications: count("apps"), servers: count("servers") },
    errors,
  };
}

/** Finds a wave or application by explicit ID (update-or-fail) or by name (update-or-create). */
function resolveEntity<T extends { name: string }>(
  records: Record<string, T>,
  part: EntityPart,
  label: string,
  idOf: (r: T) => string,
): T | undefined {
  if (part.id !== undefined) {
    const found = records[part.id];
    if (!found) throw new RowError("PROCESSING_ERROR", `${label} ${part.id} does not exist`);
    if (part.name !== undefined && part.name !== found.name) {
      const clash = Object.values(records).find((r) => r.name === part.name);
      if (clash) {
        throw new RowError(
          "VALIDATION_ERROR",
          `${label} name ${part.name} is already used by ${idOf(clash)}`,
        );
      }
    }
    return found;
  }
  return Object.values(records).find((r) => r.name === part.name);
}

function applyRow(
  ctx: OperationContext,
  s: MgnState,
  at: number,
  row: ImportRow,
  pass: ImportPass,
): void {
  // Resolve everything first: a rejected row changes nothing.
  const wave = row.wave ? resolveEntity(s.waves, row.wave, "Wave", (w) => w.waveID) : undefined;
  const app = row.app
    ? resolveEntity(s.apps, row.app, "Application", (a) => a.applicationID)
    : undefined;
  let server: ServerRecord | undefined;
  const sp = row.server;
  if (sp) {
    if (sp.id !== undefined) {
      server = s.servers[sp.id];
      if (!server) throw new RowError("PROCESSING_ERROR", `Source server ${sp.id} does not exist`);
      if (
        sp.userProvidedID !== undefined &&
        server.userProvidedID !== undefined &&
        sp.userProvidedID !== server.userProvidedID
      ) {
        throw new RowError(
          "VALIDATION_ERROR",
          `mgn:server:user-provided-id of ${sp.id} is ${server.userProvidedID} and cannot be changed`,
          { sourceServerID: sp.id },
        );
      }
    } else {
      server = Object.values(s.servers).find((r) => r.userProvidedID === sp.userProvidedID);
    }
    if (!server && sp.fqdn === undefined) {
      throw new RowError(
        "VALIDATION_ERROR",
        "A new server needs an IP address or an FQDN (mgn:server:fqdn-for-action-framework)",
      );
    }
  }

  // Two rows about the same resource may leave values out, but must not disagree.
  const before = fieldSets(row, wave?.waveID, app?.applicationID, server?.sourceServerID);
  for (const [id, field, value] of before) {
    const earlier = id === undefined ? undefined : pass.setBy.get(`${id} ${field}`);
    if (earlier && earlier.value !== value) {
      throw new RowError(
        "VALIDATION_ERROR",
        `${field} is ${value} here but ${earlier.value} in row ${earlier.row} for the same resource`,
      );
    }
  }

  // Apply.
  let waveID: string | undefined;
  if (row.wave) {
    let w = wave;
    if (!w) {
      const id = `wave-${ctx.random.hex(17)}`;
      w = {
        waveID: id,
        arn: arnOf(ctx, "wave", id),
        name: row.wave.name ?? "",
        tags: {},
        createdMs: at,
        modifiedMs: at,
      };
      s.waves[id] = w;
      pass.created.waves.add(id);
    }
    if (row.wave.name !== undefined) w.name = row.wave.name;
    if (row.wave.description !== undefined) w.description = row.wave.description;
    Object.assign(w.tags, row.wave.tags);
    w.modifiedMs = at;
    pass.modified.waves.add(w.waveID);
    waveID = w.waveID;
  }
  let applicationID: string | undefined;
  if (row.app) {
    let a = app;
    if (!a) {
      const id = `app-${ctx.random.hex(17)}`;
      a = {
        applicationID: id,
        arn: arnOf(ctx, "application", id),
        name: row.app.name ?? "",
        tags: {},
        createdMs: at,
        modifiedMs: at,
      };
      s.apps[id] = a;
      pass.created.apps.add(id);
    }
    if (row.app.name !== undefined) a.name = row.app.name;
    if (row.app.description !== undefined) a.description = row.app.description;
    if (waveID !== undefined) a.waveID = waveID;
    Object.assign(a.tags, row.app.tags);
    a.modifiedMs = at;
    pass.modified.apps.add(a.applicationID);
    applicationID = a.applicationID;
  }
  let sourceServerID: string | undefined;
  if (sp) {
    let v = server;
    if (!v) {
      const id = `s-${ctx.random.hex(17)}`;
      v = {
        sourceServerID: id,
        arn: arnOf(ctx, "source-server", id),
        tags: {},
        launch: {},
        createdMs: at,
        modifiedMs: at,
      };
      s.servers[id] = v;
      pass.created.servers.add(id);
    }
    if (sp.userProvidedID !== undefined) v.userProvidedID = sp.userProvidedID;
    if (sp.platform !== undefined) v.platform = sp.platform;
    if (sp.fqdn !== undefined) v.fqdn = sp.fqdn;
    if (applicationID !== undefined) v.applicationID = applicationID;
    Object.assign(v.tags, sp.tags);
    Object.assign(v.launch, sp.launch);
    v.modifiedMs = at;
    pass.modified.servers.add(v.sourceServerID);
    sourceServerID = v.sourceServerID;
  }
  for (const [id, field, value] of fieldSets(row, waveID, applicationID, sourceServerID)) {
    if (id !== undefined) pass.setBy.set(`${id} ${field}`, { value, row: row.rowNumber });
  }
}

/** Each value a row sets, as [owner ID (undefined while the owner is new), column, value]. */
function fieldSets(
  row: ImportRow,
  waveID: string | undefined,
  applicationID: string | undefined,
  sourceServerID: string | undefined,
): [string | undefined, string, string][] {
  const out: [string | undefined, string, string][] = [];
  const add = (id: string | undefined, field: string, value: string | undefined): void => {
    if (value !== undefined) out.push([id, field, value]);
  };
  const entity = (id: string | undefined, prefix: string, part: EntityPart): void => {
    add(id, `${prefix}:description`, part.description);
    if (part.id !== undefined) add(id, `${prefix}:name`, part.name);
    for (const [k, v] of Object.entries(part.tags)) add(id, `${prefix}:tag:${k}`, v);
  };
  // A new wave or application is named by its alternate key until it has an ID.
  const waveRef = row.wave ? (waveID ?? `new wave ${row.wave.name ?? ""}`) : undefined;
  const appRef = row.app ? (applicationID ?? `new application ${row.app.name ?? ""}`) : undefined;
  if (row.wave) entity(waveID, "mgn:wave", row.wave);
  if (row.app) {
    entity(applicationID, "mgn:app", row.app);
    add(applicationID, "wave of the application", waveRef);
  }
  const sp = row.server;
  if (sp) {
    add(sourceServerID, "mgn:server:platform", sp.platform);
    add(sourceServerID, "mgn:server:fqdn-for-action-framework", sp.fqdn);
    for (const [k, v] of Object.entries(sp.tags)) add(sourceServerID, `mgn:server:tag:${k}`, v);
    for (const [k, v] of Object.entries(sp.launch)) add(sourceServerID, k, v);
    add(sourceServerID, "application of the server", appRef);
  }
  return out;
}

function arnOf(ctx: OperationContext, type: string, id: string): string {
  return `arn:aws:mgn:${ctx.region}:${ctx.accountId}:${type}/${id}`;
}

// ---- Operations --------------------------------------------------------------------------------

export function initializeService(ctx: OperationContext): JsonObject {
  const s = rawState(ctx);
  if (!s.initialized) {
    s.initialized = true;
    ctx.markDirty();
  }
  return {};
}

const CLIENT_TOKEN: StringRule = { min: 0, max: 64 };
const S3_BUCKET: StringRule = {
  pattern: "[a-zA-Z0-9.\\-_]{1,255}",
  regex: /^[a-zA-Z0-9.\-_]{1,255}$/,
};
const S3_KEY: StringRule = { pattern: "[^\\x00]{1,1020}\\.csv", regex: /^[^\x00]{1,1020}\.csv$/ }; // eslint-disable-line no-control-regex
const TAG_KEY: StringRule = { min: 0, max: 256 };
const TAG_VALUE: StringRule = { min: 0, max: 256 };

function tagsMap(
  check: Checker,
  name: string,
  value: JsonValue | undefined,
): Record<string, string> | undefined {
  const obj = check.object(name, value);
  if (!obj) return undefined;
  const entries = Object.entries(obj);
  if (entries.length > 50) {
    check.fail(name, "Member must have length less than or equal to 50");
    return undefined;
  }
  const tags: Record<string, string> = {};
  for (const [k, v] of entries) {
    const key = check.string(`${name}.key`, k, TAG_KEY);
    const val = check.string(`${name}.${k}`, v, TAG_VALUE, true);
    if (key !== undefined && val !== undefined) tags[key] = val;
  }
  return tags;
}

export function startImport(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const token = check.string("clientToken", input.clientToken, CLIENT_TOKEN);
  const src = check.object("s3BucketSource", input.s3BucketSource, true);
  const s3Bucket = src
    ? check.string("s3BucketSource.s3Bucket", src.s3Bucket, S3_BUCKET, true)
    : undefined;
  const s3Key = src ? check.string("s3BucketSource.s3Key", src.s3Key, S3_KEY, true) : undefined;
  const owner = src
    ? check.string("s3BucketSource.s3BucketOwner", src.s3BucketOwner, ID_RULES.accountID)
    : undefined;
  const tags = tagsMap(check, "tags", input.tags);
  check.done();
  const source: S3Source = {
    s3Bucket: s3Bucket!,
    s3Key: s3Key!,
    ...(owner !== undefined ? { s3BucketOwner: owner } : {}),
  };
  const requestKey = JSON.stringify([
    source.s3Bucket,
    source.s3Key,
    source.s3BucketOwner ?? null,
    tags ?? null,
  ]);
  const now = ctx.clock.now();

  // The SDK fills clientToken with a fresh UUID per call; a retry of the same call reuses it.
  if (token) {
    const earlier = s.imports.find((i) => i.clientToken === token);
    if (earlier) {
      if (earlier.requestKey !== requestKey) {
        throw conflict(
          `Client token ${token} was already used by import ${earlier.importID} with different parameters.`,
          "IMPORT",
          earlier.importID,
        );
      }
      return { importTask: importView(earlier, now) };
    }
  }
  const running = s.imports.filter((i) => !i.result).length;
  // Chosen durations (EmulatorOptions.taskDurationMs) ask for many imports at once: no cap then.
  if (running >= MAX_IMPORTS_IN_PROGRESS && ctx.taskDurationMs === undefined) {
    throw importQuotaExceeded(MAX_IMPORTS_IN_PROGRESS);
  }

  const importID = `import-${ctx.random.hex(17)}`;
  const seededMs = Math.round(ctx.random.between(IMPORT_SECONDS.min, IMPORT_SECONDS.max) * 1000);
  const durationMs = ctx.taskDurationMs?.({ id: importID }) ?? seededMs;
  const imp: ImportRecord = {
    importID,
    arn: arnOf(ctx, "import", importID),
    s3BucketSource: source,
    ...(tags ? { tags } : {}),
    ...(token ? { clientToken: token } : {}),
    requestKey,
    createdMs: now,
    startMs: now + Math.min(PENDING_MS, durationMs),
    endMs: now + durationMs,
    rows: [],
    readErrors: [],
    fileFailed: false,
  };
  readImportFile(ctx, imp);
  s.imports.push(imp);
  ctx.markDirty();
  return { importTask: importView(imp, now) };
}

/** MGN reads the file when the import starts; later changes to the object do not affect it. */
function readImportFile(ctx: OperationContext, imp: ImportRecord): void {
  const { s3Bucket, s3Key, s3BucketOwner } = imp.s3BucketSource;
  const fileError = (errorType: ErrorType, rawError: string, rowNumber?: number): void => {
    imp.fileFailed = true;
    imp.readErrors.push({ errorType, rawError, ...(rowNumber !== undefined ? { rowNumber } : {}) });
  };
  const read = ctx.s3.read(s3Bucket, s3Key);
  if (!read.ok) {
    fileError(
      "PROCESSING_ERROR",
      read.reason === "NoSuchBucket"
        ? `NoSuchBucket: The specified bucket does not exist: ${s3Bucket}`
        : `NoSuchKey: The specified key does not exist: s3://${s3Bucket}/${s3Key}`,
    );
    return;
  }
  if ((s3BucketOwner ?? ctx.accountId) !== read.bucket.ownerAccountId) {
    fileError(
      "PROCESSING_ERROR",
      `AccessDenied: bucket ${s3Bucket} is not owned by account ${s3BucketOwner ?? ctx.accountId}`,
    );
    return;
  }
  const table = parseCsv(read.body.toString("utf8"));
  if ("error" in table) return fileError("VALIDATION_ERROR", table.error);
  const headerError = checkHeader(table.header);
  if (headerError !== undefined) return fileError("VALIDATION_ERROR", headerError, 1);
  if (table.rows.length === 0) return fileError("VALIDATION_ERROR", "The file has no data rows");
  for (const row of table.rows) {
    const parsed = interpretRow(table.header, row, {
      accountId: ctx.accountId,
      region: ctx.region,
    });
    if ("error" in parsed) {
      imp.readErrors.push({
        errorType: "VALIDATION_ERROR",
        rowNumber: row.rowNumber,
        rawError: parsed.error,
      });
    } else imp.rows.push(parsed);
  }
}

const MAX_RESULTS = { min: 1, max: 1000 } as const;

function pageArgs(check: Checker, input: JsonObject): { max: number; token: string | undefined } {
  const max =
    check.int("maxResults", input.maxResults, MAX_RESULTS.min, MAX_RESULTS.max) ?? MAX_RESULTS.max;
  const token = check.string("nextToken", input.nextToken, PAGINATION_TOKEN);
  return { max, token };
}

function page(items: JsonObject[], token: string | undefined, max: number): JsonObject {
  const { page: out, next } = paginate(items, token, max);
  return { items: out, ...(next !== undefined ? { nextToken: next } : {}) };
}

export function listImports(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const filters = check.object("filters", input.filters);
  const ids = filters
    ? check.stringList("filters.importIDs", filters.importIDs, 10, ID_RULES.importID)
    : undefined;
  const { max, token } = pageArgs(check, input);
  check.done();
  const now = ctx.clock.now();
  const chosen =
    ids && ids.length > 0 ? s.imports.filter((i) => ids.includes(i.importID)) : s.imports;
  return page(
    chosen.map((i) => importView(i, now)),
    token,
    max,
  );
}

export function listImportErrors(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const importID = check.string("importID", input.importID, ID_RULES.importID, true);
  const { max, token } = pageArgs(check, input);
  check.done();
  // Errors are known once the import has finished; an unknown import has none.
  const imp = s.imports.find((i) => i.importID === importID);
  const result = imp?.result;
  const items = (result?.errors ?? []).map((e) => {
    const { errorType, ...errorData } = e;
    return { errorDateTime: iso(imp!.endMs), errorType, errorData: { ...errorData } };
  });
  return page(items, token, max);
}

/** `accountID` names a managed account; the emulator manages none, so another account has no inventory. */
function ownAccount(ctx: OperationContext, check: Checker, input: JsonObject): boolean {
  const account = check.string("accountID", input.accountID, ID_RULES.accountID);
  return account === undefined || account === ctx.accountId;
}

function serverView(ctx: OperationContext, v: ServerRecord): JsonObject {
  return {
    sourceServerID: v.sourceServerID,
    arn: v.arn,
    isArchived: false,
    tags: { ...v.tags },
    lifeCycle: { addedToServiceDateTime: iso(v.createdMs), state: "PENDING_INSTALLATION" },
    sourceProperties: {
      lastUpdatedDateTime: iso(v.modifiedMs),
      identificationHints: v.fqdn !== undefined ? { fqdn: v.fqdn } : {},
      ...(v.platform !== undefined ? { os: { fullString: v.platform } } : {}),
    },
    replicationType: "AGENT_BASED",
    ...(v.applicationID !== undefined ? { applicationID: v.applicationID } : {}),
    ...(v.userProvidedID !== undefined ? { userProvidedID: v.userProvidedID } : {}),
    ...(v.fqdn !== undefined ? { fqdnForActionFramework: v.fqdn } : {}),
  };
}

export function describeSourceServers(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const f = check.object("filters", input.filters);
  const ids = f
    ? check.stringList("filters.sourceServerIDs", f.sourceServerIDs, 200, ID_RULES.sourceServerID)
    : undefined;
  const archived = f ? check.bool("filters.isArchived", f.isArchived) : undefined;
  const types = f
    ? check.stringList("filters.replicationTypes", f.replicationTypes, 2, {
        values: REPLICATION_TYPES,
      })
    : undefined;
  const states = f
    ? check.stringList("filters.lifeCycleStates", f.lifeCycleStates, 10, {
        values: LIFE_CYCLE_STATES,
      })
    : undefined;
  const apps = f
    ? check.stringList("filters.applicationIDs", f.applicationIDs, 200, ID_RULES.applicationID)
    : undefined;
  const { max, token } = pageArgs(check, input);
  check.done();
  const items = own
    ? Object.values(s.servers)
        .filter((v) => !ids?.length || ids.includes(v.sourceServerID))
        .filter(() => archived !== true)
        .filter(() => !types?.length || types.includes("AGENT_BASED"))
        .filter(() => !states?.length || states.includes("PENDING_INSTALLATION"))
        .filter(
          (v) => !apps?.length || (v.applicationID !== undefined && apps.includes(v.applicationID)),
        )
        .map((v) => serverView(ctx, v))
    : [];
  return page(items, token, max);
}

export function listApplications(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const f = check.object("filters", input.filters);
  const ids = f
    ? check.stringList("filters.applicationIDs", f.applicationIDs, 200, ID_RULES.applicationID)
    : undefined;
  const archived = f ? check.bool("filters.isArchived", f.isArchived) : undefined;
  const waves = f
    ? check.stringList("filters.waveIDs", f.waveIDs, 200, ID_RULES.waveID)
    : undefined;
  const { max, token } = pageArgs(check, input);
  check.done();
  const servers = Object.values(s.servers);
  const items = own
    ? Object.values(s.apps)
        .filter((a) => !ids?.length || ids.includes(a.applicationID))
        .filter(() => archived !== true)
        .filter((a) => !waves?.length || (a.waveID !== undefined && waves.includes(a.waveID)))
        .map((a) => ({
          applicationID: a.applicationID,
          arn: a.arn,
          name: a.name,
          ...(a.description !== undefined ? { description: a.description } : {}),
          isArchived: false,
          applicationAggregatedStatus: {
            lastUpdateDateTime: iso(a.modifiedMs),
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalSourceServers: servers.filter((v) => v.applicationID === a.applicationID).length,
          },
          creationDateTime: iso(a.createdMs),
          lastModifiedDateTime: iso(a.modifiedMs),
          tags: { ...a.tags },
          ...(a.waveID !== undefined ? { waveID: a.waveID } : {}),
        }))
    : [];
  return page(items, token, max);
}

export function listWaves(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const f = check.object("filters", input.filters);
  const ids = f ? check.stringList("filters.waveIDs", f.waveIDs, 200, ID_RULES.waveID) : undefined;
  const archived = f ? check.bool("filters.isArchived", f.isArchived) : undefined;
  const { max, token } = pageArgs(check, input);
  check.done();
  const apps = Object.values(s.apps);
  const items = own
    ? Object.values(s.waves)
        .filter((w) => !ids?.length || ids.includes(w.waveID))
        .filter(() => archived !== true)
        .map((w) => ({
          waveID: w.waveID,
          arn: w.arn,
          name: w.name,
          ...(w.description !== undefined ? { description: w.description } : {}),
          isArchived: false,
          waveAggregatedStatus: {
            lastUpdateDateTime: iso(w.modifiedMs),
            healthStatus: "HEALTHY",
            progressStatus: "NOT_STARTED",
            totalApplications: apps.filter((a) => a.waveID === w.waveID).length,
          },
          creationDateTime: iso(w.createdMs),
          lastModifiedDateTime: iso(w.modifiedMs),
          tags: { ...w.tags },
        }))
    : [];
  return page(items, token, max);
}

export function deleteSourceServer(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const id = check.string("sourceServerID", input.sourceServerID, ID_RULES.sourceServerID, true);
  check.done();
  // Imported servers have no agent yet (PENDING_INSTALLATION), so nothing replicates and they can go.
  if (!own || !s.servers[id!]) throw resourceNotFound("SOURCE_SERVER", id!);
  delete s.servers[id!];
  ctx.markDirty();
  return {};
}

export function deleteApplication(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const id = check.string("applicationID", input.applicationID, ID_RULES.applicationID, true);
  check.done();
  if (!own || !s.apps[id!]) throw resourceNotFound("APPLICATION", id!);
  const members = Object.values(s.servers).filter((v) => v.applicationID === id).length;
  if (members > 0) {
    throw conflict(
      `Application ${id!} still has ${members} source server(s). Delete or disassociate them first.`,
      "APPLICATION",
      id!,
    );
  }
  delete s.apps[id!];
  ctx.markDirty();
  return {};
}

export function deleteWave(ctx: OperationContext, input: JsonObject): JsonObject {
  const s = state(ctx);
  const check = new Checker();
  const own = ownAccount(ctx, check, input);
  const id = check.string("waveID", input.waveID, ID_RULES.waveID, true);
  check.done();
  if (!own || !s.waves[id!]) throw resourceNotFound("WAVE", id!);
  const members = Object.values(s.apps).filter((a) => a.waveID === id).length;
  if (members > 0) {
    throw conflict(
      `Wave ${id!} still has ${members} application(s). Delete or disassociate them first.`,
      "WAVE",
      id!,
    );
  }
  delete s.waves[id!];
  ctx.markDirty();
  return {};
}
