import * as crypto from 'node:crypto';
import { PythonError } from './expressionError.js';
import { pythonJsonDumps, pythonJsonLoads } from './pythonJson.js';
import {
  type Dict,
  add,
  dictKey,
  isDict,
  iterate,
  pythonCompare,
  pythonEquals,
  pythonIn,
  pythonRepr,
  pythonStr,
  setOwn,
  truthy,
  typeName,
} from './pythonValues.js';

/** The JSON type a call returns, for the SCHEMA of a computed property; `numeric` follows the arguments. */
export type ReturnType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'numeric' | 'unknown';

export interface Builtin {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly keywords: readonly string[];
  /** A function of the positional argument count when it matters (round(x) is an int, round(x, 1) is not). */
  readonly returns: ReturnType | ((argCount: number) => ReturnType);
  /** Must not keep `args`: a call site reuses one array for every record. */
  readonly call: (args: readonly unknown[], keywords: Readonly<Record<string, unknown>>) => unknown;
}

/** One method name, implemented for the receiver types that have it. */
export interface Method {
  readonly str?: Builtin;
  readonly list?: Builtin;
  readonly dict?: Builtin;
}

const builtin = (minArgs: number, maxArgs: number, returns: Builtin['returns'], call: Builtin['call'], keywords: readonly string[] = []): Builtin => ({ minArgs, maxArgs, keywords, returns, call });

function needStr(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new PythonError('TypeError', `${what} must be str, not ${typeName(value)}`);
  return value;
}

// crypto.hash (Node 20.12+) is the one-shot digest, about three times faster than createHash; the
// package also supports Node 20.10 and 20.11, which lack it.
const hexDigest: (algorithm: string, text: string) => string =
  typeof crypto.hash === 'function' ? (algorithm, text) => crypto.hash(algorithm, text, 'hex') : (algorithm, text) => crypto.createHash(algorithm).update(text, 'utf8').digest('hex');

function digest(algorithm: 'md5' | 'sha256'): Builtin {
  return builtin(1, 1, 'string', ([value]) => {
    // The SDK calls value.encode('utf-8'): only a str has it.
    if (typeof value !== 'string') throw new PythonError('AttributeError', `'${typeName(value)}' object has no attribute 'encode'`);
    return hexDigest(algorithm, value);
  });
}

function toInt(value: unknown, base: unknown): number {
  if (base !== undefined && typeof value !== 'string') throw new PythonError('TypeError', "int() can't convert non-string with explicit base");
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new PythonError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(value)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const radix = base === undefined ? 10 : Number(base);
    if (!Number.isInteger(radix) || radix < 2 || radix > 36) throw new PythonError('ValueError', 'int() base must be >= 2 and <= 36');
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix);
    const text = value.trim().toLowerCase();
    const pattern = new RegExp(`^[+-]?[${digits}](?:_?[${digits}])*$`);
    if (!pattern.test(text)) throw new PythonError('ValueError', `invalid literal for int() with base ${radix}: ${pythonRepr(value)}`);
    return parseInt(text.replace(/_/g, ''), radix);
  }
  throw new PythonError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName(value)}'`);
}

const FLOAT_TEXT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:e[+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.(?:e[+-]?\d(?:_?\d)*)?|inf|infinity|nan)$/;

function toFloat(value: unknown): number {
  if (typeof value === 'boolean' || typeof value === 'number') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (!FLOAT_TEXT.test(text)) throw new PythonError('ValueError', `could not convert string to float: ${pythonRepr(value)}`);
    if (text.endsWith('nan')) return NaN;
    if (text.endsWith('inf') || text.endsWith('infinity')) return text.startsWith('-') ? -Infinity : Infinity;
    return Number(text.replace(/_/g, ''));
  }
  throw new PythonError('TypeError', `float() argument must be a string or a real number, not '${typeName(value)}'`);
}

