import { setMaxListeners } from 'node:events';
import { Observable } from 'rxjs';
import type { TapConfig } from '../config/tapConfig.js';
import { ApiError, PaginationLoopError, RequestCancelledError } from '../errors.js';
import type { DemandGate } from '../http/demandGate.js';
import { buildRequest } from '../http/buildRequest.js';
import { parsePage } from '../http/parsePage.js';
import type { RequestEvent, SigmaAnswer, SigmaClient } from '../http/sigmaClient.js';
import type { Logger } from '../log/logger.js';
import type { RecordBatch } from '../singer/messages.js';
import type { StateTracker } from '../singer/stateTracker.js';
import { pathPlaceholders } from '../streams/recordSchema.js';
import type { Context, SigmaRecord } from '../streams/streamDefinition.js';
import { type FanOutScheduler, type Task, type TaskSource, single } from './fanOutScheduler.js';
import { RecentKeys, describe, pageRecords } from './pageRecords.js';
import { type PlannedStream, flattenPlan } from './streamPlan.js';
import type { Availability, SyncReport } from './syncReport.js';

/** Entries of one page turned into records and emitted at a time (Sigma's pages hold at most 1,000). */
const ENTRIES_PER_BATCH = 1_000;

/** What a sync emits: record batches of selected streams, and a checkpoint after each finished top-level tree. */
export type SyncOutput = { readonly kind: 'records'; readonly batch: RecordBatch } | { readonly kind: 'checkpoint'; readonly root: string; readonly unavailable: boolean };

export interface SyncDependencies {
  readonly client: SigmaClient;
  readonly config: TapConfig;
  readonly logger: Logger;
  readonly state: StateTracker;
  readonly report: SyncReport;
  readonly scheduler: FanOutScheduler;
  /** The consumer's demand; every request of this sync waits for it before taking its slot. */
  readonly gate: DemandGate;
  readonly signal?: AbortSignal;
  /** `--test`: the first page of the first partition of each stream, one record each, availability reported. */
  readonly sample?: boolean;
  /** Told about each HTTP attempt of this sync (metrics, progress). */
  readonly onAttempt?: (event: RequestEvent) => void;
  /** Validates (and counts) a batch before it is emitted; returns the batch to emit. */
  readonly check: (stream: PlannedStream, batch: RecordBatch) => RecordBatch;
  readonly now?: () => Date;
}

/**
 * One top-level stream and all its descendants as one Observable of record batches; completes when
 * every partition of the tree is done. Every page request of every partition is a task of the shared
 * FanOutScheduler (bounded fan-out, deeper first) and goes through the client's limiter with this
 * sync's gate (bounded requests, demand-driven). Unsubscribing cancels the requests in flight.
 */
