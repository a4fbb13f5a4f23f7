import type { Context, StreamDefinition } from '../streams/streamDefinition.js';
import type { TapConfig } from '../config/tapConfig.js';
import type { QueryParams, QueryValue } from './sigmaClient.js';

/** A GET as plain data: what `SigmaClient.get` needs, and what tests can assert on without a server. */
export interface PageRequest {
  readonly path: string;
  readonly params: QueryParams;
}

/**
 * Builds the request for one page of `stream` in `context`. The cursor is sent back verbatim and never
 * on the first request: Sigma's cursors are opaque, and `page=1` is not the first page.
 */
export function buildRequest(stream: StreamDefinition, context: Context, cursor: string | undefined, config: TapConfig): PageRequest {
  const params: Record<string, QueryValue> = { ...stream.params?.(config, context) };
  const pageSize = Math.min(config.page_size, stream.maxPageSize ?? config.page_size);
  switch (stream.pagination) {
    case 'pageLimit':
    case 'arrayOrEnvelope':
      params['limit'] = pageSize;
      if (cursor !== undefined) params['page'] = cursor;
      break;
    case 'pageToken':
      params['pageSize'] = pageSize;
      if (cursor !== undefined) params['pageToken'] = cursor;
      break;
    case 'array':
    case 'single':
      break;
  }
  return { path: fillPath(stream.path, context), params };
}

/** Replaces `{name}` with the context's value, percent-encoded (ids may hold `/`, e.g. inode-x/column). */
export function fillPath(template: string, context: Context): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = context[name];
    if (value === undefined) throw new Error(`no value for {${name}} in ${template}`);
    return encodeURIComponent(value);
  });
}
