import { type OperatorFunction, filter, map } from 'rxjs';
import { type RecordBatch, serializeBatch } from '../singer/messages.js';

/** RECORD lines of one batch, ready for the writer, with what the writer counts. */
export interface SerializedBatch {
  readonly stream: string;
  readonly count: number;
  readonly text: string;
}

/**
 * Serializes each batch into its RECORD lines.
 * Contract: one SerializedBatch per non-empty batch, one line per record, in order; empty batches are dropped.
 * Backpressure: synchronous; the text goes straight to the writer.
 * Concurrency: none.
 */
export function toRecordMessages(): OperatorFunction<RecordBatch, SerializedBatch> {
  return (source) =>
    source.pipe(
      filter((batch) => batch.records.length > 0),
      map((batch) => ({ stream: batch.stream, count: batch.records.length, text: serializeBatch(batch) })),
    );
}
