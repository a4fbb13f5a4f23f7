import { isJsonObject, type JsonSchema } from './jsonSchema.js';
import { schemaTypes } from './schemaTypes.js';

/**
 * How a GET endpoint returns its records.
 * - `pageLimit`: `page`/`limit` parameters, `{entries, nextPage}` envelope;
 * - `pageToken`: `pageToken`/`pageSize` parameters, `{entries, nextPageToken}` envelope;
 * - `array`: a bare JSON array, no paging;
 * - `arrayOrEnvelope`: a `oneOf` of a bare array and a `{entries, nextPage}` envelope (legacy
 *   `/v2` lists that page only when `limit` is sent);
 * - `single`: one object.
 */
export type PaginationStyle = 'pageLimit' | 'pageToken' | 'array' | 'arrayOrEnvelope' | 'single';

export const PAGINATION_STYLES: readonly PaginationStyle[] = ['pageLimit', 'pageToken', 'array', 'arrayOrEnvelope', 'single'];

/** The request parameters each paged style needs. */
const STYLE_PARAMETERS: Readonly<Partial<Record<PaginationStyle, readonly [cursor: string, size: string]>>> = {
  pageLimit: ['page', 'limit'],
  arrayOrEnvelope: ['page', 'limit'],
  pageToken: ['pageToken', 'pageSize'],
};

/**
 * Decides the pagination style from the 200 body shape, and checks it against the query parameters.
 * Contract: pure; `response` is dereferenced. A `oneOf` of envelopes where one has `nextPage`
 *   (v2 materialization-schedules: `{entries}` or `{entries, nextPage}`) is `pageLimit`.
 *   An object that is not an envelope is `single` even when it declares `page`/`limit`
 *   (the workbook element query does). Throws when an envelope's cursor field and the
 *   parameters do not pair up, since the tap would page with the wrong parameter.
 */
export function paginationStyle(path: string, queryParams: readonly string[], response: JsonSchema): PaginationStyle {
  const style = styleOfBody(response);
  const needed = STYLE_PARAMETERS[style];
  if (needed !== undefined && !needed.every((p) => queryParams.includes(p))) {
    throw new Error(`GET ${path}: the body says ${style} but the query parameters are ${JSON.stringify(queryParams)}`);
  }
  return style;
}

function styleOfBody(response: JsonSchema): PaginationStyle {
  if (isArray(response)) return 'array';
  const variants = response.oneOf ?? response.anyOf;
  if (Array.isArray(variants)) {
    const members = variants.filter(isJsonObject);
    const envelopes = members.filter(isEnvelope);
    if (envelopes.length > 0 && members.some(isArray) && envelopes.length + 1 === members.length) return 'arrayOrEnvelope';
    if (envelopes.length > 0 && envelopes.length === members.length) {
      return envelopes.some((e) => hasProperty(e, 'nextPageToken')) ? 'pageToken' : 'pageLimit';
    }
    return 'single';
  }
  if (isEnvelope(response)) {
    if (hasProperty(response, 'nextPageToken')) return 'pageToken';
    if (hasProperty(response, 'nextPage')) return 'pageLimit';
    throw new Error(`an {entries} envelope without nextPage or nextPageToken: ${JSON.stringify(Object.keys(response.properties ?? {}))}`);
  }
  return 'single';
}

function isArray(schema: JsonSchema): boolean {
  const types = schemaTypes(schema);
  return types !== undefined && types.length === 1 && types[0] === 'array';
}

/** An object whose `entries` property is an array. */
export function isEnvelope(schema: JsonSchema): boolean {
  const entries = isJsonObject(schema.properties) ? schema.properties.entries : undefined;
  return isJsonObject(entries) && isArray(entries);
}

function hasProperty(schema: JsonSchema, name: string): boolean {
  return isJsonObject(schema.properties) && name in schema.properties;
}
