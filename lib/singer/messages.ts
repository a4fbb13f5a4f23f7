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
  /** The table version of a FULL_TABLE stream, when ACTIVATE_VERSION messages frame it. */
  readonly version?: number;
  readonly time_extracted: string;
}

export interface StateMessage {
  readonly type: 'STATE';
  readonly value: Readonly<Record<string, unknown>>;
}

/** The records of `stream` with this version are its whole table now (older versions can go). */
export interface ActivateVersionMessage {
  readonly type: 'ACTIVATE_VERSION';
  readonly stream: string;
  readonly version: number;
}

/** The encoding of BATCH files, as the Meltano SDK names it. */
export interface BatchEncoding {
  readonly format: 'jsonl';
  readonly compression: 'gzip' | 'none';
}

/** The Meltano SDK's BATCH message: the records of `stream` are in the files of `manifest` (file:// URLs). */
export interface BatchMessage {
  readonly type: 'BATCH';
  readonly stream: string;
  readonly encoding: BatchEncoding;
  readonly manifest: readonly string[];
  readonly version?: number;
}

export type SingerMessage = SchemaMessage | RecordMessage | StateMessage | ActivateVersionMessage | BatchMessage;

/** The records of one page of one stream, all extracted at the same instant. */
export interface RecordBatch {
  readonly stream: string;
  readonly records: readonly SigmaRecord[];
  readonly timeExtracted: string;
  /** Some record holds a number kept as an exact-number string (lib/json/exactNumbers.ts). */
  readonly exactNumbers?: boolean;
  /** Written into each RECORD message (see RecordMessage.version). */
  readonly version?: number;
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
 * except that numbers the parser kept exactly are written as the number tokens Sigma sent (looked for
 * only in batches whose page held some: the search costs a pass over every byte of output). A record
 * JSON.stringify cannot write (its recursion overflows on deep nesting) is left out and handed to
 * `onUnserializable`, so one bad record never ends the run.
 */
export function serializeBatch(batch: RecordBatch, onUnserializable: (record: SigmaRecord, error: unknown) => void): string {
  const head = `{"type":"RECORD","stream":${JSON.stringify(batch.stream)},"record":`;
  const version = batch.version === undefined ? '' : `,"version":${batch.version}`;
  return serializeRecordLines(batch, head, `${version},"time_extracted":"${batch.timeExtracted}"}\n`, onUnserializable);
}

/**
 * The records of a batch as lines `head + JSON + tail` in one string, exact numbers restored: RECORD
 * messages, or the bare records of a BATCH file (empty head, tail "\n"). A record JSON.stringify cannot
 * write goes to `onUnserializable` instead.
 */
export function serializeRecordLines(batch: Pick<RecordBatch, 'records' | 'exactNumbers'>, head: string, tail: string, onUnserializable: (record: SigmaRecord, error: unknown) => void): string {
  let out = '';
  for (const record of batch.records) {
    try {
      out += head + JSON.stringify(record) + tail;
    } catch (error) {
      onUnserializable(record, error);
    }
  }
  return batch.exactNumbers ? restoreExactNumbers(out) : out;
}
