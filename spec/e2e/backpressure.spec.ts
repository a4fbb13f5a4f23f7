import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { request } from '../fixtures/client.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

const STALL = /^DEBUG backpressure: (\d+) requests wait for the output to drain, none in flight$/m;

/** Every (stream, record) of a run, as sorted strings. */
function recordSet(messages: ReadonlyArray<Record<string, unknown>>): string[] {
  return [...recordsByStream(messages)].flatMap(([stream, records]) => records.map((r) => `${stream}:${JSON.stringify(r)}`)).sort();
}

describe('backpressure from a reader that stops', () => {
  let sim: Simulator;
  let config: string;

  before(async () => {
    sim = await startSimulator({ seed: 8, sizes: { workbooks: 150 } });
    config = writeJson('c.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, concurrency: 8 });
  });

  after(() => sim.close());

  test('full catalog: once the requests in flight are done, the API sees none until the reader resumes; nothing lost', async () => {
    const reference = await runCli(['--config', config]);
    assert.equal(reference.code, 0, reference.stderr);
    const referenceRequests = sim.stats().totalRequests;
    sim.resetStats();

    let stalledAt: number | undefined;
    const during: number[] = [];
    const run = await runCli(['--config', config], {
      env: { LOGLEVEL: 'debug' },
      onSpawn: (child) => {
        // The reader never reads until the tap says it is waiting for it.
        child.stdout!.pause();
        let log = '';
        const watch = (chunk: Buffer): void => {
          log += chunk.toString();
          if (!STALL.test(log)) return;
          child.stderr!.off('data', watch);
          stalledAt = sim.stats().totalRequests;
          void (async () => {
            // Twenty round trips to the simulator give the tap's event loop every chance to send a
            // request it should not: each one would show in the counter.
            for (let i = 0; i < 20; i += 1) during.push(((await request(`${sim.url}/__stats`)).json as { totalRequests: number }).totalRequests);
            child.stdout!.resume();
          })();
        };
        child.stderr!.on('data', watch);
      },
    });
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.ok(stalledAt !== undefined, 'the tap reported that it waits for its reader');
    assert.ok(stalledAt < referenceRequests / 2, `the stall came early (${stalledAt} of ${referenceRequests} requests)`);
    assert.deepEqual(during, during.map(() => stalledAt), 'no request reached the API while the reader was stopped');
    assert.ok(sim.stats().peakConcurrent <= 8, 'never more requests in flight than `concurrency`');
    assert.deepEqual(recordSet(run.messages), recordSet(reference.messages));
  });
});
