import { Observable, type Subscription } from 'rxjs';
import { ALWAYS_OPEN, type DemandGate, SwitchGate } from '../http/demandGate.js';

/**
 * One stream's records, two ways:
 * - as an Observable (push): subscribers get records as fast as Sigma gives them; for composing with
 *   RxJS operators when the consumer keeps up (no backpressure: `next` is synchronous);
 * - as an AsyncIterable (pull): `for await (const record of stream)` fetches only as the loop pulls,
 *   so a slow loop holds at most the pages of the requests in flight when it stopped pulling.
 * Either way each subscription or loop is its own extraction on the Tap's shared client; ending it
 * early (unsubscribe, `break`) cancels its requests.
 */
export class RecordStream<T> extends Observable<T> {
  constructor(private readonly open: (gate: DemandGate) => Observable<readonly T[]>) {
    super((subscriber) =>
      open(ALWAYS_OPEN).subscribe({
        next: (records) => {
          for (const record of records) subscriber.next(record);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const gate = new SwitchGate(true);
    const queue: T[] = [];
    let head = 0;
    let done = false;
    let failure: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    let subscription: Subscription | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };
    const start = (): Subscription =>
      this.open(gate).subscribe({
        next: (records) => {
          for (const record of records) queue.push(record);
          gate.set(false);
          notify();
        },
        error: (error: unknown) => {
          failure = { error };
          notify();
        },
        complete: () => {
          done = true;
          notify();
        },
      });
    return {
      next: async (): Promise<IteratorResult<T>> => {
        subscription ??= start();
        for (;;) {
          if (head < queue.length) {
            const value = queue[head]!;
            head += 1;
            if (head === queue.length) {
              queue.length = 0;
              head = 0;
            }
            return { value, done: false };
          }
          if (failure) throw failure.error;
          if (done) return { value: undefined, done: true };
          gate.set(true);
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
      return: async (): Promise<IteratorResult<T>> => {
        subscription?.unsubscribe();
        done = true;
        return { value: undefined, done: true };
      },
    };
  }
}