export function syncTree(root: PlannedStream, deps: SyncDependencies): Observable<SyncOutput> {
  return new Observable<SyncOutput>((subscriber) => {
    const controller = new AbortController();
    // Every request of the tree in flight listens on it; their number is bounded by the fan-out limit.
    setMaxListeners(0, controller.signal);
    const onAbort = (): void => controller.abort();
    deps.signal?.addEventListener('abort', onAbort, { once: true });
    const withdrawals = new Set<() => void>();
    let open = 0;
    let stopped = false;

    const settle = (): void => {
      open -= 1;
      if (open === 0 && !stopped) {
        stopped = true;
        subscriber.complete();
      }
    };
    const fail = (error: unknown): void => {
      if (stopped) return;
      stopped = true;
      subscriber.error(error);
    };
    /** Offers `source` to the scheduler; the tree stays open until it is exhausted and its tasks are done. */
    const offer = (depth: number, source: TaskSource, first = false): void => {
      open += 1;
      let exhausted = false;
      let withdraw: (() => void) | undefined;
      withdraw = deps.scheduler.offer(depth, {
        next: () => {
          if (exhausted) return undefined;
          const task = stopped ? undefined : source.next();
          if (task === undefined) {
            exhausted = true;
            if (withdraw) withdrawals.delete(withdraw);
            settle();
            return undefined;
          }
          open += 1;
          return task;
        },
      }, first);
      if (!exhausted) withdrawals.add(withdraw);
    };

    const pageTask = (stream: PlannedStream, context: Context, depth: number, cursor: string | undefined, partition: Partition): Task => (release) => {
      const request = buildRequest(stream.definition, context, cursor, deps.config);
      deps.client
        .request({
          path: request.path,
          params: request.params,
          endpoint: stream.definition.path,
          stream: stream.definition.name,
          signal: controller.signal,
          gate: deps.gate,
          ...(stream.definition.answerStatuses ? { answers: stream.definition.answerStatuses } : {}),
          ...(deps.onAttempt ? { onAttempt: deps.onAttempt } : {}),
        })
        .then(
          (answer) => {
            release();
            if (!stopped) handlePage(stream, context, depth, partition, answer);
          },
          (error: unknown) => {
            release();
            if (!stopped) handleError(stream, context, cursor, error);
          },
        )
        .catch(fail)
        .finally(settle);
    };

    /**
     * Turns a page into records ENTRIES_PER_BATCH entries at a time, and goes on only while the consumer's
     * gate is open: a page far bigger than asked (100,000 entries) costs its parsed entries plus one
     * batch, not a record and a serialized line per entry all at once. The tree stays open meanwhile.
     */
    const handlePage = (stream: PlannedStream, context: Context, depth: number, partition: Partition, answer: SigmaAnswer): void => {
      const page = parsePage(stream.definition.pagination, answer.body, stream.definition.path);
      if (deps.sample) deps.report.tested(stream.definition.name, 'available');
      const parents: SigmaRecord[] = [];
      let from = 0;
      let emittedAny = false;
      open += 1;
      const step = (): void => {
        while (!stopped && from < page.entries.length) {
          const entries = page.entries.slice(from, from + ENTRIES_PER_BATCH);
          from += entries.length;
          const chunk = pageRecords(stream, entries, answer.maxDepth, context, partition.recentKeys, deps);
          parents.push(...chunk.parents);
          const emitted = deps.sample ? chunk.records.slice(0, emittedAny ? 0 : 1) : chunk.records;
          if (emitted.length > 0) {
            emittedAny = true;
            const batch = deps.check(stream, {
              stream: stream.definition.name,
              records: emitted,
              timeExtracted: (deps.now?.() ?? new Date()).toISOString(),
              ...(answer.exactNumbers ? { exactNumbers: true } : {}),
            });
            if (batch.records.length > 0) subscriber.next({ kind: 'records', batch });
          }
          if (from < page.entries.length && !deps.gate.open) {
            deps.gate.onOpen(() => guarded(step));
            return;
          }
        }
        if (!stopped) pageDone(stream, context, depth, partition, page.next, parents);
        settle();
      };
      step();
    };

    const pageDone = (stream: PlannedStream, context: Context, depth: number, partition: Partition, next: string | undefined, parents: readonly SigmaRecord[]): void => {
      if (stream.children.length > 0 && parents.length > 0) {
        offer(depth + 1, childTasks(stream, deps.sample ? parents.slice(0, 1) : parents, context, depth + 1));
      }
      // The page is done: it becomes the page before for the next one's duplicate check.
      partition.recentKeys = partition.recentKeys.next();
      if (next === undefined || deps.sample) return;
      if (partition.cursors.has(next)) throw new PaginationLoopError(next, { stream: stream.definition.name });
      partition.cursors.add(next);
      offer(depth, single(pageTask(stream, context, depth, next, partition)), true);
    };

    /** Runs work resumed from a gate listener, where a throw would escape the tree. */
    const guarded = (work: () => void): void => {
      try {
        work();
      } catch (error) {
        fail(error);
      }
    };

    const childTasks = (stream: PlannedStream, parents: readonly SigmaRecord[], parentContext: Context, depth: number): TaskSource => {
      let parentIndex = 0;
      let childIndex = 0;
      return {
        next: () => {
          while (parentIndex < parents.length) {
            const parent = parents[parentIndex]!;
            const child = stream.children[childIndex]!;
            childIndex += 1;
            if (childIndex === stream.children.length) {
              childIndex = 0;
              parentIndex += 1;
            }
            if (!readsFor(child, parent, stream)) {
              deps.report.unchangedParent(child.definition.name);
              continue;
            }
            const context = childContext(child, parent, parentContext, deps.config);
            if (context) return pageTask(child, context, depth, undefined, newPartition());
          }
          return undefined;
        },
      };
    };

    const handleError = (stream: PlannedStream, context: Context, cursor: string | undefined, error: unknown): void => {
      if (error instanceof RequestCancelledError) return;
      const name = stream.definition.name;
      if (!(error instanceof ApiError) || error.kind !== 'skippable') {
        if (deps.sample) return deps.report.tested(name, 'error', errorText(error));
        throw error instanceof ApiError ? new ApiError(`stream '${name}': ${error.message}`, error.status, error.kind, error.context) : error;
      }
      if (deps.sample) deps.report.tested(name, availabilityOf(error));
      if (!stream.definition.parent && cursor === undefined && error.unavailable) {
        deps.report.streamUnavailable({ stream: name, status: error.status, reason: error.message }, flattenPlan(stream.children).map((c) => c.definition.name));
        if (deps.config.unavailable_streams === 'fail' && !deps.sample) {
          throw new ApiError(`stream '${name}' is unavailable: ${error.message} (unavailable_streams is fail)`, error.status, 'fatal', error.context);
        }
        return;
      }
      if (!stream.definition.parent) throw new ApiError(`stream '${name}': ${error.message}`, error.status, 'fatal', error.context);
      if (error.unavailable) deps.report.parentSkipped(name, `${describe(context)} (${error.message})`);
      else deps.report.declaredAnswer(name, `${describe(context)} (${error.message})`);
    };

    for (const context of root.definition.rootContexts?.(deps.config) ?? [{}]) {
      offer(0, single(pageTask(root, context, 0, undefined, newPartition())));
    }
    return () => {
      stopped = true;
      for (const withdraw of withdrawals) withdraw();
      controller.abort();
      deps.signal?.removeEventListener('abort', onAbort);
    };
  });
}

