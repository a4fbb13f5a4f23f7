import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { SwitchGate } from '../../../lib/http/demandGate.js';
import { RequestLimiter, type Slot } from '../../../lib/http/requestLimiter.js';

/** Slots of `count` acquisitions, all granted at once. */
function takeAll(limiter: RequestLimiter, count: number): Promise<Slot[]> {
  return Promise.all(Array.from({ length: count }, () => limiter.acquire()));
}

/** Whether `promise` has settled after pending callbacks have run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await nextTurn();
  return done;
}

describe('RequestLimiter', () => {
  test('never grants more than the limit; a release lets the next waiter in', async () => {
    const limiter = new RequestLimiter({ max: 3 });
    const slots = await takeAll(limiter, 3);
    const fourth = limiter.acquire();
    assert.equal(await settled(fourth), false);
    assert.equal(limiter.inFlight, 3);
    slots[0]!.release();
    slots[0]!.release();
    const granted = await fourth;
    assert.equal(limiter.inFlight, 3, 'a second release of the same slot frees nothing');
    for (const slot of [...slots, granted]) slot.release();
    assert.equal(limiter.inFlight, 0);
    assert.equal(limiter.peakInFlight, 3);
  });

  test('throttles of one congestion window lower the limit once, to 90%', async () => {
    const limiter = new RequestLimiter({ max: 30 });
    const burst = await takeAll(limiter, 30);
    for (const slot of burst) limiter.throttled(slot);
    assert.equal(limiter.limit, 27, '30 × 0.9, once for the whole burst');
    for (const slot of burst) slot.release();
    const later = await limiter.acquire();
    limiter.throttled(later);
    assert.equal(limiter.limit, 24, 'a request sent after the decrease is a new signal');
    later.release();
  });

  test('below 10 each decrease takes one off, and the limit never falls below 1', async () => {
    const limiter = new RequestLimiter({ max: 3 });
    const seen: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const slot = await limiter.acquire();
      limiter.throttled(slot);
      slot.release();
      seen.push(limiter.limit);
    }
    assert.deepEqual(seen, [2, 1, 1, 1]);
  });

  /** A limiter of `max` lowered once by a throttle. */
  async function throttledOnce(max: number): Promise<RequestLimiter> {
    const limiter = new RequestLimiter({ max });
    const slot = await limiter.acquire();
    limiter.throttled(slot);
    slot.release();
    return limiter;
  }

  /** Successes it takes the limiter to raise its limit by one. */
  function successesToGrow(limiter: RequestLimiter): number {
    const before = limiter.limit;
    let successes = 0;
    while (limiter.limit === before) {
      limiter.succeeded();
      successes += 1;
      assert.ok(successes <= 10_000, 'the limit never grows');
    }
    assert.equal(limiter.limit, before + 1);
    return successes;
  }

  test('grows by one per limit successes, up to concurrency and never beyond', async () => {
    const limiter = await throttledOnce(30);
    assert.equal(limiter.limit, 27);
    assert.deepEqual([successesToGrow(limiter), successesToGrow(limiter), successesToGrow(limiter)], [27, 28, 29]);
    assert.equal(limiter.limit, 30);
    for (let i = 0; i < 1_000; i += 1) limiter.succeeded();
    assert.equal(limiter.limit, 30);
  });

  test('at a small limit, a window is still 8 successes', async () => {
    const limiter = await throttledOnce(5);
    assert.equal(limiter.limit, 4);
    assert.equal(successesToGrow(limiter), 8);
  });

  /**
   * 32 workers against a server that throttles whatever arrives beyond `cap` in flight, and a seeded
   * `randomShare` of the other requests too (injected 429s that say nothing about the cap); each answer
   * takes one turn of the loop. Returns the limits seen at each success of the second half, and the 429s.
   */
  async function simulate(cap: number, randomShare: number): Promise<{ limits: number[]; throttles: number; successes: number }> {
    const limiter = new RequestLimiter({ max: 32 });
    let seed = 7;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const limits: number[] = [];
    let throttles = 0;
    const worker = async (requests: number): Promise<void> => {
      for (let i = 0; i < requests; i += 1) {
        const slot = await limiter.acquire();
        if (limiter.inFlight > cap || random() < randomShare) {
          throttles += 1;
          limiter.throttled(slot);
          slot.release();
          await nextTurn();
          continue;
        }
        await nextTurn();
        limiter.succeeded();
        limits.push(limiter.limit);
        slot.release();
      }
    };
    await Promise.all(Array.from({ length: 32 }, () => worker(250)));
    return { limits: limits.slice(limits.length / 2), throttles, successes: limits.length };
  }

  const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

  test('converges to a server cap and stays there: between the cap and one above', async () => {
    const { limits, throttles, successes } = await simulate(6, 0);
    assert.ok(Math.min(...limits) >= 6, `never below the cap once settled: lowest ${Math.min(...limits)}`);
    assert.ok(Math.max(...limits) <= 7, `never runs away: highest ${Math.max(...limits)}`);
    assert.ok(throttles <= successes / 6, `about one 429 per probe: ${throttles} for ${successes} successes`);
  });

  test('random 429s (3% of requests) do not collapse it', async () => {
    const { limits } = await simulate(6, 0.03);
    assert.ok(mean(limits) >= 6 * 0.8, `mean limit ${mean(limits).toFixed(2)} for a cap of 6`);
    assert.ok(limits.filter((l) => l >= 5).length >= limits.length * 0.75, 'at 5 or more most of the time');
  });

  test('a waiter whose gate is closed does not hold up waiters behind it', async () => {
    const limiter = new RequestLimiter({ max: 1 });
    const closed = new SwitchGate(false);
    const first = limiter.acquire(closed);
    const second = limiter.acquire();
    const slot = await second;
    assert.equal(await settled(first), false, 'the closed gate keeps its waiter out');
    slot.release();
    assert.equal(await settled(first), false, 'a free slot is not enough while the gate is closed');
    closed.set(true);
    (await first).release();
    assert.equal(limiter.inFlight, 0);
  });

  test('a gate that opens while every slot is taken waits for a release', async () => {
    const limiter = new RequestLimiter({ max: 1 });
    const busy = await limiter.acquire();
    const gate = new SwitchGate(false);
    const waiting = limiter.acquire(gate);
    gate.set(true);
    assert.equal(await settled(waiting), false);
    busy.release();
    (await waiting).release();
  });

  test('an abort while waiting rejects with the reason and gives the turn to the next waiter', async () => {
    const limiter = new RequestLimiter({ max: 1 });
    const busy = await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(undefined, controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('stop'));
    await assert.rejects(aborted, /stop/);
    busy.release();
    const slot = await next;
    assert.equal(limiter.inFlight, 1);
    slot.release();
    await assert.rejects(limiter.acquire(undefined, controller.signal), /stop/, 'an aborted signal is refused at once');
    assert.equal(limiter.inFlight, 0);
  });

  test('an abort while the gate is closed removes the waiter', async () => {
    const limiter = new RequestLimiter({ max: 1 });
    const gate = new SwitchGate(false);
    const controller = new AbortController();
    const waiting = limiter.acquire(gate, controller.signal);
    await nextTurn();
    controller.abort(new Error('gone'));
    await assert.rejects(waiting, /gone/);
    gate.set(true);
    await nextTurn();
    assert.equal(limiter.inFlight, 0, 'opening the gate later grants nothing to the aborted waiter');
  });
});
