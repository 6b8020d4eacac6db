import type { JsonObject, JsonValue } from "../core/service";
import { type FieldError, validationFailed } from "./errors";

/**
 * Collects constraint failures for one request so the ValidationException lists every failing
 * field at once (its `fieldList`), as Smithy validation does.
 */
export interface StringRule {
  readonly min?: number;
  readonly max?: number;
  /** The pattern as the AWS model spells it (shown in the message). */
  readonly pattern?: string;
  /** Matched against the whole value. */
  readonly regex?: RegExp;
  readonly values?: readonly string[];
}

export class Checker {
  readonly errors: FieldError[] = [];

  fail(name: string, message: string): void {
    this.errors.push({ name, message });
  }

  /** Throws the collected ValidationException, if any. */
  done(): void {
    if (this.errors.length > 0) throw validationFailed(this.errors);
  }

  string(
    name: string,
    value: JsonValue | undefined,
    rule: StringRule,
    required = false,
  ): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.fail(name, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "string") {
      this.fail(name, "Member must be a string");
      return undefined;
    }
    if (rule.min !== undefined && value.length < rule.min) {
      this.fail(name, `Member must have length greater than or equal to ${rule.min}`);
    } else if (rule.max !== undefined && value.length > rule.max) {
      this.fail(name, `Member must have length less than or equal to ${rule.max}`);
    } else if (rule.regex && !rule.regex.test(value)) {
      this.fail(name, `Member must satisfy regular expression pattern: ${rule.pattern ?? ""}`);
    } else if (rule.values && !rule.values.includes(value)) {
      this.fail(name, `Member must satisfy enum value set: [${rule.values.join(", ")}]`);
    } else return value;
    return undefined;
  }

  int(name: string, value: JsonValue | undefined, min: number, max: number): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value)) {
      this.fail(name, "Member must be an integer");
    } else if (value < min) {
      this.fail(name, `Member must have value greater than or equal to ${min}`);
    } else if (value > max) {
      this.fail(name, `Member must have value less than or equal to ${max}`);
    } else return value;
    return undefined;
  }

  bool(name: string, value: JsonValue | undefined): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") {
      this.fail(name, "Member must be a boolean");
      return undefined;
    }
    return value;
  }

  object(name: string, value: JsonValue | undefined, required = false): JsonObject | undefined {
    if (value === undefined || value === null) {
      if (required) this.fail(name, "Member must not be null");
      return undefined;
    }
    if (typeof value !== "object" || Array.isArray(value)) {
      this.fail(name, "Member must be a structure");
      return undefined;
    }
    return value;
  }

  /** A list of strings, each checked with `rule`; undefined when absent. */
  stringList(
    name: string,
    value: JsonValue | undefined,
    max: number,
    rule: StringRule,
  ): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      this.fail(name, "Member must be a list");
      return undefined;
    }
    if (value.length > max) {
      this.fail(name, `Member must have length less than or equal to ${max}`);
      return undefined;
    }
    const out: string[] = [];
    value.forEach((v, i) => {
      const s = this.string(`${name}.${i}`, v, rule, true);
      if (s !== undefined) out.push(s);
    });
    return out.length === value.length ? out : undefined;
  }
}

export const ID_RULES = {
  importID: {
    min: 24,
    max: 24,
    pattern: "import-[0-9a-zA-Z]{17}",
    regex: /^import-[0-9a-zA-Z]{17}$/,
  },
  sourceServerID: { min: 19, max: 19, pattern: "s-[0-9a-zA-Z]{17}", regex: /^s-[0-9a-zA-Z]{17}$/ },
  applicationID: {
    min: 21,
    max: 21,
    pattern: "app-[0-9a-zA-Z]{17}",
    regex: /^app-[0-9a-zA-Z]{17}$/,
  },
  waveID: { min: 22, max: 22, pattern: "wave-[0-9a-zA-Z]{17}", regex: /^wave-[0-9a-zA-Z]{17}$/ },
  accountID: { min: 12, max: 12, pattern: ".*[0-9]{12,}.*", regex: /^.*[0-9]{12,}.*$/ },
} as const satisfies Record<string, StringRule>;

export const PAGINATION_TOKEN: StringRule = { min: 0, max: 2048 };

/** Opaque page tokens: base64 of the offset into the ordered list. */
export function encodeToken(offset: number): string {
  return Buffer.from(`mgn-page:${offset}`).toString("base64");
}

/** One page of `items`; a token that this emulator did not issue is a ValidationException. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  maxResults: number,
): { page: T[]; next?: string } {
  let start = 0;
  if (token !== undefined && token !== "") {
    const m = /^mgn-page:(\d{1,9})$/.exec(Buffer.from(token, "base64").toString("utf8"));
    if (!m || encodeToken(Number(m[1])) !== token) {
      throw validationFailed([{ name: "nextToken", message: "Invalid pagination token" }]);
    }
    start = Number(m[1]);
  }
  const page = items.slice(start, start + maxResults);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeToken(end) } : { page };
}
