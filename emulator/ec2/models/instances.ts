import type { OperationContext, QueryParams } from "../../core/service";
import {
  instanceMalformed,
  instanceNotFound,
  missingParameter,
  volumeInUse,
  volumeMalformed,
  volumeNotFound,
} from "../errors";
import { Params } from "../params";
import { visibleConversions } from "./conversions";
import { type InstanceRecord, iso, state, TEARDOWN_MS, type VolumeRecord } from "./state";

/** The stopped instances and attached volumes a finished ImportInstance leaves behind. */

/** How long a terminated instance stays visible in DescribeInstances (AWS: about an hour). */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;
const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const VOLUME_ID = /^vol-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

export interface InstanceView {
  record: InstanceRecord;
  state: { code: number; name: "stopped" | "shutting-down" | "terminated" };
}

export interface VolumeView {
  record: VolumeRecord;
  status: "in-use" | "available";
  createTime: string;
}

function instanceState(ctx: OperationContext, i: InstanceRecord): InstanceView["state"] {
  if (i.terminatedAtMs === undefined) return { code: 80, name: "stopped" };
  return ctx.clock.now() < i.terminatedAtMs + TEARDOWN_MS
    ? { code: 32, name: "shutting-down" }
    : { code: 48, name: "terminated" };
}

/** Materializes finished conversions, detaches volumes of terminated instances, forgets old ones. */
function visibleInstances(ctx: OperationContext): InstanceRecord[] {
  visibleConversions(ctx);
  const s = state(ctx);
  const now = ctx.clock.now();
  const out: InstanceRecord[] = [];
  for (const i of Object.values(s.instances ?? {})) {
    if (i.terminatedAtMs !== undefined && now >= i.terminatedAtMs + TEARDOWN_MS) {
      const v = s.volumes?.[i.volumeId];
      if (v?.instanceId === i.instanceId) {
        delete v.instanceId;
        ctx.markDirty();
      }
      if (now >= i.terminatedAtMs + TEARDOWN_MS + TERMINATED_VISIBLE_MS) {
        delete s.instances![i.instanceId];
        ctx.markDirty();
        continue;
      }
    }
    out.push(i);
  }
  return out.sort((a, b) => a.launchMs - b.launchMs || (a.instanceId < b.instanceId ? -1 : 1));
}

function checkInstanceIds(ctx: OperationContext, ids: readonly string[]): InstanceRecord[] {
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw instanceMalformed(id);
  }
  const visible = new Map(visibleInstances(ctx).map((i) => [i.instanceId, i]));
  const missing = ids.filter((id) => !visible.has(id));
  if (missing.length > 0) throw instanceNotFound(missing);
  return ids.map((id) => visible.get(id)!);
}

export function describeInstances(ctx: OperationContext, params: QueryParams): InstanceView[] {
  const ids = new Params(params).strings("InstanceId");
  const records = ids.length > 0 ? checkInstanceIds(ctx, ids) : visibleInstances(ctx);
  return records.map((record) => ({ record, state: instanceState(ctx, record) }));
}

export function terminateInstances(
  ctx: OperationContext,
  params: QueryParams,
): { instanceId: string; previous: InstanceView["state"]; current: InstanceView["state"] }[] {
  const ids = new Params(params).strings("InstanceId");
  if (ids.length === 0) throw missingParameter("InstanceId");
  return checkInstanceIds(ctx, ids).map((i) => {
    const previous = instanceState(ctx, i);
    i.terminatedAtMs ??= ctx.clock.now();
    ctx.markDirty();
    return { instanceId: i.instanceId, previous, current: instanceState(ctx, i) };
  });
}

function findVolume(ctx: OperationContext, id: string): VolumeRecord {
  if (!VOLUME_ID.test(id)) throw volumeMalformed(id);
  visibleInstances(ctx);
  const v = state(ctx).volumes?.[id];
  if (!v) throw volumeNotFound(id);
  return v;
}

export function describeVolumes(ctx: OperationContext, params: QueryParams): VolumeView[] {
  const ids = new Params(params).strings("VolumeId");
  visibleInstances(ctx);
  const records =
    ids.length > 0 ? ids.map((id) => findVolume(ctx, id)) : Object.values(state(ctx).volumes ?? {});
  return records.map((record) => ({
    record,
    status: record.instanceId === undefined ? "available" : "in-use",
    createTime: iso(record.createMs),
  }));
}

export function deleteVolume(ctx: OperationContext, params: QueryParams): void {
  const id = new Params(params).required("VolumeId");
  const v = findVolume(ctx, id);
  if (v.instanceId !== undefined) throw volumeInUse(id, v.instanceId);
  delete state(ctx).volumes![id];
  ctx.markDirty();
}
