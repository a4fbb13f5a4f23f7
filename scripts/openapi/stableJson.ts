import { isJsonObject, type JsonValue } from './jsonSchema.js';

/**
 * Serializes JSON with every object's keys sorted and 2-space indentation, ending in a newline.
 * Arrays keep their order (a `required` or `enum` list means what it says in order).
 * Same value in → same bytes out, so a regenerated file shows no diff.
 */
export function stableJson(value: JsonValue): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, sub]) => [key, sortKeys(sub)]));
}
