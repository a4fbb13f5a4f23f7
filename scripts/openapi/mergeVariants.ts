import { isJsonObject, jsonEqual, type JsonSchema, type JsonValue } from './jsonSchema.js';
import { enumValues, normalizeTypes, schemaTypes, type TypeName } from './schemaTypes.js';

/** Keywords kept on the merged schema only when every variant of the relevant type agrees on them. */
const SHARED_KEYWORDS: ReadonlyArray<readonly [keyword: string, appliesTo: readonly TypeName[]]> = [
  ['format', ['string']],
  ['pattern', ['string']],
  ['minLength', ['string']],
  ['maxLength', ['string']],
  ['minimum', ['number', 'integer']],
  ['maximum', ['number', 'integer']],
  ['exclusiveMinimum', ['number', 'integer']],
  ['exclusiveMaximum', ['number', 'integer']],
  ['minItems', ['array']],
  ['maxItems', ['array']],
  ['uniqueItems', ['array']],
];

/**
 * Widens the members of a `oneOf`/`anyOf` into ONE schema that accepts every member.
 * Contract: pure; the members must already be free of `$ref` and of nested unions.
 * - scalar members become a `type` array; `enum`s are united when every member is an enum
 *   (a `{type: "null"}` member counts as `enum: [null]`), otherwise dropped;
 * - object members: `properties` = the union; a property that members define differently is
 *   merged again with these rules; `required` = the intersection;
 * - array members: `items` merged with these rules;
 * - a member that admits anything makes the result `{}`: nothing narrower is honest.
 * A property is merged only from the members that declare it: members that do not mention it are
 * not taken to allow "anything" there, or every discriminated union would collapse to `{}`.
 *
 * @example
 *   mergeVariants([{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'null' }])
 *   // → { type: ['null', 'object'], properties: { a: { type: 'string' } } }   (a is no longer required)
 * @see collapseUnions
 */
export function mergeVariants(variants: readonly JsonSchema[]): JsonSchema {
  const distinct = variants.filter((v, i) => variants.findIndex((w) => jsonEqual(v, w)) === i);
  if (distinct.length === 1) return distinct[0] ?? {};
  const typed = distinct.map((schema) => ({ schema, types: schemaTypes(schema) }));
  if (typed.length === 0 || typed.some((v) => v.types === undefined)) return {};

  const types = normalizeTypes(typed.flatMap((v) => v.types ?? []));
  const merged: JsonSchema = { type: types.length === 1 ? types[0] : types };
  const of = (wanted: readonly TypeName[]): JsonSchema[] =>
    typed.filter((v) => v.types?.some((t) => wanted.includes(t) || (t === 'integer' && wanted.includes('number')))).map((v) => v.schema);

  const values = distinct.map(enumValues);
  if (values.every((v): v is JsonValue[] => v !== undefined)) {
    merged.enum = values.flat().filter((v, i, all) => all.findIndex((w) => jsonEqual(v, w)) === i);
  }
  for (const [keyword, appliesTo] of SHARED_KEYWORDS) {
    const value = shared(of(appliesTo), keyword);
    if (value !== undefined) merged[keyword] = value;
  }
  if (types.includes('object')) Object.assign(merged, mergeObjects(of(['object'])));
  if (types.includes('array')) Object.assign(merged, mergeArrays(of(['array'])));
  return merged;
}

/** The value of `keyword` when all `schemas` carry the same one. */
function shared(schemas: readonly JsonSchema[], keyword: string): JsonValue | undefined {
  const first = schemas[0]?.[keyword];
  return first !== undefined && schemas.every((s) => jsonEqual(s[keyword], first)) ? first : undefined;
}

function mergeObjects(objects: readonly JsonSchema[]): JsonSchema {
  const out: JsonSchema = {};
  const definitions = new Map<string, JsonSchema[]>();
  for (const object of objects) {
    const properties = isJsonObject(object.properties) ? object.properties : {};
    for (const [name, sub] of Object.entries(properties)) {
      if (isJsonObject(sub)) definitions.set(name, [...(definitions.get(name) ?? []), sub]);
    }
  }
  if (objects.some((o) => 'properties' in o)) {
    out.properties = Object.fromEntries([...definitions].map(([name, defs]) => [name, mergeVariants(defs)]));
  }
  const requiredLists = objects.map((o) => (Array.isArray(o.required) ? o.required : []));
  const required = (requiredLists[0] ?? []).filter((name) => requiredLists.every((list) => list.includes(name)));
  if (required.length > 0) out.required = required;

  const extras = objects.map((o) => o.additionalProperties);
  if (extras.every((e) => e === false)) out.additionalProperties = false;
  else if (extras.every((e) => e === false || isJsonObject(e))) {
    out.additionalProperties = mergeVariants(extras.filter(isJsonObject));
  }
  return out;
}

function mergeArrays(arrays: readonly JsonSchema[]): JsonSchema {
  const items = arrays.map((a) => a.items);
  return items.every(isJsonObject) ? { items: mergeVariants(items) } : {};
}
