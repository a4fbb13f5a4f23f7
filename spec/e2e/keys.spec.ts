import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import type { JsonSchema } from '../../lib/streams/streamDefinition.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

/** What loaders accept in a key column: a non-empty string or a finite number. */
const usableKey = (value: unknown): boolean => (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));

const allowsNull = (schema: JsonSchema | undefined): boolean => {
  if (schema === undefined) return true;
  if (schema.anyOf) return schema.anyOf.some(allowsNull);
  if (schema.type === undefined) return true;
  return Array.isArray(schema.type) ? schema.type.includes('null') : schema.type === 'null';
};

describe('key properties never hold null (what loaders such as target-postgres require)', () => {
  let sim: Simulator;
  let run: CliResult;
  let rawConfig: Record<string, unknown>;

  before(async () => {
    // Archived documents too, for every variant Sigma's lists can hold.
    sim = await startSimulator({ seed: 11 });
    rawConfig = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, include_archived: true };
    run = await runCli(['--config', writeJson('config.json', rawConfig)]);
  });

  after(() => sim.close());

  test('in every stream’s discovered schema a key property is required and its type excludes null', async () => {
    const discovered = await runCli(['--config', writeJson('config.json', rawConfig), '--discover'], { parse: false });
    const catalog = JSON.parse(discovered.stdout) as { streams: Array<{ stream: string; schema: JsonSchema; key_properties: string[] }> };
    assert.equal(catalog.streams.length, streams.length);
    const problems: string[] = [];
    for (const entry of catalog.streams) {
      assert.ok(entry.key_properties.length > 0, `${entry.stream} has a key`);
      for (const key of entry.key_properties) {
        if (allowsNull(entry.schema.properties?.[key])) problems.push(`${entry.stream}.${key} allows null: ${JSON.stringify(entry.schema.properties?.[key])}`);
        if (!(entry.schema.required ?? []).includes(key)) problems.push(`${entry.stream}.${key} is not required`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test('in every record of every stream, from a full sync, with no entry dropped for want of a key', () => {
    assert.equal(run.code, 0, run.stderr);
    const schemas = new Map(run.messages.filter((m) => m['type'] === 'SCHEMA').map((m) => [String(m['stream']), m['key_properties'] as string[]]));
    const byStream = recordsByStream(run.messages);
    const problems: string[] = [];
    for (const stream of streams) {
      const keys = schemas.get(stream.name);
      assert.deepEqual(keys, stream.primaryKeys, `${stream.name} SCHEMA key_properties`);
      const records = byStream.get(stream.name) ?? [];
      if (records.length === 0) problems.push(`${stream.name}: no records to check`);
      const bad = records.filter((record) => !keys!.every((key) => usableKey(record[key])));
      if (bad.length > 0) problems.push(`${stream.name}: ${bad.length} records with a null or empty key, e.g. ${JSON.stringify(keys!.map((k) => bad[0]![k]))}`);
    }
    assert.deepEqual(problems, []);
    assert.doesNotMatch(run.stderr, /no usable primary key/);
  });

  test('a translation without a language variant (lng_variant null) keeps its record, keyed by translationKey', () => {
    const translations = streams.find((s) => s.name === 'translations')!;
    const truth = expectedRecords(sim.org, streams, translations, validateConfig(rawConfig));
    const withoutVariant = truth.filter((t) => t['lng_variant'] === null);
    assert.ok(withoutVariant.length > 0, 'the organization has a language without a variant');
    const emitted = new Map((recordsByStream(run.messages).get('translations') ?? []).map((r) => [r['translationKey'], r]));
    for (const entry of withoutVariant) {
      const record = emitted.get(`${String(entry['lng'])}|`);
      assert.ok(record, `translation ${String(entry['lng'])} is emitted`);
      assert.equal(record['lng_variant'], null);
    }
  });
});
