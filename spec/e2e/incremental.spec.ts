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
