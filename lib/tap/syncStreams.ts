import { type Observable, type OperatorFunction, EMPTY, catchError, concat, defer, filter, from, map, merge, of, switchMap } from 'rxjs';
import type { TapConfig } from '../config/tapConfig.js';
import { ApiError } from '../errors.js';
import { buildRequest } from '../http/buildRequest.js';
import { type Page, parsePage } from '../http/parsePage.js';
import type { SigmaClient } from '../http/sigmaClient.js';
import type { Logger } from '../log/logger.js';
import { expandChildren } from '../operators/expandChildren.js';
import { paginate } from '../operators/paginate.js';
import { validateRecords } from '../operators/validateRecords.js';
import type { RecordBatch } from '../singer/messages.js';
import type { StateTracker } from '../singer/stateTracker.js';
import { pathPlaceholders } from '../streams/recordSchema.js';
import type { Context, DerivedProperty, SigmaRecord } from '../streams/streamDefinition.js';
import { type PlannedStream, flattenPlan } from './streamPlan.js';

/** What the sync emits, in order: validated record batches, and a checkpoint after each finished top-level tree. */
export type SyncOutput = { readonly kind: 'records'; readonly batch: RecordBatch } | { readonly kind: 'checkpoint'; readonly root: string };

export interface SyncDependencies {
  readonly client: SigmaClient;
  readonly config: TapConfig;
  readonly logger: Logger;
  readonly state: StateTracker;
  /** Completes when the output can take more; gates every page request. */
  readonly whenWritable: () => Observable<void>;
  readonly signal?: AbortSignal;
  /** `--test`: the first page of the first partition only, one record per stream. */
  readonly sample?: boolean;
  readonly now?: () => Date;
}

/**
 * The whole extraction as one Observable: every top-level stream (at most `concurrency` at once) with
 * its descendants, each tree followed by a checkpoint once all of its records were emitted. Trees an
 * interrupted run already finished (see RESUME_KEY) are not extracted again.
 */
export function syncStreams(plan: readonly PlannedStream[], dependencies: SyncDependencies): Observable<SyncOutput> {
  const deps: Run = { ...dependencies, toOutput: outputOperators(flattenPlan(plan), dependencies) };
  const trees = plan
    .filter((root) => !deps.state.alreadyCompleted(root.definition.name))
    .map((root) =>
      concat(
        ...(root.definition.rootContexts?.(deps.config) ?? [{}]).map((context) => syncPartition(root, context, deps)),
        defer(() => {
          completeTree(root, deps.state);
          deps.state.completeRoot(root.definition.name);
          return of<SyncOutput>({ kind: 'checkpoint', root: root.definition.name });
        }),
      ),
    );
  return merge(...trees, deps.config.concurrency);
}

function syncPartition(stream: PlannedStream, context: Context, deps: Run): Observable<SyncOutput> {
  const { definition } = stream;
  const fetchPage = (cursor: string | undefined): Observable<Page> =>
    deps.whenWritable().pipe(
      switchMap(() => {
        const request = buildRequest(definition, context, cursor, deps.config);
        return from(
          deps.client.get(request.path, request.params, {
            endpoint: definition.path,
            stream: definition.name,
            ...(deps.signal ? { signal: deps.signal } : {}),
            ...(definition.noRetryStatuses ? { noRetryStatuses: definition.noRetryStatuses } : {}),
          }),
        );
      }),
      map((body) => {
        const page = parsePage(definition.pagination, body, definition.path, definition.scalarEntryKey);
        return deps.sample ? { records: page.records.slice(0, 1), next: undefined } : page;
      }),
    );
  const handlePage = (page: Page): Observable<SyncOutput> => {
    const entries = definition.isRecord ? page.records.filter(definition.isRecord) : page.records;
    const records$ = stream.selected ? emitRecords(stream, entries, context, deps) : EMPTY;
    const children$ = stream.children.length === 0 ? EMPTY : of(entries).pipe(expandChildren((parent: SigmaRecord) => childrenOf(stream, parent, context, deps), deps.config.concurrency));
    return concat(records$, children$);
  };
  return paginate(fetchPage, handlePage).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof ApiError) || error.kind !== 'skippable') throw error;
      // A child of one parent may be forbidden or gone (admin-only, deleted meanwhile): skip that parent.
      // A top-level stream answering so means the whole stream is out of reach: the user must act.
      if (!definition.parent) throw new ApiError(`stream '${definition.name}': ${error.message}${error.status === 403 ? ' (forbidden: this client lacks the permission; use an admin client or deselect the stream)' : ''}`, error.status, 'fatal', error.context);
      deps.logger.warn(`${definition.name}: skipping ${describeContext(context)} (${error.message})`);
      return EMPTY;
    }),
  );
}

