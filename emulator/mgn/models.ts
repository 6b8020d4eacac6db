import type { JsonObject, OperationContext } from "../core/service";
import type { ImportRow } from "./csv";
import { num, str } from "../core/validated";
import { paginate } from "./validate";

/**
 * MGN backend for inventory import: the account initialization gate, import tasks that advance
 * PENDING → STARTED → SUCCEEDED | FAILED over emulated time, and the waves, applications and
 * source servers an import creates or modifies. State is per account and region, as in MGN.
 *
 * This file holds the records and helpers every family shares; the operations live by family:
 * imports.ts (InitializeService, StartImport, ListImports), importErrors.ts (ListImportErrors),
 * inventory.ts (source servers, applications, waves), and apply.ts applies a finished import's
 * rows to the inventory.
 */

/** Emulated time an import waits before it starts reading rows. */
export const PENDING_MS = 5_000;
/** Seeded total duration of an import, in emulated seconds. */
export const IMPORT_SECONDS = { min: 20, max: 180 } as const;
/** MGN publishes no import quota; the emulator allows this many imports in progress at once. */
export const MAX_IMPORTS_IN_PROGRESS = 3;

export const IMPORT_STATUSES = ["PENDING", "STARTED", "FAILED", "SUCCEEDED"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
export type ErrorType = "VALIDATION_ERROR" | "PROCESSING_ERROR";

export interface ImportErrorRecord {
  errorType: ErrorType;
  rowNumber?: number;
  rawError: string;
  sourceServerID?: string;
  applicationID?: string;
  waveID?: string;
}

// Type aliases (not interfaces) so the summary is assignable to JsonObject as it is.
export type Counts = { createdCount: number; modifiedCount: number };
export type Summary = { waves: Counts; applications: Counts; servers: Counts };

export interface S3Source {
  s3Bucket: string;
  s3Key: string;
  s3BucketOwner?: string;
}

export interface ImportRecord {
  importID: string;
  arn: string;
  s3BucketSource: S3Source;
  tags?: Record<string, string>;
  clientToken?: string;
  /** Canonical JSON of the request, to tell a retry from a different request with the same token. */
  requestKey: string;
  createdMs: number;
  startMs: number;
  endMs: number;
  /** Rows that passed the column checks when the file was read at StartImport. */
  rows: ImportRow[];
  /** Errors found when the file was read (bad rows, or a file that cannot be used at all). */
  readErrors: ImportErrorRecord[];
  /** True when the whole file was unusable (missing, unparsable, bad header, no rows). */
  fileFailed: boolean;
  /** Set once emulated time passes endMs and the rows have been applied to the inventory. */
  result?: { status: "SUCCEEDED" | "FAILED"; summary: Summary; errors: ImportErrorRecord[] };
}

export interface WaveRecord {
  waveID: string;
  arn: string;
  name: string;
  description?: string;
  tags: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
}

export interface AppRecord extends Omit<WaveRecord, "waveID"> {
  applicationID: string;
  waveID?: string;
}

export interface ServerRecord {
  sourceServerID: string;
  arn: string;
  userProvidedID?: string;
  platform?: string;
  fqdn?: string;
  applicationID?: string;
  tags: Record<string, string>;
  launch: Record<string, string>;
  createdMs: number;
  modifiedMs: number;
}

export interface MgnState {
  initialized: boolean;
  imports: ImportRecord[];
  waves: Record<string, WaveRecord>;
  apps: Record<string, AppRecord>;
  servers: Record<string, ServerRecord>;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

export function rawState(ctx: OperationContext): MgnState {
  return ctx.state<MgnState>("inventory", () => ({
    initialized: false,
    imports: [],
    waves: {},
    apps: {},
    servers: {},
  }));
}

export const emptySummary = (): Summary => ({
  waves: { createdCount: 0, modifiedCount: 0 },
  applications: { createdCount: 0, modifiedCount: 0 },
  servers: { createdCount: 0, modifiedCount: 0 },
});

export function arnOf(ctx: OperationContext, type: string, id: string): string {
  return `arn:aws:mgn:${ctx.region}:${ctx.accountId}:${type}/${id}`;
}

/** maxResults (1-1000 in the model; 1000 when absent) and nextToken. */
export function pageArgs(input: JsonObject): { max: number; token: string | undefined } {
  return { max: num(input, "maxResults") ?? 1000, token: str(input, "nextToken") };
}

export function page(items: JsonObject[], token: string | undefined, max: number): JsonObject {
  const { page: out, next } = paginate(items, token, max);
  return { items: out, ...(next !== undefined ? { nextToken: next } : {}) };
}
