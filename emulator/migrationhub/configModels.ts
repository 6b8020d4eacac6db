import { type HomeRegionControl, homeRegionState } from "../core/homeRegion";
import type { JsonObject, JsonValue, OperationContext } from "../core/service";
import { dryRunOperation, invalidInput, validationError } from "./errors";
import {
  optionalBool,
  optionalInt,
  optionalString,
  paginate,
  requiredString,
  type StringRule,
} from "./validate";

/**
 * Migration Hub Config: the home-region control of an account. The home region itself lives in
 * the shared core state (emulator/core/homeRegion.ts) because ADS and Migration Hub both gate on it.
 */

const REGION_RULE: StringRule = {
  min: 1,
  max: 50,
  pattern: "^([a-z]+)-([a-z]+)-([0-9]+)$",
  regex: /^([a-z]+)-([a-z]+)-([0-9]+)$/,
};
const CONTROL_ID_RULE: StringRule = {
  min: 1,
  max: 50,
  pattern: "^hrc-[a-z0-9]{12}$",
  regex: /^hrc-[a-z0-9]{12}$/,
};
const TARGET_ID_RULE: StringRule = { min: 12, max: 12, pattern: "^\\d{12}$", regex: /^\d{12}$/ };

interface Target {
  Type: string;
  Id?: string;
}

function parseTarget(
  ctx: OperationContext,
  value: JsonValue | undefined,
  required: boolean,
): Target | undefined {
  if (value === undefined || value === null) {
    if (required) throw validationError("target", value, "Member must not be null");
    return undefined;
  }
  if (typeof value !== "object" || Array.isArray(value))
    throw invalidInput("Value for 'target' must be a structure");
  const target: Target = {
    Type: requiredString("target.type", value.Type, { values: ["ACCOUNT"] }),
  };
  const id = optionalString("target.id", value.Id, TARGET_ID_RULE);
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
  const homeRegion = requiredString("homeRegion", input.HomeRegion, REGION_RULE);
  const target = parseTarget(ctx, input.Target, true) as Target;
  if (optionalBool("dryRun", input.DryRun)) throw dryRunOperation();
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
  const controlId = optionalString("controlId", input.ControlId, CONTROL_ID_RULE);
  const homeRegion = optionalString("homeRegion", input.HomeRegion, REGION_RULE);
  const target = parseTarget(ctx, input.Target, false);
  const max = optionalInt("maxResults", input.MaxResults, 1, 100) ?? 100;
  const token = optionalString("nextToken", input.NextToken, { max: 2048 });
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
  const controlId = requiredString("controlId", input.ControlId, CONTROL_ID_RULE);
  const s = homeRegionState(ctx);
  const i = s.controls.findIndex((c) => c.ControlId === controlId);
  if (i < 0) throw invalidInput(`Home region control ${controlId} does not exist.`);
  s.controls.splice(i, 1);
  // Migration Hub and ADS data stay; only the home region is unset.
  if (s.controls.length === 0) delete s.homeRegion;
  ctx.markDirty();
  return {};
}