function childrenOf(stream: PlannedStream, parent: SigmaRecord, parentContext: Context, deps: Run): Observable<SyncOutput> {
  const children = stream.children.map((child) => {
    const context = childContext(child, parent, parentContext, deps);
    return context ? syncPartition(child, context, deps) : EMPTY;
  });
  return merge(...children);
}

/**
 * The context a child partition gets from one parent record: the definition's own `context`, or the
 * path's placeholders picked from the parent record and its context. Archived parents are skipped
 * unless `include_archived` (Sigma serves their children, but users rarely want them).
 */
function childContext(child: PlannedStream, parent: SigmaRecord, parentContext: Context, deps: Run): Context | null {
  if (parent['isArchived'] === true && !deps.config.include_archived) return null;
  if (child.definition.context) return child.definition.context({ ...parentContext, ...parent }, deps.config);
  const context: Record<string, string> = {};
  for (const name of pathPlaceholders(child.definition.path)) {
    const value = parent[name] ?? parentContext[name];
    if (typeof value !== 'string') return null;
    context[name] = value;
  }
  return context;
}

function emitRecords(stream: PlannedStream, entries: readonly SigmaRecord[], context: Context, deps: Run): Observable<SyncOutput> {
  const { replicationKey, startMs } = stream;
  const records: SigmaRecord[] = [];
  const derived = Object.entries(stream.definition.derived ?? {});
  for (const entry of entries) {
    const record = stream.shape(derived.length === 0 ? entry : withDerived(entry, context, derived), context);
    if (replicationKey) {
      const value = record[replicationKey];
      if (startMs !== undefined && typeof value === 'string' && Date.parse(value) < startMs) continue;
      deps.state.observe(stream.definition.name, replicationKey, value);
    }
    records.push(record);
  }
  const batch: RecordBatch = {
    stream: stream.definition.name,
    records,
    timeExtracted: (deps.now?.() ?? new Date()).toISOString(),
  };
  return of(batch).pipe(deps.toOutput.get(stream)!);
}

/** A sync's dependencies plus the per-stream record operators, built once so their counters span the run. */
interface Run extends SyncDependencies {
  readonly toOutput: ReadonlyMap<PlannedStream, OperatorFunction<RecordBatch, SyncOutput>>;
}

function outputOperators(streams: readonly PlannedStream[], deps: SyncDependencies): Map<PlannedStream, OperatorFunction<RecordBatch, SyncOutput>> {
  return new Map(
    streams.map((stream) => {
      const validate = validateRecords({ validator: stream.validator, policy: deps.config.validate_records, logger: deps.logger });
      const operator: OperatorFunction<RecordBatch, SyncOutput> = (batch$) =>
        batch$.pipe(
          validate,
          filter((batch) => batch.records.length > 0),
          map((batch): SyncOutput => ({ kind: 'records', batch })),
        );
      return [stream, operator];
    }),
  );
}

function withDerived(entry: SigmaRecord, context: Context, derived: ReadonlyArray<[string, DerivedProperty]>): SigmaRecord {
  const extended: SigmaRecord = { ...entry };
  for (const [name, property] of derived) extended[name] = property.value(entry, context);
  return extended;
}

function completeTree(stream: PlannedStream, state: StateTracker): void {
  state.complete(stream.definition.name);
  for (const child of stream.children) completeTree(child, state);
}

function describeContext(context: Context): string {
  return Object.entries(context)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

