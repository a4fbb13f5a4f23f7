import { EXACT_NUMBER_MARKER, losesPrecision } from './exactNumbers.js';

export type ParsedJson =
  /** `exactNumbers`: the value holds numbers kept as exact-number strings (see exactNumbers.ts). */
  | { readonly ok: true; readonly value: unknown; readonly maxDepth: number; readonly exactNumbers: boolean }
  | { readonly ok: false; readonly body: 'empty' | 'html' | 'truncated' | 'too-many-values' };

export interface ParseLimits {
  /**
   * Objects and arrays a body may hold. Parsed, each costs 40 to 70 bytes of heap whatever its text
   * length, so a body of `[[],[],…]` would cost fifteen times its size: counted before parsing.
   */
  readonly maxContainers?: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const MINUS = 45;
const DIGIT_0 = 48;
const DIGIT_9 = 57;

/**
 * Parses a response body as JSON without losing numbers and without recursion: V8's JSON.parse is
 * iterative, and one scan (strings skipped with indexOf, so its cost follows the number of tokens,
 * not of bytes) gives the nesting depth and finds the number tokens a double cannot hold. Only when
 * there are such tokens is the text rewritten, each of them into an exact-number string.
 */
export function parseJson(text: string, limits: ParseLimits = {}): ParsedJson {
  const trimmed = text.trimStart();
  if (trimmed === '') return { ok: false, body: 'empty' };
  if (trimmed.startsWith('<')) return { ok: false, body: 'html' };
  const scan = scanJson(text, limits.maxContainers ?? Number.POSITIVE_INFINITY);
  if (scan === undefined) return { ok: false, body: 'too-many-values' };
  try {
    const source = scan.lossy.length === 0 ? text : rewriteLossy(text, scan.lossy);
    return { ok: true, value: JSON.parse(source), maxDepth: scan.maxDepth, exactNumbers: scan.lossy.length > 0 };
  } catch {
    return { ok: false, body: 'truncated' };
  }
}

interface Scan {
  readonly maxDepth: number;
  /** [start, end) of number tokens that lose precision. */
  readonly lossy: ReadonlyArray<readonly [number, number]>;
}

/** The scan, or undefined as soon as the text holds more than `maxContainers` objects and arrays. */
function scanJson(text: string, maxContainers: number): Scan | undefined {
  let depth = 0;
  let maxDepth = 0;
  let containers = 0;
  const lossy: Array<[number, number]> = [];
  const length = text.length;
  for (let i = 0; i < length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      containers += 1;
      if (containers > maxContainers) return undefined;
      depth += 1;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1;
    } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
      let end = i + 1;
      while (end < length && isNumberChar(text.charCodeAt(end))) end += 1;
      // Only long tokens or exponents can lose value: 2^53 has 16 digits.
      if ((end - i >= 16 || /[eE]/.test(text.slice(i, end))) && losesPrecision(text.slice(i, end))) lossy.push([i, end]);
      i = end - 1;
    }
  }
  return { maxDepth, lossy };
}

/** Index of the quote closing the string that opens at `start` (or the end of the text). */
function endOfString(text: string, start: number): number {
  let at = start;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    for (let k = at - 1; text.charCodeAt(k) === BACKSLASH; k -= 1) backslashes += 1;
    if (backslashes % 2 === 0) return at;
  }
}

function isNumberChar(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS;
}

function rewriteLossy(text: string, lossy: ReadonlyArray<readonly [number, number]>): string {
  let out = '';
  let from = 0;
  for (const [start, end] of lossy) {
    out += `${text.slice(from, start)}${JSON.stringify(EXACT_NUMBER_MARKER + text.slice(start, end))}`;
    from = end;
  }
  return out + text.slice(from);
}
