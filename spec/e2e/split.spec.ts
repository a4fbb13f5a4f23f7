import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { readBigOrgExample, streamsOf } from '../support/bigOrgExample.js';
import { BIN, type CliResult, recordKeys, recordsByStream, runCli, writeJson } from '../support/runCli.js';
import { type TokenBarrier, startTokenBarrier } from '../support/tokenBarrier.js';

const SEED = 13;
const SIZES = { workbooks: 16, members: 12, dataModels: 5, reports: 3 };
const TOKEN_RETRY = /retry \d+ of POST \/v2\/auth\/token after HTTP 429 \(another process of this API client asked first; not counted against max_retries\)/g;

interface CatalogEntry {
  tap_stream_id: string;
  metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>;
}

/** The discovered catalog with only `names` selected, as Meltano hands it to a tap after `select`. */
function selecting(discovered: readonly CatalogEntry[], names: readonly string[]): { streams: CatalogEntry[] } {
  return {
    streams: discovered.map((entry) => ({
      ...entry,
      metadata: entry.metadata.map((m) => (m.breadcrumb.length === 0 ? { ...m, metadata: { ...m.metadata, selected: names.includes(entry.tap_stream_id) } } : m)),
    })),
  };
}

describe('a split extraction: three taps at once on disjoint stream groups of meltano-big-org.yml, one simulator', () => {
  const example = readBigOrgExample();
  // The five groups of the example as three processes: workbooks; reports and data models; the rest.
  const groups = [
    streamsOf(example, 'tap-sigma--workbooks'),
    streamsOf(example, 'tap-sigma--reports', 'tap-sigma--data-models'),
    streamsOf(example, 'tap-sigma--access', 'tap-sigma--rest'),
  ];
  let reference: CliResult;
  let discovered: CatalogEntry[];
  let sim: Simulator;
  let barrier: TokenBarrier;
  // max_retries 0: a token refusal must not spend the budget of faults (the third process meets two).
  const config = (url: string, target: Simulator): string =>
    writeJson('config.json', { api_url: url, client_id: target.credentials.admin.clientId, client_secret: target.credentials.admin.clientSecret, max_retries: 0 });

  before(async () => {
    // The single full run has a simulator of its own (the same seed, so the same organization), so that
    // its token request is not in the window the three taps meet.
    const alone = await startSimulator({ seed: SEED, sizes: SIZES });
    try {
      reference = await runCli(['--config', config(alone.url, alone)]);
      discovered = (JSON.parse(execFileSync(process.execPath, [BIN, '--config', config(alone.url, alone), '--discover'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })) as { streams: CatalogEntry[] }).streams;
    } finally {
      await alone.close();
    }
    assert.equal(reference.code, 0, reference.stderr);
    sim = await startSimulator({ seed: SEED, sizes: SIZES });
    barrier = await startTokenBarrier(sim.url, groups.length);
  });

  after(async () => {
    await barrier.close();
    await sim.close();
  });

  test('each exits 0, together they extract exactly what one run does, and the token endpoint\'s 429s were waited out and retried', async () => {
    const runs = await Promise.all(groups.map((names) => runCli(['--config', config(barrier.url, sim), '--catalog', writeJson('catalog.json', selecting(discovered, names))])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr.slice(-2000));

    runs.forEach((run, i) => {
      const outside = [...recordsByStream(run.messages).keys()].filter((stream) => !groups[i]!.includes(stream));
      assert.deepEqual(outside, [], `process ${i} wrote only its own group's streams`);
    });
    const expected = recordKeys(reference);
    assert.ok(expected.length > 1000, `a meaningful extraction (${expected.length} records)`);
    assert.deepEqual(runs.flatMap(recordKeys).sort(), expected, 'the union of the three (stream, key) sets, each record once, is the single run\'s');

    const tokens = sim.stats().byEndpoint['POST /v2/auth/token'] ?? {};
    assert.deepEqual(Object.keys(tokens).sort(), ['200', '429'], `only minted and throttled token requests (${JSON.stringify(tokens)})`);
    assert.equal(tokens['200'], groups.length, 'one token per process, none wasted');
    // Three token requests in the same instant against one per second: two were refused at least.
    assert.ok(tokens['429']! >= groups.length - 1, `${tokens['429']} token requests were refused`);
    const retries = runs.map((run) => run.stderr.match(TOKEN_RETRY)?.length ?? 0);
    assert.equal(retries.reduce((a, b) => a + b, 0), tokens['429'], 'every refused token request was retried');
    // Each refusal of a process needs another process's token minted in the second before it; a process
    // that waited out Retry-After between attempts meets each of the other two at most once.
    for (const count of retries) assert.ok(count <= groups.length - 1, `a process retried its token ${count} times`);
  });
});

describe('ten processes of one API client starting in the same instant', () => {
  const PROCESSES = 10;
  let sim: Simulator;
  let barrier: TokenBarrier;

  before(async () => {
    sim = await startSimulator({ seed: SEED, sizes: { workbooks: 1, members: 2 } });
    barrier = await startTokenBarrier(sim.url, PROCESSES);
  });

  after(async () => {
    await barrier.close();
    await sim.close();
  });

  test('each waits its turn at one token per second and exits 0, though max_retries is 0', { timeout: 120_000 }, async () => {
    const configFor = (url: string): string => writeJson('config.json', { api_url: url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, max_retries: 0 });
    // Discovery asks for no token; the barrier holds the ten processes' token requests only.
    const discovered = (JSON.parse(execFileSync(process.execPath, [BIN, '--config', configFor(sim.url), '--discover'], { encoding: 'utf8' })) as { streams: CatalogEntry[] }).streams;
    const config = configFor(barrier.url);
    const catalog = writeJson('catalog.json', selecting(discovered, ['account_types']));
    const runs = await Promise.all(Array.from({ length: PROCESSES }, () => runCli(['--config', config, '--catalog', catalog])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr.slice(-2000));
    for (const run of runs) assert.ok((recordsByStream(run.messages).get('account_types')?.length ?? 0) > 0, 'each extracted its stream');
    const tokens = sim.stats().byEndpoint['POST /v2/auth/token'] ?? {};
    assert.equal(tokens['200'], PROCESSES, 'one token per process');
    // All ten ask in the same second: nine at least are refused, and the last one waits out nine seconds of others' turns.
    assert.ok(tokens['429']! >= PROCESSES - 1, `${tokens['429']} token requests were refused`);
    const retries = runs.map((run) => run.stderr.match(TOKEN_RETRY)?.length ?? 0);
    assert.equal(retries.reduce((a, b) => a + b, 0), tokens['429'], 'every refused token request was waited out and retried');
    assert.ok(Math.max(...retries) >= PROCESSES - 1, `the last process was refused ${Math.max(...retries)} times and still got its token`);
  });
});
