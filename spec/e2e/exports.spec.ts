import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type DigestResult, type ExportElementInfo, exportDigest, exportRows, RowDigest, type Simulator, startSimulator } from '../../fixtures/index.js';
import { createTap } from '../../lib/index.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

/**
 * Workbook element data (the `exports` setting) end to end: the built CLI against the simulator over
 * loopback, every run checked against the generator's rows (`exportRows`, `exportDigest`).
 */

interface Elements {
  readonly audit: ExportElementInfo;
  readonly usage: ExportElementInfo;
  readonly targets: ExportElementInfo;
}

const SEED = 17;
const SIZES = { auditLogRows: 5_000 };
/** Runs follow one another closely: the token endpoint's one request per second would only slow them down. */
const TOKENS = { tokenRequestsPerSecond: 1_000 };

function elementsOf(sim: Simulator): Elements {
  const [audit, usage, targets] = sim.org.exportElements() as [ExportElementInfo, ExportElementInfo, ExportElementInfo];
  return { audit, usage, targets };
}

/** The `exports` entry of the audit log element, incremental on its date-range control. */
function auditEntry(element: ExportElementInfo, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'audit',
    workbook_id: element.workbookId,
    element_id: element.elementId,
    primary_keys: ['Event Id'],
    replication_key: 'Event Time',
    replication_parameter: element.dateControlId,
    row_limit: 1_200,
    ...extra,
  };
}

function configFor(sim: Simulator, exports: readonly Record<string, unknown>[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, exports, ...extra };
}

/** Runs a sync of the named export streams only (a catalog of bare names: their schemas are discovered at the start). */
function sync(sim: Simulator, exports: readonly Record<string, unknown>[], options: { extra?: Record<string, unknown>; streams?: readonly string[]; state?: unknown } = {}): Promise<CliResult> {
  const streams = options.streams ?? ['export_audit'];
  const args = ['--config', writeJson('config.json', configFor(sim, exports, options.extra)), '--catalog', writeJson('catalog.json', { streams: streams.map((stream) => ({ stream })) })];
  if (options.state !== undefined) args.push('--state', writeJson('state.json', options.state));
  return runCli(args, { timeoutMs: 240_000 });
}

function digestOf(records: readonly Record<string, unknown>[]): DigestResult {
  const digest = new RowDigest();
  for (const record of records) digest.add(record);
  return digest.result();
}

function lastState(run: CliResult): Record<string, unknown> {
  return run.messages.filter((m) => m['type'] === 'STATE').at(-1)!['value'] as Record<string, unknown>;
}

function records(run: CliResult, stream = 'export_audit'): Array<Record<string, unknown>> {
  return recordsByStream(run.messages).get(stream) ?? [];
}

/** A run that extracted exactly the element's rows, in the element's order: nothing lost, nothing twice. */
function assertExactRows(run: CliResult, sim: Simulator, element: ExportElementInfo, stream = 'export_audit'): void {
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  assert.deepEqual(digestOf(records(run, stream)), exportDigest(sim.org, element.workbookId, element.elementId));
}

