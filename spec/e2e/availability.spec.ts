import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Principal, type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import type { TapConfig } from '../../lib/config/tapConfig.js';
import type { StreamDefinition } from '../../lib/streams/streamDefinition.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf, unavailableRoots } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

const configOf = (sim: Simulator, principal: Principal, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  api_url: sim.url,
  client_id: sim.credentials[principal].clientId,
  client_secret: sim.credentials[principal].clientSecret,
  page_size: 50,
  ...extra,
});

/** Every descendant of the named streams. */
function descendantsOf(names: readonly string[]): string[] {
  const below = (name: string): string[] => streams.filter((s) => s.parent === name).flatMap((s) => [s.name, ...below(s.name)]);
  return names.flatMap(below);
}

/** Per stream: missing and unexpected keys against the truth for `principal`. */
function differences(run: CliResult, sim: Simulator, config: TapConfig, principal: Principal, skipped: ReadonlySet<string>): string[] {
  const actual = recordsByStream(run.messages);
  const problems: string[] = [];
  for (const stream of streams as readonly StreamDefinition[]) {
    const got = (actual.get(stream.name) ?? []).map((r) => keyOf(r, stream.primaryKeys)).sort();
    if (skipped.has(stream.name)) {
      if (got.length > 0) problems.push(`${stream.name}: unavailable, yet ${got.length} records`);
      continue;
    }
    const expected = expectedRecords(sim.org, streams, stream, config, principal).map((r) => keyOf(r, stream.primaryKeys)).sort();
    if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${stream.name}: ${got.length} records, expected ${expected.length}`);
  }
  return problems;
}

describe('an organization on a plan that lacks features (the starter profile), admin client, default run', () => {
  let sim: Simulator;
  let run: CliResult;
  let unavailable: string[];

  before(async () => {
    sim = await startSimulator({ seed: 7, sizes: { workbooks: 20, members: 12 }, profile: 'starter' });
    run = await runCli(['--config', writeJson('c.json', configOf(sim, 'admin'))]);
    unavailable = unavailableRoots(sim.org, streams, validateConfig(configOf(sim, 'admin')), 'admin');
  });

  after(() => sim.close());

  test('exits 0 although at least six top-level endpoints are unavailable', () => {
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.ok(unavailable.length >= 6, `${unavailable.length} unavailable: ${unavailable.join(', ')}`);
  });

  test('exactly one WARN per unavailable stream', () => {
    const warned = [...run.stderr.matchAll(/^WARN stream '(\w+)' is unavailable: /gm)].map((m) => m[1]!);
    assert.deepEqual(warned.sort(), [...unavailable].sort());
  });

  test('every available stream equals the truth; unavailable ones and their children have no records', () => {
    const skipped = new Set([...unavailable, ...descendantsOf(unavailable)]);
    assert.deepEqual(differences(run, sim, validateConfig(configOf(sim, 'admin')), 'admin', skipped), []);
  });

  test('each unavailable stream has its METRIC points: record_count 0 and sync_duration with status unavailable', () => {
    const points = [...run.stderr.matchAll(/^INFO METRIC: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as { metric: string; value: number; tags: Record<string, unknown> });
    const unavailableDurations = points.filter((p) => p.metric === 'sync_duration' && p.tags['status'] === 'unavailable').map((p) => p.tags['stream']);
    assert.deepEqual(unavailableDurations.sort(), [...unavailable].sort());
    for (const stream of unavailable) {
      const counts = points.filter((p) => p.metric === 'record_count' && p.tags['stream'] === stream).map((p) => p.value);
      assert.deepEqual(counts, [0], `${stream}: record_count points`);
    }
  });

  test('a child endpoint the plan lacks is one WARN with the number of parents skipped', () => {
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('WARN workbook_embeds:'));
    assert.equal(lines.length, 1, run.stderr.slice(-3000));
    assert.match(lines[0]!, /skipped \d+ parents whose child endpoint refused them \(first: workbookId=\S+ \(GET \/v2\/workbooks\/\S+\/embeds answered HTTP 403/);
  });

  test('the summary line names them, and the final STATE is valid', () => {
    const summary = run.stderr.split('\n').find((line) => line.includes('sync finished:'))!;
    for (const name of unavailable) assert.ok(summary.includes(name), `${name} in: ${summary}`);
    const last = run.messages.at(-1)!;
    assert.equal(last['type'], 'STATE');
    assert.ok(Object.keys((last['value'] as { bookmarks: object }).bookmarks).length > 0);
  });
});

describe('streams a client cannot read', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ seed: 6, sizes: { workbooks: 20, members: 12 } });
  });

  after(() => sim.close());

  describe('a non-admin client, default run (no catalog)', () => {
    let run: CliResult;
    let unavailable: string[];

    before(async () => {
      run = await runCli(['--config', writeJson('c.json', configOf(sim, 'viewer'))]);
      unavailable = unavailableRoots(sim.org, streams, validateConfig(configOf(sim, 'viewer')), 'viewer');
    });

    test('exits 0 with Singer messages only', () => {
      assert.equal(run.code, 0, run.stderr.slice(-2000));
      assert.ok(unavailable.length > 0, 'the simulator refuses some top-level streams to a viewer');
    });

    test('warns exactly once per unavailable stream, naming status, meaning and remedy', () => {
      const warned = [...run.stderr.matchAll(/^WARN stream '(\w+)' is unavailable: GET \S+ answered HTTP (\d{3})[^\n]*\((forbidden|not found|not enabled)[^\n]*deselect it/gm)].map((m) => m[1]!);
      assert.deepEqual(warned.sort(), [...unavailable].sort());
    });

    test('every other stream equals the truth for that client; the unavailable ones and their children have no records', () => {
      const skipped = new Set([...unavailable, ...descendantsOf(unavailable)]);
      assert.deepEqual(differences(run, sim, validateConfig(configOf(sim, 'viewer')), 'viewer', skipped), []);
    });

    test('ends with one summary line naming the unavailable streams, and a valid final STATE', () => {
      const summary = run.stderr.split('\n').filter((line) => line.includes('sync finished:'));
      assert.equal(summary.length, 1);
      const listed = /(\d+) unavailable \(([^)]*)\)/.exec(summary[0]!);
      assert.ok(listed, summary[0]);
      const names = listed[2]!.split(', ');
      for (const name of unavailable) assert.ok(names.includes(name), `${name} in the summary`);
      assert.match(summary[0]!, /\d+ streams synced, .* \d+ records from \d+ requests/);
      const last = run.messages.at(-1)!;
      assert.equal(last['type'], 'STATE');
      const bookmarks = (last['value'] as { bookmarks: Record<string, { replication_key_value: string }> }).bookmarks;
      assert.ok(Object.keys(bookmarks).length > 0);
      for (const name of unavailable) assert.equal(bookmarks[name], undefined, `no bookmark for unavailable ${name}`);
    });

    test('an admin-only child endpoint is warned about once, with the number of parents skipped', () => {
      const lines = run.stderr.split('\n').filter((line) => line.startsWith('WARN member_teams:'));
      assert.equal(lines.length, 1, lines.join('\n'));
      const members = recordsByStream(run.messages).get('members')!.length;
      assert.match(lines[0]!, new RegExp(`skipped ${members} parents whose child endpoint refused them \\(first: memberId=\\S+ \\(GET /v2/members/\\S+/teams answered HTTP 403`));
    });
  });

  test('unavailable_streams fail: exit 1, one line naming the unavailable stream, only whole Singer lines on stdout', async () => {
    const config = configOf(sim, 'viewer', { unavailable_streams: 'fail' });
    const selectedRun = await runCli(['--config', writeJson('c.json', config)], { parse: false });
    assert.equal(selectedRun.code, 1);
    const unavailable = unavailableRoots(sim.org, streams, validateConfig(config), 'viewer');
    const errors = selectedRun.stderr.split('\n').filter((line) => line.startsWith('tap-sigma: '));
    assert.equal(errors.length, 1, selectedRun.stderr.slice(-1500));
    const named = /^tap-sigma: stream '(\w+)' is unavailable: GET \S+ answered HTTP \d{3}.*\(unavailable_streams is fail\)$/.exec(errors[0]!);
    assert.ok(named && unavailable.includes(named[1]!), errors[0]);
    assert.ok(selectedRun.stdout === '' || selectedRun.stdout.endsWith('\n'));
    for (const line of selectedRun.stdout.split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line));
  });

  test('a run whose every selected stream is unavailable exits non-zero: nothing was extracted', async () => {
    const unavailable = unavailableRoots(sim.org, streams, validateConfig(configOf(sim, 'viewer')), 'viewer');
    const catalog = { streams: streams.filter((s) => unavailable.includes(s.name)).map((s) => ({ tap_stream_id: s.name, schema: {}, metadata: [{ breadcrumb: [], metadata: { selected: true } }] })) };
    const run = await runCli(['--config', writeJson('c.json', configOf(sim, 'viewer')), '--catalog', writeJson('catalog.json', catalog)]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /tap-sigma: nothing was extracted: every selected stream is unavailable to this client \(/);
  });

  test('--test reports availability per stream and exits 0 when the credentials work and one stream answers', async () => {
    const run = await runCli(['--config', writeJson('c.json', configOf(sim, 'viewer')), '--test']);
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    const lines = new Map([...run.stderr.matchAll(/^tap-sigma --test: (\w+): ([^\n]+)$/gm)].map((m) => [m[1]!, m[2]!]));
    assert.equal(lines.size, streams.length, 'one line per stream');
    assert.match(lines.get('workbooks')!, /^available/);
    for (const name of unavailableRoots(sim.org, streams, validateConfig(configOf(sim, 'viewer')), 'viewer')) {
      assert.match(lines.get(name)!, /^(forbidden|not found|not enabled)/, name);
    }
    assert.match(lines.get('member_teams')!, /^forbidden/);
  });

  test('requests the tap cancels itself (a fatal error elsewhere) are neither retried nor logged', async () => {
    const slow = await startSimulator({ seed: 6, sizes: { workbooks: 20, members: 12 }, faults: { latencyMs: 40 } });
    try {
      const run = await runCli(['--config', writeJson('c.json', configOf(slow, 'viewer', { unavailable_streams: 'fail', concurrency: 16 }))], { parse: false });
      assert.equal(run.code, 1);
      assert.doesNotMatch(run.stderr, /retry|ECONNRESET|cancel|abort/i);
      assert.ok(slow.stats().totalRequests > 1, 'other requests were under way');
    } finally {
      await slow.close();
    }
  });
});
