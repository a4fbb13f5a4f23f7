import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { RESUME_KEY } from '../../lib/singer/stateTracker.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

type Bookmarks = Record<string, { replication_key?: string; replication_key_value?: string }>;

const configFor = (sim: Simulator, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  api_url: sim.url,
  client_id: sim.credentials.admin.clientId,
  client_secret: sim.credentials.admin.clientSecret,
  page_size: 50,
  ...extra,
});
const lastState = (messages: ReadonlyArray<Record<string, unknown>>): Record<string, unknown> =>
  messages.filter((m) => m['type'] === 'STATE').at(-1)!['value'] as Record<string, unknown>;
const stateBytes = (messages: ReadonlyArray<Record<string, unknown>>): number =>
  messages.filter((m) => m['type'] === 'STATE').reduce((sum, m) => sum + JSON.stringify(m).length + 1, 0);

describe('incremental sync', () => {
  let before0: Simulator;
  let after1: Simulator;

  before(async () => {
    before0 = await startSimulator({ seed: 11 });
    after1 = await startSimulator({ seed: 11, revision: 1 });
  });

  after(async () => {
    await before0.close();
    await after1.close();
  });

  test('a second run from the first run’s final STATE emits only the records changed since', async () => {
    const first = await runCli(['--config', writeJson('c.json', configFor(before0))]);
    assert.equal(first.code, 0, first.stderr);
    const state = lastState(first.messages);
    assert.equal(state[RESUME_KEY], undefined, 'a finished run leaves no resume marker');
    const second = await runCli(['--config', writeJson('c.json', configFor(after1)), '--state', writeJson('s.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    const config = validateConfig(configFor(after1));
    const bookmarks = state['bookmarks'] as Bookmarks;
    const got = recordsByStream(second.messages);
    for (const name of ['workbooks', 'members', 'data_models', 'teams', 'connections']) {
      const definition = streams.find((s) => s.name === name)!;
      const since = Date.parse(bookmarks[name]!.replication_key_value!);
      const truth = expectedRecords(after1.org, streams, definition, config);
      const changed = truth.filter((r) => Date.parse(String(r['updatedAt'])) >= since).map((r) => keyOf(r, definition.primaryKeys)).sort();
      const emitted = (got.get(name) ?? []).map((r) => keyOf(r, definition.primaryKeys)).sort();
      assert.deepEqual(emitted, changed, `${name}: exactly the changed records`);
      assert.ok(changed.length > 0 && changed.length < truth.length, `${name}: revision 1 changed some records, not all (${changed.length}/${truth.length})`);
      const newBookmark = (lastState(second.messages)['bookmarks'] as Bookmarks)[name]!.replication_key_value!;
      assert.ok(Date.parse(newBookmark) > since, `${name}: the bookmark moved forward`);
    }
  });

  test('a Meltano SDK state file loads, its unknown keys are kept and per-parent partitions are not', async () => {
    const sdkState = {
      currently_syncing: null,
      custom_key: { kept: true },
      bookmarks: {
        workbooks: { replication_key: 'updatedAt', replication_key_value: '2099-01-01T00:00:00+00:00' },
        workbook_pages: { partitions: [{ context: { workbookId: 'a' } }, { context: { workbookId: 'b' } }] },
      },
    };
    const run = await runCli(['--config', writeJson('c.json', configFor(before0)), '--state', writeJson('s.json', sdkState)]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(recordsByStream(run.messages).get('workbooks'), undefined, 'nothing is newer than a bookmark in 2099');
    assert.ok((recordsByStream(run.messages).get('workbook_pages') ?? []).length > 0, 'full-table children still run');
    const final = lastState(run.messages);
    assert.deepEqual(final['custom_key'], { kept: true });
    assert.equal(JSON.stringify(final).includes('partitions'), false);
  });

  test('STATE output does not grow faster than the organization (one bookmark per stream, not per parent)', async () => {
    const small = await startSimulator({ seed: 5, sizes: { workbooks: 30, members: 20 } });
    const large = await startSimulator({ seed: 5, sizes: { workbooks: 120, members: 80 } });
    try {
      const runSmall = await runCli(['--config', writeJson('c.json', configFor(small))]);
      const runLarge = await runCli(['--config', writeJson('c.json', configFor(large))]);
      const records = (run: typeof runSmall): number => run.messages.filter((m) => m['type'] === 'RECORD').length;
      const ratioRecords = records(runLarge) / records(runSmall);
      const ratioState = stateBytes(runLarge.messages) / stateBytes(runSmall.messages);
      assert.ok(ratioRecords > 2.5, `the large organization has more records (${ratioRecords.toFixed(2)}×)`);
      assert.ok(ratioState <= ratioRecords, `STATE bytes grow ${ratioState.toFixed(2)}× for ${ratioRecords.toFixed(2)}× records`);
      const largestState = Math.max(...runLarge.messages.filter((m) => m['type'] === 'STATE').map((m) => JSON.stringify(m).length));
      assert.ok(largestState < 200 * streams.length, `one STATE stays proportional to the stream count (${largestState} bytes)`);
    } finally {
      await small.close();
      await large.close();
    }
  });
});

/** Records of runs in order, the latest per (stream, key) winning: what a target holds after them. */
function union(runs: ReadonlyArray<ReadonlyArray<Record<string, unknown>>>): Map<string, Map<string, Record<string, unknown>>> {
  const byStream = new Map<string, Map<string, Record<string, unknown>>>();
  for (const messages of runs) {
    for (const [stream, records] of recordsByStream(messages)) {
      const keys = streams.find((s) => s.name === stream)!.primaryKeys;
      const held = byStream.get(stream) ?? new Map<string, Record<string, unknown>>();
      for (const record of records) held.set(keyOf(record, keys), record);
      byStream.set(stream, held);
    }
  }
  return byStream;
}

describe('children follow their parent', () => {
  let rev0: Simulator;
  let rev1: Simulator;
  let first: Awaited<ReturnType<typeof runCli>>;

  before(async () => {
    rev0 = await startSimulator({ seed: 13 });
    rev1 = await startSimulator({ seed: 13, revision: 1 });
    first = await runCli(['--config', writeJson('c.json', configFor(rev0))]);
  });

  after(async () => {
    await rev0.close();
    await rev1.close();
  });

  test('a full run at revision 0, then an incremental run at revision 1: every stream holds revision 1 exactly', async () => {
    assert.equal(first.code, 0, first.stderr);
    rev1.resetStats();
    const second = await runCli(['--config', writeJson('c.json', configFor(rev1)), '--state', writeJson('s.json', lastState(first.messages))]);
    assert.equal(second.code, 0, second.stderr);
    const held = union([first.messages, second.messages]);
    const config = validateConfig(configFor(rev1));
    const problems: string[] = [];
    for (const stream of streams) {
      const truth = expectedRecords(rev1.org, streams, stream, config);
      const got = held.get(stream.name) ?? new Map<string, Record<string, unknown>>();
      const expectedKeys = truth.map((r) => keyOf(r, stream.primaryKeys)).sort();
      if (JSON.stringify([...got.keys()].sort()) !== JSON.stringify(expectedKeys)) {
        problems.push(`${stream.name}: ${got.size} records held, ${expectedKeys.length} in revision 1`);
        continue;
      }
      // Every field Sigma sent holds revision 1's value: no stream kept a stale record.
      const stale = truth.filter((entry) => {
        const record = got.get(keyOf(entry, stream.primaryKeys))!;
        return Object.keys(entry).some((field) => field in record && JSON.stringify(record[field]) !== JSON.stringify(entry[field]));
      });
      if (stale.length > 0) problems.push(`${stream.name}: ${stale.length} stale records`);
    }
    assert.deepEqual(problems, []);
    const edited = rev1.org.edits.filter((e) => e.kind === 'version').length;
    assert.ok(edited > 0, 'revision 1 made new versions');
    assert.ok(rev1.stats().totalRequests < rev0.stats().totalRequests / 2, 'and the incremental run asked far less');
  });

  test('an unchanged organization: the second run reads version-bound children only for parents at the bookmark', async () => {
    rev0.resetStats();
    const state = lastState(first.messages);
    const second = await runCli(['--config', writeJson('c.json', configFor(rev0)), '--state', writeJson('s.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    const bookmarks = state['bookmarks'] as Bookmarks;
    const got = recordsByStream(second.messages);
    for (const stream of streams) {
      const records = got.get(stream.name) ?? [];
      if (stream.replicationKey) {
        const since = Date.parse(bookmarks[stream.name]?.replication_key_value ?? '');
        if (!Number.isNaN(since)) assert.ok(records.every((r) => Date.parse(String(r[stream.replicationKey!])) >= since), `${stream.name}: only records at or after the bookmark`);
      }
      if (stream.refresh?.rule === 'with-parent' && stream.parent === 'workbooks') {
        const since = Date.parse(bookmarks['workbooks']!.replication_key_value!);
        const changed = new Set(expectedRecords(rev0.org, streams, streams.find((s) => s.name === 'workbooks')!, validateConfig(configFor(rev0))).filter((w) => Date.parse(String(w['updatedAt'])) >= since).map((w) => w['workbookId']));
        assert.ok(records.every((r) => changed.has(r['workbookId'])), `${stream.name}: children of changed workbooks only`);
      }
    }
    assert.match(second.stderr, /INFO workbook_pages: not read for \d+ parents unchanged since the bookmark/);
  });

  test('favouriting an old file between two runs: the second run emits that favorite', async () => {
    const favourites = rev1.org.edits.filter((e): e is Extract<typeof e, { kind: 'favorite-added' }> => e.kind === 'favorite-added');
    assert.ok(favourites.length > 0);
    const second = await runCli(['--config', writeJson('c.json', configFor(rev1)), '--state', writeJson('s.json', lastState(first.messages))]);
    assert.equal(second.code, 0, second.stderr);
    const emitted = new Set((recordsByStream(second.messages).get('favorites') ?? []).map((r) => `${String(r['memberId'])}/${String(r['id'])}`));
    for (const edit of favourites) assert.ok(emitted.has(`${edit.memberId}/${edit.fileId}`), `favorite ${edit.memberId}/${edit.fileId}`);
  });
});

describe('the child_refresh setting', () => {
  let rev0: Simulator;
  let rev1: Simulator;
  let first: Awaited<ReturnType<typeof runCli>>;
  const BOOKMARKS = 'GET /v2/workbooks/{workbookId}/bookmarks';
  const PAGES = 'GET /v2/workbooks/{workbookId}/pages';
  const requestsTo = (sim: Simulator, endpoint: string): number => Object.values(sim.stats().byEndpoint[endpoint] ?? {}).reduce((a, b) => a + b, 0);
  const workbooksSince = (sim: Simulator, state: Record<string, unknown>): Set<unknown> => {
    const since = Date.parse((state['bookmarks'] as Bookmarks)['workbooks']!.replication_key_value!);
    const workbooks = expectedRecords(sim.org, streams, streams.find((s) => s.name === 'workbooks')!, validateConfig(configFor(sim)));
    return new Set(workbooks.filter((w) => Date.parse(String(w['updatedAt'])) >= since).map((w) => w['workbookId']));
  };

  before(async () => {
    rev0 = await startSimulator({ seed: 17 });
    rev1 = await startSimulator({ seed: 17, revision: 1 });
    first = await runCli(['--config', writeJson('c.json', configFor(rev0))]);
    assert.equal(first.code, 0, first.stderr);
  });

  after(async () => {
    await rev0.close();
    await rev1.close();
  });

  test('with-parent makes an every-run child follow its parent, every-run makes a version-bound child read for every parent', async () => {
    const readByFirstRun = requestsTo(rev0, PAGES);
    rev0.resetStats();
    const state = lastState(first.messages);
    const overrides = { child_refresh: { workbook_bookmarks: 'with-parent', workbook_pages: 'every-run', folder_grants: 'with-parent' } };
    const second = await runCli(['--config', writeJson('c.json', configFor(rev0, overrides)), '--state', writeJson('s.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    const changed = workbooksSince(rev0, state);
    assert.ok(changed.size < readByFirstRun, 'most workbooks are unchanged');
    assert.equal(requestsTo(rev0, BOOKMARKS), changed.size, 'bookmarks are read only for workbooks at or after the bookmark');
    assert.equal(requestsTo(rev0, PAGES), readByFirstRun, 'pages are read for every workbook, as in the first run');
    assert.match(second.stderr, new RegExp(`INFO workbook_bookmarks: not read for ${readByFirstRun - changed.size} parents unchanged since the bookmark`));
    assert.doesNotMatch(second.stderr, /workbook_pages: not read/);
    const noEffect = second.stderr.split('\n').filter((line) => line.includes('child_refresh: folder_grants'));
    assert.deepEqual(noEffect, ['WARN child_refresh: folder_grants is read for every parent all the same: its parent files has no replication key to follow']);
  });

  test('trusting the parent misses exactly the bookmarks added to workbooks that did not change, which the default reads', async () => {
    const state = lastState(first.messages);
    const second = await runCli(['--config', writeJson('c.json', configFor(rev1, { child_refresh: { workbook_bookmarks: 'with-parent' } })), '--state', writeJson('s.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    const held = union([first.messages, second.messages]).get('workbook_bookmarks')!;
    const bookmarks = streams.find((s) => s.name === 'workbook_bookmarks')!;
    const missed = expectedRecords(rev1.org, streams, bookmarks, validateConfig(configFor(rev1))).filter((r) => !held.has(keyOf(r, bookmarks.primaryKeys)));
    const changed = workbooksSince(rev1, state);
    const addedToUnchanged = new Set(rev1.org.edits.filter((e) => e.kind === 'bookmark-added' && !changed.has(e.documentId)).map((e) => (e as { documentId: string }).documentId));
    assert.ok(addedToUnchanged.size > 0, 'revision 1 added bookmarks to workbooks it did not otherwise change');
    assert.deepEqual(new Set(missed.map((r) => r['workbookId'])), addedToUnchanged);
  });

  test('a name that is not a child stream is a one-line config error before any request', async () => {
    for (const [name, problem] of [['workbooks', "'workbooks', a top-level stream: only child streams follow a parent"], ['workbook_bookmark', "unknown stream 'workbook_bookmark'"]] as const) {
      rev0.resetStats();
      const run = await runCli(['--config', writeJson('c.json', configFor(rev0, { child_refresh: { [name]: 'with-parent' } }))]);
      assert.equal(run.code, 1);
      assert.equal(run.stderr.trim(), `tap-sigma: config: setting 'child_refresh' names ${problem}`);
      assert.equal(run.messages.length, 0);
      assert.equal(rev0.stats().totalRequests, 0);
    }
  });
});

describe('interrupting a run', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 21, faults: { latencyMs: 2 } });
  });

  after(() => sim.close());

  test('SIGTERM writes a final STATE and exits 0; resuming from it completes the extraction', async () => {
    const config = writeJson('c.json', configFor(sim, { concurrency: 2 }));
    let records = 0;
    const first = await runCli(['--config', config], {
      onSpawn: (child) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          records += chunk.toString().split('"type":"RECORD"').length - 1;
          if (records > 1500 && !child.killed) child.kill('SIGTERM');
        });
      },
    });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.messages.at(-1)!['type'], 'STATE');
    const state = lastState(first.messages);
    const resume = state[RESUME_KEY] as { completed: string[] } | undefined;
    assert.ok(resume && resume.completed.length > 0, 'the run was stopped after some streams were done');
    const roots = streams.filter((s) => !s.parent).length;
    assert.ok(resume.completed.length < roots, 'and before all of them were');

    const second = await runCli(['--config', config, '--state', writeJson('s.json', state)]);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(lastState(second.messages)[RESUME_KEY], undefined);
    const union = recordsByStream([...first.messages, ...second.messages]);
    const truthConfig = validateConfig(configFor(sim));
    const problems: string[] = [];
    for (const stream of streams) {
      const expected = new Set(expectedRecords(sim.org, streams, stream, truthConfig).map((r) => keyOf(r, stream.primaryKeys)));
      const got = new Set((union.get(stream.name) ?? []).map((r) => keyOf(r, stream.primaryKeys)));
      const missing = [...expected].filter((k) => !got.has(k)).length;
      const extra = [...got].filter((k) => !expected.has(k)).length;
      if (missing > 0 || extra > 0) problems.push(`${stream.name}: ${missing} missing, ${extra} unexpected`);
    }
    assert.deepEqual(problems, []);
  });
});
