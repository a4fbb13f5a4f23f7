import type { JsonSchema } from '../streams/streamDefinition.js';

/**
 * The JSON Schema of a column's values from Sigma's column type object (`{ type: 'number' }`,
 * `{ type: 'datetime', unit: 'day' }`, `{ type: 'array', elementType: … }`). The document types the
 * object only as "object", so anything unrecognised (and variants, whose values may be any JSON) is
 * left unconstrained rather than guessed: a schema that is too strict would make targets drop rows.
 * Arrays and structs are typed as such, their contents left open. Nullability is added by the record
 * schema (recordSchema): every column but the primary keys may be null.
 * @example columnSchema({ type: 'datetime', unit: 'millisecond' }) // { type: 'string', format: 'date-time' }
 */
export function columnSchema(type: unknown): JsonSchema {
  const tag = typeof type === 'object' && type !== null ? (type as { type?: unknown }).type : undefined;
  switch (tag) {
    case 'number':
      return { type: 'number' };
    case 'text':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'array':
      return { type: 'array' };
    case 'struct':
      return { type: 'object' };
    default:
      return {};
  }
}

/** True for a column whose values are date-times: the only kind of replication key a bookmark can follow. */
export function isDateTimeColumn(type: unknown): boolean {
  return columnSchema(type).format === 'date-time';
}
