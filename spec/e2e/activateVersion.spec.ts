import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import type { CatalogEntry } from '../../lib/singer/catalog.js';
import { RESUME_KEY } from '../../lib/singer/stateTracker.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { type CliResult, runCli, writeJson } from '../support/runCli.js';

type Message = Record<string, unknown>;

/** Members, teams, workbooks and grants chosen FULL_TABLE (they are INCREMENTAL by default), as a user deleting rows would. */
const CHOSEN_FULL_TABLE = ['members', 'teams', 'workbooks', 'workbook_grants'];
const catalogOf = (names: readonly string[], fullTable: readonly string[] = CHOSEN_FULL_TABLE) => ({
  streams: streams
    .filter((s) => names.includes(s.name))
    .map((s): CatalogEntry => (fullTable.includes(s.name) ? { ...catalogEntryOf(s), replication_method: 'FULL_TABLE' } : catalogEntryOf(s))),
});
const rootOf = (name: string): string => {
  const parent = streams.find((s) => s.name === name)!.parent;
  return parent === undefined ? name : rootOf(parent);
};
const isFullTable = (name: string): boolean => CHOSEN_FULL_TABLE.includes(name) || streams.find((s) => s.name === name)!.replicationKey === undefined;
const indexesOf = (messages: readonly Message[], type: string, stream: string): number[] => messages.flatMap((m, i) => (m['type'] === type && m['stream'] === stream ? [i] : []));
const seconds = (): number => Math.floor(Date.now() / 1000);

/**
 * A target that applies ACTIVATE_VERSION as the Meltano SDK's SQL sinks do: RECORDs upsert rows with
 * their version, ACTIVATE_VERSION deletes the rows of older versions. `openings: false` ignores each
 * stream's first ACTIVATE_VERSION, as a target that only acts on the closing one would.
 */
function load(table: Map<string, Map<string, number>>, messages: readonly Message[], options: { openings: boolean }): void {
  const activations = new Map<string, number>();
  for (const message of messages) {
    const stream = String(message['stream']);
    const rows = table.get(stream) ?? new Map<string, number>();
    table.set(stream, rows);
    if (message['type'] === 'RECORD') rows.set(keyOf(message['record'] as Record<string, unknown>, streams.find((s) => s.name === stream)!.primaryKeys), Number(message['version'] ?? 0));
    if (message['type'] !== 'ACTIVATE_VERSION') continue;
    const seen = (activations.get(stream) ?? 0) + 1;
    activations.set(stream, seen);
    if (!options.openings && seen === 1) continue;
    for (const [key, version] of rows) if (version < Number(message['version'])) rows.delete(key);
  }
}

