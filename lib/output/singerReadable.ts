import { Readable } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { type DemandGate, SwitchGate } from '../http/demandGate.js';

export interface SingerReadableOptions {
  /** Bytes the Readable buffers before it stops asking for more (Node's default for byte streams). */
  readonly highWaterMark?: number;
}

/**
 * Singer lines as a Node Readable, for `pipeline(readable, process.stdout)` or any Writable.
 *
 * `_read()` is the demand signal: the sync's gate is open only while the Readable wants data and
 * nothing fetched is waiting, and every request takes its slot only through that gate, so the pace
 * of whoever reads travels back to the HTTP requests. The Readable itself holds at most its
 * highWaterMark plus one chunk (one page of records): what the requests in flight when the gate
 * closed bring back waits here, in `waiting`, until the reader asks again.
 *
 * `produce` is subscribed on the first read; destroying the Readable unsubscribes it, which cancels
 * the requests in flight.
 */
export class SingerReadable extends Readable {
  private readonly gate = new SwitchGate(false);
  private readonly waiting: string[] = [];
  private subscription: Subscription | undefined;
  private wanted = false;
  private ended = false;

  constructor(private readonly produce: (gate: DemandGate) => Observable<string>, options: SingerReadableOptions = {}) {
    super({ highWaterMark: options.highWaterMark ?? 16 * 1024 });
  }

  override _read(): void {
    this.wanted = true;
    while (this.wanted && this.waiting.length > 0) this.wanted = this.push(this.waiting.shift());
    if (this.wanted && this.ended) {
      this.push(null);
      return;
    }
    this.gate.set(this.wanted && this.waiting.length === 0);
    this.subscription ??= this.produce(this.gate).subscribe({
      next: (text) => this.accept(text),
      error: (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      complete: () => {
        this.ended = true;
        if (this.wanted && this.waiting.length === 0) this.push(null);
      },
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.subscription?.unsubscribe();
    this.gate.set(false);
    callback(error);
  }

  private accept(text: string): void {
    if (text === '') return;
    if (this.wanted && this.waiting.length === 0) {
      this.wanted = this.push(text);
    } else {
      this.waiting.push(text);
    }
    this.gate.set(this.wanted && this.waiting.length === 0);
  }
}
