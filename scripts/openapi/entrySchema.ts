import { isJsonObject, type JsonSchema } from './jsonSchema.js';
import { collapseUnions } from './collapseUnions.js';
import { mergeVariants } from './mergeVariants.js';
import { isEnvelope, type PaginationStyle } from './paginationStyle.js';

/**
 * The schema of ONE record of an endpoint, as a Singer SCHEMA message needs it.
 * Contract: pure; `response` is dereferenced and stripped. Picks the `entries` item for
 *   envelopes, the array item for bare arrays, the body for single objects; for bodies that
 *   are a `oneOf` of shapes (array or envelope, two envelopes) the record schemas of all shapes
 *   are merged. Every union inside is then collapsed (see collapseUnions), so the result has
 *   no `oneOf`/`anyOf`/`allOf`.
 */
export function entrySchema(response: JsonSchema, style: PaginationStyle): JsonSchema {
  if (style === 'single') return collapseUnions(response);
  const shapes = Array.isArray(response.oneOf) ? response.oneOf.filter(isJsonObject) : [response];
  return collapseUnions(mergeVariants(shapes.map(recordOf)));
}

function recordOf(shape: JsonSchema): JsonSchema {
  const list = isEnvelope(shape) && isJsonObject(shape.properties) ? shape.properties.entries : shape;
  const items = isJsonObject(list) ? list.items : undefined;
  if (!isJsonObject(items)) throw new Error(`a list body without an item schema: ${JSON.stringify(shape).slice(0, 200)}`);
  return items;
}
