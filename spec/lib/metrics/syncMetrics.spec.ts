import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RequestEvent } from '../../../lib/http/sigmaClient.js';
import { type MetricPoint, SyncMetrics } from '../../../lib/metrics/syncMetrics.js';
import type { StreamDefinition } from '../../../lib/streams/streamDefinition.js';
import type { DropReason } from '../../../lib/tap/syncReport.js';

/** A tree workbooks → workbook_pages, workbook_grants and data_model_grants sharing /v2/grants, and a lone members. */
const definitions = [
  stream('workbooks', '/v2/workbooks'),
  stream('workbook_pages', '/v2/workbooks/{workbookId}/pages', 'workbooks'),
  stream('workbook_grants', '/v2/grants', 'workbooks'),
  stream('data_models', '/v2/dataModels'),
  stream('data_model_grants', '/v2/grants', 'data_models'),
  stream('members', '/v2.1/members'),
];

function stream(name: string, path: string, parent?: string): StreamDefinition {
  return { name, path, pagination: 'pageLimit', maxPageSize: null, entrySchema: { type: 'object' }, primaryKeys: ['id'], replicationReason: 'FULL_TABLE', ...(parent ? { parent } : {}) };
}

/** SyncMetrics over a fake clock and a logger that keeps the points. */
function harness(level: 'debug' | 'info' = 'info') {
  const points: MetricPoint[] = [];
  const clock = { ms: 1_000 };
  const logger = { metric: (point: Readonly<Record<string, unknown>>) => points.push(point as MetricPoint), enabled: (l: string) => l !== 'debug' || level === 'debug' };
  const metrics = new SyncMetrics({ logger, definitions, now: () => clock.ms, pid: 42 });
  return { metrics, points, clock, named: (metric: string) => points.filter((p) => p.metric === metric) };
}

/** A request event of the one stream on `endpoint` (workbook_grants for the shared /v2/grants). */
const ok = (endpoint: string, durationMs = 100, status: number | undefined = 200, retry = false): RequestEvent => ({
  endpoint,
  stream: endpoint === '/v2/grants' ? 'workbook_grants' : definitions.find((d) => d.path === endpoint)!.name,
  status,
  durationMs,
  retry,
});

