import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { type ScriptedServer, TOKEN_PATH, json, startScriptedServer } from '../support/scriptedServer.js';
import { runCli, writeJson } from '../support/runCli.js';

describe('the CLI when the token endpoint keeps failing', () => {
  let server: ScriptedServer | undefined;
  after(() => server?.close());

  test('max_retries + 1 token requests, a WARN per retry, then one fatal line and exit 1', { timeout: 60_000 }, async () => {
    server = await startScriptedServer({ [TOKEN_PATH]: (_req, res) => json(res, 503, { code: 'service_unavailable', message: 'Try again later' }) });
    const config = writeJson('config.json', { api_url: server.url, client_id: 'cli-token-spec', client_secret: 'cli-token-secret', max_retries: 2, max_retry_wait_ms: 1 });
    const run = await runCli(['--config', config], { parse: false });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(server.count(TOKEN_PATH), 3);
    assert.equal(server.requests.length, 3, 'nothing but token requests');
    const lines = run.stderr.trim().split('\n');
    assert.deepEqual(lines, [
      'WARN retry 1/2 of POST /v2/auth/token after HTTP 503: Try again later',
      'WARN retry 2/2 of POST /v2/auth/token after HTTP 503: Try again later',
      'tap-sigma: could not get an access token: POST /v2/auth/token failed after 2 retries (HTTP 503: Try again later)',
    ]);
  });
});
