import type { OperationContext } from "./service";

/**
 * The Migration Hub home region, per account. Migration Hub Config sets it; ADS and Migration Hub
 * refuse calls until it is set and refuse writes from any other region.
 */
export interface HomeRegionControl {
  readonly ControlId: string;
  readonly HomeRegion: string;
  readonly Target: { readonly Type: string; readonly Id?: string };
  readonly RequestedTimeMs: number;
}

export interface HomeRegionState {
  homeRegion?: string;
  controls: HomeRegionControl[];
}

export function homeRegionState(ctx: OperationContext): HomeRegionState {
  return ctx.state<HomeRegionState>("homeRegion", () => ({ controls: [] }), "account");
}

/** "notSet" when no home region exists, "wrongRegion" when a write comes from another region. */
export function checkHomeRegion(
  ctx: OperationContext,
  write: boolean,
): "ok" | "notSet" | "wrongRegion" {
  const home = homeRegionState(ctx).homeRegion;
  if (!home) return "notSet";
  if (write && home !== ctx.region) return "wrongRegion";
  return "ok";
}
