import { InputError } from '../errors.js';

/** A step into parsed JSON: an object key or an array index. */
export type JsonPathSegment = string | number;

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What a value is, for "…, got a string": never the value itself, which may be large or private. */
export function jsonTypeOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A path into a JSON document as a user reads it: `streams[3].metadata[0].breadcrumb`, `bookmarks["my stream"]`.
 * Keys that are not plain identifiers are JSON-quoted, so a key holding a newline cannot break the error line.
 * @example jsonPath(['bookmarks', 'a b', 'partitions', 0]) // 'bookmarks["a b"].partitions[0]'
 */
export function jsonPath(segments: readonly JsonPathSegment[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += path === '' ? segment : `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path === '' ? 'the root' : path;
}

/** A name quoted for a one-line message: escapes as JSON does, cut to 80 characters. */
export function quoted(name: string): string {
  const escaped = JSON.stringify(name).slice(1, -1);
  return `'${escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped}'`;
}

/**
 * `<where>: <path> must be <expected>, got <what>`, the one shape of every structural error of a catalog
 * or state: <what> is the type, or a string quoted (those files hold no secret).
 */
export function shapeError(where: string, path: readonly JsonPathSegment[], expected: string, value: unknown): InputError {
  const got = typeof value === 'string' ? quoted(value) : jsonTypeOf(value);
  return new InputError(`${where}: ${jsonPath(path)} must be ${expected}, got ${got}`);
}

/** Throws shapeError when `holder[key]` is present but not valid. */
export function checkOptional(
  holder: Readonly<Record<string, unknown>>,
  key: string,
  path: readonly JsonPathSegment[],
  where: string,
  expected: string,
  isValid: (value: unknown) => boolean,
): void {
  const value = holder[key];
  if (value !== undefined && !isValid(value)) throw shapeError(where, [...path, key], expected, value);
}

export function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function isStringOrNull(value: unknown): boolean {
  return value === null || typeof value === 'string';
}
