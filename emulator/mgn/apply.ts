import type { OperationContext } from "../core/service";
import type { EntityPart, ImportRow } from "./csv";
import { uninitializedAccount } from "./errors";
import {
  arnOf,
  type Counts,
  emptySummary,
  type ErrorType,
  type ImportErrorRecord,
  type ImportRecord,
  type MgnState,
  rawState,
  type ServerRecord,
} from "./models";

/**
 * Applying an import's rows to the inventory, lazily: every read of the state first applies the
 * imports whose time has come, in the order they end.
 */

/** The state of an initialized account, with every import whose time has come applied. */
export function state(ctx: OperationContext): MgnState {
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
