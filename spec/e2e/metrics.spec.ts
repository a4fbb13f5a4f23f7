import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, listEntries, startSimulator } from '../../fixtures/index.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

interface Point {
  type: string;
  metric: string;
  value: number;
  tags: Record<string, unknown>;
}

const METRIC_LINE = /^INFO METRIC: (\{.*\})$/;
const TYPES: Record<string, string> = { record_count: 'counter', http_request_count: 'counter', http_request_duration: 'timer', sync_duration: 'timer', dropped_entry_count: 'counter' };

/** Every `METRIC: ` line of stderr, parsed; a line that mentions METRIC but is not one fails the test. */
function metricsOf(stderr: string): Point[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('METRIC: '))
    .map((line) => {
      const match = METRIC_LINE.exec(line);
      assert.ok(match, `not a Meltano metric line: ${line}`);
      return JSON.parse(match[1]!) as Point;
    });
}

/** Singer messages only: the run's stdout parsed (runCli fails on a non-JSON line) and checked by type. */
function assertSingerOnly(run: CliResult): void {
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.messages.length > 0);
  assert.ok(run.messages.every((m) => ['SCHEMA', 'RECORD', 'STATE'].includes(String(m['type']))));
  assert.doesNotMatch(run.stdout, /METRIC|progress:|\u001b\[/);
}

/** Sums the values of one metric by the value of one tag. */
function sumBy(points: readonly Point[], metric: string, tag: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const p of points.filter((point) => point.metric === metric)) sums.set(String(p.tags[tag]), (sums.get(String(p.tags[tag])) ?? 0) + p.value);
  return sums;
}

