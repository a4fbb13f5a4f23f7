import type { JsonSchema } from './jsonSchema.js';
import { mapSubschemas } from './mapSubschemas.js';

/** Keywords that only document, or that only OpenAPI understands; none of them constrains a record. */
const DROPPED_KEYWORDS = new Set([
  'description', 'title', 'example', 'examples', 'externalDocs', 'deprecated',
  'discriminator', 'xml', 'readOnly', 'writeOnly', '$schema', '$id', '$comment',
]);

/**
 * Formats that JSON Schema defines and ajv-formats validates. OpenAPI's numeric formats
 * (`double`, `float`, `int32`, `int64`) are not JSON Schema formats: Ajv would reject or
 * warn on them, and Singer targets ignore them, so they are dropped.
 */
const KEPT_FORMATS = new Set(['date-time', 'date', 'time', 'duration', 'uri', 'uri-reference', 'email', 'hostname', 'ipv4', 'ipv6', 'uuid']);

/**
 * Removes annotations (`description`, `title`, `example(s)`, `externalDocs`, `deprecated`, `x-*`, …)
 * and non-standard `format`s from a schema and all its sub-schemas.
 * Contract: pure; constraining keywords (`type`, `properties`, `required`, `items`, `enum`,
 *   `additionalProperties`, bounds, the combinators) are kept as written.
 */
export function stripAnnotations(schema: JsonSchema): JsonSchema {
  const kept: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
    if (key === 'format' && !(typeof value === 'string' && KEPT_FORMATS.has(value))) continue;
    kept[key] = value;
  }
  return mapSubschemas(kept, stripAnnotations);
}