describe('element data as streams (exports)', () => {
  let sim: Simulator;
  let elements: Elements;

  before(async () => {
    sim = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS });
    elements = elementsOf(sim);
  });
  after(() => sim.close());

  test('--discover lists each export as a stream, its schema typed from the element’s columns', async () => {
    const entries = [auditEntry(elements.audit), { name: 'export_usage', workbook_id: elements.usage.workbookId, element_id: elements.usage.elementId }];
    const run = await runCli(['--config', writeJson('config.json', configFor(sim, entries)), '--discover'], { parse: false });
    assert.equal(run.code, 0, run.stderr);
    const catalog = JSON.parse(run.stdout) as { streams: Array<{ stream: string; schema: { properties: Record<string, unknown>; required: string[] }; key_properties: string[]; replication_key: string | null; replication_method: string }> };
    const audit = catalog.streams.find((s) => s.stream === 'export_audit')!;
    const usage = catalog.streams.find((s) => s.stream === 'export_usage')!;
    assert.ok(catalog.streams.some((s) => s.stream === 'workbooks'), 'the other streams are still there');
    assert.deepEqual(Object.keys(audit.schema.properties), elements.audit.columns, 'one property per column label, in order');
    assert.deepEqual(audit.schema.properties['Event Id'], { type: 'string' }, 'a primary key is never null');
    assert.deepEqual(audit.schema.properties['Event Time'], { type: ['string', 'null'], format: 'date-time' });
    assert.deepEqual(audit.schema.properties['Succeeded'], { type: ['boolean', 'null'] });
    assert.deepEqual(audit.schema.properties['Duration (ms)'], { type: ['number', 'null'] });
    assert.deepEqual(audit.schema.properties['Details'], {}, 'a variant is left open');
    assert.deepEqual(audit.schema.required, ['Event Id']);
    assert.deepEqual([audit.key_properties, audit.replication_key, audit.replication_method], [['Event Id'], 'Event Time', 'INCREMENTAL']);
    assert.deepEqual(usage.schema.properties['Tags'], { type: ['array', 'null'] });
    assert.deepEqual([usage.key_properties, usage.replication_key, usage.replication_method], [[], null, 'FULL_TABLE']);
  });

  test('a discovered catalog extracts the element in chunks of row_limit: exactly its rows, in order', async () => {
    const entries = [auditEntry(elements.audit)];
    const discovered = await runCli(['--config', writeJson('config.json', configFor(sim, entries)), '--discover'], { parse: false });
    const catalog = { streams: (JSON.parse(discovered.stdout) as { streams: Array<{ stream: string }> }).streams.filter((s) => s.stream === 'export_audit') };
    sim.resetStats();
    const run = await runCli(['--config', writeJson('config.json', configFor(sim, entries)), '--catalog', writeJson('catalog.json', catalog)]);
    assertExactRows(run, sim, elements.audit);
    assert.deepEqual(sim.exportRequests().map((r) => [r.offset, r.rowLimit, r.format]), [0, 1_200, 2_400, 3_600, 4_800].map((offset) => [offset, 1_200, 'jsonl']));
    assert.equal(sim.stats().byEndpoint['GET /v2/workbooks/{workbookId}/elements/{elementId}/columns'], undefined, 'the catalog’s schema is used: no discovery at sync time');
    const schema = run.messages.find((m) => m['type'] === 'SCHEMA' && m['stream'] === 'export_audit')!;
    assert.deepEqual([schema['key_properties'], schema['bookmark_properties']], [['Event Id'], ['Event Time']]);
    const bookmark = (lastState(run)['bookmarks'] as Record<string, unknown>)['export_audit'];
    const rows = [...exportRows(sim.org, elements.audit.workbookId, elements.audit.elementId)];
    assert.deepEqual(bookmark, { replication_key: 'Event Time', replication_key_value: rows.at(-1)!['Event Time'] });
    const exportStats = sim.stats().exports;
    assert.equal(exportStats.throttled, 0);
    assert.ok(exportStats.peakPerMinute <= 400);
  });

  test('an element without primary keys or replication is read in full, every row once', async () => {
    const entry = { name: 'targets', workbook_id: elements.targets.workbookId, element_id: elements.targets.elementId, row_limit: 15 };
    const run = await sync(sim, [entry], { streams: ['export_targets'] });
    assertExactRows(run, sim, elements.targets, 'export_targets');
    assert.deepEqual(lastState(run)['bookmarks'], { export_targets: {} }, 'FULL_TABLE: no bookmark value, only the mark of having been read');
  });

  test('Sigma reading offset as 1-based (a row repeated at each chunk boundary): the primary keys keep each row once', async () => {
    const oneBased = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, exports: { offsetBase: 1 } });
    try {
      const run = await sync(oneBased, [auditEntry(elements.audit)]);
      assertExactRows(run, oneBased, elements.audit);
      assert.ok(oneBased.stats().exports.rowsStreamed > elements.audit.rowCount, 'the server did send rows twice');
      assert.match(run.stderr, /export_audit: dropped (\d+) entr(y|ies), a duplicated primary key: \1 \(first: /);
    } finally {
      await oneBased.close();
    }
  });

  test('polls a file that is not ready yet (3 not-ready answers per export) until it is', async () => {
    const slow = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, exports: { notReadyPolls: 3 } });
    try {
      const run = await sync(slow, [auditEntry(elements.audit)]);
      assertExactRows(run, slow, elements.audit);
      const stats = slow.stats().exports;
      assert.equal(stats.notReady, 3 * stats.queries);
      assert.equal(stats.downloads, stats.queries);
    } finally {
      await slow.close();
    }
  });

  test('a file that never gets ready ends the run after export_timeout_ms, in one line', async () => {
    const stuck = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, exports: { notReadyPolls: 1_000_000 } });
    try {
      const run = await sync(stuck, [auditEntry(elements.audit)], { extra: { export_timeout_ms: 1_000 } });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /\ntap-sigma: stream 'export_audit': the export of rows from offset 0 \(query [^)]+\) was not ready within export_timeout_ms \(1000 ms, \d+ polls\)\n$/);
      assert.ok(stuck.stats().exports.notReady <= 10, 'polls back off');
    } finally {
      await stuck.close();
    }
  });

  test('a queryId that expired before its file was read is exported again', async () => {
    // Two hours pass (as for a target that stopped reading) right after the second export: its file
    // expires before the tap downloads it.
    let jumpMs = 0;
    let expiring: Simulator | undefined;
    const clock = (): number => {
      if (jumpMs === 0 && expiring?.stats().exports.queries === 2) jumpMs = 2 * 3_600_000;
      return Date.now() + jumpMs;
    };
    expiring = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, exports: { notReadyPolls: 0, clock } });
    try {
      const run = await sync(expiring, [auditEntry(elements.audit)]);
      assertExactRows(run, expiring, elements.audit);
      assert.equal(expiring.stats().exports.expired, 1);
      const offsets = expiring.exportRequests().map((r) => r.offset);
      assert.deepEqual(offsets, [0, 1_200, 1_200, 2_400, 3_600, 4_800], 'the expired chunk was exported again');
      assert.match(run.stderr, /expired before its file was read; exporting rows from offset 1200 again/);
    } finally {
      await expiring.close();
    }
  });

  test('429s from the per-minute limit are waited out: every row arrives once', async () => {
    // The simulator's minute passes in one second, so its limit of 4 per minute throttles the tap's
    // bursts, and a second of Retry-After (max_retry_wait_ms) clears its window.
    const start = Date.now();
    const limited = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, exports: { notReadyPolls: 0, requestsPerMinute: 4, clock: () => start + (Date.now() - start) * 60 } });
    try {
      const run = await sync(limited, [auditEntry(elements.audit)], { extra: { max_retry_wait_ms: 1_000 } });
      assertExactRows(run, limited, elements.audit);
      assert.ok(limited.stats().exports.throttled > 0, 'the limit was hit');
      assert.match(run.stderr, /retry 1\/6 of (POST|GET) \/v2\/(workbooks|query)\/.* after HTTP 429/);
    } finally {
      await limited.close();
    }
  });

  test('downloads cut off mid-file (resets, truncated bodies) are read again without losing or repeating a row', async () => {
    const faulty = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, faults: { rate: 0.5, kinds: ['reset', 'truncated'] } });
    try {
      const run = await sync(faulty, [auditEntry(elements.audit)]);
      assertExactRows(run, faulty, elements.audit);
      const stats = faulty.stats();
      assert.ok(stats.exports.rowsStreamed > elements.audit.rowCount, `some files were cut after some of their rows (${stats.exports.rowsStreamed} rows sent)`);
      assert.ok(stats.faults.reset + stats.faults.truncated > 0);
      assert.doesNotMatch(run.stderr, /duplicated primary key/, 'rows already emitted were skipped, not emitted and dropped');
    } finally {
      await faulty.close();
    }
  });

  test('--test reads one row of each export', async () => {
    const tested = await runCli(['--config', writeJson('config.json', configFor(sim, [auditEntry(elements.audit)])), '--catalog', writeJson('catalog.json', { streams: [{ stream: 'export_audit' }] }), '--test']);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stderr, /--test: export_audit: available/);
    assert.equal(records(tested).length, 1);
  });

  test('bad entries and wrong ids are one line naming the export', async () => {
    const bad = await runCli(['--config', writeJson('config.json', configFor(sim, [{ name: 'audit', workbook_id: elements.audit.workbookId }])), '--discover'], { parse: false });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, "tap-sigma: config: setting 'exports[0]' ('audit'): needs an 'element_id' (see README: finding workbook and element ids)\n");
    const wrong = await runCli(['--config', writeJson('config.json', configFor(sim, [auditEntry(elements.audit, { element_id: 'nope' })])), '--discover'], { parse: false });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^tap-sigma: export 'audit' \(workbook [^,]+, element nope\): cannot read the element's columns for its schema: .*HTTP 404/);
    assert.equal(wrong.stderr.trim().split('\n').length, 1);
    const key = await runCli(['--config', writeJson('config.json', configFor(sim, [auditEntry(elements.audit, { replication_key: 'Action' })])), '--discover'], { parse: false });
    assert.match(key.stderr, /^tap-sigma: export 'audit': replication key "Action" must be a date-time column/);
  });

  test('--config ENV reads the exports setting as JSON', async () => {
    const env = {
      TAP_SIGMA_API_URL: sim.url,
      TAP_SIGMA_CLIENT_ID: sim.credentials.admin.clientId,
      TAP_SIGMA_CLIENT_SECRET: sim.credentials.admin.clientSecret,
      TAP_SIGMA_EXPORTS: JSON.stringify([{ name: 'targets', workbook_id: elements.targets.workbookId, element_id: elements.targets.elementId }]),
    };
    const run = await runCli(['--config', 'ENV', '--catalog', writeJson('catalog.json', { streams: [{ stream: 'export_targets' }] })], { env });
    assertExactRows(run, sim, elements.targets, 'export_targets');
  });

  test('tap.records reads an export like any stream', async () => {
    const tap = createTap(configFor(sim, [{ name: 'targets', workbook_id: elements.targets.workbookId, element_id: elements.targets.elementId, primary_keys: ['Target Id'] }]));
    assert.ok(tap.streamNames.includes('export_targets'));
    const rows: Record<string, unknown>[] = [];
    for await (const row of tap.records('export_targets')) rows.push(row);
    assert.deepEqual(digestOf(rows), exportDigest(sim.org, elements.targets.workbookId, elements.targets.elementId));
    assert.throws(() => tap.records('export_nope'), /unknown stream 'export_nope'/);
    tap.close();
  });
});