describe('METRIC lines on stderr (Meltano SDK shape)', () => {
  let sim: Simulator;
  let config: string;
  let catalog: string;

  before(async () => {
    sim = await startSimulator({ seed: 4 });
    config = writeJson('config.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 25 });
    const selected = ['workbooks', 'workbook_pages', 'workbook_grants', 'members', 'teams'];
    catalog = writeJson('catalog.json', { streams: streams.filter((s) => selected.includes(s.name)).map(catalogEntryOf) });
  });

  after(() => sim.close());

  describe('at the default log level', () => {
    let run: CliResult;
    let points: Point[];
    let requestsBefore: Map<string, number>;

    before(async () => {
      requestsBefore = apiRequests(sim);
      run = await runCli(['--config', config, '--catalog', catalog]);
      points = metricsOf(run.stderr);
    });

    test('stdout holds Singer messages only', () => assertSingerOnly(run));

    test('every point is {type, metric, value, tags} with the SDK metric names, a number and flat tags', () => {
      assert.ok(points.length > 0);
      for (const point of points) {
        assert.deepEqual(Object.keys(point), ['type', 'metric', 'value', 'tags']);
        assert.equal(point.type, TYPES[point.metric], `${point.metric} is a ${TYPES[point.metric]}`);
        assert.ok(typeof point.value === 'number' && Number.isFinite(point.value) && point.value >= 0);
        assert.ok(Object.values(point.tags).every((v) => typeof v === 'string' || typeof v === 'number'));
      }
    });

    test('no per-request timer below debug level', () => {
      assert.deepEqual(points.filter((p) => p.metric === 'http_request_duration'), []);
    });

    test('record_count, tagged stream and endpoint, adds up to the RECORD messages of each stream', () => {
      const counts = sumBy(points, 'record_count', 'stream');
      const written = new Map([...recordsByStream(run.messages)].map(([stream, records]) => [stream, records.length]));
      assert.deepEqual(new Map([...counts].sort()), new Map([...written].sort()));
      for (const point of points.filter((p) => p.metric === 'record_count')) {
        assert.equal(point.tags['endpoint'], streams.find((s) => s.name === point.tags['stream'])!.path);
        assert.equal(typeof point.tags['pid'], 'number');
      }
    });

    test('http_request_count, tagged endpoint (a path template), adds up to the requests the API saw per endpoint', () => {
      const counts = sumBy(points, 'http_request_count', 'endpoint');
      const seen = new Map<string, number>();
      for (const [endpoint, n] of apiRequests(sim)) if (n > (requestsBefore.get(endpoint) ?? 0)) seen.set(endpoint, n - (requestsBefore.get(endpoint) ?? 0));
      assert.deepEqual(new Map([...counts].sort()), new Map([...seen].sort()));
      const grants = points.filter((p) => p.metric === 'http_request_count' && p.tags['endpoint'] === '/v2/grants').map((p) => p.tags['stream']);
      assert.ok(grants.length > 0 && grants.every((s) => typeof s === 'string' && s.endsWith('_grants')), 'a shared endpoint is counted per stream');
      const pages = points.find((p) => p.metric === 'http_request_count' && p.tags['endpoint'] === '/v2/workbooks/{workbookId}/pages');
      assert.equal(pages?.tags['stream'], 'workbook_pages');
    });

    test('sync_duration: one succeeded timer per top-level stream tree', () => {
      const durations = points.filter((p) => p.metric === 'sync_duration');
      assert.deepEqual(durations.map((p) => p.tags['stream']).sort(), ['members', 'teams', 'workbooks']);
      assert.ok(durations.every((p) => p.tags['status'] === 'succeeded' && p.value > 0));
    });
  });

  describe('at log level debug', () => {
    let run: CliResult;
    let points: Point[];

    before(async () => {
      run = await runCli(['--config', config, '--catalog', catalog], { env: { LOGLEVEL: 'debug' } });
      points = metricsOf(run.stderr);
    });

    test('stdout holds Singer messages only', () => assertSingerOnly(run));

    test('one http_request_duration per request: seconds, endpoint, http_status_code and status', () => {
      const timers = points.filter((p) => p.metric === 'http_request_duration');
      const total = [...sumBy(points, 'http_request_count', 'endpoint').values()].reduce((a, b) => a + b, 0);
      assert.equal(timers.length, total);
      for (const timer of timers) {
        assert.match(String(timer.tags['endpoint']), /^\/v2(\.1)?\//);
        assert.equal(timer.tags['http_status_code'], 200);
        assert.equal(timer.tags['status'], 'succeeded');
        assert.ok(timer.value < 60, 'seconds, not milliseconds');
      }
    });
  });

  describe('entries that do not become records', () => {
    test('dropped_entry_count per stream and reason equals the error entries Sigma sent, next to one WARN line', async () => {
      // /v2/files mixes Sigma's per-entry error objects ({code, message, requestId}) into its pages.
      const filesCatalog = writeJson('catalog.json', { streams: streams.filter((s) => s.name === 'files').map(catalogEntryOf) });
      const run = await runCli(['--config', config, '--catalog', filesCatalog]);
      assertSingerOnly(run);
      const truth = listEntries(sim.org, '/v2/files', {});
      assert.ok('entries' in truth);
      const errorEntries = (truth.entries as Array<Record<string, unknown>>).filter((entry) => typeof entry['id'] !== 'string');
      assert.ok(errorEntries.length > 0, 'the organization has error entries to drop');
      const dropped = metricsOf(run.stderr).filter((p) => p.metric === 'dropped_entry_count');
      assert.deepEqual(dropped.map((p) => ({ ...p, tags: { ...p.tags, pid: 0 } })), [
        { type: 'counter', metric: 'dropped_entry_count', value: errorEntries.length, tags: { stream: 'files', endpoint: '/v2/files', reason: 'error_entry', pid: 0 } },
      ]);
      const warnings = run.stderr.split('\n').filter((line) => line.startsWith('WARN files: dropped'));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, new RegExp(`^WARN files: dropped ${errorEntries.length} entr(y|ies), an error entry: ${errorEntries.length} \\(first: `));
    });
  });

  describe('with TAP_SIGMA_LOGLEVEL=warn', () => {
    test('writes no metric and no progress line, and the same Singer output', async () => {
      const run = await runCli(['--config', config, '--catalog', catalog], { env: { TAP_SIGMA_LOGLEVEL: 'warn', LOGLEVEL: 'debug' } });
      assertSingerOnly(run);
      assert.deepEqual(metricsOf(run.stderr), []);
      assert.doesNotMatch(run.stderr, /progress:|INFO/);
    });
  });
});

/** GET requests the simulator answered, per endpoint template (token requests left out). */
function apiRequests(sim: Simulator): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [key, byStatus] of Object.entries(sim.stats().byEndpoint)) {
    if (!key.startsWith('GET ')) continue;
    counts.set(key.slice(4), Object.values(byStatus).reduce((a, b) => a + b, 0));
  }
  return counts;
}
