/**
 * check, diff and inputs normalisation moved to the core's property table (provider/core/task/):
 * these adapters keep the logic tests' assertions as they were written against the *Logic files.
 */
import type { CheckFailure } from "../../../../provider/core/check";
import type { ProviderSettings } from "../../../../provider/core/config";
import {
  asInputs,
  checkProperties,
  type DiffResult,
  inputsOf,
  waitTimeoutMs,
} from "../../../../provider/core/task/properties";
import { diffTask } from "../../../../provider/core/task/provider";
import type { TaskSpec } from "../../../../provider/core/task/spec";
import { importImageTaskSpec } from "../../../../provider/ec2/importImageTaskSpec";
import { importInstanceTaskSpec } from "../../../../provider/ec2/importInstanceTaskSpec";

interface CheckOptions {
  region?: string;
  /** One endpoint override at most: it is what makes an http object URL an S3 URL. */
  extraS3Origins?: readonly string[];
}

function adapters<I extends object, T, A, S>(spec: TaskSpec<I, T, A, S>, idOutput: string) {
  const { properties } = spec;
  return {
    INPUT_KEYS: Object.keys(properties),
    asInputs: (raw: Record<string, unknown>) => asInputs(properties, raw),
    inputsOf: (props: Record<string, unknown>) => inputsOf(properties, props),
    checkInputs(news: Record<string, unknown>, options: CheckOptions = {}): CheckFailure[] {
      const [endpoint, ...more] = options.extraS3Origins ?? [];
      if (more.length > 0) throw new Error("the adapter configures one endpoint");
      const settings: ProviderSettings = {
        endpoints: {},
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(options.region === undefined ? {} : { region: options.region }),
      };
      const ctx = { settings };
      return [...checkProperties(properties, news, ctx), ...(spec.checkMore?.(news, ctx) ?? [])];
    },
    diffInputs(olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
      const id = olds[idOutput];
      return diffTask(spec, typeof id === "string" ? id : undefined, olds, news);
    },
    waitTimeoutMs: (inputs: Record<string, unknown>, configMinutes: number | undefined) =>
      waitTimeoutMs(properties, inputs, configMinutes),
  };
}

export const image = adapters(importImageTaskSpec, "importTaskId");
export const instance = adapters(importInstanceTaskSpec, "conversionTaskId");
