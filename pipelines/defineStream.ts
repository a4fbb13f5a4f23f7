import type { QueryParams } from '../lib/http/sigmaClient.js';
import type { Context, JsonSchema, PaginationStyle, SigmaRecord, StreamDefinition } from '../lib/streams/streamDefinition.js';
import { CHANGES_ON_ITS_OWN, GRANTS, everyRun } from './replication.js';
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
  const entrySchema = row.scalarEntryKey
    ? { type: 'object', properties: { [row.scalarEntryKey]: operation.entry }, required: [row.scalarEntryKey] }
    : operation.entry;
  return {
    ...row,
    pagination: row.pagination ?? operation.pagination,
    maxPageSize: operation.maxPageSize,
    entrySchema,
  };
}

/** Query flags shared by the document lists (workbooks, data models, reports, datasets). */
export const visibilityParams = (config: { skip_permission_check: boolean }): QueryParams =>
  onlyIf(config.skip_permission_check, { skipPermissionCheck: 'true' });

/** `params` when a setting asks for them, none otherwise. */
export const onlyIf = (enabled: boolean, params: QueryParams): QueryParams => (enabled ? params : {});

/** Every document list lists live documents only; archived ones need a second listing with isArchived=true. */
export const liveAndArchived = (config: { include_archived: boolean }): readonly Context[] =>
  config.include_archived ? [{}, { isArchived: 'true' }] : [{}];

/** Query flags of a document list: visibility, plus the archived listing of `liveAndArchived`. */
export const documentListParams = (config: { skip_permission_check: boolean }, context: Context): QueryParams => ({
  ...visibilityParams(config),
  ...(context['isArchived'] ? { isArchived: 'true' } : {}),
});

/**
 * Grants of one kind of document through /v2/grants?inodeId=…: `idField` of the parent record is the
 * inode asked about, written into every grant as `keyName`.
 */
export function grantsOf(name: string, parent: string, idField: string, keyName = idField, accept: (parent: SigmaRecord) => boolean = () => true): StreamDefinition {
  return defineStream({
    name,
    path: '/v2/grants',
    parent,
    context: (record) => (accept(record) && typeof record[idField] === 'string' ? { [keyName]: record[idField] as string } : null),
    contextKeys: [keyName],
    params: (_config, context) => ({ inodeId: context[keyName]! }),
    primaryKeys: [keyName, 'grantId'],
    replicationReason: GRANTS,
    refresh: everyRun(`sharing a document ${CHANGES_ON_ITS_OWN}`),
  });
}
