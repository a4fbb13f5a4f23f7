import { isJsonObject } from '../json/jsonShape.js';
import { nestsDeeperThan } from '../json/nestingDepth.js';
import type { StateTracker } from '../singer/stateTracker.js';
import type { Context, DerivedProperty, SigmaRecord } from '../streams/streamDefinition.js';
import type { PlannedStream } from './streamPlan.js';
import type { SyncReport } from './syncReport.js';

/**
 * Records nested deeper than this are not emitted: serializers (ours and the targets': Python's json
 * stops near 1,000 levels) recurse once per level. Sigma's deepest documents (schedule configV2, column
 * type objects) nest about ten levels.
 */
export const MAX_RECORD_DEPTH = 100;

export interface PageRecords {
  /** What the stream emits: shaped, keyed, not older than the stream's starting instant. */
  readonly records: SigmaRecord[];
  /** The entries children are read for (every entry with a usable, unseen key, whether emitted or not). */
  readonly parents: SigmaRecord[];
}

export interface PageRecordsDependencies {
  readonly state: StateTracker;
  readonly report: SyncReport;
}

/**
 * Turns one page of entries into records. Entries nested beyond MAX_RECORD_DEPTH, entries that are not
 * objects, Sigma's per-entry error objects and records without a usable primary key (missing, null,
 * empty, not a string or number, or already on this page or the page before) are dropped and counted,
 * never emitted.
 */
export function pageRecords(stream: PlannedStream, entries: readonly unknown[], maxDepth: number, context: Context, seen: Pick<RecentKeys, 'has' | 'add'>, deps: PageRecordsDependencies): PageRecords {
  const { definition, replicationKey, startMs, keyProperties } = stream;
  const name = definition.name;
  const derived = Object.entries(definition.derived ?? {});
  const records: SigmaRecord[] = [];
  const parents: SigmaRecord[] = [];
  // The body's depth bounds every entry's: entries need a look of their own only when it is too deep.
  const checkDepth = maxDepth > MAX_RECORD_DEPTH;
  for (const sent of entries) {
    // Sigma sends bare ids as entries on a few endpoints; the stream says which property holds them.
    const entry = definition.scalarEntryKey && (typeof sent === 'string' || typeof sent === 'number') ? { [definition.scalarEntryKey]: sent } : sent;
    // First, so that nothing below (JSON.stringify of a detail included) ever recurses through a deep entry.
    if (checkDepth && nestsDeeperThan(entry, MAX_RECORD_DEPTH)) {
      deps.report.drop(name, 'nested too deep', 1, `an entry nested more than ${MAX_RECORD_DEPTH} levels in ${describe(context)}`);
      continue;
    }
    if (!isJsonObject(entry)) {
      deps.report.drop(name, 'not an object', 1, `${JSON.stringify(typeof entry === 'string' ? entry.slice(0, 40) : entry)?.slice(0, 120)} in ${describe(context)}`);
      continue;
    }
    if (definition.isRecord && !definition.isRecord(entry)) {
      deps.report.drop(name, 'an error entry', 1, `${JSON.stringify(entry).slice(0, 120)} in ${describe(context)}`);
      continue;
    }
    // Keys are checked for parents that are not selected too: an entry dropped here has no children,
    // and one sent twice is not read for its children twice (which would emit them twice).
    const record = stream.shape(derived.length === 0 ? entry : withDerived(entry, context, derived), context);
    const key = keyOf(record, keyProperties);
    if (key === undefined) {
      deps.report.drop(name, 'no usable primary key', 1, `${keyProperties.map((k) => `${k}=${JSON.stringify(record[k] ?? null)}`).join(', ')} in ${describe(context)}`);
      continue;
    }
    if (seen.has(key)) {
      deps.report.drop(name, 'a duplicated primary key', 1, `${key} in ${describe(context)}`);
      continue;
    }
    seen.add(key);
    parents.push(entry);
    if (!stream.selected) continue;
    if (replicationKey) {
      const value = record[replicationKey];
      if (startMs !== undefined && typeof value === 'string' && Date.parse(value) < startMs) continue;
      deps.state.observe(name, replicationKey, value);
    }
    records.push(record);
  }
  return { records, parents };
}

/**
 * The keys of a partition's current page and of the page before. A listing that shifts while it is
 * paged (a document created or deleted meanwhile) shows an entry again on the next page: that is the
 * duplicate to drop. Remembering two pages, not the whole partition, keeps the memory of a partition
 * one page's worth however long its list is.
 */
export class RecentKeys {
  private readonly current = new Set<string>();

  constructor(private readonly previous: ReadonlySet<string> = new Set()) {}

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  add(key: string): void {
    this.current.add(key);
  }

  /** The window for the next page: this page becomes the page before. */
  next(): RecentKeys {
    return new RecentKeys(this.current);
  }
}

/** The record's key as one string, or undefined when a key property is missing, null, empty, or neither a string nor a finite number. */
function keyOf(record: SigmaRecord, keys: readonly string[]): string | undefined {
  const values: unknown[] = [];
  for (const key of keys) {
    const value = record[key];
    if (!((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value)))) return undefined;
    values.push(value);
  }
  return values.length === 1 ? String(values[0]) : JSON.stringify(values);
}

function withDerived(entry: SigmaRecord, context: Context, derived: ReadonlyArray<[string, DerivedProperty]>): SigmaRecord {
  const extended: SigmaRecord = { ...entry };
  for (const [name, property] of derived) extended[name] = property.value(entry, context);
  return extended;
}

/** A partition as a human reads it: `workbookId=…, pageId=…`, or `the listing` for a top-level one. */
export function describe(context: Context): string {
  const parts = Object.entries(context).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? 'the listing' : parts.join(', ');
}
