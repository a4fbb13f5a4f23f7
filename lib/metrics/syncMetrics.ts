import type { RequestEvent } from '../http/sigmaClient.js';
import type { Logger } from '../log/logger.js';
import type { StreamDefinition } from '../streams/streamDefinition.js';
import type { SyncObserver } from '../tap/syncObserver.js';
import type { DropReason } from '../tap/syncReport.js';
import { streamTrees } from './streamTrees.js';

/** How often a counter that keeps counting is logged: the Meltano SDK's DEFAULT_LOG_INTERVAL. */
export const METRIC_INTERVAL_MS = 60_000;

/** One `METRIC: {...}` line's JSON, as the Meltano SDK writes it. */
export type MetricPoint = {
  readonly type: 'counter' | 'timer';
  readonly metric: 'record_count' | 'http_request_count' | 'http_request_duration' | 'sync_duration' | 'dropped_entry_count';
  /** A count, or seconds for a timer. */
  readonly value: number;
  readonly tags: Readonly<Record<string, string | number>>;
};

export interface SyncMetricsOptions {
  /** Receives the points (`logger.metric`); `enabled('debug')` turns on the per-request timers. */
  readonly logger: Pick<Logger, 'metric' | 'enabled'>;
  /** Every stream definition: endpoints are mapped to streams, streams to their top-level tree. */
  readonly definitions: readonly StreamDefinition[];
  /** A counter that keeps counting is logged once this long after its last line. */
  readonly intervalMs?: number;
  /** Milliseconds on a monotonic clock (`performance.now` by default). */
  readonly now?: () => number;
  /** The `pid` tag of counters and sync timers (as the SDK's meters have it). */
  readonly pid?: number;
}

/** The `reason` tag of `dropped_entry_count`: the SyncReport's reasons as identifiers a dashboard can group by. */
export const DROP_REASON_TAGS: Readonly<Record<DropReason, string>> = {
  'not an object': 'not_an_object',
  'an error entry': 'error_entry',
  'no usable primary key': 'no_primary_key',
  'a duplicated primary key': 'duplicate_primary_key',
  'nested too deep': 'too_deep',
  'not serializable': 'not_serializable',
};

/** Counts since its last line; logging resets it, so the lines of one counter add up to the total. */
interface Counter {
  value: number;
  lastLog: number;
  readonly tags: Readonly<Record<string, string | number>>;
}

/**
 * Turns what a sync reports (requests, record counts, finished top-level trees) into Meltano SDK metric
 * lines on the logger:
 * - `record_count` (counter, tags stream, endpoint, pid): per stream, when it counts more than
 *   `intervalMs` after its last line, when its top-level tree finishes, and at the end;
 * - `http_request_count` (counter, tags endpoint, stream, pid): per endpoint template, on the same
 *   60 s cadence and at the end;
 * - `sync_duration` (timer, seconds, tags stream, status, pid): per top-level stream tree, from its first
 *   request to its checkpoint; `failed` for a tree the run left unfinished, `unavailable` for one whose
 *   endpoint refused the client (with a `record_count` of 0, so that every stream has its points);
 * - `dropped_entry_count` (counter, tags stream, endpoint, reason, pid): entries Sigma sent that did
 *   not become records, one point per stream and reason at the end (none when nothing was dropped);
 * - `http_request_duration` (timer, seconds, tags endpoint, stream, http_status_code, status): one per
 *   request, at log level debug only. The SDK writes it at info; on a run of hundreds of thousands of
 *   requests that buries every other line, and `http_request_count` gives the totals.
 * @example
 * const metrics = new SyncMetrics({ logger, definitions: streams });
 * await runSync({ ...options, observers: [metrics] });
 * metrics.finish();
 * // INFO METRIC: {"type":"counter","metric":"record_count","value":120,"tags":{"stream":"workbooks","endpoint":"/v2/workbooks","pid":4242}}
 */
export class SyncMetrics implements SyncObserver {
  private readonly recordCounters = new Map<string, Counter>();
  private readonly requestCounters = new Map<string, Counter>();
  private readonly treeStarts = new Map<string, number>();
  private readonly finishedTrees = new Set<string>();
  private readonly rootOf: ReadonlyMap<string, string>;
  private readonly pathOf: ReadonlyMap<string, string>;
  private readonly treeOf: ReadonlyMap<string, readonly string[]>;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly startedAt: number;

