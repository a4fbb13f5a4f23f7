import type { TapConfig } from '../config/tapConfig.js';
import type { ExportEntry } from '../exports/parseExportEntries.js';
import type { QueryParams } from '../http/sigmaClient.js';

export type PaginationStyle = 'pageLimit' | 'pageToken' | 'array' | 'arrayOrEnvelope' | 'single';

/** A JSON Schema as plain data; only the keywords the tap reads are typed. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  format?: string;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  [keyword: string]: unknown;
}

export type SigmaRecord = Record<string, unknown>;

/** Values a parent hands to a child partition: path parameters, also written into every child record. */
export type Context = Readonly<Record<string, string>>;

/**
 * One Sigma stream, as data. `pipelines/` declares these; `lib/` knows how to run any of them.
 * Adding an endpoint is adding one of these, not a class.
 */
export interface StreamDefinition {
  /** Singer stream name, snake_case. */
  readonly name: string;
  /** Path template as in the OpenAPI document; `{placeholders}` are filled from the context. */
  readonly path: string;
  readonly pagination: PaginationStyle;
  /** The endpoint's largest page; the tap asks for min(page_size, maxPageSize). */
  readonly maxPageSize: number | null;
  /** Schema of one entry as Sigma sends it (before parent keys are added). */
  readonly entrySchema: JsonSchema;
  readonly primaryKeys: readonly string[];
  /** Timestamp offered as replication key; the catalog decides whether it is used. */
  readonly replicationKey?: string;
  /**
   * Why the stream is INCREMENTAL on that key (the record's own timestamp moves whenever the record
   * changes), or why it is FULL_TABLE. Shown in the README's stream table.
   */
  readonly replicationReason: string;
  /** Child streams: for which parents a run reads them, and why. */
  readonly refresh?: ChildRefresh;
  /** Name of the stream whose records supply this stream's contexts. */
  readonly parent?: string;
  /**
   * The child context for one parent record (its entry together with its own context); null skips that
   * parent. Defaults to picking the path's placeholders from the parent record by name.
   */
  readonly context?: (parent: SigmaRecord, config: TapConfig) => Context | null;
  /** The keys `context` returns, when it is given; they become properties of every record. */
  readonly contextKeys?: readonly string[];
  /** Extra query parameters (visibility flags, filters, the inode of a grants query). */
  readonly params?: (config: TapConfig, context: Context) => QueryParams;
  /** False for entries that are not records (per-entry error objects in /v2/files). */
  readonly isRecord?: (entry: SigmaRecord) => boolean;
  /** Statuses that mean "nothing here" for this endpoint rather than a fault (lineage's 500): never retried. */
  readonly answerStatuses?: readonly number[];
  /**
   * Top-level streams only: one listing per context (e.g. the live workbooks, then the archived ones,
   * which Sigma lists only when asked with isArchived=true). Defaults to a single listing.
   */
  readonly rootContexts?: (config: TapConfig) => readonly Context[];
  /**
   * Properties computed from each entry, for keys Sigma does not provide as one column (the sources and
   * lineage unions name their node in a different field per variant).
   */
  readonly derived?: Readonly<Record<string, DerivedProperty>>;
  /** Sigma sends bare strings as entries here; each becomes a record with this one property. */
  readonly scalarEntryKey?: string;
  /**
   * The workbook element whose rows this stream is (the `exports` setting): extracted by exporting the
   * element and downloading the file (lib/exports/syncExport.ts), not by paging a GET.
   */
  readonly elementExport?: ExportEntry;
}

/**
 * When an incremental run (one that starts from its parent's bookmark) reads a child stream for a
 * parent. A first run, or a run whose parent has no bookmark, reads every child of every parent.
 * - `with-parent`: the child's content belongs to the parent's version (pages, elements, columns…):
 *   read, in full, only for parents this run emits as new or changed;
 * - `when-listed`: as `with-parent`, and also for a parent whose own record shows a change of this
 *   child since its bookmark (a workbook lists its tags with the time each was applied);
 * - `every-run`: the child changes on its own (grants, schedules, favorites…): read for every parent.
 */
export type ChildRefresh =
  | { readonly rule: 'with-parent' | 'every-run'; readonly reason: string }
  | { readonly rule: 'when-listed'; readonly reason: string; readonly changedSince: (parent: SigmaRecord, sinceMs: number) => boolean };

export interface DerivedProperty {
  readonly schema: JsonSchema;
  readonly value: (entry: SigmaRecord, context: Context) => unknown;
}
