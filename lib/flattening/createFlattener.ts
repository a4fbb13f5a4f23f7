import type { JsonSchema, SigmaRecord } from '../streams/streamDefinition.js';
import { DEFAULT_MAX_KEY_LENGTH, DEFAULT_SEPARATOR, flattenKey } from './flattenKey.js';
import { type FlatteningLevel, flattenSchema } from './flattenSchema.js';
import { serializeJson } from './serializeJson.js';

export interface FlattenerOptions {
  /** `flattening_separator`; default `__`. */
  readonly separator?: string;
  /** `flattening_max_key_length`; default 255. */
  readonly maxKeyLength?: number;
  /** Stream name, for error messages. */
  readonly stream?: string;
  /**
   * Every record carries every column of the flattened schema, in its order: null where the record has
   * no value (so such columns allow null), and a null object as null columns rather than one column of
   * its own name. What targets that take their columns from the first record need (the tap's records
   * carry every property too); the SDK's flatten_record writes only what the record has.
   */
  readonly everyColumn?: boolean;
}

export interface Flattener {
  /** The SCHEMA of the flattened records. */
  readonly schema: JsonSchema;
  /** The flattened copy of one record (the record itself when `maxDepth` is 0). */
  readonly flatten: (record: SigmaRecord) => SigmaRecord;
}

/**
 * Recursion follows the record only while the depth is below `maxDepth`; past this bound the rest is
 * written as one JSON string (which serializeJson writes without recursion), so no record can
 * overflow the stack whatever `flattening_max_depth` says.
 */
export const MAX_FLATTENING_DEPTH = 1000;

const isDict = (value: unknown): value is SigmaRecord => typeof value === 'object' && value !== null && !Array.isArray(value);
const isContainer = (value: unknown): boolean => typeof value === 'object' && value !== null;

/**
 * Flattens one stream's SCHEMA and RECORDs the way the Meltano SDK does for `flattening_enabled` /
 * `flattening_max_depth` (`flatten_schema`, `flatten_record`): nested objects become `parent__child`
 * columns down to `maxDepth` levels; objects deeper than that, and arrays at any depth, become compact
 * JSON strings (non-ASCII escaped, as the SDK's simplejson writes them); other values are kept.
 * Top-level scalar properties, so key properties and the replication key, keep their names.
 * Contract: compiled once per stream; `flatten` allocates the output record and the JSON strings only.
 *   Like the SDK, it walks the record's own keys: a nested object the schema does not describe is
 *   flattened too, and a null object stays one null column under its own name.
 * @example createFlattener({ type: 'object', properties: { user: { type: 'object', properties: { id: { type: 'integer' } } } } }, 1)
 *   .flatten({ user: { id: 1 } }) // { user__id: 1 }
 * @see flattenSchema
 */
export function createFlattener(schema: JsonSchema, maxDepth: number, options: FlattenerOptions = {}): Flattener {
  if (maxDepth <= 0) return { schema, flatten: (record) => record };
  const separator = options.separator ?? DEFAULT_SEPARATOR;
  const maxKeyLength = options.maxKeyLength ?? DEFAULT_MAX_KEY_LENGTH;
  const depthLimit = Math.min(maxDepth, MAX_FLATTENING_DEPTH);
  const everyColumn = options.everyColumn === true;
  const flattened = flattenSchema(schema, { maxDepth: depthLimit, separator, maxKeyLength, stream: options.stream ?? 'stream', everyColumn });
  const columns = new Set(Object.keys(flattened.schema.properties ?? {}));

  const set = (out: SigmaRecord, key: string, value: unknown): void => {
    const cell = isContainer(value) ? serializeJson(value) : value;
    if (key === '__proto__') Object.defineProperty(out, key, { value: cell, writable: true, enumerable: true, configurable: true });
    else out[key] = cell;
  };

  const flattenInto = (node: SigmaRecord, level: FlatteningLevel, out: SigmaRecord): void => {
    for (const name in node) {
      const value = node[name];
      const column = level.columns.get(name);
      if (column !== undefined) {
        if (column.nested !== undefined && isDict(value)) flattenInto(value, column.nested, out);
        else if (!(everyColumn && column.nested !== undefined && value === null)) set(out, column.key, value);
        continue;
      }
      // A property the schema does not list: named and flattened as the SDK does, from the record.
      const path = [...level.path, name];
      const key = flattenKey(path, separator, maxKeyLength);
      if (isDict(value) && !columns.has(key) && level.depth < depthLimit) {
        flattenInto(value, { columns: new Map(), path, depth: level.depth + 1 }, out);
      } else {
        set(out, key, value);
      }
    }
  };

  return {
    schema: flattened.schema,
    flatten: (record) => {
      const out: SigmaRecord = {};
      if (everyColumn) for (const column of columns) set(out, column, null);
      flattenInto(record, flattened.topLevel, out);
      return out;
    },
  };
}