/** round() rounds halves to even, as Python 3 does. */
function roundHalfEven(value: unknown, ndigits: unknown): number {
  if (typeof value !== 'number' && typeof value !== 'boolean') throw new PythonError('TypeError', `type ${typeName(value)} doesn't define __round__ method`);
  const digits = ndigits === undefined || ndigits === null ? 0 : toInt(ndigits, undefined);
  const scale = 10 ** digits;
  const scaled = Number(value) * scale;
  const floor = Math.floor(scaled);
  const difference = scaled - floor;
  const rounded = difference > 0.5 || (difference === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  return rounded / scale;
}

function extreme(name: 'min' | 'max', args: readonly unknown[]): unknown {
  const items = args.length === 1 ? iterate(args[0]) : args;
  if (items.length === 0) throw new PythonError('ValueError', `${name}() arg is an empty sequence`);
  let best = items[0];
  for (const item of items.slice(1)) {
    const order = pythonCompare(item, best, name === 'min' ? '<' : '>');
    if (name === 'min' ? order < 0 : order > 0) best = item;
  }
  return best;
}

function toDict(value: unknown): Dict {
  const result: Dict = {};
  if (value === undefined) return result;
  if (isDict(value)) {
    for (const key of Object.keys(value)) setOwn(result, key, value[key]);
    return result;
  }
  for (const pair of iterate(value)) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new PythonError('ValueError', 'dictionary update sequence element has the wrong length; 2 is required');
    setOwn(result, dictKey(pair[0]), pair[1]);
  }
  return result;
}

function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff) length -= 1;
  }
  return length;
}

/** Functions callable by name. Anything not here is refused when the map is compiled. */
export const FUNCTIONS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['md5', digest('md5')],
  ['sha256', digest('sha256')],
  ['str', builtin(0, 1, 'string', ([value]) => (value === undefined ? '' : pythonStr(value)))],
  ['int', builtin(0, 2, 'integer', ([value, base]) => (value === undefined ? 0 : toInt(value, base)))],
  ['float', builtin(0, 1, 'number', ([value]) => (value === undefined ? 0 : toFloat(value)))],
  ['bool', builtin(0, 1, 'boolean', ([value]) => truthy(value))],
  [
    'len',
    builtin(1, 1, 'integer', ([value]) => {
      if (typeof value === 'string') return codePointLength(value);
      if (Array.isArray(value)) return value.length;
      if (isDict(value)) return Object.keys(value).length;
      throw new PythonError('TypeError', `object of type '${typeName(value)}' has no len()`);
    }),
  ],
  [
    'abs',
    builtin(1, 1, 'numeric', ([value]) => {
      if (typeof value !== 'number' && typeof value !== 'boolean') throw new PythonError('TypeError', `bad operand type for abs(): '${typeName(value)}'`);
      return Math.abs(Number(value));
    }),
  ],
  ['round', builtin(1, 2, (count) => (count === 1 ? 'integer' : 'number'), ([value, ndigits]) => roundHalfEven(value, ndigits))],
  ['min', builtin(1, Infinity, 'unknown', (args) => extreme('min', args))],
  ['max', builtin(1, Infinity, 'unknown', (args) => extreme('max', args))],
  ['sum', builtin(1, 2, 'numeric', ([iterable, start]) => iterate(iterable).reduce((total: unknown, item) => add(total, item), start ?? 0))],
  ['any', builtin(1, 1, 'boolean', ([iterable]) => iterate(iterable).some(truthy))],
  ['all', builtin(1, 1, 'boolean', ([iterable]) => iterate(iterable).every(truthy))],
  ['sorted', builtin(1, 1, 'array', ([iterable], { reverse }) => [...iterate(iterable)].sort((a, b) => pythonCompare(a, b, '<') * (truthy(reverse) ? -1 : 1)), ['reverse'])],
  ['list', builtin(0, 1, 'array', ([iterable]) => (iterable === undefined ? [] : [...iterate(iterable)]))],
  ['tuple', builtin(0, 1, 'array', ([iterable]) => (iterable === undefined ? [] : [...iterate(iterable)]))],
  ['dict', builtin(0, 1, 'object', ([value]) => toDict(value))],
]);

