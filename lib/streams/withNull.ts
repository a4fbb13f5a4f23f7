import type { JsonSchema } from './streamDefinition.js';

/**
 * The schema widened to allow null (optional properties of records, computed properties of stream maps
 * as the SDK's `Property(...)` makes them with `append_type(type_dict, "null")`): null joins `type`
 * (and `enum`); a schema without `type` becomes an anyOf with null; the empty schema already allows
 * everything.
 * @example withNull({ type: 'string' }) // { type: ['string', 'null'] }
 */
export function withNull(schema: JsonSchema): JsonSchema {
  if (schema.type === undefined) return Object.keys(schema).length === 0 ? schema : { anyOf: [schema, { type: 'null' }] };
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('null')) return schema;
  const widened: JsonSchema = { ...schema, type: [...types, 'null'] };
  if (widened.enum && !widened.enum.includes(null)) widened.enum = [...widened.enum, null];
  return widened;
}
