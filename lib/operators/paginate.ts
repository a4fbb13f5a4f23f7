import { Observable, concatMap, type Subscription } from 'rxjs';
import { PaginationLoopError } from '../errors.js';
import type { Page } from '../http/parsePage.js';

/**
 * Follows an endpoint's opaque cursor page by page, handing each page to `handlePage`.
 * Contract: emits what `handlePage` emits, page after page, in order; completes after the last page;
 *   errors with PaginationLoopError if a cursor repeats.
 * Backpressure: page n+1 is requested only after `handlePage(page n)` completed (its records written and
 *   its children expanded), so a partition holds at most one page.
 * Concurrency: one request in flight per partition.
 * @see expandChildren
 */
export function paginate<T>(fetchPage: (cursor: string | undefined) => Observable<Page>, handlePage: (page: Page) => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const seen = new Set<string>();
    let current: Subscription | undefined;
    // Each page gets its own subscription, replacing the previous one, so nothing nests as pages go by.
    const load = (cursor: string | undefined): void => {
      let next: string | undefined;
      current = fetchPage(cursor)
        .pipe(
          concatMap((page) => {
            next = page.next;
            return handlePage(page);
          }),
        )
        .subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            if (next === undefined) return subscriber.complete();
            if (seen.has(next)) return subscriber.error(new PaginationLoopError(next));
            seen.add(next);
            load(next);
          },
        });
    };
    load(undefined);
    return () => current?.unsubscribe();
  });
}
