import { restoreExactNumbers } from '../json/exactNumbers.js';

/**
 * A value as the Meltano SDK writes a flattened leaf (`serialize_json`: simplejson with compact
 * separators and its default ensure_ascii): compact JSON, non-ASCII characters as \uXXXX, NaN and
 * ±Infinity as null, numbers kept exactly (see exactNumbers) as their number tokens.
 * Contract: never overflows the stack: JSON.stringify recurses once per nesting level, so a value too
 *   deep for it is written again by an iterative walk that gives the same text.
 * @example serializeJson({ name: 'café', tags: ['a'] }) // '{"name":"caf\\u00e9","tags":["a"]}'
 */
export function serializeJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    json = stringifyIteratively(value);
  }
  // Numbers the parser kept exactly are marker strings here: written back as the numbers Sigma sent.
  return escapeNonAscii(restoreExactNumbers(json ?? 'null'));
}

/** Escapes the non-ASCII characters of a JSON text (it stays the same JSON value), as ensure_ascii does. */
export function escapeNonAscii(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_GLOBAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

// DEL is outside printable ASCII too: Python's ensure_ascii escapes it.
const NON_ASCII = /[^\x00-\x7e]/;
const NON_ASCII_GLOBAL = /[^\x00-\x7e]/g;

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  readonly keys: readonly string[] | undefined;
  index: number;
}

/** JSON.stringify's output for plain data, with an explicit stack instead of recursion. */
function stringifyIteratively(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const open = (value: unknown): void => {
    if (!isContainer(value)) {
      out.push(JSON.stringify(value) ?? 'null');
      return;
    }
    const keys = Array.isArray(value) ? undefined : Object.keys(value);
    out.push(keys === undefined ? '[' : '{');
    stack.push({ container: value, keys, index: 0 });
  };
  open(root);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { container, keys } = frame;
    if (keys === undefined) {
      const array = container as unknown[];
      if (frame.index === array.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (frame.index > 0) out.push(',');
      const item = array[frame.index++];
      open(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item);
      continue;
    }
    const object = container as Record<string, unknown>;
    let key: string | undefined;
    while (frame.index < keys.length) {
      const candidate = keys[frame.index++]!;
      const item = object[candidate];
      if (item !== undefined && typeof item !== 'function' && typeof item !== 'symbol') {
        key = candidate;
        break;
      }
    }
    if (key === undefined) {
      out.push('}');
      stack.pop();
      continue;
    }
    if (out[out.length - 1] !== '{') out.push(',');
    out.push(JSON.stringify(key), ':');
    open(object[key]);
  }
  return out.join('');
}
