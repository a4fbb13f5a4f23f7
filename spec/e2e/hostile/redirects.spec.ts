import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { type Bystander, startBystander, startHostileServer } from '../../support/hostileServer.js';
import { assertNoSecrets, assertOneLine, hostileConfig } from '../../support/hostileRun.js';
import { runCli } from '../../support/runCli.js';

const TOKEN = 'POST /v2/auth/token';

describe('no redirect is followed: credentials and tokens stay with api_url', () => {
  let sim: Simulator;
  let bystander: Bystander;

  before(async () => {
    sim = await startSimulator({ seed: 5, sizes: { workbooks: 2, members: 2 } });
    bystander = await startBystander();
  });

  after(async () => {
    await bystander.close();
    await sim.close();
  });

  for (const status of [307, 308]) {
    test(`the token endpoint answers ${status} to another port: nothing reaches it, one line names status and location`, async () => {
      const location = `${bystander.url}/v2/auth/token`;
      const hostile = await startHostileServer(sim.url, ({ key, res }) => {
        if (key !== TOKEN) return false;
        res.writeHead(status, { location }).end();
        return true;
      });
      try {
        const run = await runCli(['--config', hostileConfig(sim, hostile.url)]);
        const line = assertOneLine(run, new RegExp(`HTTP ${status} to http://127\\.0\\.0\\.1:${bystander.port}/v2/auth/token.*api_url`));
        assert.ok(!line.includes('Bearer'));
        assert.equal(run.stdout, '');
        assert.equal(hostile.count(TOKEN), 1, 'a redirect is final: the token request is not sent again');
        assert.equal(bystander.connections(), 0, `the other port was reached: ${bystander.received()}`);
        assertNoSecrets(run, sim);
      } finally {
        await hostile.close();
      }
    });
  }

  for (const status of [301, 302, 303, 307, 308]) {
    test(`an API request answered ${status} to another port: the bearer token goes nowhere, one line names status and location`, async () => {
      const location = `${bystander.url}/v2/elsewhere?secret=1`;
      const hostile = await startHostileServer(sim.url, ({ req, res }) => {
        if (req.method !== 'GET') return false;
        res.writeHead(status, { location }).end();
        return true;
      });
      try {
        const minted = (): number => sim.stats().byEndpoint[TOKEN]?.['200'] ?? 0;
        const tokensBefore = minted();
        const run = await runCli(['--config', hostileConfig(sim, hostile.url)]);
        assertOneLine(run, new RegExp(`GET /v2\\S* answered a redirect \\(HTTP ${status} to http://127\\.0\\.0\\.1:${bystander.port}/v2/elsewhere\\).*api_url`));
        assert.ok(run.messages.every((m) => m['type'] === 'SCHEMA'), 'stdout holds only the SCHEMAs written before the failure');
        // The runs follow each other within Sigma's one token per second: a 429 before the token may come.
        assert.equal(minted() - tokensBefore, 1, 'one token, minted once: the redirect is not a reason to ask again');
        assert.equal(bystander.connections(), 0, `the other port was reached: ${bystander.received()}`);
        assertNoSecrets(run, sim);
      } finally {
        await hostile.close();
      }
    });
  }
});
