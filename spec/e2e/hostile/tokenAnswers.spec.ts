import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { startHostileServer, startPlainTcp } from '../../support/hostileServer.js';
import { assertNoSecrets, assertOneLine, hostileConfig } from '../../support/hostileRun.js';
import { runCli } from '../../support/runCli.js';

const TOKEN = 'POST /v2/auth/token';

describe('a token endpoint that is not Sigma’s: one clear line at once, no retries', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 81, sizes: { workbooks: 2 } });
  });

  after(() => sim.close());

  const answers: ReadonlyArray<[string, string]> = [
    ['without access_token', '{"token_type":"bearer","expires_in":3600}'],
    ['with an access_token that is not a string', '{"access_token":12345,"expires_in":3600}'],
    ['with an empty access_token', '{"access_token":"","expires_in":3600}'],
    ['as a JSON array', '[]'],
  ];
  for (const [name, body] of answers) {
    test(`HTTP 200 ${name}`, async () => {
      const hostile = await startHostileServer(sim.url, ({ key, res }) => {
        if (key !== TOKEN) return false;
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return true;
      });
      try {
        const run = await runCli(['--config', hostileConfig(sim, hostile.url)]);
        assertOneLine(run, /\/v2\/auth\/token answered HTTP 200 without an access_token: is api_url Sigma's API\?/);
        assert.equal(run.stdout, '');
        assert.equal(hostile.count(TOKEN), 1, 'not retried');
        assertNoSecrets(run, sim);
      } finally {
        await hostile.close();
      }
    });
  }

  test('https to a loopback port that does not speak TLS: the TLS handshake failure, once', async () => {
    const plain = await startPlainTcp();
    try {
      const run = await runCli(['--config', hostileConfig(sim, plain.url)]);
      assertOneLine(run, /the TLS handshake failed \((ERR_SSL_WRONG_VERSION_NUMBER|EPROTO)\): is api_url an https endpoint of Sigma\?/);
      assert.equal(run.stdout, '');
      assert.equal(plain.connections(), 1, 'not retried');
      assert.ok(!plain.received().includes(sim.credentials.admin.clientSecret), 'the handshake failed before any credential was sent');
      assertNoSecrets(run, sim);
    } finally {
      await plain.close();
    }
  });
});
