import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { RESUME_KEY } from '../../lib/singer/stateTracker.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { recordsByStream, runCli, writeJson, writeText } from '../support/runCli.js';

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

const catalogOf = (names: string[]) => ({ streams: streams.filter((s) => names.includes(s.name)).map(catalogEntryOf) });

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
  test('a catalog without streams', () => assertRejected(['--config', writeJson('c.json', good), '--properties', writeJson('catalog.json', { stream: [] })], /catalog file .*catalog\.json: streams must be an array of streams, got nothing$/));
  test('a state that is not JSON', () => assertRejected(['--config', writeJson('c.json', good), '--state', writeText('state.json', '')], /state file .*state\.json: not valid JSON/));
  test('a state with malformed bookmarks', () => assertRejected(['--config', writeJson('c.json', good), '--state', writeJson('state.json', { bookmarks: 'x' })], /state file .*state\.json: bookmarks must be an object of bookmarks by stream, got 'x'$/));
  test('an unknown flag', () => assertRejected(['--confg', 'x'], /unknown argument --confg/));
  test('a bad --format', () => assertRejected(['--about', '--format', 'yaml'], /--format must be json, markdown or text/));
  test('an ENV config missing a setting names it', () =>
    assertRejected(['--config', 'ENV'], /missing required setting 'client_secret'/, { TAP_SIGMA_CLIENT_ID: 'x', TAP_SIGMA_API_URL: 'https://example.com' }));

  describe('api_url', () => {
    const withUrl = (api_url: string): string[] => ['--config', writeJson('c.json', { ...good, api_url })];

    test('a user name and password are refused and never appear in any output', async () => {
      const url = `http://tap-user:pw-${'s3cret'}-value@${new URL(sim.url).host}`;
      await assertRejected(withUrl(url), new RegExp(`setting 'api_url' must not contain a user name or password .*, got "http://${new URL(sim.url).host.replace(/\./g, '\\.')}"$`));
      const run = await runCli(withUrl(url), { parse: false });
      assert.equal(`${run.stdout}${run.stderr}`.includes('pw-s3cret-value'), false);
      assert.equal(`${run.stdout}${run.stderr}`.includes('tap-user'), false);
    });

    test('a password in a URL that does not parse is not echoed either', async () => {
      const run = await runCli(withUrl('https://tap-user:pw-s3cret-value@bad host'), { parse: false });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /setting 'api_url' must be an absolute URL/);
      assert.equal(run.stderr.includes('pw-s3cret-value'), false);
    });

    test('a host that only starts with 127. is not loopback', () => assertRejected(withUrl('http://127.evil.example'), /setting 'api_url' must use https:\/\/ \(http:\/\/ is allowed only for the loopback addresses/));
    test('a path is refused', () => assertRejected(withUrl(`${sim.url}/v2`), /setting 'api_url' must not have a path \(the tap adds \/v2\/… itself\)/));
    test('a query is refused', () => assertRejected(withUrl(`${sim.url}/?region=us`), /setting 'api_url' must not have a query/));
    test('a fragment is refused', () => assertRejected(withUrl(`${sim.url}/#top`), /setting 'api_url' must not have a fragment/));

    test('a trailing slash is accepted', async () => {
      const run = await runCli(['--config', writeJson('c.json', { ...good, api_url: `${sim.url}/` }), '--test']);
      assert.equal(run.code, 0, run.stderr);
    });
  });

  test('a __proto__ key in a config is refused and changes no setting', () =>
    assertRejected(['--config', writeText('c.json', JSON.stringify(good).replace('{', '{"__proto__": {"concurrency": 64}, '))], /^tap-sigma: config file .*c\.json: the key __proto__ is not allowed \(at the root\)$/));
  test('a __proto__ key in a catalog is refused', () =>
    assertRejected(['--config', writeJson('c.json', good), '--catalog', writeText('catalog.json', '{"streams": [{"tap_stream_id": "whoami", "__proto__": {"selected": true}}]}')], /catalog file .*: the key __proto__ is not allowed \(at streams\[0\]\)$/));
  test('a __proto__ key in a state is refused', () =>
    assertRejected(['--config', writeJson('c.json', good), '--state', writeText('state.json', '{"bookmarks": {"__proto__": {}}}')], /state file .*: the key __proto__ is not allowed \(at bookmarks\)$/));

  test('a config with a syntax error says where', () => assertRejected(['--config', writeText('config.json', '{\n  "api_url": "x",\n}')], /config file .*config\.json: not valid JSON \(line 3, column 1\)$/));
  test('/dev/zero as config stops at 1 MiB', () => assertRejected(['--config', '/dev/zero'], /^tap-sigma: config file \/dev\/zero: larger than 1 MiB, the limit for a config file$/));
  test('/dev/zero as catalog stops at 64 MiB', () => assertRejected(['--config', writeJson('c.json', good), '--catalog', '/dev/zero'], /^tap-sigma: catalog file \/dev\/zero: larger than 64 MiB, the limit for a catalog file$/));
  test('/dev/zero as state stops at 64 MiB', () => assertRejected(['--config', writeJson('c.json', good), '--state', '/dev/zero'], /^tap-sigma: state file \/dev\/zero: larger than 64 MiB, the limit for a state file$/));
  test('a state nested too deeply', () =>
    assertRejected(['--config', writeJson('c.json', good), '--state', writeText('state.json', `{"x": ${'['.repeat(5000)}${']'.repeat(5000)}}`)], /state file .*: nested deeper than 256 levels$/));

  describe('start_date', () => {
    test('a date alone is midnight UTC: the run succeeds and records updated before it are not emitted', async () => {
      const workbooks = streams.find((s) => s.name === 'workbooks')!;
      const truth = expectedRecords(sim.org, streams, workbooks, validateConfig(good));
      const days = truth.map((r) => String(r['updatedAt']).slice(0, 10)).sort();
      const day = days.at(-1)!;
      assert.ok(days[0]! < day, `the organization's workbooks span more than one day (${days.join(', ')})`);
      const run = await runCli(['--config', writeJson('c.json', { ...good, start_date: day }), '--catalog', writeJson('catalog.json', catalogOf(['workbooks']))]);
      assert.equal(run.code, 0, run.stderr);
      const since = Date.parse(`${day}T00:00:00Z`);
      const kept = truth.filter((r) => Date.parse(String(r['updatedAt'])) >= since).map((r) => keyOf(r, workbooks.primaryKeys)).sort();
      const emitted = (recordsByStream(run.messages).get('workbooks') ?? []).map((r) => keyOf(r, workbooks.primaryKeys)).sort();
      assert.deepEqual(emitted, kept);
      assert.ok(kept.length > 0 && kept.length < truth.length, `${kept.length} of ${truth.length} records are on or after ${day}`);
    });

    for (const [date, problem] of [
      ['2024-02-30', '2024-02 has no day 30'],
      ['2023-02-29', '2023-02 has no day 29'],
      ['2024-13-01', 'month 13 does not exist'],
      ['2024-01-01T25:00:00Z', 'hour 25 does not exist'],
    ] as const) {
      test(`a calendar date that does not exist: ${date}`, () =>
        assertRejected(['--config', writeJson('c.json', { ...good, start_date: date })], new RegExp(`setting 'start_date' must be an RFC 3339 date-time or a date \\(${problem}\\), got "${date}"$`)));
    }
  });

  describe('malformed catalogs: one line naming the file, the stream and the path', () => {
    const stream = (extra: Record<string, unknown>): Record<string, unknown> => ({ tap_stream_id: 'whoami', stream: 'whoami', schema: { type: 'object' }, metadata: [], ...extra });
    const at = "catalog file \\S+, stream 'whoami': streams\\[0\\]";
    const cases: Array<[string, unknown, string]> = [
      ['a metadata entry without breadcrumb', [stream({ metadata: [{ metadata: { selected: true } }] })], `${at}\\.metadata\\[0\\]\\.breadcrumb must be an array of strings, got nothing`],
      ['a breadcrumb that is not strings', [stream({ metadata: [{ breadcrumb: [0], metadata: {} }] })], `${at}\\.metadata\\[0\\]\\.breadcrumb must be an array of strings, got an array`],
      ['a metadata entry without metadata', [stream({ metadata: [{ breadcrumb: [] }] })], `${at}\\.metadata\\[0\\]\\.metadata must be an object, got nothing`],
      ['a metadata entry that is not an object', [stream({ metadata: ['selected'] })], `${at}\\.metadata\\[0\\] must be an object with breadcrumb and metadata, got 'selected'`],
      ['metadata that is not an array', [stream({ metadata: { selected: true } })], `${at}\\.metadata must be an array, got an object`],
      ['a selected flag that is not a boolean', [stream({ metadata: [{ breadcrumb: [], metadata: { selected: 'yes' } }] })], `${at}\\.metadata\\[0\\]\\.metadata\\.selected must be true or false, got 'yes'`],
      ['a selected-by-default flag that is not a boolean', [stream({ metadata: [{ breadcrumb: [], metadata: { 'selected-by-default': 1 } }] })], `${at}\\.metadata\\[0\\]\\.metadata\\.selected-by-default must be true or false, got a number`],
      ['an unknown inclusion', [stream({ metadata: [{ breadcrumb: [], metadata: { inclusion: 'always' } }] })], `${at}\\.metadata\\[0\\]\\.metadata\\.inclusion must be available, automatic or unsupported, got 'always'`],
      ['a replication-key keyword that is not a string', [stream({ metadata: [{ breadcrumb: [], metadata: { 'replication-key': ['updatedAt'] } }] })], `${at}\\.metadata\\[0\\]\\.metadata\\.replication-key must be a string or null, got an array`],
      ['a schema that is not an object', [stream({ schema: 'object' })], `${at}\\.schema must be an object \\(a JSON Schema\\), got 'object'`],
      ['a property schema that is null', [stream({ schema: { properties: { userId: null } } })], `${at}\\.schema\\.properties\\.userId must be an object \\(a JSON Schema\\), got null`],
      ['required that is not a list', [stream({ schema: { properties: {}, required: 'userId' } })], `${at}\\.schema\\.required must be an array of strings, got 'userId'`],
      ['key_properties that is not a list of strings', [stream({ key_properties: 'userId' })], `${at}\\.key_properties must be an array of strings, got 'userId'`],
      ['a replication_key that is not a string', [stream({ replication_key: 1 })], `${at}\\.replication_key must be a string or null, got a number`],
      ['a replication_method that is not a string', [stream({ replication_method: true })], `${at}\\.replication_method must be a string or null, got a boolean`],
      ['a stream entry that is not an object', [stream({}), 'whoami'], "catalog file \\S+: streams\\[1\\] must be an object, got 'whoami'"],
      ['a stream without a name', [{ schema: {} }], 'catalog file \\S+: streams\\[0\\] has neither a tap_stream_id nor a stream name'],
      ['a tap_stream_id that is not a string', [{ tap_stream_id: 12 }], 'catalog file \\S+: streams\\[0\\]\\.tap_stream_id must be a non-empty string, got a number'],
    ];
    for (const [name, entries, message] of cases) {
      test(name, () => assertRejected(['--config', writeJson('c.json', good), '--catalog', writeJson('catalog.json', { streams: entries })], new RegExp(`^tap-sigma: ${message}$`)));
    }
  });

  describe('malformed states: one line naming the file and the path', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['bookmarks that is an array', { bookmarks: [] }, 'bookmarks must be an object of bookmarks by stream, got an array'],
      ['a bookmark that is not an object', { bookmarks: { workbooks: 'x' } }, "bookmarks\\.workbooks must be an object, got 'x'"],
      ['a replication_key that is not a string', { bookmarks: { workbooks: { replication_key: 1 } } }, 'bookmarks\\.workbooks\\.replication_key must be a string, got a number'],
      ['a replication_key_value that is an object', { bookmarks: { workbooks: { replication_key: 'updatedAt', replication_key_value: {} } } }, 'bookmarks\\.workbooks\\.replication_key_value must be a string, a number or null, got an object'],
      ['partitions that is not an array', { bookmarks: { workbook_pages: { partitions: {} } } }, 'bookmarks\\.workbook_pages\\.partitions must be an array, got an object'],
      ['a partition that is not an object', { bookmarks: { workbook_pages: { partitions: [7] } } }, 'bookmarks\\.workbook_pages\\.partitions\\[0\\] must be an object, got a number'],
      ['a partition context that is not an object', { bookmarks: { workbook_pages: { partitions: [{ context: 'a' }] } } }, "bookmarks\\.workbook_pages\\.partitions\\[0\\]\\.context must be an object, got 'a'"],
      ['progress_markers that is not an object', { bookmarks: { workbooks: { progress_markers: [] } } }, 'bookmarks\\.workbooks\\.progress_markers must be an object, got an array'],
      ['a resume marker whose completed is not a list of names', { [RESUME_KEY]: { completed: 'members' } }, `${RESUME_KEY}\\.completed must be an array of stream names, got 'members'`],
    ];
    for (const [name, state, message] of cases) {
      test(name, () => assertRejected(['--config', writeJson('c.json', good), '--state', writeJson('state.json', state)], new RegExp(`^tap-sigma: state file \\S+state\\.json: ${message}$`)));
    }
  });

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
