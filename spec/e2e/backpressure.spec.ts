import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Simulator, startSimulator } from '../../fixtures/index.js';
import { recordsByStream, runCli, writeJson } from '../support/runCli.js';

describe('backpressure from a slow reader of stdout', () => {
  let sim: Simulator;
  let config: string;

  before(async () => {
    sim = await startSimulator({ seed: 8, sizes: { workbooks: 150 } });
    config = writeJson('c.json', { api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret, concurrency: 8 });
  });

  after(() => sim.close());

  test('the tap stops fetching while the reader lags, resumes when it reads, and loses nothing', async () => {
    const reference = await runCli(['--config', config]);
    assert.equal(reference.code, 0, reference.stderr);
    sim.resetStats();

    const samples: number[] = [];
    const run = await runCli(['--config', config], {
      onSpawn: (child) => {
        child.stdout!.once('data', () => {
          child.stdout!.pause();
          void (async () => {
            await sleep(1000); // long enough for the pipe and the writer's buffer to fill
            samples.push(sim.stats().totalRequests);
            await sleep(1000);
            samples.push(sim.stats().totalRequests, sim.stats().inFlight);
            child.stdout!.resume();
          })();
        });
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const [during1, during2, inFlightWhileStalled] = samples;
    assert.equal(during2, during1, 'no request was sent during the second the reader did not read');
    assert.equal(inFlightWhileStalled, 0);
    const total = sim.stats().totalRequests;
    assert.ok(during1! < total / 2, `the stall happened early (${during1} of ${total} requests)`);
    assert.ok(sim.stats().peakConcurrent <= 8, 'never more requests in flight than `concurrency`');

    const keys = (messages: typeof run.messages): string[] =>
      [...recordsByStream(messages)].flatMap(([stream, records]) => records.map((r) => `${stream}:${JSON.stringify(r)}`)).sort();
    assert.deepEqual(keys(run.messages), keys(reference.messages));
  });
});