describe('ACTIVATE_VERSION (emit_activate_version_messages)', () => {
  let sim: Simulator;
  let credentials: Record<string, unknown>;
  let run: CliResult;
  let startedAt: number;
  let endedAt: number;

  before(async () => {
    sim = await startSimulator({ seed: 3 });
    credentials = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
    startedAt = seconds();
    run = await runCli(['--config', writeJson('config.json', { ...credentials, emit_activate_version_messages: true }), '--catalog', writeJson('catalog.json', catalogOf(streams.map((s) => s.name)))]);
    endedAt = seconds();
    assert.equal(run.code, 0, run.stderr);
  });

  after(() => sim.close());

  test('frames every FULL_TABLE stream: ACTIVATE_VERSION before its first RECORD, the version on each, ACTIVATE_VERSION after its last', () => {
    const versions = new Set<unknown>();
    const framed = streams.map((s) => s.name).filter(isFullTable);
    assert.ok(framed.length > 40);
    for (const stream of framed) {
      const activations = indexesOf(run.messages, 'ACTIVATE_VERSION', stream);
      const records = indexesOf(run.messages, 'RECORD', stream);
      assert.ok(records.length > 0, `${stream} has records`);
      assert.equal(activations.length, 2, `${stream}: an opening and a closing ACTIVATE_VERSION`);
      assert.ok(activations[0]! < records[0]!, `${stream}: opened before its first RECORD`);
      assert.ok(activations[1]! > records.at(-1)!, `${stream}: closed after its last RECORD`);
      for (const i of [...activations, ...records]) versions.add(run.messages[i]!['version']);
      assert.deepEqual(Object.keys(run.messages[activations[0]!]!), ['type', 'stream', 'version']);
      assert.deepEqual(Object.keys(run.messages[records[0]!]!), ['type', 'stream', 'record', 'version', 'time_extracted'], 'version sits where the SDK writes it');
    }
    assert.equal(versions.size, 1, 'one version for the whole sync');
    const [version] = [...versions] as number[];
    assert.ok(Number.isInteger(version) && version! >= startedAt && version! <= endedAt, `the sync's start in epoch seconds, got ${version}`);
  });

  test('the closing ACTIVATE_VERSION comes before the STATE that marks its tree complete', () => {
    for (const stream of streams.map((s) => s.name).filter(isFullTable)) {
      const closing = indexesOf(run.messages, 'ACTIVATE_VERSION', stream)[1]!;
      const markedBefore = run.messages.slice(0, closing).some((m) => m['type'] === 'STATE' && ((m['value'] as Record<string, { completed?: string[] }>)[RESUME_KEY]?.completed ?? []).includes(rootOf(stream)));
      assert.equal(markedBefore, false, stream);
      assert.ok(run.messages.slice(closing).some((m) => m['type'] === 'STATE'), `${stream}: a STATE follows`);
    }
  });

  test('INCREMENTAL streams are not framed and their RECORDs carry no version', () => {
    const incremental = streams.map((s) => s.name).filter((name) => !isFullTable(name));
    assert.ok(incremental.includes('data_models') && incremental.includes('reports'));
    for (const message of run.messages) {
      if (!incremental.includes(String(message['stream']))) continue;
      assert.notEqual(message['type'], 'ACTIVATE_VERSION');
      assert.equal('version' in message, false);
    }
  });

  test('off by default: no ACTIVATE_VERSION and no version', async () => {
    const plain = await runCli(['--config', writeJson('config.json', credentials), '--catalog', writeJson('catalog.json', catalogOf(['members', 'teams']))]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(plain.messages.some((m) => m['type'] === 'RECORD'));
    assert.ok(plain.messages.every((m) => m['type'] !== 'ACTIVATE_VERSION' && !('version' in m)));
  });

  test('a stream the client cannot read whole is not closed, so a target keeps its rows', async () => {
    const starter = await startSimulator({ seed: 3, profile: 'starter' });
    try {
      const config = { api_url: starter.url, client_id: starter.credentials.admin.clientId, client_secret: starter.credentials.admin.clientSecret, emit_activate_version_messages: true };
      const lean = await runCli(['--config', writeJson('config.json', config), '--catalog', writeJson('catalog.json', catalogOf(['tenants', 'workbooks', 'workbook_embeds', 'members'], ['tenants', 'members']))]);
      assert.equal(lean.code, 0, lean.stderr);
      assert.deepEqual(indexesOf(lean.messages, 'ACTIVATE_VERSION', 'tenants'), [], 'tenants: unavailable on the starter plan');
      assert.deepEqual(indexesOf(lean.messages, 'ACTIVATE_VERSION', 'workbook_embeds'), [], 'workbook_embeds: every workbook refuses it');
      assert.equal(indexesOf(lean.messages, 'ACTIVATE_VERSION', 'members').length, 2);
      assert.match(lean.stderr, /workbook_embeds: no closing ACTIVATE_VERSION/);
    } finally {
      await starter.close();
    }
  });

  test('an incremental run frames no child it reads only for changed parents, so a target keeps the others\' rows', async () => {
    const config = { ...credentials, emit_activate_version_messages: true };
    const catalog = writeJson('catalog.json', catalogOf(['workbooks', 'workbook_pages', 'workbook_page_elements', 'workbook_bookmarks'], []));
    const first = await runCli(['--config', writeJson('config.json', config), '--catalog', catalog]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(indexesOf(first.messages, 'ACTIVATE_VERSION', 'workbook_pages').length, 2, 'a first run reads every page: framed');
    const state = first.messages.filter((m) => m['type'] === 'STATE').at(-1)!['value'];
    const second = await runCli(['--config', writeJson('config.json', config), '--catalog', catalog, '--state', writeJson('state.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    for (const name of ['workbook_pages', 'workbook_page_elements']) {
      assert.deepEqual(indexesOf(second.messages, 'ACTIVATE_VERSION', name), [], `${name}: read for changed workbooks only, not framed`);
      assert.ok(second.messages.filter((m) => m['type'] === 'RECORD' && m['stream'] === name).every((m) => !('version' in m)), `${name}: no version`);
    }
    assert.equal(indexesOf(second.messages, 'ACTIVATE_VERSION', 'workbook_bookmarks').length, 2, 'bookmarks are read for every workbook: framed');
  });

  test('deletions: after a sync, a target that applies ACTIVATE_VERSION holds exactly what Sigma still lists', async () => {
    // The viewer sees more documents at revision 3 than at revision 0: going back, some are gone (unshared).
    const later = await startSimulator({ seed: 3, revision: 3 });
    const earlier = await startSimulator({ seed: 3 });
    try {
      const names = ['members', 'teams', 'workbooks', 'workbook_grants'];
      const viewer = (s: Simulator) => ({ api_url: s.url, client_id: s.credentials.viewer.clientId, client_secret: s.credentials.viewer.clientSecret });
      const truth = (s: Simulator, name: string): Set<string> => {
        const definition = streams.find((d) => d.name === name)!;
        return new Set(expectedRecords(s.org, streams, definition, validateConfig(viewer(s)), 'viewer').map((r) => keyOf(r, definition.primaryKeys)));
      };
      const sync = await runCli(['--config', writeJson('config.json', { ...viewer(earlier), emit_activate_version_messages: true }), '--catalog', writeJson('catalog.json', catalogOf(names))]);
      assert.equal(sync.code, 0, sync.stderr);
      for (const openings of [true, false]) {
        // The target as an earlier sync left it: revision 3's rows, of an older version.
        const table = new Map(names.map((name) => [name, new Map([...truth(later, name)].map((key) => [key, 0]))]));
        load(table, sync.messages, { openings });
        for (const name of names) assert.deepEqual([...table.get(name)!.keys()].sort(), [...truth(earlier, name)].sort(), `${name} (openings applied: ${openings})`);
      }
      const gone = [...truth(later, 'workbooks')].filter((key) => !truth(earlier, 'workbooks').has(key));
      assert.ok(gone.length > 0, 'some workbooks were deleted for the viewer');
    } finally {
      await later.close();
      await earlier.close();
    }
  });
});
