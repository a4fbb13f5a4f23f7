import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { BIN, recordKeys, recordsByStream, runCli, writeJson } from '../support/runCli.js';

/** Parents, children and grandchildren, several pages each at page_size 20. */
const STREAMS = ['workbooks', 'workbook_pages', 'workbook_page_elements', 'workbook_elements', 'workbook_element_columns', 'members', 'member_files', 'teams', 'team_members'];
const READER_BYTES_PER_SEC = 512 * 1024;

/** Reads the child's stdout at `bytesPerSec`: the pipe fills, and the tap has to wait for its reader. Counts its pauses. */
function throttle(stdout: NodeJS.ReadableStream, bytesPerSec: number, pauses: { count: number }): void {
  const started = performance.now();
  let bytes = 0;
  stdout.on('data', (chunk: Buffer | string) => {
    bytes += chunk.length;
    const aheadMs = (bytes / bytesPerSec) * 1000 - (performance.now() - started);
    if (aheadMs <= 1) return;
    stdout.pause();
    pauses.count += 1;
    setTimeout(() => stdout.resume(), aheadMs);
  });
}

describe('concurrency and a slow reader do not change what is extracted', () => {
  let sim: Simulator;
  let catalog: string;
  const config = (concurrency: number): string =>
    writeJson('config.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 20, concurrency });

  before(async () => {
    sim = await startSimulator({ seed: 11, sizes: { workbooks: 40, members: 30 } });
    const discovered = execFileSync(process.execPath, [BIN, '--config', config(1), '--discover'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    const entries = (JSON.parse(discovered) as { streams: Array<{ stream: string }> }).streams;
    catalog = writeJson('catalog.json', { streams: entries.filter((entry) => STREAMS.includes(entry.stream)) });
  });

  after(() => sim.close());

  test('concurrency 1, concurrency 8 and a throttled reader at concurrency 8 give the same (stream, key) set, each record once', async () => {
    const sequential = await runCli(['--config', config(1), '--catalog', catalog]);
    const concurrent = await runCli(['--config', config(8), '--catalog', catalog]);
    const pauses = { count: 0 };
    const slow = await runCli(['--config', config(8), '--catalog', catalog], { onSpawn: (child) => throttle(child.stdout!, READER_BYTES_PER_SEC, pauses) });
    for (const run of [sequential, concurrent, slow]) assert.equal(run.code, 0, run.stderr);

    const expected = recordKeys(sequential);
    assert.ok(expected.length > 1000, `a meaningful extraction (${expected.length} records)`);
    assert.equal(new Set(expected).size, expected.length, 'no record twice at concurrency 1');
    assert.deepEqual(new Set(recordsByStream(sequential.messages).keys()), new Set(STREAMS), 'every selected stream has records');
    assert.deepEqual(recordKeys(concurrent), expected);
    assert.deepEqual(recordKeys(slow), expected);
    // The reader really was the bottleneck: the output is many times the pipe's 64 KiB.
    assert.ok(slow.stdout.length > 16 * 64 * 1024, `${slow.stdout.length} bytes of output`);
    assert.ok(pauses.count >= 10, `the reader held the pipe ${pauses.count} times`);
  });
});
