import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { SETTINGS } from '../../lib/config/settings.js';
import { streams } from '../../pipelines/index.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

describe('the Singer CLI', () => {
  let sim: Simulator;
  let config: string;

  before(async () => {
    sim = await startSimulator({ seed: 4, sizes: { workbooks: 5, members: 4 } });
    config = writeJson('c.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret });
  });

  after(() => sim.close());

  test('--discover prints a Singer catalog: every stream, its schema, SDK-shaped metadata with the root last', async () => {
    const run = await runCli(['--config', config, '--discover'], { parse: false });
    assert.equal(run.code, 0, run.stderr);
    const catalog = JSON.parse(run.stdout) as { streams: Array<Record<string, unknown>> };
    assert.deepEqual(catalog.streams.map((s) => s['tap_stream_id']), streams.map((s) => s.name));
    for (const entry of catalog.streams) {
      assert.equal(entry['stream'], entry['tap_stream_id']);
      const schema = entry['schema'] as { type: string; properties: Record<string, unknown> };
      assert.equal(schema.type, 'object');
      assert.ok(!JSON.stringify(schema).includes('$ref'), 'no $ref left');
      const metadata = entry['metadata'] as Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }>;
      const root = metadata.at(-1)!;
      assert.deepEqual(root.breadcrumb, []);
      assert.equal(root.metadata['inclusion'], 'available');
      assert.equal(root.metadata['selected-by-default'], true);
      const keys = root.metadata['table-key-properties'] as string[];
      assert.deepEqual(keys, entry['key_properties']);
      for (const key of keys) assert.ok(key in schema.properties, `${String(entry['stream'])}: key ${key} is a property`);
      const replicationKey = entry['replication_key'] as string | null;
      if (replicationKey) {
        assert.deepEqual(root.metadata['valid-replication-keys'], [replicationKey]);
        assert.ok(replicationKey in schema.properties);
      }
      for (const field of metadata.slice(0, -1)) {
        const name = field.breadcrumb[1]!;
        const automatic = field.breadcrumb.length === 2 && (keys.includes(name) || name === replicationKey);
        assert.equal(field.metadata['inclusion'], automatic ? 'automatic' : 'available');
      }
    }
  });

  test('a catalog deselecting a field removes it from SCHEMA and RECORD; keys stay', async () => {
    const discovered = JSON.parse((await runCli(['--config', config, '--discover'], { parse: false })).stdout) as { streams: Array<Record<string, unknown> & { metadata: Array<{ breadcrumb: string[]; metadata: Record<string, unknown> }> }> };
    const workbooks = discovered.streams.find((s) => s['stream'] === 'workbooks')!;
    for (const m of workbooks.metadata) {
      if (m.breadcrumb.length === 0) m.metadata['selected'] = true;
      if (m.breadcrumb[1] === 'name' || m.breadcrumb[1] === 'workbookId') m.metadata['selected'] = false;
    }
    const run = await runCli(['--config', config, '--catalog', writeJson('catalog.json', { streams: [workbooks] })]);
    assert.equal(run.code, 0, run.stderr);
    const schema = run.messages.find((m) => m['type'] === 'SCHEMA')!;
    assert.equal(schema['stream'], 'workbooks');
    const properties = Object.keys((schema['schema'] as { properties: object }).properties);
    assert.ok(!properties.includes('name'));
    assert.ok(properties.includes('workbookId'), 'an automatic key cannot be deselected');
    const records = recordsByStream(run.messages).get('workbooks')!;
    assert.ok(records.length > 0);
    for (const record of records) assert.deepEqual(Object.keys(record), properties);
  });

  test('--test fetches one record per stream and exits 0', async () => {
    const run = await runCli(['--config', config, '--test']);
    assert.equal(run.code, 0, run.stderr);
    const byStream = recordsByStream(run.messages);
    for (const [stream, records] of byStream) assert.ok(records.length <= 1, `${stream}: ${records.length} records`);
    assert.ok(byStream.size > streams.length / 2);
  });

  test('--about --format json lists capabilities and the settings schema', async () => {
    const run = await runCli(['--about', '--format', 'json'], { parse: false });
    assert.equal(run.code, 0);
    const about = JSON.parse(run.stdout) as { name: string; version: string; capabilities: string[]; settings: { properties: Record<string, unknown>; required: string[] } };
    assert.equal(about.name, 'tap-sigma');
    assert.match(about.version, /^\d+\.\d+\.\d+/);
    for (const capability of ['catalog', 'discover', 'state', 'about', 'stream-maps', 'schema-flattening', 'batch', 'activate-version']) assert.ok(about.capabilities.includes(capability));
    // Object settings as the SDK prints them: an object type with the shape of their content.
    const streamMaps = about.settings.properties['stream_maps'] as { type: string[]; properties: object; additionalProperties: object };
    assert.deepEqual(streamMaps.type, ['object', 'null']);
    assert.ok(Object.hasOwn(streamMaps.properties, '__else__') && streamMaps.additionalProperties);
    const batchConfig = about.settings.properties['batch_config'] as { type: string[]; properties: Record<string, unknown> };
    assert.deepEqual([batchConfig.type, Object.keys(batchConfig.properties)], [['object', 'null'], ['encoding', 'storage', 'batch_size']]);
    assert.deepEqual(Object.keys(about.settings.properties), SETTINGS.map((s) => s.name));
    assert.deepEqual(about.settings.required, ['client_id', 'client_secret', 'api_url']);
  });

  test('--about --format markdown and text, --version and --help print to stdout and exit 0', async () => {
    for (const args of [['--about', '--format', 'markdown'], ['--about'], ['--version'], ['--help']]) {
      const run = await runCli(args, { parse: false });
      assert.equal(run.code, 0);
      assert.ok(run.stdout.length > 0);
    }
    assert.match((await runCli(['--about', '--format', 'markdown'], { parse: false })).stdout, /^# `tap-sigma`/);
    assert.match((await runCli(['--version'], { parse: false })).stdout, /^tap-sigma v\d+\.\d+\.\d+/);
  });

  test('the target closing the pipe early ends the run with one line and a non-zero exit', async () => {
    const big = await startSimulator({ seed: 4, sizes: { workbooks: 200 } });
    try {
      const bigConfig = writeJson('c.json', { api_url: big.url, client_id: big.credentials.admin.clientId, client_secret: big.credentials.admin.clientSecret });
      // The first chunk read may end inside a line: stdout is not parsed.
      const result = await runCli(['--config', bigConfig], { parse: false, onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()) });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /tap-sigma: the target closed the pipe/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    } finally {
      await big.close();
    }
  });
});
