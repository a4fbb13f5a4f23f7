import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { catalogEntryOf } from '../../../lib/tap/streamPlan.js';
import { streams } from '../../../pipelines/index.js';
import { answerEdited, startHostileServer } from '../../support/hostileServer.js';
import { assertNoSecrets, differencesFromTruth, hostileSettings, warnings } from '../../support/hostileRun.js';
import { recordsByStream, runCli, writeJson } from '../../support/runCli.js';

/** The first page of a listing with entries whose key is unusable, and a second copy of its first entry. */
function withBadKeys(text: string, key: string): string {
  const page = JSON.parse(text) as { entries: Array<Record<string, unknown>> };
  const first = page.entries[0]!;
  const bad = [undefined, null, { id: 'x' }, true, ''].map((value) => ({ ...first, [key]: value }));
  page.entries.push(...bad, { ...first, name: 'the same key again' });
  return JSON.stringify(page);
}

describe('records without a usable primary key are not emitted; key properties are always emitted', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 51, sizes: { workbooks: 5, members: 4 } });
  });

  after(() => sim.close());

  test('missing, null, object, boolean, empty and duplicated keys: dropped with one WARN per stream and its counts; every other record emitted once', async () => {
    const hostile = await startHostileServer(sim.url, (exchange) => {
      if (exchange.key === 'GET /v2/workbooks' && exchange.seen === 0) return answerEdited(exchange, (text) => withBadKeys(text, 'workbookId'));
      if (exchange.key === 'GET /v2.1/members' && exchange.seen === 0) return answerEdited(exchange, (text) => withBadKeys(text, 'memberId'));
      return false;
    });
    try {
      const settings = hostileSettings(sim, hostile.url, { page_size: 100 });
      const run = await runCli(['--config', writeJson('config.json', settings)]);
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      // Children of the duplicated workbook and member are read once, so they are not duplicated either.
      assert.deepEqual(differencesFromTruth(run, sim, settings), []);
      // The simulator's own per-entry error objects (files) are dropped as such: not the subject here.
      const dropped = warnings(run).filter((line) => /primary key/.test(line));
      assert.equal(dropped.length, 2, dropped.join('\n'));
      for (const stream of ['workbooks', 'members']) {
        const line = dropped.find((l) => l.startsWith(`WARN ${stream}: `));
        assert.match(line ?? '', /dropped 6 entries, no usable primary key: 5 \(first: .*\); a duplicated primary key: 1 \(first: /);
      }
      assertNoSecrets(run, sim);
    } finally {
      await hostile.close();
    }
  });

  test('a key property marked available and deselected, or left out of the catalog schema, is still in SCHEMA and every RECORD', async () => {
    const hostile = await startHostileServer(sim.url, () => false);
    try {
      const entryOf = (name: string) => catalogEntryOf(streams.find((s) => s.name === name)!);
      const pages = entryOf('workbook_pages');
      const deselect = new Set(['pageId', 'name']);
      const pagesEntry = { ...pages, metadata: pages.metadata.map((m) => (deselect.has(m.breadcrumb[1]!) ? { ...m, metadata: { inclusion: 'available', selected: false } } : m)) };
      const teams = entryOf('member_teams');
      const { memberId: _parentKey, ...teamProperties } = teams.schema.properties!;
      const teamsEntry = { ...teams, schema: { ...teams.schema, properties: teamProperties } };
      const settings = hostileSettings(sim, hostile.url);
      const run = await runCli(['--config', writeJson('config.json', settings), '--catalog', writeJson('catalog.json', { streams: [pagesEntry, teamsEntry] })]);
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const schemas = new Map(run.messages.filter((m) => m['type'] === 'SCHEMA').map((m) => [String(m['stream']), m]));
      const propertiesOf = (stream: string): string[] => Object.keys((schemas.get(stream)!['schema'] as { properties: object }).properties);
      const byStream = recordsByStream(run.messages);
      for (const [stream, keys] of [['workbook_pages', ['workbookId', 'pageId']], ['member_teams', ['memberId', 'teamId']]] as const) {
        assert.deepEqual(schemas.get(stream)!['key_properties'], keys);
        for (const key of keys) assert.ok(propertiesOf(stream).includes(key), `${stream}: ${key} in SCHEMA`);
        const records = byStream.get(stream) ?? [];
        assert.ok(records.length > 0, stream);
        for (const record of records) {
          assert.deepEqual(Object.keys(record), propertiesOf(stream));
          for (const key of keys) assert.equal(typeof record[key], 'string', `${stream}: ${key} in ${JSON.stringify(record)}`);
        }
      }
      assert.ok(!propertiesOf('workbook_pages').includes('name'), 'a deselected property that is not a key stays out');
      assert.deepEqual(differencesFromTruth(run, sim, settings, ['workbook_pages', 'member_teams']), []);
      assert.deepEqual(warnings(run).filter((line) => /primary key|schema/.test(line)), []);
    } finally {
      await hostile.close();
    }
  });
});
