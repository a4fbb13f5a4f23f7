import { isJsonObject, type JsonSchema, type JsonValue } from './jsonSchema.js';

/** Keywords whose value is a map of name → sub-schema. */
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
/** Keywords whose value is a list of sub-schemas. */
const SCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];
/** Keywords whose value is one sub-schema (or a boolean, left alone). */
const SCHEMA_SINGLES = [
  'additionalProperties', 'additionalItems', 'not', 'contains', 'propertyNames',
  'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems',
];

/**
 * Returns a copy of `schema` whose direct sub-schemas are replaced by `fn(sub)`.
 * Contract: only schema positions are visited, so a property *named* `description` or `$ref`
 *   is never mistaken for a keyword, and `enum`/`const`/`example` values are copied untouched.
 *   `items` may be one schema or (draft-04 tuples) a list.
 * @see dereference
 */
export function mapSubschemas(schema: JsonSchema, fn: (sub: JsonSchema) => JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = mapKeyword(key, value, fn);
  }
  return out;
}

function mapKeyword(key: string, value: JsonValue, fn: (sub: JsonSchema) => JsonSchema): JsonValue {
  if (SCHEMA_MAPS.includes(key) && isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isJsonObject(sub) ? fn(sub) : sub]));
  }
  if ((SCHEMA_LISTS.includes(key) || key === 'items') && Array.isArray(value)) {
    return value.map((sub) => (isJsonObject(sub) ? fn(sub) : sub));
  }
  if ((SCHEMA_SINGLES.includes(key) || key === 'items') && isJsonObject(value)) {
    return fn(value);
  }
  return value;
}

/** Every sub-schema of `schema`, depth first, the root included. */
export function* walkSchemas(schema: JsonSchema): Generator<JsonSchema> {
  yield schema;
  const children: JsonSchema[] = [];
  mapSubschemas(schema, (sub) => {
    children.push(sub);
    return sub;
  });
  for (const child of children) yield* walkSchemas(child);
}
