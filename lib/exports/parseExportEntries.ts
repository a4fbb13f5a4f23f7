import { InputError } from '../errors.js';

/** Sigma's cap on the rows of one export; larger elements are read in chunks of at most this. */
export const MAX_ROWS_PER_EXPORT = 1_000_000;

/** One entry of the `exports` setting, checked and with its defaults filled in. */
export interface ExportEntry {
  /** Names the stream: `export_<name>`, or the name itself when it starts with `export_`. */
  readonly name: string;
  readonly workbook_id: string;
  /** The element to export (a table, a pivot table, an input table…). */
  readonly element_id: string;
  /** Control values sent with every export, `{ control-id: value }` as Sigma takes them. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Column label of the date-time whose highest value becomes the bookmark. */
  readonly replication_key?: string;
  /** Control id (its name) of the date-range control that filters on `replication_key`. */
  readonly replication_parameter?: string;
  /** Column labels that identify a row; without them rows cannot be told apart and are never deduplicated. */
  readonly primary_keys: readonly string[];
  /** Rows per export request (`rowLimit`); the element is read in chunks of this many. */
  readonly row_limit: number;
}

const KEYS = ['name', 'workbook_id', 'element_id', 'parameters', 'replication_key', 'replication_parameter', 'primary_keys', 'row_limit'];
const NAME = /^[a-z0-9_]+$/;

/** The JSON Schema of one entry, as `--about` prints it. */
export const EXPORT_ENTRY_SCHEMA: Readonly<Record<string, unknown>> = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: NAME.source },
    workbook_id: { type: 'string' },
    element_id: { type: 'string' },
    parameters: { type: 'object', additionalProperties: { type: 'string' } },
    replication_key: { type: 'string' },
    replication_parameter: { type: 'string' },
    primary_keys: { type: 'array', items: { type: 'string' } },
    row_limit: { type: 'integer', minimum: 1, maximum: MAX_ROWS_PER_EXPORT, default: MAX_ROWS_PER_EXPORT },
  },
  required: ['name', 'workbook_id', 'element_id'],
  additionalProperties: false,
};

/** The stream an entry becomes: `export_<name>`, or `name` when it already starts with `export_`. */
export function exportStreamName(name: string): string {
  return name.startsWith('export_') ? name : `export_${name}`;
}

/**
 * Checks the `exports` setting and fills in each entry's defaults. Throws one InputError line naming
 * the entry and the key at fault.
 * @example parseExportEntries([{ name: 'audit', workbook_id: 'w', element_id: 'e' }]) // [{ …, parameters: {}, primary_keys: [], row_limit: 1000000 }]
 */
export function parseExportEntries(value: unknown): ExportEntry[] {
  if (!Array.isArray(value)) throw new InputError(`config: setting 'exports' must be an array of objects, got ${JSON.stringify(value)}`);
  const streams = new Map<string, number>();
  return value.map((raw: unknown, index) => {
    const entry = parseEntry(raw, index);
    const stream = exportStreamName(entry.name);
    const earlier = streams.get(stream);
    if (earlier !== undefined) throw entryError(index, entry.name, `its stream '${stream}' is also the stream of exports[${earlier}] (names must give distinct streams)`);
    streams.set(stream, index);
    return entry;
  });
}

function parseEntry(raw: unknown, index: number): ExportEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw entryError(index, undefined, `must be an object, got ${JSON.stringify(raw)}`);
  const entry = raw as Record<string, unknown>;
  const label = typeof entry['name'] === 'string' ? entry['name'] : undefined;
  const fail = (problem: string): never => {
    throw entryError(index, label, problem);
  };
  const unknown = Object.keys(entry).filter((key) => !KEYS.includes(key));
  if (unknown.length > 0) fail(`unknown key ${unknown.map((k) => `'${k}'`).join(', ')} (known: ${KEYS.join(', ')})`);
  const name = text(entry, 'name', fail) ?? fail("needs a 'name'");
  if (!NAME.test(name)) fail(`name must be lowercase letters, digits and underscores, got ${JSON.stringify(name)}`);
  const workbookId = text(entry, 'workbook_id', fail) ?? fail("needs a 'workbook_id' (see README: finding workbook and element ids)");
  const elementId = text(entry, 'element_id', fail) ?? fail("needs an 'element_id' (see README: finding workbook and element ids)");
  const replicationKey = text(entry, 'replication_key', fail);
  const replicationParameter = text(entry, 'replication_parameter', fail);
  const parameters = stringRecord(entry['parameters'], fail);
  if (replicationParameter !== undefined && replicationKey === undefined) fail('replication_parameter needs a replication_key (the column whose highest value is the bookmark)');
  if (replicationParameter !== undefined && Object.hasOwn(parameters, replicationParameter)) {
    fail(`parameters must not set '${replicationParameter}': the bookmark sets it (replication_parameter)`);
  }
  const primaryKeys = entry['primary_keys'] ?? [];
  if (!Array.isArray(primaryKeys) || !primaryKeys.every((k) => typeof k === 'string' && k !== '')) fail(`primary_keys must be an array of column labels, got ${JSON.stringify(primaryKeys)}`);
  const rowLimit = entry['row_limit'] ?? MAX_ROWS_PER_EXPORT;
  if (typeof rowLimit !== 'number' || !Number.isInteger(rowLimit) || rowLimit < 1 || rowLimit > MAX_ROWS_PER_EXPORT) {
    fail(`row_limit must be an integer from 1 to ${MAX_ROWS_PER_EXPORT.toLocaleString('en-US')}, got ${JSON.stringify(rowLimit)}`);
  }
  return {
    name,
    workbook_id: workbookId,
    element_id: elementId,
    parameters,
    ...(replicationKey !== undefined ? { replication_key: replicationKey } : {}),
    ...(replicationParameter !== undefined ? { replication_parameter: replicationParameter } : {}),
    primary_keys: primaryKeys as string[],
    row_limit: rowLimit as number,
  };
}

/** A non-empty string value, or undefined when absent (null counts as absent, as for every setting). */
function text(entry: Record<string, unknown>, key: string, fail: (problem: string) => never): string | undefined {
  const value = entry[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value === '') return fail(`${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function stringRecord(value: unknown, fail: (problem: string) => never): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return fail(`parameters must be an object of control ids to values, got ${JSON.stringify(value)}`);
  const record: Record<string, string> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') return fail(`parameters['${key}'] must be a string (Sigma takes control values as text), got ${JSON.stringify(item)}`);
    record[key] = item;
  }
  return record;
}

function entryError(index: number, name: string | undefined, problem: string): InputError {
  return new InputError(`config: setting 'exports[${index}]'${name === undefined ? '' : ` ('${name}')`}: ${problem}`);
}
