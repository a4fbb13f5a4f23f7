type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'after';

/** Where a token ends, or where it breaks. */
type Scan = { readonly end: number } | { readonly faultAt: number };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;
const LITERALS = ['true', 'false', 'null'];

/**
 * Where JSON text first breaks the grammar (a UTF-16 offset; `text.length` when it ends too early), or
 * undefined when it is valid. JSON.parse's own message gives no offset for an unexpected token (a
 * trailing comma, a bare word) but quotes the text around it, which may hold a secret; this scan runs
 * only after JSON.parse failed. Iterative, so deep nesting cannot overflow the stack.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  const closers: string[] = [];
  let expect: Expect = 'value';
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i += 1;
    if (i === text.length) return expect === 'after' && closers.length === 0 ? undefined : i;
    const c = text[i]!;
    if ((expect === 'valueOrClose' || expect === 'keyOrClose' || expect === 'after') && c === closers.at(-1)) {
      closers.pop();
      i += 1;
      expect = 'after';
    } else if (expect === 'after') {
      if (closers.length === 0 || c !== ',') return i;
      i += 1;
      expect = closers.at(-1) === '}' ? 'key' : 'value';
    } else if (expect === 'colon') {
      if (c !== ':') return i;
      i += 1;
      expect = 'value';
    } else if (expect === 'key' || expect === 'keyOrClose') {
      if (c !== '"') return i;
      const scan = scanString(text, i);
      if ('faultAt' in scan) return scan.faultAt;
      i = scan.end;
      expect = 'colon';
    } else if (c === '{' || c === '[') {
      closers.push(c === '{' ? '}' : ']');
      i += 1;
      expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
    } else {
      const scan = scanScalar(text, i);
      if ('faultAt' in scan) return scan.faultAt;
      i = scan.end;
      expect = 'after';
    }
  }
}

function scanScalar(text: string, start: number): Scan {
  if (text[start] === '"') return scanString(text, start);
  const literal = LITERALS.find((word) => text.startsWith(word, start));
  if (literal) return { end: start + literal.length };
  NUMBER.lastIndex = start;
  return NUMBER.test(text) ? { end: NUMBER.lastIndex } : { faultAt: start };
}

/** A string opening at `start`: it breaks at a raw control character, a bad escape or the end of the text. */
function scanString(text: string, start: number): Scan {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return { end: i + 1 };
    if (c < 0x20) return { faultAt: i };
    if (c === 0x5c) {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return { faultAt: i };
      i = ESCAPE.lastIndex;
    } else i += 1;
  }
  return { faultAt: i };
}
