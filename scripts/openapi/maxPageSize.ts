import type { OpenApiParameter } from './openApiDocument.js';
import type { PaginationStyle } from './paginationStyle.js';

/** Sigma's documented page-size cap for list endpoints that state none of their own. */
export const DEFAULT_MAX_PAGE_SIZE = 1000;

/**
 * Endpoints with a smaller cap than the default that the OpenAPI file we read does not state.
 * Why: the other published variant of Sigma's spec (and the TypeScript SDK built from it) caps
 *   `pageSize` at 500 for these two, but the variant we read has no parameter descriptions at
 *   all, so the cap cannot be found in it. A cap found in the document (`maximum`, or a number
 *   in the description) wins over this table.
 */
const KNOWN_MAX_PAGE_SIZES: Readonly<Record<string, number>> = {
  '/v2/dataModels/{dataModelId}/sources': 500,
  '/v2/dataModels/{dataModelId}/materializationSchedules': 500,
};

const SIZE_PARAMETER: Readonly<Partial<Record<PaginationStyle, string>>> = {
  pageLimit: 'limit',
  arrayOrEnvelope: 'limit',
  pageToken: 'pageSize',
};

/**
 * The largest page size to request: the size parameter's `maximum`, else a cap written in its
 * description ("max 500", "maximum of 1,000", "up to 500"), else the known table, else 1000.
 * `null` for styles that do not page.
 */
export function maxPageSize(path: string, style: PaginationStyle, parameters: readonly OpenApiParameter[]): number | null {
  const name = SIZE_PARAMETER[style];
  if (name === undefined) return null;
  const parameter = parameters.find((p) => p.in === 'query' && p.name === name);
  const maximum = parameter?.schema.maximum;
  if (typeof maximum === 'number') return maximum;
  const stated = parameter?.description?.match(/\b(?:max(?:imum)?|up to|at most)\b\D{0,20}?(\d[\d,]*)/i)?.[1];
  if (stated !== undefined) return Number(stated.replaceAll(',', ''));
  return KNOWN_MAX_PAGE_SIZES[path] ?? DEFAULT_MAX_PAGE_SIZE;
}