/** Functions of the modules the SDK exposes (`json`); `datetime` is not implemented. */
export const MODULE_FUNCTIONS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  [
    'json.dumps',
    builtin(1, 1, 'string', ([value], { sort_keys, ensure_ascii }) => pythonJsonDumps(value, { sortKeys: truthy(sort_keys), ensureAscii: ensure_ascii === undefined || truthy(ensure_ascii) }), [
      // default= only matters for values JSON cannot hold; record values always are JSON.
      'default',
      'sort_keys',
      'ensure_ascii',
    ]),
  ],
  ['json.loads', builtin(1, 1, 'unknown', ([text]) => pythonJsonLoads(text))],
]);

const WHITESPACE = ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function stripChars(text: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WHITESPACE : needStr(chars, 'strip arg');
  let start = 0;
  let end = text.length;
  if (left) while (start < end && set.includes(text[start]!)) start += 1;
  if (right) while (end > start && set.includes(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}

function split(text: string, separator: unknown, maxsplit: unknown): string[] {
  const limit = maxsplit === undefined ? -1 : toInt(maxsplit, undefined);
  if (separator === undefined || separator === null) {
    const parts: string[] = [];
    let rest = stripChars(text, undefined, true, false);
    while (rest.length > 0) {
      if (limit >= 0 && parts.length === limit) {
        parts.push(stripChars(rest, undefined, false, true));
        break;
      }
      let end = 0;
      while (end < rest.length && !WHITESPACE.includes(rest[end]!)) end += 1;
      parts.push(rest.slice(0, end));
      rest = stripChars(rest.slice(end), undefined, true, false);
    }
    return parts;
  }
  const sep = needStr(separator, 'separator');
  if (sep === '') throw new PythonError('ValueError', 'empty separator');
  const parts = text.split(sep);
  return limit < 0 || parts.length <= limit + 1 ? parts : [...parts.slice(0, limit), parts.slice(limit).join(sep)];
}

function affix(test: (text: string, affix: string) => boolean): Builtin {
  return builtin(1, 1, 'boolean', ([text, candidates]) => {
    const options = Array.isArray(candidates) ? candidates : [candidates];
    return options.some((candidate) => test(text as string, needStr(candidate, 'startswith/endswith first arg')));
  });
}

function count(haystack: readonly unknown[] | string, needle: unknown): number {
  if (typeof haystack !== 'string') return haystack.filter((item) => pythonEquals(item, needle)).length;
  const sub = needStr(needle, 'count() argument');
  if (sub === '') return codePointLength(haystack) + 1;
  return haystack.split(sub).length - 1;
}

// Methods receive the receiver as their first argument.
const strMethod = (minArgs: number, maxArgs: number, returns: ReturnType, call: (text: string, a?: unknown, b?: unknown, c?: unknown) => unknown): Builtin =>
  builtin(minArgs, maxArgs, returns, (args) => call(args[0] as string, args[1], args[2], args[3]));

/** Methods of str, list and dict values. Anything not here is refused when the map is compiled. */
export const METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['lower', { str: strMethod(0, 0, 'string', (text) => text.toLowerCase()) }],
  ['casefold', { str: strMethod(0, 0, 'string', (text) => text.toLowerCase()) }],
  ['upper', { str: strMethod(0, 0, 'string', (text) => text.toUpperCase()) }],
  ['title', { str: strMethod(0, 0, 'string', (text) => text.replace(/\p{L}+/gu, (word) => { const [first = '', ...rest] = word; return first.toUpperCase() + rest.join('').toLowerCase(); })) }],
  ['capitalize', { str: strMethod(0, 0, 'string', (text) => { const [first = '', ...rest] = text; return first.toUpperCase() + rest.join('').toLowerCase(); }) }],
  ['strip', { str: strMethod(0, 1, 'string', (text, chars) => stripChars(text, chars, true, true)) }],
  ['lstrip', { str: strMethod(0, 1, 'string', (text, chars) => stripChars(text, chars, true, false)) }],
  ['rstrip', { str: strMethod(0, 1, 'string', (text, chars) => stripChars(text, chars, false, true)) }],
  ['split', { str: strMethod(0, 2, 'array', (text, separator, maxsplit) => split(text, separator, maxsplit)) }],
  [
    'replace',
    {
      str: strMethod(2, 3, 'string', (text, old, replacement, times) => {
        const from = needStr(old, 'replace() argument 1');
        const to = needStr(replacement, 'replace() argument 2');
        const limit = times === undefined ? -1 : toInt(times, undefined);
        if (limit < 0) return text.replaceAll(from, to);
        const parts = text.split(from);
        return parts.length <= limit + 1 ? parts.join(to) : parts.slice(0, limit + 1).join(to) + from + parts.slice(limit + 1).join(from);
      }),
    },
  ],
  ['startswith', { str: affix((text, prefix) => text.startsWith(prefix)) }],
  ['endswith', { str: affix((text, suffix) => text.endsWith(suffix)) }],
  ['removeprefix', { str: strMethod(1, 1, 'string', (text, prefix) => (text.startsWith(needStr(prefix, 'removeprefix() argument')) ? text.slice((prefix as string).length) : text)) }],
  ['removesuffix', { str: strMethod(1, 1, 'string', (text, suffix) => { const end = needStr(suffix, 'removesuffix() argument'); return end !== '' && text.endsWith(end) ? text.slice(0, -end.length) : text; }) }],
  [
    'join',
    {
      str: strMethod(1, 1, 'string', (separator, iterable) =>
        iterate(iterable)
          .map((item, i) => {
            if (typeof item !== 'string') throw new PythonError('TypeError', `sequence item ${i}: expected str instance, ${typeName(item)} found`);
            return item;
          })
          .join(separator),
      ),
    },
  ],
  ['find', { str: strMethod(1, 1, 'integer', (text, sub) => text.indexOf(needStr(sub, 'find() argument'))) }],
  ['zfill', { str: strMethod(1, 1, 'string', (text, width) => { const sign = text[0] === '-' || text[0] === '+' ? text[0] : ''; return sign + text.slice(sign.length).padStart(toInt(width, undefined) - sign.length, '0'); }) }],
  ['isdigit', { str: strMethod(0, 0, 'boolean', (text) => /^\p{Nd}+$/u.test(text)) }],
  ['isalpha', { str: strMethod(0, 0, 'boolean', (text) => /^\p{L}+$/u.test(text)) }],
  ['isalnum', { str: strMethod(0, 0, 'boolean', (text) => /^[\p{L}\p{N}]+$/u.test(text)) }],
  [
    'count',
    {
      str: strMethod(1, 1, 'integer', (text, sub) => count(text, sub)),
      list: builtin(1, 1, 'integer', ([list, item]) => count(list as unknown[], item)),
    },
  ],
  [
    'index',
    {
      list: builtin(1, 1, 'integer', ([list, item]) => {
        const found = (list as unknown[]).findIndex((element) => pythonEquals(element, item));
        if (found < 0) throw new PythonError('ValueError', `${pythonRepr(item)} is not in list`);
        return found;
      }),
    },
  ],
  ['get', { dict: builtin(1, 2, 'unknown', ([dict, key, fallback]) => (pythonIn(key, dict) ? (dict as Dict)[dictKey(key)] : (fallback ?? null))) }],
  ['keys', { dict: builtin(0, 0, 'array', ([dict]) => Object.keys(dict as Dict)) }],
  ['values', { dict: builtin(0, 0, 'array', ([dict]) => Object.values(dict as Dict)) }],
  ['items', { dict: builtin(0, 0, 'array', ([dict]) => Object.entries(dict as Dict)) }],
]);
