import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { SwitchGate } from '../../../lib/http/demandGate.js';
import { RateLimiter } from '../../../lib/http/rateLimiter.js';

/** Lets pending promise callbacks run (setImmediate is not among the mocked timers). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Acquires and records whether (and when, in mocked time) the permit came. */
function track(promise: Promise<void>): { granted: boolean; at: number | undefined; failed: unknown } {
  const state: { granted: boolean; at: number | undefined; failed: unknown } = { granted: false, at: undefined, failed: undefined };
  promise.then(
    () => {
      state.granted = true;
      state.at = Date.now();
    },
    (error: unknown) => (state.failed = error ?? 'rejected'),
  );
  return state;
}

describe('RateLimiter', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 }));
  afterEach(() => mock.timers.reset());

  test('lets perWindow requests through at once, and the next one when the oldest leaves the window', async () => {
    const limiter = new RateLimiter({ perWindow: 3, windowMs: 60_000 });
    const first = [track(limiter.acquire()), track(limiter.acquire())];
    mock.timers.tick(10_000);
    const third = track(limiter.acquire());
    const fourth = track(limiter.acquire());
    const fifth = track(limiter.acquire());
    await settle();
    assert.deepEqual([...first, third].map((t) => t.granted), [true, true, true]);
    assert.equal(fourth.granted, false);
    mock.timers.tick(49_999);
    await settle();
    assert.equal(fourth.granted, false, 'the first two were sent 59,999 ms ago: still in the window');
    mock.timers.tick(2);
    await settle();
    assert.equal(fourth.granted, true);
    assert.equal(fifth.granted, true, 'both requests sent at 0 left the window together');
    assert.equal(limiter.peakInWindow, 3);
  });

  test('never lets more than perWindow through in any window, however many wait', async () => {
    const limiter = new RateLimiter({ perWindow: 5, windowMs: 1_000 });
    const waiting = Array.from({ length: 23 }, () => track(limiter.acquire()));
    for (let step = 0; step < 100; step += 1) {
      mock.timers.tick(50);
      await settle();
    }
    const times = waiting.map((t) => t.at!);
    assert.ok(waiting.every((t) => t.granted));
    for (const at of times) assert.ok(times.filter((other) => other >= at && other < at + 1_000).length <= 5, `more than 5 within a second of ${at}`);
    assert.equal(limiter.peakInWindow, 5);
  });

  test('a waiter whose gate is closed waits for it without holding up the others', async () => {
    const limiter = new RateLimiter({ perWindow: 10, windowMs: 60_000 });
    const closed = new SwitchGate(false);
    const held = track(limiter.acquire(closed));
    const free = track(limiter.acquire());
    await settle();
    assert.deepEqual([held.granted, free.granted], [false, true]);
    closed.set(true);
    await settle();
    assert.equal(held.granted, true);
  });

  test('pause holds every request back for the time the server asked', async () => {
    const limiter = new RateLimiter({ perWindow: 100, windowMs: 60_000 });
    limiter.pause(2_000);
    const waiting = [track(limiter.acquire()), track(limiter.acquire())];
    mock.timers.tick(1_999);
    await settle();
    assert.deepEqual(waiting.map((t) => t.granted), [false, false]);
    mock.timers.tick(2);
    await settle();
    assert.deepEqual(waiting.map((t) => t.granted), [true, true]);
  });

  test('an aborted wait rejects and uses up no permit', async () => {
    const limiter = new RateLimiter({ perWindow: 1, windowMs: 60_000 });
    const controller = new AbortController();
    track(limiter.acquire());
    const aborted = track(limiter.acquire(undefined, controller.signal));
    const next = track(limiter.acquire());
    controller.abort(new Error('stop'));
    await settle();
    assert.ok(aborted.failed instanceof Error);
    mock.timers.tick(60_001);
    await settle();
    assert.equal(next.granted, true);
    assert.equal(limiter.peakInWindow, 1);
  });
});
