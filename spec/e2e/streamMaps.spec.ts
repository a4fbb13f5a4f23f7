import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { lastValueFrom, toArray } from 'rxjs';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { createTap } from '../../lib/index.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => Ajv };
type Message = Record<string, unknown>;
type Row = Record<string, unknown>;

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const catalogOf = (...names: string[]) => ({ streams: streams.filter((s) => names.includes(s.name)).map(catalogEntryOf) });
const schemaOf = (messages: readonly Message[], stream: string): Message | undefined => messages.find((m) => m['type'] === 'SCHEMA' && m['stream'] === stream);
const streamsIn = (messages: readonly Message[], type: string): string[] => [...new Set(messages.filter((m) => m['type'] === type).map((m) => String(m['stream'])))].sort();

// The SDK documentation's examples, on Sigma's streams: alias a stream, drop a PII property and add
// its domain and hashes (one seeded from stream_map_config), filter records, drop a stream.
const HASH_SEED = '01AWZh7A6DzGm6iJZZ2T';
const MAPS = {
  stream_maps: {
    members: { __alias__: 'people', email: null, email_domain: "email.split('@')[-1]", email_md5: 'md5(email)', email_sha256: "sha256(config['hash_seed'] + email)" },
    teams: { __filter__: "visibility == 'public'" },
    workbooks: null,
  },
  stream_map_config: { hash_seed: HASH_SEED },
};
const MAPPED_CATALOG = catalogOf('members', 'teams', 'workbooks', 'workbook_pages');

