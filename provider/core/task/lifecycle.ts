/**
 * The one provider every resource gets: configure, the per-target services built from the spec
 * (service.ts), check and diff from the property table, and a Lifecycle doing create, read, update
 * and delete over that context — provider.ts's start-and-wait one, or a resource's own where that
 * does not fit (Migration Hub registers a task synchronously; a stream waits only on delete).
 */
import type { CheckFailure } from "../check";
import { type ConfigSource, type ProviderSettings, readProviderSettings } from "../config";
import type { ProviderImplementation } from "../dynamic";
import { scopeProvider } from "../engine";
import { asInputs, checkProperties, type DetailedDiff, diffProperties } from "./properties";
import { TaskServices } from "./service";
import { recordTarget } from "./target";
import type { Deps, ServiceSpec, TaskContext } from "./spec";

/** Each provider operation with the service's context first. */
type WithContext<F, C> = F extends (...args: infer P) => infer R
  ? (ctx: C, ...args: P) => R
  : never;

/** A resource's create/read/update/delete over the context; diff defaults to the spec's. */
export interface Lifecycle<A, S, T> {
  create: WithContext<ProviderImplementation["create"], TaskContext<A, S, T>>;
  read: WithContext<ProviderImplementation["read"], TaskContext<A, S, T>>;
  update: WithContext<ProviderImplementation["update"], TaskContext<A, S, T>>;
  delete: WithContext<ProviderImplementation["delete"], TaskContext<A, S, T>>;
  diff?(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    detailedDiff: DetailedDiff,
  ): { changes: boolean; replaces: string[]; deleteBeforeReplace?: boolean };
}

/**
 * A spec's check() (the table's rules in table order, then checkMore) and diff() (the table's,
 * merged with diffMore, paths into `detailedDiff`) as plain functions.
 */
export function specRules<I extends object, T, A, S>(
  spec: ServiceSpec<I, T, A, S>,
): {
  check: (news: Record<string, unknown>, settings?: ProviderSettings) => CheckFailure[];
  diff: (
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
    detailedDiff?: DetailedDiff,
  ) => { changes: boolean; replaces: string[] };
} {
  return {
    check: (news, settings = { endpoints: {} }) => [
      ...checkProperties(spec.properties, news, { settings }),
      ...(spec.checkMore?.(news, { settings }) ?? []),
    ],
    diff: (olds, news, detailedDiff = {}) => {
      const more = spec.diffMore?.(olds, news);
      const diff = diffProperties(spec.properties, olds, news, { more }, detailedDiff);
      return { changes: diff.changes, replaces: diff.replaces };
    },
  };
}

/** Closures, not methods (the host calls them detached), on the service of their inputs' target. */
export function createLifecycleProvider<I extends object, T, A, S>(
  spec: ServiceSpec<I, T, A, S>,
  lifecycle: Lifecycle<A, S, T>,
  deps: Partial<Deps<A>> = {},
): ProviderImplementation {
  const rules = specRules(spec);
  const build = (config: ConfigSource): TaskServices<I, T, A, S> =>
    new TaskServices(spec, readProviderSettings(config, deps.env ?? process.env), deps);
  let services: TaskServices<I, T, A, S> | undefined;
  // The host always configures first; direct callers (tests) get settings from the environment.
  const all = (): TaskServices<I, T, A, S> => (services ??= build({ get: () => undefined }));
  const ctx = (inputs: Record<string, unknown>): TaskContext<A, S, T> => all().for(inputs).ctx;
  return scopeProvider(
    recordTarget({
      configure: (req) => {
        services = build(req.config);
        return Promise.resolve();
      },
      check: async (_olds, news) => {
        const task = ctx(news);
        const failures = rules.check(news, task.runtime.settings);
        failures.push(...(await all().checkTarget(news, failures)));
        const warnings = spec.checkWarnings?.(news) ?? [];
        if (warnings.length > 0) {
          const inputs = asInputs(spec.properties, news);
          const adopt = spec.adoptProperty === undefined ? undefined : inputs[spec.adoptProperty];
          const label = task.label(inputs, typeof adopt === "string" ? adopt : undefined);
          for (const warning of warnings) task.runtime.log.warn(label, warning);
        }
        return { inputs: news, failures };
      },
      diff: (id, olds, news) => {
        const detailedDiff: DetailedDiff = {};
        const result =
          lifecycle.diff?.(id, olds, news, detailedDiff) ?? rules.diff(olds, news, detailedDiff);
        return Promise.resolve({ ...result, detailedDiff });
      },
      create: (raw) => lifecycle.create(ctx(raw), raw),
      read: (id, props) => lifecycle.read(ctx(props), id, props),
      update: (id, olds, news) => lifecycle.update(ctx(news), id, olds, news),
      delete: (id, props) => lifecycle.delete(ctx(props), id, props),
    }),
  );
}
