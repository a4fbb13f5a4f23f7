/**
 * Reads the small YAML subset meltano.yml is written in, so the spec can check the file a user copies
 * without a YAML dependency: block mappings and sequences by indentation (a sequence may sit at its
 * key's indent, as Meltano writes it), `- key: value` items, plain, "double-quoted" and 'single-quoted'
 * scalars, flow sequences of scalars (`[a, b]`, `[]`), booleans, null, numbers and # comments.
 * Anything else (block scalars, anchors, flow mappings, tabs) throws instead of being misread.
 */
export function parseYamlSubset(text: string): unknown {
  const lines = text
    .split('\n')
    .map((raw, index) => ({ number: index + 1, raw }))
    .filter(({ raw }) => raw.trim() !== '' && !raw.trim().startsWith('#'))
    .map(({ number, raw }) => {
      if (raw.includes('\t')) throw new Error(`line ${number}: tabs are not supported`);
      const body = stripComment(raw);
      return { number, indent: body.length - body.trimStart().length, text: body.trim() };
    });
  const reader = new Reader(lines);
  const value = reader.block(0);
  if (reader.index < lines.length) throw new Error(`line ${lines[reader.index]!.number}: unexpected indentation`);
  return value;
}

interface Line {
  readonly number: number;
  indent: number;
  text: string;
}

const KEY = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/;

class Reader {
  index = 0;

  constructor(private readonly lines: Line[]) {}

  block(indent: number): unknown {
    const line = this.lines[this.index];
    if (!line || line.indent !== indent) throw new Error(`line ${line?.number ?? 'end'}: expected a block at indent ${indent}`);
    return isItem(line.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (let line = this.lines[this.index]; line && line.indent === indent && !isItem(line.text); line = this.lines[this.index]) {
      const match = KEY.exec(line.text);
      if (!match) throw new Error(`line ${line.number}: expected "key: value", got ${line.text}`);
      const key = match[1]!;
      if (key in result) throw new Error(`line ${line.number}: duplicate key ${key}`);
      this.index += 1;
      if (match[2] !== undefined) {
        result[key] = scalar(match[2], line.number);
        continue;
      }
      const next = this.lines[this.index];
      if (next && (next.indent > indent || (next.indent === indent && isItem(next.text)))) result[key] = this.block(next.indent);
      else result[key] = null;
    }
    return result;
  }

  private sequence(indent: number): unknown[] {
    const result: unknown[] = [];
    for (let line = this.lines[this.index]; line && line.indent === indent && isItem(line.text); line = this.lines[this.index]) {
      const content = line.text === '-' ? '' : line.text.slice(2).trim();
      if (content === '') throw new Error(`line ${line.number}: empty sequence items are not supported`);
      if (KEY.test(content)) {
        // "- key: value" opens a mapping whose other keys sit two columns further in.
        line.indent = indent + 2;
        line.text = content;
        result.push(this.mapping(indent + 2));
      } else {
        this.index += 1;
        result.push(scalar(content, line.number));
      }
    }
    return result;
  }
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function scalar(text: string, number: number): unknown {
  // The empty flow mapping only: meltano.yml writes an empty object default so.
  if (text === '{}') return {};
  if (/^[|>&*!{]/.test(text)) throw new Error(`line ${number}: unsupported YAML: ${text}`);
  if (text.startsWith('"')) return JSON.parse(text) as unknown;
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new Error(`line ${number}: unterminated string`);
    return text.slice(1, -1).replaceAll("''", "'");
  }
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new Error(`line ${number}: unterminated flow sequence`);
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : inner.split(',').map((part) => scalar(part.trim(), number));
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** Drops a ` # comment` that is outside quotes (a quote opens a string only where a scalar starts). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i += 1;
      else if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && /(^|[:\-[,])\s*$/.test(line.slice(0, i))) quote = c;
    else if (c === '#' && (i === 0 || line[i - 1] === ' ')) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}
