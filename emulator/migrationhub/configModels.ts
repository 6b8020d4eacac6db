import { type HomeRegionControl, homeRegionState } from "../core/homeRegion";
import type { JsonObject, OperationContext } from "../core/service";
import { bool, need, num, obj, str } from "../core/validated";
import { dryRunOperation, invalidInput } from "./errors";
import { paginate } from "./validate";

/**
 * Migration Hub Config: the home-region control of an account. The home region itself lives in
 * the shared core state (emulator/core/homeRegion.ts) because ADS and Migration Hub both gate on it.
 * Requests arrive checked against the Config model (configModel.generated.ts).
 */

interface Target {
  Type: string;
  Id?: string;
}

function parseTarget(ctx: OperationContext, input: JsonObject): Target | undefined {
  const value = obj(input, "Target");
  if (value === undefined) return undefined;
  const target: Target = { Type: need(value, "Type") };
  const id = str(value, "Id");
  if (id !== undefined) {
    // The only target is the caller's own account.
    if (id !== ctx.accountId)
      throw invalidInput(
        `Target account ${id} does not match the calling account ${ctx.accountId}.`,
      );
    target.Id = id;
  }
  return target;
}

function render(c: HomeRegionControl): JsonObject {
  return {
    ControlId: c.ControlId,
    HomeRegion: c.HomeRegion,
    Target: { ...c.Target },
    RequestedTime: c.RequestedTimeMs / 1000,
  };
}

export function createHomeRegionControl(ctx: OperationContext, input: JsonObject): JsonObject {
  const homeRegion = need(input, "HomeRegion");
  // Target is required by the model.
  const target = parseTarget(ctx, input) ?? { Type: "ACCOUNT" };
  if (bool(input, "DryRun") === true) throw dryRunOperation();
  const s = homeRegionState(ctx);
  // Once set, a home region can only be changed through AWS Support (MGH-UG home-region.md).
  if (s.homeRegion !== undefined && s.homeRegion !== homeRegion) {
    throw invalidInput(
      `The home region is already set to ${s.homeRegion}. Contact AWS Support to change it.`,
    );
  }
  // The same region again returns the existing control: a retried create must not fail.
  const existing = s.controls.find((c) => c.HomeRegion === homeRegion);
  if (existing) return { HomeRegionControl: render(existing) };
  const control: HomeRegionControl = {
    ControlId: `hrc-${ctx.random.chars("abcdefghijklmnopqrstuvwxyz0123456789", 12)}`,
    HomeRegion: homeRegion,
    Target: target.Id === undefined ? { Type: target.Type } : { Type: target.Type, Id: target.Id },
    RequestedTimeMs: ctx.clock.now(),
  };
  s.controls.push(control);
  s.homeRegion = homeRegion;
  ctx.markDirty();
  return { HomeRegionControl: render(control) };
}

export function describeHomeRegionControls(ctx: OperationContext, input: JsonObject): JsonObject {
  const controlId = str(input, "ControlId");
  const homeRegion = str(input, "HomeRegion");
  const target = parseTarget(ctx, input);
  const max = num(input, "MaxResults") ?? 100;
  const token = str(input, "NextToken");
  const matches = homeRegionState(ctx).controls.filter(
    (c) =>
      (controlId === undefined || c.ControlId === controlId) &&
      (homeRegion === undefined || c.HomeRegion === homeRegion) &&
      (target === undefined ||
        (c.Target.Type === target.Type &&
          (target.Id === undefined || (c.Target.Id ?? ctx.accountId) === target.Id))),
  );
  const { page, next } = paginate(matches, token, max);
  return { HomeRegionControls: page.map(render), NextToken: next };
}

export function getHomeRegion(ctx: OperationContext): JsonObject {
  return { HomeRegion: homeRegionState(ctx).homeRegion };
}

export function deleteHomeRegionControl(ctx: OperationContext, input: JsonObject): JsonObject {
  const controlId = need(input, "ControlId");
  const s = homeRegionState(ctx);
  const i = s.controls.findIndex((c) => c.ControlId === controlId);
  if (i < 0) throw invalidInput(`Home region control ${controlId} does not exist.`);
  s.controls.splice(i, 1);
  // Migration Hub and ADS data stay; only the home region is unset.
  if (s.controls.length === 0) delete s.homeRegion;
  ctx.markDirty();
  return {};
}
