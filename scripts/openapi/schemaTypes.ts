import { isJsonObject, type JsonSchema, type JsonValue } from './jsonSchema.js';

export type TypeName = 'array' | 'boolean' | 'integer' | 'null' | 'number' | 'object' | 'string';

/** Canonical order of type names, so merged `type` arrays are stable. */
export const TYPE_ORDER: readonly TypeName[] = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

function isTypeName(value: JsonValue): value is TypeName {
  return typeof value === 'string' && (TYPE_ORDER as readonly string[]).includes(value);
}

/** The JSON type of a literal value (for `enum`/`const` schemas without `type`). */
function typeOfValue(value: JsonValue): TypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'boolean' ? 'boolean' : 'string';
}

/**
 * The set of JSON types a schema admits, or `undefined` when it does not say (then it admits anything).
 * A schema without `type` is typed by its keywords: `properties` → object, `items` → array,
 * `enum`/`const` → the types of their values.
 */
export function schemaTypes(schema: JsonSchema): TypeName[] | undefined {
  const { type } = schema;
  if (typeof type === 'string') return isTypeName(type) ? [type] : undefined;
  if (Array.isArray(type)) return type.filter(isTypeName);
  if ('properties' in schema || 'required' in schema || 'additionalProperties' in schema) return ['object'];
  if ('items' in schema) return ['array'];
  const values = enumValues(schema);
  return values === undefined ? undefined : normalizeTypes(values.map(typeOfValue));
}

/** The literal values a schema is limited to (`enum`, `const`, or `type: "null"`), if it is. */
export function enumValues(schema: JsonSchema): JsonValue[] | undefined {
  if (Array.isArray(schema.enum)) return schema.enum;
  if ('const' in schema) return [schema.const ?? null];
  if (schema.type === 'null') return [null];
  return undefined;
}

/** Dedupes, sorts canonically, and lets `number` absorb `integer`. */
export function normalizeTypes(types: readonly TypeName[]): TypeName[] {
  const set = new Set(types);
  if (set.has('number')) set.delete('integer');
  return TYPE_ORDER.filter((t) => set.has(t));
}
