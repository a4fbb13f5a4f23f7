import { isJsonObject, jsonEqual, type JsonSchema } from './jsonSchema.js';
import { normalizeTypes, schemaTypes, TYPE_ORDER, type TypeName } from './schemaTypes.js';

/**
 * Folds the members of an `allOf` into one schema that demands all of them.
 * Contract: pure; `properties` are united (a property in several members is folded again),
 *   `required` lists are united, `type`s are intersected, `enum`s are intersected; for any other
 *   keyword the first member that sets it wins. Throws when the `type`s cannot intersect,
 *   because such a schema accepts no record at all.
 * @see mergeVariants
 */
export function mergeAllOf(members: readonly JsonSchema[]): JsonSchema {
  return members.reduce<JsonSchema>((acc, next) => fold(acc, next), {});
}

function fold(a: JsonSchema, b: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...b, ...a };
  const aTypes = schemaTypes(a);
  const bTypes = schemaTypes(b);
  if (aTypes !== undefined && bTypes !== undefined && ('type' in a || 'type' in b)) {
    const both = normalizeTypes(TYPE_ORDER.filter((t) => admits(aTypes, t) && admits(bTypes, t)));
    if (both.length === 0) throw new Error(`allOf members have disjoint types ${JSON.stringify(aTypes)} and ${JSON.stringify(bTypes)}`);
    out.type = both.length === 1 && both[0] !== undefined ? both[0] : both;
  }
  if (isJsonObject(a.properties) && isJsonObject(b.properties)) {
    const properties: JsonSchema = { ...b.properties };
    for (const [name, sub] of Object.entries(a.properties)) {
      const other = properties[name];
      properties[name] = isJsonObject(sub) && isJsonObject(other) ? fold(sub, other) : sub;
    }
    out.properties = properties;
  }
  if (Array.isArray(a.required) && Array.isArray(b.required)) {
    const first = a.required;
    out.required = [...first, ...b.required.filter((r) => !first.includes(r))];
  }
  if (Array.isArray(a.enum) && Array.isArray(b.enum)) {
    const other = b.enum;
    out.enum = a.enum.filter((v) => other.some((w) => jsonEqual(v, w)));
  }
  return out;
}

function admits(types: readonly TypeName[], type: TypeName): boolean {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}
