import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The (stream, primary key) pairs of a Singer output, and how many RECORDs repeated a pair. */
export interface RecordSet {
  readonly keys: ReadonlySet<string>;
  readonly records: number;
  readonly duplicates: number;
}

/** Reads a captured Singer output; each RECORD's key uses the key_properties of its stream's SCHEMA. */
export async function readRecordSet(file: string): Promise<RecordSet> {
  const keyProperties = new Map<string, readonly string[]>();
  const keys = new Set<string>();
  let records = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    const message = JSON.parse(line) as { type: string; stream?: string; key_properties?: string[]; record?: Record<string, unknown> };
    if (message.type === 'SCHEMA') keyProperties.set(message.stream!, message.key_properties ?? []);
    if (message.type !== 'RECORD') continue;
    records += 1;
    const properties = keyProperties.get(message.stream!);
    if (!properties) throw new Error(`RECORD of ${message.stream} before its SCHEMA`);
    keys.add(`${message.stream}\u0000${JSON.stringify(properties.map((name) => message.record![name]))}`);
  }
  return { keys, records, duplicates: records - keys.size };
}

/** True when both outputs hold exactly the same (stream, key) pairs, each once. */
export function sameRecordSet(a: RecordSet, b: RecordSet): boolean {
  if (a.duplicates !== 0 || b.duplicates !== 0 || a.keys.size !== b.keys.size) return false;
  for (const key of a.keys) if (!b.keys.has(key)) return false;
  return true;
}

/** How many distinct records each stream of a record set has. */
export function recordsPerStream(set: RecordSet): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of set.keys) {
    const stream = key.slice(0, key.indexOf('\u0000'));
    counts.set(stream, (counts.get(stream) ?? 0) + 1);
  }
  return counts;
}
