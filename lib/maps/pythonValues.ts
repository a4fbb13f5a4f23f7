import { PythonError } from './expressionError.js';

/**
 * Python semantics over JSON values, for stream map expressions: null is None, arrays are lists (and
 * tuples), plain objects are dicts, numbers are int when integral and float otherwise (JSON does not
 * keep 2.0 apart from 2). Every helper either returns what Python would or throws the PythonError that
 * Python would raise.
 */
export type Dict = Record<string, unknown>;

// simpleeval's limits, so an expression cannot allocate without bound.
export const MAX_STRING_LENGTH = 100_000;
export const MAX_POWER = 4_000_000;

export const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNumeric = (value: unknown): value is number | boolean => typeof value === 'number' || typeof value === 'boolean';

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return isDict(value) ? 'dict' : typeof value;
}

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return true;
    return false;
  }
  return Boolean(value);
}

/** Defines `key` as an own property: a plain assignment of `__proto__` would replace the prototype. */
export function setOwn(target: Dict, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/** The key a Python value has in a JSON object: strings as they are, anything hashable through str(). */
export function dictKey(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) || isDict(value)) throw new PythonError('TypeError', `unhashable type: '${typeName(value)}'`);
  return pythonStr(value);
}

export function pythonEquals(a: unknown, b: unknown): boolean {
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'string') return a === b;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => pythonEquals(item, b[i]));
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && pythonEquals(a[key], b[key]));
  }
  return false;
}

/** Ordering as `<` does it: numbers with numbers, strings with strings, lists item by item. */
export function pythonCompare(a: unknown, b: unknown, op: string): number {
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const length = Math.min(a.length, b.length);
    for (let i = 0; i < length; i += 1) {
      if (!pythonEquals(a[i], b[i])) return pythonCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new PythonError('TypeError', `'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
}

export function pythonIn(item: unknown, container: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PythonError('TypeError', `'in <string>' requires string as left operand, not ${typeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((element) => pythonEquals(element, item));
  if (isDict(container)) return Object.hasOwn(container, dictKey(item));
  throw new PythonError('TypeError', `argument of type '${typeName(container)}' is not iterable`);
}

/** The items a `for` walks: a list's items, a string's characters, a dict's keys. */
export function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return Array.from(value);
  if (isDict(value)) return Object.keys(value);
  throw new PythonError('TypeError', `'${typeName(value)}' object is not iterable`);
}

export function toNumber(value: unknown, op: string, other: unknown): number {
  if (isNumeric(value)) return Number(value);
  throw new PythonError('TypeError', `unsupported operand type(s) for ${op}: '${typeName(value)}' and '${typeName(other)}'`);
}

export function add(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return Number(a) + Number(b);
  if (typeof a === 'string') {
    if (typeof b !== 'string') throw new PythonError('TypeError', `can only concatenate str (not "${typeName(b)}") to str`);
    return limitedString(a.length + b.length, () => a + b);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) throw new PythonError('TypeError', `can only concatenate list (not "${typeName(b)}") to list`);
    return [...a, ...b];
  }
  throw new PythonError('TypeError', `unsupported operand type(s) for +: '${typeName(a)}' and '${typeName(b)}'`);
}

export function multiply(a: unknown, b: unknown): unknown {
  if (isNumeric(a) && isNumeric(b)) return Number(a) * Number(b);
  const [sequence, count] = typeof a === 'string' || Array.isArray(a) ? [a, b] : [b, a];
  if ((typeof sequence === 'string' || Array.isArray(sequence)) && isNumeric(count) && Number.isInteger(Number(count))) {
    const times = Math.max(0, Number(count));
    if (typeof sequence === 'string') return limitedString(sequence.length * times, () => sequence.repeat(times));
    if (sequence.length * times > MAX_STRING_LENGTH) throw new PythonError('OverflowError', `list longer than ${MAX_STRING_LENGTH} items`);
    return Array.from({ length: times }, () => sequence).flat();
  }
  throw new PythonError('TypeError', `unsupported operand type(s) for *: '${typeName(a)}' and '${typeName(b)}'`);
}

export function divide(a: unknown, b: unknown): number {
  const divisor = toNumber(b, '/', a);
  const dividend = toNumber(a, '/', b);
  if (divisor === 0) throw new PythonError('ZeroDivisionError', 'division by zero');
  return dividend / divisor;
}

export function floorDivide(a: unknown, b: unknown): number {
  return Math.floor(divide(a, b));
}

export function modulo(a: unknown, b: unknown): number {
  if (typeof a === 'string') throw new PythonError('TypeError', 'printf-style string formatting (%) is not supported');
  const divisor = toNumber(b, '%', a);
  const dividend = toNumber(a, '%', b);
  if (divisor === 0) throw new PythonError('ZeroDivisionError', 'modulo by zero');
  // Python's remainder takes the sign of the divisor.
  return dividend - divisor * Math.floor(dividend / divisor);
}

export function power(a: unknown, b: unknown): number {
  const base = toNumber(a, '**', b);
  const exponent = toNumber(b, '**', a);
  if (Math.abs(exponent) > MAX_POWER) throw new PythonError('OverflowError', `exponent larger than ${MAX_POWER}`);
  if (base === 0 && exponent < 0) throw new PythonError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  if (base < 0 && !Number.isInteger(exponent)) throw new PythonError('ValueError', 'a negative number raised to a fractional power is complex');
  return base ** exponent;
}

function limitedString(length: number, build: () => string): string {
  if (length > MAX_STRING_LENGTH) throw new PythonError('OverflowError', `string longer than ${MAX_STRING_LENGTH} characters`);
  return build();
}

export function subscript(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) || typeof object === 'string') {
    const kind = typeof object === 'string' ? 'string' : 'list';
    if (!isNumeric(key) || !Number.isInteger(Number(key))) throw new PythonError('TypeError', `${kind} indices must be integers or slices, not ${typeName(key)}`);
    const index = Number(key) < 0 ? object.length + Number(key) : Number(key);
    if (index < 0 || index >= object.length) throw new PythonError('IndexError', `${kind} index out of range`);
    return object[index];
  }
  if (isDict(object)) {
    const name = dictKey(key);
    if (!Object.hasOwn(object, name)) throw new PythonError('KeyError', pythonRepr(key));
    return object[name];
  }
  throw new PythonError('TypeError', `'${typeName(object)}' object is not subscriptable`);
}