describe('SyncMetrics', () => {
  test('logs record_count per stream of a tree when the tree finishes, then starts again from zero', () => {
    const { metrics, named } = harness();
    metrics.records('workbooks', 3);
    metrics.records('workbook_pages', 5);
    metrics.records('workbook_pages', 2);
    metrics.treeDone('workbooks', false);
    assert.deepEqual(named('record_count'), [
      { type: 'counter', metric: 'record_count', value: 3, tags: { stream: 'workbooks', endpoint: '/v2/workbooks', pid: 42 } },
      { type: 'counter', metric: 'record_count', value: 7, tags: { stream: 'workbook_pages', endpoint: '/v2/workbooks/{workbookId}/pages', pid: 42 } },
    ]);
    metrics.finish();
    assert.equal(named('record_count').length, 2, 'nothing left to log at the end');
  });

  test('logs a counter that keeps counting once 60 s after its last line, and its lines add up to the total', () => {
    const { metrics, named, clock } = harness();
    for (let second = 0; second < 150; second += 1) {
      clock.ms += 1_000;
      metrics.records('members', 10);
    }
    const periodic = named('record_count').map((p) => p.value);
    // The counter starts with the first record (second 1): 61 increments by second 61, 60 more by second 121.
    assert.deepEqual(periodic, [610, 600], 'one line 60 s after the first record, one 60 s later');
    metrics.finish();
    const all = named('record_count').map((p) => p.value);
    assert.equal(all.reduce((a, b) => a + b, 0), 1_500);
  });

  test('counts requests per endpoint and stream as http_request_count', () => {
    const { metrics, named } = harness();
    metrics.request(ok('/v2/workbooks'));
    metrics.request(ok('/v2/workbooks', 50, 429));
    metrics.request(ok('/v2/workbooks', 50, 200, true));
    metrics.request(ok('/v2/grants'));
    metrics.request({ ...ok('/v2/grants'), stream: 'report_grants' });
    metrics.finish();
    assert.deepEqual(named('http_request_count'), [
      { type: 'counter', metric: 'http_request_count', value: 3, tags: { endpoint: '/v2/workbooks', stream: 'workbooks', pid: 42 } },
      { type: 'counter', metric: 'http_request_count', value: 1, tags: { endpoint: '/v2/grants', stream: 'workbook_grants', pid: 42 } },
      { type: 'counter', metric: 'http_request_count', value: 1, tags: { endpoint: '/v2/grants', stream: 'report_grants', pid: 42 } },
    ]);
  });

  test('writes one http_request_duration timer per request at log level debug only', () => {
    const info = harness('info');
    info.metrics.request(ok('/v2/workbooks'));
    assert.deepEqual(info.named('http_request_duration'), []);

    const debug = harness('debug');
    debug.metrics.request(ok('/v2/workbooks/{workbookId}/pages', 1234));
    debug.metrics.request(ok('/v2/grants', 20, 503));
    debug.metrics.request({ endpoint: '/v2/workbooks', stream: 'workbooks', status: undefined, durationMs: 30_000, retry: false });
    assert.deepEqual(debug.named('http_request_duration'), [
      { type: 'timer', metric: 'http_request_duration', value: 1.234, tags: { endpoint: '/v2/workbooks/{workbookId}/pages', stream: 'workbook_pages', http_status_code: 200, status: 'succeeded' } },
      { type: 'timer', metric: 'http_request_duration', value: 0.02, tags: { endpoint: '/v2/grants', stream: 'workbook_grants', http_status_code: 503, status: 'failed' } },
      { type: 'timer', metric: 'http_request_duration', value: 30, tags: { endpoint: '/v2/workbooks', stream: 'workbooks', status: 'failed' } },
    ]);
  });

  test('times each top-level tree from the start of its first request to its checkpoint', () => {
    const { metrics, named, clock } = harness();
    clock.ms = 10_000;
    metrics.request(ok('/v2/workbooks', 500));
    clock.ms = 12_000;
    metrics.request(ok('/v2/workbooks/{workbookId}/pages', 100));
    clock.ms = 13_250;
    metrics.treeDone('workbooks', false);
    assert.deepEqual(named('sync_duration'), [{ type: 'timer', metric: 'sync_duration', value: 3.75, tags: { stream: 'workbooks', status: 'succeeded', pid: 42 } }]);
  });

  test('an unavailable tree has its points too: record_count 0 and sync_duration with status unavailable', () => {
    const { metrics, named, clock } = harness();
    clock.ms = 1_000;
    metrics.request(ok('/v2/dataModels', 20, 403));
    clock.ms = 1_050;
    metrics.treeDone('data_models', true);
    assert.deepEqual(named('record_count'), [{ type: 'counter', metric: 'record_count', value: 0, tags: { stream: 'data_models', endpoint: '/v2/dataModels', pid: 42 } }]);
    assert.deepEqual(named('sync_duration'), [{ type: 'timer', metric: 'sync_duration', value: 0.07, tags: { stream: 'data_models', status: 'unavailable', pid: 42 } }]);
  });

  test('reports trees the run left unfinished as failed, at the end, once', () => {
    const { metrics, named, clock } = harness();
    metrics.request(ok('/v2/dataModels', 0));
    metrics.request(ok('/v2.1/members', 0));
    metrics.treeDone('members', false);
    clock.ms += 2_000;
    metrics.finish();
    metrics.finish();
    assert.deepEqual(
      named('sync_duration').map((p) => [p.tags['stream'], p.tags['status']]),
      [['members', 'succeeded'], ['data_models', 'failed']],
    );
  });

  test('dropped_entry_count: one counter per stream and reason, the reason as an identifier', () => {
    const { metrics, named } = harness();
    metrics.dropped(new Map<string, Map<DropReason, number>>([
      ['workbooks', new Map<DropReason, number>([['not an object', 2], ['a duplicated primary key', 1]])],
      ['members', new Map<DropReason, number>([['an error entry', 5]])],
    ]));
    assert.deepEqual(named('dropped_entry_count'), [
      { type: 'counter', metric: 'dropped_entry_count', value: 2, tags: { stream: 'workbooks', endpoint: '/v2/workbooks', reason: 'not_an_object', pid: 42 } },
      { type: 'counter', metric: 'dropped_entry_count', value: 1, tags: { stream: 'workbooks', endpoint: '/v2/workbooks', reason: 'duplicate_primary_key', pid: 42 } },
      { type: 'counter', metric: 'dropped_entry_count', value: 5, tags: { stream: 'members', endpoint: '/v2.1/members', reason: 'error_entry', pid: 42 } },
    ]);
  });

  test('no dropped_entry_count when nothing was dropped', () => {
    const { metrics, named } = harness();
    metrics.dropped(new Map());
    assert.deepEqual(named('dropped_entry_count'), []);
  });

  test('every point has the Meltano SDK shape: type, metric, a finite number, and flat tags', () => {
    const { metrics, points } = harness('debug');
    metrics.request(ok('/v2/workbooks'));
    metrics.records('workbooks', 1);
    metrics.treeDone('workbooks', false);
    metrics.finish();
    assert.ok(points.length >= 4);
    for (const point of points) {
      assert.deepEqual(Object.keys(point), ['type', 'metric', 'value', 'tags']);
      assert.ok(point.type === 'counter' || point.type === 'timer');
      assert.ok(Number.isFinite(point.value) && point.value >= 0);
      assert.ok(Object.values(point.tags).every((v) => typeof v === 'string' || typeof v === 'number'));
    }
  });
});
