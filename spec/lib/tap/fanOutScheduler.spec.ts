import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FanOutScheduler, type Task, type TaskSource, single } from '../../../lib/tap/fanOutScheduler.js';

/** Tasks that record their start and hold their slot until the test releases them by name. */
function recorder() {
  const started: string[] = [];
  const held = new Map<string, () => void>();
  const task =
    (name: string): Task =>
    (release) => {
      started.push(name);
      held.set(name, release);
    };
  const release = (name: string): void => {
    const r = held.get(name);
    assert.ok(r, `${name} has not started`);
    held.delete(name);
    r();
  };
  return { started, task, release, get running() {
    return held.size;
  } };
}

/** A source of `count` tasks named `prefix0…`, counting how often it is asked. */
function counted(make: (name: string) => Task, prefix: string, count: number): TaskSource & { asked: number } {
  let index = 0;
  const source = {
    asked: 0,
    next: (): Task | undefined => {
      source.asked += 1;
      return index < count ? make(`${prefix}${index++}`) : undefined;
    },
  };
  return source;
}

describe('FanOutScheduler', () => {
  test('never runs more than its limit, and starts the next task when one releases', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(3);
    for (let i = 0; i < 10; i += 1) scheduler.offer(0, single(r.task(`t${i}`)));
    assert.deepEqual(r.started, ['t0', 't1', 't2']);
    r.release('t1');
    assert.deepEqual(r.started, ['t0', 't1', 't2', 't3']);
    for (let i = 0; i < 10; i += 1) {
      if (r.started.includes(`t${i}`) && i !== 1) r.release(`t${i}`);
      assert.ok(r.running <= 3);
    }
    assert.equal(r.started.length, 10);
    assert.equal(scheduler.peakRunning, 3);
  });

  test('deeper work goes first; within a depth, first offered first served', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(1);
    scheduler.offer(0, single(r.task('parent-page-1')));
    scheduler.offer(0, single(r.task('other-root')));
    scheduler.offer(1, single(r.task('child-a')));
    scheduler.offer(2, single(r.task('grandchild')));
    scheduler.offer(1, single(r.task('child-b')));
    assert.deepEqual(r.started, ['parent-page-1']);
    r.release('parent-page-1');
    r.release('grandchild');
    r.release('child-a');
    r.release('child-b');
    assert.deepEqual(r.started, ['parent-page-1', 'grandchild', 'child-a', 'child-b', 'other-root']);
  });

  test('a parent’s next page starts once its children have started, not finished', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(3);
    scheduler.offer(1, counted(r.task, 'child', 2));
    scheduler.offer(0, single(r.task('next-page')));
    assert.deepEqual(r.started, ['child0', 'child1', 'next-page'], 'both children still running, the next page is running too');
  });

  test('sources are read lazily: one task per free slot, never ahead', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(2);
    const source = counted(r.task, 'c', 1_000);
    scheduler.offer(1, source);
    assert.equal(source.asked, 2);
    r.release('c0');
    assert.equal(source.asked, 3);
    assert.deepEqual(r.started, ['c0', 'c1', 'c2']);
  });

  test('an exhausted source gives way to the next source of its depth', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(2);
    scheduler.offer(1, counted(r.task, 'a', 1));
    scheduler.offer(1, counted(r.task, 'b', 3));
    assert.deepEqual(r.started, ['a0', 'b0']);
    r.release('a0');
    assert.deepEqual(r.started, ['a0', 'b0', 'b1']);
  });

  test('withdrawing a source stops what it has not started; running tasks go on', () => {
    const r = recorder();
    const scheduler = new FanOutScheduler(2);
    const withdraw = scheduler.offer(1, counted(r.task, 'w', 100));
    scheduler.offer(0, single(r.task('kept')));
    assert.deepEqual(r.started, ['w0', 'w1']);
    withdraw();
    withdraw();
    r.release('w0');
    assert.deepEqual(r.started, ['w0', 'w1', 'kept'], 'the withdrawn source gave nothing more');
    r.release('w1');
    r.release('kept');
    assert.equal(r.started.length, 3);
  });

  test('tasks that release at once run one after another without recursion', () => {
    const scheduler = new FanOutScheduler(4);
    let ran = 0;
    scheduler.offer(0, counted(() => (release) => {
      ran += 1;
      release();
    }, 's', 100_000));
    assert.equal(ran, 100_000);
    assert.equal(scheduler.peakRunning, 1);
  });

  test('a task may offer more work synchronously; the bound still holds', () => {
    const scheduler = new FanOutScheduler(2);
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task =
      (depth: number): Task =>
      (release) => {
        running += 1;
        peak = Math.max(peak, running);
        if (depth < 3) for (let i = 0; i < 3; i += 1) scheduler.offer(depth + 1, single(task(depth + 1)));
        releases.push(() => {
          running -= 1;
          release();
        });
      };
    scheduler.offer(0, single(task(0)));
    let finished = 0;
    while (releases.length > 0) {
      releases.shift()!();
      finished += 1;
    }
    assert.equal(finished, 1 + 3 + 9 + 27);
    assert.equal(peak, 2);
  });
});
