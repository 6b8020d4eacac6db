/**
 * `deleteInventoryOnDelete`: MGN has no API to delete or undo an import, so delete can instead
 * remove the source servers, applications and waves the import created, chosen by tag or MGN's
 * alternate keys (DeleteSourceServer, DeleteApplication, DeleteWave; in that order, since MGN
 * refuses to delete a non-empty parent).
 * https://docs.aws.amazon.com/mgn/latest/APIReference/API_DeleteSourceServer.html
 */
import { ImportTaskFailedError, isAwsApiError } from "../core/errors";
import type { TaskContext } from "../core/task/spec";
import type { MgnApi } from "./api";
import { classify, type ImportTaskInputs, type MgnImport } from "./importTaskLogic";

/** What `deleteInventoryOnDelete` selects: resources the import created, by tag or alternate key. */
export interface InventorySelector {
  tag?: { key: string; value: string };
  userProvidedIds?: string[];
  applicationNames?: string[];
  waveNames?: string[];
}

type Tags = { tags: Record<string, string> };

/** Source servers, applications and waves of the account and region, as delete selects them. */
export interface Inventory {
  servers: (Tags & { sourceServerID: string; userProvidedID?: string; applicationID?: string })[];
  applications: (Tags & { applicationID: string; name: string; waveID?: string })[];
  waves: (Tags & { waveID: string; name: string })[];
}

export interface InventoryPlan {
  /** In deletion order: servers, then applications, then waves (MGN refuses a non-empty parent). */
  servers: string[];
  applications: string[];
  waves: string[];
  /** Selected parents kept because unselected members still belong to them. */
  kept: { id: string; reason: string }[];
}

/**
 * Which inventory to delete: resources carrying the selector's tag, servers by user-provided ID,
 * applications and waves by name (MGN's alternate keys). A selected application or wave that still
 * holds an unselected member is kept — it is not only this import's — and reported.
 */
export function planInventoryRemoval(inv: Inventory, sel: InventorySelector): InventoryPlan {
  const tagged = (tags: Record<string, string>): boolean =>
    sel.tag !== undefined && tags[sel.tag.key] === sel.tag.value;
  const servers = inv.servers.filter(
    (s) =>
      tagged(s.tags) ||
      (s.userProvidedID !== undefined && (sel.userProvidedIds ?? []).includes(s.userProvidedID)),
  );
  const kept: InventoryPlan["kept"] = [];
  // A selected parent goes only once none of its members stays; otherwise it is kept, and said.
  const emptied = (id: string, what: string, others: number, members: string): boolean => {
    if (others === 0) return true;
    const reason = `${what} (${id}) still has ${others} ${members} the selector does not match`;
    kept.push({ id, reason });
    return false;
  };
  const gone = new Set(servers.map((s) => s.sourceServerID));
  const applications = inv.applications.filter((a) => {
    if (!tagged(a.tags) && !(sel.applicationNames ?? []).includes(a.name)) return false;
    const { applicationID: id } = a;
    const others = inv.servers.filter((s) => s.applicationID === id && !gone.has(s.sourceServerID));
    return emptied(id, `application ${a.name}`, others.length, "source server(s)");
  });
  const goneApps = new Set(applications.map((a) => a.applicationID));
  const waves = inv.waves.filter((w) => {
    if (!tagged(w.tags) && !(sel.waveNames ?? []).includes(w.name)) return false;
    const others = inv.applications.filter(
      (a) => a.waveID === w.waveID && !goneApps.has(a.applicationID),
    );
    return emptied(w.waveID, `wave ${w.name}`, others.length, "application(s)");
  });
  return {
    servers: servers.map((s) => s.sourceServerID),
    applications: applications.map((a) => a.applicationID),
    waves: waves.map((w) => w.waveID),
    kept,
  };
}

/**
 * One inventory listing shared by every delete that asks while it is in flight (a destroy deletes
 * many resources at once). A shared listing may name an item another delete has just removed;
 * that delete's ResourceNotFoundException counts as removed.
 */
export function sharedListing(list: () => Promise<Inventory>): () => Promise<Inventory> {
  let inFlight: Promise<Inventory> | undefined;
  return () =>
    (inFlight ??= list().finally(() => {
      inFlight = undefined;
    }));
}

/**
 * Delete: MGN has no API to delete an import, so by default it is left, with its inventory. With
 * `deleteInventoryOnDelete`, the inventory it selects is removed once the import has ended (a
 * running import keeps writing inventory).
 */
export async function deleteImport(
  ctx: TaskContext<MgnApi, { inventory(): Promise<Inventory> }, MgnImport>,
  id: string,
  inputs: ImportTaskInputs,
  props: Record<string, unknown>,
): Promise<void> {
  const { log } = ctx.runtime;
  const label = ctx.label(inputs, id);
  const selector = inputs.deleteInventoryOnDelete;
  if (selector === undefined) {
    log.info(
      label,
      "MGN has no API to delete an import: leaving it, and the inventory it created, in MGN (set deleteInventoryOnDelete to remove that inventory)",
    );
    return;
  }
  const current = await ctx.describe(id);
  if (current !== undefined && classify(current.status) === "pending") {
    await ctx.wait(id, "delete", inputs, { properties: props });
  }
  const fail = (reason: string, cause?: unknown): ImportTaskFailedError =>
    new ImportTaskFailedError({ id, properties: props, reasons: [reason], cause });
  const inventory = await ctx.state.inventory().catch((err: unknown) => {
    throw fail(err instanceof Error ? err.message : String(err), err);
  });
  const plan = planInventoryRemoval(inventory, selector);
  const problems: string[] = [];
  const remove = async (what: string, ids: string[], del: (id: string) => Promise<void>) => {
    let removed = 0;
    for (const one of ids) {
      // Already gone is what delete wants; anything else is reported together below.
      await del(one).then(
        () => removed++,
        (err: unknown) => {
          if (isAwsApiError(err) && err.code === "ResourceNotFoundException") return;
          problems.push(`${what} ${one}: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
    }
    return removed;
  };
  const { api } = ctx;
  const servers = await remove("source server", plan.servers, (s) => api.deleteSourceServer(s));
  const apps = await remove("application", plan.applications, (a) => api.deleteApplication(a));
  const waves = await remove("wave", plan.waves, (w) => api.deleteWave(w));
  for (const k of plan.kept) log.warn(label, `kept ${k.reason}`);
  log.info(
    label,
    `removed ${servers} source server(s), ${apps} application(s), ${waves} wave(s) selected by deleteInventoryOnDelete`,
  );
  if (problems.length > 0) {
    throw fail(
      `${ctx.subject(inputs, id)}: could not remove ${problems.length} inventory item(s): ${problems.join("; ")}. Fix the cause (a source server with a replicating agent must be disconnected first), then run \`pulumi destroy\` again, or remove deleteInventoryOnDelete to leave the inventory.`,
    );
  }
}
