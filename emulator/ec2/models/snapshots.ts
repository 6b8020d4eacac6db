import type { OperationContext, QueryParams } from "../../core/service";
import { snapshotInUse, snapshotMalformed, snapshotNotFound } from "../errors";
import { Params } from "../params";
import { visibleImports } from "./importImages";
import { state } from "./state";

/** EBS snapshots that imports leave behind: DeleteSnapshot. */

const SNAP_ID = /^snap-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export function deleteSnapshot(ctx: OperationContext, params: QueryParams): void {
  const id = new Params(params).required("SnapshotId");
  if (!SNAP_ID.test(id)) throw snapshotMalformed(id);
  visibleImports(ctx);
  const s = state(ctx);
  const snap = s.snapshots[id];
  if (!snap) throw snapshotNotFound(id);
  if (snap.imageId !== undefined) throw snapshotInUse(id, snap.imageId);
  delete s.snapshots[id];
  ctx.markDirty();
}
