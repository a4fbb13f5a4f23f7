import { ApiError } from '../errors.js';
import type { PaginationStyle, SigmaRecord } from '../streams/streamDefinition.js';

export interface Page {
  readonly records: readonly SigmaRecord[];
  /** The cursor for the next page; undefined on the last page. */
  readonly next: string | undefined;
}

/**
 * Reads one response body in the endpoint's pagination style. Envelope and bare array are both
 * accepted wherever Sigma has been seen to send either (the v2 members/teams/workspaces/schedules).
 * Null entries (the spec allows them in /v2/tenants) are dropped; scalar entries are dropped unless
 * `scalarEntryKey` names the property to wrap them in.
 */
export function parsePage(style: PaginationStyle, body: unknown, endpoint: string, scalarEntryKey?: string): Page {
  if (style === 'single') {
    if (isObject(body)) return { records: [body], next: undefined };
    throw unexpected(endpoint, 'an object');
  }
  const toRecords = (entries: readonly unknown[]): SigmaRecord[] =>
    scalarEntryKey ? entries.filter((e) => e !== null && e !== undefined).map((e) => (isObject(e) ? e : { [scalarEntryKey]: e })) : entries.filter(isObject);
  if (Array.isArray(body)) return { records: toRecords(body), next: undefined };
  if (!isObject(body) || !Array.isArray(body['entries'])) throw unexpected(endpoint, 'a list of entries');
  const records = toRecords(body['entries'] as unknown[]);
  const cursor = style === 'pageToken' ? body['nextPageToken'] : body['nextPage'];
  return { records, next: typeof cursor === 'string' && cursor !== '' ? cursor : undefined };
}

function isObject(value: unknown): value is SigmaRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unexpected(endpoint: string, expected: string): ApiError {
  return new ApiError(`GET ${endpoint} answered with a body that is not ${expected}`, 200, 'fatal', { endpoint });
}
