/** What `deleteInventoryOnDelete` removes: servers first (MGN refuses a non-empty parent). */
import type { Inventory } from "./api";

/** What `deleteInventoryOnDelete` selects: resources the import created, by tag or alternate key. */
export interface InventorySelector {
  tag?: { key: string; value: string };
  userProvidedIds?: string[];
  applicationNames?: string[];
  waveNames?: string[];
}

/**
 * Resources carrying the selector's tag, servers by user-provided ID, applications and waves by
 * name (MGN's alternate keys). A selected parent that still holds an unselected member is not only
 * this import's: it is kept, and said in `kept`.
 */
export function planInventoryRemoval(inv: Inventory, sel: InventorySelector) {
  const picked = (tags?: Record<string, string>, key?: string, keys: string[] = []): boolean =>
    (sel.tag !== undefined && tags?.[sel.tag.key] === sel.tag.value) ||
    (key !== undefined && keys.includes(key));
  const kept: { id: string; reason: string }[] = [];
  const emptied = (id: string, what: string, others: number, members: string): boolean => {
    if (others === 0) return true;
    const reason = `${what} (${id}) still has ${others} ${members} the selector does not match`;
    kept.push({ id, reason });
    return false;
  };
  const servers = inv.servers.filter((s) => picked(s.tags, s.userProvidedID, sel.userProvidedIds));
  const gone = new Set(servers.map((s) => s.sourceServerID));
  const applications = inv.applications.filter((a) => {
    if (!picked(a.tags, a.name, sel.applicationNames)) return false;
    const { applicationID: id } = a;
    const others = inv.servers.filter((s) => s.applicationID === id && !gone.has(s.sourceServerID));
    return emptied(id, `application ${a.name ?? ""}`, others.length, "source server(s)");
  });
  const goneApps = new Set(applications.map((a) => a.applicationID));
  const waves = inv.waves.filter((w) => {
    if (!picked(w.tags, w.name, sel.waveNames)) return false;
    const others = inv.applications.filter(
      (a) => a.waveID === w.waveID && !goneApps.has(a.applicationID),
    );
    return emptied(w.waveID, `wave ${w.name ?? ""}`, others.length, "application(s)");
  });
  return {
    servers: servers.map((s) => s.sourceServerID),
    applications: applications.map((a) => a.applicationID),
    waves: waves.map((w) => w.waveID),
    kept,
  };
}
