import type { OperationContext, QueryParams } from "../../core/service";
import { amiMalformed, amiNotFound, invalidFilter } from "../errors";
import { Params } from "../params";
import { visibleImports } from "./importImages";
import { globMatch, type ImageRecord, iso, state } from "./state";

/** The AMIs a finished ImportImage registers: DescribeImages, DeregisterImage. */

export interface ImageView {
  record: ImageRecord;
  ownerId: string;
  creationDate: string;
}

const AMI_ID = /^ami-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const IMAGE_FILTERS = [
  "image-id",
  "name",
  "state",
  "architecture",
  "platform",
  "owner-id",
] as const;

export function describeImages(ctx: OperationContext, params: QueryParams): ImageView[] {
  const p = new Params(params);
  visibleImports(ctx);
  const s = state(ctx);
  const ids = p.strings("ImageId");
  for (const id of ids) if (!AMI_ID.test(id)) throw amiMalformed(id);
  const missing = ids.filter((id) => !s.images[id]);
  if (missing.length > 0) throw amiNotFound(missing);
  const owners = p.strings("Owner");
  const filters = p.list("Filter").map((f) => {
    const name = f.required("Name");
    if (!(IMAGE_FILTERS as readonly string[]).includes(name)) throw invalidFilter(name);
    return { name, values: f.strings("Value") };
  });
  let images = ids.length > 0 ? ids.map((id) => s.images[id]!) : Object.values(s.images);
  if (owners.length > 0 && !owners.some((o) => o === "self" || o === ctx.accountId)) images = [];
  images = images.filter((img) =>
    filters.every((f) => f.values.some((v) => globMatch(v, imageField(ctx, img, f.name)))),
  );
  return images
    .sort((a, b) => a.creationMs - b.creationMs || (a.imageId < b.imageId ? -1 : 1))
    .map((record) => ({ record, ownerId: ctx.accountId, creationDate: iso(record.creationMs) }));
}

function imageField(ctx: OperationContext, img: ImageRecord, name: string): string {
  switch (name) {
    case "image-id":
      return img.imageId;
    case "name":
      return img.name;
    case "state":
      return "available";
    case "architecture":
      return img.architecture;
    case "platform":
      return img.platform === "Windows" ? "windows" : "";
    default:
      return ctx.accountId;
  }
}

export function deregisterImage(
  ctx: OperationContext,
  params: QueryParams,
): { deletedSnapshots?: string[] } {
  const p = new Params(params);
  const id = p.required("ImageId");
  if (!AMI_ID.test(id)) throw amiMalformed(id);
  visibleImports(ctx);
  const s = state(ctx);
  const image = s.images[id];
  if (!image) throw amiNotFound([id]);
  const deleteSnapshots = p.bool("DeleteAssociatedSnapshots") === true;
  delete s.images[id];
  for (const b of image.blockDevices) {
    const snap = s.snapshots[b.snapshotId];
    if (!snap) continue;
    if (deleteSnapshots) delete s.snapshots[b.snapshotId];
    else delete snap.imageId;
  }
  ctx.markDirty();
  return deleteSnapshots ? { deletedSnapshots: image.blockDevices.map((b) => b.snapshotId) } : {};
}
