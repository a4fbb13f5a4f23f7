import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('a full sync of every stream against the simulator', () => {
  let sim: Simulator;
  let run: CliResult;
  let rawConfig: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 3 });
    // page_size 50 makes every list of more than 50 entries take several pages.
    rawConfig = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 50 };
    run = await runCli(['--config', writeJson('config.json', rawConfig)]);
  });

  after(() => sim.close());

  test('exits 0 with Singer messages only on stdout', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.messages.every((m) => ['SCHEMA', 'RECORD', 'STATE'].includes(String(m['type']))));
  });

  test('the record set of every stream equals the generator truth: none missing, none duplicated', () => {
    const config = validateConfig(rawConfig);
    const actual = recordsByStream(run.messages);
    const problems: string[] = [];
    for (const stream of streams) {
      const expected = expectedRecords(sim.org, streams, stream, config).map((r) => keyOf(r, stream.primaryKeys)).sort();
      const got = (actual.get(stream.name) ?? []).map((r) => keyOf(r, stream.primaryKeys)).sort();
      if (new Set(got).size !== got.length) problems.push(`${stream.name}: ${got.length - new Set(got).size} duplicated keys`);
      if (new Set(expected).size !== expected.length) problems.push(`${stream.name}: the truth itself has duplicated keys`);
      const missing = expected.filter((k) => !got.includes(k));
      const extra = got.filter((k) => !expected.includes(k));
      if (missing.length > 0 || extra.length > 0) problems.push(`${stream.name}: ${missing.length} missing, ${extra.length} unexpected (expected ${expected.length})`);
    }
    assert.deepEqual(problems, []);
    const empty = streams.filter((s) => (actual.get(s.name) ?? []).length === 0).map((s) => s.name);
    assert.deepEqual(empty, [], 'every stream has records in the simulated organization');
  });

  test('every record is valid against its SCHEMA and carries every schema property', () => {
    const ajv = addFormats.default(new Ajv({ strict: false }));
    const schemas = new Map(run.messages.filter((m) => m['type'] === 'SCHEMA').map((m) => [String(m['stream']), m['schema'] as Record<string, unknown>]));
    const validators = new Map([...schemas].map(([name, schema]) => [name, ajv.compile(schema)]));
    const invalid: string[] = [];
    for (const message of run.messages.filter((m) => m['type'] === 'RECORD')) {
      const stream = String(message['stream']);
      const record = message['record'] as Record<string, unknown>;
      const validate = validators.get(stream)!;
      if (!validate(record)) invalid.push(`${stream}: ${ajv.errorsText(validate.errors)}`);
      const properties = Object.keys((schemas.get(stream)!['properties'] ?? {}) as object);
      assert.deepEqual(Object.keys(record), properties, `${stream} record has exactly the schema's properties`);
      assert.match(String(message['time_extracted']), RFC3339);
    }
    assert.deepEqual(invalid.slice(0, 5), []);
  });

  test('SCHEMA comes before the first RECORD of its stream and always has key_properties', () => {
    const seen = new Set<string>();
    for (const message of run.messages) {
      if (message['type'] === 'SCHEMA') {
        assert.ok(Array.isArray(message['key_properties']));
        seen.add(String(message['stream']));
      }
      if (message['type'] === 'RECORD') assert.ok(seen.has(String(message['stream'])), `RECORD of ${String(message['stream'])} before its SCHEMA`);
    }
  });

  test('ends with a STATE holding a bookmark per incremental stream, and no STATE repeats', () => {
    const states = run.messages.filter((m) => m['type'] === 'STATE').map((m) => JSON.stringify(m['value']));
    assert.ok(states.length >= 2);
    assert.equal(run.messages.at(-1)!['type'], 'STATE');
    for (let i = 1; i < states.length; i += 1) assert.notEqual(states[i], states[i - 1]);
    const final = JSON.parse(states.at(-1)!) as { bookmarks: Record<string, { replication_key: string; replication_key_value: string }> };
    const incremental = streams.filter((s) => s.replicationKey).map((s) => s.name);
    for (const name of ['workbooks', 'members', 'data_models']) {
      assert.ok(incremental.includes(name));
      assert.match(final.bookmarks[name]!.replication_key_value, RFC3339);
    }
  });

  test('asks each request for the first page without a cursor (the simulator rejects page=1)', () => {
    const stats = sim.stats();
    const badRequests = Object.entries(stats.byEndpoint).filter(([, byStatus]) => (byStatus['400'] ?? 0) > 0);
    assert.deepEqual(badRequests, []);
  });
});
