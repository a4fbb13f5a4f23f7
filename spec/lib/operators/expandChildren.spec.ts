import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestScheduler } from 'rxjs/testing';
import { expandChildren } from '../../../lib/operators/expandChildren.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

describe('expandChildren', () => {
  test('keeps one child open at a time when concurrency is 1', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const child = cold('--x|');
      expectObservable(cold('(a|)', { a: ['p1', 'p2'] }).pipe(expandChildren(() => child, 1))).toBe('--x--x|');
      expectSubscriptions(child.subscriptions).toBe(['^--!', '---^--!']);
    });
  });

  test('opens up to `concurrency` children at once', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const child = cold('---x|');
      expectObservable(cold('(a|)', { a: ['p1', 'p2', 'p3'] }).pipe(expandChildren(() => child, 2))).toBe('---(xx)x|');
      expectSubscriptions(child.subscriptions).toBe(['^---!', '^---!', '----^---!']);
    });
  });

  test('completes at once for an empty batch and passes child errors on', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('(a|)', { a: [] as string[] }).pipe(expandChildren(() => cold('x|'), 2))).toBe('|');
      expectObservable(cold('(a|)', { a: ['p'] }).pipe(expandChildren(() => cold('-#'), 2))).toBe('-#');
    });
  });
});
