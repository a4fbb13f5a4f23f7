import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { type CliOptions, type CliResult, runCli, writeJson } from '../support/runCli.js';

describe('secrets never leave the tap', () => {
  let sim: Simulator;
  const outputs: Array<{ mode: string; run: CliResult }> = [];

  before(async () => {
    sim = await startSimulator({ seed: 13, sizes: { workbooks: 8, members: 6 }, faults: { rate: 0.05, tokenExpiryEveryRequests: 40 } });
    const { clientId, clientSecret } = sim.credentials.admin;
    const good = { api_url: sim.url, client_id: clientId, client_secret: clientSecret };
    const config = writeJson('c.json', good);
    const debug = { LOGLEVEL: 'debug' };
    const record = async (mode: string, args: string[], env: Record<string, string> = {}, onSpawn?: CliOptions['onSpawn']): Promise<void> => {
      outputs.push({ mode, run: await runCli(args, { env, parse: false, ...(onSpawn ? { onSpawn } : {}) }) });
    };
    await record('sync at debug level, with faults and revoked tokens', ['--config', config], debug);
    await record('--discover', ['--config', config, '--discover'], debug);
    await record('--test', ['--config', config, '--test'], debug);
    await record('--about json', ['--config', config, '--about', '--format', 'json']);
    await record('--about markdown', ['--about', '--format', 'markdown']);
    await record('--config ENV', ['--config', 'ENV', '--test'], { ...debug, TAP_SIGMA_API_URL: sim.url, TAP_SIGMA_CLIENT_ID: clientId, TAP_SIGMA_CLIENT_SECRET: clientSecret });
    await record('wrong secret', ['--config', writeJson('c.json', { ...good, client_secret: `${clientSecret}x` })], debug);
    await record('bad setting next to the secret', ['--config', writeJson('c.json', { ...good, page_size: 'big' })], debug);
    await record('secret of the wrong type', ['--config', writeJson('c.json', { ...good, client_secret: [clientSecret] })], debug);
    await record('SIGTERM mid-run', ['--config', config], debug, (child) => child.stdout!.once('data', () => child.kill('SIGTERM')));
    await record('target closes the pipe', ['--config', config], debug, (child) => child.stdout!.once('data', () => child.stdout!.destroy()));
  });

  after(() => sim.close());

  test('the runs covered every mode, tokens were issued and rotated', () => {
    assert.equal(outputs.length, 11);
    assert.ok(sim.issuedTokens().length >= 4, `${sim.issuedTokens().length} tokens issued`);
  });

  test('no output of any mode contains the client secret or any access or refresh token', () => {
    const secrets = [sim.credentials.admin.clientSecret, ...sim.issuedTokens()];
    const leaks: string[] = [];
    for (const { mode, run } of outputs) {
      for (const secret of secrets) {
        if (run.stdout.includes(secret)) leaks.push(`${mode}: stdout`);
        if (run.stderr.includes(secret)) leaks.push(`${mode}: stderr`);
      }
    }
    assert.deepEqual(leaks, []);
  });
});