export function slice(object: unknown, lower: unknown, upper: unknown, step: unknown): unknown {
  if (!Array.isArray(object) && typeof object !== 'string') throw new PythonError('TypeError', `'${typeName(object)}' object is not subscriptable`);
  const bound = (value: unknown): number | undefined => {
    if (value === null || value === undefined) return undefined;
    if (!isNumeric(value) || !Number.isInteger(Number(value))) throw new PythonError('TypeError', 'slice indices must be integers or None');
    return Number(value);
  };
  const by = bound(step) ?? 1;
  if (by === 0) throw new PythonError('ValueError', 'slice step cannot be zero');
  const length = object.length;
  const clamp = (value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    const index = value < 0 ? value + length : value;
    return by > 0 ? Math.min(Math.max(index, 0), length) : Math.min(Math.max(index, -1), length - 1);
  };
  const start = clamp(bound(lower), by > 0 ? 0 : length - 1);
  const stop = clamp(bound(upper), by > 0 ? length : -1);
  const picked: unknown[] = [];
  for (let i = start; by > 0 ? i < stop : i > stop; i += by) picked.push(object[i]);
  return typeof object === 'string' ? picked.join('') : picked;
}

/** `str(value)`. */
export function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

/** `repr(value)`: what Python prints for it inside a list or a dict. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return numberRepr(value);
  if (typeof value === 'string') return stringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (isDict(value)) return `{${Object.keys(value).map((key) => `${stringRepr(key)}: ${pythonRepr(value[key])}`).join(', ')}}`;
  return String(value);
}

function numberRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  // Python writes at least two exponent digits: 1e-07, 1.5e+16.
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

function stringRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const c of text) {
    if (c === quote || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c < ' ' || c === '\x7f') out += '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
    else out += c;
  }
  return out + quote;
}
