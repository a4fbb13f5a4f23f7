import { type OperatorFunction, map } from 'rxjs';
import { serializeBatch } from '../singer/messages.js';
import type { SyncOutput } from '../tap/syncStreams.js';

/** What the writer takes: RECORD lines of one batch with the counts it keeps, or a checkpoint. */
export type SerializedOutput =
  | { readonly kind: 'records'; readonly stream: string; readonly count: number; readonly text: string }
  | { readonly kind: 'checkpoint'; readonly root: string };

/**
 * Serializes each record batch into its RECORD lines; checkpoints pass through.
 * Contract: one output per input, in order; a batch becomes one string with one line per record.
 * Backpressure: synchronous; the text goes straight to the writer.
 * Concurrency: none.
 */
export function toRecordMessages(): OperatorFunction<SyncOutput, SerializedOutput> {
  return map((output) =>
    output.kind === 'checkpoint'
      ? output
      : { kind: 'records', stream: output.batch.stream, count: output.batch.records.length, text: serializeBatch(output.batch) },
  );
}
