import type { DemandGate } from './demandGate.js';

interface Waiter {
  readonly gate: DemandGate;
  readonly grant: () => void;
  cancelGateWait?: () => void;
}

/**
 * The requests waiting for what a limiter hands out (a slot in flight, a permit to send), each behind
 * its consumer's gate: a waiter is granted only while its gate is open, so the backpressure check sits
 * exactly where a request is let go, and waiters whose gate is closed do not hold up the others. When
 * a closed gate opens, `onGateOpen` runs (the limiter looks again). The queue holds callbacks, never data.
 */
export class GatedQueue {
  private waiters: Waiter[] = [];

  constructor(private readonly onGateOpen: () => void) {}

  get length(): number {
    return this.waiters.length;
  }

  /** True when every waiter is held by a closed gate (and there is one at least). */
  get allClosed(): boolean {
    return this.waiters.length > 0 && this.waiters.every((w) => !w.gate.open);
  }

  /**
   * Queues a waiter behind `gate`. At its grant `take` runs at once (so that the limiter counts it
   * before granting the next) and its result resolves the promise; it rejects with the signal's reason
   * when `signal` aborts first. The caller grants (`grant`) after queuing.
   */
  enqueue<T>(gate: DemandGate, signal: AbortSignal | undefined, take: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        waiter.cancelGateWait?.();
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        gate,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(take());
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Grants, in order, the waiters whose gate is open, while `available()` holds; watches the gates of the others. */
  grant(available: () => boolean): void {
    const still: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.gate.open && available()) {
        waiter.cancelGateWait?.();
        waiter.grant();
        continue;
      }
      if (!waiter.gate.open && !waiter.cancelGateWait) {
        waiter.cancelGateWait = waiter.gate.onOpen(() => {
          waiter.cancelGateWait = undefined;
          this.onGateOpen();
        });
      }
      still.push(waiter);
    }
    this.waiters = still;
  }
}
