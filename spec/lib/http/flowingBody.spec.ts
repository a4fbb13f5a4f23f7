import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { RequestCancelledError } from '../../../lib/errors.js';
import { SwitchGate } from '../../../lib/http/demandGate.js';
import { BodyInterruptedError, flowingBody } from '../../../lib/http/flowingBody.js';

/** Lets stream and promise callbacks run (setImmediate is not among the mocked timers). */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** A body, its chunks pulled as fast as they come, and what happened to the pull. */
function pullAll(body: PassThrough, gate: SwitchGate, signal?: AbortSignal) {
  const seen: string[] = [];
  const state: { error: unknown; done: boolean } = { error: undefined, done: false };
  void (async () => {
    try {
      for await (const chunk of flowingBody(body, { gate, idleMs: 1_000, onIdle: () => body.destroy(new Error('aborted')), ...(signal ? { signal } : {}) })) seen.push(chunk.toString());
      state.done = true;
    } catch (error) {
      state.error = error;
    }
  })();
  return { seen, state };
}

describe('flowingBody', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());

  test('a body that keeps making progress is never cut, however long it takes in all', async () => {
    const body = new PassThrough();
    const { seen, state } = pullAll(body, new SwitchGate(true));
    for (let i = 0; i < 20; i += 1) {
      mock.timers.tick(900);
      body.write(`chunk ${i}`);
      await settle();
    }
    body.end();
    await settle();
    assert.equal(seen.length, 20);
    assert.deepEqual(state, { error: undefined, done: true });
  });

  test('no chunk within idleMs of asking for one fails the body as DEADLINE', async () => {
    const body = new PassThrough();
    const { state } = pullAll(body, new SwitchGate(true));
    body.write('first');
    await settle();
    mock.timers.tick(1_000);
    await settle();
    assert.ok(state.error instanceof BodyInterruptedError);
    assert.equal(state.error.code, 'DEADLINE');
  });

  test('nothing is pulled while the gate is closed, and that time is not counted', async () => {
    const body = new PassThrough({ highWaterMark: 16 });
    const gate = new SwitchGate(true);
    const { seen, state } = pullAll(body, gate);
    body.write('a');
    await settle();
    gate.set(false);
    body.write('b');
    await settle();
    const pulled = seen.length;
    mock.timers.tick(60_000);
    await settle();
    assert.equal(state.error, undefined, 'a minute paused by the consumer is no stall');
    assert.equal(seen.length, pulled, 'no chunk pulled while closed');
    gate.set(true);
    await settle();
    assert.deepEqual(seen.join(''), 'ab');
    body.end();
    await settle();
    assert.equal(state.done, true);
  });

  test('a broken connection is a BodyInterruptedError with its code; the tap’s own abort a cancellation', async () => {
    const broken = new PassThrough();
    const first = pullAll(broken, new SwitchGate(true));
    broken.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await settle();
    assert.ok(first.state.error instanceof BodyInterruptedError);
    assert.equal(first.state.error.code, 'ECONNRESET');

    const controller = new AbortController();
    const closed = new SwitchGate(false);
    const second = pullAll(new PassThrough(), closed, controller.signal);
    controller.abort();
    await settle();
    assert.ok(second.state.error instanceof RequestCancelledError);
  });
});
