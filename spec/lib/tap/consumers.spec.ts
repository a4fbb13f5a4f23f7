import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../../fixtures/index.js';
import { validateConfig } from '../../../lib/config/validateConfig.js';
import { createTap, streams } from '../../../lib/index.js';
import { expectedRecords, keyOf } from '../../support/expectedRecords.js';

/** The truth of one stream as sorted keys. */
function truthOf(sim: Simulator, config: Record<string, unknown>, name: string): string[] {
  const definition = streams.find((s) => s.name === name)!;
  return expectedRecords(sim.org, streams, definition, validateConfig(config)).map((r) => keyOf(r, definition.primaryKeys)).sort();
}

describe('consumers of one Tap', () => {
  let sim: Simulator;
  let config: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ seed: 12, sizes: { workbooks: 60 }, faults: { latencyMs: 2 } });
    config = { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, page_size: 20, concurrency: 2 };
  });

  after(() => sim.close());

  test('four concurrent for-await loops share one token and the limit of 2 requests in flight; each gets its stream', async () => {
    sim.resetStats();
    const tap = createTap(config);
    const names = ['workbooks', 'workbook_pages', 'members', 'data_model_columns'] as const;
    const loop = async (name: (typeof names)[number]): Promise<string[]> => {
      const definition = streams.find((s) => s.name === name)!;
      const keys: string[] = [];
      for await (const record of tap.records(name)) keys.push(keyOf(record as unknown as Record<string, unknown>, definition.primaryKeys));
      return keys.sort();
    };
    const results = await Promise.all(names.map(loop));
    names.forEach((name, i) => assert.deepEqual(results[i], truthOf(sim, config, name), name));
    const stats = sim.stats();
    assert.equal(stats.tokensIssued, 1, 'one token for every loop');
    assert.ok(stats.peakConcurrent <= 2, `at most 2 requests in flight (saw ${stats.peakConcurrent})`);
    assert.ok(stats.totalRequests > 20, 'the loops made their requests');
  });

  test('two Taps of one process with the same credentials share the token', async () => {
    const other = await startSimulator({ seed: 12, sizes: { workbooks: 5 } });
    try {
      const credentials = { api_url: other.url, client_id: other.credentials.admin.clientId, client_secret: other.credentials.admin.clientSecret };
      const [a, b] = [createTap(credentials), createTap(credentials)];
      const count = async (tap: typeof a): Promise<number> => {
        let n = 0;
        for await (const _ of tap.records('workbooks')) n += 1;
        return n;
      };
      const [na, nb] = await Promise.all([count(a), count(b)]);
      assert.equal(na, nb);
      assert.ok(na > 0);
      assert.equal(other.stats().tokensIssued, 1);
    } finally {
      await other.close();
    }
  });

  test('a for-await loop fetches only as it pulls: a paused loop leaves the API idle, breaking cancels', async () => {
    const tap = createTap(config);
    const iterator = tap.records('workbook_elements')[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(first.done, false);
    const atPause = sim.stats().totalRequests;
    // While nobody pulls, the requests in flight complete and nothing else is asked: a few round
    // trips to the simulator give a misbehaving tap every chance to send one.
    let settled = atPause;
    for (let i = 0; i < 20; i += 1) {
      await fetch(`${sim.url}/__stats`);
      settled = sim.stats().totalRequests;
    }
    assert.ok(settled - atPause <= 2, `only the requests in flight when the loop paused completed (${settled - atPause})`);
    for (let i = 0; i < 20; i += 1) await fetch(`${sim.url}/__stats`);
    assert.equal(sim.stats().totalRequests, settled, 'and then none');
    await iterator.return?.();
  });

  test('the Readable piped into a slow Writable holds at most its highWaterMark plus one page of records', async () => {
    const tap = createTap(config);
    const readable = tap.singerStream();
    let maxHeld = 0;
    let largestChunk = 0;
    let lines = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        maxHeld = Math.max(maxHeld, readable.readableLength);
        largestChunk = Math.max(largestChunk, chunk.length);
        lines += chunk.toString().split('\n').length - 1;
        // Slow: each chunk is acknowledged only after the simulator answered a round trip.
        void fetch(`${sim.url}/__stats`).then(() => callback(), callback);
      },
    });
    await pipeline(readable, slow);
    assert.ok(lines > 1000, `the sync ran (${lines} lines)`);
    assert.ok(maxHeld <= readable.readableHighWaterMark + largestChunk, `held ${maxHeld} bytes, highWaterMark ${readable.readableHighWaterMark}, largest chunk ${largestChunk}`);
  });
});
