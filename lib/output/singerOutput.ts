import { type Observable, concat, defer, from, mergeMap, takeUntil, tap } from 'rxjs';
import type { RecordBatch, SchemaMessage, SingerMessage } from '../singer/messages.js';
import type { StateTracker } from '../singer/stateTracker.js';
import type { SyncObserver } from '../tap/syncObserver.js';
import type { SyncOutput } from '../tap/syncTree.js';

/** What the output path carries: one message, or a batch of records (serialized together, on the hot path). */
export type OutputItem = { readonly kind: 'message'; readonly message: SingerMessage } | { readonly kind: 'records'; readonly batch: RecordBatch };

/** What happens to the output between the sync and its consumer: stream maps, flattening, table versions. */
export interface OutputShaping {
  /** What one batch of a (source) stream becomes on the output. */
  records(batch: RecordBatch): OutputItem[];
  /** What a finished top-level tree emits before its STATE. */
  treeDone(root: string): OutputItem[];
}

export interface SingerOutputOptions {
  readonly schemas: readonly SchemaMessage[];
  readonly state: StateTracker;
  /** An interim STATE after this many records (`state_message_frequency`). */
  readonly stateEvery: number;
  readonly observers: readonly SyncObserver[];
  /** Emits when the sync must stop: what was fetched is written, then a final STATE. */
  readonly stop$: Observable<unknown>;
  /** Undefined when batches are emitted as the sync gives them (the hot path: no work per batch). */
  readonly shaping?: OutputShaping | undefined;
}

/**
 * An interim STATE longer than SMALL_STATE_BYTES waits until at least one record per this many bytes
 * of it was written since the previous STATE (a Sigma record is longer than that): such STATE lines
 * never outweigh the records they cover, so a big input state (another tool's 50 MB) is not written
 * again after every stream. A small STATE is written at every checkpoint where it changed.
 */
const STATE_BYTES_PER_RECORD = 100;
const SMALL_STATE_BYTES = 64 * 1024;

/**
 * A sync as the Singer output every consumer gets (the CLI's stdout, a library Readable, the
 * messages Observable): SCHEMA for every selected stream first, records as pages arrive, a STATE after
 * each finished top-level tree and every `stateEvery` records when the state changed (and the records
 * since the last one outweigh it), and a final STATE (the input state when the run stopped before
 * anything ran). A STATE is emitted only after the records it covers, and never twice in a row with
 * the same content. Observers and the STATE cadence count the sync's records, before `shaping` maps,
 * filters or copies them.
 */
export function singerOutput(sync$: Observable<SyncOutput>, options: SingerOutputOptions): Observable<OutputItem> {
  const { state, observers, shaping } = options;
  let lastState: string | undefined;
  let sinceState = 0;
  let recordsSinceState = 0;
  let stopped = false;
  const stateItem = (final: boolean): OutputItem[] => {
    const fingerprint = state.fingerprint;
    if (fingerprint === lastState || (lastState === undefined && !state.hasContent)) return [];
    const bytes = state.approximateBytes;
    if (!final && bytes > SMALL_STATE_BYTES && recordsSinceState * STATE_BYTES_PER_RECORD < bytes) return [];
    lastState = fingerprint;
    recordsSinceState = 0;
    return [{ kind: 'message', message: { type: 'STATE', value: state.value() } }];
  };
  const body$ = sync$.pipe(
    takeUntil(
      options.stop$.pipe(
        tap(() => {
          stopped = true;
        }),
      ),
    ),
    mergeMap((output): OutputItem[] => {
      if (output.kind === 'checkpoint') {
        for (const observer of observers) observer.treeDone?.(output.root, output.unavailable);
        sinceState = 0;
        return shaping ? [...shaping.treeDone(output.root), ...stateItem(false)] : stateItem(false);
      }
      const { batch } = output;
      for (const observer of observers) observer.records?.(batch.stream, batch.records.length);
      sinceState += batch.records.length;
      recordsSinceState += batch.records.length;
      const items: OutputItem[] = shaping ? shaping.records(batch) : [{ kind: 'records', batch }];
      if (sinceState < options.stateEvery) return items;
      sinceState = 0;
      return [...items, ...stateItem(false)];
    }),
  );
  const final$ = defer(() => {
    if (!stopped) state.finish();
    return from(stateItem(true));
  });
  return concat(from(options.schemas.map((message): OutputItem => ({ kind: 'message', message }))), body$, final$);
}
