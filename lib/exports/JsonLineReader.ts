import { StringDecoder } from 'node:string_decoder';
import { parseJson } from '../json/parseJson.js';

/** The rows of the complete lines read so far, in file order. */
export interface ParsedLines {
  /** One item per non-blank line: the parsed value, or the line's text when it is not JSON. */
  readonly rows: readonly unknown[];
  /** How deeply the rows nest (at most one more than the deepest row). */
  readonly maxDepth: number;
  /** Some row holds a number kept as an exact-number string (lib/json/exactNumbers.ts). */
  readonly exactNumbers: boolean;
}

const EMPTY: ParsedLines = { rows: [], maxDepth: 0, exactNumbers: false };

/**
 * Turns a JSON Lines body, chunk by chunk as it arrives, into rows. Only the incomplete last line is
 * held between chunks. The complete lines of a chunk are parsed together as one JSON array (one scan
 * and one JSON.parse per network chunk instead of per row), with the lossless parser, so numbers a
 * double cannot hold keep their digits; when that fails, lines are parsed one by one so that only the
 * bad line is given up, as its text (which the record step drops as "not an object", counted).
 * @example const reader = new JsonLineReader(); reader.push(Buffer.from('{"a":1}\n{"a"')).rows // [{ a: 1 }]
 */
export class JsonLineReader {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  /** The rows of the lines `chunk` completes. */
  push(chunk: Buffer): ParsedLines {
    const text = this.rest + this.decoder.write(chunk);
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      this.rest = text;
      return EMPTY;
    }
    this.rest = text.slice(end + 1);
    return parseLines(text.slice(0, end).split('\n'));
  }

  /** The rows of a last line that had no newline after it. */
  end(): ParsedLines {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    return parseLines([text]);
  }
}

function parseLines(lines: string[]): ParsedLines {
  const filled = lines.filter((line) => line.length > 2 || line.trim() !== '');
  if (filled.length === 0) return EMPTY;
  const together = parseJson(`[${filled.join(',')}]`);
  if (together.ok && Array.isArray(together.value) && together.value.length === filled.length) {
    return { rows: together.value, maxDepth: together.maxDepth, exactNumbers: together.exactNumbers };
  }
  let maxDepth = 0;
  let exactNumbers = false;
  const rows = filled.map((line) => {
    const parsed = parseJson(line);
    if (!parsed.ok) return line;
    maxDepth = Math.max(maxDepth, parsed.maxDepth);
    exactNumbers ||= parsed.exactNumbers;
    return parsed.value;
  });
  return { rows, maxDepth, exactNumbers };
}
