import type { JsonSchema } from '../streams/streamDefinition.js';
import type { Breadcrumb, CatalogEntry, MetadataEntry } from './catalog.js';

const key = (breadcrumb: Breadcrumb): string => JSON.stringify(breadcrumb);

/**
 * Whether a breadcrumb is selected, by the Meltano SDK's rules (`_breadcrumb_is_selected`):
 * a deselected parent wins; `unsupported` never, `automatic` always; then explicit `selected`, then
 * `selected-by-default`, then the parent's answer; the stream root defaults to selected.
 */
export function isSelected(metadata: readonly MetadataEntry[], breadcrumb: Breadcrumb): boolean {
  const byBreadcrumb = new Map(metadata.map((entry) => [key(entry.breadcrumb), entry.metadata]));
  return selectedIn(byBreadcrumb, breadcrumb);
}

function selectedIn(byBreadcrumb: ReadonlyMap<string, Readonly<Record<string, unknown>>>, breadcrumb: Breadcrumb): boolean {
  const parentSelected = breadcrumb.length === 0 ? true : selectedIn(byBreadcrumb, breadcrumb.slice(0, -2));
  const md = byBreadcrumb.get(key(breadcrumb));
  if (breadcrumb.length > 0 && !parentSelected) return false;
  if (md === undefined) return parentSelected;
  if (md['inclusion'] === 'unsupported') return false;
  if (md['inclusion'] === 'automatic') return true;
  if (md['selected'] !== undefined) return md['selected'] === true || md['selected'] === 'true';
  if (md['selected-by-default'] !== undefined) return md['selected-by-default'] === true;
  return parentSelected;
}

/** The schema with deselected properties (and their `required` entries) removed, recursively. */
export function selectSchema(schema: JsonSchema, metadata: readonly MetadataEntry[], path: Breadcrumb = []): JsonSchema {
  if (!schema.properties) return schema;
  const byBreadcrumb = new Map(metadata.map((entry) => [key(entry.breadcrumb), entry.metadata]));
  const properties: Record<string, JsonSchema> = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    const breadcrumb = [...path, 'properties', name];
    if (!selectedIn(byBreadcrumb, breadcrumb)) continue;
    properties[name] = selectSchema(child, metadata, breadcrumb);
  }
  const pruned: JsonSchema = { ...schema, properties };
  if (schema.required) pruned.required = schema.required.filter((name) => name in properties);
  return pruned;
}

/**
 * The schema with the top-level properties `names` present whatever the catalog says (deselected,
 * marked `available`, or left out of its schema), taken from the first of `sources` that has them:
 * the Meltano SDK's rule that key properties and the replication key are automatic, so a record always
 * carries its key and its bookmark value.
 */
export function withAutomaticProperties(schema: JsonSchema, names: readonly string[], sources: readonly JsonSchema[]): JsonSchema {
  const missing = names.filter((name) => !schema.properties?.[name]);
  if (missing.length === 0) return schema;
  const properties = { ...schema.properties };
  for (const name of missing) {
    const found = sources.map((source) => source.properties?.[name]).find((property) => property !== undefined);
    if (found) properties[name] = found;
  }
  return { ...schema, properties };
}

export interface ReplicationChoice {
  readonly method: 'INCREMENTAL' | 'FULL_TABLE';
  readonly key: string | undefined;
}

/**
 * Replication method and key for an entry: top-level `replication_method`/`replication_key` (what
 * Meltano writes) beat root metadata `replication-method`/`forced-replication-method`/`replication-key`.
 * INCREMENTAL needs a key the stream offers; otherwise the stream runs FULL_TABLE.
 */
export function replicationChoice(entry: CatalogEntry, offeredKey: string | undefined): ReplicationChoice {
  const root = entry.metadata?.find((m) => m.breadcrumb.length === 0)?.metadata ?? {};
  const method = entry.replication_method ?? root['replication-method'] ?? root['forced-replication-method'];
  const chosenKey = entry.replication_key ?? root['replication-key'] ?? offeredKey;
  const keyOk = typeof chosenKey === 'string' && chosenKey === offeredKey;
  if (method === 'FULL_TABLE' || !keyOk) return { method: 'FULL_TABLE', key: undefined };
  if (method === 'INCREMENTAL' || method === undefined || method === null) return { method: 'INCREMENTAL', key: chosenKey };
  return { method: 'FULL_TABLE', key: undefined };
}
