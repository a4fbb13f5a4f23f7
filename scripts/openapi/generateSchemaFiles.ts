import { dereference } from './dereference.js';
import { entrySchema } from './entrySchema.js';
import type { JsonObject, JsonSchema } from './jsonSchema.js';
import { maxPageSize } from './maxPageSize.js';
import { listGetOperations } from './listGetOperations.js';
import type { OpenApiDocument } from './openApiDocument.js';
import { operationParameters } from './operationParameters.js';
import { paginationStyle, type PaginationStyle } from './paginationStyle.js';
import { isSecretBearingPath, redactSecrets } from './redactSecrets.js';
import { stripAnnotations } from './stripAnnotations.js';

/** One row of `pipelines/schemas/sigma-get-operations.json`. */
export interface GetOperationRow extends JsonObject {
  operationId: string;
  pagination: PaginationStyle;
  maxPageSize: number | null;
  pathParams: string[];
  queryParams: string[];
  entry: JsonSchema;
}

/** One row of `spec/openapi/get-responses.json`. */
export interface GetResponseRow extends JsonObject {
  operationId: string;
  response: JsonSchema;
}

export interface SchemaFiles {
  /** Keyed by path; every GET of the document, `/v2.1` twins included. */
  readonly getOperations: Record<string, GetOperationRow>;
  readonly getResponses: Record<string, GetResponseRow>;
}

/**
 * Builds the content of both generated files from an OpenAPI document.
 * Contract: pure and deterministic; throws (naming the path) on any shape it cannot classify.
 * - `getOperations` is for the tap: pagination, parameters and ONE record's schema, unions merged,
 *   secret-like properties of api-credentials removed.
 * - `getResponses` is for tests of the simulator: the whole 200 body as the spec writes it,
 *   `oneOf`s kept, nothing redacted.
 * Both are fully dereferenced (recursion cut to `{}`) and stripped of annotations.
 * The spec's workbook-columns example says `label` where the schema says `name`; examples are
 * dropped and the schema is kept as written.
 */
export function generateSchemaFiles(doc: OpenApiDocument): SchemaFiles {
  const getOperations: Record<string, GetOperationRow> = {};
  const getResponses: Record<string, GetResponseRow> = {};
  for (const operation of listGetOperations(doc)) {
    const { path, operationId, parameters } = operation;
    const response = stripAnnotations(dereference(operation.responseSchema, doc.components));
    const { pathParams, queryParams } = operationParameters(path, parameters);
    const queryNames = parameters.filter((p) => p.in === 'query').map((p) => p.name);
    const pagination = paginationStyle(path, queryNames, response);
    const entry = entrySchema(response, pagination);
    getOperations[path] = {
      operationId,
      pagination,
      maxPageSize: maxPageSize(path, pagination, parameters),
      pathParams,
      queryParams,
      entry: isSecretBearingPath(path) ? redactSecrets(entry) : entry,
    };
    getResponses[path] = { operationId, response };
  }
  return { getOperations, getResponses };
}
