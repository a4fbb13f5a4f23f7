import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { streams } from '../../pipelines/index.js';
import { keyOf } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

const SIZES = { workbooks: 16, members: 12, dataModels: 5, reports: 3 };
const configFor = (sim: Simulator, extra: Record<string, unknown> = {}): string =>
  writeJson('config.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 50, ...extra });

/** Every stream's primary keys, sorted: what two runs must agree on. */
function recordSet(run: CliResult): Record<string, string[]> {
  const byStream = recordsByStream(run.messages);
  return Object.fromEntries(streams.map((s) => [s.name, (byStream.get(s.name) ?? []).map((r) => keyOf(r, s.primaryKeys)).sort()]));
}

describe('faults from the API', () => {
  let clean: Simulator;
  let cleanRun: CliResult;

  before(async () => {
    clean = await startSimulator({ seed: 9, sizes: SIZES });
    cleanRun = await runCli(['--config', configFor(clean)]);
    assert.equal(cleanRun.code, 0, cleanRun.stderr);
  });

  after(() => clean.close());

  test('10% faults of every kind and tokens revoked every 50 requests: same records, none lost or duplicated, exit 0', async () => {
    const hostile = await startSimulator({ seed: 9, sizes: SIZES, faults: { rate: 0.1, tokenExpiryEveryRequests: 50 } });
    try {
      const run = await runCli(['--config', configFor(hostile)], { timeoutMs: 240_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      assert.deepEqual(recordSet(run), recordSet(cleanRun));
      const faults = hostile.stats().faults;
      for (const kind of ['429-retry-after', '429-bare', '5xx-json', '5xx-html', 'reset', 'truncated', 'token-expiry'] as const) {
        assert.ok(faults[kind] > 0, `the simulator injected ${kind} faults (${faults[kind]})`);
      }
      assert.match(run.stderr, /retry \d+\/\d+ of GET \/v2/);
      const tokenRequests = hostile.stats().byEndpoint['POST /v2/auth/token'] ?? {};
      assert.ok((tokenRequests['200'] ?? 0) >= 5, 'revoked tokens were replaced');
      assert.equal(tokenRequests['429'] ?? 0, 0, 'the token endpoint was never asked twice within a second');
    } finally {
      await hostile.close();
    }
  });

  test('a cap on concurrent requests: the tap adapts and finishes with every throttled request retried', async () => {
    const capped = await startSimulator({ seed: 9, sizes: SIZES, faults: { maxConcurrent: 2, latencyMs: 5 } });
    try {
      const run = await runCli(['--config', configFor(capped, { concurrency: 16 })], { timeoutMs: 240_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      assert.deepEqual(recordSet(run), recordSet(cleanRun));
      const stats = capped.stats();
      assert.ok(stats.faults['concurrency-cap'] > 0, 'the cap was hit');
      const throttled = stats.faults['concurrency-cap'];
      assert.ok(throttled < stats.totalRequests / 4, `the tap backed off instead of hammering (${throttled} of ${stats.totalRequests} throttled)`);
    } finally {
      await capped.close();
    }
  });

  test('a hung request (read, never answered) times out and is retried; the run completes with every record', async () => {
    // Never more than 3 hangs in a row per URL (the simulator's cap), so 6 retries always get through.
    const hanging = await startSimulator({ seed: 9, sizes: SIZES, faults: { rate: 0.05, kinds: ['hang'] } });
    try {
      const run = await runCli(['--config', configFor(hanging, { request_timeout_ms: 500, concurrency: 16 })], { timeoutMs: 240_000 });
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const hangs = hanging.stats().faults.hang;
      assert.ok(hangs > 0, 'requests were left unanswered');
      assert.equal(run.stderr.match(/after no complete answer within request_timeout_ms/g)?.length, hangs, 'each hung request was abandoned and retried once per hang');
      assert.deepEqual(recordSet(run), recordSet(cleanRun));
    } finally {
      await hanging.close();
    }
  });
});
