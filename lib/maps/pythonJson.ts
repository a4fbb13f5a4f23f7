import { escapeNonAscii } from '../flattening/serializeJson.js';
import { PythonError } from './expressionError.js';
import { isDict, pythonRepr } from './pythonValues.js';

export interface DumpsOptions {
  readonly sortKeys: boolean;
  readonly ensureAscii: boolean;
}

/**
 * `json.dumps(value)` as Python writes it: `", "` and `": "` separators, non-ASCII escaped as \uXXXX
 * (ensure_ascii), NaN and Infinity as bare words, floats as repr() writes them.
 * @example pythonJsonDumps({ a: [1, 'é'] }) // '{"a": [1, "\\u00e9"]}'
 */
export function pythonJsonDumps(value: unknown, options: DumpsOptions = { sortKeys: false, ensureAscii: true }): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pythonRepr(value);
  }
  if (typeof value === 'string') return jsonString(value, options.ensureAscii);
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, options)).join(', ')}]`;
  if (isDict(value)) {
    const keys = Object.keys(value);
    if (options.sortKeys) keys.sort();
    return `{${keys.map((key) => `${jsonString(key, options.ensureAscii)}: ${pythonJsonDumps(value[key], options)}`).join(', ')}}`;
  }
  throw new PythonError('TypeError', `Object of type ${typeof value} is not JSON serializable`);
}

/** `json.loads(text)`. */
export function pythonJsonLoads(text: unknown): unknown {
  if (typeof text !== 'string') throw new PythonError('TypeError', `the JSON object must be str, not ${text === null ? 'NoneType' : typeof text}`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PythonError('ValueError', `invalid JSON: ${(error as Error).message}`);
  }
}

/**
 * A JSON string literal; with `ensureAscii`, every character outside printable ASCII is written as
 * \uXXXX (astral characters as their surrogate pair), as Python's json and simplejson do by default.
 */
export function jsonString(text: string, ensureAscii: boolean): string {
  const json = JSON.stringify(text);
  return ensureAscii ? escapeNonAscii(json) : json;
}
