import { InputError } from '../errors.js';
import type { JsonSchema, StreamDefinition } from '../streams/streamDefinition.js';
import { columnSchema, isDateTimeColumn } from './columnSchema.js';
import { type ExportEntry, exportStreamName } from './parseExportEntries.js';

/** The endpoint every export stream requests (its metrics and logs name it). */
export const EXPORT_PATH = '/v2/workbooks/{workbookId}/export';

/** One column of an element, as `/v2/workbooks/{workbookId}/elements/{elementId}/columns` lists it. */
export interface ElementColumn {
  readonly label: string;
  readonly type: unknown;
}

/**
 * The stream of an `exports` entry, its schema made from the element's columns: one property per
 * column label (the keys of the exported rows), typed by columnSchema. Throws InputError when the
 * entry's primary keys or replication key are not columns of the element, or the replication key is
 * not a date-time.
 */
export function exportDefinition(entry: ExportEntry, columns: readonly ElementColumn[]): StreamDefinition {
  const byLabel = new Map(columns.map((column) => [column.label, column]));
  const name = exportStreamName(entry.name);
  const labels = (): string => [...byLabel.keys()].map((label) => JSON.stringify(label)).join(', ');
  for (const key of entry.primary_keys) {
    if (!byLabel.has(key)) throw new InputError(`export '${entry.name}': primary key ${JSON.stringify(key)} is not a column of element ${entry.element_id} (its columns: ${labels()})`);
  }
  const replicationKey = entry.replication_key;
  if (replicationKey !== undefined) {
    const column = byLabel.get(replicationKey);
    if (column === undefined) throw new InputError(`export '${entry.name}': replication key ${JSON.stringify(replicationKey)} is not a column of element ${entry.element_id} (its columns: ${labels()})`);
    if (!isDateTimeColumn(column.type)) throw new InputError(`export '${entry.name}': replication key ${JSON.stringify(replicationKey)} must be a date-time column, but Sigma types it ${JSON.stringify(column.type)}`);
  }
  const properties: Record<string, JsonSchema> = {};
  for (const column of columns) properties[column.label] = columnSchema(column.type);
  return definitionWith(entry, name, { type: 'object', properties, required: [...entry.primary_keys] });
}

/** The stream of an `exports` entry whose schema a catalog already holds (no need to ask Sigma again). */
export function catalogExportDefinition(entry: ExportEntry, schema: JsonSchema): StreamDefinition {
  return definitionWith(entry, exportStreamName(entry.name), schema);
}

function definitionWith(entry: ExportEntry, name: string, entrySchema: JsonSchema): StreamDefinition {
  return {
    name,
    path: EXPORT_PATH,
    pagination: 'single',
    maxPageSize: null,
    entrySchema,
    primaryKeys: entry.primary_keys,
    ...(entry.replication_key !== undefined ? { replicationKey: entry.replication_key } : {}),
    replicationReason: replicationReason(entry),
    elementExport: entry,
  };
}

function replicationReason(entry: ExportEntry): string {
  if (entry.replication_key === undefined) return 'FULL_TABLE: no replication_key in its exports entry';
  if (entry.replication_parameter === undefined) return `INCREMENTAL on ${entry.replication_key}: every run exports the whole element, and emits the rows from the bookmark on`;
  return `INCREMENTAL on ${entry.replication_key}: each run sets the date-range control ${entry.replication_parameter} to start at the bookmark`;
}
