import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Observable, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { PaginationLoopError } from '../../../lib/errors.js';
import type { Page } from '../../../lib/http/parsePage.js';
import { paginate } from '../../../lib/operators/paginate.js';

const scheduler = (): TestScheduler => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const page = (records: string[], next?: string): Page => ({ records: records.map((id) => ({ id })), next });
const ids = (p: Page): Observable<string> => of(...p.records.map((r) => String(r['id'])));

describe('paginate', () => {
  test('sends no cursor first, then each cursor verbatim, and completes after the last page', () => {
    const cursors: Array<string | undefined> = [];
    scheduler().run(({ cold, expectObservable }) => {
      const pages: Record<string, Page> = { first: page(['a'], 'opaque-Xy'), 'opaque-Xy': page(['c']) };
      const fetchPage = (cursor: string | undefined): Observable<Page> => {
        cursors.push(cursor);
        return cold('-p|', { p: pages[cursor ?? 'first']! });
      };
      expectObservable(paginate(fetchPage, ids)).toBe('-a-c|');
    });
    assert.deepEqual(cursors, [undefined, 'opaque-Xy']);
  });

  test('requests page n+1 only after the handling of page n completed', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const second = cold('-q|', { q: page(['z']) });
      const fetchPage = (cursor: string | undefined): Observable<Page> => (cursor ? second : cold('-p|', { p: page(['a'], 'n1') }));
      const slowHandler = (p: Page): Observable<string> => cold('---x|', { x: String(p.records[0]!['id']) });
      expectObservable(paginate(fetchPage, slowHandler)).toBe('----a----z|');
      // page 1 arrives at frame 1, its handling ends at frame 5: only then is page 2 requested
      expectSubscriptions(second.subscriptions).toBe('-----^-!');
    });
  });

  test('emits nothing and completes for an empty single page', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(paginate(() => cold('-p|', { p: page([]) }), ids)).toBe('--|');
    });
  });

  test('propagates a fetch error', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(paginate(() => cold('--#', undefined, new Error('boom')), ids)).toBe('--#', undefined, new Error('boom'));
    });
  });

  test('errors with PaginationLoopError when a cursor repeats', () => {
    const fetchPage = (): Observable<Page> => of(page(['a'], 'same'));
    let error: unknown;
    paginate(fetchPage, ids).subscribe({ error: (e: unknown) => (error = e) });
    assert.ok(error instanceof PaginationLoopError);
  });

  test('unsubscribing stops the pending page request', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fetch = cold('----p|', { p: page(['a']) });
      expectObservable(paginate(() => fetch, ids), '--!').toBe('--');
      expectSubscriptions(fetch.subscriptions).toBe('^-!');
    });
  });
});
