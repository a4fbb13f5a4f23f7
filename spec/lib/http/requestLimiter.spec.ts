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

  test('throttles of one congestion window lower the limit once', async () => {
    const limiter = new RequestLimiter({ max: 8 });
    const burst = await takeAll(limiter, 8);
    for (const slot of burst) limiter.throttled(slot);
    assert.equal(limiter.limit, 6, '8 × 0.75, once for the whole burst');
    for (const slot of burst) slot.release();
    const later = await limiter.acquire();
    limiter.throttled(later);
    assert.equal(limiter.limit, 4, 'a request sent after the decrease is a new signal');
    later.release();
  });

  test('the limit never falls below 1', async () => {
    const limiter = new RequestLimiter({ max: 2 });
    for (let i = 0; i < 5; i += 1) {
      const slot = await limiter.acquire();
      limiter.throttled(slot);
      slot.release();
    }
    assert.equal(limiter.limit, 1);
  });

  test('increases by one after max(limit, 8) successes, never above the ceiling', async () => {
    const limiter = new RequestLimiter({ max: 12 });
    const slot = await limiter.acquire();
    limiter.throttled(slot);
    slot.release();
    assert.equal(limiter.limit, 9);
    for (let i = 0; i < 8; i += 1) limiter.succeeded();
    assert.equal(limiter.limit, 9, 'a window of 9 needs 9 successes');
    limiter.succeeded();
    assert.equal(limiter.limit, 10);
    for (let i = 0; i < 10 + 11; i += 1) limiter.succeeded();
    assert.equal(limiter.limit, 12);
    for (let i = 0; i < 100; i += 1) limiter.succeeded();
    assert.equal(limiter.limit, 12);
  });

  test('at a small limit, probing waits for 8 successes', async () => {
    const limiter = new RequestLimiter({ max: 4 });
    const slots = await takeAll(limiter, 4);
    limiter.throttled(slots[0]!);
    for (const slot of slots) slot.release();
    assert.equal(limiter.limit, 3);
    for (let i = 0; i < 7; i += 1) limiter.succeeded();
    assert.equal(limiter.limit, 3);
    limiter.succeeded();
    assert.equal(limiter.limit, 4);
  });

  test('converges near a server cap instead of collapsing', async () => {
    // A server that throttles whatever arrives beyond `cap` in flight, holding each answer for one turn.
    const cap = 6;
    const limiter = new RequestLimiter({ max: 32 });
    const limits: number[] = [];
    let throttles = 0;
    const worker = async (requests: number): Promise<void> => {
      for (let i = 0; i < requests; i += 1) {
        const slot = await limiter.acquire();
        if (limiter.inFlight > cap) {
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
    await Promise.all(Array.from({ length: 32 }, () => worker(200)));
    const settledLimits = limits.slice(limits.length / 2);
    const mean = settledLimits.reduce((sum, l) => sum + l, 0) / settledLimits.length;
    assert.ok(throttles > 0, 'the cap was hit');
    assert.ok(Math.min(...settledLimits) >= cap - 2, `never collapses: lowest ${Math.min(...settledLimits)}`);
    assert.ok(Math.max(...settledLimits) <= cap + 2, `never runs away: highest ${Math.max(...settledLimits)}`);
    assert.ok(mean >= cap * 0.8, `settles near the cap: mean ${mean.toFixed(2)}`);
    assert.ok(throttles < limits.length / 10, `throttles are rare once settled: ${throttles} for ${limits.length} successes`);
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
