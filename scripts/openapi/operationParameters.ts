import type { OpenApiParameter } from './openApiDocument.js';

/** Query parameters that drive paging; the tap sets them itself, so they are not listed. */
export const PAGING_PARAMETERS: readonly string[] = ['page', 'limit', 'pageToken', 'pageSize'];

/**
 * Names of an operation's path parameters (in the order they appear in the path template) and
 * of its query parameters other than the paging ones. Header parameters (`Authorization`) are left out.
 * Throws when the path template and the declared path parameters disagree.
 * @example operationParameters('/v2/workbooks/{workbookId}/pages', params)
 *   // → { pathParams: ['workbookId'], queryParams: ['tag', 'bookmarkId'] }
 */
export function operationParameters(path: string, parameters: readonly OpenApiParameter[]): { pathParams: string[]; queryParams: string[] } {
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const declared = parameters.filter((p) => p.in === 'path').map((p) => p.name);
  const missing = pathParams.filter((name) => !declared.includes(name));
  const extra = declared.filter((name) => !pathParams.includes(name));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`GET ${path}: path parameters disagree with the template (undeclared: ${missing.join(',') || '-'}; not in path: ${extra.join(',') || '-'})`);
  }
  const queryParams = parameters.filter((p) => p.in === 'query' && !PAGING_PARAMETERS.includes(p.name)).map((p) => p.name);
  return { pathParams, queryParams };
}
