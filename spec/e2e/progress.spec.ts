import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { main } from '../../lib/cli/main.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { runCli, writeJson } from '../support/runCli.js';

/** A Writable that keeps what it is given; with `isTTY` it passes for a terminal. */
class Collector extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 120,
    readonly rows = 30,
  ) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

describe('progress output goes to stderr, never to stdout', () => {
  let sim: Simulator;
  let config: string;
  let catalog: string;

  before(async () => {
    // Latency makes the run last long enough for the live display to redraw several times.
    sim = await startSimulator({ seed: 6, faults: { latencyMs: 40 } });
    config = writeJson('config.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 10 });
    const selected = ['workbooks', 'workbook_pages', 'members'];
    catalog = writeJson('catalog.json', { streams: streams.filter((s) => selected.includes(s.name)).map(catalogEntryOf) });
  });

  after(() => sim.close());

  test('with a terminal on stderr: the live block is drawn there, and stdout holds only Singer JSON lines', async () => {
    const stdout = new Collector(false);
    const stderr = new Collector(true);
    const code = await main(['--config', config, '--catalog', catalog], { stdout, stderr, env: {} }, streams);
    assert.equal(code, 0, stderr.text);
    const lines = stdout.text.split('\n').filter((line) => line !== '');
    assert.ok(lines.length > 0);
    for (const line of lines) {
      const message = JSON.parse(line) as { type: string };
      assert.ok(['SCHEMA', 'RECORD', 'STATE'].includes(message.type), line);
    }
    assert.doesNotMatch(stdout.text, /\u001b|tap-sigma:|progress:|METRIC/);
    assert.match(stderr.text, /\u001b\[\d+A\r\u001b\[0J/, 'the block is redrawn in place');
    assert.match(stderr.text, /tap-sigma: \d+ records, \d+ requests/);
    assert.match(stderr.text, /workbook_pages\s+\d+ rec/);
    assert.match(stderr.text, /INFO METRIC: /, 'metric lines share stderr with the display');
  });

  test('with a pipe on stderr (the CLI under Meltano or a shell pipe): no escape codes anywhere, stdout is Singer only', async () => {
    const run = await runCli(['--config', config, '--catalog', catalog]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.messages.every((m) => ['SCHEMA', 'RECORD', 'STATE'].includes(String(m['type']))));
    assert.doesNotMatch(run.stderr + run.stdout, /\u001b/);
  });
});
