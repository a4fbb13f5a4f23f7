import type { JsonSchema } from '../streams/streamDefinition.js';

/** `[]` is the stream itself, `["properties", "a"]` a field, `["properties", "a", "properties", "b"]` a nested one. */
export type Breadcrumb = readonly string[];

/**
 * The metadata keywords the tap reads, with the types parseCatalog guarantees (the Singer spec's and
 * the Meltano SDK's); other keywords are kept as they are.
 */
export interface BreadcrumbMetadata {
  readonly inclusion?: 'available' | 'automatic' | 'unsupported';
  /** Legacy catalogs write the strings "true" and "false"; the SDK accepts them. */
  readonly selected?: boolean | 'true' | 'false';
  readonly 'selected-by-default'?: boolean;
  readonly 'replication-method'?: string | null;
  readonly 'forced-replication-method'?: string | null;
  readonly 'replication-key'?: string | null;
  readonly [keyword: string]: unknown;
}

export interface MetadataEntry {
  readonly breadcrumb: Breadcrumb;
  readonly metadata: BreadcrumbMetadata;
}

export interface CatalogEntry {
  /** parseCatalog fills it from `stream` when only that is given, and `stream` from it. */
  readonly tap_stream_id: string;
  readonly stream: string;
  /** May be absent in an input catalog (the stream's discovered schema then applies). */
  readonly schema: JsonSchema;
  /** parseCatalog gives `[]` when the input has none. */
  readonly metadata: readonly MetadataEntry[];
  readonly key_properties?: readonly string[];
  readonly replication_key?: string | null;
  readonly replication_method?: string | null;
}

export interface Catalog {
  readonly streams: readonly CatalogEntry[];
}

/** What discovery needs to know of a stream. */
export interface DiscoverableStream {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly keyProperties: readonly string[];
  readonly replicationKey?: string;
}

/**
 * A catalog entry exactly as the Meltano SDK writes it: field metadata first (`automatic` for keys and
 * the replication key, `available` otherwise, recursively), the root metadata last.
 */
export function discoverEntry(stream: DiscoverableStream): CatalogEntry {
  const automatic = new Set([...stream.keyProperties, ...(stream.replicationKey ? [stream.replicationKey] : [])]);
  const metadata: MetadataEntry[] = [];
  const addFields = (schema: JsonSchema, path: string[]): void => {
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      const breadcrumb = [...path, 'properties', name];
      const inclusion = path.length === 0 && automatic.has(name) ? 'automatic' : 'available';
      metadata.push({ breadcrumb, metadata: { inclusion } });
      if (child.properties) addFields(child, breadcrumb);
    }
  };
  addFields(stream.schema, []);
  const root: Record<string, unknown> = {
    inclusion: 'available',
    'selected-by-default': true,
    'table-key-properties': stream.keyProperties,
  };
  if (stream.replicationKey) {
    root['valid-replication-keys'] = [stream.replicationKey];
    root['replication-key'] = stream.replicationKey;
  }
  metadata.push({ breadcrumb: [], metadata: root });
  return {
    tap_stream_id: stream.name,
    stream: stream.name,
    schema: stream.schema,
    metadata,
    key_properties: stream.keyProperties,
    replication_key: stream.replicationKey ?? null,
    replication_method: stream.replicationKey ? 'INCREMENTAL' : 'FULL_TABLE',
  };
}

export function streamId(entry: CatalogEntry): string {
  return entry.tap_stream_id ?? entry.stream;
}
