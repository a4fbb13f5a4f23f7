import { ExpressionError } from './expressionError.js';

export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly isFloat: boolean; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'name'; readonly value: string; readonly at: number }
  | { readonly kind: 'op'; readonly value: string; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

// Longest first, so `**` is not read as two `*`. Bitwise and assignment operators are tokenized only
// so that the parser can say plainly that they are not supported.
const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '<<', '>>', ':=', '<', '>', '+', '-', '*', '/', '%', '(', ')', '[', ']', '{', '}', ',', ':', '.', '=', '&', '|', '^', '~', '@', ';'];

const SIMPLE_ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
  ['b', '\b'],
  ['f', '\f'],
  ['v', '\v'],
  ['a', '\x07'],
  ['0', '\0'],
  ['\n', ''],
]);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isNameStart = (c: string | undefined): boolean => c !== undefined && /[\p{L}_]/u.test(c);
const isNamePart = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/**
 * Splits one Python expression (the language of Meltano SDK stream maps) into tokens.
 * Contract: numbers (with `_` separators and exponents), strings in ' " ''' """ with Python's escapes
 *   and the r/u prefixes, names, operators; throws ExpressionError with the offset of anything else.
 * @see parseExpression
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i += 1;
    } else if (isDigit(c) || (c === '.' && isDigit(source[i + 1]))) {
      i = readNumber(source, i, tokens);
    } else if (c === '"' || c === "'") {
      i = readString(source, i, i, false, tokens);
    } else if (isNameStart(c)) {
      let end = i + 1;
      while (isNamePart(source[end])) end += 1;
      const word = source.slice(i, end);
      const quote = source[end];
      if ((quote === '"' || quote === "'") && /^[rRuUfFbB]{1,2}$/.test(word)) {
        if (/[fF]/.test(word)) throw new ExpressionError('f-strings are not supported', i);
        if (/[bB]/.test(word)) throw new ExpressionError('bytes literals are not supported', i);
        i = readString(source, end, i, /[rR]/.test(word), tokens);
      } else {
        tokens.push({ kind: 'name', value: word, at: i });
        i = end;
      }
    } else {
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i));
      if (op === undefined) throw new ExpressionError(`unexpected character '${c}'`, i);
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

function readNumber(source: string, start: number, tokens: Token[]): number {
  const match = /^(?:\d(?:_?\d)*)?(\.(?:\d(?:_?\d)*)?)?([eE][+-]?\d(?:_?\d)*)?/.exec(source.slice(start))!;
  const text = match[0];
  if (isNamePart(source[start + text.length])) throw new ExpressionError('invalid number literal', start);
  if (/^0\d/.test(text.replace(/_/g, '')) && match[1] === undefined && match[2] === undefined && /[1-9]/.test(text)) {
    throw new ExpressionError('leading zeros in a number are not allowed', start);
  }
  tokens.push({ kind: 'number', value: Number(text.replace(/_/g, '')), isFloat: match[1] !== undefined || match[2] !== undefined, at: start });
  return start + text.length;
}

function readString(source: string, quoteAt: number, tokenAt: number, raw: boolean, tokens: Token[]): number {
  const quote = source[quoteAt]!;
  const triple = source.startsWith(quote.repeat(3), quoteAt);
  const delimiter = triple ? quote.repeat(3) : quote;
  let i = quoteAt + delimiter.length;
  let value = '';
  for (;;) {
    if (i >= source.length) throw new ExpressionError('unterminated string', tokenAt);
    if (source.startsWith(delimiter, i)) break;
    const c = source[i]!;
    if (c === '\n' && !triple) throw new ExpressionError('unterminated string', tokenAt);
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const next = source[i + 1];
    if (raw) {
      value += next === undefined ? c : c + next;
      i += 2;
      continue;
    }
    const [text, length] = readEscape(source, i, next);
    value += text;
    i += length;
  }
  tokens.push({ kind: 'string', value, at: tokenAt });
  return i + delimiter.length;
}

/** One backslash escape: the text it stands for and how many characters it spans. */
function readEscape(source: string, at: number, next: string | undefined): [string, number] {
  if (next === undefined) throw new ExpressionError('unterminated string', at);
  const simple = SIMPLE_ESCAPES.get(next);
  if (simple !== undefined && !(next === '0' && isDigit(source[at + 2]))) return [simple, 2];
  const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
  if (hexLength > 0) {
    const hex = source.slice(at + 2, at + 2 + hexLength);
    if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) throw new ExpressionError(`invalid \\${next} escape`, at);
    const codePoint = parseInt(hex, 16);
    if (codePoint > 0x10ffff) throw new ExpressionError(`invalid \\${next} escape`, at);
    return [String.fromCodePoint(codePoint), 2 + hexLength];
  }
  const octal = /^[0-7]{1,3}/.exec(source.slice(at + 1));
  if (octal) return [String.fromCharCode(parseInt(octal[0], 8)), 1 + octal[0].length];
  // Python keeps an unknown escape as written.
  return ['\\' + next, 2];
}
