import { Observable } from 'rxjs';
import { ApiError, RequestCancelledError } from '../errors.js';
import type { PlannedStream } from '../tap/streamPlan.js';
import { type SyncDependencies, type SyncOutput, availabilityOf } from '../tap/syncTree.js';
import { exportChunk } from './exportChunk.js';
import { exportParameters } from './exportParameters.js';
import { LastKeys } from './LastKeys.js';

/**
 * Keys remembered across chunk boundaries: far more than the one row a 1-based `offset` repeats, and
 * than the rows that may move between two requests of a busy element, yet a few hundred kilobytes
 * whatever the element's size.
 */
const OVERLAP_KEYS = 10_000;

/**
 * The rows of one workbook element (an `exports` entry) as one Observable of record batches: the
 * element is exported in chunks of `row_limit` rows by `offset` until a chunk comes back short, each
 * chunk's file streamed and parsed line by line as it arrives, paced by the consumer's gate (no chunk
 * of the body is read while it is closed). An incremental stream opens its date-range control at its
 * starting instant (exportParameters), and the bookmark follows the highest replication key seen, as
 * for every other stream. Rows are shaped, keyed, filtered and validated like the records of a page.
 * Unsubscribing cancels the request in flight.
 */
export function syncExport(stream: PlannedStream, deps: SyncDependencies): Observable<SyncOutput> {
  return new Observable<SyncOutput>((subscriber) => {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort();
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    readElement(stream, deps, controller.signal, (batch) => {
      if (!subscriber.closed) subscriber.next({ kind: 'records', batch });
    }).then(
      () => subscriber.complete(),
      (error: unknown) => {
        const fatal = settle(stream, deps, error);
        if (fatal === undefined) subscriber.complete();
        else subscriber.error(fatal);
      },
    );
    return () => {
      controller.abort();
      deps.signal?.removeEventListener('abort', onAbort);
    };
  });
}

async function readElement(stream: PlannedStream, deps: SyncDependencies, signal: AbortSignal, emit: Parameters<typeof exportChunk>[0]['emit']): Promise<void> {
  const entry = stream.definition.elementExport!;
  const rowLimit = deps.sample ? 1 : entry.row_limit;
  const parameters = exportParameters(entry, stream.startMs);
  const context = { stream, entry, deps, signal, emit, seen: new LastKeys(entry.primary_keys.length === 0 ? 0 : OVERLAP_KEYS) };
  for (let offset = 0; ; offset += rowLimit) {
    const rows = await exportChunk(context, { parameters, offset, rowLimit });
    if (deps.sample) return deps.report.tested(stream.definition.name, 'available');
    if (rows < rowLimit) return;
  }
}

/**
 * What a failed extraction means for the run, as for a top-level stream of pages: nothing when the
 * tap cancelled it; a warning when Sigma does not offer the element to this client (unless
 * `unavailable_streams` is fail); otherwise the error to end the run with, naming the stream.
 */
function settle(stream: PlannedStream, deps: SyncDependencies, error: unknown): Error | undefined {
  if (error instanceof RequestCancelledError) return undefined;
  const name = stream.definition.name;
  if (deps.sample) {
    deps.report.tested(name, error instanceof ApiError && error.kind === 'skippable' ? availabilityOf(error) : 'error', error instanceof Error ? error.message : String(error));
    return undefined;
  }
  if (!(error instanceof ApiError)) return error instanceof Error ? error : new Error(String(error));
  if (error.unavailable) {
    deps.report.streamUnavailable({ stream: name, status: error.status, reason: error.message }, []);
    if (deps.config.unavailable_streams !== 'fail') return undefined;
    return new ApiError(`stream '${name}' is unavailable: ${error.message} (unavailable_streams is fail)`, error.status, 'fatal', error.context);
  }
  return new ApiError(`stream '${name}': ${error.message}`, error.status, 'fatal', error.context);
}
