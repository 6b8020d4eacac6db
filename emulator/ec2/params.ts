import type { QueryParams } from "../core/service";
import { invalidValue, missingParameter } from "./errors";

/**
 * Reading flattened EC2 query parameters (`DiskImage.1.Image.Format`): lists are 1-based `.N`
 * members, structures use dots. A `Params` view is rooted at a prefix so nested shapes read like
 * the model (`disk.str("Image.Format")`), and every error names the full wire key.
 */
export class Params {
  constructor(
    private readonly all: QueryParams,
    readonly prefix = "",
  ) {}

  key(name: string): string {
    if (name === "") return this.prefix;
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  str(name: string): string | undefined {
    return this.all.get(this.key(name));
  }

  required(name: string): string {
    const v = this.str(name);
    if (v === undefined || v === "") throw missingParameter(this.key(name));
    return v;
  }

  /** An enum member; `caseInsensitive` maps the value to its canonical spelling. */
  oneOf<T extends string>(
    name: string,
    values: readonly T[],
    caseInsensitive = false,
  ): T | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const found = values.find((x) =>
      caseInsensitive ? x.toLowerCase() === v.toLowerCase() : x === v,
    );
    if (found === undefined)
      throw invalidValue(this.key(name), v, `Valid values: ${values.join(", ")}`);
    return found;
  }

  bool(name: string): boolean | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    if (v !== "true" && v !== "false") throw invalidValue(this.key(name), v);
    return v === "true";
  }

  /** A whole number in [min, max]. */
  int(name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = /^-?\d+$/.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw invalidValue(this.key(name), v);
    return n;
  }

  /** Whether any key exists under `name` (a structure that was sent at all). */
  has(name: string): boolean {
    const k = this.key(name);
    for (const key of this.all.keys()) if (key === k || key.startsWith(`${k}.`)) return true;
    return false;
  }

  /** The members of list `name`, in index order (`name.1`, `name.2`, …), as views. */
  list(name: string): Params[] {
    const base = `${this.key(name)}.`;
    const indices = new Set<number>();
    for (const key of this.all.keys()) {
      if (!key.startsWith(base)) continue;
      const m = /^(\d+)(?:\.|$)/.exec(key.slice(base.length));
      if (m?.[1]) indices.add(Number(m[1]));
    }
    return [...indices].sort((a, b) => a - b).map((i) => new Params(this.all, `${base}${i}`));
  }

  /** A list of plain strings (`ImageId.1`, `ImageId.2`). */
  strings(name: string): string[] {
    return this.list(name).map((p) => p.str("") ?? "");
  }

  at(name: string): Params {
    return new Params(this.all, this.key(name));
  }
}
