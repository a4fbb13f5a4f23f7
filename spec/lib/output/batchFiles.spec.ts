import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Subject, lastValueFrom, toArray } from 'rxjs';
import { TapSigmaError } from '../../../lib/errors.js';
import { EXACT_NUMBER_MARKER } from '../../../lib/json/exactNumbers.js';
import { BatchFiles } from '../../../lib/output/batchFiles.js';
import type { BatchSettings } from '../../../lib/output/batchSettings.js';
import type { OutputItem } from '../../../lib/output/singerOutput.js';
import type { BatchMessage, SingerMessage } from '../../../lib/singer/messages.js';
import type { SigmaRecord } from '../../../lib/streams/streamDefinition.js';

const scratch = mkdtempSync(join(tmpdir(), 'tap-sigma-batch-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let folders = 0;

const settings = (overrides: Partial<BatchSettings> = {}): BatchSettings => ({
  encoding: { format: 'jsonl', compression: 'gzip' },
  folder: join(scratch, `run-${(folders += 1)}`),
  prefix: 'p-',
  batchSize: 3,
  ...overrides,
});
const records = (stream: string, ...ids: number[]): OutputItem => ({ kind: 'records', batch: { stream, records: ids.map((id) => ({ id })), timeExtracted: '2024-01-01T00:00:00.000Z' } });
const message = (m: SingerMessage): OutputItem => ({ kind: 'message', message: m });
const STATE = message({ type: 'STATE', value: { bookmarks: {} } });

/** A file's records; throws for a file that is not complete (gunzip needs the gzip trailer). */
function fileRecords(url: string, compression: 'gzip' | 'none' = 'gzip'): SigmaRecord[] {
  const bytes = readFileSync(fileURLToPath(url));
  const text = (compression === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SigmaRecord);
}

/** Runs items through the files, then reads the file of every BATCH message. */
async function run(items: readonly OutputItem[], options: Partial<BatchSettings> = {}): Promise<Array<SingerMessage & { records?: SigmaRecord[] }>> {
  const files = new BatchFiles({ settings: settings(options), tapName: 'tap-sigma', onUnserializable: () => undefined });
  const source = new Subject<OutputItem>();
  const seen: Array<SingerMessage & { records?: SigmaRecord[] }> = [];
  const done = lastValueFrom(files.write(source).pipe(toArray()));
  for (const item of items) source.next(item);
  source.complete();
  for (const item of await done) {
    assert.equal(item.kind, 'message', 'no RECORD batch passes through');
    if (item.kind !== 'message') continue;
    const m = item.message;
    seen.push(m.type === 'BATCH' ? { ...m, records: m.manifest.flatMap((url) => fileRecords(url, m.encoding.compression)) } : m);
  }
  return seen;
}

describe('BatchFiles', () => {
  test('writes each stream’s records to gzip JSON Lines files of at most batch_size records, one BATCH message per file', async () => {
    const out = await run([message({ type: 'SCHEMA', stream: 'a', schema: {}, key_properties: ['id'] }), records('a', 1, 2), records('b', 10), records('a', 3, 4, 5, 6, 7)]);
    const batches = out.filter((m): m is BatchMessage & { records: SigmaRecord[] } => m.type === 'BATCH');
    assert.equal(out[0]!.type, 'SCHEMA');
    assert.deepEqual(
      batches.map((b) => [b.stream, b.records.map((r) => r['id'])]),
      [
        ['a', [1, 2, 3]],
        ['a', [4, 5, 6]],
        ['b', [10]],
        ['a', [7]],
      ],
      'the open files are completed in the order they were opened',
    );
    for (const b of batches) {
      assert.deepEqual(b.encoding, { format: 'jsonl', compression: 'gzip' });
      assert.equal(b.manifest.length, 1);
      assert.match(b.manifest[0]!, /^file:\/\/\/.*\/p-tap-sigma--[ab]-[0-9a-f-]{36}-\d\.json\.gz$/);
      assert.equal('version' in b, false);
    }
    const [first, second] = batches;
    assert.equal(first!.manifest[0]!.replace(/-\d\.json\.gz$/, ''), second!.manifest[0]!.replace(/-\d\.json\.gz$/, ''), 'one run id per stream');
  });

  test('a STATE comes after the BATCH messages of every file with records before it', async () => {
    const out = await run([records('a', 1), records('b', 2), STATE, records('a', 3)]);
    assert.deepEqual(
      out.map((m) => (m.type === 'BATCH' ? `BATCH ${m.stream} ${m.records!.map((r) => r['id']).join(',')}` : m.type)),
      ['BATCH a 1', 'BATCH b 2', 'STATE', 'BATCH a 3'],
    );
  });

  test('an ACTIVATE_VERSION comes after its own stream’s files only; BATCH carries the records’ version', async () => {
    const versioned: OutputItem = { kind: 'records', batch: { stream: 'a', records: [{ id: 1 }], timeExtracted: '2024-01-01T00:00:00.000Z', version: 1700000000 } };
    const out = await run([versioned, records('b', 2), message({ type: 'ACTIVATE_VERSION', stream: 'a', version: 1700000000 }), records('b', 3)]);
    assert.deepEqual(
      out.map((m) => `${m.type} ${'stream' in m ? m.stream : ''}`),
      ['BATCH a', 'ACTIVATE_VERSION a', 'BATCH b'],
    );
    assert.equal((out[0] as BatchMessage).version, 1700000000);
    assert.deepEqual(out[2]!.records!.map((r) => r['id']), [2, 3]);
  });

  test('exact numbers are written as the number tokens Sigma sent; compression none writes plain .json files', async () => {
    const exact: OutputItem = { kind: 'records', batch: { stream: 'a', records: [{ id: `${EXACT_NUMBER_MARKER}12345678901234567890` }], timeExtracted: '2024-01-01T00:00:00.000Z', exactNumbers: true } };
    const plain = await run([exact], { encoding: { format: 'jsonl', compression: 'none' } });
    const file = (plain[0] as BatchMessage).manifest[0]!;
    assert.deepEqual((plain[0] as BatchMessage).encoding, { format: 'jsonl', compression: 'none' });
    assert.match(file, /\.json$/);
    assert.equal(readFileSync(fileURLToPath(file), 'utf8'), '{"id":12345678901234567890}\n');
  });

  test('closes its gate while a file buffers beyond its high-water mark, and opens it once the file drained', async () => {
    const files = new BatchFiles({ settings: settings({ batchSize: 100_000 }), tapName: 'tap-sigma', onUnserializable: () => undefined });
    const source = new Subject<OutputItem>();
    const done = lastValueFrom(files.write(source).pipe(toArray()));
    const big: OutputItem = { kind: 'records', batch: { stream: 'a', records: Array.from({ length: 2000 }, (_, id) => ({ id, text: 'x'.repeat(40) })), timeExtracted: '2024-01-01T00:00:00.000Z' } };
    assert.equal(files.gate.open, true);
    source.next(big);
    assert.equal(files.gate.open, false, 'closed by the write that filled the buffer');
    await new Promise<void>((resolve) => files.gate.onOpen(resolve));
    assert.equal(files.gate.open, true);
    source.next(records('a', 1));
    source.complete();
    const out = await done;
    const batch = out[0]!.kind === 'message' ? (out[0]!.message as BatchMessage) : undefined;
    assert.equal(fileRecords(batch!.manifest[0]!).length, 2001);
  });

  test('deletes the files no BATCH message names when the output is unsubscribed', async () => {
    const options = settings({ batchSize: 100_000 });
    const files = new BatchFiles({ settings: options, tapName: 'tap-sigma', onUnserializable: () => undefined });
    const source = new Subject<OutputItem>();
    const subscription = files.write(source).subscribe();
    source.next({ kind: 'records', batch: { stream: 'a', records: Array.from({ length: 2000 }, (_, id) => ({ id, text: 'x'.repeat(40) })), timeExtracted: '2024-01-01T00:00:00.000Z' } });
    // Drained: the file is open and holds a first part of the records.
    await new Promise<void>((resolve) => files.gate.onOpen(resolve));
    assert.equal(readdirSync(options.folder).length, 1);
    subscription.unsubscribe();
    assert.deepEqual(readdirSync(options.folder), []);
  });

  test('a folder it cannot create ends the output with one line naming it', async () => {
    const blocker = join(scratch, 'a-file');
    writeFileSync(blocker, '');
    const files = new BatchFiles({ settings: settings({ folder: join(blocker, 'batches') }), tapName: 'tap-sigma', onUnserializable: () => undefined });
    const source = new Subject<OutputItem>();
    const done = lastValueFrom(files.write(source).pipe(toArray()));
    source.next(records('a', 1));
    source.complete();
    await assert.rejects(done, (error: unknown) => error instanceof TapSigmaError && error.message.startsWith(`batch_config: cannot create the folder ${join(blocker, 'batches')}: `));
  });
});
