import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { runCli, writeJson, writeText } from '../support/runCli.js';

/**
 * Exit code 1, nothing on stdout, no stack trace, and one line on stderr (or, once the sync has
 * started, an error line after the log lines).
 */
async function assertRejected(args: string[], message: RegExp, env: Record<string, string> = {}, afterStart = false): Promise<void> {
  const run = await runCli(args, { env, parse: false });
  assert.equal(run.code, 1, `exit code for ${args.join(' ')}`);
  if (!afterStart) assert.equal(run.stdout, '', 'nothing on stdout');
  const lines = run.stderr.trim().split('\n');
  if (!afterStart) assert.equal(lines.length, 1, `one line on stderr, got:\n${run.stderr}`);
  assert.match(lines.at(-1)!, message);
  assert.equal(lines.filter((line) => line.startsWith('tap-sigma: ')).length, 1);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
}

describe('bad input', () => {
  let sim: Simulator;
  let good: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 2, sizes: { workbooks: 3, members: 3 } });
    good = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
  });

  after(() => sim.close());

  test('no --config', () => assertRejected([], /missing --config/));
  test('a config file that does not exist', () => assertRejected(['--config', '/nonexistent/config.json'], /config file \/nonexistent\/config\.json: no such file/));
  test('a config file that is not JSON', () => assertRejected(['--config', writeText('config.json', '{nope')], /config file .*config\.json: not valid JSON/));
  test('a config whose root is not an object', () => assertRejected(['--config', writeText('config.json', '[1]')], /the root must be a JSON object/));
  test('a missing required setting names it', () => assertRejected(['--config', writeJson('c.json', { ...good, client_id: undefined })], /missing required setting 'client_id'/));
  test('a wrong type names the setting', () => assertRejected(['--config', writeJson('c.json', { ...good, concurrency: 'many' })], /setting 'concurrency' must be an integer/));
  test('an api_url that is not a URL', () => assertRejected(['--config', writeJson('c.json', { ...good, api_url: 'sigma' })], /setting 'api_url' must be an absolute URL/));
  test('http:// to a host that is not loopback', () => assertRejected(['--config', writeJson('c.json', { ...good, api_url: 'http://api.sigmacomputing.com' })], /setting 'api_url' must use https/));
  test('wrong credentials (401 from the token endpoint)', () =>
    assertRejected(['--config', writeJson('c.json', { ...good, client_secret: 'wrong-secret-value' })], /rejected the client credentials \(HTTP 401 from \/v2\/auth\/token\)/));
  test('a catalog that is not JSON', () => assertRejected(['--config', writeJson('c.json', good), '--catalog', writeText('catalog.json', 'x')], /catalog file .*catalog\.json: not valid JSON/));
  test('a catalog without streams', () => assertRejected(['--config', writeJson('c.json', good), '--properties', writeJson('catalog.json', { stream: [] })], /catalog file .*: expected a "streams" array/));
  test('a state that is not JSON', () => assertRejected(['--config', writeJson('c.json', good), '--state', writeText('state.json', '')], /state file .*state\.json: not valid JSON/));
  test('a state with malformed bookmarks', () => assertRejected(['--config', writeJson('c.json', good), '--state', writeJson('state.json', { bookmarks: 'x' })], /state file .*: "bookmarks" must be an object/));
  test('an unknown flag', () => assertRejected(['--confg', 'x'], /unknown argument --confg/));
  test('a bad --format', () => assertRejected(['--about', '--format', 'yaml'], /--format must be json, markdown or text/));
  test('an ENV config missing a setting names it', () =>
    assertRejected(['--config', 'ENV'], /missing required setting 'client_secret'/, { TAP_SIGMA_CLIENT_ID: 'x', TAP_SIGMA_API_URL: 'https://example.com' }));

  test('a catalog naming an unknown stream is a warning, not an error', async () => {
    const catalog = { streams: [{ tap_stream_id: 'no_such_stream', stream: 'no_such_stream', schema: {}, metadata: [] }, { tap_stream_id: 'whoami', stream: 'whoami', schema: { type: 'object', properties: { userId: { type: 'string' }, organizationId: { type: 'string' } } }, metadata: [] }] };
    const run = await runCli(['--config', writeJson('c.json', good), '--catalog', writeJson('catalog.json', catalog)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /WARN catalog names unknown stream 'no_such_stream'/);
    assert.deepEqual([...new Set(run.messages.filter((m) => m['type'] === 'RECORD').map((m) => m['stream']))], ['whoami']);
  });

  test('--config ENV reads TAP_SIGMA_* variables, with casting', async () => {
    const run = await runCli(['--config', 'ENV', '--test'], {
      env: { TAP_SIGMA_API_URL: sim.url, TAP_SIGMA_CLIENT_ID: sim.credentials.admin.clientId, TAP_SIGMA_CLIENT_SECRET: sim.credentials.admin.clientSecret, TAP_SIGMA_CONCURRENCY: '2', TAP_SIGMA_INCLUDE_ARCHIVED: 'true' },
    });
    assert.equal(run.code, 0, run.stderr);
  });

  test('later --config files win', async () => {
    const run = await runCli(['--config', writeJson('a.json', { ...good, api_url: 'https://unreachable.invalid' }), '--config', writeJson('b.json', { api_url: sim.url }), '--test']);
    assert.equal(run.code, 0, run.stderr);
  });
});

describe('a client without admin rights', () => {
  let sim: Simulator;
  let viewer: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 2, sizes: { workbooks: 3, members: 5 } });
    viewer = { api_url: sim.url, client_id: sim.credentials.viewer.clientId, client_secret: sim.credentials.viewer.clientSecret };
  });

  after(() => sim.close());

  const catalogOf = (names: string[]) => ({ streams: streams.filter((s) => names.includes(s.name)).map(catalogEntryOf) });

  test('an admin-only child endpoint: each parent is skipped with a warning, the run exits 0', async () => {
    const run = await runCli(['--config', writeJson('c.json', viewer), '--catalog', writeJson('catalog.json', catalogOf(['members', 'member_teams']))]);
    assert.equal(run.code, 0, run.stderr);
    const members = run.messages.filter((m) => m['type'] === 'RECORD' && m['stream'] === 'members').length;
    assert.ok(members > 0);
    assert.equal((run.stderr.match(/WARN member_teams: skipping memberId=\S+ \(GET \/v2\/members\/\S+\/teams answered HTTP 403\)/g) ?? []).length, members);
  });

  test('an admin-only top-level stream is an error naming the stream and what to do', () =>
    assertRejected(['--config', writeJson('c.json', viewer), '--catalog', writeJson('catalog.json', catalogOf(['account_types']))], /stream 'account_types': GET \/v2\/accountTypes answered HTTP 403 \(forbidden: .*use an admin client or deselect the stream\)/, {}, true));
});
