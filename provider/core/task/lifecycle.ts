/**
 * A provider for a resource whose lifecycle is not start-and-wait — Migration Hub registers a task
 * synchronously and describes it with further writes; a progress update stream is created at once
 * and waited on only while it is deleted. The core still owns configure, the service built from
 * the spec (one AWS caller with the spec's advice, the shared batched describe), check and diff
 * from the property table; the resource supplies its four operations over that context.
 */
import type { CheckFailure } from "../check";
import { type ConfigSource, type ProviderSettings, readProviderSettings } from "../config";
import { bindProvider, type ProviderImplementation } from "../dynamic";
import { scopeProvider } from "../engine";
import { asInputs, checkProperties, type DetailedDiff, diffProperties } from "./properties";
import { TaskServices } from "./service";
import { recordTarget } from "./target";
import type { Deps, ServiceSpec, TaskContext } from "./spec";

export interface Lifecycle<A, S, T> {
  create(
    ctx: TaskContext<A, S, T>,
    raw: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }>;
  read(
    ctx: TaskContext<A, S, T>,
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }>;
  update(
    ctx: TaskContext<A, S, T>,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }>;
  delete(ctx: TaskContext<A, S, T>, id: string, props: Record<string, unknown>): Promise<void>;
  /** diff() with paths into `detailedDiff`. @default the spec's (specRules) */
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

class LifecycleProvider<I extends object, T, A, S> implements ProviderImplementation {
  private services: TaskServices<I, T, A, S> | undefined;

  constructor(
    private readonly spec: ServiceSpec<I, T, A, S>,
    private readonly lifecycle: Lifecycle<A, S, T>,
    private readonly deps: Partial<Deps<A>>,
  ) {}

  configure(req: { config: ConfigSource }): Promise<void> {
    this.services = this.build(req.config);
    return Promise.resolve();
  }

  private build(config: ConfigSource): TaskServices<I, T, A, S> {
    const settings = readProviderSettings(config, this.deps.env ?? process.env);
    return new TaskServices(this.spec, settings, this.deps);
  }

  /** The host always configures first; direct callers (tests) get settings from the environment. */
  private all(): TaskServices<I, T, A, S> {
    this.services ??= this.build({ get: () => undefined });
    return this.services;
  }

  async check(
    _olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: CheckFailure[] }> {
    const { spec } = this;
    const { ctx } = this.all().for(news);
    const failures = specRules(spec).check(news, ctx.runtime.settings);
    failures.push(...(await this.all().checkTarget(news, failures)));
    const warnings = spec.checkWarnings?.(news) ?? [];
    if (warnings.length > 0) {
      const inputs = asInputs(spec.properties, news);
      const adopt = spec.adoptProperty === undefined ? undefined : inputs[spec.adoptProperty];
      const label = ctx.label(inputs, typeof adopt === "string" ? adopt : undefined);
      for (const warning of warnings) ctx.runtime.log.warn(label, warning);
    }
    return { inputs: news, failures };
  }

  diff(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ changes: boolean; replaces: string[]; detailedDiff: DetailedDiff }> {
    const detailedDiff: DetailedDiff = {};
    const result =
      this.lifecycle.diff?.(id, olds, news, detailedDiff) ??
      specRules(this.spec).diff(olds, news, detailedDiff);
    return Promise.resolve({ ...result, detailedDiff });
  }

  create(raw: Record<string, unknown>): Promise<{ id: string; outs: Record<string, unknown> }> {
    return this.lifecycle.create(this.all().for(raw).ctx, raw);
  }

  read(
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id?: string; props?: Record<string, unknown> }> {
    return this.lifecycle.read(this.all().for(props).ctx, id, props);
  }

  update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: Record<string, unknown> }> {
    return this.lifecycle.update(this.all().for(news).ctx, id, olds, news);
  }

  delete(id: string, props: Record<string, unknown>): Promise<void> {
    return this.lifecycle.delete(this.all().for(props).ctx, id, props);
  }
}

export function createLifecycleProvider<I extends object, T, A, S>(
  spec: ServiceSpec<I, T, A, S>,
  lifecycle: Lifecycle<A, S, T>,
  deps?: Partial<Deps<A>>,
): ProviderImplementation {
  return scopeProvider(
    recordTarget(bindProvider(new LifecycleProvider(spec, lifecycle, deps ?? {}))),
  );
}
