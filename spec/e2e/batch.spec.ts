import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { lastValueFrom, toArray } from 'rxjs';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { createTap } from '../../lib/index.js';
import { RESUME_KEY } from '../../lib/singer/stateTracker.js';
import { catalogEntryOf } from '../../lib/tap/streamPlan.js';
import { streams } from '../../pipelines/index.js';
import { keyOf } from '../support/expectedRecords.js';
import { type CliResult, recordsByStream, runCli, writeJson } from '../support/runCli.js';

type Message = Record<string, unknown>;
type Row = Record<string, unknown>;
const BATCH_SIZE = 500;
const keysOf = new Map(streams.map((s) => [s.name, s.primaryKeys]));
const rootOf = (name: string): string => {
  const parent = streams.find((s) => s.name === name)!.parent;
  return parent === undefined ? name : rootOf(parent);
};

/** The records of one BATCH file; gunzip throws for a file that is not a complete gzip stream. */
function batchFileRecords(url: string): Row[] {
  const bytes = readFileSync(fileURLToPath(url));
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], `${url} is gzip`);
  return gunzipSync(bytes)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Row);
}

describe('BATCH messages (batch_config)', () => {
  let sim: Simulator;
  let folder: string;
  let credentials: Record<string, unknown>;
  let plain: CliResult;
  let batched: CliResult;
  const batchConfig = () => ({ encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: pathToFileURL(folder).href, prefix: 'sigma-' }, batch_size: BATCH_SIZE });

  before(async () => {
    sim = await startSimulator({ seed: 3 });
    folder = mkdtempSync(join(tmpdir(), 'tap-sigma-batch-e2e-'));
    credentials = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret };
    plain = await runCli(['--config', writeJson('config.json', credentials)]);
    batched = await runCli(['--config', writeJson('config.json', { ...credentials, batch_config: batchConfig() })]);
  });

  after(() => {
    rmSync(folder, { recursive: true, force: true });
    return sim.close();
  });

  const batches = (): Message[] => batched.messages.filter((m) => m['type'] === 'BATCH');

  test('emits SCHEMA, BATCH and STATE messages only, BATCH in the SDK’s shape', () => {
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(batched.code, 0, batched.stderr);
    assert.deepEqual([...new Set(batched.messages.map((m) => m['type']))].sort(), ['BATCH', 'SCHEMA', 'STATE']);
    assert.deepEqual(
      batched.messages.filter((m) => m['type'] === 'SCHEMA'),
      plain.messages.filter((m) => m['type'] === 'SCHEMA'),
    );
    for (const message of batches()) {
      assert.deepEqual(Object.keys(message), ['type', 'stream', 'encoding', 'manifest']);
      assert.deepEqual(message['encoding'], { format: 'jsonl', compression: 'gzip' });
      const manifest = message['manifest'] as string[];
      assert.equal(manifest.length, 1);
      assert.ok(manifest[0]!.startsWith(`${pathToFileURL(folder).href}/sigma-tap-sigma--${String(message['stream'])}-`), manifest[0]);
    }
  });

  test('its files hold exactly the records of a RECORD run: the same count and the same (stream, key) set', () => {
    const fromRecords = recordsByStream(plain.messages);
    const fromFiles = new Map<string, Row[]>();
    for (const message of batches()) {
      const rows = (message['manifest'] as string[]).flatMap(batchFileRecords);
      assert.ok(rows.length > 0 && rows.length <= BATCH_SIZE, `a file holds 1 to batch_size records, not ${rows.length}`);
      fromFiles.set(String(message['stream']), [...(fromFiles.get(String(message['stream'])) ?? []), ...rows]);
    }
    const count = (byStream: Map<string, Row[]>) => [...byStream.values()].reduce((n, rows) => n + rows.length, 0);
    assert.equal(count(fromFiles), count(fromRecords));
    assert.ok(count(fromFiles) > 10 * BATCH_SIZE, 'several files');
    assert.deepEqual([...fromFiles.keys()].sort(), [...fromRecords.keys()].sort());
    for (const [stream, rows] of fromRecords) {
      const keys = keysOf.get(stream)!;
      assert.deepEqual(fromFiles.get(stream)!.map((r) => keyOf(r, keys)).sort(), rows.map((r) => keyOf(r, keys)).sort(), stream);
    }
  });

  test('every manifest names an existing gzip file, each file once; the folder holds nothing else', () => {
    const named = batches().flatMap((m) => (m['manifest'] as string[]).map((url) => fileURLToPath(url)));
    assert.equal(new Set(named).size, named.length);
    assert.deepEqual(readdirSync(folder).map((name) => join(folder, name)).sort(), [...named].sort());
  });

  test('a STATE comes only after the files of the records it covers: every stream tree it marks complete is in files named before it', () => {
    const truth = recordsByStream(plain.messages);
    const inFiles = new Map<string, Set<string>>();
    let checked = 0;
    for (const message of batched.messages) {
      if (message['type'] === 'BATCH') {
        const stream = String(message['stream']);
        const keys = keysOf.get(stream)!;
        const seen = inFiles.get(stream) ?? new Set<string>();
        for (const row of (message['manifest'] as string[]).flatMap(batchFileRecords)) seen.add(keyOf(row, keys));
        inFiles.set(stream, seen);
      }
      if (message['type'] !== 'STATE') continue;
      const completed = ((message['value'] as Row)[RESUME_KEY] as { completed?: string[] } | undefined)?.completed ?? [];
      for (const [stream, rows] of truth) {
        if (!completed.includes(rootOf(stream))) continue;
        const keys = keysOf.get(stream)!;
        const missing = rows.filter((row) => !inFiles.get(stream)?.has(keyOf(row, keys)));
        assert.equal(missing.length, 0, `${stream}: ${missing.length} records of a completed tree are in no file named before the STATE`);
        checked += 1;
      }
    }
    assert.ok(checked > 0, 'some STATE marks trees complete');
    assert.equal(batched.messages.at(-1)!['type'], 'STATE', 'the final STATE comes after the last BATCH');
  });

  test('tap.messages() writes the same files and emits BATCH messages too', async () => {
    const own = mkdtempSync(join(tmpdir(), 'tap-sigma-batch-lib-'));
    try {
      const tap = createTap({ ...credentials, batch_config: { ...batchConfig(), storage: { root: own } } });
      const catalog = { streams: streams.filter((s) => ['members', 'teams'].includes(s.name)).map(catalogEntryOf) };
      const messages = (await lastValueFrom(tap.messages({ catalog }).pipe(toArray()))) as unknown as Message[];
      assert.ok(!messages.some((m) => m['type'] === 'RECORD'));
      const rows = messages.filter((m) => m['type'] === 'BATCH' && m['stream'] === 'members').flatMap((m) => (m['manifest'] as string[]).flatMap(batchFileRecords));
      assert.equal(rows.length, recordsByStream(plain.messages).get('members')!.length);
      assert.deepEqual(readdirSync(own).sort(), messages.filter((m) => m['type'] === 'BATCH').flatMap((m) => (m['manifest'] as string[]).map((url) => fileURLToPath(url).slice(own.length + 1))).sort());
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  test('SIGTERM: the files in progress are completed and named before the final STATE; none is left unnamed', async () => {
    const own = mkdtempSync(join(tmpdir(), 'tap-sigma-batch-term-'));
    try {
      const config = { ...credentials, concurrency: 1, batch_config: { ...batchConfig(), storage: { root: own }, batch_size: 50 } };
      const stopped = await runCli(['--config', writeJson('config.json', config)], {
        onSpawn: (child) => child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('"type":"BATCH"') && !child.killed && child.kill('SIGTERM')),
      });
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.equal(stopped.messages.at(-1)!['type'], 'STATE');
      const named = stopped.messages.filter((m) => m['type'] === 'BATCH').flatMap((m) => m['manifest'] as string[]);
      const rows = named.flatMap(batchFileRecords);
      assert.ok(rows.length > 0 && rows.length < plain.messages.filter((m) => m['type'] === 'RECORD').length, 'stopped before the end');
      assert.deepEqual(readdirSync(own).sort(), named.map((url) => fileURLToPath(url).slice(own.length + 1)).sort());
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  test('a batch_config tap-sigma cannot write is one line on stderr and exit 1, before any output', async () => {
    const run = await runCli(['--config', writeJson('config.json', { ...credentials, batch_config: { encoding: { format: 'parquet' }, storage: { root: folder } } })]);
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, 'tap-sigma: config: batch_config.encoding.format: only "jsonl" is supported, got "parquet"\n');
  });
});
