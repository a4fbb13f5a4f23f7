import { ApiError } from '../errors.js';
import { isJsonObject } from '../json/jsonShape.js';
import type { PaginationStyle } from '../streams/streamDefinition.js';

export interface Page {
  /** The entries as Sigma sent them: the caller decides which are records, and counts the rest. */
  readonly entries: readonly unknown[];
  /** The cursor for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

/**
 * Reads one response body in the endpoint's pagination style. Envelope and bare array are both
 * accepted wherever Sigma has been seen to send either (the v2 members/teams/workspaces/schedules).
 * A body that is neither is an error: it would otherwise read as an empty list.
 */
export function parsePage(style: PaginationStyle, body: unknown, endpoint: string): Page {
  if (style === 'single') {
    if (isJsonObject(body)) return { entries: [body], next: undefined };
    throw unexpected(endpoint, 'an object');
  }
  if (Array.isArray(body)) return { entries: body, next: undefined };
  if (!isJsonObject(body) || !Array.isArray(body['entries'])) throw unexpected(endpoint, 'a list of entries');
  const cursor = style === 'pageToken' ? body['nextPageToken'] : body['nextPage'];
  return { entries: body['entries'] as unknown[], next: typeof cursor === 'string' && cursor !== '' ? cursor : undefined };
}

function unexpected(endpoint: string, expected: string): ApiError {
  return new ApiError(`GET ${endpoint} answered with a body that is not ${expected}`, 200, 'fatal', { endpoint });
}
