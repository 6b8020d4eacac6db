/**
 * The two inputs every resource has (issue 11): `region` and `assumeRole`, the account and region
 * its AWS task lives in. A task cannot move, so a change replaces the resource. The property
 * table's derived functions (properties.ts) add these entries to every table, and the provider
 * echoes them into every recorded state (`recordTarget`) so read and delete find the task again.
 */
import { isMigrationError } from "../errors";
import type { ProviderImplementation } from "../dynamic";
import { type AssumeRole, checkAssumeRole, REGION_RE, type Target } from "../credentials";
import type { ProviderSettings } from "../config";
import { containsUnknown } from "../unknown";
import type { PropertySpec } from "./properties";

/** The target inputs as the core reads them after check (a type literal: it indexes as a record). */
export type TargetInputs = {
  region?: string;
  assumeRole?: AssumeRole;
};

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
    checkNested: (news) => {
      const failures: ReturnType<NonNullable<PropertySpec["checkNested"]>> = [];
      if (news["assumeRole"] !== undefined && news["assumeRole"] !== null) {
        checkAssumeRole(news, "assumeRole", failures);
      }
      return failures;
    },
  },
};

/**
 * The target of these inputs: each of the resource's inputs, then stack config (`aws:region`,
 * `awsMigration:assumeRole`), then the standard AWS environment (the region of `settings` already
 * falls back to AWS_REGION). Values unknown in preview count as unset.
 */
export function resolveTarget(inputs: object, settings: ProviderSettings): Target {
  const { region, assumeRole } = inputs as Record<string, unknown>;
  const ownRegion = typeof region === "string" && REGION_RE.test(region) ? region : undefined;
  const ownRole =
    typeof assumeRole === "object" &&
    assumeRole !== null &&
    !containsUnknown(assumeRole) &&
    typeof (assumeRole as { roleArn?: unknown }).roleArn === "string"
      ? (assumeRole as AssumeRole)
      : undefined;
  const target: Target = {};
  const r = ownRegion ?? settings.region;
  if (r !== undefined) target.region = r;
  const role = ownRole ?? settings.assumeRole;
  if (role !== undefined) target.assumeRole = role;
  return target;
}

/** The target inputs of `from` (undefined ones left out). */
function targetOf(from: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TARGET_KEYS) if (from[key] !== undefined) out[key] = from[key];
  return out;
}

/**
 * A provider whose every recorded state carries the target inputs it was given, including the
 * properties of a failure that the engine records: read, update and delete run in that target.
 */
export function recordTarget(impl: ProviderImplementation): ProviderImplementation {
  const keep = async <R>(from: Record<string, unknown>, run: () => Promise<R>): Promise<R> => {
    try {
      return await run();
    } catch (err) {
      if (isMigrationError(err, "ImportTaskFailedError"))
        Object.assign(err.properties, targetOf(from));
      throw err;
    }
  };
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
