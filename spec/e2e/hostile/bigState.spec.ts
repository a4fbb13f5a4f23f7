import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { assertNoSecrets, hostileConfig } from '../../support/hostileRun.js';
import { eachLine, runCli, writeText } from '../../support/runCli.js';

describe('a 50 MB input state', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 91, sizes: { workbooks: 10, members: 5 } });
  });

  after(() => sim.close());

  test('its unknown keys are kept, written once per STATE, and STATEs do not outweigh the records they follow', async (t) => {
    // Another tool's keys next to the tap's bookmarks: 500,000 small objects.
    const other = Array.from({ length: 500_000 }, (_, id) => ({ id, note: `entry ${id} `.padEnd(80, '.') }));
    const input = { bookmarks: { workbooks: { replication_key: 'updatedAt', replication_key_value: '2020-01-01T00:00:00.000Z' } }, other_tool: other };
    const inputText = JSON.stringify(input);
    const otherDigest = createHash('sha256').update(JSON.stringify(other)).digest('hex');
    const states: Array<{ bytes: number; copies: number; otherDigest: string }> = [];
    let recordBytes = 0;
    let lastType = '';
    const run = await runCli(['--config', hostileConfig(sim, sim.url), '--state', writeText('state.json', inputText)], {
      keepStdout: false,
      onSpawn: (child) =>
        eachLine(child.stdout!, (line) => {
          const type = /^\{"type":"(\w+)"/.exec(line)?.[1] ?? '';
          lastType = type;
          if (type === 'RECORD') recordBytes += line.length + 1;
          if (type !== 'STATE') return;
          const value = (JSON.parse(line) as { value: Record<string, unknown> }).value;
          states.push({ bytes: line.length + 1, copies: line.split('"other_tool"').length - 1, otherDigest: createHash('sha256').update(JSON.stringify(value['other_tool'])).digest('hex') });
        }),
    });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const stateBytes = states.reduce((sum, s) => sum + s.bytes, 0);
    t.diagnostic(`input ${(inputText.length / 1e6).toFixed(1)} MB; ${states.length} STATE(s), ${(stateBytes / 1e6).toFixed(1)} MB; records ${(recordBytes / 1e6).toFixed(2)} MB; peak RSS ${run.peakRssMb} MB`);
    assert.equal(lastType, 'STATE');
    assert.ok(recordBytes > 0);
    for (const state of states) {
      assert.equal(state.copies, 1, 'the input state appears once in each STATE');
      assert.equal(state.otherDigest, otherDigest, 'and unchanged');
    }
    // Every STATE but the final one is paid for by the records before it.
    assert.ok(stateBytes <= inputText.length * 1.01 + recordBytes, `${stateBytes} bytes of STATE for ${inputText.length} of input and ${recordBytes} of records`);
    assertNoSecrets(run, sim);
  });
});
