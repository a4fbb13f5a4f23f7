import { InputError } from '../errors.js';
import { type JsonPathSegment, checkOptional, isJsonObject, isStringArray, isStringOrNull, jsonPath, quoted, shapeError } from '../json/jsonShape.js';
import type { BreadcrumbMetadata, Catalog, CatalogEntry } from './catalog.js';

const INCLUSIONS: ReadonlyArray<BreadcrumbMetadata['inclusion']> = ['available', 'automatic', 'unsupported'];

/**
 * Checks the structure of a catalog read from `file` down to what the tap reads: a `streams` array of
 * objects, each with a string `tap_stream_id` or `stream`, a `schema` object (when present) whose
 * `properties` are schema objects and `required` strings, a `metadata` array of `{breadcrumb: string[],
 * metadata: {}}` with well-typed selection and replication keywords, `key_properties` strings,
 * `replication_key` and `replication_method` strings or null. Other keys are kept as they are.
 * Errors are one line naming the file, the stream and the path: `catalog file c.json, stream 'workbooks':
 * streams[3].metadata[0].breadcrumb must be an array of strings, got a number`.
 */
export function parseCatalog(value: Record<string, unknown>, file: string): Catalog {
  const where = `catalog file ${file}`;
  const streams = value['streams'];
  if (!Array.isArray(streams)) throw shapeError(where, ['streams'], 'an array of streams', streams);
  return { streams: streams.map((entry: unknown, index) => parseEntry(entry, ['streams', index], where)) };
}

function parseEntry(entry: unknown, path: readonly JsonPathSegment[], file: string): CatalogEntry {
  if (!isJsonObject(entry)) throw shapeError(file, path, 'an object', entry);
  for (const key of ['tap_stream_id', 'stream']) {
    const name = entry[key];
    if (name !== undefined && (typeof name !== 'string' || name === '')) throw shapeError(file, [...path, key], 'a non-empty string', name);
  }
  const id = (entry['tap_stream_id'] ?? entry['stream']) as string | undefined;
  if (id === undefined) throw new InputError(`${file}: ${jsonPath(path)} has neither a tap_stream_id nor a stream name`);
  const where = `${file}, stream ${quoted(id)}`;
  if (entry['schema'] !== undefined) checkSchema(entry['schema'], [...path, 'schema'], where);
  const metadata = entry['metadata'] ?? [];
  if (!Array.isArray(metadata)) throw shapeError(where, [...path, 'metadata'], 'an array', metadata);
  metadata.forEach((item: unknown, index) => checkMetadataEntry(item, [...path, 'metadata', index], where));
  checkOptional(entry, 'key_properties', path, where, 'an array of strings', isStringArray);
  checkOptional(entry, 'replication_key', path, where, 'a string or null', isStringOrNull);
  checkOptional(entry, 'replication_method', path, where, 'a string or null', isStringOrNull);
  return { ...entry, tap_stream_id: id, stream: (entry['stream'] as string | undefined) ?? id, metadata } as unknown as CatalogEntry;
}

/** The parts of a schema that selection and record shaping walk: `properties` and `required`, at every level. */
function checkSchema(schema: unknown, path: readonly JsonPathSegment[], where: string): void {
  if (!isJsonObject(schema)) throw shapeError(where, path, 'an object (a JSON Schema)', schema);
  const properties = schema['properties'];
  if (properties !== undefined) {
    if (!isJsonObject(properties)) throw shapeError(where, [...path, 'properties'], 'an object', properties);
    for (const [name, child] of Object.entries(properties)) checkSchema(child, [...path, 'properties', name], where);
  }
  checkOptional(schema, 'required', path, where, 'an array of strings', isStringArray);
}

function checkMetadataEntry(item: unknown, path: readonly JsonPathSegment[], where: string): void {
  if (!isJsonObject(item)) throw shapeError(where, path, 'an object with breadcrumb and metadata', item);
  if (!isStringArray(item['breadcrumb'])) throw shapeError(where, [...path, 'breadcrumb'], 'an array of strings', item['breadcrumb']);
  const metadata = item['metadata'];
  if (!isJsonObject(metadata)) throw shapeError(where, [...path, 'metadata'], 'an object', metadata);
  const at = [...path, 'metadata'];
  checkOptional(metadata, 'selected', at, where, 'true or false', (v) => typeof v === 'boolean' || v === 'true' || v === 'false');
  checkOptional(metadata, 'selected-by-default', at, where, 'true or false', (v) => typeof v === 'boolean');
  for (const key of ['replication-method', 'forced-replication-method', 'replication-key']) checkOptional(metadata, key, at, where, 'a string or null', isStringOrNull);
  checkOptional(metadata, 'inclusion', at, where, 'available, automatic or unsupported', (v) => INCLUSIONS.includes(v as BreadcrumbMetadata['inclusion']));
}
