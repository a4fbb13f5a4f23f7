import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { type HostileServer, startHostileServer } from '../../support/hostileServer.js';
import { assertNoSecrets, hostileSettings } from '../../support/hostileRun.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../../support/runCli.js';
import { whenCatchingSignals } from '../../support/signalReady.js';
import { keyOf } from '../../support/expectedRecords.js';
import { streams } from '../../../pipelines/index.js';

const TOKEN = 'POST /v2/auth/token';
const INPUT_STATE = {
  bookmarks: { workbooks: { replication_key: 'updatedAt', replication_key_value: '2020-01-01T00:00:00.000Z' } },
  from_another_tool: { kept: true },
};

/** The run stopped cleanly: exit 0, Singer on stdout ending with a STATE, and that STATE's value. */
function finalState(run: CliResult): Record<string, unknown> {
  assert.equal(run.code, 0, run.stderr.slice(-2000));
  const last = run.messages.at(-1);
  assert.equal(last?.['type'], 'STATE', run.stdout.slice(-500));
  assert.match(run.stderr, /stopped early/);
  return last!['value'] as Record<string, unknown>;
}

describe('SIGTERM at any moment: exit 0 and a final STATE', () => {
  let sim: Simulator;
  let state: string;

  before(async () => {
    sim = await startSimulator({ seed: 61, sizes: { workbooks: 60, members: 30 } });
    state = writeJson('state.json', INPUT_STATE);
  });

  after(() => sim.close());

  const withHostile = async (handler: Parameters<typeof startHostileServer>[1], body: (hostile: HostileServer, config: string) => Promise<void>): Promise<void> => {
    const hostile = await startHostileServer(sim.url, handler);
    try {
      await body(hostile, writeJson('config.json', hostileSettings(sim, hostile.url)));
    } finally {
      await hostile.close();
    }
  };

  test('during start-up, as soon as the tap catches signals, before its modules are loaded: the input state, no request', async () => {
    await withHostile(() => false, async (hostile, config) => {
      const run = await runCli(['--config', config, '--state', state], { onSpawn: (child) => void whenCatchingSignals(child.pid!).then(() => child.kill('SIGTERM')) });
      assert.deepEqual(finalState(run), INPUT_STATE);
      assert.equal(hostile.count(TOKEN), 0);
      assert.equal(run.messages.filter((m) => m['type'] === 'RECORD').length, 0);
      assertNoSecrets(run, sim);
    });
  });

  test('during the token request: the input state, nothing else asked', async () => {
    // The token endpoint never answers: the request is in flight when the signal comes.
    await withHostile(({ key }) => key === TOKEN, async (hostile, config) => {
      const run = await runCli(['--config', config, '--state', state], { onSpawn: (child) => void hostile.reached(TOKEN, 1).then(() => child.kill('SIGTERM')) });
      assert.deepEqual(finalState(run), INPUT_STATE);
      assert.equal(hostile.count(TOKEN), 1);
      assert.equal(run.messages.filter((m) => m['type'] !== 'STATE' && m['type'] !== 'SCHEMA').length, 0);
      assertNoSecrets(run, sim);
    });
  });

  test('mid-run, at the first RECORD: what was fetched, each record once, then a STATE that keeps the input state', async () => {
    await withHostile(() => false, async (hostile, config) => {
      const run = await runCli(['--config', config, '--state', state], {
        onSpawn: (child) => {
          let seen = '';
          const onData = (chunk: Buffer): void => {
            seen += chunk.toString('utf8');
            if (!seen.includes('"type":"RECORD"')) return;
            child.stdout!.off('data', onData);
            child.kill('SIGTERM');
          };
          child.stdout!.on('data', onData);
        },
      });
      const value = finalState(run);
      assert.deepEqual(value['from_another_tool'], INPUT_STATE.from_another_tool);
      const byStream = recordsByStream(run.messages);
      assert.ok([...byStream.values()].some((records) => records.length > 0));
      for (const [name, records] of byStream) {
        const keys = records.map((r) => keyOf(r, streams.find((s) => s.name === name)!.primaryKeys));
        assert.equal(new Set(keys).size, keys.length, `${name}: a record emitted twice`);
      }
      // The input bookmark is kept (or moved on, never lost) by a run that stopped.
      const bookmark = (value['bookmarks'] as Record<string, { replication_key_value?: string }> | undefined)?.['workbooks'];
      assert.ok(bookmark?.replication_key_value !== undefined && bookmark.replication_key_value >= INPUT_STATE.bookmarks.workbooks.replication_key_value, JSON.stringify(value));
      assert.ok(hostile.count(TOKEN) >= 1);
      assertNoSecrets(run, sim);
    });
  });
});
