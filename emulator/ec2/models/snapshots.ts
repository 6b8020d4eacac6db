import type { OperationContext, QueryParams } from "../../core/service";
import {
  invalidCombination,
  invalidFilter,
  invalidValue,
  snapshotInUse,
  snapshotMalformed,
  snapshotNotFound,
} from "../errors";
import { Params } from "../params";
import { visibleImports } from "./importImages";
import { visibleSnapshotImports } from "./importSnapshots";
import { globMatch, iso, nextTokenFor, offsetOf, type SnapshotRecord, state } from "./state";

/**
 * EBS snapshots that imports leave behind, one model for both: each disk of an ImportImage (in
 * use by its AMI until DeregisterImage) and each ImportSnapshot. DescribeSnapshots, DeleteSnapshot.
 * An imported snapshot exists only once its task completed, so its status is always `completed`.
 */

const SNAP_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
/** Imported snapshots have no source volume; EC2 reports this placeholder volume ID for them. */
export const IMPORTED_VOLUME_ID = "vol-ffffffff";
/** DescribeSnapshots' documented filters, besides `tag:<key>` (owner-alias never matches ours). */
const SNAPSHOT_FILTERS = [
  "description",
  "encrypted",
  "owner-alias",
  "owner-id",
  "progress",
  "snapshot-id",
  "start-time",
  "status",
  "storage-tier",
  "tag-key",
  "volume-id",
  "volume-size",
] as const;
/** DescribeSnapshots pages hold 5 to 1,000 snapshots; a larger MaxResults returns 1,000. */
const MIN_PAGE = 5;
const MAX_PAGE = 1000;

export interface SnapshotView {
  record: SnapshotRecord;
  ownerId: string;
  startTime: string;
  volumeId: string;
}

/** Advances both import families, so that every finished import has registered its snapshots. */
function snapshotsNow(ctx: OperationContext): Record<string, SnapshotRecord> {
  visibleImports(ctx);
  visibleSnapshotImports(ctx);
  return state(ctx).snapshots;
}

export function describeSnapshots(
  ctx: OperationContext,
  params: QueryParams,
): { snapshots: SnapshotView[]; nextToken?: string } {
  const p = new Params(params);
  const ids = p.strings("SnapshotId");
  for (const id of ids) if (!SNAP_ID.test(id)) throw snapshotMalformed(id);
  let max = p.int("MaxResults", 0);
  if (max !== undefined) {
    if (ids.length > 0)
      throw invalidCombination(
        "The parameter snapshotSet cannot be used with the parameter maxResults",
      );
    if (max < MIN_PAGE)
      throw invalidValue(
        "MaxResults",
        String(max),
        `Expecting a value between ${MIN_PAGE} and ${MAX_PAGE}.`,
      );
    max = Math.min(max, MAX_PAGE);
  }
  const filters = p.list("Filter").map((f) => {
    const name = f.required("Name");
    if (!(SNAPSHOT_FILTERS as readonly string[]).includes(name) && !name.startsWith("tag:"))
      throw invalidFilter(name);
    return { name, values: f.strings("Value") };
  });
  const offset = offsetOf(p.str("NextToken"));
  const all = snapshotsNow(ctx);
  const missing = ids.find((id) => !all[id]);
  if (missing !== undefined) throw snapshotNotFound(missing);
  let snapshots = ids.length > 0 ? [...new Set(ids)].map((id) => all[id]!) : Object.values(all);
  const mine = (who: string[]): boolean =>
    who.length === 0 || who.some((o) => o === "self" || o === ctx.accountId);
  // RestorableBy: the owner may always create volumes from its own snapshots; none are public.
  if (!mine(p.strings("Owner")) || !mine(p.strings("RestorableBy"))) snapshots = [];
  const views = snapshots
    .sort((a, b) => a.startMs - b.startMs || (a.snapshotId < b.snapshotId ? -1 : 1))
    .map((record): SnapshotView => ({
      record,
      ownerId: ctx.accountId,
      startTime: iso(record.startMs),
      volumeId: IMPORTED_VOLUME_ID,
    }))
    .filter((v) =>
      filters.every((f) =>
        f.values.some((want) => fieldValues(v, f.name).some((x) => globMatch(want, x))),
      ),
    );
  const end = max === undefined ? views.length : offset + max;
  const page = views.slice(offset, end);
  return end < views.length
    ? { snapshots: page, nextToken: nextTokenFor(end) }
    : { snapshots: page };
}

/** A snapshot's values for a filter name (several for tags; none when it has no such field). */
function fieldValues(v: SnapshotView, name: string): string[] {
  const s = v.record;
  switch (name) {
    case "description":
      return s.description !== undefined ? [s.description] : [];
    case "encrypted":
      return [String(s.encrypted)];
    case "owner-id":
      return [v.ownerId];
    case "progress":
      return ["100%"];
    case "snapshot-id":
      return [s.snapshotId];
    case "start-time":
      return [v.startTime];
    case "status":
      return ["completed"];
    case "storage-tier":
      return ["standard"];
    case "volume-id":
      return [v.volumeId];
    case "volume-size":
      return [String(s.volumeSize)];
    default:
      // owner-alias (ours are no Amazon snapshots), tag-key and tag:<key> (imports tag the task,
      // not the snapshot, and the emulator has no CreateTags).
      return [];
  }
}

export function deleteSnapshot(ctx: OperationContext, params: QueryParams): void {
  const id = new Params(params).required("SnapshotId");
  if (!SNAP_ID.test(id)) throw snapshotMalformed(id);
  const snapshots = snapshotsNow(ctx);
  const snap = snapshots[id];
  if (!snap) throw snapshotNotFound(id);
  if (snap.imageId !== undefined) throw snapshotInUse(id, snap.imageId);
  delete snapshots[id];
  ctx.markDirty();
}
