import type { QueryParams } from '../lib/http/sigmaClient.js';
import type { JsonSchema, PaginationStyle, StreamDefinition } from '../lib/streams/streamDefinition.js';
import operations from './schemas/sigma-get-operations.json' with { type: 'json' };

/** One GET operation of Sigma's OpenAPI document, as scripts/generate-schemas.ts extracts it. */
interface Operation {
  readonly operationId: string;
  readonly pagination: PaginationStyle;
  readonly maxPageSize: number | null;
  readonly entry: JsonSchema;
}

const OPERATIONS = operations as unknown as Readonly<Record<string, Operation>>;

/** A stream row as written in pipelines/: what cannot be read off the OpenAPI document. */
export type StreamRow = Omit<StreamDefinition, 'pagination' | 'maxPageSize' | 'entrySchema'> & {
  /** Overrides the document's pagination style, where Sigma is known to differ from it. */
  readonly pagination?: PaginationStyle;
};

/**
 * Completes a stream row from the official document: pagination style, page-size ceiling and the
 * entry schema all come from the operation at `row.path`, so they cannot drift from Sigma's spec.
 */
export function defineStream(row: StreamRow): StreamDefinition {
  const operation = OPERATIONS[row.path];
  if (!operation) throw new Error(`stream ${row.name}: ${row.path} is not a GET operation of the Sigma OpenAPI document`);
  return {
    ...row,
    pagination: row.pagination ?? operation.pagination,
    maxPageSize: operation.maxPageSize,
    entrySchema: operation.entry,
  };
}

/** Query flags shared by the document lists (workbooks, data models, reports, datasets). */
export const visibilityParams = (config: { skip_permission_check: boolean }): QueryParams =>
  onlyIf(config.skip_permission_check, { skipPermissionCheck: 'true' });

/** `params` when a setting asks for them, none otherwise. */
export const onlyIf = (enabled: boolean, params: QueryParams): QueryParams => (enabled ? params : {});
