import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startSimulator } from '../../../fixtures/index.js';
import { assertNoSecrets } from '../../support/hostileRun.js';
import { runCli, writeJson } from '../../support/runCli.js';

describe('a short token lifetime', () => {
  test('30 s tokens over a run of half a minute: one token per 15 s of run, not one per request, and no request refused', async (t) => {
    // 200 ms per answer and 2 requests in flight make a small organization take about half a minute.
    const sim = await startSimulator({ seed: 71, sizes: { workbooks: 3, members: 2 }, tokenTtlSeconds: 30, faults: { latencyMs: 200 } });
    try {
      const { clientId, clientSecret } = sim.credentials.admin;
      const config = writeJson('config.json', { api_url: sim.url, client_id: clientId, client_secret: clientSecret, concurrency: 2 });
      const startedAt = performance.now();
      const run = await runCli(['--config', config], { timeoutMs: 180_000 });
      const seconds = (performance.now() - startedAt) / 1000;
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      const stats = sim.stats();
      const tokens = stats.byEndpoint['POST /v2/auth/token']?.['200'] ?? 0;
      t.diagnostic(`${tokens} tokens for ${stats.totalRequests} requests in ${seconds.toFixed(1)} s`);
      assert.ok(seconds > 30, `the run outlived a token (${seconds.toFixed(1)} s)`);
      assert.ok(tokens >= 2, 'tokens were refreshed');
      // A token is refreshed once it is half its life old: at most one per 15 s of run, plus the first.
      assert.ok(tokens <= Math.floor(seconds / 15) + 1, `${tokens} tokens in ${seconds.toFixed(1)} s`);
      const refused = Object.entries(stats.byEndpoint).filter(([endpoint, statuses]) => endpoint.startsWith('GET') && (statuses['401'] ?? 0) > 0);
      assert.deepEqual(refused, [], 'no request was sent with an expired token');
      assertNoSecrets(run, sim);
    } finally {
      await sim.close();
    }
  });
});
