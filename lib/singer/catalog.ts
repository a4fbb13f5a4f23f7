import { InputError } from '../errors.js';
import type { JsonSchema } from '../streams/streamDefinition.js';

export type Breadcrumb = readonly string[];

export interface MetadataEntry {
  readonly breadcrumb: Breadcrumb;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export interface CatalogEntry {
  readonly tap_stream_id: string;
  readonly stream: string;
  readonly schema: JsonSchema;
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

/** Structural checks of a catalog read from a file; errors name the file. */
export function parseCatalog(value: Record<string, unknown>, file: string): Catalog {
  const streams = value['streams'];
  if (!Array.isArray(streams)) throw new InputError(`catalog file ${file}: expected a "streams" array`);
  streams.forEach((entry: unknown, index) => {
    const where = `catalog file ${file}: streams[${index}]`;
    if (entry === null || typeof entry !== 'object') throw new InputError(`${where} is not an object`);
    const e = entry as Record<string, unknown>;
    if (typeof e['tap_stream_id'] !== 'string' && typeof e['stream'] !== 'string') throw new InputError(`${where} has no tap_stream_id`);
    if (e['schema'] !== undefined && (e['schema'] === null || typeof e['schema'] !== 'object')) throw new InputError(`${where}.schema is not an object`);
    if (e['metadata'] !== undefined && !Array.isArray(e['metadata'])) throw new InputError(`${where}.metadata is not an array`);
  });
  return value as unknown as Catalog;
}

export function streamId(entry: CatalogEntry): string {
  return entry.tap_stream_id ?? entry.stream;
}
