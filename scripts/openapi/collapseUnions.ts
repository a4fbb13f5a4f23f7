import { isJsonObject, type JsonSchema } from './jsonSchema.js';
import { mapSubschemas } from './mapSubschemas.js';
import { mergeAllOf } from './mergeAllOf.js';
import { mergeVariants } from './mergeVariants.js';

/**
 * Replaces every `oneOf`, `anyOf` and `allOf` in a schema tree by one plain schema, bottom up.
 * Why: a Singer record schema must be one object schema (targets map it to columns); unions of
 *   object variants (source, lineage, schedule and policy unions) become one object that accepts
 *   every variant, see {@link mergeVariants}; `allOf` folds with {@link mergeAllOf}.
 * Contract: pure; the input must be free of `$ref`. Keywords next to a union (`type`, …) are
 *   folded with the merged union as if they were one more `allOf` member.
 */
export function collapseUnions(schema: JsonSchema): JsonSchema {
  const { oneOf, anyOf, allOf, ...rest } = mapSubschemas(schema, collapseUnions);
  const members: JsonSchema[] = [rest];
  for (const union of [oneOf, anyOf]) {
    if (Array.isArray(union)) members.push(mergeVariants(union.filter(isJsonObject)));
  }
  if (Array.isArray(allOf)) members.push(...allOf.filter(isJsonObject));
  return members.length === 1 ? rest : mergeAllOf(members);
}