/** What one partition remembers between its pages: cursors seen (loop detection) and the keys of its last two pages. */
interface Partition {
  readonly cursors: Set<string>;
  recentKeys: RecentKeys;
}

function newPartition(): Partition {
  return { cursors: new Set(), recentKeys: new RecentKeys() };
}

/**
 * The context a child partition gets from one parent record: the definition's own `context`, or the
 * path's placeholders picked from the parent record and its context. Archived parents are skipped
 * unless `include_archived` (Sigma serves their children, but users rarely want them).
 */
function childContext(child: PlannedStream, parent: SigmaRecord, parentContext: Context, config: TapConfig): Context | null {
  if (parent['isArchived'] === true && !config.include_archived) return null;
  if (child.definition.context) return child.definition.context({ ...parentContext, ...parent }, config);
  const context: Record<string, string> = {};
  for (const name of pathPlaceholders(child.definition.path)) {
    const value = parent[name] ?? parentContext[name];
    if (typeof value !== 'string') return null;
    context[name] = value;
  }
  return context;
}

/** Whether an incremental run reads `child` for this parent (see ChildRefresh and PlannedStream.parentChangedSinceMs). */
function readsFor(child: PlannedStream, parent: SigmaRecord, parentStream: PlannedStream): boolean {
  const since = child.parentChangedSinceMs;
  const refresh = child.refresh;
  if (since === undefined || refresh === undefined || refresh.rule === 'every-run' || parentStream.replicationKey === undefined) return true;
  const changedAt = Date.parse(String(parent[parentStream.replicationKey]));
  // A parent without a usable timestamp is read as changed: nothing is skipped on a guess.
  if (!(changedAt < since)) return true;
  return refresh.rule === 'when-listed' && refresh.changedSince(parent, since);
}

export function availabilityOf(error: ApiError): Availability {
  if (!error.unavailable) return 'available';
  if (error.status === 403) return 'forbidden';
  if (error.status === 404) return 'not found';
  return 'not enabled';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
