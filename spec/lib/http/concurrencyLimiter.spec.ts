import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConcurrencyLimiter } from '../../../lib/http/concurrencyLimiter.js';

describe('ConcurrencyLimiter', () => {
  test('never lets more than max in flight and serves waiters in order', async () => {
    const limiter = new ConcurrencyLimiter({ max: 2 });
    const order: number[] = [];
    const releases = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const third = limiter.acquire().then((release) => {
      order.push(3);
      return release;
    });
    const fourth = limiter.acquire().then((release) => {
      order.push(4);
      return release;
    });
    assert.equal(limiter.inFlight, 2);
    releases[0]!();
    releases[0]!();
    (await third)();
    releases[1]!();
    (await fourth)();
    assert.deepEqual(order, [3, 4]);
    assert.equal(limiter.peakInFlight, 2);
    assert.equal(limiter.inFlight, 0);
  });

  test('halves on a throttle and recovers one slot per recoverAfter successes', () => {
    const limiter = new ConcurrencyLimiter({ max: 8, recoverAfter: 2 });
    limiter.throttled();
    assert.equal(limiter.limit, 4);
    limiter.throttled();
    limiter.throttled();
    limiter.throttled();
    assert.equal(limiter.limit, 1);
    limiter.succeeded();
    limiter.succeeded();
    assert.equal(limiter.limit, 2);
  });
});