  constructor(private readonly options: SyncMetricsOptions) {
    const { definitions } = options;
    this.intervalMs = options.intervalMs ?? METRIC_INTERVAL_MS;
    this.now = options.now ?? (() => performance.now());
    this.pid = options.pid ?? process.pid;
    this.startedAt = this.now();
    this.pathOf = new Map(definitions.map((d) => [d.name, d.path]));
    this.treeOf = streamTrees(definitions);
    this.rootOf = new Map([...this.treeOf].flatMap(([root, tree]) => tree.map((stream): [string, string] => [stream, root])));
  }

  request(event: RequestEvent): void {
    const now = this.now();
    const stream = event.stream;
    const root = stream === undefined ? undefined : this.rootOf.get(stream);
    if (root !== undefined && !this.treeStarts.has(root) && !this.finishedTrees.has(root)) this.treeStarts.set(root, now - event.durationMs);
    const streamTag: Record<string, string> = stream === undefined ? {} : { stream };
    if (this.options.logger.enabled('debug')) {
      const succeeded = event.status !== undefined && event.status >= 200 && event.status < 300;
      this.emit({
        type: 'timer',
        metric: 'http_request_duration',
        value: seconds(event.durationMs),
        tags: { endpoint: event.endpoint, ...streamTag, ...(event.status === undefined ? {} : { http_status_code: event.status }), status: succeeded ? 'succeeded' : 'failed' },
      });
    }
    // Keyed by endpoint and stream: the grant streams share /v2/grants and are counted apart.
    this.count(this.requestCounters, `${event.endpoint} ${stream ?? ''}`, 'http_request_count', 1, now, () => ({ endpoint: event.endpoint, ...streamTag, pid: this.pid }));
  }

  records(stream: string, count: number): void {
    const endpoint = this.pathOf.get(stream);
    this.count(this.recordCounters, stream, 'record_count', count, this.now(), () => ({ stream, ...(endpoint === undefined ? {} : { endpoint }), pid: this.pid }));
  }

  treeDone(root: string, unavailable: boolean): void {
    const now = this.now();
    if (unavailable) {
      const endpoint = this.pathOf.get(root);
      this.emit({ type: 'counter', metric: 'record_count', value: 0, tags: { stream: root, ...(endpoint === undefined ? {} : { endpoint }), pid: this.pid } });
    }
    for (const stream of this.treeOf.get(root) ?? [root]) {
      const counter = this.recordCounters.get(stream);
      if (counter) this.flush('record_count', counter, now);
    }
    this.emitDuration(root, unavailable ? 'unavailable' : 'succeeded', this.treeStarts.get(root) ?? this.startedAt, now);
    this.treeStarts.delete(root);
    this.finishedTrees.add(root);
  }

  /** Logs what the counters hold and a `failed` sync_duration for every tree left unfinished. Call once, at the end. */
  finish(): void {
    const now = this.now();
    for (const counter of this.recordCounters.values()) if (counter.value > 0) this.flush('record_count', counter, now);
    for (const counter of this.requestCounters.values()) if (counter.value > 0) this.flush('http_request_count', counter, now);
    for (const [root, start] of this.treeStarts) this.emitDuration(root, 'failed', start, now);
    this.treeStarts.clear();
  }

  /** One `dropped_entry_count` point per stream and reason (SyncReport.droppedCounts). Call once, at the end. */
  dropped(counts: ReadonlyMap<string, ReadonlyMap<DropReason, number>>): void {
    for (const [stream, byReason] of counts) {
      const endpoint = this.pathOf.get(stream);
      for (const [reason, value] of byReason) {
        this.emit({ type: 'counter', metric: 'dropped_entry_count', value, tags: { stream, ...(endpoint === undefined ? {} : { endpoint }), reason: DROP_REASON_TAGS[reason], pid: this.pid } });
      }
    }
  }

  private count(counters: Map<string, Counter>, key: string, metric: 'record_count' | 'http_request_count', amount: number, now: number, tags: () => Counter['tags']): void {
    let counter = counters.get(key);
    if (!counter) {
      counter = { value: 0, lastLog: now, tags: tags() };
      counters.set(key, counter);
    }
    counter.value += amount;
    if (now - counter.lastLog >= this.intervalMs) this.flush(metric, counter, now);
  }

  private flush(metric: 'record_count' | 'http_request_count', counter: Counter, now: number): void {
    this.emit({ type: 'counter', metric, value: counter.value, tags: counter.tags });
    counter.value = 0;
    counter.lastLog = now;
  }

  private emitDuration(root: string, status: 'succeeded' | 'failed' | 'unavailable', start: number, now: number): void {
    this.emit({ type: 'timer', metric: 'sync_duration', value: seconds(now - start), tags: { stream: root, status, pid: this.pid } });
  }

  private emit(point: MetricPoint): void {
    this.options.logger.metric(point);
  }
}


function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}