describe('stream maps and flattening, end to end', () => {
  let sim: Simulator;
  let credentials: Record<string, unknown>;
  let mapped: CliResult;
  const truth = (name: string): Row[] => expectedRecords(sim.org, streams, streams.find((s) => s.name === name)!, validateConfig(credentials));

  before(async () => {
    sim = await startSimulator({ seed: 5 });
    credentials = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
    mapped = await runCli(['--config', writeJson('config.json', { ...credentials, ...MAPS }), '--catalog', writeJson('catalog.json', MAPPED_CATALOG)]);
    assert.equal(mapped.code, 0, mapped.stderr);
  });

  after(() => sim.close());

  test('__alias__: members are emitted as people, and the bookmark stays under members', () => {
    assert.deepEqual(streamsIn(mapped.messages, 'SCHEMA'), ['people', 'teams', 'workbook_pages']);
    assert.deepEqual(streamsIn(mapped.messages, 'RECORD'), ['people', 'teams', 'workbook_pages']);
    const people = schemaOf(mapped.messages, 'people')!;
    assert.deepEqual(people['key_properties'], ['memberId']);
    assert.deepEqual(people['bookmark_properties'], ['updatedAt']);
    const finalState = mapped.messages.at(-1)!;
    assert.equal(finalState['type'], 'STATE');
    const bookmarks = (finalState['value'] as { bookmarks: Record<string, unknown> }).bookmarks;
    assert.ok(bookmarks['members'], 'bookmark under the Sigma stream');
    assert.equal(bookmarks['people'], undefined);
  });

  test('hashing PII: email is gone from SCHEMA and RECORDs; its domain, md5 and seeded sha256 are there', () => {
    const properties = (schemaOf(mapped.messages, 'people')!['schema'] as { properties: Record<string, unknown> }).properties;
    assert.equal(properties['email'], undefined);
    for (const name of ['email_domain', 'email_md5', 'email_sha256']) assert.ok(properties[name], name);
    const people = recordsByStream(mapped.messages).get('people')!;
    const members = truth('members');
    assert.equal(people.length, members.length);
    const byId = new Map(members.map((m) => [m['memberId'], String(m['email'])]));
    for (const person of people) {
      const email = byId.get(person['memberId'])!;
      assert.equal('email' in person, false);
      assert.equal(person['email_domain'], email.split('@').at(-1));
      assert.equal(person['email_md5'], md5(email));
      assert.equal(person['email_sha256'], sha256(HASH_SEED + email));
    }
  });

  test('__filter__: only the public teams', () => {
    const publicTeams = truth('teams').filter((t) => t['visibility'] === 'public');
    assert.ok(publicTeams.length > 0 && publicTeams.length < truth('teams').length, 'the organization has teams of both kinds');
    assert.deepEqual(
      recordsByStream(mapped.messages)
        .get('teams')!
        .map((t) => t['teamId'])
        .sort(),
      publicTeams.map((t) => t['teamId']).sort(),
    );
  });

  test('a stream mapped to null emits nothing, and its children are still extracted', () => {
    assert.equal(schemaOf(mapped.messages, 'workbooks'), undefined);
    const pages = recordsByStream(mapped.messages).get('workbook_pages')!;
    assert.deepEqual(pages.map((p) => `${String(p['workbookId'])}/${String(p['pageId'])}`).sort(), truth('workbook_pages').map((p) => `${String(p['workbookId'])}/${String(p['pageId'])}`).sort());
  });

  test('tap.messages() gives the CLI’s messages for the same config', async () => {
    const tap = createTap({ ...credentials, ...MAPS });
    const messages = (await lastValueFrom(tap.messages({ catalog: MAPPED_CATALOG }).pipe(toArray()))) as unknown as Message[];
    const comparable = (list: readonly Message[]) => list.filter((m) => m['type'] !== 'STATE').map(({ time_extracted: _t, ...rest }) => JSON.stringify(rest)).sort();
    assert.deepEqual(comparable(messages), comparable(mapped.messages));
  });

  test('tap.records() reads the stream as its schema describes it, whatever the stream maps say', async () => {
    const tap = createTap({ ...credentials, ...MAPS, flattening_enabled: true, flattening_max_depth: 1 });
    const members = [];
    for await (const member of tap.records('members')) members.push(member);
    assert.equal(members.length, truth('members').length);
    assert.ok(members.every((m) => typeof m.email === 'string' && !('email_md5' in m)));
    const workbooks = await lastValueFrom(tap.records('workbooks').pipe(toArray()));
    assert.equal(workbooks.length, truth('workbooks').length, 'a stream mapped to null is still there');
  });

  test('"__else__": null, at the top and in a map: only members, with only their key and email; nothing else is requested', async () => {
    const before = sim.stats().byEndpoint;
    const run = await runCli(['--config', writeJson('config.json', { ...credentials, stream_maps: { members: { email: 'email', __else__: null }, __else__: null } })]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(streamsIn(run.messages, 'SCHEMA'), ['members']);
    const schema = schemaOf(run.messages, 'members')!;
    assert.deepEqual(Object.keys((schema['schema'] as { properties: object }).properties), ['memberId', 'email']);
    const records = recordsByStream(run.messages).get('members')!;
    assert.equal(records.length, truth('members').length);
    assert.ok(records.every((r) => Object.keys(r).join() === 'memberId,email'));
    const requested = Object.entries(sim.stats().byEndpoint)
      .filter(([endpoint, counts]) => Object.values(counts).reduce((a, b) => a + b, 0) > Object.values(before[endpoint] ?? {}).reduce((a, b) => a + b, 0))
      .map(([endpoint]) => endpoint)
      .filter((endpoint) => endpoint.startsWith('GET'));
    assert.deepEqual(requested, ['GET /v2.1/members']);
  });

  test('flattening: workbook schedules’ nested configV2 becomes configV2__* columns in SCHEMA and RECORD', async () => {
    const run = await runCli(['--config', writeJson('config.json', { ...credentials, flattening_enabled: true, flattening_max_depth: 1 }), '--catalog', writeJson('catalog.json', catalogOf('workbook_schedules'))]);
    assert.equal(run.code, 0, run.stderr);
    const schema = schemaOf(run.messages, 'workbook_schedules')!['schema'] as { properties: Record<string, { type?: unknown }> };
    const columns = Object.keys(schema.properties);
    assert.ok(columns.includes('configV2__title') && columns.includes('schedule__cronSpec'), columns.join(', '));
    assert.ok(!columns.includes('configV2'));
    assert.ok(Object.values(schema.properties).every((p) => !JSON.stringify(p.type ?? '').includes('object')), 'no object column is left');
    const validate = addFormats.default(new Ajv({ strict: false })).compile(schema);
    const records = recordsByStream(run.messages).get('workbook_schedules')!;
    const byId = new Map(truth('workbook_schedules').map((s) => [s['scheduledNotificationId'], s]));
    assert.equal(records.length, byId.size);
    for (const record of records) {
      assert.ok(validate(record), JSON.stringify(validate.errors));
      assert.deepEqual(Object.keys(record), columns);
      const source = byId.get(record['scheduledNotificationId'])!;
      const config = source['configV2'] as Row;
      assert.equal(record['configV2__title'], config['title'] ?? null);
      assert.equal(record['schedule__cronSpec'], (source['schedule'] as Row)['cronSpec']);
      // Deeper objects and arrays are JSON strings, as the SDK writes them.
      for (const [name, value] of Object.entries(config)) {
        if (typeof value === 'object' && value !== null) assert.deepEqual(JSON.parse(String(record[`configV2__${name}`])), value);
      }
    }
  });

  test('stream maps from the environment (--config ENV) take JSON', async () => {
    const env = {
      TAP_SIGMA_API_URL: sim.url,
      TAP_SIGMA_CLIENT_ID: sim.credentials.admin.clientId,
      TAP_SIGMA_CLIENT_SECRET: sim.credentials.admin.clientSecret,
      TAP_SIGMA_STREAM_MAPS: JSON.stringify({ teams: { __alias__: 'groups' } }),
    };
    const run = await runCli(['--config', 'ENV', '--catalog', writeJson('catalog.json', catalogOf('teams'))], { env });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(streamsIn(run.messages, 'RECORD'), ['groups']);
  });

  test('a mistake in a map is one line on stderr and exit 1, before any output', async () => {
    for (const [maps, message] of [
      [{ members: { email_domain: "email.split('@'" } }, /^tap-sigma: config: stream_maps\.members\.email_domain: /],
      [{ member: { email: null } }, /^tap-sigma: config: stream_maps\.member: tap-sigma has no stream named 'member'$/],
      [{ members: { memberId: null } }, /^tap-sigma: config: stream_maps\.members\.memberId: removing key property 'memberId' is not permitted/],
    ] as const) {
      const run = await runCli(['--config', writeJson('config.json', { ...credentials, stream_maps: maps })]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0]!, message);
    }
  });

  test('an expression that fails on a record ends the run, naming the stream and the property', async () => {
    // profileImgUrl is null for some members: None has no split(), as in Python.
    const run = await runCli(['--config', writeJson('config.json', { ...credentials, stream_maps: { members: { image_host: "profileImgUrl.split('/')[2]" } } }), '--catalog', writeJson('catalog.json', catalogOf('members'))]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /tap-sigma: stream map 'members', property 'image_host': /);
  });
});
