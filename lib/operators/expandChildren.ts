import { type Observable, type OperatorFunction, from, mergeMap } from 'rxjs';

/**
 * Turns each batch of parent records into the merged output of their children.
 * Contract: for every parent record, subscribes `childrenOf(record)`; emits the children's values as they
 *   come; completes when every child of the batch completed.
 * Backpressure: the batch is already in memory (one page); children are subscribed lazily, so at most
 *   `concurrency` of them hold a page at once.
 * Concurrency: at most `concurrency` parents expanded at a time (the HTTP limiter caps requests globally).
 * @see paginate
 */
export function expandChildren<P, T>(childrenOf: (parent: P) => Observable<T>, concurrency: number): OperatorFunction<readonly P[], T> {
  return mergeMap((parents) => from(parents).pipe(mergeMap(childrenOf, concurrency)), 1);
}
