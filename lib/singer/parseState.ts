import { type JsonPathSegment, checkOptional, isJsonObject, isStringArray, shapeError } from '../json/jsonShape.js';
import { RESUME_KEY } from './stateTracker.js';

/** One stream's bookmark, or one partition of it, in the Meltano SDK's shape; other keys are kept. */
export interface Bookmark {
  readonly replication_key?: string;
  readonly replication_key_value?: string | number | null;
  readonly progress_markers?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** A stream bookmark: the SDK keeps one entry per parent context under `partitions`. */
export interface StreamBookmark extends Bookmark {
  readonly partitions?: ReadonlyArray<Bookmark & { readonly context?: Readonly<Record<string, unknown>> }>;
}

/** A state file's content. Top-level keys other than `bookmarks` (`currently_syncing`, …) are kept as they are. */
export interface SingerState {
  readonly bookmarks?: Readonly<Record<string, StreamBookmark>>;
  readonly [key: string]: unknown;
}

/**
 * Checks the structure of a state read from `file` and returns it unchanged: `bookmarks` an object of
 * objects, each with a string `replication_key`, a string, number or null `replication_key_value`, an
 * object `progress_markers` and `partitions` an array of such objects (with an object `context`); the
 * tap's own resume marker an object whose `completed` lists stream names.
 * Errors are one line naming the file and the path: `state file s.json: bookmarks.workbooks.replication_key
 * must be a string, got a number`.
 */
export function parseState(value: Record<string, unknown>, file: string): SingerState {
  const where = `state file ${file}`;
  const bookmarks = value['bookmarks'];
  if (bookmarks !== undefined) {
    if (!isJsonObject(bookmarks)) throw shapeError(where, ['bookmarks'], 'an object of bookmarks by stream', bookmarks);
    for (const [stream, bookmark] of Object.entries(bookmarks)) checkStreamBookmark(bookmark, ['bookmarks', stream], where);
  }
  const resume = value[RESUME_KEY];
  if (resume !== undefined) {
    if (!isJsonObject(resume)) throw shapeError(where, [RESUME_KEY], 'an object', resume);
    checkOptional(resume, 'completed', [RESUME_KEY], where, 'an array of stream names', isStringArray);
  }
  return value as SingerState;
}

function checkStreamBookmark(bookmark: unknown, path: readonly JsonPathSegment[], where: string): void {
  checkBookmark(bookmark, path, where);
  const partitions = (bookmark as Record<string, unknown>)['partitions'];
  if (partitions === undefined) return;
  if (!Array.isArray(partitions)) throw shapeError(where, [...path, 'partitions'], 'an array', partitions);
  partitions.forEach((partition: unknown, index) => {
    checkBookmark(partition, [...path, 'partitions', index], where);
    checkOptional(partition as Record<string, unknown>, 'context', [...path, 'partitions', index], where, 'an object', isJsonObject);
  });
}

function checkBookmark(bookmark: unknown, path: readonly JsonPathSegment[], where: string): void {
  if (!isJsonObject(bookmark)) throw shapeError(where, path, 'an object', bookmark);
  checkOptional(bookmark, 'replication_key', path, where, 'a string', (v) => typeof v === 'string');
  checkOptional(bookmark, 'replication_key_value', path, where, 'a string, a number or null', (v) => v === null || typeof v === 'string' || typeof v === 'number');
  checkOptional(bookmark, 'progress_markers', path, where, 'an object', isJsonObject);
}
