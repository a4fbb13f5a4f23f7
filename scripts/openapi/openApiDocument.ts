import { isJsonObject, type JsonObject, type JsonSchema } from './jsonSchema.js';

/** The part of an OpenAPI 3.1 document the generator reads. */
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, JsonObject>>;
  readonly components: Readonly<Record<string, JsonSchema>>;
}

/** One GET operation, with what the generator needs already picked out. */
export interface GetOperation {
  readonly path: string;
  readonly operationId: string;
  readonly parameters: readonly OpenApiParameter[];
  /** The schema of the 200 `application/json` body, `$ref`s still in place. */
  readonly responseSchema: JsonSchema;
}

export interface OpenApiParameter {
  readonly name: string;
  readonly in: string;
  readonly schema: JsonSchema;
  readonly description: string | undefined;
}

/**
 * Checks that a parsed JSON value looks like an OpenAPI 3.x document with `paths` and
 * `components.schemas`. Throws an Error naming what is missing.
 */
export function toOpenApiDocument(value: unknown): OpenApiDocument {
  if (!isJsonObject(value) || typeof value.openapi !== 'string' || !value.openapi.startsWith('3.')) {
    throw new Error('not an OpenAPI 3.x document (no "openapi": "3.x" key)');
  }
  const { paths, components } = value;
  if (!isJsonObject(paths)) throw new Error('OpenAPI document has no "paths" object');
  const schemas = isJsonObject(components) ? components.schemas : undefined;
  if (!isJsonObject(schemas)) throw new Error('OpenAPI document has no "components.schemas" object');
  const items: Record<string, JsonObject> = {};
  for (const [path, item] of Object.entries(paths)) if (isJsonObject(item)) items[path] = item;
  const schemaMap: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) if (isJsonObject(schema)) schemaMap[name] = schema;
  return { paths: items, components: schemaMap };
}
