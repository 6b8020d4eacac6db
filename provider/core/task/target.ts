/**
 * The inputs every resource has (issue 11): `region` and `assumeRole`, where its AWS task lives (a
 * change replaces it). Every recorded state echoes them, so read and delete find the task again.
 */
import { isMigrationError } from "../errors";
import type { ProviderImplementation } from "../dynamic";
import { type AssumeRole, checkAssumeRole, REGION_RE, type Target } from "../credentials";
import type { ProviderSettings } from "../config";
import { containsUnknown } from "../unknown";
import type { PropertySpec } from "./properties";

export const TARGET_KEYS = ["region", "assumeRole"] as const;

export const TARGET_PROPERTIES: Readonly<Record<(typeof TARGET_KEYS)[number], PropertySpec>> = {
  region: {
    rule: {
      kind: "string",
      pattern: REGION_RE,
      patternText: "an AWS Region name like eu-west-1",
      fix: "use a Region name like eu-west-1, or leave it unset for aws:region",
    },
    change: "replace",
  },
  assumeRole: {
    rule: { kind: "custom" },
    change: "replace",
    checkNested: (news) => checkAssumeRole(news, "assumeRole"),
  },
};

/** The inputs' target: each input, else stack config, else AWS_REGION; unknowns count as unset. */
export function resolveTarget(inputs: object, settings: ProviderSettings): Target {
  const { region, assumeRole } = inputs as { region?: unknown; assumeRole?: Partial<AssumeRole> };
  const ownRole = typeof assumeRole?.roleArn === "string" && !containsUnknown(assumeRole);
  const target: Target = {};
  const r = typeof region === "string" && REGION_RE.test(region) ? region : settings.region;
  if (r !== undefined) target.region = r;
  const role = ownRole ? (assumeRole as AssumeRole) : settings.assumeRole;
  if (role !== undefined) target.assumeRole = role;
  return target;
}

const targetOf = (from: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(TARGET_KEYS.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]));

/** Every state the provider records (a failure's properties too) keeps the target inputs. */
export function recordTarget(impl: ProviderImplementation): ProviderImplementation {
  const keep = <R>(from: Record<string, unknown>, run: () => Promise<R>): Promise<R> =>
    run().catch((err: unknown) => {
      if (isMigrationError(err, "ImportTaskFailedError"))
        Object.assign(err.properties, targetOf(from));
      throw err;
    });
  return {
    ...impl,
    create: (inputs) =>
      keep(inputs, async () => {
        const r = await impl.create(inputs);
        return { ...r, outs: { ...r.outs, ...targetOf(inputs) } };
      }),
    read: async (id, props) => {
      const r = await impl.read(id, props);
      return r.props === undefined ? r : { ...r, props: { ...r.props, ...targetOf(props) } };
    },
    update: (id, olds, news) =>
      keep(news, async () => {
        const r = await impl.update(id, olds, news);
        return { outs: { ...r.outs, ...targetOf(news) } };
      }),
  };
}
