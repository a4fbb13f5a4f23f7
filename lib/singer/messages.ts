import { restoreExactNumbers } from '../json/exactNumbers.js';
import type { JsonSchema, SigmaRecord } from '../streams/streamDefinition.js';

export interface SchemaMessage {
  readonly type: 'SCHEMA';
  readonly stream: string;
  readonly schema: JsonSchema;
  readonly key_properties: readonly string[];
  readonly bookmark_properties?: readonly string[];
}

export interface RecordMessage {
  readonly type: 'RECORD';
  readonly stream: string;
  readonly record: SigmaRecord;
  readonly time_extracted: string;
}

export interface StateMessage {
  readonly type: 'STATE';
  readonly value: Readonly<Record<string, unknown>>;
}

export type SingerMessage = SchemaMessage | RecordMessage | StateMessage;

/** The records of one page of one stream, all extracted at the same instant. */
export interface RecordBatch {
  readonly stream: string;
  readonly records: readonly SigmaRecord[];
  readonly timeExtracted: string;
  /** Some record holds a number kept as an exact-number string (lib/json/exactNumbers.ts). */
  readonly exactNumbers?: boolean;
}

export function schemaMessage(stream: string, schema: JsonSchema, keyProperties: readonly string[], replicationKey?: string): SchemaMessage {
  return replicationKey
    ? { type: 'SCHEMA', stream, schema, key_properties: keyProperties, bookmark_properties: [replicationKey] }
    : { type: 'SCHEMA', stream, schema, key_properties: keyProperties };
}

export function stateMessage(value: Readonly<Record<string, unknown>>): StateMessage {
  return { type: 'STATE', value };
}

/** One message as one line of JSON, newline included. */
export function serializeMessage(message: SingerMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * A whole batch as RECORD lines in one string. Built by hand around JSON.stringify(record) because
 * this is the hot path: the result is byte-for-byte what serializeMessage would give for each record,
 * except that numbers the parser kept exactly are written as the number tokens Sigma sent. A record
 * JSON.stringify cannot write (its recursion overflows on deep nesting) is left out and handed to
 * `onUnserializable`, so one bad record never ends the run.
 */
export function serializeBatch(batch: RecordBatch, onUnserializable: (record: SigmaRecord, error: unknown) => void): string {
  const head = `{"type":"RECORD","stream":${JSON.stringify(batch.stream)},"record":`;
  const tail = `,"time_extracted":"${batch.timeExtracted}"}\n`;
  let out = '';
  for (const record of batch.records) {
    try {
      out += head + JSON.stringify(record) + tail;
    } catch (error) {
      onUnserializable(record, error);
    }
  }
  return restoreExactNumbers(out);
}