describe('incremental exports', () => {
  let base: Simulator;
  let revised: Simulator;
  let audit: ExportElementInfo;

  before(async () => {
    base = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS });
    revised = await startSimulator({ seed: SEED, sizes: SIZES, ...TOKENS, revision: 1 });
    audit = elementsOf(base).audit;
  });
  after(async () => {
    await base.close();
    await revised.close();
  });

  test('a second run passes the bookmark, to the second, as the date-range control and emits only the rows from it on', async () => {
    const first = await sync(base, [auditEntry(audit)]);
    assertExactRows(first, base, audit);
    assert.deepEqual(base.exportRequests().map((r) => r.parameters), [{}, {}, {}, {}, {}], 'the first run has no bookmark: no control value');
    const state = lastState(first);
    const bookmark = ((state['bookmarks'] as Record<string, Record<string, string>>)['export_audit'])!['replication_key_value']!;

    const second = await sync(revised, [auditEntry(audit)], { state });
    assert.equal(second.code, 0, second.stderr.slice(-2000));
    const bookmarkSecond = new Date(Math.floor(Date.parse(bookmark) / 1000) * 1000).toISOString().slice(0, 19);
    assert.deepEqual(revised.exportRequests().map((r) => r.parameters), [{ 'Event-Date-Range': `min:${bookmarkSecond},max:` }], 'one chunk from the bookmark’s second on');
    const all = [...exportRows(revised.org, audit.workbookId, audit.elementId)];
    const newer = all.filter((row) => Date.parse(row['Event Time'] as string) >= Date.parse(bookmark));
    assert.ok(newer.length > 1 && newer.length < all.length / 10, `revision 1 added some events (${newer.length} of ${all.length})`);
    assert.deepEqual(digestOf(records(second)), digestOf(newer), 'the rows at or after the bookmark (the one at it again: at-least-once), nothing older');
    const advanced = ((lastState(second)['bookmarks'] as Record<string, Record<string, string>>)['export_audit'])!['replication_key_value']!;
    assert.equal(advanced, all.at(-1)!['Event Time']);
  });
});
